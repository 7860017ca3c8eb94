//! The runtime of `#[sharded(N)]`: [`Shards<S, M, N>`](Shards), lock striping, and the map
//! and set built on it.
//!
//! - [`Shards`]: `N` cache-padded [`Guarded<S, M>`](crate::Guarded) locks and a randomly
//!   seeded [`ShardHasher`] that sends each key to one of them; the key guards (`read(&key)`,
//!   `write(&key)`, ...), typed by the state's key ([`Keyed`]), and the whole-value
//!   operations.
//! - [`ShardedMap`]: a `Shards` whose state has a map ([`MapField`]), with the map methods
//!   (`get`, `insert`, `update`, `retain`, ...; dashmap's `entry`, with [`Entry`], and
//!   `get_mut`, `remove_if`) over std's `HashMap`/`BTreeMap` or [`PrehashedMap`], the map
//!   that hashes a key once; `with_capacity`/`shrink_to_fit` where the map has them
//!   ([`Capacity`]). [`ShardedSet`]: the same with a set
//!   ([`SetField`], `HashSet`/`BTreeSet`). Each dereferences to its `Shards`.
//!
//! A `#[sharded(N)]` type dereferences to the one that fits its fields: `ShardedMap` with a
//! map field, `ShardedSet` with a set field, `Shards` with `key = Type`.
//!
//! ```
//! use std::collections::HashMap;
//! use lockwise::sharded::ShardedMap;
//!
//! let hits: ShardedMap<HashMap<String, u64>> = ShardedMap::new();
//! hits.get_or_insert_with("/".to_owned(), || 0, |n| *n += 1);
//! assert_eq!(hits.get("/"), Some(1));
//! assert_eq!(hits.read("/").len(), 1); // the key's shard, through `Shards`
//! ```

mod advice;
mod capacity;
mod entry;
mod hasher;
mod kinds;
mod map;
mod padded;
pub mod prehashed;
mod ref_mut;
mod set;
mod shards;
mod std_maps;
mod view;

#[cfg(test)]
mod tests;

pub use advice::{HashAndEqForShardKey, assert_hash_and_eq_for_shard_key};
pub use entry::{Entry, OccupiedEntry, VacantEntry};
pub use hasher::ShardHasher;
pub use kinds::{
    Capacity, ElementOf, Hashed, KeyOf, Keyed, Lookup, MapField, MapKind, SetField, SetKind,
    SetLookup, ValueOf,
};
pub use map::ShardedMap;
pub use prehashed::PrehashedMap;
pub use ref_mut::RefMut;
pub use set::ShardedSet;
pub use shards::Shards;
