// A key of another type than the state's key cannot pick a shard (issue 22): it would hash
// differently from the map's own key, so `write(&k)` and `get(&k)` could pick two shards.
// By hand, on `Shards` and `ShardedMap`, and through the macro, with a map and with
// `key = Type`.
use std::collections::HashMap;

use lockwise::sharded;
use lockwise::sharded::{ShardedMap, Shards};

#[sharded(16)]
#[derive(Default)]
struct Sessions {
    map: HashMap<i64, String>,
}

#[sharded(8, key = String)]
#[derive(Default)]
struct Counters {
    hits: u64,
}

fn main() {
    let by_hand: Shards<HashMap<i64, u32>> = Shards::new();
    by_hand.write(&-7i32).insert(-7, 1);

    let map: ShardedMap<HashMap<i64, u32>> = ShardedMap::new();
    let _ = map.shard_index(&7u64);

    let sessions = Sessions::new();
    sessions.with_write(&-7i32, |shard| shard.map.insert(-7, "seven".into()));

    let counters = Counters::new();
    counters.write(&7u64).hits += 1;
}
