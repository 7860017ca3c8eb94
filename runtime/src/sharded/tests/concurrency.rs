//! Concurrent use loses nothing and leaves `len` and `to_vec` consistent.

use std::collections::HashMap;

use crate::mode::{Mutex, Rw};
use crate::sharded::tests::scaled;
use crate::sharded::{PrehashedMap, ShardedMap};

#[test]
fn threads_inserting_disjoint_keys_lose_nothing() {
    let threads = scaled(8, 3) as u64;
    let per_thread = scaled(2_000, 20) as u64;
    let map: ShardedMap<PrehashedMap<u64, u64>, Rw, 16> = ShardedMap::new();
    std::thread::scope(|s| {
        for t in 0..threads {
            let map = &map;
            s.spawn(move || {
                for i in 0..per_thread {
                    let key = t * per_thread + i;
                    assert_eq!(map.insert(key, key * 2), None);
                }
            });
        }
    });
    let total = (threads * per_thread) as usize;
    assert_eq!(map.len(), total);
    for key in 0..threads * per_thread {
        assert_eq!(map.get(&key), Some(key * 2), "key {key}");
    }
    let mut all = map.to_vec();
    all.sort_unstable();
    assert_eq!(
        all,
        (0..total as u64).map(|k| (k, k * 2)).collect::<Vec<_>>()
    );
}

/// A tiny deterministic generator, so each thread's sequence is reproducible.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn mixed_inserts_removes_and_updates_stay_consistent() {
    let threads = scaled(4, 2) as u64;
    let ops = scaled(5_000, 60);
    let map: ShardedMap<HashMap<u64, u64>, Mutex, 8> = ShardedMap::new();
    // Counters on keys every thread touches: no increment may be lost.
    let shared_keys = 8u64;
    // Each thread also owns a key range and keeps the model of it.
    let models: Vec<HashMap<u64, u64>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let map = &map;
                s.spawn(move || {
                    let mut model = HashMap::new();
                    let mut rng = 0x9e37_79b9_7f4a_7c15 ^ (t + 1);
                    for _ in 0..ops {
                        let roll = next(&mut rng);
                        map.get_or_insert_with(roll % shared_keys, || 0, |n| *n += 1);
                        let key = 1_000 + t * 1_000 + (roll >> 8) % 64;
                        match (roll >> 20) % 3 {
                            0 => assert_eq!(map.insert(key, roll), model.insert(key, roll)),
                            1 => assert_eq!(map.remove(&key), model.remove(&key)),
                            _ => {
                                let theirs = map.update(&key, |v| {
                                    *v += 1;
                                    *v
                                });
                                let ours = model.get_mut(&key).map(|v| {
                                    *v += 1;
                                    *v
                                });
                                assert_eq!(theirs, ours);
                            }
                        }
                    }
                    model
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let increments: u64 = (0..shared_keys).filter_map(|k| map.get(&k)).sum();
    assert_eq!(increments, threads * ops as u64);
    let mut expected: Vec<(u64, u64)> = models.into_iter().flatten().collect();
    expected.extend((0..shared_keys).filter_map(|k| Some((k, map.get(&k)?))));
    expected.sort_unstable();
    let mut all = map.to_vec();
    all.sort_unstable();
    assert_eq!(all, expected);
    assert_eq!(map.len(), expected.len());
}

#[test]
fn whole_map_operations_run_while_others_write() {
    let map: ShardedMap<PrehashedMap<u64, u64>, Rw, 4> = ShardedMap::new();
    let rounds = scaled(500, 10) as u64;
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0..rounds {
                map.insert(i, i);
            }
        });
        s.spawn(|| {
            for _ in 0..rounds / 10 {
                // Each shard is read once: `len` never exceeds what was inserted.
                assert!(map.len() <= rounds as usize);
                map.retain(|_, _| true);
                map.for_each(|k, v| assert_eq!(k, v));
            }
        });
    });
    assert_eq!(map.len(), rounds as usize);
}

/// dashmap's counting idiom from several threads: every increment through an entry's
/// guard lands, on keys all threads share, in every map kind.
fn entries_add_up<S>(map: ShardedMap<S, Rw, 16>)
where
    S: crate::sharded::MapField<Key = u64> + Send + Sync,
    S::Map: crate::sharded::MapKind<Key = u64, Value = u64> + crate::sharded::Lookup<u64>,
{
    let threads = scaled(8, 3) as u64;
    let per_thread = scaled(10_000, 40) as u64;
    // Fewer keys than each thread's calls, so that every key is used.
    let keys = scaled(64, 16) as u64;
    std::thread::scope(|s| {
        for t in 0..threads {
            let map = &map;
            s.spawn(move || {
                for i in 0..per_thread {
                    let key = (t + i) % keys;
                    match i % 3 {
                        0 => *map.entry(key).or_insert(0) += 1,
                        1 => {
                            map.entry(key).and_modify(|n| *n += 1).or_insert(1);
                        }
                        _ => *map.entry(key).or_default() += 1,
                    }
                }
            });
        }
    });
    let mut total = 0;
    map.for_each(|_, n| total += n);
    assert_eq!(total, threads * per_thread);
    assert_eq!(map.len(), keys as usize);
    // And `get_mut` from several threads, on the keys now there.
    std::thread::scope(|s| {
        for _ in 0..threads {
            let map = &map;
            s.spawn(move || {
                for key in 0..keys {
                    *map.get_mut(&key).expect("every key is there") += 1;
                }
            });
        }
    });
    let mut total = 0;
    map.for_each(|_, n| total += n);
    assert_eq!(total, threads * per_thread + threads * keys);
}

#[test]
fn entries_from_several_threads_add_up() {
    entries_add_up(ShardedMap::<HashMap<u64, u64>, Rw, 16>::new());
    entries_add_up(ShardedMap::<std::collections::BTreeMap<u64, u64>, Rw, 16>::new());
    entries_add_up(ShardedMap::<PrehashedMap<u64, u64>, Rw, 16>::new());
}

/// `remove_if` from several threads: each key is removed by exactly one of them.
#[test]
fn remove_if_removes_each_key_once() {
    let threads = scaled(8, 3);
    let keys = scaled(2_000, 30) as u64;
    let map: ShardedMap<PrehashedMap<u64, u64>, Mutex, 8> = ShardedMap::new();
    (0..keys).for_each(|k| {
        map.insert(k, k);
    });
    let removed: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let map = &map;
                s.spawn(move || {
                    (0..keys)
                        .filter(|k| map.remove_if(k, |_, v| v == k).is_some())
                        .count()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(removed, keys as usize);
    assert!(map.is_empty());
}
