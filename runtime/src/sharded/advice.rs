//! The sharded misuse that the compiler reports as advice (see [`crate::misuse`]).

use core::hash::Hash;

/// The bound `#[sharded]` puts on the key type, so that a key that is not `Hash + Eq` gets
/// an error that says why both are needed.
///
/// ```
/// fn ok<K: lockwise::sharded::HashAndEqForShardKey>() {}
/// ok::<String>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot key a sharded type: it must be `Hash + Eq`",
    label = "this key type is not `Hash + Eq`",
    note = "the hash of a key picks its shard (and its place in the shard's hash map), and \
            `Eq` tells two keys with the same hash apart",
    note = "derive them: `#[derive(Hash, PartialEq, Eq)]` on the key type, or key the map \
            by a field that has them"
)]
pub trait HashAndEqForShardKey: Hash + Eq {}

impl<T: Hash + Eq + ?Sized> HashAndEqForShardKey for T {}

/// Fails to compile, with [`HashAndEqForShardKey`]'s message, unless `K: Hash + Eq`.
///
/// ```
/// const _: () = lockwise::sharded::assert_hash_and_eq_for_shard_key::<u64>();
/// ```
pub const fn assert_hash_and_eq_for_shard_key<K: HashAndEqForShardKey + ?Sized>() {}
