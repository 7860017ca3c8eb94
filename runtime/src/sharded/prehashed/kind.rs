//! [`PrehashedMap`] as a shard map: it reuses the shard hash whenever its hasher is the
//! shard's, and takes the shard's hasher at the first insert when it is not.

use core::borrow::Borrow;
use core::hash::{BuildHasher, Hash};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::sharded::hasher::ShardHasher;
use crate::sharded::kinds::{Capacity, Hashed, Keyed, Lookup, MapField, MapKind, sealed};
use crate::sharded::prehashed::PrehashedMap;

impl<K, V> PrehashedMap<K, V> {
    /// The hash of `key` in this map: the shard hash when this map hashes like the shard
    /// (one comparison), else its own.
    #[inline(always)]
    fn hash_of<Q: Hash + ?Sized>(&self, at: Hashed<'_>, key: &Q) -> u64 {
        if self.hasher.same_function(at.hasher) {
            at.hash
        } else {
            self.hasher.hash_one(key)
        }
    }
}

impl<K: Hash, V> PrehashedMap<K, V> {
    /// Makes this map hash with `hasher` (the shard's), so that the shard hash finds its keys.
    ///
    /// Panic-safe: the keys' new hashes are computed first (the only user code that runs:
    /// `K::hash`), then the entries move into a table with room for all of them, which
    /// runs no user code and never grows. `iter()` and `into_iter()` of one unchanged
    /// table visit the entries in the same order.
    #[cold]
    #[inline(never)]
    fn adopt(&mut self, hasher: &ShardHasher) {
        let hashes: Vec<u64> = self.table.iter().map(|(k, _)| hasher.hash_one(k)).collect();
        let capacity = hashes.len().max(self.table.capacity());
        let old = core::mem::replace(&mut self.table, HashTable::with_capacity(capacity));
        for (entry, hash) in old.into_iter().zip(hashes) {
            self.table
                .insert_unique(hash, entry, |_| unreachable!("the table has room"));
        }
        self.hasher = hasher.clone();
    }

    /// The shard hash, after making this map hash like the shard if it did not.
    #[inline(always)]
    fn hash_for_insert(&mut self, at: Hashed<'_>) -> u64 {
        if !self.hasher.same_function(at.hasher) {
            self.adopt(at.hasher);
        }
        at.hash
    }
}

impl<K, V> sealed::Sealed for PrehashedMap<K, V> {}

impl<K: Hash + Eq, V> MapKind for PrehashedMap<K, V> {
    type Key = K;
    type Value = V;

    #[inline(always)]
    fn hash_key(hasher: &ShardHasher, key: &K) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn insert(&mut self, at: Hashed<'_>, key: K, value: V) -> Option<V> {
        let hash = self.hash_for_insert(at);
        self.insert_hashed(hash, key, value)
    }
    #[inline(always)]
    fn get_or_insert_with(&mut self, at: Hashed<'_>, key: K, make: impl FnOnce() -> V) -> &mut V {
        let hash = self.hash_for_insert(at);
        let hasher = &self.hasher;
        let entry = match self
            .table
            .entry(hash, |(k, _)| *k == key, |(k, _)| hasher.hash_one(k))
        {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(slot) => slot.insert((key, make())).into_mut(),
        };
        &mut entry.1
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
        PrehashedMap::retain(self, keep);
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
    #[inline(always)]
    fn hash(hasher: &ShardHasher, key: &Q) -> u64 {
        hasher.hash_one(key)
    }
    #[inline(always)]
    fn get(&self, at: Hashed<'_>, key: &Q) -> Option<&V> {
        self.find(self.hash_of(at, key), key).map(|(_, v)| v)
    }
    #[inline(always)]
    fn get_mut(&mut self, at: Hashed<'_>, key: &Q) -> Option<&mut V> {
        let hash = self.hash_of(at, key);
        self.find_mut(hash, key).map(|(_, v)| v)
    }
    #[inline(always)]
    fn remove(&mut self, at: Hashed<'_>, key: &Q) -> Option<V> {
        let hash = self.hash_of(at, key);
        self.remove_hashed(hash, key).map(|(_, v)| v)
    }
    #[inline(always)]
    fn remove_if(
        &mut self,
        at: Hashed<'_>,
        key: &Q,
        remove: impl FnOnce(&K, &V) -> bool,
    ) -> Option<V> {
        let hash = self.hash_of(at, key);
        // One probe: the entry found is the one removed.
        let Ok(entry) = self.table.find_entry(hash, |(k, _)| k.borrow() == key) else {
            return None;
        };
        let (k, v) = entry.get();
        if remove(k, v) {
            Some(entry.remove().0.1)
        } else {
            None
        }
    }
}

impl<K: Hash + Eq, V> Capacity for PrehashedMap<K, V> {
    /// Hashes like the shard from the start: its first insert has nothing to adopt.
    #[inline]
    fn with_capacity(capacity: usize, hasher: &ShardHasher) -> Self {
        Self {
            table: HashTable::with_capacity(capacity),
            hasher: hasher.clone(),
        }
    }
    #[inline]
    fn shrink_to_fit(&mut self) {
        PrehashedMap::shrink_to_fit(self);
    }
}

impl<K, V> Keyed for PrehashedMap<K, V> {
    type Key = K;
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
