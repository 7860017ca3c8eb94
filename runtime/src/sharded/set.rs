//! [`ShardedSet<S, M, N>`]: a [`Shards`] whose state has one set ([`SetField`]), with the
//! set methods. Its own type, beside [`ShardedMap`](crate::sharded::ShardedMap): a set's
//! `insert`, `remove`, `len`, ... share their names with a map's, and two inherent impls of
//! one type cannot both define them.

use crate::guarded::mode::{Acquire, Mode, Rw};
use crate::sharded::hasher::shard_of;
use crate::sharded::kinds::{Hashed, SetField, SetKind, SetLookup};
use crate::sharded::shards::Shards;
use crate::sharded::view::shards_view;

/// A sharded set: [`Shards<S, M, N>`](Shards) whose shard state `S` holds one set
/// ([`SetField`]: std's `HashSet` or `BTreeSet`, alone or in a struct with per-shard
/// fields), with the set methods: `insert`, `contains`, `remove`, `len`, `retain`, ...
/// What a `#[sharded(N)]` type with a set field dereferences to; usable by hand.
///
/// It dereferences to its [`Shards`], for the key guards and the whole-value operations.
/// Whole-set operations (`len`, `is_empty`, `clear`, `retain`, `for_each`, `to_vec`) lock
/// one shard at a time in index order, as a map's do, and are not atomic across shards.
///
/// ```
/// use std::collections::HashSet;
/// use lockwise::sharded::ShardedSet;
///
/// let seen: ShardedSet<HashSet<String>> = ShardedSet::new();
/// assert!(seen.insert("a".into()));
/// assert!(!seen.insert("a".into()));
/// assert!(seen.contains("a")); // `String: Borrow<str>`
/// assert_eq!(seen.len(), 1);
/// ```
pub struct ShardedSet<S, M: Mode = Rw, const N: usize = 16> {
    shards: Shards<S, M, N>,
}

shards_view!(ShardedSet, "std::collections::HashSet<u64>");

// `Set` and `K` are named here so that the methods read `element: K` in rustdoc (as for
// `ShardedMap`).
impl<S, Set, K, M, const N: usize> ShardedSet<S, M, N>
where
    S: SetField<Key = K, Set = Set>,
    Set: SetKind<Key = K>,
    M: Acquire<S>,
{
    /// The shard hash of an element, handed to the set so a set that can reuses it.
    #[inline(always)]
    fn hashed(&self, hash: u64) -> Hashed<'_> {
        Hashed {
            hash,
            hasher: &self.shards.hasher,
        }
    }

    /// Adds `element`; `true` if it was not there.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let seen: lockwise::sharded::ShardedSet<HashSet<u64>> = Default::default();
    /// assert!(seen.insert(1));
    /// assert!(!seen.insert(1));
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn insert(&self, element: K) -> bool {
        let hash = Set::hash_key(&self.shards.hasher, &element);
        let mut shard = self.shards.write_shard(shard_of::<N>(hash));
        shard.set_mut().insert(self.hashed(hash), element)
    }

    /// Whether `element` is in the set.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let seen: lockwise::sharded::ShardedSet<HashSet<String>> = Default::default();
    /// seen.insert("a".into());
    /// assert!(seen.contains("a"));
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn contains<Q: ?Sized>(&self, element: &Q) -> bool
    where
        Set: SetLookup<Q>,
    {
        let hash = <Set as SetLookup<Q>>::hash(&self.shards.hasher, element);
        let shard = self.shards.read_shard(shard_of::<N>(hash));
        shard.set().contains(self.hashed(hash), element)
    }

    /// Removes `element`; `true` if it was there.
    ///
    /// ```
    /// use std::collections::BTreeSet;
    /// let seen: lockwise::sharded::ShardedSet<BTreeSet<u64>> = Default::default();
    /// seen.insert(1);
    /// assert!(seen.remove(&1));
    /// assert!(!seen.remove(&1));
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn remove<Q: ?Sized>(&self, element: &Q) -> bool
    where
        Set: SetLookup<Q>,
    {
        let hash = <Set as SetLookup<Q>>::hash(&self.shards.hasher, element);
        let mut shard = self.shards.write_shard(shard_of::<N>(hash));
        shard.set_mut().remove(self.hashed(hash), element)
    }

    /// The number of elements: the sum of the shards' sizes, each read under its lock in
    /// turn (under concurrent writes, what [`ShardedMap::len`](crate::sharded::ShardedMap::len)
    /// says).
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let seen: lockwise::sharded::ShardedSet<HashSet<u64>> = Default::default();
    /// (0..10).for_each(|i| { seen.insert(i); });
    /// assert_eq!(seen.len(), 10);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn len(&self) -> usize {
        self.shards.total(|shard| shard.set().len())
    }

    /// Whether every shard's set is empty, checked one shard at a time.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let seen: lockwise::sharded::ShardedSet<HashSet<u64>> = Default::default();
    /// assert!(seen.is_empty());
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn is_empty(&self) -> bool {
        self.shards.all_empty(|shard| shard.set().len() == 0)
    }

    /// Removes every element, one shard at a time in index order.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let seen: lockwise::sharded::ShardedSet<HashSet<u64>> = Default::default();
    /// seen.insert(1);
    /// seen.clear();
    /// assert!(seen.is_empty());
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn clear(&self) {
        self.shards
            .for_each_shard_mut(|shard| shard.set_mut().clear());
    }

    /// Keeps only the elements for which `keep` returns `true`, one shard at a time.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let seen: lockwise::sharded::ShardedSet<HashSet<u64>> = Default::default();
    /// (0..10).for_each(|i| { seen.insert(i); });
    /// seen.retain(|i| i % 2 == 0);
    /// assert_eq!(seen.len(), 5);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn retain(&self, mut keep: impl FnMut(&K) -> bool) {
        self.shards
            .for_each_shard_mut(|shard| shard.set_mut().retain(&mut keep));
    }

    /// Runs `f` on every element, one shard at a time in index order, under each shard's
    /// read lock. Not a snapshot (see [`for_each_shard`](Shards::for_each_shard)).
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let seen: lockwise::sharded::ShardedSet<HashSet<u64>> = Default::default();
    /// (1..=4).for_each(|i| { seen.insert(i); });
    /// let mut total = 0;
    /// seen.for_each(|i| total += i);
    /// assert_eq!(total, 10);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn for_each(&self, mut f: impl FnMut(&K)) {
        self.shards
            .for_each_shard(|shard| shard.set().for_each(&mut f));
    }

    /// Clones of every element, shard by shard (in no particular order), each shard copied
    /// under its read lock.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let seen: lockwise::sharded::ShardedSet<HashSet<u64>> = Default::default();
    /// seen.insert(7);
    /// assert_eq!(seen.to_vec(), [7]);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn to_vec(&self) -> Vec<K>
    where
        K: Clone,
    {
        let mut elements = Vec::new();
        self.shards.for_each_shard(|shard| {
            let set = shard.set();
            elements.reserve(set.len());
            set.for_each(|k| elements.push(k.clone()));
        });
        elements
    }
}
