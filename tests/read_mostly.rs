//! `#[guarded(read_mostly)]`: read-copy-update. Snapshots never change, readers never see
//! a torn state, writers never lose an update, a panicking writer publishes nothing, and
//! every version of the state is dropped exactly once.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

use common::hold_elsewhere;
use lockwise::guarded;

mod common;

/// Two fields a writer always changes together.
#[guarded(read_mostly)]
#[derive(Debug, Default, Clone, PartialEq)]
struct Pair {
    left: u64,
    right: u64,
}

#[guarded(read_mostly)]
#[derive(Debug, Default, Clone)]
struct Registry {
    handlers: BTreeMap<String, u32>,
}

#[test]
fn a_held_snapshot_never_changes() {
    let pair = Pair::default();
    let before = pair.read();
    pair.with_write(|p| {
        p.left = 1;
        p.right = 1;
    });
    *pair.write() = PairState { left: 2, right: 2 };
    assert_eq!(*before, PairState { left: 0, right: 0 });
    assert_eq!(*pair.read(), PairState { left: 2, right: 2 });
    // A write in progress is not visible either.
    let mut staged = pair.write();
    staged.left = 3;
    assert_eq!(pair.read().left, 2);
    drop(staged);
    assert_eq!(pair.read().left, 3);
}

#[test]
fn readers_never_observe_a_torn_state() {
    const READERS: usize = 3;
    const WRITES: u64 = 1_000;
    let pair = Pair::default();
    let done = AtomicBool::new(false);
    let reads = AtomicUsize::new(0);
    let torn = AtomicUsize::new(0);
    // Returns once a whole read has run since the call: a reader in the middle of a read
    // finishes it (at most one per reader), so `READERS + 1` more reads include one that
    // began after the call. This puts a read inside each window below whatever the
    // scheduler does, instead of hoping one lands there over many writes.
    let overlap_a_read = || {
        let start = reads.load(Ordering::SeqCst);
        while reads.load(Ordering::SeqCst) < start + READERS + 1 {
            thread::yield_now();
        }
    };
    thread::scope(|s| {
        for _ in 0..READERS {
            s.spawn(|| {
                while !done.load(Ordering::SeqCst) {
                    // Counted, not asserted: a reader that panicked would stop reading, and
                    // the writer would wait for its reads forever.
                    let snapshot = pair.read();
                    let seen_torn =
                        snapshot.left != snapshot.right || pair.with_read(|p| p.left != p.right);
                    drop(snapshot);
                    torn.fetch_add(usize::from(seen_torn), Ordering::SeqCst);
                    reads.fetch_add(1, Ordering::SeqCst);
                    // Three readers on two cores: leave the writer a turn.
                    thread::yield_now();
                }
            });
        }
        for write in 1..=WRITES {
            let mut staged = pair.write();
            staged.left = write;
            // The copy is torn now: a reader runs while it is.
            overlap_a_read();
            staged.right = write;
            // And after the last change, before the drop: nothing is published early.
            overlap_a_read();
        }
        done.store(true, Ordering::SeqCst);
    });
    assert_eq!(torn.load(Ordering::SeqCst), 0, "a reader saw half a write");
    assert_eq!(
        *pair.read(),
        PairState {
            left: WRITES,
            right: WRITES
        }
    );
}

#[test]
fn concurrent_writers_lose_no_update() {
    const WRITERS: u64 = 6;
    const ROUNDS: u64 = 300;
    let pair = Pair::default();
    thread::scope(|s| {
        for w in 0..WRITERS {
            let pair = &pair;
            s.spawn(move || {
                for round in 0..ROUNDS {
                    match round % 3 {
                        0 => pair.with_write(|p| p.left += 1),
                        1 => pair.write().left += 1,
                        _ => loop {
                            if let Some(mut p) = pair.try_write() {
                                p.left += 1;
                                break;
                            }
                            thread::yield_now();
                        },
                    }
                    pair.with_write(|p| p.right += w);
                }
            });
        }
    });
    let state = pair.into_inner();
    assert_eq!(state.left, WRITERS * ROUNDS);
    assert_eq!(state.right, ROUNDS * (0..WRITERS).sum::<u64>());
}

#[test]
fn a_writer_that_panics_publishes_nothing() {
    let pair = Pair::new(PairState { left: 1, right: 1 });
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut staged = pair.write();
        staged.left = 99;
        panic!("the writer fails halfway");
    }));
    assert!(result.is_err());
    assert_eq!(*pair.read(), PairState { left: 1, right: 1 });
    let result = catch_unwind(AssertUnwindSafe(|| {
        pair.with_write(|p| {
            p.right = 99;
            panic!("inside the closure form");
        })
    }));
    assert!(result.is_err());
    assert_eq!(*pair.read(), PairState { left: 1, right: 1 });
    // The writer lock was released: the next write goes through.
    pair.write().left = 2;
    assert_eq!(pair.read().left, 2);
}

#[test]
fn a_guard_made_while_unwinding_still_publishes() {
    struct WriteOnDrop<'a>(&'a Pair);
    impl Drop for WriteOnDrop<'_> {
        fn drop(&mut self) {
            // Cleanup code that runs during a panic may write: that write is not the
            // one that panicked, so it must be published.
            self.0.write().left = 7;
        }
    }
    let pair = Pair::default();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let _cleanup = WriteOnDrop(&pair);
        panic!("something else fails");
    }));
    assert!(result.is_err());
    assert_eq!(pair.read().left, 7);
}

#[test]
fn a_reader_may_write_while_holding_a_snapshot() {
    let registry = Registry::default();
    let snapshot = registry.read();
    registry.write().handlers.insert("ping".into(), 1); // no deadlock: readers block no one
    assert!(snapshot.handlers.is_empty());
    assert_eq!(registry.read().handlers["ping"], 1);
}

#[test]
fn writers_queue_but_readers_never_wait() {
    let registry = Registry::default();
    thread::scope(|s| {
        let release = hold_elsewhere(s, || {
            let mut staged = registry.write();
            staged.handlers.insert("slow".into(), 1);
            staged
        });
        assert!(registry.try_write().is_none(), "one writer at a time");
        assert!(registry.try_read().is_some(), "reads never wait");
        assert!(registry.read().handlers.is_empty(), "not yet published");
        release.send(()).unwrap();
    });
    assert_eq!(registry.read().handlers["slow"], 1);
}

/// Counts clones and drops of the state, so that each version can be seen to be dropped
/// exactly once.
#[derive(Debug)]
struct Tracked {
    counts: Arc<Counts>,
    value: u64,
}

#[derive(Debug, Default)]
struct Counts {
    created: AtomicUsize,
    dropped: AtomicUsize,
}

impl Tracked {
    fn new(counts: &Arc<Counts>, value: u64) -> Self {
        counts.created.fetch_add(1, Ordering::SeqCst);
        Tracked {
            counts: Arc::clone(counts),
            value,
        }
    }
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        Tracked::new(&self.counts, self.value)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.counts.dropped.fetch_add(1, Ordering::SeqCst);
    }
}

#[guarded(read_mostly)]
#[derive(Clone)]
struct Versioned {
    tracked: Tracked,
}

#[test]
fn every_version_is_dropped_exactly_once() {
    let counts = Arc::new(Counts::default());
    let versioned = Versioned::new(VersionedState {
        tracked: Tracked::new(&counts, 0),
    });
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..200 {
                    let snapshot = versioned.read();
                    assert!(snapshot.tracked.value <= 400);
                }
            });
        }
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..200 {
                    versioned.with_write(|v| v.tracked.value += 1);
                }
            });
        }
    });
    let _ = catch_unwind(AssertUnwindSafe(|| {
        versioned.with_write(|_| panic!("discarded copy"));
    }));
    let mut versioned = versioned;
    versioned.get_mut().tracked.value += 1;
    let copy = versioned.snapshot();
    assert_eq!(copy.tracked.value, 401);
    drop(copy);
    // Every change works on a clone: one for the first version, one per write (the
    // panicked one too), one for get_mut, one for snapshot().
    let created = counts.created.load(Ordering::SeqCst);
    assert_eq!(created, 1 + 400 + 1 + 1 + 1);
    let state = versioned.into_inner();
    assert_eq!(state.tracked.value, 401);
    drop(state);
    assert_eq!(
        counts.dropped.load(Ordering::SeqCst),
        counts.created.load(Ordering::SeqCst),
        "a version leaked or was dropped twice"
    );
}

#[test]
fn try_forms_and_debug() {
    let registry = Registry::default();
    registry.write().handlers.insert("a".into(), 1);
    assert_eq!(registry.try_read().unwrap().handlers.len(), 1);
    assert_eq!(
        registry
            .try_read_for(std::time::Duration::from_millis(1))
            .unwrap()
            .handlers
            .len(),
        1
    );
    let staged = registry.write();
    // Debug reads a snapshot, so a writer in progress does not make it print `<locked>`.
    assert_eq!(
        format!("{registry:?}"),
        r#"Registry { data: RegistryState { handlers: {"a": 1} } }"#
    );
    drop(staged);
}
