//! What an acquisition gets from the order checks: the [`Checked`] proof that lets it wait,
//! and the [`Held`] token its guard carries until the lock is released.

use crate::order::held::{self, Record};
use crate::order::node::OrderNode;
use crate::order::site::LockSite;

/// A guard's token: its record in this thread's list of held locks (debug builds). In a
/// release build it is zero-sized and has no `Drop`, so a guard is exactly parking_lot's.
/// (The profile's hold sample is not here: an exclusive hold's rides in its lock's word,
/// a shared one's in the read guard, as a [`GuardSample`].)
#[derive(Debug)]
pub(crate) struct Held<'a> {
    record: Record<'a>,
}

impl Held<'_> {
    /// No record: a `read_mostly` read, which holds no lock.
    pub(crate) const NONE: Self = Self {
        record: Record::NONE,
    };

    /// Panics if upgrading this guard's lock could deadlock (debug builds): this thread
    /// holds the lock through another guard too (an upgrade waits for every other reader
    /// to leave, this thread included), or waiting for it while holding what this thread
    /// took since inverts the order graph. The proof lets the upgrade wait.
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub(crate) fn check_upgrade(&self) -> Checked {
        self.record.check_upgrade();
        Checked(())
    }
}

/// The start of a sampled shared hold, carried by the guard (with the `profile` feature);
/// nothing without it.
#[cfg(feature = "profile")]
pub(crate) type Sample = crate::profile::Sample;
/// The start of a sampled shared hold: nothing without the `profile` feature.
#[cfg(not(feature = "profile"))]
pub(crate) type Sample = ();

/// What a guard carries to time its hold for the profile: a [`Sample`] where holds are
/// shared (an rw read, an upgradable read, a read_mostly snapshot), `()` where a hold is
/// exclusive (a mutex read; every write), whose sample rides in its lock's word instead
/// (`guarded/core/waiters.rs`), so that the guard is the unprofiled one. Each mode names
/// its read guard's (`Mode::ReadSample`). Not something to use on its own.
///
/// ```
/// use lockwise::{mode::Mutex, Guarded};
///
/// let v: Guarded<u8, Mutex> = Guarded::new(0);
/// let _exclusive = v.read(); // a mutex read guard carries `()`
/// ```
pub trait GuardSample: Sized {
    /// Whether the guard carries the sample (a shared hold), or the lock's word does.
    #[doc(hidden)]
    const IN_GUARD: bool;
    /// No hold is timed.
    #[doc(hidden)]
    const NONE: Self;
    /// As an erased guard keeps it (the owned guards, any mode).
    #[doc(hidden)]
    fn erase(self) -> Sample;
    /// Counts an acquisition of the lock `counters` belong to and, one time in 64, starts
    /// timing its hold in the guard (only called when [`IN_GUARD`](Self::IN_GUARD)).
    #[cfg(feature = "profile")]
    #[doc(hidden)]
    fn start(counters: &std::sync::Arc<crate::profile::LockCounters>, write: bool) -> Self;
}

impl GuardSample for () {
    const IN_GUARD: bool = false;
    const NONE: Self = ();
    #[inline(always)]
    #[allow(clippy::unused_unit)]
    fn erase(self) -> Sample {
        #[cfg(feature = "profile")]
        {
            Sample::NONE
        }
        #[cfg(not(feature = "profile"))]
        {}
    }
    #[cfg(feature = "profile")]
    #[inline(always)]
    fn start(_: &std::sync::Arc<crate::profile::LockCounters>, _: bool) -> Self {}
}

#[cfg(feature = "profile")]
impl GuardSample for Sample {
    const IN_GUARD: bool = true;
    const NONE: Self = Sample::NONE;
    #[inline(always)]
    fn erase(self) -> Sample {
        self
    }
    #[inline(always)]
    fn start(counters: &std::sync::Arc<crate::profile::LockCounters>, write: bool) -> Self {
        Sample::start(counters, write)
    }
}

/// Records that this thread now holds `site`'s lock (whose node in the order graph is
/// `node`), until the returned token drops.
#[inline(always)]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn hold(site: LockSite, node: &OrderNode) -> Held<'_> {
    Held {
        record: held::hold(site, node),
    }
}

/// [`hold`], recorded as taken at `at` (a future's acquisition: `at` is where the future
/// was made; the code that polls it is the executor's).
#[cfg(feature = "async")]
#[inline(always)]
pub(crate) fn hold_at<'a>(
    site: LockSite,
    node: &'a OrderNode,
    at: &'static core::panic::Location<'static>,
) -> Held<'a> {
    Held {
        record: held::hold_at(site, node, at),
    }
}

/// Proof that an acquisition which can wait was checked first. The modes' waiting
/// operations (`read`, `write`, `try_read_for`, `try_write_for`) take one, so no method,
/// whatever its name, can wait for a lock without the check. Zero-sized.
#[derive(Clone, Copy)]
pub struct Checked(());

impl Checked {
    /// For an acquisition that never waits (a `read_mostly` read), which nothing can
    /// deadlock.
    #[inline(always)]
    pub(crate) const fn never_waits() -> Self {
        Self(())
    }
}

/// Panics if taking `site` (whose node in the order graph is `node`) could deadlock with a
/// lock this thread holds, in this value or, through the order graph, across values
/// (debug builds); the returned proof lets the caller wait.
#[inline(always)]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn check(site: &LockSite, node: &OrderNode) -> Checked {
    held::check(site, node);
    Checked(())
}

/// Panics if this thread holds any lockwise lock (debug builds): it is about to wait for a
/// condition on `site` (`*_when`), and whoever would make the condition true may need the
/// lock it holds. Stricter than [`check`], so the proof covers taking `site` too, as often
/// as the wait needs.
#[inline(always)]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn check_alone(site: &LockSite) -> Checked {
    held::check_alone(site, None);
    Checked(())
}

/// Panics if this thread holds another lockwise lock than the one `held` records (debug
/// builds): a guard is about to wait for a condition, releasing its lock and taking it
/// back (`WriteGuard::wait_until`).
#[inline(always)]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn check_waits_alone(held: &Held<'_>) -> Checked {
    held.record.check_waits_alone();
    Checked(())
}
