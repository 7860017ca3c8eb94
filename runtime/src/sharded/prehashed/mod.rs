//! [`PrehashedMap<K, V>`]: the shard map that hashes a key once, and its iterators.

use core::borrow::Borrow;
use core::hash::{BuildHasher, Hash};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::sharded::hasher::ShardHasher;

mod iter;
mod kind;

pub use iter::{IntoIter, Iter, IterMut};

/// A hash map for the map field of a sharded type that hashes each key once: the hash that
/// picked the shard also finds the key in the shard's map. A std `HashMap` field hashes
/// twice (the shard hash, then its own): a few instructions more with a fast hasher, three
/// times the instructions of this map with std's default, SipHash-1-3 (a `get` of a `u64`
/// key in a 100k-key map: 59 here, 196 with `HashMap<K, V>`; BENCHMARKS.md, "sharded").
/// The field type for speed.
///
/// It is built on hashbrown's `HashTable` (the table std's `HashMap` is built on) and has
/// the everyday part of `HashMap`'s API, for use inside a guard: `get`, `get_mut`,
/// `insert`, `remove`, `retain`, `iter`, ... Its hasher is a [`ShardHasher`]: when the map
/// is first written through the sharded type, it takes that type's hasher (rehashing its
/// entries, if it has any, once); from then on lookups reuse the shard hash. A map with
/// another hasher (built elsewhere, or swapped in through a write guard) still works: it
/// is searched with its own hasher, and takes the shard's again at the next insert.
///
/// ```
/// use lockwise::sharded::{PrehashedMap, ShardedMap};
///
/// let scores: ShardedMap<PrehashedMap<String, u32>> = ShardedMap::new();
/// scores.insert("ada".to_owned(), 3);
/// scores.update("ada", |s| *s += 1);
/// assert_eq!(scores.get("ada"), Some(4));
/// // Inside a guard it is a hash map.
/// assert_eq!(scores.read("ada").get("ada"), Some(&4));
/// ```
pub struct PrehashedMap<K, V> {
    table: HashTable<(K, V)>,
    hasher: ShardHasher,
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
        Self::with_capacity(0)
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
            table: HashTable::with_capacity(capacity),
            hasher: ShardHasher::default(),
        }
    }

    /// The hasher: the sharded type's once the map has been written through it.
    ///
    /// ```
    /// let map: lockwise::sharded::PrehashedMap<u8, u8> = Default::default();
    /// assert!(map.hasher().same_function(map.hasher()));
    /// ```
    #[inline]
    pub fn hasher(&self) -> &ShardHasher {
        &self.hasher
    }

    /// The number of entries.
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// map.insert(1, "a");
    /// assert_eq!(map.len(), 1);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the map has no entries.
    ///
    /// ```
    /// let map: lockwise::sharded::PrehashedMap<u8, u8> = Default::default();
    /// assert!(map.is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// How many entries the map holds without reallocating.
    ///
    /// ```
    /// let map: lockwise::sharded::PrehashedMap<u8, u8> =
    ///     lockwise::sharded::PrehashedMap::with_capacity(3);
    /// assert!(map.capacity() >= 3);
    /// ```
    #[inline]
    pub fn capacity(&self) -> usize {
        self.table.capacity()
    }

    /// Removes every entry, keeping the allocation.
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// map.insert(1, "a");
    /// map.clear();
    /// assert!(map.is_empty());
    /// ```
    #[inline]
    pub fn clear(&mut self) {
        self.table.clear();
    }

    /// Keeps only the entries for which `keep` returns `true`.
    ///
    /// ```
    /// let mut map: lockwise::sharded::PrehashedMap<u32, u32> = (0..6).map(|i| (i, i)).collect();
    /// map.retain(|k, _| k % 2 == 0);
    /// assert_eq!(map.len(), 3);
    /// ```
    #[inline]
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.table.retain(|(k, v)| keep(k, v));
    }

    /// The entries, in no particular order.
    ///
    /// ```
    /// let map: lockwise::sharded::PrehashedMap<u32, u32> = (0..3).map(|i| (i, i)).collect();
    /// assert_eq!(map.iter().map(|(_, v)| v).sum::<u32>(), 3);
    /// ```
    #[inline]
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter::new(self.table.iter())
    }

    /// The entries, values mutable, in no particular order.
    ///
    /// ```
    /// let mut map: lockwise::sharded::PrehashedMap<u32, u32> = (0..3).map(|i| (i, i)).collect();
    /// map.iter_mut().for_each(|(_, v)| *v += 1);
    /// assert_eq!(map.get(&0), Some(&1));
    /// ```
    #[inline]
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut::new(self.table.iter_mut())
    }

    /// The keys, in no particular order.
    ///
    /// ```
    /// let map: lockwise::sharded::PrehashedMap<u32, ()> = [(7, ())].into_iter().collect();
    /// assert_eq!(map.keys().copied().collect::<Vec<_>>(), [7]);
    /// ```
    #[inline]
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(k, _)| k)
    }

    /// The values, in no particular order.
    ///
    /// ```
    /// let map: lockwise::sharded::PrehashedMap<u32, u32> = [(7, 8)].into_iter().collect();
    /// assert_eq!(map.values().copied().collect::<Vec<_>>(), [8]);
    /// ```
    #[inline]
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    /// The values, mutable, in no particular order.
    ///
    /// ```
    /// let mut map: lockwise::sharded::PrehashedMap<u32, u32> = [(7, 8)].into_iter().collect();
    /// map.values_mut().for_each(|v| *v = 0);
    /// assert_eq!(map.get(&7), Some(&0));
    /// ```
    #[inline]
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.iter_mut().map(|(_, v)| v)
    }

    /// Removes and returns every entry, keeping the allocation.
    ///
    /// ```
    /// let mut map: lockwise::sharded::PrehashedMap<u32, u32> = [(7, 8)].into_iter().collect();
    /// assert_eq!(map.drain().collect::<Vec<_>>(), [(7, 8)]);
    /// assert!(map.is_empty());
    /// ```
    #[inline]
    pub fn drain(&mut self) -> impl Iterator<Item = (K, V)> + '_ {
        self.table.drain()
    }
}

impl<K: Hash + Eq, V> PrehashedMap<K, V> {
    /// The entry of `key`, if it is there.
    #[inline(always)]
    fn find<Q>(&self, hash: u64, key: &Q) -> Option<&(K, V)>
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        self.table.find(hash, |(k, _)| k.borrow() == key)
    }

    /// The entry of `key`, mutable, if it is there.
    #[inline(always)]
    fn find_mut<Q>(&mut self, hash: u64, key: &Q) -> Option<&mut (K, V)>
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        self.table.find_mut(hash, |(k, _)| k.borrow() == key)
    }

    /// Inserts under a hash this map's hasher gives `key`.
    #[inline(always)]
    fn insert_hashed(&mut self, hash: u64, key: K, value: V) -> Option<V> {
        let hasher = &self.hasher;
        match self
            .table
            .entry(hash, |(k, _)| *k == key, |(k, _)| hasher.hash_one(k))
        {
            // Like std: the value is replaced, the key that is there stays.
            Entry::Occupied(mut entry) => Some(core::mem::replace(&mut entry.get_mut().1, value)),
            Entry::Vacant(slot) => {
                slot.insert((key, value));
                None
            }
        }
    }

    /// Removes under a hash this map's hasher gives `key`.
    #[inline(always)]
    fn remove_hashed<Q>(&mut self, hash: u64, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        match self.table.find_entry(hash, |(k, _)| k.borrow() == key) {
            Ok(entry) => Some(entry.remove().0),
            Err(_) => None,
        }
    }

    /// The value of `key`, if it is there.
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// map.insert("a".to_owned(), 1);
    /// assert_eq!(map.get("a"), Some(&1));
    /// ```
    #[inline]
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.find(self.hasher.hash_one(key), key).map(|(_, v)| v)
    }

    /// The stored key and the value of `key`, if it is there.
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// map.insert("a".to_owned(), 1);
    /// assert_eq!(map.get_key_value("a"), Some((&"a".to_owned(), &1)));
    /// ```
    #[inline]
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.find(self.hasher.hash_one(key), key)
            .map(|(k, v)| (k, v))
    }

    /// The value of `key`, mutable, if it is there.
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// map.insert(1, 1);
    /// *map.get_mut(&1).unwrap() += 1;
    /// assert_eq!(map.get(&1), Some(&2));
    /// ```
    #[inline]
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hasher.hash_one(key);
        self.find_mut(hash, key).map(|(_, v)| v)
    }

    /// Whether `key` is in the map.
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// map.insert(1, ());
    /// assert!(map.contains_key(&1));
    /// ```
    #[inline]
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Inserts `value` under `key`, returning the value that was there (the key that was
    /// there stays, as in std).
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// assert_eq!(map.insert(1, "a"), None);
    /// assert_eq!(map.insert(1, "b"), Some("a"));
    /// ```
    #[inline]
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        let hash = self.hasher.hash_one(&key);
        self.insert_hashed(hash, key, value)
    }

    /// Removes `key`, returning its value if it was there.
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// map.insert(1, "a");
    /// assert_eq!(map.remove(&1), Some("a"));
    /// assert_eq!(map.remove(&1), None);
    /// ```
    #[inline]
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// Removes `key`, returning the stored key and its value if it was there.
    ///
    /// ```
    /// let mut map = lockwise::sharded::PrehashedMap::new();
    /// map.insert(1, "a");
    /// assert_eq!(map.remove_entry(&1), Some((1, "a")));
    /// ```
    #[inline]
    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hasher.hash_one(key);
        self.remove_hashed(hash, key)
    }

    /// Makes room for at least `additional` more entries.
    ///
    /// ```
    /// let mut map: lockwise::sharded::PrehashedMap<u8, u8> = Default::default();
    /// map.reserve(10);
    /// assert!(map.capacity() >= 10);
    /// ```
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        let hasher = &self.hasher;
        self.table.reserve(additional, |(k, _)| hasher.hash_one(k));
    }

    /// Shrinks the allocation to fit the entries.
    ///
    /// ```
    /// let mut map: lockwise::sharded::PrehashedMap<u8, u8> =
    ///     lockwise::sharded::PrehashedMap::with_capacity(100);
    /// map.shrink_to_fit();
    /// assert!(map.capacity() < 100);
    /// ```
    #[inline]
    pub fn shrink_to_fit(&mut self) {
        let hasher = &self.hasher;
        self.table.shrink_to_fit(|(k, _)| hasher.hash_one(k));
    }
}
