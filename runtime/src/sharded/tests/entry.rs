//! dashmap's first-day API on every map kind: `entry` (`or_insert`, `or_insert_with`,
//! `or_default`, `and_modify`, `insert`, the `Occupied`/`Vacant` variants), `get_mut`,
//! `remove_if`, and capacity (`with_capacity`, `shrink_to_fit`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::mode::{Acquire, MapWrite, Mutex, Rw};
use crate::sharded::{Entry, Lookup, MapField, MapKind, PrehashedMap, ShardedMap, ShardedSet};

/// Every entry method, on a map keyed by `String`, in mode `M`.
fn entry_methods<S, M>(map: ShardedMap<S, M, 8>)
where
    S: MapField<Key = String>,
    S::Map: MapKind<Key = String, Value = Vec<u32>> + Lookup<String> + Lookup<str>,
    M: MapWrite<S, Vec<u32>>,
{
    // or_insert: inserts when vacant, returns the value there when occupied.
    map.entry("a".into()).or_insert(vec![1]).push(2);
    map.entry("a".into()).or_insert(vec![9]).push(3);
    assert_eq!(map.get("a"), Some(vec![1, 2, 3]));
    // or_insert_with: `make` runs only when vacant.
    assert_eq!(*map.entry("b".into()).or_insert_with(|| vec![4]), [4]);
    assert_eq!(
        *map.entry("b".into()).or_insert_with(|| unreachable!()),
        [4]
    );
    // or_default.
    map.entry("c".into()).or_default().push(5);
    assert_eq!(map.get("c"), Some(vec![5]));
    // and_modify: runs on an occupied entry only, and hands the entry on.
    map.entry("c".into())
        .and_modify(|v| v.push(6))
        .or_insert(vec![0]);
    map.entry("d".into())
        .and_modify(|_| unreachable!("d is not there"))
        .or_insert(vec![7]);
    assert_eq!(map.get("c"), Some(vec![5, 6]));
    assert_eq!(map.get("d"), Some(vec![7]));
    // insert: sets the value either way.
    assert_eq!(*map.entry("d".into()).insert(vec![8]), [8]);
    assert_eq!(*map.entry("e".into()).insert(vec![9]), [9]);
    // key, into_key.
    assert_eq!(map.entry("a".into()).key(), "a");
    assert_eq!(map.entry("z".into()).into_key(), "z");
    assert!(!map.contains_key("z"), "an entry alone inserts nothing");
    // The variants.
    match map.entry("a".into()) {
        Entry::Occupied(mut entry) => {
            assert_eq!(entry.key(), "a");
            assert_eq!(entry.get(), &[1, 2, 3]);
            entry.get_mut().clear();
            assert_eq!(entry.insert(vec![10]), Vec::<u32>::new());
            entry.into_ref().push(11);
        }
        Entry::Vacant(_) => panic!("a is there"),
    }
    assert_eq!(map.get("a"), Some(vec![10, 11]));
    match map.entry("f".into()) {
        Entry::Occupied(_) => panic!("f is not there"),
        Entry::Vacant(entry) => {
            assert_eq!(entry.key(), "f");
            entry.insert(vec![12]).push(13);
        }
    }
    let Entry::Vacant(entry) = map.entry("g".into()) else {
        panic!("g is not there")
    };
    assert_eq!(entry.into_key(), "g");
    assert_eq!(map.get("f"), Some(vec![12, 13]));
    assert_eq!(map.len(), 6);

    // get_mut, by what the key borrows as.
    map.get_mut("f").expect("f is there").push(14);
    assert_eq!(map.get("f"), Some(vec![12, 13, 14]));
    assert!(map.get_mut("zz").is_none());
    // remove_if: removes only when the closure says so, and sees the stored key.
    assert_eq!(map.remove_if("f", |_, v| v.is_empty()), None);
    assert_eq!(
        map.remove_if("f", |k, v| k == "f" && v.len() == 3),
        Some(vec![12, 13, 14])
    );
    assert_eq!(map.remove_if("f", |_, _| unreachable!("f is gone")), None);
    assert_eq!(map.len(), 5);
}

#[test]
fn entries_work_on_every_map_kind_and_mode() {
    entry_methods(ShardedMap::<HashMap<String, Vec<u32>>, Rw, 8>::new());
    entry_methods(ShardedMap::<BTreeMap<String, Vec<u32>>, Rw, 8>::new());
    entry_methods(ShardedMap::<PrehashedMap<String, Vec<u32>>, Rw, 8>::new());
    entry_methods(ShardedMap::<HashMap<String, Vec<u32>>, Mutex, 8>::new());
    entry_methods(ShardedMap::<PrehashedMap<String, Vec<u32>>, Mutex, 8>::new());
}

/// A value guard holds the shard: another thread's write waits for it, and gets in once
/// it drops.
#[test]
fn a_value_guard_holds_its_shard_until_it_drops() {
    let map: ShardedMap<HashMap<u64, u64>, Rw, 4> = ShardedMap::new();
    let guard = map.entry(1).or_insert(10);
    assert!(map.try_read(&1).is_none(), "the shard is write-locked");
    drop(guard);
    assert!(map.try_read(&1).is_some());
    let entry = map.entry(2);
    assert!(
        map.try_write(&2).is_none(),
        "a vacant entry holds the shard too"
    );
    drop(entry);
    let value = map.get_mut(&1).unwrap();
    assert!(map.try_write(&1).is_none());
    drop(value);
    assert!(map.try_write(&1).is_some());
}

#[test]
fn a_panicking_make_inserts_nothing_and_releases_the_shard() {
    let map: ShardedMap<PrehashedMap<u64, String>, Rw, 4> = ShardedMap::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        map.entry(1).or_insert_with(|| panic!("no value"));
    }));
    assert!(result.is_err());
    assert!(!map.contains_key(&1));
    assert_eq!(*map.entry(1).or_insert_with(|| "one".into()), "one");
}

#[test]
fn entries_debug_print_their_key_and_value() {
    let map: ShardedMap<HashMap<u64, &str>, Rw, 4> = ShardedMap::new();
    map.insert(1, "one");
    assert_eq!(
        format!("{:?}", map.entry(1)),
        "Entry(OccupiedEntry { key: 1, value: \"one\" })"
    );
    assert_eq!(format!("{:?}", map.entry(2)), "Entry(VacantEntry(2))");
}

/// `with_capacity(n)` gives each shard `n / N` rounded up, in every map kind that has
/// capacity; `shrink_to_fit` gives it back.
fn capacity_of<S, M>(made: ShardedMap<S, M, 4>, capacity: impl Fn(&S) -> usize)
where
    S: MapField<Key = u64>,
    S::Map: crate::sharded::Capacity + MapKind<Key = u64, Value = u64> + Lookup<u64>,
    M: Acquire<S>,
{
    made.for_each_shard(|shard| assert!(capacity(shard) >= 25, "{}", capacity(shard)));
    made.insert(1, 1);
    made.shrink_to_fit();
    made.for_each_shard(|shard| assert!(capacity(shard) < 25, "{}", capacity(shard)));
    assert_eq!(made.get(&1), Some(1), "shrinking keeps the entries");
}

#[test]
fn with_capacity_spreads_over_the_shards_and_shrink_gives_it_back() {
    capacity_of(
        ShardedMap::<HashMap<u64, u64>, Rw, 4>::with_capacity(100),
        HashMap::capacity,
    );
    capacity_of(
        ShardedMap::<PrehashedMap<u64, u64>, Mutex, 4>::with_capacity(100),
        PrehashedMap::capacity,
    );
    let set: ShardedSet<HashSet<u64>, Rw, 4> = ShardedSet::with_capacity(100);
    set.for_each_shard(|shard| assert!(shard.capacity() >= 25));
    set.insert(1);
    set.shrink_to_fit();
    set.for_each_shard(|shard| assert!(shard.capacity() < 25));
    assert!(set.contains(&1));
}

/// A `PrehashedMap` made by `with_capacity` hashes like its shards from the start, so its
/// first insert keeps the table it was given (no rehash into a new one).
#[test]
fn a_prehashed_map_with_capacity_takes_the_shard_hasher_at_once() {
    let map: ShardedMap<PrehashedMap<u64, u64>, Rw, 2> = ShardedMap::with_capacity(64);
    map.for_each_shard(|shard| assert!(shard.hasher().same_function(&map.hasher)));
    let before: Vec<usize> = map
        .into_inner()
        .iter()
        .map(PrehashedMap::capacity)
        .collect();
    let map: ShardedMap<PrehashedMap<u64, u64>, Rw, 2> = ShardedMap::with_capacity(64);
    for key in 0..8 {
        map.insert(key, key);
    }
    let after: Vec<usize> = map
        .into_inner()
        .iter()
        .map(PrehashedMap::capacity)
        .collect();
    assert_eq!(before, after);
}
