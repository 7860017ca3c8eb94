//! Every method, on every map kind, single-threaded.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::mode::{Mutex, Rw};
use crate::sharded::tests::{ByU64, key_per_shard};
use crate::sharded::{Keyed, MapField, PrehashedMap, ShardedMap, ShardedSet, Shards};

/// The map methods, on a map keyed by `String` and looked up by `&str`.
fn map_methods<S>(map: ShardedMap<S, Rw, 8>)
where
    S: MapField<Key = String>,
    S::Map: crate::sharded::MapKind<Key = String, Value = u32> + crate::sharded::Lookup<str>,
{
    assert!(map.is_empty());
    assert_eq!(map.insert("a".into(), 1), None);
    assert_eq!(map.insert("a".into(), 2), Some(1));
    assert_eq!(map.insert("b".into(), 3), None);
    assert_eq!(map.get("a"), Some(2));
    assert_eq!(map.get("z"), None);
    assert_eq!(map.get_with("b", |v| v * 10), Some(30));
    assert!(map.contains_key("b"));
    assert!(!map.contains_key("z"));
    assert_eq!(map.update("a", |v| std::mem::replace(v, 7)), Some(2));
    assert_eq!(map.update("z", |v| *v), None);
    assert_eq!(map.get_or_insert_with("c".into(), || 5, |v| *v), 5);
    assert_eq!(
        map.get_or_insert_with(
            "c".into(),
            || unreachable!(),
            |v| {
                *v += 1;
                *v
            }
        ),
        6
    );
    assert_eq!(map.len(), 3);
    let mut seen = Vec::new();
    map.for_each(|k, v| seen.push((k.clone(), *v)));
    seen.sort();
    let mut all = map.to_vec();
    all.sort();
    assert_eq!(seen, all);
    assert_eq!(
        all,
        [("a".into(), 7), ("b".into(), 3), ("c".into(), 6)] as [(String, u32); 3]
    );
    map.retain(|k, v| {
        *v += 100;
        k != "b"
    });
    assert_eq!(map.get("a"), Some(107));
    assert_eq!(map.get("b"), None);
    assert_eq!(map.remove("a"), Some(107));
    assert_eq!(map.remove("a"), None);
    assert_eq!(map.len(), 1);
    map.clear();
    assert!(map.is_empty());
    assert_eq!(map.len(), 0);
}

#[test]
fn map_methods_work_on_every_map_kind() {
    map_methods(ShardedMap::<HashMap<String, u32>, Rw, 8>::new());
    map_methods(ShardedMap::<BTreeMap<String, u32>, Rw, 8>::new());
    map_methods(ShardedMap::<PrehashedMap<String, u32>, Rw, 8>::new());
    // A hasher of the user's choice, not std's default.
    map_methods(ShardedMap::<
        HashMap<String, u32, foldhash::fast::RandomState>,
        Rw,
        8,
    >::new());
}

/// A state with a map and other per-shard fields, as `#[sharded]` generates.
#[derive(Default, Debug)]
struct SessionsShard {
    map: PrehashedMap<String, u32>,
    evictions: u64,
}

impl Keyed for SessionsShard {
    type Key = String;
}

impl MapField for SessionsShard {
    type Map = PrehashedMap<String, u32>;
    fn map(&self) -> &Self::Map {
        &self.map
    }
    fn map_mut(&mut self) -> &mut Self::Map {
        &mut self.map
    }
}

#[test]
fn a_state_with_more_than_its_map_has_the_map_methods() {
    let sessions: ShardedMap<SessionsShard, Rw, 8> = ShardedMap::new();
    map_methods(sessions);
    let sessions: ShardedMap<SessionsShard, Mutex, 4> = ShardedMap::new();
    sessions.insert("k".into(), 1);
    sessions.write("k").evictions += 1;
    assert_eq!(sessions.read("k").evictions, 1);
    let mut total = 0;
    sessions.for_each_shard(|s| total += s.evictions);
    assert_eq!(total, 1);
}

#[test]
fn set_methods_work_on_both_set_kinds() {
    fn check<S>(set: ShardedSet<S, Rw, 4>)
    where
        S: crate::sharded::SetField<Key = String>,
        S::Set: crate::sharded::SetKind<Key = String> + crate::sharded::SetLookup<str>,
    {
        assert!(set.is_empty());
        assert!(set.insert("a".into()));
        assert!(!set.insert("a".into()));
        assert!(set.insert("b".into()));
        assert!(set.contains("a"));
        assert!(!set.contains("z"));
        assert_eq!(set.len(), 2);
        let mut all = set.to_vec();
        all.sort();
        assert_eq!(all, ["a", "b"]);
        let mut count = 0;
        set.for_each(|_| count += 1);
        assert_eq!(count, 2);
        set.retain(|e| e == "b");
        assert!(!set.contains("a"));
        assert!(set.remove("b"));
        assert!(!set.remove("b"));
        set.insert("c".into());
        set.clear();
        assert!(set.is_empty());
    }
    check(ShardedSet::<HashSet<String>, Rw, 4>::new());
    check(ShardedSet::<BTreeSet<String>, Rw, 4>::new());
}

#[test]
fn key_guards_lock_the_keys_shard() {
    let shards: Shards<ByU64<Vec<u64>>, Rw, 4> = Shards::new();
    let keys = key_per_shard(&shards);
    for &key in &keys {
        shards.write(&key).0.push(key);
        shards.with_write(&key, |v| v.0.push(key));
    }
    for (index, &key) in keys.iter().enumerate() {
        assert_eq!(shards.shard_index(&key), index);
        assert_eq!(shards.read(&key).0, [key, key]);
        assert_eq!(shards.with_read(&key, |v| v.0.len()), 2);
    }
    // A writer on one shard leaves the others free.
    let writer = shards.write(&keys[0]);
    assert!(shards.try_read(&keys[0]).is_none());
    assert!(shards.try_write(&keys[0]).is_none());
    assert!(shards.try_write(&keys[1]).is_some());
    drop(writer);
    let timeout = std::time::Duration::from_millis(1);
    assert!(shards.try_read_for(&keys[0], timeout).is_some());
    assert!(shards.try_write_for(&keys[0], timeout).is_some());
}

#[test]
fn whole_value_operations_visit_shards_in_index_order_one_at_a_time() {
    let shards: Shards<ByU64<usize>, Rw, 8> = Shards::from_fn(ByU64);
    let keys = key_per_shard(&shards);
    let mut order = Vec::new();
    shards.for_each_shard(|&ByU64(i)| {
        // Every other shard is free while this one is held: only one is locked.
        for (other, key) in keys.iter().enumerate() {
            if other != i {
                assert!(shards.try_write(key).is_some(), "shard {other} is held too");
            }
        }
        order.push(i);
    });
    assert_eq!(order, (0..8).collect::<Vec<_>>());
    let mut order = Vec::new();
    shards.for_each_shard_mut(|ByU64(i)| {
        for (other, key) in keys.iter().enumerate() {
            if other != *i {
                assert!(shards.try_read(key).is_some(), "shard {other} is held too");
            }
        }
        order.push(*i);
        *i *= 10;
    });
    assert_eq!(order, (0..8).collect::<Vec<_>>());
    assert_eq!(
        shards.into_inner(),
        (0..8).map(|i| ByU64(i * 10)).collect::<Vec<_>>()
    );
}

#[test]
fn exclusive_access_and_into_inner_need_no_lock() {
    let mut shards: ShardedMap<HashMap<u64, u64>, Mutex, 2> = ShardedMap::new();
    for i in 0..10 {
        shards.insert(i, i);
    }
    let total: usize = shards.shards_mut().map(|m| m.len()).sum();
    assert_eq!(total, 10);
    shards.shards_mut().for_each(|m| m.clear());
    assert!(shards.is_empty());
    assert_eq!(shards.into_inner().len(), 2);
}

#[test]
fn debug_never_waits() {
    let shards: Shards<ByU64<u8>, Rw, 2> = Shards::from_fn(|i| ByU64(i as u8));
    assert_eq!(
        format!("{shards:?}"),
        "Shards { shards: [ByU64(0), ByU64(1)] }"
    );
    let keys = key_per_shard(&shards);
    let held = shards.write(&keys[1]);
    assert_eq!(
        format!("{shards:?}"),
        "Shards { shards: [ByU64(0), <locked>] }"
    );
    drop(held);
    // A reader does not hide the state.
    let _reader = shards.read(&keys[0]);
    assert_eq!(
        format!("{shards:?}"),
        "Shards { shards: [ByU64(0), ByU64(1)] }"
    );
    // The map and the set say which they are.
    let map: ShardedMap<HashMap<u8, u8>, Rw, 1> = ShardedMap::new();
    map.insert(1, 2);
    assert_eq!(format!("{map:?}"), "ShardedMap { shards: [{1: 2}] }");
    let set: ShardedSet<BTreeSet<u8>, Rw, 1> = ShardedSet::new();
    set.insert(3);
    assert_eq!(format!("{set:?}"), "ShardedSet { shards: [{3}] }");
}

#[test]
fn one_shard_works() {
    let one: ShardedMap<HashMap<u64, u64>, Rw, 1> = ShardedMap::new();
    assert_eq!(one.shard_count(), 1);
    for i in 0..20 {
        assert_eq!(one.shard_index(&i), 0);
        one.insert(i, i);
    }
    assert_eq!(one.len(), 20);
    let many: Shards<ByU64<u8>, Rw, 1024> = Shards::new();
    assert_eq!(many.shard_count(), 1024);
    assert!((0..100u64).all(|k| many.shard_index(&k) < 1024));
}

#[test]
fn a_prehashed_map_from_elsewhere_is_found_and_then_adopted() {
    // Maps built before `Shards` saw them hash with their own seeds.
    let shards: ShardedMap<PrehashedMap<u64, u64>, Rw, 4> =
        ShardedMap::from_fn(|_| (0..50).map(|k| (k, k)).collect());
    // Every shard holds all 50 keys, but only a key's own shard is ever asked.
    for k in 0..50 {
        assert_eq!(shards.get(&k), Some(k));
        assert_eq!(shards.update(&k, |v| *v), Some(k));
    }
    // An insert makes the shard's map hash like the shard, moving its entries once.
    let key = 1000;
    shards.insert(key, 7);
    let adopted = shards.shard_index(&key);
    let mut lens = Vec::new();
    shards.for_each_shard(|m| lens.push(m.len()));
    let expected: Vec<usize> = (0..4).map(|i| if i == adopted { 51 } else { 50 }).collect();
    assert_eq!(lens, expected);
    for k in 0..50 {
        assert_eq!(shards.get(&k), Some(k));
    }
    assert_eq!(shards.get(&key), Some(7));
    // A map swapped in through a guard (another seed) is still right.
    let foreign: PrehashedMap<u64, u64> = (0..50).map(|k| (k, k + 1)).collect();
    *shards.write(&key) = foreign;
    assert_eq!(shards.get(&key), None);
    let owner = |k: &u64| shards.shard_index(k) == adopted;
    for k in (0..50).filter(owner) {
        assert_eq!(shards.get(&k), Some(k + 1));
        assert_eq!(shards.remove(&k), Some(k + 1));
        assert_eq!(shards.get_or_insert_with(k, || 9, |v| *v), 9);
        assert_eq!(shards.get(&k), Some(9));
    }
    // Inside a guard, the map is a hash map like any other.
    let value = shards.get(&3);
    assert_eq!(shards.read(&3u64).get(&3), value.as_ref());
}

#[test]
fn labeled_shards_still_work() {
    let shards: ShardedMap<HashMap<u64, u64>> = ShardedMap::new().labeled("app::Sessions");
    shards.insert(1, 1);
    assert_eq!(shards.get(&1), Some(1));
}
