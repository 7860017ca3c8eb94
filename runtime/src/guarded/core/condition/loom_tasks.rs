//! Tasks waiting for a condition (`tasks.rs`) under loom's model checker, with threads
//! beside them: every interleaving of registering, releasing, notifying and waking. A lost
//! wake-up leaves a task's `block_on` parked with no one to unpark it, which loom reports as
//! a deadlock.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test -p lockwise-runtime --release --features async --lib \
//!     guarded::core::condition::loom_tasks
//! ```
//!
//! As in `loom.rs`, the user's lock is a loom mutex, the table has one slot (every value
//! collides), and the code under test is the production code: [`lock_when_or_listen`] (one
//! try of every `*_when_async`), [`super::wait`] for the threads, and [`Waiters::release`]
//! (every write guard's drop). `event-listener` runs on loom's primitives (its `loom`
//! feature), and a task is driven by loom's `block_on`, whose waker is loom's own.
//!
//! The scenarios: a writer wakes a task; one write wakes a task and a thread; two values
//! share the slot; a task dropped while registered leaves the word at zero, racing a
//! writer; a guard that publishes and waits (`wait_until`) wakes a task. Listening before
//! releasing the lock is what makes them pass: registering the listener after the release
//! (the bug `tasks.rs` avoids) makes loom report the deadlock.

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Waker};

use loom::future::block_on;
use loom::thread;

use super::loom::Value;
use crate::guarded::core::when::{lock_when, lock_when_or_listen};

/// `loom.rs`'s value, which threads wait on, and which tasks wait on here.
impl Value {
    /// `write_when_async(|s| *s == want)`, then sets the state to `then`: the loop of
    /// `poll_until` (`guarded/when_async/awaits.rs`), written as an `async fn`.
    async fn write_when_async(&self, want: u32, then: u32) {
        loop {
            let listening = match lock_when_or_listen(
                &self.waiters,
                || self.state.lock().unwrap(),
                |guard| (**guard == want).then_some(()),
            ) {
                Ok((mut guard, ())) => {
                    *guard = then;
                    self.waiters.release(guard, true);
                    return;
                }
                Err(listening) => listening,
            };
            listening.await;
        }
    }
}

/// Every interleaving of `scenario`: all of them (`Exhaustive`), or, for the scenarios with
/// three threads, those with at most three preemptions (`event-listener`'s own atomics make
/// the full space take hours; loom's authors find bugs within two or three).
fn check(bound: Bound, scenario: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = match bound {
        Bound::Exhaustive => None,
        Bound::Preemptions(n) => Some(n),
    };
    builder.check(scenario);
}

enum Bound {
    Exhaustive,
    Preemptions(usize),
}

#[test]
fn a_writer_wakes_a_task() {
    check(Bound::Exhaustive, || {
        let value = Value::new();
        let task = {
            let value = value.clone();
            thread::spawn(move || block_on(value.write_when_async(1, 2)))
        };
        value.write(1);
        task.join().unwrap();
        assert_eq!(*value.state.lock().unwrap(), 2);
        assert_eq!(value.waiters.condition_waiters(), 0);
    });
}

#[test]
fn one_write_wakes_a_task_and_a_thread() {
    // A chain: the task waits for 1 and writes 2, the thread waits for 2 and writes 3.
    check(Bound::Preemptions(3), || {
        let value = Value::new();
        let task = {
            let value = value.clone();
            thread::spawn(move || block_on(value.write_when_async(1, 2)))
        };
        let waiter = {
            let value = value.clone();
            thread::spawn(move || value.write_when(2, 3))
        };
        value.write(1);
        task.join().unwrap();
        waiter.join().unwrap();
        assert_eq!(*value.state.lock().unwrap(), 3);
        assert_eq!(value.waiters.condition_waiters(), 0);
    });
}

#[test]
fn tasks_of_values_sharing_the_slot_are_woken_by_their_own_writes() {
    check(Bound::Preemptions(3), || {
        let (a, b) = (Value::new(), Value::new());
        let on_a = {
            let a = a.clone();
            thread::spawn(move || block_on(a.write_when_async(1, 0)))
        };
        let on_b = {
            let b = b.clone();
            thread::spawn(move || block_on(b.write_when_async(1, 0)))
        };
        a.write(1);
        b.write(1);
        on_a.join().unwrap();
        on_b.join().unwrap();
    });
}

#[test]
fn a_task_dropped_while_registered_leaves_the_word_at_zero() {
    check(Bound::Exhaustive, || {
        let value = Value::new();
        let dropped = {
            let value = value.clone();
            thread::spawn(move || {
                let mut future = pin!(value.write_when_async(5, 0));
                // One poll, as an executor's, then the future is dropped (a timeout).
                let polled = future
                    .as_mut()
                    .poll(&mut Context::from_waker(Waker::noop()));
                assert!(polled.is_pending() || *value.state.lock().unwrap() == 0);
            })
        };
        value.write(1);
        dropped.join().unwrap();
        assert_eq!(value.waiters.condition_waiters(), 0);
        // A later write takes the fast path.
        assert_eq!(value.waiters.load(), 0);
        value.write(2);
    });
}

#[test]
fn a_guard_that_waits_publishes_its_change_to_a_task() {
    // `wait_until` releases a write guard: the task waiting for that change is woken by it.
    check(Bound::Exhaustive, || {
        let value = Value::new();
        let task = {
            let value = value.clone();
            thread::spawn(move || block_on(value.write_when_async(1, 2)))
        };
        let mut guard = value.state.lock().unwrap();
        *guard = 1;
        super::wait(&value.waiters, guard, true, None);
        let (guard, ()) = lock_when(
            &value.waiters,
            None,
            |_| Some(value.state.lock().unwrap()),
            |guard| (**guard == 2).then_some(()),
        )
        .unwrap();
        value.waiters.release(guard, false);
        task.join().unwrap();
    });
}
