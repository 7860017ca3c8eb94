//! Deadlocks found before they happen, in debug builds.
//!
//! - Taking a lock this thread already holds blocks forever (a mutex), or until a queued
//!   writer gives up, which it never does (a reader-writer lock; Go's `RWMutex` forbids
//!   recursive read locking for the same reason).
//! - Two threads that take the same two locks in opposite orders can deadlock. For a
//!   struct whose fields each have a lock, lockwise fixes the order: the order the fields
//!   are declared in.
//!
//! In debug builds every thread keeps a short list of the locks it holds. Taking a lock
//! it already holds, or a field lock while holding a later-declared one of the same
//! object, panics at once with both names, before the thread can block.
//!
//! Release builds compile all of this away: [`Held`] is a zero-sized type without `Drop`,
//! and the check is an empty inline function.
//!
//! An object is identified by its address and its full type name (`type_name::<O>()`):
//! sound while any of its guards is alive (the guard borrows it, so it cannot move), and
//! two objects at one address (one nested at offset 0 of the other) differ in type. A
//! guard leaked with `mem::forget` leaves its record behind, as it leaves its lock locked;
//! a later value at the same address may then be reported as held.

use core::marker::PhantomData;

/// Which lock an acquisition takes: the object, its type, and for per-field locks the
/// field. Generated code builds one for each field-lock acquisition; in release builds it
/// is never read.
///
/// ```
/// use lockwise::__private::LockSite;
///
/// struct Server;
/// let server = Server;
/// let site = LockSite::of(&server, "Server", &["config", "stats"], 1);
/// assert_eq!(site.field(), "stats");
/// ```
#[derive(Clone, Copy, Debug)]
// Release builds never check, so never read most of a site.
#[cfg_attr(not(debug_assertions), allow(dead_code))]
pub struct LockSite {
    owner: usize,
    /// `type_name::<O>()` of the owner: with `owner`, what makes an object.
    identity: &'static str,
    /// The name messages use: the struct's name as written, or the guarded type.
    type_name: &'static str,
    fields: &'static [&'static str],
    index: usize,
}

impl LockSite {
    /// The lock of field `fields[index]` of `owner`; messages call its type `type_name`.
    #[inline]
    pub fn of<O>(
        owner: &O,
        type_name: &'static str,
        fields: &'static [&'static str],
        index: usize,
    ) -> Self {
        Self {
            owner: owner as *const O as usize,
            identity: core::any::type_name::<O>(),
            type_name,
            fields,
            index,
        }
    }

    /// The one lock of `owner`, which locks a value that messages call `type_name`.
    #[inline]
    pub(crate) fn whole<O>(owner: &O, type_name: &'static str) -> Self {
        Self::of(owner, type_name, &[], 0)
    }

    /// The name of the field this site locks.
    pub fn field(&self) -> &'static str {
        self.fields.get(self.index).copied().unwrap_or("?")
    }

    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    fn same_object(&self, other: &Self) -> bool {
        self.owner == other.owner && self.identity == other.identity
    }

    /// Why taking `self` while holding `held` could deadlock, if it could.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    fn conflict_with(&self, held: &Self) -> Option<String> {
        if !self.same_object(held) || held.index < self.index {
            return None;
        }
        let ty = self.type_name;
        let (wanted, holding) = (self.field(), held.field());
        Some(if self.fields.is_empty() {
            format!(
                "lockwise: this thread already holds the lock of this `{ty}` and is taking it \
                 again, which would deadlock; drop the first guard first (for example, do not \
                 call `read()` inside `with_write(..)` on the same value)"
            )
        } else if held.index == self.index {
            format!(
                "lockwise: this thread already holds the lock of `{ty}::{wanted}` and is taking \
                 it again, which would deadlock; drop the first guard before locking \
                 `{wanted}` again"
            )
        } else {
            format!(
                "lockwise: lock order violation in `{ty}`: this thread holds `{holding}` and is \
                 taking `{wanted}`, which is declared before it. Fields of `{ty}` are locked in \
                 declaration order ({order}); take `{wanted}` first, or take both with \
                 `lock_all()`",
                order = self.fields.join(" → "),
            )
        })
    }
}

#[cfg(debug_assertions)]
mod tracking {
    use super::{LockSite, StaysHere};
    use core::marker::PhantomData;
    use std::cell::RefCell;

    std::thread_local! {
        /// The field locks this thread holds, in the order it took them.
        static HELD: RefCell<Vec<LockSite>> = const { RefCell::new(Vec::new()) };
    }

    /// Panics if this thread holds a lock that must come after `site`'s.
    #[track_caller]
    pub(crate) fn check(site: &LockSite) {
        let conflict = HELD
            .try_with(|held| held.borrow().iter().find_map(|h| site.conflict_with(h)))
            .ok()
            .flatten();
        if let Some(message) = conflict {
            panic!("{message}");
        }
    }

    /// Records that this thread now holds `site`'s lock, until the returned token drops.
    pub(crate) fn hold(site: LockSite) -> Held {
        let _ = HELD.try_with(|held| held.borrow_mut().push(site));
        Held(Some(site), PhantomData)
    }

    /// A guard's record in this thread's list of held locks. Not `Send` (see `StaysHere`).
    #[derive(Debug)]
    pub(crate) struct Held(Option<LockSite>, StaysHere);

    impl Held {
        pub(crate) const NONE: Self = Self(None, PhantomData);

        /// Panics if this thread holds this guard's lock through another guard too: an
        /// upgrade waits for every other reader to leave, this thread included.
        #[track_caller]
        pub(crate) fn check_sole_holder(&self) {
            let Some(site) = self.0 else { return };
            let holders = HELD
                .try_with(|held| {
                    let held = held.borrow();
                    held.iter()
                        .filter(|h| h.same_object(&site) && h.index == site.index)
                        .count()
                })
                .unwrap_or(0);
            if holders > 1 {
                panic!(
                    "lockwise: upgrading the lock of this `{}` waits for every other reader to \
                     leave, but this thread holds another guard of it too, so the upgrade would \
                     deadlock; drop that guard first",
                    site.type_name
                );
            }
        }
    }

    impl Drop for Held {
        fn drop(&mut self) {
            let Some(site) = self.0 else { return };
            // Guards can drop in any order; remove the latest matching record.
            let _ = HELD.try_with(|held| {
                let mut held = held.borrow_mut();
                if let Some(at) = held
                    .iter()
                    .rposition(|h| h.same_object(&site) && h.index == site.index)
                {
                    held.remove(at);
                }
            });
        }
    }
}

#[cfg(not(debug_assertions))]
mod tracking {
    use super::{LockSite, StaysHere};
    use core::marker::PhantomData;

    #[inline(always)]
    pub(crate) fn check(_site: &LockSite) {}

    #[inline(always)]
    pub(crate) fn hold(_site: LockSite) -> Held {
        Held(PhantomData)
    }

    /// Release builds keep no record: a zero-sized token without `Drop`.
    #[derive(Debug)]
    pub(crate) struct Held(StaysHere);

    impl Held {
        pub(crate) const NONE: Self = Self(PhantomData);

        #[inline(always)]
        pub(crate) fn check_sole_holder(&self) {}
    }
}

/// Makes every guard `!Send` (and leaves it `Sync`), in every build and whatever
/// parking_lot's features: a lock is released by the thread that took it, the records
/// above are per thread, and a guard must not cross an `.await` in a `Send` future.
/// (parking_lot's own guards are `Send` when any crate enables its `send_guard` feature.)
type StaysHere = PhantomData<std::sync::MutexGuard<'static, ()>>;

pub(crate) use tracking::{Held, check, hold};

#[cfg(test)]
mod tests {
    use super::*;

    static FIELDS: &[&str] = &["config", "stats", "log"];

    #[test]
    fn declaration_order_has_no_conflict() {
        let owner = 0u8;
        let first = LockSite::of(&owner, "Server", FIELDS, 0);
        let second = LockSite::of(&owner, "Server", FIELDS, 1);
        assert_eq!(second.conflict_with(&first), None);
    }

    #[test]
    fn reverse_order_names_both_fields_and_the_type() {
        let owner = 0u8;
        let config = LockSite::of(&owner, "Server", FIELDS, 0);
        let log = LockSite::of(&owner, "Server", FIELDS, 2);
        let message = config.conflict_with(&log).expect("a conflict");
        assert!(message.contains("`Server`"), "{message}");
        assert!(message.contains("holds `log`"), "{message}");
        assert!(message.contains("taking `config`"), "{message}");
        assert!(message.contains("config → stats → log"), "{message}");
    }

    #[test]
    fn same_field_again_is_a_conflict() {
        let owner = 0u8;
        let stats = LockSite::of(&owner, "Server", FIELDS, 1);
        let message = stats.conflict_with(&stats).expect("a conflict");
        assert!(message.contains("already holds"), "{message}");
        assert!(message.contains("`Server::stats`"), "{message}");
    }

    #[test]
    fn whole_lock_taken_again_is_a_conflict() {
        let owner = 0u8;
        let site = LockSite::whole(&owner, "CacheState");
        let message = site.conflict_with(&site).expect("a conflict");
        assert!(message.contains("`CacheState`"), "{message}");
        assert!(message.contains("already holds"), "{message}");
        let other = 1u8;
        assert_eq!(
            LockSite::whole(&other, "CacheState").conflict_with(&site),
            None
        );
    }

    #[test]
    fn other_objects_never_conflict() {
        let (a, b) = (0u8, 0u8);
        let a_log = LockSite::of(&a, "Server", FIELDS, 2);
        let b_config = LockSite::of(&b, "Server", FIELDS, 0);
        assert_eq!(b_config.conflict_with(&a_log), None);
        // Same address, different types, even with the same short name: a struct nested at
        // offset 0 of another.
        struct Outer {
            inner: u8,
        }
        let outer = Outer { inner: 0 };
        let inner_log = LockSite::of(&outer.inner, "Server", FIELDS, 2);
        let outer_config = LockSite::of(&outer, "Server", FIELDS, 0);
        assert_eq!(outer.inner, 0);
        assert_eq!(outer_config.conflict_with(&inner_log), None);
    }

    #[cfg(debug_assertions)]
    #[test]
    fn held_records_are_removed_in_any_drop_order() {
        let owner = 0u8;
        let first = hold(LockSite::of(&owner, "Server", FIELDS, 0));
        let second = hold(LockSite::of(&owner, "Server", FIELDS, 1));
        drop(first);
        // `config` is free again; `stats` is still held, so `config` conflicts.
        let config = LockSite::of(&owner, "Server", FIELDS, 0);
        assert!(std::panic::catch_unwind(|| check(&config)).is_err());
        drop(second);
        check(&config);
    }
}
