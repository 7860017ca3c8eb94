//! The runtime of `#[sharded(N)]`: [`Shards<S, M, N>`](Shards), lock striping.
//!
//! - [`Shards`]: `N` cache-padded [`Guarded<S, M>`](crate::Guarded) locks and a randomly
//!   seeded [`ShardHasher`] that sends each key to one of them; the key guards (`read(&key)`,
//!   `write(&key)`, ...) and the whole-value operations.
//! - With a map in the shard state ([`MapField`]): map methods (`get`, `insert`, `update`,
//!   `retain`, ...) over std's `HashMap`/`BTreeMap` or [`PrehashedMap`], the map that
//!   hashes a key once. With a set ([`SetField`]): set methods over `HashSet`/`BTreeSet`.
//!
//! ```
//! use std::collections::HashMap;
//! use lockwise::sharded::Shards;
//!
//! let hits: Shards<HashMap<String, u64>> = Shards::new();
//! hits.get_or_insert_with("/".to_owned(), || 0, |n| *n += 1);
//! assert_eq!(hits.get("/"), Some(1));
//! ```

mod advice;
mod hasher;
mod kinds;
mod map_methods;
mod padded;
pub mod prehashed;
mod set_methods;
mod shards;
mod std_maps;

#[cfg(test)]
mod tests;

pub use advice::{HashAndEqForShardKey, assert_hash_and_eq_for_shard_key};
pub use hasher::ShardHasher;
pub use kinds::{
    ElementOf, Hashed, KeyOf, Lookup, MapField, MapKind, SetField, SetKind, SetLookup, ValueOf,
};
pub use prehashed::PrehashedMap;
pub use set_methods::SetMethods;
pub use shards::Shards;
