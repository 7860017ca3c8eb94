//! [`Entry`]: dashmap's `map.entry(key)` on a [`ShardedMap`], the key's place in the map
//! with the key's shard write-locked until the entry, or the value guard it turns into,
//! drops.
//!
//! `Entry` is an enum, `Occupied` or `Vacant`, as std's and dashmap's are, because that is
//! what one lookup gives: `entry(key)` takes the shard's write guard and narrows it to the
//! key's value (`WriteGuard::try_map`). Found, the entry holds that narrowed guard (the
//! shard's [`MappedWriteGuard`], which becomes the [`RefMut`] it returns); missed, it gets
//! the shard's guard back, to insert with. So `or_insert`, `or_default` and `and_modify` on a key that is there look nothing
//! up again, and return the guard `entry` found.
//!
//! The price of holding a guard of the value alone: an occupied entry cannot remove its key
//! (there is no `OccupiedEntry::remove`; [`ShardedMap::remove_if`] removes on a condition
//! under one lock). A vacant entry's insert looks the key up a second time, as std's maps
//! have no stable insert at a remembered place; the shard hash is computed once, and a
//! [`PrehashedMap`](crate::sharded::PrehashedMap) reuses it for both lookups.
//!
//! Every guard here is a guard of the shard, with its debug-build record: while one lives,
//! this thread touching the same shard panics, naming it, instead of deadlocking.

use core::fmt;
use core::mem;

use crate::guarded::mode::{MapWrite, MappedWrite, Mode};
use crate::guarded::{MappedWriteGuard, WriteGuard};
use crate::sharded::hasher::shard_of;
use crate::sharded::kinds::{Hashed, Lookup, MapField, MapKind, value_mut, value_or_insert_with};
use crate::sharded::map::ShardedMap;
use crate::sharded::ref_mut::RefMut;

/// The place of a key in a [`ShardedMap`], with the key's shard write-locked: what
/// [`ShardedMap::entry`] returns. dashmap's `Entry`, with its names: `or_insert`,
/// `or_insert_with`, `or_default` and `insert` return a guard that dereferences mutably to
/// the value ([`RefMut`]); `and_modify` returns the entry.
///
/// Hold it briefly: the shard stays locked until the entry, or the guard it returned,
/// drops, and this thread must not touch the same shard meanwhile (debug builds panic,
/// naming the shard; release builds would deadlock).
///
/// ```
/// use std::collections::HashMap;
/// use lockwise::sharded::{Entry, ShardedMap};
///
/// let hits: ShardedMap<HashMap<String, u64>> = ShardedMap::new();
/// for page in ["/", "/about", "/"] {
///     *hits.entry(page.to_owned()).or_insert(0) += 1;
/// }
/// assert_eq!(hits.get("/"), Some(2));
///
/// // Counting, the dashmap way:
/// hits.entry("/".to_owned()).and_modify(|n| *n += 1).or_insert(1);
/// assert_eq!(hits.get("/"), Some(3));
///
/// match hits.entry("/contact".to_owned()) {
///     Entry::Occupied(entry) => unreachable!("{} was never visited", entry.key()),
///     Entry::Vacant(entry) => drop(entry.insert(0)),
/// }
/// assert_eq!(hits.len(), 3);
/// ```
#[must_use = "an entry holds its shard's write lock: insert, modify or drop it"]
pub enum Entry<'a, K, V: 'a, S: 'a, M: MappedWrite<V>> {
    /// The key is in the map: the entry holds a guard of its value.
    Occupied(OccupiedEntry<'a, K, V, M>),
    /// The key is not in the map: the entry holds the shard's write guard.
    Vacant(VacantEntry<'a, K, S, M>),
}

/// A key that is in a [`ShardedMap`], with a guard of its value (the shard's write lock,
/// narrowed to the value): [`Entry::Occupied`].
///
/// ```
/// use std::collections::HashMap;
/// use lockwise::sharded::{Entry, ShardedMap};
///
/// let stock: ShardedMap<HashMap<&str, u32>> = ShardedMap::new();
/// stock.insert("apples", 3);
/// if let Entry::Occupied(mut apples) = stock.entry("apples") {
///     assert_eq!(*apples.key(), "apples");
///     *apples.get_mut() -= 1;
///     assert_eq!(apples.insert(10), 2); // the value it replaced
/// }
/// assert_eq!(stock.get("apples"), Some(10));
/// ```
#[must_use = "an entry holds its shard's write lock"]
pub struct OccupiedEntry<'a, K, V: 'a, M: MappedWrite<V>> {
    key: K,
    value: MappedWriteGuard<'a, V, M>,
}

/// A key that is not in a [`ShardedMap`], with its shard's write guard, to insert with:
/// [`Entry::Vacant`].
///
/// ```
/// use std::collections::HashMap;
/// use lockwise::sharded::{Entry, ShardedMap};
///
/// let names: ShardedMap<HashMap<u64, String>> = ShardedMap::new();
/// if let Entry::Vacant(slot) = names.entry(7) {
///     assert_eq!(*slot.key(), 7);
///     slot.insert("seven".to_owned()).push('!');
/// }
/// assert_eq!(names.get(&7).as_deref(), Some("seven!"));
/// ```
#[must_use = "an entry holds its shard's write lock"]
pub struct VacantEntry<'a, K, S: 'a, M: Mode> {
    key: K,
    shard: WriteGuard<'a, S, M>,
    /// The shard hash, for the insert's lookup.
    at: Hashed<'a>,
}

// `K`, `V` and `Map` are named as in `ShardedMap`'s impls, for rustdoc (see map.rs).
impl<S, Map, K, V, M, const N: usize> ShardedMap<S, M, N>
where
    S: MapField<Key = K, Map = Map>,
    Map: MapKind<Key = K, Value = V> + Lookup<K>,
    M: MapWrite<S, V>,
{
    /// The entry of `key`, with its shard write-locked: dashmap's `entry`. The key is
    /// hashed once, for the shard (a [`PrehashedMap`](crate::sharded::PrehashedMap) reuses
    /// that hash), and looked up once; see [`Entry`].
    ///
    /// While the entry or the guard it returns lives, this thread must not touch the same
    /// shard (debug builds panic, naming the shard, instead of deadlocking). For work under
    /// the lock that needs no guard, [`get_or_insert_with`](Self::get_or_insert_with) and
    /// [`update`](Self::update) take closures instead.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let words: ShardedMap<HashMap<String, Vec<usize>>> = ShardedMap::new();
    /// for (line, word) in ["a", "b", "a"].into_iter().enumerate() {
    ///     words.entry(word.to_owned()).or_default().push(line);
    /// }
    /// assert_eq!(words.get("a"), Some(vec![0, 2]));
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn entry(&self, key: K) -> Entry<'_, K, V, S, M> {
        let hash = Map::hash_key(&self.hasher, &key);
        let at = self.hashed(hash);
        let shard = self.write_shard(shard_of::<N>(hash));
        match WriteGuard::try_map(shard, |shard| value_mut(shard, at, &key)) {
            Ok(value) => Entry::Occupied(OccupiedEntry { key, value }),
            Err(shard) => Entry::Vacant(VacantEntry { key, shard, at }),
        }
    }
}

impl<'a, S, Map, K, V: 'a, M> Entry<'a, K, V, S, M>
where
    S: MapField<Key = K, Map = Map>,
    Map: MapKind<Key = K, Value = V>,
    M: MapWrite<S, V>,
{
    /// The key (as given to `entry`).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let map: lockwise::sharded::ShardedMap<HashMap<u8, u8>> = Default::default();
    /// assert_eq!(*map.entry(3).key(), 3);
    /// ```
    #[inline]
    pub fn key(&self) -> &K {
        match self {
            Entry::Occupied(entry) => entry.key(),
            Entry::Vacant(entry) => entry.key(),
        }
    }

    /// The key, releasing the shard.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let map: lockwise::sharded::ShardedMap<HashMap<String, u8>> = Default::default();
    /// assert_eq!(map.entry("k".to_owned()).into_key(), "k");
    /// ```
    #[inline]
    pub fn into_key(self) -> K {
        match self {
            Entry::Occupied(entry) => entry.key,
            Entry::Vacant(entry) => entry.key,
        }
    }

    /// Runs `f` on the value if the key is there, and returns the entry: dashmap's (and
    /// std's) `and_modify`, for `entry(k).and_modify(|v| ..).or_insert(v)`.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let counts: lockwise::sharded::ShardedMap<HashMap<&str, u32>> = Default::default();
    /// counts.entry("a").and_modify(|n| *n += 1).or_insert(1);
    /// counts.entry("a").and_modify(|n| *n += 1).or_insert(1);
    /// assert_eq!(counts.get("a"), Some(2));
    /// ```
    #[inline]
    pub fn and_modify(mut self, f: impl FnOnce(&mut V)) -> Self {
        if let Entry::Occupied(entry) = &mut self {
            f(entry.get_mut());
        }
        self
    }

    /// A guard of the value, inserting `value` first if the key is not there.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let counts: lockwise::sharded::ShardedMap<HashMap<&str, u32>> = Default::default();
    /// *counts.entry("a").or_insert(0) += 5;
    /// *counts.entry("a").or_insert(0) += 5;
    /// assert_eq!(counts.get("a"), Some(10));
    /// ```
    #[inline]
    pub fn or_insert(self, value: V) -> RefMut<'a, V, M> {
        match self {
            Entry::Occupied(entry) => entry.into_ref(),
            Entry::Vacant(entry) => entry.insert(value),
        }
    }

    /// A guard of the value, inserting `make()` first if the key is not there. `make` runs
    /// with the shard locked, so it must not touch this shard (debug builds panic if it
    /// does); if it panics, nothing is inserted.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let names: lockwise::sharded::ShardedMap<HashMap<u64, String>> = Default::default();
    /// assert_eq!(*names.entry(1).or_insert_with(|| "ada".to_owned()), "ada");
    /// assert_eq!(*names.entry(1).or_insert_with(|| unreachable!()), "ada");
    /// ```
    #[inline]
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> RefMut<'a, V, M> {
        match self {
            Entry::Occupied(entry) => entry.into_ref(),
            Entry::Vacant(entry) => entry.insert(make()),
        }
    }

    /// A guard of the value, inserting `V::default()` first if the key is not there.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let lists: lockwise::sharded::ShardedMap<HashMap<u8, Vec<u8>>> = Default::default();
    /// lists.entry(1).or_default().push(2);
    /// assert_eq!(lists.get(&1), Some(vec![2]));
    /// ```
    #[inline]
    pub fn or_default(self) -> RefMut<'a, V, M>
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }

    /// Sets the value, whether or not the key was there, and returns a guard of it
    /// (dashmap's `Entry::insert`; the value it replaced is dropped).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let names: lockwise::sharded::ShardedMap<HashMap<u8, &str>> = Default::default();
    /// names.insert(1, "ada");
    /// assert_eq!(*names.entry(1).insert("grace"), "grace");
    /// assert_eq!(names.get(&1), Some("grace"));
    /// ```
    #[inline]
    pub fn insert(self, value: V) -> RefMut<'a, V, M> {
        match self {
            Entry::Occupied(mut entry) => {
                entry.insert(value);
                entry.into_ref()
            }
            Entry::Vacant(entry) => entry.insert(value),
        }
    }
}

impl<'a, K, V: 'a, M: MappedWrite<V>> OccupiedEntry<'a, K, V, M> {
    /// The key (as given to `entry`).
    #[inline]
    pub fn key(&self) -> &K {
        &self.key
    }

    /// The value.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::{Entry, ShardedMap};
    ///
    /// let map: ShardedMap<HashMap<u8, u8>> = ShardedMap::new();
    /// map.insert(1, 10);
    /// let Entry::Occupied(entry) = map.entry(1) else { unreachable!() };
    /// assert_eq!(*entry.get(), 10);
    /// ```
    #[inline]
    pub fn get(&self) -> &V {
        &self.value
    }

    /// The value, mutable, for as long as the entry lives.
    #[inline]
    pub fn get_mut(&mut self) -> &mut V {
        &mut self.value
    }

    /// Replaces the value, returning the one that was there.
    #[inline]
    pub fn insert(&mut self, value: V) -> V {
        mem::replace(&mut self.value, value)
    }

    /// The guard of the value, which keeps the shard locked until it drops (dashmap's
    /// `into_ref`; std's `into_mut`).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::{Entry, ShardedMap};
    ///
    /// let map: ShardedMap<HashMap<u8, u8>> = ShardedMap::new();
    /// map.insert(1, 10);
    /// let Entry::Occupied(entry) = map.entry(1) else { unreachable!() };
    /// *entry.into_ref() += 1;
    /// assert_eq!(map.get(&1), Some(11));
    /// ```
    #[inline]
    pub fn into_ref(self) -> RefMut<'a, V, M> {
        RefMut::new(self.value)
    }
}

impl<'a, K, S: 'a, M: Mode> VacantEntry<'a, K, S, M> {
    /// The key (as given to `entry`).
    #[inline]
    pub fn key(&self) -> &K {
        &self.key
    }

    /// The key, releasing the shard.
    #[inline]
    pub fn into_key(self) -> K {
        self.key
    }
}

impl<'a, S, Map, K, V: 'a, M> VacantEntry<'a, K, S, M>
where
    S: MapField<Key = K, Map = Map>,
    Map: MapKind<Key = K, Value = V>,
    M: MapWrite<S, V>,
{
    /// Inserts `value` under the key and returns a guard of it, which keeps the shard
    /// locked until it drops.
    #[inline]
    pub fn insert(self, value: V) -> RefMut<'a, V, M> {
        let Self { key, shard, at } = self;
        RefMut::new(WriteGuard::map(shard, |shard| {
            value_or_insert_with(shard, at, key, || value)
        }))
    }
}

impl<K: fmt::Debug, V: fmt::Debug, S, M: MappedWrite<V>> fmt::Debug for Entry<'_, K, V, S, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Occupied(entry) => f.debug_tuple("Entry").field(entry).finish(),
            Entry::Vacant(entry) => f.debug_tuple("Entry").field(entry).finish(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug, M: MappedWrite<V>> fmt::Debug for OccupiedEntry<'_, K, V, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OccupiedEntry")
            .field("key", &self.key)
            .field("value", &*self.value)
            .finish()
    }
}

impl<K: fmt::Debug, S, M: Mode> fmt::Debug for VacantEntry<'_, K, S, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("VacantEntry").field(&self.key).finish()
    }
}
