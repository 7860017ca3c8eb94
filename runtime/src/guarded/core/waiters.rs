//! The slow-path word of one lock ([`Waiters`]), and the one thing the core asks of a
//! parking_lot guard: that it can be released fairly ([`Unlock`]).
//!
//! The word counts two kinds of waiters: acquisitions in starvation mode (lower half of
//! the bits; `fair.rs`) and threads (or, feature `async`, tasks) waiting for a condition
//! on the lock's state (upper half; `condition/`). Zero almost always. Every release of an
//! exclusive lock loads it while it still holds the lock, and zero is the only cost on the
//! fast path: one load, one test, one branch.
//!
//! With the `profile` feature, one more bit rides in it: the top bit of the lower half
//! marks an exclusive hold whose time is being sampled (one in 64). Its holder set it, and
//! its release, finding the word non-zero, takes the slow path it has anyway and ends the
//! sample there ([`Waiters::end_sampled_hold`]). So an exclusive guard carries nothing for
//! the profile and its drop stays the unprofiled one, inlined: that was most of what
//! counting cost an exclusive acquisition (BENCHMARKS.md, "profile"). Every path that
//! releases an exclusive lock ends the sample while it still holds it: the release
//! ([`Waiters::release`]), a condition wait (`condition::wait`) and rw's downgrade. A
//! shared hold never sets the bit (rw readers do not look at the word on release), and
//! while the bit is set nobody else holds the lock, so no other release can see it.
//!
//! The word is read with a relaxed load: what a thread wrote to it before releasing the
//! lock is visible to the next holder through the lock's own release/acquire, and later
//! changes are not needed for correctness (the no-lost-wake-up argument, in the module
//! docs of `condition/`). An atomic load is not folded into a compare, so the test is three
//! instructions; two would need a non-atomic read, that is, `unsafe`.
//!
//! This file knows neither protocol: the conditions (`condition/`) and the fair handoff
//! (`fair.rs`) both build on it, and only `fair.rs` builds on the conditions.

use crate::sync::{AtomicUsize, Ordering, const_unless_loom};

/// One starving acquisition, in [`Waiters`]' word: the lower half of the bits. One, so
/// that marking and unmarking are a `lock inc`/`lock dec`, inlined into every blocking
/// acquisition without a constant to keep in a callee-saved register (measured: an upper-
/// half mark cost the uncontended `write()` a saved register, +2 instructions).
const STARVING: usize = 1;
/// A sampled exclusive hold (feature `profile`): the top bit of the lower half, above any
/// count of starving threads there can be.
const SAMPLED: usize = WAITER >> 1;
/// The starving acquisitions' part of the word.
const STARVINGS: usize = SAMPLED - 1;
/// One thread waiting for a condition: the upper half of the bits.
const WAITER: usize = 1 << (usize::BITS / 2);

/// The slow-path word of one lock: how many threads wait for it in starvation mode (lower
/// half) and how many wait for a condition on its state (upper half). Zero almost always;
/// a release tests it with one comparison.
///
/// Part of [`Guarded`](crate::Guarded); not something to use on its own.
///
/// ```
/// use lockwise::{mode::Mutex, Guarded};
///
/// // Every `Guarded` has one; an uncontended release only checks that it is zero.
/// let v: Guarded<u8, Mutex> = Guarded::new(0);
/// *v.write() += 1;
/// ```
#[derive(Debug)]
pub struct Waiters {
    word: AtomicUsize,
    /// The profile's counters of this lock, registered on its first acquisition
    /// (`guarded/profiled.rs`): here, so that a release can end a sampled hold.
    #[cfg(feature = "profile")]
    pub(crate) profile: std::sync::OnceLock<std::sync::Arc<crate::profile::LockCounters>>,
}

impl Waiters {
    const_unless_loom! {
        #[inline]
        pub(crate) fn new() -> Self {
            Self {
                word: AtomicUsize::new(0),
                #[cfg(feature = "profile")]
                profile: std::sync::OnceLock::new(),
            }
        }
    }

    /// The word, read by a thread that holds the lock. Relaxed is enough (see the module
    /// docs).
    #[inline]
    pub(crate) fn load(&self) -> usize {
        self.word.load(Ordering::Relaxed)
    }

    /// How many threads and tasks wait for a condition right now (tests, `Debug`).
    pub(crate) fn condition_waiters(&self) -> usize {
        self.load() / WAITER
    }

    /// Counts a condition waiter; called while holding the lock. Returns the word before.
    #[inline]
    pub(crate) fn register(&self) -> usize {
        self.word.fetch_add(WAITER, Ordering::Relaxed)
    }

    /// Uncounts a condition waiter that no longer waits.
    #[inline]
    pub(crate) fn unregister(&self) {
        self.word.fetch_sub(WAITER, Ordering::Relaxed);
    }

    /// Marks the lock starving: from now on every release hands it over in queue order.
    #[inline(always)]
    pub(crate) fn mark_starving(&self) {
        self.word.fetch_add(STARVING, Ordering::Relaxed);
    }

    /// Removes one starving mark: its acquisition holds the lock now, or gave up.
    #[inline(always)]
    pub(crate) fn unmark_starving(&self) {
        self.word.fetch_sub(STARVING, Ordering::Relaxed);
    }

    /// Whether `word` (as returned by [`register`](Self::register)) says someone else waits
    /// for a condition.
    #[inline]
    pub(crate) fn has_condition_waiters(word: usize) -> bool {
        word >= WAITER
    }

    /// Starts timing this exclusive hold (feature `profile`), called by its holder: the
    /// mark makes its release take the slow path, which ends the sample.
    ///
    /// `extern "C"`: it cannot unwind (it does not panic), so the caller, which holds the
    /// guard by now, needs no cleanup path that would drop it; with one, the guard's drop
    /// is emitted twice and no longer inlined (measured: `profiled.rs`'s module docs).
    #[cfg(feature = "profile")]
    #[cold]
    #[inline(never)]
    pub(crate) extern "C" fn begin_sampled_hold(&self, counters: &crate::profile::LockCounters) {
        counters.begin_exclusive_hold();
        self.word.fetch_add(SAMPLED, Ordering::Relaxed);
    }

    /// Ends the sampled hold that `word` (read by the holder, before it releases) marks, if
    /// any. Without the `profile` feature no hold is ever marked.
    #[inline]
    pub(crate) fn end_sampled_hold(&self, word: usize) {
        if word & SAMPLED != 0 {
            self.end_sampled_hold_slow();
        }
    }

    #[cold]
    #[inline(never)]
    fn end_sampled_hold_slow(&self) {
        self.word.fetch_sub(SAMPLED, Ordering::Relaxed);
        #[cfg(feature = "profile")]
        if let Some(counters) = self.profile.get() {
            counters.end_exclusive_hold();
        }
    }

    /// Whether `word` says a thread is starving for the lock.
    #[inline]
    pub(crate) fn is_starving(word: usize) -> bool {
        word & STARVINGS != 0
    }
}

/// A parking_lot guard that can be released fairly. Implemented for the guards lockwise
/// holds; sealed.
pub trait Unlock: Sized + sealed::Sealed {
    /// Releases the lock; `fair` hands it to the first thread in line.
    #[doc(hidden)]
    fn unlock(self, fair: bool);
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! unlock_fairly {
    ($($guard:ident),* $(,)?) => {$(
        impl<T: ?Sized> sealed::Sealed for parking_lot::$guard<'_, T> {}
        impl<T: ?Sized> Unlock for parking_lot::$guard<'_, T> {
            #[inline]
            fn unlock(self, fair: bool) {
                if fair {
                    parking_lot::$guard::unlock_fair(self);
                } else {
                    drop(self);
                }
            }
        }
    )*};
}

unlock_fairly!(
    MutexGuard,
    MappedMutexGuard,
    RwLockReadGuard,
    RwLockWriteGuard,
    RwLockUpgradableReadGuard,
    MappedRwLockReadGuard,
    MappedRwLockWriteGuard,
);

// The loom model stands the user's lock in with a loom mutex (`condition/loom.rs`).
#[cfg(loom)]
impl<T> sealed::Sealed for loom::sync::MutexGuard<'_, T> {}
#[cfg(loom)]
impl<T> Unlock for loom::sync::MutexGuard<'_, T> {
    fn unlock(self, _fair: bool) {
        drop(self);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Waiters;

    /// The two counts share one word without reading as each other: a starving mark never
    /// looks like a condition waiter (a release would notify for nothing), and a condition
    /// waiter never makes a release fair.
    #[test]
    fn starving_marks_and_condition_waiters_are_counted_apart() {
        let waiters = Waiters::new();
        assert_eq!(waiters.load(), 0);

        waiters.mark_starving();
        waiters.mark_starving();
        let word = waiters.load();
        assert!(Waiters::is_starving(word));
        assert!(!Waiters::has_condition_waiters(word));
        assert_eq!(waiters.condition_waiters(), 0);

        let before = waiters.register();
        assert!(!Waiters::has_condition_waiters(before));
        let word = waiters.register();
        assert!(Waiters::has_condition_waiters(word));
        assert!(Waiters::is_starving(word));
        assert_eq!(waiters.condition_waiters(), 2);

        waiters.unmark_starving();
        waiters.unmark_starving();
        let word = waiters.load();
        assert!(!Waiters::is_starving(word));
        assert!(Waiters::has_condition_waiters(word));
        assert_eq!(waiters.condition_waiters(), 2);

        waiters.unregister();
        waiters.unregister();
        assert_eq!(waiters.load(), 0);
    }

    /// A sampled hold's mark is neither a starving thread nor a condition waiter, and its
    /// end removes it.
    #[test]
    fn a_sampled_hold_is_neither_starving_nor_waiting() {
        let waiters = Waiters::new();
        waiters
            .word
            .fetch_add(super::SAMPLED, crate::sync::Ordering::Relaxed);
        let word = waiters.load();
        assert_ne!(word, 0, "its release takes the slow path");
        assert!(!Waiters::is_starving(word));
        assert!(!Waiters::has_condition_waiters(word));
        waiters.mark_starving();
        assert!(Waiters::is_starving(waiters.load()));
        waiters.unmark_starving();
        waiters.end_sampled_hold(word);
        assert_eq!(waiters.load(), 0);
    }
}
