//! Taking a shard this thread already holds panics in debug builds, naming the type and the
//! shard, instead of deadlocking: from a held guard, and from inside the closures of
//! `get_with` and `update`. A missing check would hang, so each case runs on its own thread
//! and the test waits for it with a generous bound: a hang fails the test instead of
//! hanging it (no timing is asserted).
#![cfg(debug_assertions)]

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

use crate::mode::{Mutex, Rw};
use crate::sharded::{PrehashedMap, Shards};

const BOUND: Duration = Duration::from_secs(30);

type Sessions = Shards<PrehashedMap<u64, u64>, Rw, 8>;

fn sessions() -> &'static Sessions {
    let map: Sessions = Shards::new().labeled("app::Sessions");
    let map = Box::leak(Box::new(map));
    for k in 0..64 {
        map.insert(k, k);
    }
    map
}

/// A key other than `key` in the same shard of `map`.
fn neighbour(map: &Sessions, key: u64) -> u64 {
    (key + 1..)
        .find(|k| map.shard_index(k) == map.shard_index(&key))
        .unwrap()
}

/// Runs `case` on a thread of its own; returns its panic message, or fails if it returned
/// without panicking or did not finish within `BOUND`.
fn panic_within_bound(case: impl FnOnce() + Send + 'static) -> String {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = catch_unwind(AssertUnwindSafe(case)).map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "a panic without a message".to_owned())
        });
        let _ = tx.send(outcome);
    });
    match rx.recv_timeout(BOUND) {
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
    let message = panic_within_bound(move || {
        let _guard = map.read(&3u64);
        map.insert(neighbour(map, 3), 0);
    });
    assert_names_the_shard(&message, map, 3);
    // The panic released the guard: the map is usable.
    map.insert(3, 33);
    assert_eq!(map.get(&3), Some(33));
}

#[test]
fn touching_the_shard_inside_get_with_panics() {
    let map = sessions();
    let message = panic_within_bound(move || {
        map.get_with(&5, |_| map.remove(&neighbour(map, 5)));
    });
    assert_names_the_shard(&message, map, 5);
    assert_eq!(map.get(&5), Some(5));
}

#[test]
fn touching_the_shard_inside_update_panics() {
    let map = sessions();
    let message = panic_within_bound(move || {
        map.update(&7, |v| *v = map.get(&7).unwrap_or(0));
    });
    assert_names_the_shard(&message, map, 7);
    assert_eq!(map.update(&7, |v| *v), Some(7));
}

#[test]
fn every_key_method_checks_the_shard() {
    let map = sessions();
    let cases: Vec<(&str, Box<dyn Fn(u64) + Send>)> = vec![
        (
            "get",
            Box::new(move |k| {
                let _ = map.get(&k);
            }),
        ),
        (
            "contains_key",
            Box::new(move |k| {
                let _ = map.contains_key(&k);
            }),
        ),
        (
            "insert",
            Box::new(move |k| {
                let _ = map.insert(k, 0);
            }),
        ),
        (
            "remove",
            Box::new(move |k| {
                let _ = map.remove(&k);
            }),
        ),
        (
            "update",
            Box::new(move |k| {
                let _ = map.update(&k, |_| ());
            }),
        ),
        (
            "get_or_insert_with",
            Box::new(move |k| map.get_or_insert_with(k, || 0, |_| ())),
        ),
        ("read", Box::new(move |k| drop(map.read(&k)))),
        ("write", Box::new(move |k| drop(map.write(&k)))),
        ("with_read", Box::new(move |k| map.with_read(&k, |_| ()))),
        ("with_write", Box::new(move |k| map.with_write(&k, |_| ()))),
        (
            "len",
            Box::new(move |_| {
                let _ = map.len();
            }),
        ),
        ("for_each", Box::new(move |_| map.for_each(|_, _| ()))),
        ("retain", Box::new(move |_| map.retain(|_, _| true))),
    ];
    for (name, case) in cases {
        let message = panic_within_bound(move || {
            let _guard = map.write(&11u64);
            case(neighbour(map, 11));
        });
        assert!(message.contains("is already held"), "{name}: {message}");
    }
}

#[test]
fn a_hand_made_shards_names_itself_and_other_shards_stay_free() {
    let plain: &'static Shards<HashMap<u64, u64>, Mutex, 4> = Box::leak(Box::new(Shards::new()));
    let message = panic_within_bound(move || {
        let _guard = plain.write(&1u64);
        plain.insert(1, 1);
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
