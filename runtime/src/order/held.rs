//! Per-thread tracking: the locks this thread holds, in the order it took them (debug
//! builds), and the checks that read that list. Release builds keep no list: every function
//! here is empty and inlined away.

use core::marker::PhantomData;

/// How many locks one thread's record holds at once; beyond that, locks are not checked.
#[cfg(debug_assertions)]
pub(crate) const CAPACITY: usize = 64;

/// Makes every guard `!Send` (and leaves it `Sync`), in every build and whatever
/// parking_lot's features: a lock is released by the thread that took it, the records
/// here are per thread, and a guard must not cross an `.await` in a `Send` future.
/// (parking_lot's own guards are `Send` when any crate enables its `send_guard` feature.)
pub(super) type StaysHere = PhantomData<std::sync::MutexGuard<'static, ()>>;

#[cfg(debug_assertions)]
mod tracking {
    use super::{CAPACITY, StaysHere};
    use crate::order::site::LockSite;
    use core::cell::RefCell;
    use core::marker::PhantomData;

    /// The locks one thread holds, in the order it took them. A fixed array of `Copy`
    /// records, so the thread-local has no destructor and is never gone.
    struct HeldList {
        sites: [Option<LockSite>; CAPACITY],
        len: usize,
    }

    impl HeldList {
        fn iter(&self) -> impl Iterator<Item = &LockSite> {
            self.sites[..self.len].iter().flatten()
        }
    }

    std::thread_local! {
        static HELD: RefCell<HeldList> = const {
            RefCell::new(HeldList { sites: [None; CAPACITY], len: 0 })
        };
    }

    /// Panics if taking `site` could deadlock with a lock this thread holds. Called before
    /// every acquisition that can wait.
    #[track_caller]
    pub(crate) fn check(site: &LockSite) {
        let conflict = HELD.with(|held| held.borrow().iter().find_map(|h| site.conflict_with(h)));
        if let Some(message) = conflict {
            panic!("{message}");
        }
    }

    /// Panics if this thread holds any lock (tracked, other than `own`): it is about to
    /// wait for a condition on `site`, and the thread that would make the condition true
    /// may need the lock it holds.
    #[track_caller]
    pub(crate) fn check_alone(site: &LockSite, own: Option<&LockSite>) {
        let held = HELD.with(|held| {
            held.borrow()
                .iter()
                .find(|h| own.is_none_or(|own| !h.same_lock(own)))
                .copied()
        });
        let Some(held) = held else { return };
        if let Some(relock) = site.conflict_with(&held) {
            panic!("{relock}");
        }
        panic!(
            "lockwise: this thread waits for a condition on the `{}` of {} while it holds the \
             `{}` of {}; the thread that would make the condition true may need that lock, \
             and would wait for this one forever: drop the other guard before waiting",
            site.part_name(),
            site.owner_name(),
            held.part_name(),
            held.owner_name(),
        );
    }

    /// Records that this thread now holds `site`'s lock, until the returned token drops.
    pub(crate) fn hold(site: LockSite) -> Record {
        let recorded = HELD.with(|held| {
            let mut held = held.borrow_mut();
            let len = held.len;
            if len == CAPACITY {
                return false;
            }
            held.sites[len] = Some(site);
            held.len += 1;
            true
        });
        Record(recorded.then_some(site), PhantomData)
    }

    /// A guard's record in this thread's list of held locks. Not `Send` (see `StaysHere`).
    #[derive(Debug)]
    pub(crate) struct Record(Option<LockSite>, StaysHere);

    impl Record {
        pub(crate) const NONE: Self = Self(None, PhantomData);

        /// Panics if this thread holds another lock than this guard's: it is about to wait
        /// for a condition, releasing only this one (see [`check_alone`]).
        #[track_caller]
        pub(crate) fn check_waits_alone(&self) {
            if let Some(site) = &self.0 {
                check_alone(site, Some(site));
            }
        }

        /// Panics if this thread holds this guard's lock through another guard too: an
        /// upgrade waits for every other reader to leave, this thread included.
        #[track_caller]
        pub(crate) fn check_sole_holder(&self) {
            let Some(site) = self.0 else { return };
            let holders =
                HELD.with(|held| held.borrow().iter().filter(|h| h.same_lock(&site)).count());
            if holders > 1 {
                panic!(
                    "lockwise: upgrading the lock of this {} waits for every other reader to \
                     leave, but this thread holds another guard of it too, so the upgrade would \
                     deadlock; drop that guard first",
                    site.owner_name()
                );
            }
        }
    }

    impl Drop for Record {
        fn drop(&mut self) {
            let Some(site) = self.0 else { return };
            // Guards can drop in any order; remove the latest matching record.
            HELD.with(|held| {
                let mut held = held.borrow_mut();
                let len = held.len;
                let found = held.sites[..len]
                    .iter()
                    .rposition(|h| h.is_some_and(|h| h.same_lock(&site)));
                if let Some(at) = found {
                    held.sites.copy_within(at + 1..len, at);
                    held.sites[len - 1] = None;
                    held.len -= 1;
                }
            });
        }
    }
}

#[cfg(not(debug_assertions))]
mod tracking {
    use super::StaysHere;
    use crate::order::site::LockSite;
    use core::marker::PhantomData;

    #[inline(always)]
    pub(crate) fn check(_site: &LockSite) {}

    #[inline(always)]
    pub(crate) fn check_alone(_site: &LockSite, _own: Option<&LockSite>) {}

    #[inline(always)]
    pub(crate) fn hold(_site: LockSite) -> Record {
        Record(PhantomData)
    }

    /// Release builds keep no record: a zero-sized token without `Drop`.
    #[derive(Debug)]
    pub(crate) struct Record(StaysHere);

    impl Record {
        pub(crate) const NONE: Self = Self(PhantomData);

        #[inline(always)]
        pub(crate) fn check_sole_holder(&self) {}

        #[inline(always)]
        pub(crate) fn check_waits_alone(&self) {}
    }
}

pub(super) use tracking::{Record, check, check_alone, hold};
