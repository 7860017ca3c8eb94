//! [`PrehashedMap<K, V>`]: the shard map that hashes a key once.

use core::borrow::Borrow;
use core::fmt;
use core::hash::{BuildHasher, Hash};
use core::ops::{Deref, DerefMut};

use hashbrown::hash_map::RawEntryMut;

use crate::sharded::hasher::ShardHasher;
use crate::sharded::kinds::{Hashed, Lookup, MapField, MapKind, sealed};

type Table<K, V> = hashbrown::HashMap<K, V, ShardHasher>;

/// A hash map for the map field of a sharded type that hashes each key once: the hash that
/// picked the shard also finds the key in the shard's map. A std `HashMap` field hashes
/// twice (the shard hash, then its own), which costs what dashmap saves by hashing once;
/// this map closes that gap (see BENCHMARKS.md, "sharded").
///
/// It is a `hashbrown::HashMap<K, V, ShardHasher>` (the table std's `HashMap` is built on)
/// and derefs to one, so inside a guard it is used like any hash map. Its hasher is a
/// [`ShardHasher`]: when the map is first written through the sharded type, it takes that
/// type's hasher (moving its entries, if it has any, once); from then on lookups reuse the
/// shard hash. A map with another hasher (built elsewhere, or swapped in through a write
/// guard) still works: it is looked up with its own hasher, and takes the shard's again at
/// the next insert.
///
/// ```
/// use lockwise::sharded::{PrehashedMap, Shards};
///
/// let scores: Shards<PrehashedMap<String, u32>> = Shards::new();
/// scores.insert("ada".to_owned(), 3);
/// scores.update("ada", |s| *s += 1);
/// assert_eq!(scores.get("ada"), Some(4));
/// // Inside a guard it is a hash map.
/// assert_eq!(scores.read("ada").get("ada"), Some(&4));
/// ```
pub struct PrehashedMap<K, V> {
    table: Table<K, V>,
}

impl<K, V> PrehashedMap<K, V> {
    /// An empty map (no allocation), with a freshly seeded hasher.
    ///
    /// ```
    /// let map: lockwise::sharded::PrehashedMap<u8, u8> = lockwise::sharded::PrehashedMap::new();
    /// assert!(map.is_empty());
    /// ```
    #[inline]
    pub fn new() -> Self {
        Self {
            table: Table::with_hasher(ShardHasher::default()),
        }
    }

    /// An empty map with room for `capacity` entries.
    ///
    /// ```
    /// let map: lockwise::sharded::PrehashedMap<u8, u8> =
    ///     lockwise::sharded::PrehashedMap::with_capacity(10);
    /// assert!(map.capacity() >= 10);
    /// ```
    #[inline]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            table: Table::with_capacity_and_hasher(capacity, ShardHasher::default()),
        }
    }

    /// The hash of `key` in this map: the shard hash when this map hashes like the shard.
    #[inline(always)]
    fn hash_of<Q: Hash + ?Sized>(&self, at: Hashed<'_>, key: &Q) -> u64 {
        if self.table.hasher().same_function(at.hasher) {
            at.hash
        } else {
            self.table.hasher().hash_one(key)
        }
    }
}

impl<K: Hash, V> PrehashedMap<K, V> {
    /// Makes this map hash with `hasher` (the shard's), so that the shard hash finds its keys.
    ///
    /// Panic-safe: the keys' new hashes are computed first (the only user code that runs:
    /// `K::hash`), then the entries move into a table with room for all of them, which
    /// runs no user code and never rehashes. `keys()` and `into_iter()` of one unchanged
    /// table visit the entries in the same order.
    #[cold]
    #[inline(never)]
    fn adopt(&mut self, hasher: &ShardHasher) {
        let hashes: Vec<u64> = self.table.keys().map(|k| hasher.hash_one(k)).collect();
        let capacity = hashes.len().max(self.table.capacity());
        let old = core::mem::replace(
            &mut self.table,
            Table::with_capacity_and_hasher(capacity, hasher.clone()),
        );
        for ((key, value), hash) in old.into_iter().zip(hashes) {
            match self.table.raw_entry_mut().from_hash(hash, |_| false) {
                RawEntryMut::Vacant(slot) => {
                    slot.insert_hashed_nocheck(hash, key, value);
                }
                RawEntryMut::Occupied(_) => unreachable!("the match closure never matches"),
            }
        }
    }

    /// The shard hash of `key`, after making this map hash like the shard if it did not.
    #[inline(always)]
    fn hash_for_insert(&mut self, at: Hashed<'_>) -> u64 {
        if !self.table.hasher().same_function(at.hasher) {
            self.adopt(at.hasher);
        }
        at.hash
    }
}

impl<K, V> sealed::Sealed for PrehashedMap<K, V> {}

impl<K: Hash + Eq, V> MapKind for PrehashedMap<K, V> {
    type Key = K;
    type Value = V;

    #[inline]
    fn hash_key(hasher: &ShardHasher, key: &K) -> u64 {
        hasher.hash_one(key)
    }
    #[inline]
    fn insert(&mut self, at: Hashed<'_>, key: K, value: V) -> Option<V> {
        let hash = self.hash_for_insert(at);
        match self.table.raw_entry_mut().from_key_hashed_nocheck(hash, &key) {
            // Like std: the value is replaced, the key that is there stays.
            RawEntryMut::Occupied(mut entry) => Some(entry.insert(value)),
            RawEntryMut::Vacant(slot) => {
                slot.insert_hashed_nocheck(hash, key, value);
                None
            }
        }
    }
    #[inline]
    fn get_or_insert_with(&mut self, at: Hashed<'_>, key: K, make: impl FnOnce() -> V) -> &mut V {
        let hash = self.hash_for_insert(at);
        match self.table.raw_entry_mut().from_key_hashed_nocheck(hash, &key) {
            RawEntryMut::Occupied(entry) => entry.into_mut(),
            RawEntryMut::Vacant(slot) => slot.insert_hashed_nocheck(hash, key, make()).1,
        }
    }
    #[inline]
    fn len(&self) -> usize {
        self.table.len()
    }
    #[inline]
    fn clear(&mut self) {
        self.table.clear();
    }
    #[inline]
    fn retain(&mut self, keep: impl FnMut(&K, &mut V) -> bool) {
        self.table.retain(keep);
    }
    #[inline]
    fn for_each(&self, mut f: impl FnMut(&K, &V)) {
        self.table.iter().for_each(|(k, v)| f(k, v));
    }
}

impl<K, V, Q> Lookup<Q> for PrehashedMap<K, V>
where
    K: Hash + Eq + Borrow<Q>,
    Q: Hash + Eq + ?Sized,
{
    #[inline]
    fn hash(hasher: &ShardHasher, key: &Q) -> u64 {
        hasher.hash_one(key)
    }
    #[inline]
    fn get(&self, at: Hashed<'_>, key: &Q) -> Option<&V> {
        let hash = self.hash_of(at, key);
        let found = self.table.raw_entry().from_key_hashed_nocheck(hash, key);
        found.map(|(_, v)| v)
    }
    #[inline]
    fn get_mut(&mut self, at: Hashed<'_>, key: &Q) -> Option<&mut V> {
        let hash = self.hash_of(at, key);
        match self.table.raw_entry_mut().from_key_hashed_nocheck(hash, key) {
            RawEntryMut::Occupied(entry) => Some(entry.into_mut()),
            RawEntryMut::Vacant(_) => None,
        }
    }
    #[inline]
    fn remove(&mut self, at: Hashed<'_>, key: &Q) -> Option<V> {
        let hash = self.hash_of(at, key);
        match self.table.raw_entry_mut().from_key_hashed_nocheck(hash, key) {
            RawEntryMut::Occupied(entry) => Some(entry.remove()),
            RawEntryMut::Vacant(_) => None,
        }
    }
}

impl<K: Hash + Eq, V> MapField for PrehashedMap<K, V> {
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

impl<K, V> Deref for PrehashedMap<K, V> {
    type Target = hashbrown::HashMap<K, V, ShardHasher>;

    #[inline(always)]
    fn deref(&self) -> &Self::Target {
        &self.table
    }
}

impl<K, V> DerefMut for PrehashedMap<K, V> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.table
    }
}

impl<K, V> Default for PrehashedMap<K, V> {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Clone, V: Clone> Clone for PrehashedMap<K, V> {
    fn clone(&self) -> Self {
        Self {
            table: self.table.clone(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for PrehashedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.table.iter()).finish()
    }
}

impl<K: Hash + Eq, V: PartialEq> PartialEq for PrehashedMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.table == other.table
    }
}

impl<K: Hash + Eq, V: Eq> Eq for PrehashedMap<K, V> {}

impl<K: Hash + Eq, V> FromIterator<(K, V)> for PrehashedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        map.table.extend(iter);
        map
    }
}

impl<K: Hash + Eq, V> Extend<(K, V)> for PrehashedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        self.table.extend(iter);
    }
}

impl<K, V> IntoIterator for PrehashedMap<K, V> {
    type Item = (K, V);
    type IntoIter = hashbrown::hash_map::IntoIter<K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.table.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a PrehashedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = hashbrown::hash_map::Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.table.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut PrehashedMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = hashbrown::hash_map::IterMut<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.table.iter_mut()
    }
}
