//! `#[sharded(N)]`: DESIGN.md §3 through the macro. (The runtime's own tests and its
//! property test, `runtime/tests/sharded_model.rs`, cover `Shards` in finer detail; the
//! property test also runs a `#[sharded]` type against a `HashMap`, there rather than here
//! so that proptest stays out of the facade's dev-dependencies, which every `cargo run
//! --example` builds.) A hang fails through a bounded wait.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use lockwise::sharded::Entry;
use lockwise::{PrehashedMap, sharded};

#[derive(Debug, Clone, PartialEq)]
struct Session {
    user: String,
    hits: u32,
}

/// The DESIGN's example: one map field and per-shard state.
#[sharded(16)]
#[derive(Debug, Default)]
struct Sessions {
    map: HashMap<u64, Session>,
    evictions: u64,
}

fn session(user: &str) -> Session {
    Session {
        user: user.to_owned(),
        hits: 0,
    }
}

#[test]
fn the_map_methods_work_like_a_map() {
    let sessions = Sessions::new();
    assert_eq!(sessions.shard_count(), 16);
    assert!(sessions.is_empty());
    assert_eq!(sessions.insert(1, session("ada")), None);
    assert_eq!(sessions.insert(2, session("bob")), None);
    assert_eq!(sessions.get(&1).map(|s| s.user), Some("ada".into()));
    assert_eq!(sessions.get_with(&2, |s| s.user.len()), Some(3));
    assert!(sessions.contains_key(&2) && !sessions.contains_key(&3));
    assert_eq!(sessions.update(&1, |s| s.hits += 1), Some(()));
    assert_eq!(sessions.update(&3, |s| s.hits += 1), None);
    let hits = sessions.get_or_insert_with(
        3,
        || session("cy"),
        |s| {
            s.hits += 5;
            s.hits
        },
    );
    assert_eq!(hits, 5);
    assert_eq!(sessions.len(), 3);
    sessions.retain(|_, s| s.hits > 0);
    let mut left: Vec<u64> = sessions.to_vec().into_iter().map(|(k, _)| k).collect();
    left.sort();
    assert_eq!(left, [1, 3]);
    let mut visited = 0;
    sessions.for_each(|_, _| visited += 1);
    assert_eq!(visited, 2);
    assert_eq!(sessions.remove(&1).map(|s| s.user), Some("ada".into()));
    // Per-shard state beside the map.
    sessions.with_write(&3, |shard| shard.evictions += 1);
    let mut evictions = 0;
    sessions.for_each_shard(|shard| evictions += shard.evictions);
    assert_eq!(evictions, 1);
    sessions.clear();
    assert!(sessions.is_empty());
}

/// What dashmap users reach for first (issue 26): `entry`, `get_mut`, `remove_if` and
/// capacity, through the generated wrapper.
#[test]
fn entry_get_mut_and_remove_if_work_through_the_wrapper() {
    let sessions = Sessions::with_capacity(160);
    sessions.for_each_shard(|shard| {
        assert!(shard.map.capacity() >= 10, "each shard gets 160 / 16");
        assert_eq!(shard.evictions, 0, "the other fields are Default");
    });
    // The counting idiom: `or_insert` on a vacant then an occupied key.
    sessions.entry(1).or_insert_with(|| session("ada")).hits += 1;
    sessions.entry(1).or_insert_with(|| unreachable!()).hits += 1;
    sessions
        .entry(1)
        .and_modify(|s| s.hits += 1)
        .or_insert(session("x"));
    assert_eq!(sessions.get(&1).map(|s| s.hits), Some(3));
    match sessions.entry(2) {
        Entry::Occupied(_) => panic!("2 is not there"),
        Entry::Vacant(slot) => slot.insert(session("bob")).hits = 7,
    }
    if let Entry::Occupied(mut bob) = sessions.entry(2) {
        assert_eq!(bob.get().user, "bob");
        bob.get_mut().hits += 1;
    }
    assert_eq!(sessions.get(&2).map(|s| s.hits), Some(8));
    // get_mut: a guard of one value.
    sessions.get_mut(&2).expect("bob is there").user.push('!');
    assert!(sessions.get_mut(&3).is_none());
    assert_eq!(sessions.get(&2).map(|s| s.user), Some("bob!".into()));
    // remove_if: on a condition, under one lock.
    assert_eq!(sessions.remove_if(&2, |_, s| s.hits == 0), None);
    assert_eq!(
        sessions
            .remove_if(&2, |k, s| *k == 2 && s.hits == 8)
            .map(|s| s.user),
        Some("bob!".into())
    );
    assert_eq!(sessions.len(), 1);
    sessions.shrink_to_fit();
    sessions.for_each_shard(|shard| assert!(shard.map.capacity() < 10));
    assert_eq!(sessions.get(&1).map(|s| s.hits), Some(3));
}

/// A `PrehashedMap` field and a `BTreeMap` field have the entry API too; a `HashSet` field
/// gets `with_capacity` (a `BTreeMap` has none: `tests/ui/sharded/no_capacity_for_btree.rs`).
#[sharded(8)]
#[derive(Default)]
struct Scores {
    map: PrehashedMap<String, u32>,
}

#[sharded(4)]
#[derive(Default)]
struct Ordered {
    map: BTreeMap<u32, Vec<u32>>,
}

#[sharded(4)]
#[derive(Default)]
struct Visitors {
    seen: HashSet<u64>,
}

#[test]
fn every_map_kind_has_the_entry_api() {
    let scores = Scores::with_capacity(80);
    scores.for_each_shard(|shard| assert!(shard.map.capacity() >= 10));
    *scores.entry("ada".into()).or_default() += 2;
    *scores.entry("ada".into()).or_insert(0) += 3;
    assert_eq!(scores.get("ada"), Some(5));
    *scores.get_mut("ada").unwrap() *= 2;
    assert_eq!(scores.remove_if("ada", |_, s| *s == 10), Some(10));

    let ordered = Ordered::new();
    ordered.entry(1).or_default().push(1);
    ordered.entry(1).or_default().push(2);
    assert_eq!(ordered.get(&1), Some(vec![1, 2]));
    assert_eq!(ordered.remove_if(&1, |_, v| v.len() == 2), Some(vec![1, 2]));

    let visitors = Visitors::with_capacity(40);
    visitors.for_each_shard(|shard| assert!(shard.seen.capacity() >= 10));
    assert!(visitors.insert(1));
    visitors.shrink_to_fit();
    assert!(visitors.contains(&1));
}

/// dashmap's counting idiom from eight threads: `entry(k).or_insert(0)` += 1, 10,000 times
/// each, on keys every thread shares. Every increment lands.
#[test]
fn entries_from_eight_threads_add_up() {
    let counts = Scores::new();
    let keys: Vec<String> = (0..32).map(|k| format!("key-{k}")).collect();
    thread::scope(|s| {
        for t in 0..8 {
            let (counts, keys) = (&counts, &keys);
            s.spawn(move || {
                for i in 0..10_000 {
                    *counts
                        .entry(keys[(t + i) % keys.len()].clone())
                        .or_insert(0) += 1;
                }
            });
        }
    });
    let mut total = 0;
    counts.for_each(|_, n| total += n);
    assert_eq!(total, 80_000);
    assert_eq!(counts.len(), 32);
}

const THREADS: u64 = 8;
const PER_THREAD: u64 = if cfg!(miri) { 20 } else { 2_000 };

#[test]
fn eight_threads_inserting_disjoint_keys_lose_nothing() {
    let sessions = Sessions::new();
    thread::scope(|s| {
        for t in 0..THREADS {
            let sessions = &sessions;
            s.spawn(move || {
                for i in 0..PER_THREAD {
                    assert!(sessions.insert(t * PER_THREAD + i, session("u")).is_none());
                }
            });
        }
    });
    assert_eq!(sessions.len() as u64, THREADS * PER_THREAD);
    for key in 0..THREADS * PER_THREAD {
        assert!(sessions.contains_key(&key), "key {key} was lost");
    }
}

#[test]
fn concurrent_inserts_removes_and_updates_stay_consistent() {
    let sessions = Sessions::new();
    let net_inserted = AtomicUsize::new(0);
    thread::scope(|s| {
        for t in 0..4u64 {
            let (sessions, net) = (&sessions, &net_inserted);
            s.spawn(move || {
                for i in 0..PER_THREAD {
                    // Each thread owns the keys ≡ t (mod 4): its count is exact.
                    let key = (i % 64) * 4 + t;
                    match i % 3 {
                        0 => {
                            if sessions.insert(key, session("x")).is_none() {
                                net.fetch_add(1, Ordering::SeqCst);
                            }
                        }
                        1 => {
                            if sessions.remove(&key).is_some() {
                                net.fetch_sub(1, Ordering::SeqCst);
                            }
                        }
                        _ => {
                            sessions.update(&key, |s| s.hits += 1);
                        }
                    }
                }
            });
        }
    });
    let expected = net_inserted.into_inner();
    assert_eq!(sessions.len(), expected);
    assert_eq!(sessions.to_vec().len(), expected);
}

#[test]
fn keys_spread_over_every_shard() {
    // 16,384 keys over 16 shards: 1,024 expected per shard, with a standard deviation of
    // about 31 for a good hash. A bound of ±40% (615..=1,433) is 13 standard deviations:
    // a fair hash never fails it, and a hash that ignores some bits (or a wrong shift)
    // leaves shards empty or doubled. The keys are scattered by a fixed xorshift, not
    // `0..16_384`: foldhash's fast hash spreads sequential integers unevenly under about 1
    // process seed in 1,000 (see `runtime/src/sharded/hasher.rs`), so that test flaked.
    let sessions = Sessions::new();
    let mut per_shard = [0usize; 16];
    let mut key = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..16_384 {
        key ^= key << 13;
        key ^= key >> 7;
        key ^= key << 17;
        per_shard[sessions.shard_index(&key)] += 1;
    }
    for (shard, count) in per_shard.iter().enumerate() {
        assert!(
            (615..=1_433).contains(count),
            "shard {shard} got {count} of 16384 keys: {per_shard:?}"
        );
    }
}

/// The panic message of `f` on a thread of its own, or a failure if it did not panic or
/// hung (a missed re-entry check deadlocks).
#[cfg(debug_assertions)]
fn reentry_panics(f: impl FnOnce() + Send + 'static) -> String {
    use std::sync::mpsc;
    use std::time::Duration;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let outcome = catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default()
        });
        let _ = tx.send(outcome);
    });
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(Err(message)) => message,
        Ok(Ok(())) => panic!("the re-entry was not refused"),
        Err(_) => panic!("the same-shard re-entry hung instead of panicking"),
    }
}

/// dashmap's worst footgun (its issues #74, #233, #369): a thread that holds a shard and
/// writes to the same shard deadlocks. Debug builds panic at once, naming type and shard.
#[cfg(debug_assertions)]
#[test]
fn same_shard_reentry_panics_instead_of_deadlocking() {
    let sessions = Arc::new(Sessions::new());
    sessions.insert(1, session("ada"));
    let from_read = {
        let sessions = Arc::clone(&sessions);
        reentry_panics(move || {
            let _guard = sessions.read(&1u64);
            sessions.insert(1, session("bob"));
        })
    };
    let shard = sessions.shard_index(&1u64);
    assert!(
        from_read.contains(&format!("`Sessions` (sharded::Sessions) shard {shard}")),
        "{from_read}"
    );
    assert!(
        from_read.contains("already held by this thread"),
        "{from_read}"
    );
    let from_get_with = {
        let sessions = Arc::clone(&sessions);
        reentry_panics(move || {
            sessions.get_with(&1, |_| sessions.remove(&1));
        })
    };
    assert!(from_get_with.contains("already held"), "{from_get_with}");
    let from_update = {
        let sessions = Arc::clone(&sessions);
        reentry_panics(move || {
            sessions.update(&1, |_| sessions.get(&1));
        })
    };
    assert!(from_update.contains("already held"), "{from_update}");
    // An entry, and the value guard it turns into, hold the shard the same way.
    let from_entry = {
        let sessions = Arc::clone(&sessions);
        reentry_panics(move || {
            let _entry = sessions.entry(1);
            sessions.get(&1);
        })
    };
    assert!(
        from_entry.contains(&format!("`Sessions` (sharded::Sessions) shard {shard}")),
        "{from_entry}"
    );
    let from_value = {
        let sessions = Arc::clone(&sessions);
        reentry_panics(move || {
            let mut value = sessions.entry(1).or_insert_with(|| session("bob"));
            value.hits += 1;
            sessions.contains_key(&1);
        })
    };
    assert!(from_value.contains("already held"), "{from_value}");
    let from_get_mut = {
        let sessions = Arc::clone(&sessions);
        reentry_panics(move || {
            let _value = sessions.get_mut(&1);
            sessions.remove_if(&1, |_, _| true);
        })
    };
    assert!(from_get_mut.contains("already held"), "{from_get_mut}");
    // Nothing stayed locked, and the entry is intact (the value guard's change stays: it
    // was made before the panic).
    assert_eq!(sessions.get(&1).map(|s| s.user), Some("ada".into()));
}

/// Runs `f`, which must panic, and returns where the panic says it happened: the file and
/// line a panic hook sees (`PanicHookInfo::location`). The hook records the location for the
/// panicking thread and hands every panic on to the hook before it.
#[cfg(debug_assertions)]
fn panic_location(f: impl FnOnce()) -> (String, u32) {
    use std::cell::RefCell;
    use std::sync::Once;

    thread_local! {
        static LAST: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
    }
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(at) = info.location() {
                LAST.with(|last| *last.borrow_mut() = Some((at.file().to_owned(), at.line())));
            }
            previous(info);
        }));
    });
    assert!(
        catch_unwind(AssertUnwindSafe(f)).is_err(),
        "it did not panic"
    );
    LAST.with(|last| last.borrow_mut().take())
        .expect("the hook saw the panic")
}

/// `#[track_caller]` runs from the user's call through `Deref` and the runtime's layers to
/// the check that panics: a same-shard re-entry names the line that re-entered, in the
/// user's file, not a line of `runtime/src`. Through each runtime type the wrapper
/// dereferences to: a `ShardedMap` method, a `Shards` key guard (two `Deref`s away), a
/// closure form, and the `Shards` of a `key = Type` struct.
#[cfg(debug_assertions)]
#[test]
fn a_reentry_panic_points_at_the_users_line() {
    let sessions = Sessions::new();
    sessions.insert(1, session("ada"));
    let line = std::cell::Cell::new(0);
    let at = panic_location(|| {
        let _guard = sessions.read(&1u64);
        line.set(line!() + 1);
        sessions.insert(1, session("bob"));
    });
    assert_eq!(at, (file!().to_owned(), line.get()), "from `insert`");
    let at = panic_location(|| {
        let _guard = sessions.read(&1u64);
        line.set(line!() + 1);
        let _ = sessions.write(&1u64);
    });
    assert_eq!(at, (file!().to_owned(), line.get()), "from `write`");
    let at = panic_location(|| {
        sessions.with_read(&1, |_| {
            line.set(line!() + 1);
            sessions.with_write(&1, |_| ());
        });
    });
    assert_eq!(at, (file!().to_owned(), line.get()), "from `with_write`");
    let at = panic_location(|| {
        let _guard = sessions.read(&1u64);
        line.set(line!() + 1);
        let _ = sessions.entry(1);
    });
    assert_eq!(at, (file!().to_owned(), line.get()), "from `entry`");
    let at = panic_location(|| {
        let _value = sessions.entry(1).or_insert_with(|| session("bob"));
        line.set(line!() + 1);
        let _ = sessions.get_mut(&1);
    });
    assert_eq!(at, (file!().to_owned(), line.get()), "from `get_mut`");
    let counters = Counters::new();
    let at = panic_location(|| {
        let _guard = counters.write(&7);
        line.set(line!() + 1);
        let _ = counters.read(&7);
    });
    assert_eq!(at, (file!().to_owned(), line.get()), "from `key = Type`");
}

/// Counts drops, so a double drop or a leak shows.
#[derive(Debug)]
struct Tracked(Arc<AtomicUsize>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[sharded(8)]
#[derive(Default)]
struct Objects {
    map: HashMap<u32, Tracked>,
}

#[test]
fn a_panic_in_a_closure_leaves_the_map_usable_and_drops_nothing_twice() {
    let drops = Arc::new(AtomicUsize::new(0));
    let objects = Objects::new();
    objects.insert(1, Tracked(Arc::clone(&drops)));
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        objects.update(&1, |_| panic!("user code fails"));
    }));
    assert!(panicked.is_err());
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        objects.get_or_insert_with(2, || panic!("cannot make it"), |_| ());
    }));
    assert!(panicked.is_err());
    assert!(!objects.contains_key(&2), "nothing half-inserted");
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        objects.get_or_insert_with(
            3,
            || Tracked(Arc::clone(&drops)),
            |_| panic!("after insert"),
        );
    }));
    assert!(panicked.is_err());
    assert_eq!(objects.len(), 2, "the value made before the panic stays");
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(objects);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        2,
        "each value dropped exactly once"
    );
}

/// A key whose hash is constant sends every key to one shard (and one bucket): still
/// correct, only slower.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hostile(u32);

impl Hash for Hostile {
    fn hash<H: Hasher>(&self, state: &mut H) {
        0u8.hash(state);
    }
}

#[sharded(8)]
#[derive(Default)]
struct Crowded {
    map: HashMap<Hostile, u32>,
}

#[test]
fn a_hostile_hash_still_works() {
    let crowded = Crowded::new();
    for i in 0..200 {
        crowded.insert(Hostile(i), i);
    }
    let shards: HashSet<usize> = (0..200).map(|i| crowded.shard_index(&Hostile(i))).collect();
    assert_eq!(shards.len(), 1);
    assert_eq!(crowded.len(), 200);
    assert_eq!(crowded.get(&Hostile(123)), Some(123));
}

/// A set field gets the set methods; `shard = Name` renames the state.
#[sharded(4, shard = SeenPart)]
#[derive(Default, Debug)]
struct Seen {
    ids: BTreeSet<String>,
}

#[test]
fn a_set_field_gets_the_set_methods() {
    let seen = Seen::new();
    assert!(seen.insert("a".to_owned()));
    assert!(!seen.insert("a".to_owned()));
    assert!(seen.contains("a"), "std's Borrow lookup: &str for String");
    assert_eq!(seen.len(), 1);
    assert!(seen.remove("a"));
    assert!(seen.is_empty());
    let _: Vec<SeenPart> = seen.into_inner();
}

/// Without a map field, `key = Type` names the key: the key guards only.
#[sharded(8, key = u64)]
#[derive(Default)]
struct Counters {
    hits: u64,
}

#[test]
fn key_type_without_a_map_gives_the_key_guards() {
    let mut counters = Counters::from_fn(|shard| CountersShard { hits: shard as u64 });
    counters.write(&42u64).hits += 100;
    let mut total = 0;
    counters.for_each_shard(|shard| total += shard.hits);
    assert_eq!(total, (0..8).sum::<u64>() + 100);
    for shard in counters.shards_mut() {
        shard.hits = 0;
    }
    assert!(counters.into_inner().iter().all(|s| s.hits == 0));
}

/// Generic shard states work.
#[sharded(2)]
#[derive(Default)]
struct Cache<K: Hash + Eq, V> {
    map: HashMap<K, V>,
}

#[test]
fn generic_shard_states_work() {
    let cache: Cache<String, Vec<u8>> = Cache::new();
    cache.insert("k".into(), vec![1]);
    assert_eq!(cache.get("k"), Some(vec![1]));
    let cache: Cache<String, Vec<u8>> = Cache::with_capacity(8);
    cache.entry("k".into()).or_default().push(2);
    assert_eq!(cache.get("k"), Some(vec![2]));
}

/// `Debug` never waits: a shard held elsewhere prints as `<locked>`.
#[test]
fn debug_never_waits() {
    let sessions = Sessions::new();
    sessions.insert(7, session("ada"));
    let text = thread::scope(|s| {
        let guard = sessions.write(&7u64);
        let text = s.spawn(|| format!("{sessions:?}")).join().unwrap();
        drop(guard);
        text
    });
    assert!(text.starts_with("Sessions"), "{text}");
    assert!(text.contains("<locked>"), "{text}");
    assert!(format!("{sessions:?}").contains("ada"));
}
