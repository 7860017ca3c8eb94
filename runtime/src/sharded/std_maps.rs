//! std's maps and sets as shard maps. They keep the hasher the user chose, so a lookup
//! hashes the key twice: once with the [`ShardHasher`] to pick the shard, once with the
//! map's own hasher ([`PrehashedMap`](crate::sharded::PrehashedMap) hashes once).

use core::borrow::Borrow;
use core::hash::{BuildHasher, Hash};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::sharded::hasher::ShardHasher;
use crate::sharded::kinds::{
    Capacity, Hashed, Keyed, Lookup, MapField, MapKind, SetField, SetKind, SetLookup, sealed,
};

impl<K, V, S> sealed::Sealed for HashMap<K, V, S> {}
impl<K, V> sealed::Sealed for BTreeMap<K, V> {}
impl<K, S> sealed::Sealed for HashSet<K, S> {}
impl<K> sealed::Sealed for BTreeSet<K> {}

impl<K: Hash + Eq, V, S: BuildHasher> MapKind for HashMap<K, V, S> {
    type Key = K;
    type Value = V;

    #[inline(always)]
    fn hash_key(hasher: &ShardHasher, key: &K) -> u64 {
        hasher.hash_one(key)
    }
    /// `HashMap::insert`, through `entry`: std's `insert` is compiled as a call (its
    /// hashbrown is built without `inline-more`), which costs saved registers and a
    /// `reserve` of its own; `entry` inlines, with the same one hash and one probe
    /// (measured: 15 instructions fewer on a present key, 11 on an absent one; BENCHMARKS.md,
    /// "sharded"). Same result: a key that is there stays, only its value is replaced.
    #[inline(always)]
    fn insert(&mut self, _: Hashed<'_>, key: K, value: V) -> Option<V> {
        match self.entry(key) {
            Entry::Occupied(mut entry) => Some(entry.insert(value)),
            Entry::Vacant(slot) => {
                slot.insert(value);
                None
            }
        }
    }
    #[inline(always)]
    fn get_or_insert_with(&mut self, _: Hashed<'_>, key: K, make: impl FnOnce() -> V) -> &mut V {
        self.entry(key).or_insert_with(make)
    }
    #[inline]
    fn len(&self) -> usize {
        HashMap::len(self)
    }
    #[inline]
    fn clear(&mut self) {
        HashMap::clear(self);
    }
    #[inline]
    fn retain(&mut self, keep: impl FnMut(&K, &mut V) -> bool) {
        HashMap::retain(self, keep);
    }
    #[inline]
    fn for_each(&self, mut f: impl FnMut(&K, &V)) {
        self.iter().for_each(|(k, v)| f(k, v));
    }
}

impl<K, V, S, Q> Lookup<Q> for HashMap<K, V, S>
where
    K: Hash + Eq + Borrow<Q>,
    Q: Hash + Eq + ?Sized,
    S: BuildHasher,
{
    #[inline(always)]
    fn hash(hasher: &ShardHasher, key: &Q) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn get(&self, _: Hashed<'_>, key: &Q) -> Option<&V> {
        HashMap::get(self, key)
    }
    #[inline(always)]
    fn get_mut(&mut self, _: Hashed<'_>, key: &Q) -> Option<&mut V> {
        HashMap::get_mut(self, key)
    }
    #[inline(always)]
    fn remove(&mut self, _: Hashed<'_>, key: &Q) -> Option<V> {
        HashMap::remove(self, key)
    }
    #[inline(always)]
    fn remove_if(
        &mut self,
        _: Hashed<'_>,
        key: &Q,
        remove: impl FnOnce(&K, &V) -> bool,
    ) -> Option<V> {
        let found = HashMap::get_key_value(self, key).is_some_and(|(k, v)| remove(k, v));
        if found {
            HashMap::remove(self, key)
        } else {
            None
        }
    }
}

impl<K: Hash + Eq, V, S: BuildHasher + Default> Capacity for HashMap<K, V, S> {
    #[inline]
    fn with_capacity(capacity: usize, _: &ShardHasher) -> Self {
        HashMap::with_capacity_and_hasher(capacity, S::default())
    }
    #[inline]
    fn shrink_to_fit(&mut self) {
        HashMap::shrink_to_fit(self);
    }
}

impl<K: Hash + Ord, V> MapKind for BTreeMap<K, V> {
    type Key = K;
    type Value = V;

    #[inline(always)]
    fn hash_key(hasher: &ShardHasher, key: &K) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn insert(&mut self, _: Hashed<'_>, key: K, value: V) -> Option<V> {
        BTreeMap::insert(self, key, value)
    }
    #[inline(always)]
    fn get_or_insert_with(&mut self, _: Hashed<'_>, key: K, make: impl FnOnce() -> V) -> &mut V {
        self.entry(key).or_insert_with(make)
    }
    #[inline]
    fn len(&self) -> usize {
        BTreeMap::len(self)
    }
    #[inline]
    fn clear(&mut self) {
        BTreeMap::clear(self);
    }
    #[inline]
    fn retain(&mut self, keep: impl FnMut(&K, &mut V) -> bool) {
        BTreeMap::retain(self, keep);
    }
    #[inline]
    fn for_each(&self, mut f: impl FnMut(&K, &V)) {
        self.iter().for_each(|(k, v)| f(k, v));
    }
}

impl<K, V, Q> Lookup<Q> for BTreeMap<K, V>
where
    K: Hash + Ord + Borrow<Q>,
    Q: Hash + Ord + ?Sized,
{
    #[inline(always)]
    fn hash(hasher: &ShardHasher, key: &Q) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn get(&self, _: Hashed<'_>, key: &Q) -> Option<&V> {
        BTreeMap::get(self, key)
    }
    #[inline(always)]
    fn get_mut(&mut self, _: Hashed<'_>, key: &Q) -> Option<&mut V> {
        BTreeMap::get_mut(self, key)
    }
    #[inline(always)]
    fn remove(&mut self, _: Hashed<'_>, key: &Q) -> Option<V> {
        BTreeMap::remove(self, key)
    }
    #[inline(always)]
    fn remove_if(
        &mut self,
        _: Hashed<'_>,
        key: &Q,
        remove: impl FnOnce(&K, &V) -> bool,
    ) -> Option<V> {
        let found = BTreeMap::get_key_value(self, key).is_some_and(|(k, v)| remove(k, v));
        if found {
            BTreeMap::remove(self, key)
        } else {
            None
        }
    }
}

impl<K: Hash + Eq, S: BuildHasher> SetKind for HashSet<K, S> {
    type Key = K;

    #[inline(always)]
    fn hash_key(hasher: &ShardHasher, key: &K) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn insert(&mut self, _: Hashed<'_>, key: K) -> bool {
        HashSet::insert(self, key)
    }
    #[inline]
    fn len(&self) -> usize {
        HashSet::len(self)
    }
    #[inline]
    fn clear(&mut self) {
        HashSet::clear(self);
    }
    #[inline]
    fn retain(&mut self, keep: impl FnMut(&K) -> bool) {
        HashSet::retain(self, keep);
    }
    #[inline]
    fn for_each(&self, f: impl FnMut(&K)) {
        self.iter().for_each(f);
    }
}

impl<K, S, Q> SetLookup<Q> for HashSet<K, S>
where
    K: Hash + Eq + Borrow<Q>,
    Q: Hash + Eq + ?Sized,
    S: BuildHasher,
{
    #[inline(always)]
    fn hash(hasher: &ShardHasher, key: &Q) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn contains(&self, _: Hashed<'_>, key: &Q) -> bool {
        HashSet::contains(self, key)
    }
    #[inline(always)]
    fn remove(&mut self, _: Hashed<'_>, key: &Q) -> bool {
        HashSet::remove(self, key)
    }
}

impl<K: Hash + Eq, S: BuildHasher + Default> Capacity for HashSet<K, S> {
    #[inline]
    fn with_capacity(capacity: usize, _: &ShardHasher) -> Self {
        HashSet::with_capacity_and_hasher(capacity, S::default())
    }
    #[inline]
    fn shrink_to_fit(&mut self) {
        HashSet::shrink_to_fit(self);
    }
}

impl<K: Hash + Ord> SetKind for BTreeSet<K> {
    type Key = K;

    #[inline(always)]
    fn hash_key(hasher: &ShardHasher, key: &K) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn insert(&mut self, _: Hashed<'_>, key: K) -> bool {
        BTreeSet::insert(self, key)
    }
    #[inline]
    fn len(&self) -> usize {
        BTreeSet::len(self)
    }
    #[inline]
    fn clear(&mut self) {
        BTreeSet::clear(self);
    }
    #[inline]
    fn retain(&mut self, keep: impl FnMut(&K) -> bool) {
        BTreeSet::retain(self, keep);
    }
    #[inline]
    fn for_each(&self, f: impl FnMut(&K)) {
        self.iter().for_each(f);
    }
}

impl<K, Q> SetLookup<Q> for BTreeSet<K>
where
    K: Hash + Ord + Borrow<Q>,
    Q: Hash + Ord + ?Sized,
{
    #[inline(always)]
    fn hash(hasher: &ShardHasher, key: &Q) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn contains(&self, _: Hashed<'_>, key: &Q) -> bool {
        BTreeSet::contains(self, key)
    }
    #[inline(always)]
    fn remove(&mut self, _: Hashed<'_>, key: &Q) -> bool {
        BTreeSet::remove(self, key)
    }
}

// A map is its own map field, keyed by its key: `ShardedMap<HashMap<K, V>>` has the map
// methods, and `Shards<HashMap<K, V>>` the key guards.

impl<K, V, S> Keyed for HashMap<K, V, S> {
    type Key = K;
}

impl<K, V> Keyed for BTreeMap<K, V> {
    type Key = K;
}

impl<K, S> Keyed for HashSet<K, S> {
    type Key = K;
}

impl<K> Keyed for BTreeSet<K> {
    type Key = K;
}

impl<K: Hash + Eq, V, S: BuildHasher> MapField for HashMap<K, V, S> {
    type Map = Self;
    #[inline(always)]
    fn map(&self) -> &Self {
        self
    }
    #[inline(always)]
    fn map_mut(&mut self) -> &mut Self {
        self
    }
}

impl<K: Hash + Ord, V> MapField for BTreeMap<K, V> {
    type Map = Self;
    #[inline(always)]
    fn map(&self) -> &Self {
        self
    }
    #[inline(always)]
    fn map_mut(&mut self) -> &mut Self {
        self
    }
}

impl<K: Hash + Eq, S: BuildHasher> SetField for HashSet<K, S> {
    type Set = Self;
    #[inline(always)]
    fn set(&self) -> &Self {
        self
    }
    #[inline(always)]
    fn set_mut(&mut self) -> &mut Self {
        self
    }
}

impl<K: Hash + Ord> SetField for BTreeSet<K> {
    type Set = Self;
    #[inline(always)]
    fn set(&self) -> &Self {
        self
    }
    #[inline(always)]
    fn set_mut(&mut self) -> &mut Self {
        self
    }
}
