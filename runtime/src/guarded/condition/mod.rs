//! Conditions without condition variables: waiting until a predicate over a lock's state
//! holds, with no `notify` for anyone to forget (Abseil's `Mutex::LockWhen`/`Await`).
//!
//! The protocol (the no-lost-wake-up argument is in ARCHITECTURE.md):
//!
//! - A waiter evaluates its predicate while holding the lock `L` (any side of it). If it is
//!   false, still holding `L`, it counts itself in `L`'s [`Waiters`] word and locks the
//!   slot mutex `S` of `L` (a small static table of mutex + condition variable pairs,
//!   chosen by `L`'s address). Then it releases `L` and waits on the slot's condition
//!   variable, which releases `S`. When woken (or timed out) it releases `S`, uncounts
//!   itself, takes `L` again and re-evaluates.
//! - A thread that releases `L` after it may have changed the state (a write guard, an
//!   upgraded read, a downgrade, a read_mostly publish, a writer unwinding from a panic)
//!   reads the word while it still holds `L`; if a waiter is counted, after releasing `L`
//!   it locks `S` and wakes every waiter of the slot. Values that share a slot only cost
//!   each other a spurious re-check.
//! - Read guards never wake anyone: shared state cannot change under them.

use core::time::Duration;
use std::time::Instant;

use super::fair::{Unlock, Waiters};

#[cfg(all(test, loom))]
mod loom;
pub(crate) mod sync;
#[cfg(all(test, not(loom)))]
mod tests;

use sync::{Condvar, Mutex, MutexGuard};

/// How many mutex + condition variable pairs all locks share. Under loom, one: every value
/// collides, the case that is hardest to get right.
#[cfg(not(loom))]
const SLOTS: usize = 64;
#[cfg(loom)]
const SLOTS: usize = 1;

/// One slot: the mutex that makes "count myself, release the lock, sleep" atomic with
/// respect to a waking writer, and the condition variable the waiters sleep on.
// A cache line each, so that waiters of unrelated values do not share one.
#[repr(align(128))]
struct Slot {
    mutex: Mutex<()>,
    condvar: Condvar,
}

impl Slot {
    sync::const_unless_loom! {
        fn new() -> Self {
            Self {
                mutex: Mutex::new(()),
                condvar: Condvar::new(),
            }
        }
    }

    /// Sleeps until notified; with a deadline, until then at the latest. Returns `false`
    /// if it timed out. Consumes (releases) the slot guard.
    fn sleep(&self, guard: MutexGuard<'_, ()>, deadline: Option<Instant>) -> bool {
        let Some(deadline) = deadline else {
            let guard = self
                .condvar
                .wait(guard)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            drop(guard);
            return true;
        };
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return false;
        };
        let (guard, result) = self
            .condvar
            .wait_timeout(guard, left)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        drop(guard);
        !result.timed_out()
    }
}

#[cfg(not(loom))]
static TABLE: [Slot; SLOTS] = [const { Slot::new() }; SLOTS];

#[cfg(loom)]
::loom::lazy_static! {
    static ref TABLE: Vec<Slot> = (0..SLOTS).map(|_| Slot::new()).collect();
}

/// The slot of the lock whose word is `waiters`: a multiplicative hash of its address.
fn slot_of(waiters: &Waiters) -> &'static Slot {
    &TABLE[slot_index(waiters)]
}

/// Which slot the lock whose word is `waiters` uses (tests find colliding values with it).
pub(crate) fn slot_index(waiters: &Waiters) -> usize {
    let address = core::ptr::from_ref(waiters).addr() as u64;
    // Fibonacci hashing: the top bits of address × 2^64/φ spread neighbouring addresses.
    let mixed = address.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // `SLOTS` is a power of two (one under loom).
    (mixed >> 32) as usize & (SLOTS - 1)
}

/// Wakes every thread waiting for a condition in `waiters`' slot. Called after releasing
/// the lock by a thread that read a non-zero waiter count while holding it.
#[cold]
#[inline(never)]
pub(crate) fn notify(waiters: &Waiters) {
    let slot = slot_of(waiters);
    let _slot = sync::lock(&slot.mutex);
    slot.condvar.notify_all();
}

/// Waits for a notification of `waiters`' lock, which this thread holds through `guard`:
/// counts this thread as a waiter, releases the lock (fairly if a thread is starving for
/// it; waking the other waiters if `writes`, since the holder may have changed the state),
/// and sleeps until woken or `deadline`. The lock is not held on return. Returns `false`
/// if the deadline passed.
pub(crate) fn wait<G: Unlock>(
    waiters: &Waiters,
    guard: G,
    writes: bool,
    deadline: Option<Instant>,
) -> bool {
    // Counted while holding the lock: a writer that takes the lock after this sees it.
    let before = waiters.register();
    let slot = slot_of(waiters);
    // Taken before the lock is released: a writer that saw the count can only notify once
    // this thread sleeps (the condition variable releases the slot mutex atomically).
    let slot_guard = sync::lock(&slot.mutex);
    if writes && Waiters::has_condition_waiters(before) {
        // This thread releases a write lock too: the others' conditions may hold now. It
        // holds the slot mutex already, so it notifies here instead of in `release`.
        slot.condvar.notify_all();
    }
    guard.unlock(Waiters::is_starving(before));
    let woken = slot.sleep(slot_guard, deadline);
    waiters.unregister();
    woken
}

/// The deadline `timeout` from now, for the `_for` forms. A timeout too long to add
/// (`Duration::MAX`) becomes about a century.
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
    let now = Instant::now();
    Some(now.checked_add(timeout).unwrap_or_else(|| {
        now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600))
            .unwrap_or(now)
    }))
}
