//! Waiting for a condition with a lock: the loop of every `*_when` ([`lock_when`]), one
//! try of every `*_when_async` (`lock_when_or_listen`, whose loop is the future's),
//! `wait_until` in place ([`wait_in_place`]), and the deadline of the `_for` forms. Each
//! mode plugs its own acquisition into these (`mode/`); the protocol they sleep in is
//! `condition/`, the fair release they wake through is `fair.rs`.

use core::ops::Deref;
use core::time::Duration;
use std::time::Instant;

use crate::guarded::core::condition;
#[cfg(feature = "async")]
use crate::guarded::core::condition::tasks::{self, Listening};
use crate::guarded::core::fair::Fair;
use crate::guarded::core::waiters::{Unlock, Waiters};

/// The wait loop of every `*_when`: `lock(deadline)` takes the lock (`None`: the deadline
/// passed first), `check` looks at the state under it (`Some`: done). Between tries the
/// thread sleeps in the condition protocol. Woken by a timeout, it takes the lock and
/// checks once more before it gives up, so a condition that became true just in time counts.
pub(crate) fn lock_when<G: Unlock, R>(
    waiters: &Waiters,
    deadline: Option<Instant>,
    mut lock: impl FnMut(Option<Instant>) -> Option<G>,
    mut check: impl FnMut(&G) -> Option<R>,
) -> Option<(G, R)> {
    loop {
        let guard = lock(deadline)?;
        if let Some(found) = check(&guard) {
            return Some((guard, found));
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            waiters.release(guard, false);
            return None;
        }
        // This thread has not changed the state: it wakes no one.
        condition::wait(waiters, guard, false, deadline);
    }
}

/// One try of every `*_when_async` (feature `async`): `lock()` takes the lock, `check`
/// looks at the state under it (`Some`: done, the lock stays held). Otherwise the task is
/// registered as a condition waiter and the lock released: await the [`Listening`], drop
/// it, and try again.
#[cfg(feature = "async")]
pub(crate) fn lock_when_or_listen<G: Unlock, R>(
    waiters: &Waiters,
    lock: impl FnOnce() -> G,
    check: impl FnOnce(&G) -> Option<R>,
) -> Result<(G, R), Listening<'_>> {
    let guard = lock();
    match check(&guard) {
        Some(found) => Ok((guard, found)),
        // This task has not changed the state: it wakes no one.
        None => Err(tasks::listen(waiters, guard)),
    }
}

/// `wait_until` for the modes whose write guard is a [`Fair`] around a parking_lot guard.
///
/// `ready` runs only while `inner` holds the lock: the guard is put back before every
/// check, so a predicate that panics unwinds through a guard that still holds its lock
/// (and releases it when the caller's guard drops), never through one that lost it.
pub(crate) fn wait_in_place<'a, G: Unlock + Deref>(
    inner: &mut Fair<'a, G, true>,
    mut lock: impl FnMut(Option<Instant>) -> Option<G>,
    mut ready: impl FnMut(&G::Target) -> bool,
    deadline: Option<Instant>,
) -> bool {
    // The holder may have changed the state before its first wait: that release wakes the
    // others. Later releases follow only this thread's checks, which changed nothing.
    let mut writes = true;
    loop {
        if ready(inner) {
            return true;
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            return false;
        }
        let waiters = inner.waiters();
        condition::wait(waiters, inner.take(), writes, deadline);
        writes = false;
        // Whatever happens, the guard holds the lock again before `ready` runs or this
        // returns: past the deadline, it waits for the lock without one.
        let guard = match lock(deadline) {
            Some(guard) => guard,
            None => forever(&mut lock),
        };
        inner.put(guard);
    }
}

/// `lock(None)` never gives up.
pub(crate) fn forever<G>(lock: &mut impl FnMut(Option<Instant>) -> Option<G>) -> G {
    match lock(None) {
        Some(guard) => guard,
        None => unreachable!("an acquisition without a deadline always succeeds"),
    }
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
