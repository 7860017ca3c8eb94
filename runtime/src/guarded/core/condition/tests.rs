//! Conditions under real threads, small enough for Miri. A lost wake-up shows up as a
//! waiter that never returns: waiters run on threads of their own and the test waits for
//! them with a generous bound, so a hang fails the test. No timing is asserted.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use super::slot_index;
use crate::mode::{Acquire, Mutex, ReadMostly, Rw};
use crate::{Guarded, UpgradableReadGuard, WriteGuard};

/// How long a test waits for a thread that should finish (a lost wake-up fails instead).
const BOUND: Duration = Duration::from_secs(30);
const ITEMS: usize = if cfg!(miri) { 5 } else { 200 };

/// Runs `f` on a thread of its own and returns its result; fails if it does not finish
/// within [`BOUND`] or panics.
fn within_bound<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(catch_unwind(AssertUnwindSafe(f)));
    });
    match rx.recv_timeout(BOUND) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("a waiter never woke up: lost wake-up"),
    }
}

/// A bounded queue in every mode: the consumer waits for an item, the producer for room.
fn producer_consumer<M: Acquire<Vec<usize>>>(queue: Guarded<Vec<usize>, M>)
where
    Guarded<Vec<usize>, M>: Send + Sync + 'static,
{
    let queue = Arc::new(queue);
    let producer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || {
            for item in 0..ITEMS {
                queue.write_when(|q| q.len() < 2).push(item);
            }
        })
    };
    let received = within_bound(move || {
        (0..ITEMS)
            .map(|_| {
                let mut q = queue.write_when(|q| !q.is_empty());
                q.remove(0)
            })
            .collect::<Vec<_>>()
    });
    producer.join().unwrap();
    assert_eq!(received, (0..ITEMS).collect::<Vec<_>>());
}

#[test]
fn producer_and_consumer_in_every_mode() {
    producer_consumer::<Mutex>(Guarded::mutex(vec![]));
    producer_consumer::<Rw>(Guarded::rw(vec![]));
    producer_consumer::<ReadMostly>(Guarded::read_mostly(vec![]));
}

/// Readers wait for a version; one write releases all of them.
fn readers_released_by_one_write<M: Acquire<u32>>(version: Guarded<u32, M>)
where
    Guarded<u32, M>: Send + Sync + 'static,
{
    let version = Arc::new(version);
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let version = Arc::clone(&version);
            thread::spawn(move || *version.read_when(|v| *v == 1))
        })
        .collect();
    // Wait until all three are counted (or already done), then write once.
    let counted = Arc::clone(&version);
    within_bound(move || {
        while counted.condition_waiters() < 3 {
            thread::yield_now();
        }
    });
    *version.write() = 1;
    for reader in readers {
        let seen = within_bound(move || reader.join().unwrap());
        assert_eq!(seen, 1);
    }
    assert_eq!(version.condition_waiters(), 0);
}

#[test]
fn many_readers_are_released_by_one_write() {
    readers_released_by_one_write::<Mutex>(Guarded::mutex(0));
    readers_released_by_one_write::<Rw>(Guarded::rw(0));
    readers_released_by_one_write::<ReadMostly>(Guarded::read_mostly(0));
}

fn timeouts_leave_no_waiter<M: Acquire<u32>>(value: Guarded<u32, M>) {
    let short = Duration::from_millis(2);
    assert!(value.write_when_for(|v| *v == 1, short).is_none());
    assert!(value.read_when_for(|v| *v == 1, short).is_none());
    let mut guard = value.write();
    assert!(!WriteGuard::wait_until(&mut guard, |v| *v == 1, short));
    // The guard holds the lock again, and the change made while waiting is kept.
    *guard = 1;
    drop(guard);
    assert_eq!(value.condition_waiters(), 0);
    assert!(value.write_when_for(|v| *v == 1, short).is_some());
    assert!(value.read_when_for(|v| *v == 1, short).is_some());
    assert_eq!(value.condition_waiters(), 0);
}

#[test]
fn a_timeout_gives_up_and_leaves_the_waiter_count_at_zero() {
    timeouts_leave_no_waiter::<Mutex>(Guarded::mutex(0));
    timeouts_leave_no_waiter::<Rw>(Guarded::rw(0));
    timeouts_leave_no_waiter::<ReadMostly>(Guarded::read_mostly(0));
}

fn panicking_writer_wakes<M: Acquire<u32>>(value: Guarded<u32, M>)
where
    Guarded<u32, M>: Send + Sync + 'static,
{
    let value = Arc::new(value);
    let waiter = {
        let value = Arc::clone(&value);
        // Wakes for any change: the count of wake-ups is not what is tested, the wake is.
        thread::spawn(move || value.read_when_for(|v| *v == 7, BOUND).map(|v| *v))
    };
    let counted = Arc::clone(&value);
    within_bound(move || {
        while counted.condition_waiters() < 1 {
            thread::yield_now();
        }
    });
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        let mut guard = value.write();
        *guard = 7;
        panic!("the writer fails after its change");
    }));
    assert!(panicked.is_err());
    let seen = within_bound(move || waiter.join().unwrap());
    if M::READ_CAN_BLOCK {
        // No poisoning: the change made before the panic stands, and the waiter saw it.
        assert_eq!(seen, Some(7));
    } else {
        // read_mostly discards a panicking writer's copy: nothing changed. The waiter was
        // woken all the same; it looked, and went on waiting until its timeout.
        assert_eq!(*value.read(), 0);
    }
}

#[test]
fn a_panicking_writer_wakes_the_waiters() {
    panicking_writer_wakes::<Mutex>(Guarded::mutex(0));
    panicking_writer_wakes::<Rw>(Guarded::rw(0));
}

#[test]
fn wait_until_releases_the_lock_and_takes_it_back() {
    let stock = Arc::new(Guarded::<u32, Mutex>::mutex(0));
    let consumer = {
        let stock = Arc::clone(&stock);
        thread::spawn(move || {
            let mut guard = stock.write();
            *guard += 100; // a change before waiting is published by the wait
            let ready = WriteGuard::wait_until(&mut guard, |n| *n >= 105, BOUND);
            *guard -= 105;
            ready
        })
    };
    let producer = Arc::clone(&stock);
    within_bound(move || {
        // The consumer's change becomes visible when it waits; then add what it waits for.
        producer.write_when(|n| *n >= 100).add_assign_5();
    });
    assert!(within_bound(move || consumer.join().unwrap()));
    assert_eq!(*stock.read(), 0);
}

trait AddFive {
    fn add_assign_5(&mut self);
}

impl<G: core::ops::DerefMut<Target = u32>> AddFive for G {
    fn add_assign_5(&mut self) {
        **self += 5;
    }
}

#[test]
fn read_mostly_wait_until_publishes_and_restages() {
    let list = Arc::new(Guarded::<Vec<u32>, ReadMostly>::read_mostly(vec![]));
    let waiter = {
        let list = Arc::clone(&list);
        thread::spawn(move || {
            let mut staged = list.write();
            staged.push(1);
            let ready = WriteGuard::wait_until(&mut staged, |l| l.contains(&2), BOUND);
            staged.push(3);
            ready
        })
    };
    let other = Arc::clone(&list);
    within_bound(move || other.write_when(|l| l.contains(&1)).push(2));
    assert!(within_bound(move || waiter.join().unwrap()));
    assert_eq!(*list.read(), [1, 2, 3]);
}

#[test]
fn downgrade_and_upgrade_wake_waiters() {
    let value = Arc::new(Guarded::<u32, Rw>::rw(0));
    let reader = {
        let value = Arc::clone(&value);
        thread::spawn(move || *value.read_when(|v| *v == 1))
    };
    let counted = Arc::clone(&value);
    within_bound(move || {
        while counted.condition_waiters() < 1 {
            thread::yield_now();
        }
    });
    let mut write = value.write();
    *write = 1;
    let read = WriteGuard::downgrade(write);
    // The waiter reads while this thread still holds its downgraded read guard.
    assert_eq!(within_bound(move || reader.join().unwrap()), 1);
    drop(read);

    let writer = {
        let value = Arc::clone(&value);
        thread::spawn(move || *value.write_when(|v| *v == 2))
    };
    let counted = Arc::clone(&value);
    within_bound(move || {
        while counted.condition_waiters() < 1 {
            thread::yield_now();
        }
    });
    let mut upgraded = UpgradableReadGuard::upgrade(value.upgradable_read());
    *upgraded = 2;
    drop(upgraded);
    assert_eq!(within_bound(move || writer.join().unwrap()), 2);
}

#[test]
fn values_that_share_a_slot_stay_correct() {
    // Find two values whose locks hash to the same slot.
    let values: Vec<Arc<Guarded<u32, Mutex>>> =
        (0..200).map(|_| Arc::new(Guarded::mutex(0))).collect();
    let (a, b) = values
        .iter()
        .enumerate()
        .find_map(|(i, a)| {
            values[i + 1..]
                .iter()
                .find(|b| slot_index(&a.waiters) == slot_index(&b.waiters))
                .map(|b| (Arc::clone(a), Arc::clone(b)))
        })
        .expect("200 values in 64 slots: two share one");
    let waiter_a = {
        let a = Arc::clone(&a);
        thread::spawn(move || *a.read_when(|v| *v == 1))
    };
    let waiter_b = {
        let b = Arc::clone(&b);
        thread::spawn(move || *b.read_when(|v| *v == 1))
    };
    let counted = (Arc::clone(&a), Arc::clone(&b));
    within_bound(move || {
        while counted.0.condition_waiters() + counted.1.condition_waiters() < 2 {
            thread::yield_now();
        }
    });
    // A write of `a` wakes `b`'s waiter too (same slot); it re-checks and waits on.
    *a.write() = 1;
    assert_eq!(within_bound(move || waiter_a.join().unwrap()), 1);
    let still = Arc::clone(&b);
    within_bound(move || {
        while still.condition_waiters() < 1 {
            thread::yield_now();
        }
    });
    assert!(!waiter_b.is_finished());
    *b.write() = 1;
    assert_eq!(within_bound(move || waiter_b.join().unwrap()), 1);
}

#[test]
fn read_mostly_read_when_that_holds_takes_no_lock() {
    let value = Guarded::<u32, ReadMostly>::read_mostly(1);
    let (held_tx, held_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    thread::scope(|s| {
        let value = &value;
        s.spawn(move || {
            let _writer = value.write(); // another thread holds the writer lock
            held_tx.send(()).unwrap();
            let _ = release_rx.recv();
        });
        held_rx.recv().unwrap();
        assert_eq!(*value.read_when(|v| *v == 1), 1);
        release_tx.send(()).unwrap();
    });
}

#[cfg(debug_assertions)]
#[test]
fn waiting_while_holding_another_lock_panics() {
    let a = Guarded::<u32, Mutex>::mutex(0);
    let b = Guarded::<u32, Rw>::rw(0);
    let held = a.write();
    let message = catch_unwind(AssertUnwindSafe(|| {
        let _ = b.write_when(|_| true);
    }))
    .expect_err("waiting while holding another lock must panic");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("waits for a condition"), "{message}");
    // A guard that waits releases its own lock, but not another one.
    let mut other = b.write();
    let message = catch_unwind(AssertUnwindSafe(|| {
        WriteGuard::wait_until(&mut other, |_| true, BOUND);
    }))
    .expect_err("waiting while holding another lock must panic");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("waits for a condition"), "{message}");
    drop(other);
    drop(held);
    // Alone, the same calls are fine.
    let mut guard = b.write();
    assert!(WriteGuard::wait_until(&mut guard, |_| true, BOUND));
    drop(guard);
    drop(b.read_when(|_| true));
}

/// The message of the panic `f` raised on a thread of its own, within [`BOUND`] (a hang
/// fails the test).
#[cfg(debug_assertions)]
fn panic_within_bound(f: impl FnOnce() + Send + 'static) -> String {
    let panic = within_bound(move || catch_unwind(AssertUnwindSafe(f)))
        .expect_err("the call returned instead of panicking");
    panic.downcast_ref::<String>().cloned().unwrap_or_default()
}

/// Issue 22, item 1: a predicate runs under its lock, and the lock is recorded as held
/// while it runs, so taking it again inside the predicate panics like any re-lock
/// (it hung when the record came only after the predicate).
#[cfg(debug_assertions)]
#[test]
fn a_predicate_that_takes_its_own_lock_panics_instead_of_hanging() {
    let mutex = Arc::new(Guarded::<u32, Mutex>::mutex(0));
    let handle = Arc::clone(&mutex);
    let message = panic_within_bound(move || {
        drop(mutex.write_when(|_| *handle.read() == 0));
    });
    assert!(message.contains("already holds the lock"), "{message}");

    let rw = Arc::new(Guarded::<u32, Rw>::rw(0));
    let handle = Arc::clone(&rw);
    let message = panic_within_bound(move || {
        drop(rw.write_when(|_| *handle.read() == 0));
    });
    assert!(message.contains("already holds the lock"), "{message}");

    // read_mostly: the predicate runs under the writer lock, where `store` waits for it.
    let routes = Arc::new(Guarded::<u32, ReadMostly>::read_mostly(0));
    let handle = Arc::clone(&routes);
    let message = panic_within_bound(move || {
        drop(routes.read_when(|v| {
            handle.store(v + 1);
            false
        }));
    });
    assert!(message.contains("already holds the lock"), "{message}");
}

/// Issue 22, item 9: a condition wait on one value while holding another of the same type
/// says that they are two values, not one lock named twice.
#[cfg(debug_assertions)]
#[test]
fn a_wait_while_holding_another_value_of_the_type_names_two_values() {
    let (m, n) = (
        Guarded::<u32, Mutex>::mutex(0),
        Guarded::<u32, Mutex>::mutex(0),
    );
    let _held = m.write();
    let message = catch_unwind(AssertUnwindSafe(|| drop(n.write_when(|_| true))))
        .expect_err("waiting while holding another lock must panic");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("on the lock of another value of `Guarded<u32>`"),
        "{message}"
    );
    assert!(
        message.contains("holds the lock of one value of `Guarded<u32>`"),
        "{message}"
    );
}

/// A `wait_until` predicate that panics after a wait, caught by a caller that keeps its
/// guard: the guard must still hold the lock (another thread cannot take it) and stay
/// usable, and release the lock when it drops.
fn panicking_predicate_keeps_the_lock<M: Acquire<u32>>(value: Guarded<u32, M>)
where
    Guarded<u32, M>: Send + Sync + 'static,
{
    let value = Arc::new(value);
    let mut guard = value.write();
    let (woken_tx, woken_rx) = mpsc::channel::<()>();
    let writer = {
        let value = Arc::clone(&value);
        thread::spawn(move || {
            // Taken once the waiter has released the lock; its drop wakes the waiter.
            *value.write() += 1;
            let _ = woken_tx.send(());
        })
    };
    let mut calls = 0;
    let caught = catch_unwind(AssertUnwindSafe(|| {
        WriteGuard::wait_until(
            &mut guard,
            |_| {
                calls += 1;
                assert!(calls < 2, "the predicate panics after a wait");
                false
            },
            BOUND,
        )
    }));
    assert!(caught.is_err(), "the predicate's panic reaches the caller");
    woken_rx.recv_timeout(BOUND).expect("the writer ran");
    writer.join().unwrap();
    // Still held: another thread cannot take it, and the guard reads and writes.
    let other = Arc::clone(&value);
    assert!(within_bound(move || other.try_write().is_none()));
    assert_eq!(*guard, 1);
    *guard += 1;
    drop(guard);
    let other = Arc::clone(&value);
    assert_eq!(within_bound(move || other.try_write().map(|g| *g)), Some(2));
}

#[test]
fn a_panicking_wait_until_predicate_leaves_the_guard_holding_its_lock() {
    panicking_predicate_keeps_the_lock::<Mutex>(Guarded::new(0));
    panicking_predicate_keeps_the_lock::<Rw>(Guarded::new(0));
    panicking_predicate_keeps_the_lock::<ReadMostly>(Guarded::new(0));
}
