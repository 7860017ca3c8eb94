//! `#[guarded]` and `#[guarded(rw)]`, one lock around the whole struct: what DESIGN.md §2
//! promises, each as a test that fails if the promise breaks.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::hold_elsewhere;
use lockwise::{UpgradableReadGuard, guarded};

mod common;

/// Two counters that every writer bumps together, so every reader can check they agree.
#[guarded]
#[derive(Debug, Default, Clone, PartialEq)]
struct Counter {
    hits: u64,
    checks: u64,
}

#[guarded(rw)]
#[derive(Debug, Default, Clone, PartialEq)]
struct Table {
    rows: Vec<u64>,
    sum: u64,
}

const THREADS: u64 = 8;
const ROUNDS: u64 = 500;

#[test]
fn mutex_many_threads_mixing_guards_and_closures_lose_no_update() {
    let counter = Arc::new(Counter::default());
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for round in 0..ROUNDS {
                    match (t + round) % 4 {
                        0 => {
                            let mut state = counter.write();
                            state.hits += 1;
                            state.checks += 1;
                        }
                        1 => counter.with_write(|s| {
                            s.hits += 1;
                            s.checks += 1;
                        }),
                        2 => loop {
                            if let Some(mut state) = counter.try_write() {
                                state.hits += 1;
                                state.checks += 1;
                                break;
                            }
                            thread::yield_now();
                        },
                        _ => {
                            let mut state = counter
                                .try_write_for(Duration::from_secs(10))
                                .expect("the lock frees up well within 10 s");
                            state.hits += 1;
                            state.checks += 1;
                        }
                    }
                    let seen = counter.read();
                    assert_eq!(seen.hits, seen.checks, "a reader saw half an update");
                    drop(seen);
                    counter.with_read(|s| assert_eq!(s.hits, s.checks));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let total = THREADS * ROUNDS;
    assert_eq!(
        counter.snapshot(),
        CounterState {
            hits: total,
            checks: total
        }
    );
}

#[test]
fn rw_many_threads_mixing_guards_and_closures_lose_no_update() {
    let table = Arc::new(Table::default());
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                for round in 0..ROUNDS {
                    let value = t * ROUNDS + round;
                    if round % 2 == 0 {
                        let mut state = table.write();
                        state.rows.push(value);
                        state.sum += value;
                    } else {
                        // Check-then-act without a writer slipping in between.
                        let guard = table.upgradable_read();
                        let mut state = UpgradableReadGuard::upgrade(guard);
                        state.rows.push(value);
                        state.sum += value;
                    }
                    table.with_read(|s| assert_eq!(s.rows.iter().sum::<u64>(), s.sum));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let state = Arc::try_unwrap(table)
        .expect("workers are done")
        .into_inner();
    let n = THREADS * ROUNDS;
    assert_eq!(state.rows.len() as u64, n);
    assert_eq!(state.sum, n * (n - 1) / 2);
}

#[test]
fn rw_readers_overlap_and_exclude_writers() {
    let table = Table::default();
    thread::scope(|s| {
        let release = hold_elsewhere(s, || table.read());
        // A second reader gets in while the first holds its guard...
        assert!(table.try_read().is_some());
        assert!(table.try_read_for(Duration::from_millis(10)).is_some());
        // ...a writer does not.
        assert!(table.try_write().is_none());
        assert!(table.try_write_for(Duration::from_millis(10)).is_none());
        release.send(()).unwrap();
    });
    assert!(table.try_write().is_some());
}

#[test]
fn mutex_read_is_exclusive() {
    let counter = Counter::default();
    thread::scope(|s| {
        let release = hold_elsewhere(s, || counter.read());
        assert!(
            counter.try_read().is_none(),
            "mutex mode: read() takes the one lock"
        );
        assert!(counter.try_write().is_none());
        release.send(()).unwrap();
    });
    assert!(counter.try_read().is_some());
}

#[test]
fn timeouts_time_out() {
    let counter = Counter::default();
    let table = Table::default();
    let timeout = Duration::from_millis(30);
    thread::scope(|s| {
        let release = hold_elsewhere(s, || (counter.write(), table.write()));
        for attempt in [
            &(|| counter.try_read_for(timeout).is_none()) as &dyn Fn() -> bool,
            &|| counter.try_write_for(timeout).is_none(),
            &|| table.try_read_for(timeout).is_none(),
            &|| table.try_write_for(timeout).is_none(),
        ] {
            let started = Instant::now();
            assert!(
                attempt(),
                "the lock is held elsewhere: the attempt must fail"
            );
            assert!(
                started.elapsed() >= timeout,
                "it gave up before the timeout"
            );
        }
        release.send(()).unwrap();
    });
}

#[test]
fn a_panic_inside_a_guard_releases_the_lock_without_poisoning() {
    let counter = Counter::default();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut state = counter.write();
        state.hits = 7;
        panic!("user code fails halfway through an update");
    }));
    assert!(result.is_err());
    // Released: another thread can lock at once. Not poisoned: the half-update is visible.
    thread::scope(|s| {
        s.spawn(|| {
            let state = counter.try_write().expect("the panic released the lock");
            assert_eq!((state.hits, state.checks), (7, 0));
        });
    });

    let table = Table::default();
    let result = catch_unwind(AssertUnwindSafe(|| {
        table.with_write(|s| {
            s.sum = 1;
            panic!("inside the closure form");
        })
    }));
    assert!(result.is_err());
    assert_eq!(table.try_read().expect("released").sum, 1);

    // A thread that dies holding the lock releases it too.
    let shared = Arc::new(Counter::default());
    let dying = Arc::clone(&shared);
    assert!(
        thread::spawn(move || dying.with_write(|_| panic!("thread dies")))
            .join()
            .is_err()
    );
    assert!(shared.try_write().is_some());
}

#[test]
fn debug_never_waits_for_a_held_lock() {
    let counter = Counter::default();
    assert_eq!(
        format!("{counter:?}"),
        "Counter { data: CounterState { hits: 0, checks: 0 } }"
    );
    let held = counter.write();
    assert_eq!(format!("{counter:?}"), "Counter { data: <locked> }");
    // From another thread too: the call returns at once instead of waiting for `held`.
    thread::scope(|s| {
        let text = s.spawn(|| format!("{counter:?}")).join().unwrap();
        assert_eq!(text, "Counter { data: <locked> }");
    });
    drop(held);

    let table = Table::default();
    thread::scope(|s| {
        let release = hold_elsewhere(s, || table.read());
        // A reader elsewhere does not stop Debug: it shares the lock.
        assert_eq!(
            format!("{table:?}"),
            "Table { data: TableState { rows: [], sum: 0 } }"
        );
        release.send(()).unwrap();
    });
}

static REQUESTS: Counter = Counter::new(CounterState { hits: 0, checks: 0 });
static LEVELS: Table = Table::new(TableState {
    rows: Vec::new(),
    sum: 0,
});

#[test]
fn a_static_instance_works_across_threads() {
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..100 {
                    REQUESTS.with_write(|r| r.hits += 1);
                    LEVELS.with_write(|l| l.sum += 1);
                }
            });
        }
    });
    assert_eq!(REQUESTS.read().hits, 400);
    assert_eq!(LEVELS.read().sum, 400);
}

#[test]
fn construction_and_exclusive_access() {
    let mut counter = Counter::from(CounterState { hits: 1, checks: 1 });
    counter.get_mut().hits += 1; // no lock: `&mut` proves exclusivity
    assert_eq!(counter.snapshot().hits, 2);
    let copy = counter.snapshot();
    counter.write().hits = 10;
    assert_eq!(copy.hits, 2, "a snapshot is a copy");
    assert_eq!(
        counter.into_inner(),
        CounterState {
            hits: 10,
            checks: 1
        }
    );
    assert_eq!(Table::default().into_inner(), TableState::default());
}

#[test]
fn only_one_upgradable_reader_check_then_insert_happens_once() {
    let table = Table::default();
    let inserts = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                let guard = table.upgradable_read();
                if guard.rows.is_empty() {
                    UpgradableReadGuard::upgrade(guard).rows.push(1);
                    inserts.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    assert_eq!(inserts.into_inner(), 1);
    assert_eq!(table.read().rows, [1]);
}

#[guarded]
struct Window<'a, T: Clone, const N: usize>
where
    T: Send,
{
    name: &'a str,
    values: [T; N],
}

#[guarded(rw, state = PairData)]
#[derive(Debug, PartialEq)]
struct Pair(u32, u32);

#[test]
fn generics_tuple_structs_and_renamed_states() {
    let name = String::from("w");
    let window = Window::new(WindowState {
        name: &name,
        values: [1u8, 2, 3],
    });
    assert_eq!(window.read().name, "w");
    assert_eq!(window.with_read(|w| w.values.iter().sum::<u8>()), 6);

    let pair = Pair::new(PairData(1, 2));
    pair.write().1 = 5;
    assert_eq!(pair.into_inner(), PairData(1, 5));
}

/// Debug builds turn a thread's second lock of the same value into a panic with the
/// type's name, where release builds (and parking_lot, and std) would hang forever.
#[cfg(debug_assertions)]
#[test]
fn relocking_a_held_lock_panics_instead_of_deadlocking() {
    let counter = Counter::default();
    let message = catch_unwind(AssertUnwindSafe(|| {
        counter.with_write(|_| counter.read().hits);
    }))
    .expect_err("a mutex taken twice by one thread deadlocks");
    let message = message
        .downcast_ref::<String>()
        .expect("a formatted message");
    assert!(message.contains("already holds the lock"), "{message}");
    // The user's type, named once with its path.
    assert!(
        message.contains("`Counter` (guarded::Counter)"),
        "{message}"
    );
    // The outer guard was released while unwinding: the value is usable.
    counter.write().hits += 1;
    assert_eq!(counter.read().hits, 1);

    // rw: a second read on the same thread can hang behind a queued writer.
    let table = Table::default();
    let reader = table.read();
    assert!(catch_unwind(AssertUnwindSafe(|| table.read().sum)).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| table.write().sum)).is_err());
    drop(reader);
    let upgradable = table.upgradable_read();
    assert!(catch_unwind(AssertUnwindSafe(|| table.read().sum)).is_err());
    drop(upgradable);
    // An upgrade waits for every other reader, this thread's own included: a reader taken
    // with `try_` (which never waits, so was not refused) makes the upgrade a deadlock.
    let upgradable = table.upgradable_read();
    let reader = table
        .try_read()
        .expect("readers share with an upgradable reader");
    let message = catch_unwind(AssertUnwindSafe(|| {
        drop(UpgradableReadGuard::upgrade(upgradable));
    }))
    .expect_err("upgrading past this thread's own reader deadlocks");
    let message = message
        .downcast_ref::<String>()
        .expect("a formatted message");
    assert!(message.contains("upgrading"), "{message}");
    drop(reader);
    // `try_` forms never wait, so they never panic; they just fail.
    let writer = table.write();
    assert!(table.try_read().is_none());
    drop(writer);
    assert!(table.try_read().is_some());
}
