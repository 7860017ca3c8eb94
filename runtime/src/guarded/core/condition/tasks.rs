//! Tasks waiting for a condition (the `async` feature): the same protocol as threads
//! (`mod.rs`), with an `event_listener::Event` per slot where threads have the condition
//! variable, and the slot mutex not needed.
//!
//! - A task evaluates its predicate holding the lock `L`. If it is false, still holding
//!   `L`, it counts itself in `L`'s [`Waiters`] word (the same count as a thread: a release
//!   cannot tell them apart, and need not), registers a listener on the slot's `Event`, and
//!   only then releases `L`. It awaits the listener holding no lock. When woken it
//!   uncounts itself and starts over: takes `L`, evaluates the predicate.
//! - A release that finds a waiter counted ([`notify`](super::notify)) notifies the slot's
//!   `Event` after it released `L` (and the slot mutex): a waker is the executor's code, and
//!   none runs under a lock of lockwise's.
//!
//! No lost wake-up: the listener is in the `Event`'s list before `L` is released, so before
//! the critical section of any writer that changes the state after this check; that writer
//! sees the count (through `L`, as in `mod.rs`) and its `notify`, which comes after, finds
//! the listener (`event-listener` orders an insertion before a later `notify`: both go
//! through the `Event`'s own lock, and a `notify` that sees no listener yet is ordered after
//! the insertion by the happens-before through `L`). A writer that took `L` before the task
//! did is one whose change the task's predicate already saw. Spurious wake-ups (another
//! value in the slot, a change that does not make the condition true) cost a re-check.
//!
//! Cancellation: a pending future owns a [`Listening`]; dropping it uncounts the task and
//! drops the listener (which leaves the list). Uncounted before it left the list, a
//! concurrent release may skip a notification: nobody is left to receive it. Nothing else
//! is registered anywhere, so a dropped future leaks nothing and leaves the word as it was.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use event_listener::{Event, EventListener};

use crate::guarded::core::waiters::{Unlock, Waiters};

/// The slot's part for tasks: the `Event` their listeners wait on.
pub(super) struct Tasks {
    event: Event,
}

impl Tasks {
    crate::sync::const_unless_loom! {
        pub(super) fn new() -> Self {
            Self { event: Event::new() }
        }
    }

    /// Wakes every task listening in this slot. Called with no lock held.
    pub(super) fn notify(&self) {
        // `usize::MAX`: every listener, as `notify_all` does for threads. With none
        // registered this is a load and a compare (event-listener keeps "all notified").
        self.event.notify(usize::MAX);
    }
}

/// A task waiting for a condition: counted in the lock's word, and listening on its slot.
/// Await it, then drop it and check again; dropping it before it completes (a cancelled
/// future) uncounts the task all the same.
///
/// `pub` in name only (this module is private), as the modes' plumbing returns it.
#[must_use = "a registration that is not awaited wakes no one"]
pub struct Listening<'a> {
    // Declared first, dropped first: the task is uncounted before its listener leaves the
    // list (either order is correct; see the module docs).
    _registration: Registration<'a>,
    listener: EventListener,
}

/// The count of one waiting task in a lock's word, undone on drop.
struct Registration<'a>(&'a Waiters);

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        self.0.unregister();
    }
}

/// Registers the task that holds `waiters`' lock through `guard` (whose predicate is false)
/// and releases the lock: fairly if a thread is starving for it, and waking no one (this
/// task changed nothing). The lock is not held on return.
pub(crate) fn listen<G: Unlock>(waiters: &Waiters, guard: G) -> Listening<'_> {
    // Counted while holding the lock: a writer that takes the lock after this sees it.
    let before = waiters.register();
    let registration = Registration(waiters);
    // In the list before the lock is released: a writer that saw the count notifies after
    // it released the lock, so after this.
    let listener = super::slot_of(waiters).tasks.event.listen();
    guard.unlock(Waiters::is_starving(before));
    Listening {
        _registration: registration,
        listener,
    }
}

impl Future for Listening<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.listener).poll(cx)
    }
}
