//! Taking a shard this thread already holds panics in debug builds, naming the type and the
//! shard, instead of deadlocking: from a held guard (a shard guard, an entry, a value guard
//! from an entry or `get_mut`), and from inside the closures of `get_with`, `update`,
//! `or_insert_with` and `remove_if`. A missing check would hang, so each case runs on its own thread
//! and the test waits for it with a generous bound: a hang fails the test instead of
//! hanging it (no timing is asserted).
#![cfg(debug_assertions)]

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use crate::mode::{Mutex, Rw};
use crate::sharded::{PrehashedMap, ShardedMap};

const BOUND: Duration = Duration::from_secs(30);

type Sessions = ShardedMap<PrehashedMap<u64, u64>, Rw, 8>;

/// Shared with the case's thread by `Arc`, not leaked, so Miri's leak check stays on.
fn sessions() -> Arc<Sessions> {
    let map: Sessions = ShardedMap::new().labeled("app::Sessions");
    for k in 0..64 {
        map.insert(k, k);
    }
    Arc::new(map)
}

/// A key other than `key` in the same shard of `map`.
fn neighbour(map: &Sessions, key: u64) -> u64 {
    (key + 1..)
        .find(|k| map.shard_index(k) == map.shard_index(&key))
        .unwrap()
}

/// Runs `case` on a thread of its own; returns its panic message, or fails if it returned
/// without panicking or did not finish within `BOUND` (then the thread is abandoned).
fn panic_within_bound(case: impl FnOnce() + Send + 'static) -> String {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let outcome = catch_unwind(AssertUnwindSafe(case)).map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "a panic without a message".to_owned())
        });
        let _ = tx.send(outcome);
    });
    let outcome = rx.recv_timeout(BOUND);
    if outcome.is_ok() {
        // It has sent its outcome: joining it cannot hang.
        thread.join().unwrap();
    }
    match outcome {
        Ok(Err(message)) => message,
        Ok(Ok(())) => panic!("the same-shard re-entry was not refused"),
        Err(_) => panic!("the same-shard re-entry hung instead of panicking"),
    }
}

fn assert_names_the_shard(message: &str, map: &Sessions, key: u64) {
    let shard = format!(
        "`Sessions` (app::Sessions) shard {} is already held",
        map.shard_index(&key)
    );
    assert!(message.contains(&shard), "{message}");
}

#[test]
fn writing_while_holding_a_read_guard_of_the_shard_panics() {
    let map = sessions();
    let shared = Arc::clone(&map);
    let message = panic_within_bound(move || {
        let _guard = shared.read(&3u64);
        shared.insert(neighbour(&shared, 3), 0);
    });
    assert_names_the_shard(&message, &map, 3);
    // The panic released the guard: the map is usable.
    map.insert(3, 33);
    assert_eq!(map.get(&3), Some(33));
}

#[test]
fn touching_the_shard_inside_get_with_panics() {
    let map = sessions();
    let shared = Arc::clone(&map);
    let message = panic_within_bound(move || {
        shared.get_with(&5, |_| shared.remove(&neighbour(&shared, 5)));
    });
    assert_names_the_shard(&message, &map, 5);
    assert_eq!(map.get(&5), Some(5));
}

#[test]
fn touching_the_shard_inside_update_panics() {
    let map = sessions();
    let shared = Arc::clone(&map);
    let message = panic_within_bound(move || {
        shared.update(&7, |v| *v = shared.get(&7).unwrap_or(0));
    });
    assert_names_the_shard(&message, &map, 7);
    assert_eq!(map.update(&7, |v| *v), Some(7));
}

#[test]
fn every_key_method_checks_the_shard() {
    type Case = fn(&Sessions, u64);
    let cases: [(&str, Case); 16] = [
        ("get", |m, k| assert!(m.get(&k).is_some())),
        ("entry", |m, k| drop(m.entry(k))),
        ("get_mut", |m, k| assert!(m.get_mut(&k).is_some())),
        ("remove_if", |m, k| {
            assert!(m.remove_if(&k, |_, _| false).is_none())
        }),
        ("contains_key", |m, k| assert!(m.contains_key(&k))),
        ("insert", |m, k| assert!(m.insert(k, 0).is_some())),
        ("remove", |m, k| assert!(m.remove(&k).is_some())),
        ("update", |m, k| assert!(m.update(&k, |_| ()).is_some())),
        ("get_or_insert_with", |m, k| {
            m.get_or_insert_with(k, || 0, |_| ())
        }),
        ("read", |m, k| drop(m.read(&k))),
        ("write", |m, k| drop(m.write(&k))),
        ("with_read", |m, k| m.with_read(&k, |_| ())),
        ("with_write", |m, k| m.with_write(&k, |_| ())),
        ("len", |m, _| assert_ne!(m.len(), 0)),
        ("for_each", |m, _| m.for_each(|_, _| ())),
        ("retain", |m, _| m.retain(|_, _| true)),
    ];
    let map = sessions();
    for (name, case) in cases {
        let shared = Arc::clone(&map);
        let message = panic_within_bound(move || {
            let _guard = shared.write(&11u64);
            case(&shared, neighbour(&shared, 11));
        });
        assert!(message.contains("is already held"), "{name}: {message}");
    }
}

#[test]
fn a_hand_made_shards_names_itself_and_other_shards_stay_free() {
    let plain: Arc<ShardedMap<HashMap<u64, u64>, Mutex, 4>> = Arc::new(ShardedMap::new());
    let shared = Arc::clone(&plain);
    let message = panic_within_bound(move || {
        let _guard = shared.write(&1u64);
        shared.insert(1, 1);
    });
    assert!(message.contains("`Shards` shard"), "{message}");
    // Holding one shard, another shard is free to take (no false alarm).
    let other = (0u64..)
        .find(|k| plain.shard_index(k) != plain.shard_index(&1u64))
        .unwrap();
    let _guard = plain.write(&1u64);
    plain.insert(other, 2);
    assert_eq!(plain.get(&other), Some(2));
}

/// Every guard the entry API hands out is a guard of the shard: holding one, this thread
/// touching the same shard panics, naming it. The guard is released by the panic.
#[test]
fn touching_the_shard_while_an_entry_or_value_guard_lives_panics() {
    /// Anything held until it drops (a `dyn Any` would have to be `'static`).
    trait Held {}
    impl<T> Held for T {}
    type Hold = fn(&Sessions, u64) -> Box<dyn Held + '_>;
    let holds: [(&str, Hold); 5] = [
        ("an occupied entry", |m, k| Box::new(m.entry(k))),
        ("a vacant entry", |m, k| {
            m.remove(&k);
            Box::new(m.entry(k))
        }),
        ("or_insert's guard", |m, k| {
            Box::new(m.entry(k).or_insert(0))
        }),
        ("or_default's guard", |m, k| {
            Box::new(m.entry(k).or_default())
        }),
        ("get_mut's guard", |m, k| Box::new(m.get_mut(&k).unwrap())),
    ];
    let map = sessions();
    for (what, hold) in holds {
        let shared = Arc::clone(&map);
        let message = panic_within_bound(move || {
            let _held = hold(&shared, 13);
            shared.get(&neighbour(&shared, 13));
        });
        assert_names_the_shard(&message, &map, 13);
        assert!(
            map.try_write(&13u64).is_some(),
            "{what}: the panic released the shard"
        );
    }
    // Holding one, other shards are free.
    let other = (1_000u64..)
        .find(|k| map.shard_index(k) != map.shard_index(&13u64))
        .unwrap();
    let mut value = map.entry(13).or_insert(0);
    *value += 1;
    assert_eq!(map.insert(other, 1), None);
    drop(value);
}

#[test]
fn touching_the_shard_inside_or_insert_with_panics() {
    let map = sessions();
    let shared = Arc::clone(&map);
    let message = panic_within_bound(move || {
        shared
            .entry(1_000)
            .or_insert_with(|| shared.get(&neighbour(&shared, 1_000)).unwrap_or(0));
    });
    assert_names_the_shard(&message, &map, 1_000);
    assert!(
        !map.contains_key(&1_000),
        "a panicking make inserts nothing"
    );
}

#[test]
fn touching_the_shard_inside_remove_if_panics() {
    let map = sessions();
    let shared = Arc::clone(&map);
    let message = panic_within_bound(move || {
        shared.remove_if(&9, |_, _| shared.contains_key(&9));
    });
    assert_names_the_shard(&message, &map, 9);
    assert_eq!(map.get(&9), Some(9), "nothing was removed");
}
