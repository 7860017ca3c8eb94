//! The hidden `_at` plumbing of [`Guarded`]: every acquisition with an explicit
//! [`LockSite`], for the debug-build checks of `order/`. The plain methods (`lock.rs`) pass
//! the value's own site; generated per-field and per-shard code passes the field's or
//! shard's, so that lock order can be checked across the locks of one object. Every
//! acquisition that can wait gets its [`Checked`](order::Checked) proof from `order::check`
//! (or `check_alone`, before a condition wait), so none can skip the check; each is counted
//! for the profile through `profiled.rs`.

use core::time::Duration;
use std::time::Instant;

use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mode::{Acquire, Mode};
use crate::guarded::core::when::deadline_after;
use crate::guarded::lock::Guarded;
use crate::guarded::mode::{Mutex, ReadMostly, Rw};
use crate::guarded::profiled::ConditionClock;
use crate::order::{self, Held, LockSite, SiteLabel};
use crate::sync::const_unless_loom;

/// The constructors of generated `new`s: the mode's constructor and
/// [`labeled`](Guarded::labeled) in one call, with the user's type path (`module_path!()` +
/// `::Name`) as it is. One call with a string literal costs rustc less to check in the
/// `const fn new` of every `#[guarded]` struct than the two calls and the `SiteLabel` they
/// replace (BENCHMARKS.md, "Compile cost").
#[doc(hidden)]
impl<T> Guarded<T, Mutex> {
    const_unless_loom! {
        #[inline]
        pub fn mutex_labeled(value: T, path: &'static str) -> Self {
            Self::mutex(value).labeled(SiteLabel::new(path))
        }
    }
}

#[doc(hidden)]
impl<T> Guarded<T, Rw> {
    const_unless_loom! {
        #[inline]
        pub fn rw_labeled(value: T, path: &'static str) -> Self {
            Self::rw(value).labeled(SiteLabel::new(path))
        }
    }
}

#[doc(hidden)]
impl<T> Guarded<T, ReadMostly> {
    #[inline]
    pub fn read_mostly_labeled(value: T, path: &'static str) -> Self {
        Self::read_mostly(value).labeled(SiteLabel::new(path))
    }
}

/// Acquisition with an explicit [`LockSite`] (see the module docs).
#[doc(hidden)]
impl<T, M: Mode> Guarded<T, M> {
    /// Names this lock in debug-build messages after the user's type (generated code). No
    /// bound on the mode's operations, so that a read_mostly state without `Clone` can
    /// still be built (its one error is the missing `Clone`).
    #[inline]
    pub const fn labeled(mut self, label: SiteLabel) -> Self {
        self.label = label;
        self
    }

    /// This value's own lock, for the checks of the plain methods.
    #[inline]
    pub(super) fn site(&self) -> LockSite {
        LockSite::whole::<_, T>(self, self.label.path()).ordered_by(self.label)
    }

    /// A site given by generated code (a field's, a shard's), ordered as this lock's label
    /// says (`order = instance`): the label travels with the lock, so every shape that
    /// builds on `Guarded` can carry it.
    #[inline(always)]
    pub(super) fn given(&self, site: LockSite) -> LockSite {
        site.ordered_by(self.label)
    }

    /// Records that this thread holds this lock (at `site`), until the token drops.
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub(super) fn hold(&self, site: LockSite) -> Held<'_> {
        order::hold(site, &self.order)
    }

    /// The debug-build checks before an acquisition of this lock (at `site`) that can wait.
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub(super) fn check(&self, site: &LockSite) -> order::Checked {
        order::check(site, &self.order)
    }
}

#[doc(hidden)]
impl<T, M: Acquire<T>> Guarded<T, M> {
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read_at(&self, site: LockSite) -> ReadGuard<'_, T, M> {
        let site = self.given(site);
        if !M::READ_CAN_BLOCK {
            // A read_mostly read waits for no one, so it cannot be part of a deadlock.
            let never_waits = order::Checked::never_waits();
            let (inner, sample) = self.counted_unwaited(&site, false, || {
                M::read(&self.lock, &self.waiters, never_waits)
            });
            return ReadGuard::new(inner, Held::NONE, sample);
        }
        let checked = self.check(&site);
        let (inner, sample) = self.counted(
            &site,
            false,
            || M::try_read_first(&self.lock, &self.waiters),
            || M::read(&self.lock, &self.waiters, checked),
        );
        ReadGuard::new(inner, self.hold(site), sample)
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_read_at(&self, site: LockSite) -> Option<ReadGuard<'_, T, M>> {
        let site = self.given(site);
        let (inner, sample) =
            self.counted_now(&site, false, || M::try_read(&self.lock, &self.waiters))?;
        Some(ReadGuard::new(inner, self.hold_read(site), sample))
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_read_for_at(
        &self,
        timeout: Duration,
        site: LockSite,
    ) -> Option<ReadGuard<'_, T, M>> {
        let site = self.given(site);
        let checked = if M::READ_CAN_BLOCK {
            self.check(&site)
        } else {
            order::Checked::never_waits()
        };
        let (inner, sample) = self.counted_for(
            &site,
            false,
            timeout,
            || M::try_read(&self.lock, &self.waiters),
            |timeout| M::try_read_for(&self.lock, &self.waiters, timeout, checked),
        )?;
        Some(ReadGuard::new(inner, self.hold_read(site), sample))
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write_at(&self, site: LockSite) -> WriteGuard<'_, T, M> {
        let site = self.given(site);
        let checked = self.check(&site);
        let (inner, ()) = self.counted(
            &site,
            true,
            || M::try_write_first(&self.lock, &self.waiters),
            || M::write(&self.lock, &self.waiters, checked),
        );
        WriteGuard::new(inner, self.hold(site))
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_write_at(&self, site: LockSite) -> Option<WriteGuard<'_, T, M>> {
        let site = self.given(site);
        let (inner, ()) =
            self.counted_now(&site, true, || M::try_write(&self.lock, &self.waiters))?;
        Some(WriteGuard::new(inner, self.hold(site)))
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_write_for_at(
        &self,
        timeout: Duration,
        site: LockSite,
    ) -> Option<WriteGuard<'_, T, M>> {
        let site = self.given(site);
        let checked = self.check(&site);
        let (inner, ()) = self.counted_for(
            &site,
            true,
            timeout,
            || M::try_write(&self.lock, &self.waiters),
            |timeout| M::try_write_for(&self.lock, &self.waiters, timeout, checked),
        )?;
        Some(WriteGuard::new(inner, self.hold(site)))
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write_when_at(
        &self,
        ready: impl FnMut(&T) -> bool,
        site: LockSite,
    ) -> WriteGuard<'_, T, M> {
        match self.write_when_by_at(ready, None, site) {
            Some(guard) => guard,
            None => unreachable!("a wait without a deadline ends only when the condition holds"),
        }
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write_when_for_at(
        &self,
        ready: impl FnMut(&T) -> bool,
        timeout: Duration,
        site: LockSite,
    ) -> Option<WriteGuard<'_, T, M>> {
        self.write_when_by_at(ready, deadline_after(timeout), site)
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read_when_at(
        &self,
        ready: impl FnMut(&T) -> bool,
        site: LockSite,
    ) -> ReadGuard<'_, T, M> {
        match self.read_when_by_at(ready, None, site) {
            Some(guard) => guard,
            None => unreachable!("a wait without a deadline ends only when the condition holds"),
        }
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read_when_for_at(
        &self,
        ready: impl FnMut(&T) -> bool,
        timeout: Duration,
        site: LockSite,
    ) -> Option<ReadGuard<'_, T, M>> {
        self.read_when_by_at(ready, deadline_after(timeout), site)
    }

    #[cfg_attr(debug_assertions, track_caller)]
    pub(super) fn write_when_by_at(
        &self,
        ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
        site: LockSite,
    ) -> Option<WriteGuard<'_, T, M>> {
        let site = self.given(site);
        let checked = order::check_alone(&site);
        // Recorded before the predicate first runs, under the lock: a predicate that takes
        // this lock again, or an earlier field, panics as the same code outside it would,
        // and one that takes another value's lock records the edge from this one.
        let held = self.hold(site);
        // A condition wait is not lock contention: the clock times the wait for the
        // predicate, which the profile counts apart (`profiled.rs`).
        let mut clock = ConditionClock::default();
        let mut ready = ready;
        let acquired = M::write_when(
            &self.lock,
            &self.waiters,
            checked,
            |state| clock.check(ready(state)),
            deadline,
        );
        let (inner, ()) = self.counted_condition(&site, true, clock, acquired)?;
        Some(WriteGuard::new(inner, held))
    }

    #[cfg_attr(debug_assertions, track_caller)]
    pub(super) fn read_when_by_at(
        &self,
        ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
        site: LockSite,
    ) -> Option<ReadGuard<'_, T, M>> {
        let site = self.given(site);
        let checked = order::check_alone(&site);
        // Recorded while the predicate runs (see `write_when_by_at`), in read_mostly mode
        // too: its predicate runs under the writer lock, so a `store` inside it would wait
        // for itself.
        let held = self.hold(site);
        let mut clock = ConditionClock::default();
        let mut ready = ready;
        let acquired = M::read_when(
            &self.lock,
            &self.waiters,
            checked,
            |state| clock.check(ready(state)),
            deadline,
        );
        let (inner, sample) = self.counted_condition(&site, false, clock, acquired)?;
        Some(ReadGuard::new(inner, Self::kept_by_read(held), sample))
    }

    /// The record a read guard keeps of a lock held while its predicate ran: none for a
    /// read_mostly read, which holds nothing once the predicate has run.
    #[inline]
    pub(super) fn kept_by_read(held: Held<'_>) -> Held<'_> {
        if M::READ_CAN_BLOCK {
            held
        } else {
            // `Held` has a `Drop` in debug builds only (the record to remove).
            #[allow(clippy::drop_non_drop)]
            drop(held);
            Held::NONE
        }
    }

    /// How many threads and tasks wait for a condition on this value right now (tests).
    pub fn condition_waiters(&self) -> usize {
        self.waiters.condition_waiters()
    }

    /// A read guard's record: none for a read_mostly read, which holds no lock.
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn hold_read(&self, site: LockSite) -> Held<'_> {
        if M::READ_CAN_BLOCK {
            self.hold(site)
        } else {
            Held::NONE
        }
    }
}
