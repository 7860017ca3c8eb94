//! What a shard's state is keyed by and what its map is, as traits: [`Keyed`], the key
//! type that picks a shard; [`MapKind`] and [`Lookup<Q>`] for maps, [`SetKind`] and
//! [`SetLookup<Q>`] for sets (implemented for std's `HashMap`, `BTreeMap`, `HashSet`,
//! `BTreeSet` and for [`PrehashedMap`](crate::sharded::PrehashedMap)); [`Capacity`] for
//! those of them that reserve room (not the B-trees); and
//! [`MapField`]/[`SetField`], which say where a shard's state keeps its map (`#[sharded]`
//! implements them, and `Keyed`, for the state it generates).
//!
//! The operations take the shard hash ([`Hashed`]) that picked the shard; a map that hashes
//! with [`ShardHasher`] reuses it instead of hashing the key again, the others ignore it.

use crate::sharded::hasher::ShardHasher;

pub(crate) mod sealed {
    /// The map kinds are the runtime's: their methods are plumbing that may change.
    pub trait Sealed {}
}

/// The hash that picked a key's shard, and the hasher that computed it, handed to the map.
#[derive(Clone, Copy, Debug)]
pub struct Hashed<'a> {
    pub(crate) hash: u64,
    pub(crate) hasher: &'a ShardHasher,
}

/// A map a shard can hold: std's `HashMap<K, V, S>` (any `S: BuildHasher`), `BTreeMap<K, V>`
/// and [`PrehashedMap<K, V>`](crate::sharded::PrehashedMap). Sealed.
///
/// The key must be `Hash` (it picks the shard) and what the map needs: `Eq` for a hash map,
/// `Ord` for a `BTreeMap`.
///
/// ```
/// use std::collections::{BTreeMap, HashMap};
/// use lockwise::sharded::MapKind;
///
/// fn shardable<M: MapKind>() {}
/// shardable::<HashMap<String, u64>>();
/// shardable::<BTreeMap<u32, Vec<u8>>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a map that a sharded type can hold",
    label = "not one of the supported maps, or its key is not `Hash + Eq` (`Hash + Ord` for a `BTreeMap`)",
    note = "the map field of a `#[sharded]` struct is a `HashMap`, `BTreeMap`, `HashSet` or \
            `lockwise::sharded::PrehashedMap`; its key must be `Hash` (it picks the shard) \
            and `Eq` (`Ord` for a `BTreeMap`)"
)]
#[allow(clippy::len_without_is_empty)] // plumbing: `ShardedMap::is_empty` is built on `len`
pub trait MapKind: sealed::Sealed {
    /// The key type.
    type Key;
    /// The value type.
    type Value;

    #[doc(hidden)]
    fn hash_key(hasher: &ShardHasher, key: &Self::Key) -> u64;
    #[doc(hidden)]
    fn insert(&mut self, at: Hashed<'_>, key: Self::Key, value: Self::Value)
    -> Option<Self::Value>;
    #[doc(hidden)]
    fn get_or_insert_with(
        &mut self,
        at: Hashed<'_>,
        key: Self::Key,
        make: impl FnOnce() -> Self::Value,
    ) -> &mut Self::Value;
    #[doc(hidden)]
    fn len(&self) -> usize;
    #[doc(hidden)]
    fn clear(&mut self);
    #[doc(hidden)]
    fn retain(&mut self, keep: impl FnMut(&Self::Key, &mut Self::Value) -> bool);
    #[doc(hidden)]
    fn for_each(&self, f: impl FnMut(&Self::Key, &Self::Value));
}

/// Lookups by `&Q`, for every `Q` the map's key borrows as (`K: Borrow<Q>`, as std's maps
/// take): a `HashMap<String, _>` is looked up by `&str`.
///
/// ```
/// use std::collections::HashMap;
/// use lockwise::sharded::Lookup;
///
/// fn by_str<M: Lookup<str>>() {}
/// by_str::<HashMap<String, u64>>();
/// ```
pub trait Lookup<Q: ?Sized>: MapKind {
    #[doc(hidden)]
    fn hash(hasher: &ShardHasher, key: &Q) -> u64;
    #[doc(hidden)]
    fn get(&self, at: Hashed<'_>, key: &Q) -> Option<&Self::Value>;
    #[doc(hidden)]
    fn get_mut(&mut self, at: Hashed<'_>, key: &Q) -> Option<&mut Self::Value>;
    #[doc(hidden)]
    fn remove(&mut self, at: Hashed<'_>, key: &Q) -> Option<Self::Value>;
    /// Removes `key` if `remove` says so of its entry. One probe for a map that can keep
    /// its place ([`PrehashedMap`](crate::sharded::PrehashedMap)); std's maps look the key
    /// up twice (a `get_key_value`, then a `remove`), as their stable API offers no entry
    /// by reference.
    #[doc(hidden)]
    fn remove_if(
        &mut self,
        at: Hashed<'_>,
        key: &Q,
        remove: impl FnOnce(&Self::Key, &Self::Value) -> bool,
    ) -> Option<Self::Value>;
}

/// A map or set that allocates its room up front, and can give back what it does not
/// use: std's `HashMap` and `HashSet`, and [`PrehashedMap`](crate::sharded::PrehashedMap).
/// What gives a sharded type `with_capacity(n)` and `shrink_to_fit()`. `BTreeMap` and
/// `BTreeSet` allocate a node at a time and have neither. Sealed.
///
/// ```
/// use std::collections::{HashMap, HashSet};
/// use lockwise::sharded::{Capacity, PrehashedMap};
///
/// fn reservable<C: Capacity>() {}
/// reservable::<HashMap<String, u64>>();
/// reservable::<HashSet<u64>>();
/// reservable::<PrehashedMap<u64, u64>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no capacity to reserve or give back",
    label = "no `with_capacity` or `shrink_to_fit` for this map or set",
    note = "`with_capacity` and `shrink_to_fit` exist for a `HashMap`, `HashSet` or \
            `lockwise::sharded::PrehashedMap` field; a `BTreeMap` or `BTreeSet` allocates a \
            node at a time and has neither"
)]
pub trait Capacity: sealed::Sealed {
    /// An empty map with room for `capacity` entries; a map that can reuse the shard hash
    /// takes `hasher`, the sharded type's, at once (instead of at its first insert).
    #[doc(hidden)]
    fn with_capacity(capacity: usize, hasher: &ShardHasher) -> Self;
    #[doc(hidden)]
    fn shrink_to_fit(&mut self);
}

/// A set a shard can hold: std's `HashSet<K, S>` and `BTreeSet<K>`. Sealed.
///
/// ```
/// use std::collections::HashSet;
/// use lockwise::sharded::SetKind;
///
/// fn shardable<S: SetKind>() {}
/// shardable::<HashSet<u64>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set that a sharded type can hold",
    label = "not one of the supported sets, or its element is not `Hash + Eq` (`Hash + Ord` for a `BTreeSet`)",
    note = "a set field of a `#[sharded]` struct is a `HashSet` (or a `BTreeSet`); its \
            element must be `Hash` (it picks the shard) and `Eq` (`Ord` for a `BTreeSet`)"
)]
#[allow(clippy::len_without_is_empty)] // plumbing, as for `MapKind`
pub trait SetKind: sealed::Sealed {
    /// The element type.
    type Key;

    #[doc(hidden)]
    fn hash_key(hasher: &ShardHasher, key: &Self::Key) -> u64;
    #[doc(hidden)]
    fn insert(&mut self, at: Hashed<'_>, key: Self::Key) -> bool;
    #[doc(hidden)]
    fn len(&self) -> usize;
    #[doc(hidden)]
    fn clear(&mut self);
    #[doc(hidden)]
    fn retain(&mut self, keep: impl FnMut(&Self::Key) -> bool);
    #[doc(hidden)]
    fn for_each(&self, f: impl FnMut(&Self::Key));
}

/// Set lookups by `&Q` where the element borrows as `Q`.
///
/// ```
/// use std::collections::HashSet;
/// use lockwise::sharded::SetLookup;
///
/// fn by_str<S: SetLookup<str>>() {}
/// by_str::<HashSet<String>>();
/// ```
pub trait SetLookup<Q: ?Sized>: SetKind {
    #[doc(hidden)]
    fn hash(hasher: &ShardHasher, key: &Q) -> u64;
    #[doc(hidden)]
    fn contains(&self, at: Hashed<'_>, key: &Q) -> bool;
    #[doc(hidden)]
    fn remove(&mut self, at: Hashed<'_>, key: &Q) -> bool;
}

/// The key type of a shard state: what [`Shards`](crate::sharded::Shards)' key guards
/// (`read(&key)`, `write(&key)`, `shard_index(&key)`, ...) take, as `&Key` or as a
/// reference to what `Key` borrows as (`K: Borrow<Q>`, as std's maps take), so that a key
/// of another type cannot pick a shard by another hash. `#[sharded]` implements it for the
/// state it generates (the map's key, the set's element, or `key = Type`); std's maps and
/// sets and [`PrehashedMap`](crate::sharded::PrehashedMap) are keyed by their key.
///
/// ```
/// use lockwise::sharded::{Keyed, Shards};
///
/// #[derive(Default)]
/// struct Counter {
///     hits: u64,
/// }
/// impl Keyed for Counter {
///     type Key = String;
/// }
///
/// let counters: Shards<Counter> = Shards::new();
/// counters.write("/home").hits += 1; // a `&str`: `String: Borrow<str>`
/// assert_eq!(counters.read("/home").hits, 1);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say which key picks its shard",
    label = "a shard state without a key type",
    note = "`#[sharded]` gives its shard state a key from its map or set field, or from \
            `key = Type`; by hand, implement `lockwise::sharded::Keyed` for the state \
            (`type Key = ...;`) or use a map (`Shards<HashMap<K, V>>`)"
)]
pub trait Keyed {
    /// The key type: `Hash + Eq` (checked where a key picks a shard), and sized, as a
    /// map's keys are (`String`, looked up by `&str`, rather than `str`).
    type Key;
}

/// Where a shard's state keeps its one map, keyed by the state's key: what gives
/// [`ShardedMap`](crate::sharded::ShardedMap) its map methods (`get`, `insert`, `update`,
/// ...). `#[sharded]` implements it for the state it generates; every [`MapKind`] is its
/// own `MapField`, so `ShardedMap<HashMap<K, V>>` has the map methods too.
///
/// ```
/// use std::collections::HashMap;
/// use lockwise::sharded::{Keyed, MapField, ShardedMap};
///
/// #[derive(Default)]
/// struct Shard {
///     map: HashMap<u64, String>,
///     evictions: u64,
/// }
/// impl Keyed for Shard {
///     type Key = u64;
/// }
/// impl MapField for Shard {
///     type Map = HashMap<u64, String>;
///     fn map(&self) -> &Self::Map { &self.map }
///     fn map_mut(&mut self) -> &mut Self::Map { &mut self.map }
/// }
///
/// let names: ShardedMap<Shard> = ShardedMap::new();
/// names.insert(7, "seven".to_owned());
/// assert_eq!(names.get(&7).as_deref(), Some("seven"));
/// names.write(&7).evictions += 1;
/// ```
pub trait MapField: Keyed {
    /// The map's type, whose key is the state's [`Keyed::Key`]. Not bounded here: the map
    /// methods require `Map: MapKind<Key = Self::Key>` where they are defined, so a shard
    /// state whose key is not `Hash + Eq` gets one error (at its key, from `#[sharded]`'s
    /// assertion) instead of one per impl.
    type Map;
    /// The map, for reading.
    fn map(&self) -> &Self::Map;
    /// The map, for writing.
    fn map_mut(&mut self) -> &mut Self::Map;
}

/// Where a shard's state keeps its one set, of the state's key: the set version of
/// [`MapField`], what gives [`ShardedSet`](crate::sharded::ShardedSet) its set methods.
///
/// ```
/// use std::collections::HashSet;
/// use lockwise::sharded::ShardedSet;
///
/// let seen: ShardedSet<HashSet<u64>> = ShardedSet::new();
/// assert!(seen.insert(1));
/// assert!(!seen.insert(1));
/// ```
pub trait SetField: Keyed {
    /// The set's type (bounded where the set methods are defined, as for `MapField`).
    type Set;
    /// The set, for reading.
    fn set(&self) -> &Self::Set;
    /// The set, for writing.
    fn set_mut(&mut self) -> &mut Self::Set;
}

/// The value of `key` in the map of `state`, mutable, if it is there. A function of its
/// own so that the map's type is `S::Map`, a projection, which outlives whatever `S` does:
/// in the closure given to `WriteGuard::try_map` (for every lifetime of the state's
/// borrow), a map named by a type parameter of its own could not be shown to live that
/// long.
#[inline(always)]
pub(crate) fn value_mut<'s, S, Q>(
    state: &'s mut S,
    at: Hashed<'_>,
    key: &Q,
) -> Option<&'s mut ValueOf<S>>
where
    S: MapField,
    S::Map: Lookup<Q>,
    Q: ?Sized,
{
    state.map_mut().get_mut(at, key)
}

/// The value of `key` in the map of `state`, mutable, inserting `make()` first if the key
/// is not there. A function of its own for the reason [`value_mut`] is.
#[inline(always)]
pub(crate) fn value_or_insert_with<'s, S>(
    state: &'s mut S,
    at: Hashed<'_>,
    key: KeyOf<S>,
    make: impl FnOnce() -> ValueOf<S>,
) -> &'s mut ValueOf<S>
where
    S: MapField,
    S::Map: MapKind<Key = KeyOf<S>>,
{
    state.map_mut().get_or_insert_with(at, key, make)
}

/// The key type of shard state `S`.
pub type KeyOf<S> = <S as Keyed>::Key;
/// The value type of the map of shard state `S`.
pub type ValueOf<S> = <<S as MapField>::Map as MapKind>::Value;
/// The element type of the set of shard state `S` (its [`KeyOf`]).
pub type ElementOf<S> = <<S as SetField>::Set as SetKind>::Key;
