//! The condition protocol under loom's model checker, which runs each scenario in every
//! interleaving of its threads and fails on a deadlock: a waiter left sleeping with no one
//! to wake it (a lost wake-up) leaves loom with every thread blocked.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test -p lockwise-runtime --release --lib guarded::core::condition::loom
//! ```
//!
//! Under `--cfg loom` the word in [`Waiters`], the slot mutexes and condition variables are
//! loom's, and the table has one slot, so every value collides. The lock around the user's
//! state (parking_lot's in production) is a loom mutex here: the protocol only needs it to
//! be a lock whose release happens-before the next acquisition. The code under test is the
//! production code: [`lock_when`] (the loop of every `*_when`), [`super::wait`] and
//! [`Waiters::release`] (every write guard's drop).
//!
//! The scenarios: a writer and a waiter, a chain of two conditions, two values sharing the
//! slot, a guard that publishes and waits (`wait_until`). About 20 s on two cores, without
//! the `async` feature: with it, every notification also looks at the slot's task event
//! (`tasks.rs`), whose loom atomics multiply the interleavings of these exhaustive
//! scenarios many times over. Tasks have a model of their own, `loom_tasks.rs`.
//! Releasing the lock before locking the slot mutex in `wait` (the order the no-lost-wake-up
//! argument in `condition/mod.rs` needs) makes loom report the deadlock. Under loom
//! `Guarded::mutex` and `Guarded::rw` are not `const` (loom's atomics are not).

use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::{Arc, Mutex};
use loom::thread;

use crate::guarded::core::waiters::Waiters;
use crate::guarded::core::when::lock_when;

/// A value as `Guarded` holds it: the state behind a lock, and the lock's word. (Tasks
/// wait on it too, in `loom_tasks.rs`.)
pub(super) struct Value {
    pub(super) state: Mutex<u32>,
    pub(super) waiters: Waiters,
}

impl Value {
    pub(super) fn new() -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(0),
            waiters: Waiters::new(),
        })
    }

    /// `write_when(|s| *s == want)`, then sets the state to `then`; as a write guard's drop
    /// releases it.
    pub(super) fn write_when(&self, want: u32, then: u32) {
        let (mut guard, ()) = lock_when(
            &self.waiters,
            None,
            |_| Some(self.state.lock().unwrap()),
            |guard| (**guard == want).then_some(()),
        )
        .unwrap();
        *guard = then;
        self.waiters.release(guard, true);
    }

    /// `write()` that sets the state: no condition, released as a write guard.
    pub(super) fn write(&self, value: u32) {
        let mut guard = self.state.lock().unwrap();
        *guard = value;
        self.waiters.release(guard, true);
    }

    /// `WriteGuard::wait_until`: changes the state, then waits holding the guard, which
    /// publishes the change (and wakes the others) before sleeping.
    fn write_then_wait_until(&self, value: u32, want: u32) {
        let mut guard = self.state.lock().unwrap();
        *guard = value;
        if *guard != want {
            super::wait(&self.waiters, guard, true, None);
            let (guard, ()) = lock_when(
                &self.waiters,
                None,
                |_| Some(self.state.lock().unwrap()),
                |guard| (**guard == want).then_some(()),
            )
            .unwrap();
            self.waiters.release(guard, true);
        } else {
            self.waiters.release(guard, true);
        }
    }
}

fn check(scenario: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = None;
    builder.check(scenario);
}

#[test]
fn a_writer_wakes_a_waiter() {
    check(|| {
        let value = Value::new();
        let waiter = {
            let value = value.clone();
            thread::spawn(move || value.write_when(1, 2))
        };
        value.write(1);
        waiter.join().unwrap();
        assert_eq!(*value.state.lock().unwrap(), 2);
        assert_eq!(value.waiters.condition_waiters(), 0);
    });
}

#[test]
fn a_chain_of_conditions_completes() {
    // Two waiters for different states of one value; each write makes the next true.
    check(|| {
        let value = Value::new();
        let first = {
            let value = value.clone();
            thread::spawn(move || value.write_when(1, 2))
        };
        let second = {
            let value = value.clone();
            thread::spawn(move || value.write_when(2, 3))
        };
        value.write(1);
        first.join().unwrap();
        second.join().unwrap();
        assert_eq!(*value.state.lock().unwrap(), 3);
    });
}

#[test]
fn values_sharing_the_slot_wake_their_own_waiters() {
    // One slot under loom: a write of one value wakes the other's waiter, which must
    // re-check and sleep again, and still be woken by its own value's write.
    check(|| {
        let (a, b) = (Value::new(), Value::new());
        let on_a = {
            let a = a.clone();
            thread::spawn(move || a.write_when(1, 0))
        };
        let on_b = {
            let b = b.clone();
            thread::spawn(move || b.write_when(1, 0))
        };
        a.write(1);
        b.write(1);
        on_a.join().unwrap();
        on_b.join().unwrap();
    });
}

#[test]
fn a_guard_that_waits_publishes_its_change_first() {
    // Abseil's Await: the waiting thread's own change is what the other waits for.
    check(|| {
        let value = Value::new();
        let done = Arc::new(AtomicBool::new(false));
        let other = {
            let (value, done) = (value.clone(), done.clone());
            thread::spawn(move || {
                value.write_when(1, 2);
                done.store(true, Ordering::Relaxed);
            })
        };
        value.write_then_wait_until(1, 2);
        other.join().unwrap();
        assert!(done.load(Ordering::Relaxed));
    });
}
