//! Deadlocks found before they happen, in debug builds.
//!
//! - Taking a lock this thread already holds blocks forever (a mutex), or until a queued
//!   writer gives up, which it never does (a reader-writer lock; Go's `RWMutex` forbids
//!   recursive read locking for the same reason). This covers every lockwise lock: a whole
//!   struct's, a field's, a shard's.
//! - Two threads that take the same two locks in opposite orders can deadlock. For a
//!   struct whose fields each have a lock, lockwise fixes the order: the order the fields
//!   are declared in.
//!
//! In debug builds every thread keeps a short list of the locks it holds. An acquisition
//! that can wait (whatever its name: `read`, `write`, `try_read_for`, `upgrade`, ...) first
//! [`check`]s the list, and panics at once, naming the lock, if the thread holds that lock,
//! or a later-declared field lock of the same object. Acquisitions that cannot wait
//! (`try_read`, `try_write`) are not checked, but what they take is recorded.
//!
//! The list lives in a `const`-initialized thread-local without a destructor, so it stays
//! readable while the thread's other thread-locals are destroyed: a lock re-taken in a
//! thread-local's destructor panics as anywhere else, instead of hanging. It holds
//! [`CAPACITY`] locks; the ones a thread takes beyond that are not checked.
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

/// How many locks one thread's record holds at once; beyond that, locks are not checked.
pub const CAPACITY: usize = 64;

/// Which lock an acquisition takes: the object, and which of its locks. Generated code
/// builds one for each field or shard acquisition; in release builds it is never read.
///
/// ```
/// use lockwise::__private::LockSite;
///
/// struct Server;
/// let server = Server;
/// let site = LockSite::field(&server, "app::Server", &["config", "stats"], 1);
/// assert_eq!(site.part_name(), "stats");
/// ```
#[derive(Clone, Copy, Debug)]
// Release builds never check, so never read most of a site.
#[cfg_attr(not(debug_assertions), allow(dead_code))]
pub struct LockSite {
    owner: usize,
    /// `type_name::<O>()` of the owner: with `owner`, what makes an object.
    identity: &'static str,
    /// How messages name the owner: the user's type with its path (`app::Server`), or, for
    /// a `Guarded` made by hand, the guarded type.
    label: Label,
    part: Part,
}

/// Which lock of an object a [`LockSite`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(debug_assertions), allow(dead_code))]
enum Part {
    /// The one lock of a whole-struct type (or of a `Guarded` made by hand).
    Whole,
    /// Field `fields[index]`; fields are locked in declaration order.
    Field {
        fields: &'static [&'static str],
        index: usize,
    },
    /// Shard `index` of a sharded type.
    Shard { index: usize },
}

/// How messages name a lock's owner.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(debug_assertions), allow(dead_code))]
enum Label {
    /// The path of the user's type, as generated code spells it: `app::net::Server`.
    Path(&'static str),
    /// A `Guarded<T>` made by hand: `type_name::<T>()`.
    Guarded(&'static str),
}

impl LockSite {
    /// The lock of field `fields[index]` of `owner`, whose type's path is `path`.
    #[inline]
    pub fn field<O>(
        owner: &O,
        path: &'static str,
        fields: &'static [&'static str],
        index: usize,
    ) -> Self {
        Self::new(owner, Label::Path(path), Part::Field { fields, index })
    }

    /// The lock of shard `index` of `owner`, whose type's path is `path`.
    #[inline]
    pub fn shard<O>(owner: &O, path: &'static str, index: usize) -> Self {
        Self::new(owner, Label::Path(path), Part::Shard { index })
    }

    /// The one lock of `owner`: a whole-struct type at `path`, or, without a path, a
    /// `Guarded<T>` made by hand, named by `type_name::<T>()`.
    #[inline]
    pub(crate) fn whole<O, T>(owner: &O, path: Option<&'static str>) -> Self {
        let label = match path {
            Some(path) => Label::Path(path),
            None => Label::Guarded(core::any::type_name::<T>()),
        };
        Self::new(owner, label, Part::Whole)
    }

    #[inline]
    fn new<O>(owner: &O, label: Label, part: Part) -> Self {
        Self {
            owner: owner as *const O as usize,
            identity: core::any::type_name::<O>(),
            label,
            part,
        }
    }

    /// The profile's key of this site: the type's path, the part, and the lock's `kind`.
    #[cfg(feature = "profile")]
    pub(crate) fn profile_key(&self, kind: crate::profile::Kind) -> crate::profile::SiteKey {
        crate::profile::SiteKey {
            path: match self.label {
                Label::Path(path) | Label::Guarded(path) => path,
            },
            part: match self.part {
                Part::Whole => crate::profile::Part::Whole,
                Part::Field { fields, index } => {
                    crate::profile::Part::Field(fields.get(index).copied().unwrap_or("?"))
                }
                Part::Shard { index } => crate::profile::Part::Shard(index),
            },
            kind,
        }
    }

    /// The name of the part of the object this site locks: the field, `shard 3`, or
    /// `lock` for a whole-struct lock.
    pub fn part_name(&self) -> String {
        match self.part {
            Part::Whole => "lock".to_owned(),
            Part::Field { fields, index } => fields.get(index).copied().unwrap_or("?").to_owned(),
            Part::Shard { index } => format!("shard {index}"),
        }
    }

    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    fn same_lock(&self, other: &Self) -> bool {
        self.same_object(other) && self.part == other.part
    }

    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    fn same_object(&self, other: &Self) -> bool {
        self.owner == other.owner && self.identity == other.identity
    }

    /// The owner as messages name it once: "`Server` (app::net::Server)".
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    fn owner_name(&self) -> String {
        match self.label {
            Label::Path(path) => {
                let short = path.rsplit("::").next().unwrap_or(path);
                if short == path {
                    format!("`{short}`")
                } else {
                    format!("`{short}` ({path})")
                }
            }
            Label::Guarded(inner) => format!("`Guarded<{inner}>`"),
        }
    }

    /// The short name of the owner's type: `Server`.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    fn short_name(&self) -> &'static str {
        match self.label {
            Label::Path(path) => path.rsplit("::").next().unwrap_or(path),
            Label::Guarded(_) => "Guarded",
        }
    }

    /// Why taking `self` while holding `held` could deadlock, if it could.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    fn conflict_with(&self, held: &Self) -> Option<String> {
        if !self.same_object(held) {
            return None;
        }
        let owner = self.owner_name();
        let short = self.short_name();
        match (self.part, held.part) {
            (Part::Whole, Part::Whole) => Some(format!(
                "lockwise: this thread already holds the lock of this {owner} and is taking it \
                 again, which would deadlock; drop the first guard first (for example, do not \
                 call `read()` inside `with_write(..)` on the same value)"
            )),
            (Part::Shard { index }, Part::Shard { index: held_index }) if index == held_index => {
                Some(format!(
                    "lockwise: {owner} shard {index} is already held by this thread, and taking \
                     it again would deadlock: drop the guard of `read(&key)`/`write(&key)` (or \
                     leave the closure) before touching a key of the same shard again"
                ))
            }
            (
                Part::Field { fields, index },
                Part::Field {
                    index: held_index, ..
                },
            ) if held_index >= index => {
                let wanted = fields.get(index).copied().unwrap_or("?");
                if held_index == index {
                    Some(format!(
                        "lockwise: this thread already holds the lock of `{short}::{wanted}` (in \
                         {owner}) and is taking it again, which would deadlock; drop the first \
                         guard before locking `{wanted}` again"
                    ))
                } else {
                    let holding = fields.get(held_index).copied().unwrap_or("?");
                    Some(format!(
                        "lockwise: lock order violation in {owner}: this thread holds \
                         `{holding}` and is taking `{wanted}`, which is declared before it. \
                         Fields of `{short}` are locked in declaration order ({order}); take \
                         `{wanted}` first, or take both with `lock_all()`",
                        order = fields.join(" → "),
                    ))
                }
            }
            _ => None,
        }
    }
}

/// How a `Guarded` names itself in messages: the path of the user's type that holds it, set
/// by generated code; in release builds nothing at all.
///
/// ```
/// let label = lockwise::__private::SiteLabel::new("app::Cache");
/// # let _ = label;
/// ```
#[derive(Clone, Copy, Debug)]
pub struct SiteLabel {
    #[cfg(debug_assertions)]
    path: Option<&'static str>,
}

impl SiteLabel {
    /// No label: messages name the guarded type.
    pub(crate) const NONE: Self = Self {
        #[cfg(debug_assertions)]
        path: None,
    };

    /// The label of the user's type at `path` (`module_path!()` + `::Name`).
    pub const fn new(path: &'static str) -> Self {
        #[cfg(not(debug_assertions))]
        let _ = path;
        Self {
            #[cfg(debug_assertions)]
            path: Some(path),
        }
    }

    /// The path, in debug builds, where messages use it.
    #[inline]
    pub(crate) fn path(&self) -> Option<&'static str> {
        #[cfg(debug_assertions)]
        return self.path;
        #[cfg(not(debug_assertions))]
        return None;
    }
}

#[cfg(debug_assertions)]
mod tracking {
    use super::{CAPACITY, LockSite, StaysHere};
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
    use super::{LockSite, StaysHere};
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

/// Makes every guard `!Send` (and leaves it `Sync`), in every build and whatever
/// parking_lot's features: a lock is released by the thread that took it, the records
/// above are per thread, and a guard must not cross an `.await` in a `Send` future.
/// (parking_lot's own guards are `Send` when any crate enables its `send_guard` feature.)
type StaysHere = PhantomData<std::sync::MutexGuard<'static, ()>>;

/// A guard's token: its record in this thread's list of held locks (debug builds) and,
/// with the `profile` feature, the timing of a sampled hold. In a release build without the
/// profile it is zero-sized and has no `Drop`, so a guard is exactly parking_lot's.
#[derive(Debug)]
pub(crate) struct Held {
    record: tracking::Record,
    #[cfg(feature = "profile")]
    sample: Sample,
}

impl Held {
    /// No record: a `read_mostly` read, which holds no lock.
    pub(crate) const NONE: Self = Self {
        record: tracking::Record::NONE,
        #[cfg(feature = "profile")]
        sample: Sample::NONE,
    };

    /// See [`tracking::Record::check_sole_holder`].
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub(crate) fn check_sole_holder(&self) {
        self.record.check_sole_holder();
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

/// Records that this thread now holds `site`'s lock, until the returned token drops.
#[inline(always)]
pub(crate) fn hold(site: LockSite) -> Held {
    Held {
        record: tracking::hold(site),
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

/// Panics if taking `site` could deadlock with a lock this thread holds (debug builds);
/// the returned proof lets the caller wait.
#[inline(always)]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn check(site: &LockSite) -> Checked {
    tracking::check(site);
    Checked(())
}

/// Panics if this thread holds any lockwise lock (debug builds): it is about to wait for a
/// condition on `site` (`*_when`), and whoever would make the condition true may need the
/// lock it holds. Stricter than [`check`], so the proof covers taking `site` too, as often
/// as the wait needs.
#[inline(always)]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn check_alone(site: &LockSite) -> Checked {
    tracking::check_alone(site, None);
    Checked(())
}

/// Panics if this thread holds another lockwise lock than the one `held` records (debug
/// builds): a guard is about to wait for a condition, releasing its lock and taking it
/// back (`WriteGuard::wait_until`).
#[inline(always)]
#[cfg_attr(debug_assertions, track_caller)]
pub(crate) fn check_waits_alone(held: &Held) -> Checked {
    let held = &held.record;
    held.check_waits_alone();
    Checked(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static FIELDS: &[&str] = &["config", "stats", "log"];

    #[test]
    fn declaration_order_has_no_conflict() {
        let owner = 0u8;
        let first = LockSite::field(&owner, "app::Server", FIELDS, 0);
        let second = LockSite::field(&owner, "app::Server", FIELDS, 1);
        assert_eq!(second.conflict_with(&first), None);
    }

    #[test]
    fn reverse_order_names_both_fields_and_the_type_once() {
        let owner = 0u8;
        let config = LockSite::field(&owner, "app::Server", FIELDS, 0);
        let log = LockSite::field(&owner, "app::Server", FIELDS, 2);
        let message = config.conflict_with(&log).expect("a conflict");
        assert!(
            message.contains("lock order violation in `Server` (app::Server)"),
            "{message}"
        );
        assert!(message.contains("holds `log`"), "{message}");
        assert!(message.contains("taking `config`"), "{message}");
        assert!(message.contains("config → stats → log"), "{message}");
    }

    #[test]
    fn same_field_again_is_a_conflict() {
        let owner = 0u8;
        let stats = LockSite::field(&owner, "app::Server", FIELDS, 1);
        let message = stats.conflict_with(&stats).expect("a conflict");
        assert!(message.contains("already holds"), "{message}");
        assert!(message.contains("`Server::stats`"), "{message}");
    }

    #[test]
    fn whole_lock_taken_again_names_the_users_type() {
        let owner = 0u8;
        let site = LockSite::whole::<_, u8>(&owner, Some("app::cache::Cache"));
        let message = site.conflict_with(&site).expect("a conflict");
        assert!(message.contains("`Cache` (app::cache::Cache)"), "{message}");
        assert!(message.contains("already holds"), "{message}");
        let other = 1u8;
        let elsewhere = LockSite::whole::<_, u8>(&other, Some("app::cache::Cache"));
        assert_eq!(elsewhere.conflict_with(&site), None);
        // A `Guarded` made by hand is named by what it guards.
        let by_hand = LockSite::whole::<_, Vec<u8>>(&owner, None);
        let message = by_hand.conflict_with(&by_hand).expect("a conflict");
        assert!(
            message.contains("`Guarded<alloc::vec::Vec<u8>>`"),
            "{message}"
        );
    }

    #[test]
    fn the_same_shard_conflicts_and_other_shards_do_not() {
        let owner = 0u8;
        let three = LockSite::shard(&owner, "app::Sessions", 3);
        let five = LockSite::shard(&owner, "app::Sessions", 5);
        let message = three.conflict_with(&three).expect("a conflict");
        assert!(
            message.contains("`Sessions` (app::Sessions) shard 3 is already held"),
            "{message}"
        );
        assert_eq!(three.conflict_with(&five), None);
        assert_eq!(five.conflict_with(&three), None);
    }

    #[test]
    fn other_objects_never_conflict() {
        let (a, b) = (0u8, 0u8);
        let a_log = LockSite::field(&a, "Server", FIELDS, 2);
        let b_config = LockSite::field(&b, "Server", FIELDS, 0);
        assert_eq!(b_config.conflict_with(&a_log), None);
        // Same address, different types, even with the same short name: a struct nested at
        // offset 0 of another.
        struct Outer {
            inner: u8,
        }
        let outer = Outer { inner: 0 };
        let inner_log = LockSite::field(&outer.inner, "Server", FIELDS, 2);
        let outer_config = LockSite::field(&outer, "Server", FIELDS, 0);
        assert_eq!(outer.inner, 0);
        assert_eq!(outer_config.conflict_with(&inner_log), None);
    }

    #[cfg(debug_assertions)]
    #[test]
    fn held_records_are_removed_in_any_drop_order() {
        let owner = 0u8;
        let first = hold(LockSite::field(&owner, "Server", FIELDS, 0));
        let second = hold(LockSite::field(&owner, "Server", FIELDS, 1));
        drop(first);
        // `config` is free again; `stats` is still held, so `config` conflicts.
        let config = LockSite::field(&owner, "Server", FIELDS, 0);
        assert!(std::panic::catch_unwind(|| check(&config)).is_err());
        drop(second);
        let _ = check(&config);
    }

    #[cfg(debug_assertions)]
    #[test]
    fn locks_beyond_the_capacity_are_not_recorded_and_leave_the_rest_intact() {
        let owners = [0u8; CAPACITY + 2];
        let held: Vec<Held> = owners
            .iter()
            .map(|owner| hold(LockSite::whole::<_, u8>(owner, Some("app::Cache"))))
            .collect();
        // The first is recorded, the last was not (the list was full).
        let first = LockSite::whole::<_, u8>(&owners[0], Some("app::Cache"));
        let last = LockSite::whole::<_, u8>(&owners[CAPACITY + 1], Some("app::Cache"));
        assert!(std::panic::catch_unwind(|| check(&first)).is_err());
        let _ = check(&last);
        drop(held);
        let _ = check(&first);
    }
}
