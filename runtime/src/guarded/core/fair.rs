//! No waiter starves: Go's starvation mode on top of parking_lot. [`Waiters::acquire`] and
//! [`Waiters::release`] are the protocol; [`Fair`] is the exclusive guard released through it.
//!
//! parking_lot's locks are unfair: a thread that releases a lock and takes it again at once
//! usually wins against a thread that was woken to take it, so a thread that re-locks in a
//! loop can keep another one waiting indefinitely. parking_lot 0.12 forced a fair release
//! about every 0.5 ms ("eventual fairness"); 0.13 no longer does. lockwise does it itself,
//! the way Go's `sync.Mutex` does:
//!
//! - A blocking acquisition first waits in line for [`PATIENCE`] (1 ms, Go's value) with a
//!   timed acquisition, whose fast path is the same compare-and-swap as a plain `lock()`
//!   (in parking_lot 0.12.5 and 0.13).
//! - If that runs out, the thread marks the lock *starving* (a count in the lock's
//!   [`Waiters`] word) and waits without a limit (`try_lock_for(Duration::MAX)`:
//!   parking_lot turns an unrepresentable deadline into none). It removes the mark once it
//!   holds the lock.
//! - Every release of an exclusive lock loads the word while it still holds the lock. When
//!   it is not zero, a starving mark makes the release fair (`unlock_fair`: the lock goes
//!   to the thread first in line, without a window in which the releasing thread could
//!   take it back), and condition waiters are woken (`condition/`).
//! - Timed acquisitions (`try_*_for`) take part too: after [`PATIENCE`] they mark the lock
//!   starving for the rest of their timeout.
//!
//! So a starving thread waits for at most the threads queued before it in parking_lot's
//! queue, each for one critical section. The uncontended cost is that one load and test;
//! under contention that lasts 1 ms, throughput drops to one lock transfer per critical
//! section, the price of fairness. Only API that both parking_lot versions have is used
//! (`try_*_for`, the guards' `unlock_fair`).
//!
//! Decisions, each measured with `benches/guarded_instructions.rs`:
//!
//! - *Shared (rw) read guards release without looking at the word*, which keeps `read()`
//!   at parking_lot's instruction count. A writer that waits for readers already holds
//!   parking_lot's writer bit, which keeps new readers out (writer preference), so
//!   overlapping readers cannot starve it; readers are starved only by writers, whose
//!   releases do the handoff; and readers never change the state, so they have no one to
//!   wake. Upgradable reads are exclusive among themselves and with writers, so their
//!   release checks the word, as does mutex mode's read guard (`read()` is the exclusive
//!   lock there, and a thread re-reading in a loop would starve a writer otherwise).
//! - *The acquisition's first, patient attempt is inline; the starving one and the
//!   release's slow path are outlined.* The patient attempt (`timed(PATIENCE)`: one
//!   compare-and-swap when the lock is free) is the closure's one call on the fast path.
//!   When the starving attempt was inline too, `timed` had two calls in `acquire`, and in a
//!   program that takes one lock from several places the compiler kept the acquisition as a
//!   function of its own, called from each of them: measured +12 instructions per
//!   `write()` (31 against parking_lot's 19, `benches/guarded_instructions.rs`,
//!   "many_sites"), and +13 on a sharded map's `insert`. Outlined, the starving path costs
//!   the single-call-site case one instruction: an out-of-line function's guard is opaque
//!   to the compiler, so after the two paths join the guard and the lock's word live in two
//!   registers (`write()` is parking_lot + 4 at one call site and at many; the inline
//!   version was + 3 at one and + 12 at many). The release's slow path returns nothing, so
//!   it stays an outlined `#[cold]` function; it loads the word again (the lock is still
//!   held), so that no register has to carry it there.
//! - *[`Fair`] keeps the parking_lot guard in an `Option`*, so that `Drop` can move it into
//!   `unlock_fair` and `wait_until` can take it out and put a new one back, without
//!   `unsafe`. Constructed and used in one inlined function, the `Option` costs nothing: the
//!   compiler sees that it is `Some` (measured: no instruction of an inlined `write()` comes
//!   from it). A guard passed out of a function that is not inlined costs a test per deref.
//!   Without the `Option`, `Drop` would need a fair release through `&mut` of the guard, and
//!   parking_lot has none that does not take the lock again (`unlocked_fair` re-locks before
//!   it returns: a drop would wait for the next holder's critical section, and deadlock if
//!   that holder waits for the dropping thread); the alternative is `ManuallyDrop::take`
//!   and `unsafe`. The `Option` itself sits in a (safe) `ManuallyDrop`, so that the drop
//!   glue does not drop it a second time after `Drop` took it: see [`Fair`]'s field.

use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};
use core::time::Duration;

use std::time::Instant;

use crate::guarded::core::condition;
use crate::guarded::core::waiters::{Unlock, Waiters};

/// How long a blocked acquisition waits in line before it asks for a fair handoff (Go's
/// `starvationThresholdNs`).
pub const PATIENCE: Duration = Duration::from_millis(1);

impl Waiters {
    /// Takes a lock with bounded waiting: `timed(PATIENCE)` first (the uncontended path:
    /// one compare-and-swap, as in a plain `lock()`), and if that gives up, again without a
    /// limit, with this lock marked starving, so that releases hand it over in queue order
    /// until this thread has it. The wait without a limit is `timed(Duration::MAX)`:
    /// parking_lot turns a deadline past the end of time into no deadline, so it always
    /// returns a guard.
    ///
    /// All of it inline, on purpose (see the module docs): both guards are built by the
    /// inlined `timed`, so the compiler knows they point at the caller's lock.
    #[inline]
    pub(crate) fn acquire<G>(&self, timed: impl Fn(Duration) -> Option<G>) -> G {
        if let Some(guard) = timed(PATIENCE) {
            return guard;
        }
        self.acquire_starving(timed)
    }

    /// The rest of [`acquire`](Self::acquire), after waiting [`PATIENCE`]. Out of line so
    /// that `timed` has one call site on the fast path: called twice there, the compiler
    /// kept it as a function of its own, and a sharded map's `insert` paid a call for its
    /// compare-and-swap (BENCHMARKS.md, "sharded").
    #[cold]
    #[inline(never)]
    fn acquire_starving<G>(&self, timed: impl Fn(Duration) -> Option<G>) -> G {
        // parking_lot's acquisitions do not panic, so the mark needs no drop guard.
        self.mark_starving();
        let Some(guard) = timed(Duration::MAX) else {
            unreachable!("an acquisition without a deadline always succeeds")
        };
        self.unmark_starving();
        guard
    }

    /// Like [`acquire`](Self::acquire), but gives up after `timeout`: a timed acquisition
    /// that has waited [`PATIENCE`] marks the lock starving for the rest of its wait.
    #[inline]
    pub(crate) fn acquire_for<G>(
        &self,
        timeout: Duration,
        timed: impl Fn(Duration) -> Option<G>,
    ) -> Option<G> {
        if let Some(guard) = timed(timeout.min(PATIENCE)) {
            return Some(guard);
        }
        if timeout <= PATIENCE {
            return None;
        }
        self.mark_starving();
        let guard = timed(timeout - PATIENCE);
        self.unmark_starving();
        guard
    }

    /// Releases `guard`: fairly if a waiter is starving, and then, for a guard that may
    /// have changed the state (`writes`), wakes the condition waiters. The word is read
    /// before the lock is released.
    #[inline]
    pub(crate) fn release<G: Unlock>(&self, guard: G, writes: bool) {
        // One compare with memory and a branch; the slow path loads the word again (the
        // lock is still held), so that no register has to carry it there.
        if self.load() == 0 {
            guard.unlock(false);
        } else {
            self.release_slow(guard, writes);
        }
    }

    #[cold]
    #[inline(never)]
    fn release_slow<G: Unlock>(&self, guard: G, writes: bool) {
        let word = self.load();
        // Still held: no other sampled hold can begin before this one ends.
        self.end_sampled_hold(word);
        guard.unlock(Waiters::is_starving(word));
        if writes && Waiters::has_condition_waiters(word) {
            condition::notify(self);
        }
    }
}

/// Takes a lock with bounded waiting, or, with a deadline, gives up when it passes.
#[inline]
pub(crate) fn acquire_by<G>(
    waiters: &Waiters,
    deadline: Option<Instant>,
    timed: impl Fn(Duration) -> Option<G>,
) -> Option<G> {
    match deadline {
        None => Some(waiters.acquire(timed)),
        Some(deadline) => {
            waiters.acquire_for(deadline.saturating_duration_since(Instant::now()), timed)
        }
    }
}

/// A parking_lot guard of an exclusive lock, released through [`Waiters::release`]: fairly
/// when a waiter starves, and, when `WRITES` (a write guard), waking condition waiters.
/// What lockwise's guards hold in mutex mode, for rw writes and upgradable reads, and for
/// read_mostly's writer lock.
///
/// ```
/// use lockwise::{mode::Mutex, Guarded};
///
/// let v: Guarded<u8, Mutex> = Guarded::new(1);
/// assert_eq!(*v.read(), 1); // the read guard holds one of these
/// ```
pub struct Fair<'a, G: Unlock, const WRITES: bool> {
    /// `Some` until released (by `Drop`, or taken by an upgrade, downgrade or wait).
    ///
    /// In a `ManuallyDrop` because `Drop` always takes it out: without it the compiler's
    /// drop glue drops the field again after the release, and since the release's atomic
    /// may have changed any memory, reloads and tests it, which made the glue too large to
    /// inline into a sharded map's `insert`.
    guard: ManuallyDrop<Option<G>>,
    waiters: &'a Waiters,
}

/// An exclusive lock on no data, released through [`Fair`] as a write: read_mostly's
/// writer lock, held by a staged copy (erased or not) and by a publish.
pub(crate) type WriterLock<'a> = Fair<'a, parking_lot::MutexGuard<'a, ()>, true>;

impl<'a, G: Unlock, const WRITES: bool> Fair<'a, G, WRITES> {
    #[inline]
    pub(crate) fn new(guard: G, waiters: &'a Waiters) -> Self {
        Self {
            guard: ManuallyDrop::new(Some(guard)),
            waiters,
        }
    }

    /// The parking_lot guard, which the caller now releases (or turns into another).
    #[inline]
    pub(crate) fn into_parts(mut self) -> (G, &'a Waiters) {
        (self.take(), self.waiters)
    }

    /// Takes the parking_lot guard out to release it (to wait for a condition); until
    /// [`put`](Self::put) gives one back, dropping `self` releases nothing.
    #[inline]
    pub(crate) fn take(&mut self) -> G {
        match self.guard.take() {
            Some(guard) => guard,
            None => used_after_release(),
        }
    }

    /// Gives back a guard of the same lock, taken again after [`take`](Self::take).
    #[inline]
    pub(crate) fn put(&mut self, guard: G) {
        *self.guard = Some(guard);
    }

    /// The parking_lot guard (to find its lock).
    #[inline]
    pub(crate) fn guard(&self) -> &G {
        match &*self.guard {
            Some(guard) => guard,
            None => used_after_release(),
        }
    }

    #[inline]
    pub(crate) fn waiters(&self) -> &'a Waiters {
        self.waiters
    }
}

/// A [`Fair`] guard used after its release: a bug in lockwise, never in the caller's code.
/// It cannot unwind (`extern "C"`: the panic aborts), so that no function holding a guard
/// needs a cleanup path for it: with one, the guard's drop is emitted twice, and a drop
/// with two call sites is one the compiler no longer inlines (measured with the profile's
/// outlined wait: BENCHMARKS.md, "profile").
#[cold]
#[inline(never)]
extern "C" fn used_after_release() -> ! {
    panic!("lockwise: a Fair guard was used after its release (a bug in lockwise)")
}

impl<G: Unlock, const WRITES: bool> Drop for Fair<'_, G, WRITES> {
    #[inline]
    fn drop(&mut self) {
        if let Some(guard) = self.guard.take() {
            self.waiters.release(guard, WRITES);
        }
    }
}

impl<G: Unlock + Deref, const WRITES: bool> Deref for Fair<'_, G, WRITES> {
    type Target = G::Target;

    #[inline]
    fn deref(&self) -> &G::Target {
        match &*self.guard {
            Some(guard) => guard,
            None => used_after_release(),
        }
    }
}

impl<G: Unlock + DerefMut, const WRITES: bool> DerefMut for Fair<'_, G, WRITES> {
    #[inline]
    fn deref_mut(&mut self) -> &mut G::Target {
        match &mut *self.guard {
            Some(guard) => guard,
            None => used_after_release(),
        }
    }
}

#[cfg(all(test, not(loom), not(miri)))]
mod tests {
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use crate::guarded::core::waiters::Waiters;
    use crate::{Guarded, mode};

    /// How long the test waits for a thread that should be quick (a hang fails instead).
    const BOUND: Duration = Duration::from_secs(10);

    /// Holds the lock with `hold`, lets a waiter (`wait`) become starving, releases, and
    /// at once tries to take the lock again. With the handoff the lock already belongs to
    /// the waiter, so the retry fails; without it the lock is free and the retry succeeds.
    /// A waiter that had not parked yet when the lock was released cannot be handed the
    /// lock, so the experiment is repeated until one handoff is seen.
    fn handoff_is_seen<G>(
        waiters: &Waiters,
        hold: impl Fn() -> G + Sync,
        wait: impl Fn() + Sync,
        retry_fails: impl Fn() -> bool + Sync,
    ) -> bool {
        (0..20).any(|_| {
            thread::scope(|s| {
                let held = hold();
                let (done_tx, done_rx) = mpsc::channel();
                let wait = &wait;
                s.spawn(move || {
                    wait();
                    done_tx.send(()).unwrap();
                });
                let mut polls = 0;
                while !Waiters::is_starving(waiters.load()) {
                    assert!(polls < 10_000, "the waiter never marked the lock starving");
                    thread::sleep(Duration::from_millis(1));
                    polls += 1;
                }
                // Let it park (it spins a little first).
                thread::sleep(Duration::from_millis(20));
                drop(held);
                let handed_over = retry_fails();
                done_rx
                    .recv_timeout(BOUND)
                    .expect("the waiter never got the lock");
                handed_over
            })
        })
    }

    #[test]
    fn a_starving_mutex_waiter_is_handed_the_lock() {
        let lock: Guarded<u32, mode::Mutex> = Guarded::new(0);
        let handed = handoff_is_seen(
            &lock.waiters,
            || lock.write(),
            || *lock.write() += 1,
            || lock.try_write().is_none(),
        );
        assert!(
            handed,
            "the release never handed the lock to the starving waiter"
        );
    }

    #[test]
    fn a_starving_rw_reader_is_handed_the_lock_by_a_writer() {
        let lock: Guarded<u32, mode::Rw> = Guarded::new(0);
        let handed = handoff_is_seen(
            &lock.waiters,
            || lock.write(),
            || drop(lock.read()),
            // A writer cannot get in while the handed-over reader holds it.
            || lock.try_write().is_none(),
        );
        assert!(
            handed,
            "the release never handed the lock to the starving reader"
        );
    }

    #[test]
    fn a_starving_read_mostly_writer_is_handed_the_writer_lock() {
        let lock: Guarded<u32, mode::ReadMostly> = Guarded::new(0);
        let handed = handoff_is_seen(
            &lock.waiters,
            || lock.write(),
            || *lock.write() += 1,
            || lock.try_write().is_none(),
        );
        assert!(handed, "the release never handed the writer lock over");
    }

    #[test]
    fn the_starving_mark_is_removed_once_the_lock_is_taken() {
        let lock: Guarded<u32, mode::Mutex> = Guarded::new(0);
        handoff_is_seen(
            &lock.waiters,
            || lock.write(),
            || *lock.write() += 1,
            || true,
        );
        assert_eq!(lock.waiters.load(), 0);
        // A timed acquisition that waits past its patience marks and unmarks too.
        thread::scope(|s| {
            let held = lock.write();
            let timed = s.spawn(|| lock.try_write_for(Duration::from_millis(30)).is_some());
            thread::sleep(Duration::from_millis(60));
            drop(held);
            assert!(!timed.join().unwrap());
        });
        assert_eq!(lock.waiters.load(), 0);
    }
}
