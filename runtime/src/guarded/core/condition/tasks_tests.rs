//! Conditions awaited by tasks (`tasks.rs`, feature `async`), polled by hand: no runtime,
//! so Miri runs them (`cargo +nightly miri test -p lockwise-runtime --features async --lib
//! condition::tasks_tests`), and each step of an interleaving is a line of the test. A
//! waker that counts its wake-ups shows who was woken. What executors do with these futures
//! (many tasks, threads, timeouts) is the `tests-async` package's.

use core::future::Future;
use core::task::Poll;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use crate::hand_polled::Polled as Task;
use crate::mode::{Acquire, Mutex, ReadMostly, Rw};
use crate::{Guarded, ReadGuard, UpgradableReadGuard, WriteGuard};

/// How long a thread waits for the test's change (a lost wake-up fails instead of hanging).
const BOUND: Duration = Duration::from_secs(30);

/// The promise in every mode: pending, counted, holding no lock; woken by the next write
/// guard's drop (not by a read's); ready once the condition holds, with `write_when`'s guard.
fn a_write_wakes_a_pending_task<M: Acquire<u32>>(value: Guarded<u32, M>) {
    let mut task = Task::new(value.write_when_async(|v| *v == 2));
    task.pending();
    assert_eq!(value.condition_waiters(), 1);
    // No lock is held while it waits: a writer gets in without waiting.
    let mut writer = value.try_write().expect("a pending task holds no lock");
    *writer = 1;
    drop(writer);
    assert_eq!(task.woken(), 1, "a write guard's drop wakes the task");
    // Woken for a change that does not make the condition true: it looks and waits again.
    task.pending();
    assert_eq!(value.condition_waiters(), 1);
    drop(value.read());
    assert_eq!(task.woken(), 1, "a read guard never wakes anyone");
    *value.write() = 2;
    assert_eq!(task.woken(), 2);
    let mut guard: WriteGuard<'_, u32, M> = task.ready();
    *guard = 3;
    drop(guard);
    assert_eq!(value.condition_waiters(), 0);
    assert_eq!(*value.read(), 3);
}

#[test]
fn a_write_wakes_a_pending_task_in_every_mode() {
    a_write_wakes_a_pending_task::<Mutex>(Guarded::mutex(0));
    a_write_wakes_a_pending_task::<Rw>(Guarded::rw(0));
    a_write_wakes_a_pending_task::<ReadMostly>(Guarded::read_mostly(0));
}

fn readers_wake_together<M: Acquire<u32>>(value: Guarded<u32, M>) {
    let mut first = Task::new(value.read_when_async(|v| *v >= 1));
    let mut second = Task::new(value.read_when_async(|v| *v >= 1));
    first.pending();
    second.pending();
    assert_eq!(value.condition_waiters(), 2);
    *value.write() = 1;
    assert_eq!(
        (first.woken(), second.woken()),
        (1, 1),
        "one write wakes all"
    );
    let first: ReadGuard<'_, u32, M> = first.ready();
    assert_eq!(*first, 1);
    // This thread holds a lock now: polling another wait on it would panic (debug builds),
    // as calling `read_when` would.
    drop(first);
    assert_eq!(*second.ready(), 1);
    assert_eq!(value.condition_waiters(), 0);
}

#[test]
fn one_write_wakes_every_pending_reader_in_every_mode() {
    readers_wake_together::<Mutex>(Guarded::mutex(0));
    readers_wake_together::<Rw>(Guarded::rw(0));
    readers_wake_together::<ReadMostly>(Guarded::read_mostly(0));
}

fn a_dropped_task_leaves_nothing<M: Acquire<u32>>(value: Guarded<u32, M>) {
    let mut task = Task::new(value.write_when_async(|v| *v == 1));
    task.pending();
    let mut reader = Task::new(value.read_when_async(|v| *v == 1));
    reader.pending();
    assert_eq!(value.condition_waiters(), 2);
    let (task_woken, reader_woken) = (task.wakes(), reader.wakes());
    drop(task);
    drop(reader);
    assert_eq!(value.condition_waiters(), 0, "a dropped task is uncounted");
    // With no one counted, a write takes the fast path and wakes no one.
    *value.write() = 1;
    assert_eq!(task_woken.count(), 0);
    assert_eq!(reader_woken.count(), 0);
    // A future dropped before its first poll never registered at all.
    drop(value.write_when_async(|v| *v == 5));
    assert_eq!(value.condition_waiters(), 0);
}

#[test]
fn a_task_dropped_after_its_wake_up_leaves_nothing_either() {
    let value: Guarded<u32> = Guarded::new(0);
    let mut task = Task::new(value.write_when_async(|v| *v == 2));
    task.pending();
    *value.write() = 1; // wakes it; it is dropped before it looks
    assert_eq!(task.woken(), 1);
    drop(task);
    assert_eq!(value.condition_waiters(), 0);
    *value.write() = 2;
}

#[test]
fn a_dropped_pending_task_is_uncounted_and_never_woken_in_every_mode() {
    a_dropped_task_leaves_nothing::<Mutex>(Guarded::mutex(0));
    a_dropped_task_leaves_nothing::<Rw>(Guarded::rw(0));
    a_dropped_task_leaves_nothing::<ReadMostly>(Guarded::read_mostly(0));
}

fn a_condition_that_holds_completes_at_once<M: Acquire<u32>>(value: Guarded<u32, M>) {
    let mut task = Task::new(value.write_when_async(|v| *v == 0));
    *task.ready() = 1;
    let mut task = Task::new(value.read_when_async(|v| *v == 1));
    assert_eq!(*task.ready(), 1);
    assert_eq!(value.condition_waiters(), 0);
}

#[test]
fn a_condition_that_holds_completes_on_the_first_poll() {
    a_condition_that_holds_completes_at_once::<Mutex>(Guarded::mutex(0));
    a_condition_that_holds_completes_at_once::<Rw>(Guarded::rw(0));
    a_condition_that_holds_completes_at_once::<ReadMostly>(Guarded::read_mostly(0));
}

#[test]
fn a_read_mostly_reader_whose_condition_holds_takes_no_lock() {
    let value: Guarded<u32, ReadMostly> = Guarded::read_mostly(1);
    let (staged_tx, staged_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    thread::scope(|s| {
        let value = &value;
        s.spawn(move || {
            let staged = value.write(); // holds the writer lock until the reader is done
            staged_tx.send(()).unwrap();
            done_rx.recv().unwrap();
            drop(staged);
        });
        staged_rx.recv().unwrap();
        assert!(value.try_write().is_none(), "the writer lock is held");
        let mut task = Task::new(value.read_when_async(|v| *v == 1));
        assert_eq!(*task.ready(), 1);
        done_tx.send(()).unwrap();
    });
}

#[test]
fn a_read_mostly_publish_wakes_a_task_and_the_copy_is_made_once_it_holds() {
    let list: Guarded<Vec<u32>, ReadMostly> = Guarded::read_mostly(vec![]);
    let mut task = Task::new(list.write_when_async(|l| !l.is_empty()));
    task.pending();
    list.store(vec![1]);
    assert_eq!(task.woken(), 1, "a store publishes, and wakes");
    let mut staged = task.ready();
    staged.push(2);
    drop(staged);
    assert_eq!(*list.read(), [1, 2]);
}

#[test]
fn the_other_releases_that_wake_threads_wake_tasks() {
    // An upgraded read is a write guard; a downgrade wakes; `wait_until` publishes.
    let value: Guarded<u32, Rw> = Guarded::rw(0);
    let mut task = Task::new(value.read_when_async(|v| *v == 3));
    task.pending();
    let mut upgraded = UpgradableReadGuard::upgrade(value.upgradable_read());
    *upgraded = 1;
    drop(upgraded);
    assert_eq!(task.woken(), 1, "an upgraded read's drop wakes");
    task.pending();
    let mut writer = value.write();
    *writer = 2;
    let reader = WriteGuard::downgrade(writer);
    assert_eq!(task.woken(), 2, "a downgrade wakes");
    drop(reader);
    task.pending();
    thread::scope(|s| {
        s.spawn(|| {
            let mut writer = value.write();
            *writer = 3;
            // Releasing the lock to wait publishes the 3, and wakes the task.
            let waited = |v: &u32| *v == 4;
            assert!(WriteGuard::wait_until(&mut writer, waited, BOUND));
        });
        // Busy-polls (the test has no executor): ready once `wait_until` released the lock.
        let guard = loop {
            if let Poll::Ready(guard) = task.poll() {
                break guard;
            }
            thread::yield_now();
        };
        assert_eq!(*guard, 3);
        drop(guard);
        *value.write() = 4;
    });
    assert_eq!(task.woken(), 3);
    assert_eq!(value.condition_waiters(), 0);
}

#[test]
fn threads_and_tasks_wait_side_by_side_and_one_write_wakes_both() {
    let value = Arc::new(Guarded::<u32, Mutex>::mutex(0));
    let mut task = Task::new(value.read_when_async(|v| *v == 1));
    task.pending();
    let thread_waiter = {
        let value = Arc::clone(&value);
        thread::spawn(move || *value.read_when(|v| *v == 1))
    };
    while value.condition_waiters() < 2 {
        thread::yield_now();
    }
    *value.write() = 1;
    assert_eq!(thread_waiter.join().unwrap(), 1);
    assert_eq!(task.woken(), 1);
    assert_eq!(*task.ready(), 1);
    assert_eq!(value.condition_waiters(), 0);
}

#[test]
fn a_write_on_another_thread_wakes_the_task() {
    let queue = Arc::new(Guarded::<Vec<u32>, Mutex>::mutex(vec![]));
    let mut task = Task::new(queue.write_when_async(|q| !q.is_empty()));
    task.pending();
    let producer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || queue.write().push(7))
    };
    producer.join().unwrap();
    assert_eq!(task.woken(), 1);
    assert_eq!(task.ready().pop(), Some(7));
}

#[test]
fn the_futures_are_send_when_the_state_and_the_condition_are() {
    fn send<F: Future + Send>(_: &F) {}
    let value: Guarded<Vec<u32>, Rw> = Guarded::rw(vec![]);
    let limit = 3;
    send(&value.write_when_async(move |v| v.len() < limit));
    send(&value.read_when_async(|v| v.is_empty()));
    let copied: Guarded<Vec<u32>, ReadMostly> = Guarded::read_mostly(vec![]);
    send(&copied.write_when_async(|v| v.is_empty()));
    // `Unpin` whatever the condition is: nothing in them is pinned.
    fn unpin<F: Unpin>(_: &F) {}
    let pinned_state = core::marker::PhantomPinned;
    unpin(&value.write_when_async(move |_| {
        let _ = &pinned_state;
        true
    }));
    // In an `async` block that awaits it and then awaits something else.
    send(&async {
        let len = value.read_when_async(|v| v.is_empty()).await.len();
        core::future::ready(len).await
    });
}

#[cfg(debug_assertions)]
#[test]
fn polling_while_this_thread_holds_a_lock_panics_in_debug_builds() {
    let (a, b): (Guarded<u32>, Guarded<u32>) = (Guarded::new(0), Guarded::new(0));
    let held = a.write();
    // Making the future is fine (it may run elsewhere); polling it here is the mistake.
    let mut task = Task::new(b.write_when_async(|v| *v == 1));
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| task.poll()));
    let message = panicked.expect_err("polled while holding a lock");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(message.contains("waits for a condition"), "{message}");
    drop(held);
    assert_eq!(b.condition_waiters(), 0);
}

#[cfg(debug_assertions)]
#[test]
fn a_predicate_runs_holding_the_lock_as_write_when_does() {
    let value: Guarded<u32> = Guarded::new(0);
    let mut task = Task::new(value.write_when_async(|_| value.try_write().is_none()));
    // The predicate sees its own lock held, and the lock is released afterwards.
    drop(task.ready());
    assert!(value.try_write().is_some());
}
