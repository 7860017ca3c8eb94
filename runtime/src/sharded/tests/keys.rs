//! The key guards take the state's key type (or what it borrows as), so the shard a key
//! guard picks and the shard a map method picks agree. Issue 22: they did not, when the
//! key guards took any `Q: Hash`: `write(&-7)` on an `i64` map hashed an `i32` (the
//! literal's default type), the entry went into that `i32`'s shard, and `get(&-7)`, which
//! hashed an `i64`, missed in 93 to 97 of 100 instances. Now `&-7` is inferred as `&i64`
//! (the only `Q` with `i64: Borrow<Q>`), and another key type does not compile
//! (`tests/ui/sharded/hand_wrong_key_type.rs`).

use std::collections::{BTreeMap, HashMap};

use crate::mode::Rw;
use crate::sharded::{PrehashedMap, ShardedMap, Shards};

#[test]
fn an_entry_written_through_the_key_guard_is_found_by_the_map_methods() {
    for _ in 0..100 {
        let map: ShardedMap<HashMap<i64, &str>, Rw, 16> = ShardedMap::new();
        map.write(&-7).insert(-7, "seven");
        assert_eq!(map.get(&-7), Some("seven"));
        assert_eq!(map.shard_index(&-7), map.shard_index(&-7i64));

        let map: ShardedMap<PrehashedMap<i64, u8>, Rw, 16> = ShardedMap::new();
        map.with_write(&-7, |shard| shard.insert(-7, 1));
        assert_eq!(map.get(&-7), Some(1));
    }
}

#[test]
fn a_key_guard_takes_what_the_key_borrows_as() {
    let map: ShardedMap<BTreeMap<String, u32>, Rw, 8> = ShardedMap::new();
    map.write("ada").insert("ada".to_owned(), 36);
    assert_eq!(map.get("ada"), Some(36));
    let owned = "ada".to_owned();
    assert_eq!(map.shard_index("ada"), map.shard_index(&owned));
    let shards: &Shards<BTreeMap<String, u32>, Rw, 8> = &map;
    assert_eq!(shards.read("ada").get("ada"), Some(&36));
}
