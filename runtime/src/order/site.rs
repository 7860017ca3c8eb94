//! A lock's identity: which object, which of its locks, how messages name it, and why
//! taking one site while holding another could deadlock.
//!
//! Which lock of its object a site is, is the crate's one [`Part`] (whole struct, field,
//! shard), which the profile reads too. A site keeps it as a [`Place`]: the part, plus, for
//! a field, where the field stands in its struct's declaration order, which the order check
//! needs. `Place` is that compact form, not a second vocabulary: storing a `Part` and the
//! order beside it made every site three words longer, and generated code builds a site on
//! every acquisition (measured: a profiled `rw` write went from 62 to 65 instructions,
//! `benches/guarded_instructions.rs --features profile`). [`Place::part`] is the only way
//! out of it.

use crate::vocabulary::Part;

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
    /// Which lock of the object: the whole struct's, a field's, a shard's.
    place: Place,
    /// The owner's type opted into per-value order against every type (`order =
    /// instance`): its edges never enter the class graph (`graph.rs`).
    per_instance: bool,
}

/// A [`Part`] as a site keeps it (see the module docs): a field's part carries its struct's
/// lock fields in declaration order and its index among them, the order the check enforces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(debug_assertions), allow(dead_code))]
enum Place {
    /// [`Part::Whole`].
    Whole,
    /// [`Part::Field`] of `fields[index]`.
    Field {
        fields: &'static [&'static str],
        index: usize,
    },
    /// [`Part::Shard`] of `index`.
    Shard { index: usize },
}

impl Place {
    /// The part, as every other layer names it.
    fn part(self) -> Part {
        match self {
            Place::Whole => Part::Whole,
            Place::Field { fields, index } => {
                Part::Field(fields.get(index).copied().unwrap_or("?"))
            }
            Place::Shard { index } => Part::Shard(index),
        }
    }
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
        Self::new(owner, Label::Path(path), Place::Field { fields, index })
    }

    /// The lock of shard `index` of `owner`, whose type's path is `path`.
    #[inline]
    pub fn shard<O>(owner: &O, path: &'static str, index: usize) -> Self {
        Self::new(owner, Label::Path(path), Place::Shard { index })
    }

    /// The one lock of `owner`: a whole-struct type at `path`, or, without a path, a
    /// `Guarded<T>` made by hand, named by `type_name::<T>()`.
    #[inline]
    pub(crate) fn whole<O, T>(owner: &O, path: Option<&'static str>) -> Self {
        let label = match path {
            Some(path) => Label::Path(path),
            None => Label::Guarded(core::any::type_name::<T>()),
        };
        Self::new(owner, label, Place::Whole)
    }

    #[inline]
    fn new<O>(owner: &O, label: Label, place: Place) -> Self {
        Self {
            owner: owner as *const O as usize,
            identity: core::any::type_name::<O>(),
            label,
            place,
            per_instance: false,
        }
    }

    /// This site, ordered per value against every type if `label` says so (`order =
    /// instance`): a `Guarded` passes its own label's order into every site it is given,
    /// so a field or a shard follows the label its lock was built with.
    #[inline(always)]
    pub(crate) fn ordered_by(self, label: SiteLabel) -> Self {
        #[cfg(debug_assertions)]
        {
            let mut this = self;
            this.per_instance |= label.per_instance;
            this
        }
        #[cfg(not(debug_assertions))]
        {
            let _ = label;
            self
        }
    }

    /// The profile's key of this site: the type's path, the part, and the lock's `kind`.
    #[cfg(feature = "profile")]
    pub(crate) fn profile_key(&self, kind: crate::vocabulary::Kind) -> crate::profile::SiteKey {
        crate::profile::SiteKey {
            path: match self.label {
                Label::Path(path) | Label::Guarded(path) => path,
            },
            part: self.place.part(),
            kind,
        }
    }

    /// The name of the part of the object this site locks: the field, `shard 3`, or
    /// `lock` for a whole-struct lock.
    pub fn part_name(&self) -> String {
        match self.place.part() {
            Part::Whole => "lock".to_owned(),
            Part::Field(name) => name.to_owned(),
            Part::Shard(index) => format!("shard {index}"),
        }
    }

    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn same_lock(&self, other: &Self) -> bool {
        self.same_object(other) && self.place == other.place
    }

    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn same_object(&self, other: &Self) -> bool {
        self.owner == other.owner && self.identity == other.identity
    }

    /// Whether the two owners are of one type (two values of `Account`, two fields or
    /// shards of one value): such pairs are ordered per value, never per class.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn same_type(&self, other: &Self) -> bool {
        self.identity == other.identity
    }

    /// Whether an edge between the two belongs in the class graph too: different types,
    /// neither of which opted into per-value order.
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn ordered_by_class_with(&self, other: &Self) -> bool {
        !self.same_type(other) && !self.per_instance && !other.per_instance
    }

    /// The class of this lock (`graph.rs`): its owner's type and which of its locks, a
    /// field by name, every shard as one (`shard`: shards are seeded per value, so an
    /// order by index would be chance).
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn class(&self) -> (&'static str, &'static str) {
        let part = match self.place.part() {
            Part::Whole => "lock",
            Part::Field(name) => name,
            Part::Shard(_) => "shard",
        };
        (self.identity, part)
    }

    /// How an order message names this lock: "the lock of `Cache` (app::Cache)", "the
    /// `config` lock of `Server` (app::Server)", "shard 3 of `Sessions` (app::Sessions)".
    /// `which` goes before the owner's name ("one value of ", "another value of ").
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn lock_name(&self, which: &str) -> String {
        let owner = self.owner_name();
        match self.place.part() {
            Part::Whole => format!("the lock of {which}{owner}"),
            Part::Field(name) => format!("the `{name}` lock of {which}{owner}"),
            Part::Shard(index) => format!("shard {index} of {which}{owner}"),
        }
    }

    /// The short name of this lock in a path: `Cache`, `Server::config`, `Sessions`
    /// shard 3; or of its class (`as_class`), where every shard is one: `Sessions` (a
    /// shard).
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn short_lock_name(&self, as_class: bool) -> String {
        let short = match self.label {
            Label::Path(path) => path.rsplit("::").next().unwrap_or(path).to_owned(),
            Label::Guarded(inner) => format!("Guarded<{inner}>"),
        };
        match self.place.part() {
            Part::Whole => format!("`{short}`"),
            Part::Field(name) => format!("`{short}::{name}`"),
            Part::Shard(_) if as_class => format!("`{short}` (a shard)"),
            Part::Shard(index) => format!("`{short}` shard {index}"),
        }
    }

    /// The owner as messages name it once: "`Server` (app::net::Server)".
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(super) fn owner_name(&self) -> String {
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
    pub(super) fn conflict_with(&self, held: &Self) -> Option<String> {
        if !self.same_object(held) {
            return None;
        }
        let owner = self.owner_name();
        let short = self.short_name();
        match (self.place, held.place) {
            (Place::Whole, Place::Whole) => Some(format!(
                "lockwise: this thread already holds the lock of this {owner} and is taking it \
                 again, which would deadlock; drop the first guard first (for example, do not \
                 call `read()` inside `with_write(..)` on the same value)"
            )),
            (Place::Shard { index }, Place::Shard { index: held_index }) if index == held_index => {
                Some(format!(
                    "lockwise: {owner} shard {index} is already held by this thread, and taking \
                     it again would deadlock: drop the guard of `read(&key)`/`write(&key)` (or \
                     leave the closure) before touching a key of the same shard again"
                ))
            }
            (
                Place::Field { fields, index },
                Place::Field {
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
///
/// It also says how the lock is ordered against other types' locks in the debug-build
/// order graph: by type (the default), or per value ([`per_instance`](Self::per_instance),
/// `#[guarded(order = instance)]`).
#[derive(Clone, Copy, Debug)]
pub struct SiteLabel {
    #[cfg(debug_assertions)]
    path: Option<&'static str>,
    #[cfg(debug_assertions)]
    per_instance: bool,
}

impl SiteLabel {
    /// No label: messages name the guarded type.
    pub(crate) const NONE: Self = Self::of(None, false);

    /// The label of the user's type at `path` (`module_path!()` + `::Name`).
    pub const fn new(path: &'static str) -> Self {
        Self::of(Some(path), false)
    }

    /// The label of a type at `path` whose locks are ordered per value against every
    /// other type's too (`order = instance`): for types that nest by design, a `Node`
    /// holding `Children` holding `Node`s locked parent → child, whose per-type order
    /// (`Node` → `Children` → `Node`) would be a cycle.
    ///
    /// ```
    /// let label = lockwise::__private::SiteLabel::per_instance("app::Node");
    /// # let _ = label;
    /// ```
    pub const fn per_instance(path: &'static str) -> Self {
        Self::of(Some(path), true)
    }

    /// A label; release builds keep none of it.
    const fn of(path: Option<&'static str>, per_instance: bool) -> Self {
        #[cfg(not(debug_assertions))]
        let _ = (path, per_instance);
        Self {
            #[cfg(debug_assertions)]
            path,
            #[cfg(debug_assertions)]
            per_instance,
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
