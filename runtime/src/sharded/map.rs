//! [`ShardedMap<S, M, N>`]: a [`Shards`] whose state has one map ([`MapField`]), with the
//! map methods. A key's operations lock its shard once; whole-map operations lock one shard
//! at a time, in index order.

use crate::guarded::WriteGuard;
use crate::guarded::mode::{Acquire, MapWrite, Mode, Rw};
use crate::sharded::hasher::shard_of;
use crate::sharded::kinds::{Hashed, Lookup, MapField, MapKind, value_mut};
use crate::sharded::ref_mut::RefMut;
use crate::sharded::shards::Shards;
use crate::sharded::view::shards_view;

/// A sharded map: [`Shards<S, M, N>`](Shards) whose shard state `S` holds one map
/// ([`MapField`]: std's `HashMap` or `BTreeMap`, or [`PrehashedMap`](crate::sharded::PrehashedMap),
/// alone or in a struct with per-shard fields), with the map methods: `get`, `insert`,
/// `update`, `get_or_insert_with`, `retain`, ... What a `#[sharded(N)]` type with a map
/// field dereferences to; usable by hand.
///
/// It dereferences to its [`Shards`], for the key guards (`read(&key)`, `write(&key)`, ...)
/// and the whole-value operations. Keys are the state's key ([`Keyed::Key`](crate::sharded::Keyed::Key)): the map
/// methods take `&Q` for every `Q` the key borrows as, as std's maps do (a
/// `ShardedMap<HashMap<String, _>>` is looked up by `&str`), and so do the key guards, so
/// that `write(&key)` and `get(&key)` always pick the same shard.
///
/// ```
/// use std::collections::HashMap;
/// use lockwise::sharded::ShardedMap;
///
/// let sessions: ShardedMap<HashMap<u64, String>> = ShardedMap::new();
/// std::thread::scope(|s| {
///     for user in 0..4 {
///         let sessions = &sessions;
///         s.spawn(move || sessions.insert(user, format!("user {user}")));
///     }
/// });
/// assert_eq!(sessions.len(), 4);
/// assert_eq!(sessions.get(&2).as_deref(), Some("user 2"));
/// sessions.write(&2).insert(2, "ada".into()); // the key's shard, through its guard
/// assert_eq!(sessions.get(&2).as_deref(), Some("ada"));
/// ```
pub struct ShardedMap<S, M: Mode = Rw, const N: usize = 16> {
    shards: Shards<S, M, N>,
}

shards_view!(ShardedMap, "std::collections::HashMap<u64, String>");

// `Map`, `K` and `V` are named here, as the state's map, key and value, so that the
// methods read `key: K` and `Option<V>` in rustdoc (which would spell out
// `<<S as MapField>::Map as MapKind>::Value` for an alias).
//
// The key methods are `#[inline(always)]`, as are the map kinds' operations under them: the
// shard hash, the lock, the map's probe and the release then compile into the caller as one
// function, as dashmap's do. With `#[inline]` alone the compiler kept `insert` and the map's
// own `insert` as calls, each paying for its saved registers (measured at 100k keys: 33
// instructions more per absent-key insert; BENCHMARKS.md, "sharded").
impl<S, Map, K, V, M, const N: usize> ShardedMap<S, M, N>
where
    S: MapField<Key = K, Map = Map>,
    Map: MapKind<Key = K, Value = V>,
    M: Acquire<S>,
{
    /// The shard hash of `key`, handed to the map so a map that can reuses it.
    #[inline(always)]
    pub(super) fn hashed(&self, hash: u64) -> Hashed<'_> {
        Hashed {
            hash,
            hasher: &self.shards.hasher,
        }
    }

    /// A clone of the value of `key`, if it is there. The shard's read lock is held only for
    /// the lookup and the clone.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let names: ShardedMap<HashMap<u64, String>> = ShardedMap::new();
    /// names.insert(1, "ada".into());
    /// assert_eq!(names.get(&1).as_deref(), Some("ada"));
    /// assert_eq!(names.get(&2), None);
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn get<Q: ?Sized>(&self, key: &Q) -> Option<V>
    where
        Map: Lookup<Q>,
        V: Clone,
    {
        self.get_with(key, Clone::clone)
    }

    /// Runs `f` on the value of `key`, if it is there, under the shard's read lock, and
    /// returns what it returns: a lookup without a clone. `f` must not touch this shard
    /// through `self` again (debug builds panic if it does: it would deadlock).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let names: ShardedMap<HashMap<u64, String>> = ShardedMap::new();
    /// names.insert(1, "ada".into());
    /// assert_eq!(names.get_with(&1, |name| name.len()), Some(3));
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn get_with<Q: ?Sized, R>(&self, key: &Q, f: impl FnOnce(&V) -> R) -> Option<R>
    where
        Map: Lookup<Q>,
    {
        let hash = <Map as Lookup<Q>>::hash(&self.shards.hasher, key);
        let shard = self.shards.read_shard(shard_of::<N>(hash));
        shard.map().get(self.hashed(hash), key).map(f)
    }

    /// Whether `key` is in the map.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let names: ShardedMap<HashMap<String, u32>> = ShardedMap::new();
    /// names.insert("ada".into(), 1);
    /// assert!(names.contains_key("ada"));
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn contains_key<Q: ?Sized>(&self, key: &Q) -> bool
    where
        Map: Lookup<Q>,
    {
        self.get_with(key, |_| ()).is_some()
    }

    /// Inserts `value` under `key`, returning the value that was there. Like std, a key that
    /// is already there stays (only the value is replaced).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let names: ShardedMap<HashMap<u64, &str>> = ShardedMap::new();
    /// assert_eq!(names.insert(1, "ada"), None);
    /// assert_eq!(names.insert(1, "grace"), Some("ada"));
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn insert(&self, key: K, value: V) -> Option<V> {
        let hash = Map::hash_key(&self.shards.hasher, &key);
        let mut shard = self.shards.write_shard(shard_of::<N>(hash));
        shard.map_mut().insert(self.hashed(hash), key, value)
    }

    /// Removes `key`, returning its value if it was there.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let names: ShardedMap<HashMap<u64, &str>> = ShardedMap::new();
    /// names.insert(1, "ada");
    /// assert_eq!(names.remove(&1), Some("ada"));
    /// assert_eq!(names.remove(&1), None);
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn remove<Q: ?Sized>(&self, key: &Q) -> Option<V>
    where
        Map: Lookup<Q>,
    {
        let hash = <Map as Lookup<Q>>::hash(&self.shards.hasher, key);
        let mut shard = self.shards.write_shard(shard_of::<N>(hash));
        shard.map_mut().remove(self.hashed(hash), key)
    }

    /// Removes `key` if `remove` returns `true` for its entry, all under one write lock of
    /// the shard, returning its value if it was removed: "remove this session if it has
    /// expired", without a window in which another thread changes it. `remove` must not
    /// touch this shard through `self` (debug builds panic if it does: it would deadlock).
    ///
    /// dashmap's `remove_if` returns the pair; this returns the value, as [`remove`](Self::remove)
    /// does (and std's `HashMap::remove`).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let sessions: ShardedMap<HashMap<u64, u32>> = ShardedMap::new();
    /// sessions.insert(1, 0); // idle
    /// sessions.insert(2, 5);
    /// assert_eq!(sessions.remove_if(&1, |_, idle| *idle == 0), Some(0));
    /// assert_eq!(sessions.remove_if(&2, |_, idle| *idle == 0), None);
    /// assert_eq!(sessions.len(), 1);
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn remove_if<Q: ?Sized>(&self, key: &Q, remove: impl FnOnce(&K, &V) -> bool) -> Option<V>
    where
        Map: Lookup<Q>,
    {
        let hash = <Map as Lookup<Q>>::hash(&self.shards.hasher, key);
        let mut shard = self.shards.write_shard(shard_of::<N>(hash));
        shard.map_mut().remove_if(self.hashed(hash), key, remove)
    }

    /// A guard of the value of `key`, if it is there: it dereferences mutably to the value
    /// and holds the shard's write lock until it drops ([`RefMut`]; dashmap's `get_mut`). Prefer
    /// [`update`](Self::update), whose closure cannot keep the lock by accident.
    ///
    /// While the guard lives, this thread must not touch the same shard (debug builds
    /// panic, naming the shard, instead of deadlocking); other shards are free.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let scores: ShardedMap<HashMap<String, u32>> = ShardedMap::new();
    /// scores.insert("ada".into(), 1);
    /// if let Some(mut score) = scores.get_mut("ada") {
    ///     *score += 10;
    /// } // the shard's lock is released here
    /// assert_eq!(scores.get("ada"), Some(11));
    /// assert!(scores.get_mut("grace").is_none());
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn get_mut<Q: ?Sized>(&self, key: &Q) -> Option<RefMut<'_, V, M>>
    where
        Map: Lookup<Q>,
        M: MapWrite<S, V>,
    {
        let hash = <Map as Lookup<Q>>::hash(&self.shards.hasher, key);
        let at = self.hashed(hash);
        let shard = self.shards.write_shard(shard_of::<N>(hash));
        let value = WriteGuard::try_map(shard, |shard| value_mut(shard, at, key));
        value.ok().map(RefMut::new)
    }

    /// Runs `f` on the value of `key` under the shard's write lock, if the key is there, and
    /// returns what it returns. `f` must not touch this shard through `self` again (debug
    /// builds panic if it does: it would deadlock). If `f` panics, the lock is released and
    /// the value stays as `f` left it.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let hits: ShardedMap<HashMap<&str, u64>> = ShardedMap::new();
    /// hits.insert("/", 1);
    /// assert_eq!(hits.update("/", |n| { *n += 1; *n }), Some(2));
    /// assert_eq!(hits.update("/missing", |n| *n), None);
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn update<Q: ?Sized, R>(&self, key: &Q, f: impl FnOnce(&mut V) -> R) -> Option<R>
    where
        Map: Lookup<Q>,
    {
        let hash = <Map as Lookup<Q>>::hash(&self.shards.hasher, key);
        let mut shard = self.shards.write_shard(shard_of::<N>(hash));
        shard.map_mut().get_mut(self.hashed(hash), key).map(f)
    }

    /// Runs `f` on the value of `key`, inserting `make()` first if the key is not there, all
    /// under one write lock of the shard, and returns what `f` returns: the
    /// `entry(k).or_insert_with(make)` of a sharded map. If `make` panics nothing is
    /// inserted; if `f` panics the inserted value stays.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let hits: ShardedMap<HashMap<String, u64>> = ShardedMap::new();
    /// for _ in 0..3 {
    ///     hits.get_or_insert_with("/".to_owned(), || 0, |n| *n += 1);
    /// }
    /// assert_eq!(hits.get("/"), Some(3));
    /// ```
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn get_or_insert_with<R>(
        &self,
        key: K,
        make: impl FnOnce() -> V,
        f: impl FnOnce(&mut V) -> R,
    ) -> R {
        let hash = Map::hash_key(&self.shards.hasher, &key);
        let mut shard = self.shards.write_shard(shard_of::<N>(hash));
        f(shard
            .map_mut()
            .get_or_insert_with(self.hashed(hash), key, make))
    }

    /// The number of entries: the sum of the shards' lengths, each read under its lock in
    /// turn, never two at once. Exact when no other thread writes meanwhile. Under
    /// concurrent writes, each shard counts as it was when it was read: every key that is
    /// in the map throughout the call is counted once, none is counted twice (a key's
    /// shard never changes), and a key inserted or removed during the call may or may not
    /// be; the total may be one the map never had at any single instant.
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let names: ShardedMap<HashMap<u64, u64>> = ShardedMap::new();
    /// (0..100).for_each(|i| { names.insert(i, i); });
    /// assert_eq!(names.len(), 100);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn len(&self) -> usize {
        self.shards.total(|shard| shard.map().len())
    }

    /// Whether every shard's map is empty (each checked under its lock in turn, stopping
    /// at the first that is not; not atomic across shards, like [`len`](Self::len)).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let names: ShardedMap<HashMap<u64, u64>> = ShardedMap::new();
    /// assert!(names.is_empty());
    /// names.insert(1, 1);
    /// assert!(!names.is_empty());
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn is_empty(&self) -> bool {
        self.shards.all_empty(|shard| shard.map().len() == 0)
    }

    /// Removes every entry, one shard at a time in index order: an insert into a shard
    /// already cleared survives.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let names: ShardedMap<HashMap<u64, u64>> = ShardedMap::new();
    /// names.insert(1, 1);
    /// names.clear();
    /// assert!(names.is_empty());
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn clear(&self) {
        self.shards
            .for_each_shard_mut(|shard| shard.map_mut().clear());
    }

    /// Keeps only the entries for which `keep` returns `true`, one shard at a time in index
    /// order, under each shard's write lock (expiry: `retain(|_, s| !s.expired())`).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let ages: ShardedMap<HashMap<u64, u32>> = ShardedMap::new();
    /// (0..10).for_each(|i| { ages.insert(i, i as u32); });
    /// ages.retain(|_, age| *age >= 5);
    /// assert_eq!(ages.len(), 5);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn retain(&self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.shards
            .for_each_shard_mut(|shard| shard.map_mut().retain(&mut keep));
    }

    /// Runs `f` on every entry, one shard at a time in index order, under each shard's
    /// read lock. Not a snapshot (see [`for_each_shard`](Shards::for_each_shard)).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let ages: ShardedMap<HashMap<u64, u32>> = ShardedMap::new();
    /// (0..4).for_each(|i| { ages.insert(i, 10); });
    /// let mut total = 0;
    /// ages.for_each(|_, age| total += age);
    /// assert_eq!(total, 40);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn for_each(&self, mut f: impl FnMut(&K, &V)) {
        self.shards
            .for_each_shard(|shard| shard.map().for_each(&mut f));
    }

    /// Clones of every entry, shard by shard in index order (in no particular key order),
    /// each shard copied under its read lock.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::ShardedMap;
    ///
    /// let ages: ShardedMap<HashMap<u64, u32>> = ShardedMap::new();
    /// ages.insert(1, 36);
    /// assert_eq!(ages.to_vec(), [(1, 36)]);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn to_vec(&self) -> Vec<(K, V)>
    where
        K: Clone,
        V: Clone,
    {
        let mut entries = Vec::new();
        self.shards.for_each_shard(|shard| {
            let map = shard.map();
            entries.reserve(map.len());
            map.for_each(|k, v| entries.push((k.clone(), v.clone())));
        });
        entries
    }
}
