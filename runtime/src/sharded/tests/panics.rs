//! A panic in a user closure leaves the map usable and drops nothing twice; a hostile
//! `Hash` still works.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::mode::Rw;
use crate::sharded::{PrehashedMap, ShardedMap};

/// A value that counts its creations and drops in its own counters.
struct Counted<'a> {
    drops: &'a AtomicUsize,
}

impl<'a> Counted<'a> {
    fn new(made: &AtomicUsize, drops: &'a AtomicUsize) -> Self {
        made.fetch_add(1, Ordering::Relaxed);
        Self { drops }
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn a_panic_in_update_or_get_or_insert_with_leaves_the_map_usable() {
    let made = AtomicUsize::new(0);
    let drops = AtomicUsize::new(0);
    {
        let map: ShardedMap<PrehashedMap<u64, Counted<'_>>, Rw, 4> = ShardedMap::new();
        for k in 0..8 {
            map.insert(k, Counted::new(&made, &drops));
        }
        // `update`'s closure panics: the value stays, the lock is released.
        let result = catch_unwind(AssertUnwindSafe(|| map.update(&1, |_| panic!("in update"))));
        assert!(result.is_err());
        assert!(map.contains_key(&1));
        // `get_or_insert_with`'s `make` panics: nothing is inserted.
        let result = catch_unwind(AssertUnwindSafe(|| {
            map.get_or_insert_with(100, || panic!("in make"), |_| ())
        }));
        assert!(result.is_err());
        assert!(!map.contains_key(&100));
        // Its `f` panics after inserting: the new value stays.
        let result = catch_unwind(AssertUnwindSafe(|| {
            map.get_or_insert_with(101, || Counted::new(&made, &drops), |_| panic!("in f"))
        }));
        assert!(result.is_err());
        assert!(map.contains_key(&101));
        // `retain`'s closure panics halfway: what was visited is decided, the rest stays.
        let result = catch_unwind(AssertUnwindSafe(|| map.retain(|_, _| panic!("in retain"))));
        assert!(result.is_err());
        // Every shard is still free and the map works.
        assert_eq!(map.len(), 9);
        assert!(map.remove(&1).is_some());
        map.insert(1, Counted::new(&made, &drops));
        assert_eq!(map.len(), 9);
        assert_eq!(drops.load(Ordering::Relaxed), 1);
    }
    // Everything made was dropped exactly once.
    assert_eq!(drops.load(Ordering::Relaxed), made.load(Ordering::Relaxed));
}

#[test]
fn a_panic_in_a_std_maps_closure_drops_nothing_twice() {
    let made = AtomicUsize::new(0);
    let drops = AtomicUsize::new(0);
    {
        let map: ShardedMap<HashMap<u64, Counted<'_>>, Rw, 2> = ShardedMap::new();
        map.insert(1, Counted::new(&made, &drops));
        let result = catch_unwind(AssertUnwindSafe(|| map.update(&1, |_| panic!("in update"))));
        assert!(result.is_err());
        let result = catch_unwind(AssertUnwindSafe(|| {
            map.get_or_insert_with(2, || panic!("in make"), |_| ())
        }));
        assert!(result.is_err());
        assert_eq!(map.len(), 1);
    }
    assert_eq!(drops.load(Ordering::Relaxed), made.load(Ordering::Relaxed));
}

/// A key whose hash is the same for every value: every key in one shard, one bucket.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Hostile(u32);

impl Hash for Hostile {
    fn hash<H: Hasher>(&self, state: &mut H) {
        0u8.hash(state);
    }
}

#[test]
fn a_hostile_hash_still_works_only_slower() {
    let keys = if cfg!(miri) { 24 } else { 300 };
    let map: ShardedMap<PrehashedMap<Hostile, u32>, Rw, 16> = ShardedMap::new();
    let std_map: ShardedMap<HashMap<Hostile, u32>, Rw, 16> = ShardedMap::new();
    for k in 0..keys {
        assert_eq!(map.insert(Hostile(k), k), None);
        assert_eq!(std_map.insert(Hostile(k), k), None);
    }
    let shard = map.shard_index(&Hostile(0));
    assert!((0..keys).all(|k| map.shard_index(&Hostile(k)) == shard));
    for k in 0..keys {
        assert_eq!(map.get(&Hostile(k)), Some(k));
        assert_eq!(std_map.get(&Hostile(k)), Some(k));
    }
    for k in (0..keys).step_by(2) {
        assert_eq!(map.remove(&Hostile(k)), Some(k));
        assert_eq!(std_map.update(&Hostile(k), |v| *v + 1), Some(k + 1));
    }
    assert_eq!(map.len(), keys as usize / 2);
    assert_eq!(std_map.len(), keys as usize);
}
