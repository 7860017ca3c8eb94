//! Room in a sharded map or set whose map has it ([`Capacity`]: std's `HashMap` and
//! `HashSet`, [`PrehashedMap`](crate::sharded::PrehashedMap)): `with_capacity(n)`, spread
//! over the shards, and `shrink_to_fit()`, one shard at a time.
//!
//! `n` is the whole map's: each shard gets `n / N`, rounded up, since the shard hash
//! spreads keys evenly (a shard may fill past its share and grow, as one map would past
//! its capacity).

use crate::guarded::mode::Acquire;
use crate::sharded::kinds::{Capacity, MapField, SetField};
use crate::sharded::map::ShardedMap;
use crate::sharded::set::ShardedSet;
use crate::sharded::shards::Shards;

/// Each shard's share of a capacity of `capacity` over `N` shards: `capacity / N`,
/// rounded up.
const fn per_shard<const N: usize>(capacity: usize) -> usize {
    capacity.div_ceil(N)
}

/// `N` shards, each in its `Default` state with the map or set that `part` reaches given
/// room for its share of `capacity`: a map's and a set's `with_capacity`.
fn with_room<S, C, M, const N: usize>(
    capacity: usize,
    part: impl Fn(&mut S) -> &mut C,
) -> Shards<S, M, N>
where
    S: Default,
    C: Capacity,
    M: Acquire<S>,
{
    Shards::from_fn_hashed(|_, hasher| {
        let mut state = S::default();
        *part(&mut state) = C::with_capacity(per_shard::<N>(capacity), hasher);
        state
    })
}

impl<S, Map, M, const N: usize> ShardedMap<S, M, N>
where
    S: MapField<Map = Map>,
    Map: Capacity,
    M: Acquire<S>,
{
    /// `N` shards, each in its `Default` state with a map that has room for
    /// `capacity / N` entries (rounded up): room for `capacity` entries in all, allocated
    /// up front.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::{mode::Rw, sharded::ShardedMap};
    ///
    /// let users: ShardedMap<HashMap<u64, String>, Rw, 8> = ShardedMap::with_capacity(1_000);
    /// users.for_each_shard(|map| assert!(map.capacity() >= 125));
    /// ```
    pub fn with_capacity(capacity: usize) -> Self
    where
        S: Default,
    {
        Self::wrap(with_room(capacity, S::map_mut))
    }

    /// Shrinks every shard's map to fit its entries, one shard at a time in index order,
    /// under each shard's write lock: after a burst, to give the memory back.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::{mode::Rw, sharded::ShardedMap};
    ///
    /// let users: ShardedMap<HashMap<u64, u64>, Rw, 4> = ShardedMap::with_capacity(4_000);
    /// users.insert(1, 1);
    /// users.shrink_to_fit();
    /// users.for_each_shard(|map| assert!(map.capacity() < 1_000));
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn shrink_to_fit(&self) {
        self.for_each_shard_mut(|state| state.map_mut().shrink_to_fit());
    }
}

impl<S, Set, M, const N: usize> ShardedSet<S, M, N>
where
    S: SetField<Set = Set>,
    Set: Capacity,
    M: Acquire<S>,
{
    /// `N` shards, each in its `Default` state with a set that has room for
    /// `capacity / N` elements (rounded up).
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use lockwise::{mode::Rw, sharded::ShardedSet};
    ///
    /// let seen: ShardedSet<HashSet<u64>, Rw, 8> = ShardedSet::with_capacity(1_000);
    /// seen.for_each_shard(|set| assert!(set.capacity() >= 125));
    /// ```
    pub fn with_capacity(capacity: usize) -> Self
    where
        S: Default,
    {
        Self::wrap(with_room(capacity, S::set_mut))
    }

    /// Shrinks every shard's set to fit its elements, one shard at a time in index order.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use lockwise::{mode::Rw, sharded::ShardedSet};
    ///
    /// let seen: ShardedSet<HashSet<u64>, Rw, 4> = ShardedSet::with_capacity(4_000);
    /// seen.shrink_to_fit();
    /// seen.for_each_shard(|set| assert!(set.capacity() < 1_000));
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn shrink_to_fit(&self) {
        self.for_each_shard_mut(|state| state.set_mut().shrink_to_fit());
    }
}

#[cfg(test)]
mod tests {
    use super::per_shard;

    #[test]
    fn each_shard_gets_its_share_rounded_up() {
        assert_eq!(per_shard::<16>(0), 0);
        assert_eq!(per_shard::<16>(1), 1);
        assert_eq!(per_shard::<16>(16), 1);
        assert_eq!(per_shard::<16>(17), 2);
        assert_eq!(per_shard::<1>(1_000), 1_000);
        assert_eq!(per_shard::<8>(usize::MAX), usize::MAX / 8 + 1);
    }
}
