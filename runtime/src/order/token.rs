//! What an acquisition gets from the order checks: the [`Checked`] proof that lets it wait,
//! and the [`Held`] token its guard carries until the lock is released.

use crate::order::held::{self, Record};
use crate::order::node::OrderNode;
use crate::order::site::LockSite;

/// A guard's token: its record in this thread's list of held locks (debug builds) and,
/// with the `profile` feature, the timing of a sampled hold. In a release build without the
/// profile it is zero-sized and has no `Drop`, so a guard is exactly parking_lot's.
#[derive(Debug)]
pub(crate) struct Held<'a> {
    record: Record<'a>,
    #[cfg(feature = "profile")]
    sample: Sample,
}

impl Held<'_> {
    /// No record: a `read_mostly` read, which holds no lock.
    pub(crate) const NONE: Self = Self {
        record: Record::NONE,
        #[cfg(feature = "profile")]
        sample: Sample::NONE,
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

    /// This token, timing its hold for the profile when `sample` says so.
    #[inline(always)]
    pub(crate) fn sampled(self, sample: Sample) -> Self {
        #[cfg(feature = "profile")]
        {
            let mut this = self;
            this.sample = sample;
            this
        }
        #[cfg(not(feature = "profile"))]
        {
            let () = sample;
            self
        }
    }
}

/// What an acquisition hands its guard's token for the profile: the start of a sampled
/// hold; nothing without the feature.
#[cfg(feature = "profile")]
pub(crate) type Sample = crate::profile::Sample;
/// What an acquisition hands its guard's token for the profile: nothing without it.
#[cfg(not(feature = "profile"))]
pub(crate) type Sample = ();

/// Records that this thread now holds `site`'s lock (whose node in the order graph is
/// `node`), until the returned token drops.
#[inline(always)]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn hold(site: LockSite, node: &OrderNode) -> Held<'_> {
    Held {
        record: held::hold(site, node),
        #[cfg(feature = "profile")]
        sample: Sample::NONE,
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
        #[cfg(feature = "profile")]
        sample: Sample::NONE,
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
