//! [`Shards<S, M, N>`]: `N` cache-padded locks, each around one shard's state, and the key
//! guards every sharded type has.

use core::borrow::Borrow;
use core::fmt;
use core::hash::{BuildHasher, Hash};
use core::time::Duration;

use crate::guarded::mode::{Acquire, Mode, Rw};
use crate::guarded::{Guarded, ReadGuard, WriteGuard};
use crate::order::{LockSite, SiteLabel};
use crate::sharded::hasher::{ShardHasher, shard_of};
use crate::sharded::kinds::Keyed;
use crate::sharded::padded::Padded;

/// How messages name a `Shards` that nobody labeled (made by hand).
const UNLABELED: &str = "Shards";

/// `N` locks of mode `M` (default [`Rw`]), each around the state `S` of one shard, with each
/// key sent to a shard by its hash: lock striping, the runtime type behind `#[sharded(N)]`,
/// usable by hand.
///
/// - The key guards (`read(&key)`, `write(&key)`, their `try_`/`with_` forms,
///   `shard_index(&key)`) take the state's key type ([`Keyed`]) or what it borrows as
///   (`K: Borrow<Q>`, as std's maps take): a key of another type, which would hash
///   differently, does not compile.
/// - The shard of a key is picked by a [`ShardHasher`] (foldhash) seeded randomly for each
///   instance, so keys cannot be aimed at one shard.
/// - Each lock is a [`Guarded<S, M>`], so the guards are those of `#[guarded]`, and sits on
///   its own cache line(s), so shards do not slow each other through false sharing.
/// - With a map in the state, [`ShardedMap`](crate::sharded::ShardedMap) adds the map
///   methods (`get`, `insert`, `update`, ...); with a set,
///   [`ShardedSet`](crate::sharded::ShardedSet) the set methods. Both dereference to this.
/// - In debug builds, taking a shard this thread already holds panics, naming the type and
///   the shard, instead of deadlocking (dashmap's worst footgun). Release builds do not
///   check, and pay nothing for it.
/// - Whole-value operations ([`for_each_shard`](Self::for_each_shard), and a map's `len`,
///   `retain`, ...) lock one shard at a time, in index order, and never hold two: they are
///   not atomic across shards.
///
/// `N` is a power of two from 1 to 1024; any other `N` fails to compile.
///
/// ```
/// use lockwise::sharded::{Keyed, Shards};
///
/// #[derive(Default)]
/// struct Tally {
///     hits: u64,
/// }
/// impl Keyed for Tally {
///     type Key = u64;
/// }
///
/// let tallies: Shards<Tally> = Shards::new();
/// std::thread::scope(|s| {
///     for user in 0..4u64 {
///         let tallies = &tallies;
///         s.spawn(move || tallies.write(&user).hits += 1);
///     }
/// });
/// let mut total = 0;
/// tallies.for_each_shard(|tally| total += tally.hits);
/// assert_eq!(total, 4);
/// ```
pub struct Shards<S, M: Mode = Rw, const N: usize = 16> {
    shards: Box<[Padded<Guarded<S, M>>; N]>,
    pub(crate) hasher: ShardHasher,
    /// How debug-build messages name this value; zero-sized in release builds.
    label: SiteLabel,
}

impl<S, M: Acquire<S>, const N: usize> Shards<S, M, N> {
    /// `N` is a power of two from 1 to 1024 (evaluated where a `Shards` is built).
    const VALID_N: () = assert!(
        N.is_power_of_two() && N <= 1024,
        "the shard count N of `Shards<S, M, N>` must be a power of two from 1 to 1024"
    );

    /// `N` shards, each in its `Default` state.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::{mode::Mutex, sharded::Shards};
    ///
    /// let counts: Shards<HashMap<String, u64>, Mutex, 8> = Shards::new();
    /// assert_eq!(counts.shard_count(), 8);
    /// ```
    #[inline]
    pub fn new() -> Self
    where
        S: Default,
    {
        Self::from_fn(|_| S::default())
    }

    /// `N` shards, shard `i` in the state `make(i)`, made in index order.
    ///
    /// ```
    /// use lockwise::sharded::Shards;
    ///
    /// let shards: Shards<Vec<usize>, lockwise::mode::Rw, 4> = Shards::from_fn(|i| vec![i]);
    /// assert_eq!(shards.into_inner(), [vec![0], vec![1], vec![2], vec![3]]);
    /// ```
    pub fn from_fn(mut make: impl FnMut(usize) -> S) -> Self {
        Self::from_fn_hashed(|index, _| make(index))
    }

    /// `N` shards, shard `i` in the state `make(i, hasher)`, where `hasher` is the one
    /// that will pick the shards: a map that reuses the shard hash can take it at once.
    pub(crate) fn from_fn_hashed(mut make: impl FnMut(usize, &ShardHasher) -> S) -> Self {
        let () = Self::VALID_N;
        let hasher = ShardHasher::default();
        let shards: Vec<Padded<Guarded<S, M>>> = (0..N)
            .map(|index| Padded::new(Guarded::new(make(index, &hasher))))
            .collect();
        let Ok(shards) = shards.into_boxed_slice().try_into() else {
            unreachable!("exactly N shards were made")
        };
        Self {
            shards,
            hasher,
            label: SiteLabel::NONE,
        }
    }
}

impl<S, M: Mode, const N: usize> Shards<S, M, N> {
    /// Names this value in debug-build messages after the user's type (`module::Name`),
    /// as generated code does; by hand, to tell several `Shards` apart in a message.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::Shards;
    ///
    /// let users: Shards<HashMap<u64, String>> = Shards::new().labeled("app::Users");
    /// users.write(&1).insert(1, "ada".into());
    /// ```
    #[inline]
    pub const fn labeled(mut self, path: &'static str) -> Self {
        self.label = SiteLabel::new(path);
        self
    }

    /// The number of shards, `N`.
    ///
    /// ```
    /// let shards: lockwise::sharded::Shards<u8, lockwise::mode::Rw, 32> =
    ///     lockwise::sharded::Shards::new();
    /// assert_eq!(shards.shard_count(), 32);
    /// ```
    #[inline(always)]
    pub const fn shard_count(&self) -> usize {
        N
    }

    /// The lock of shard `index` (`index < N`).
    #[inline(always)]
    pub(crate) fn lock(&self, index: usize) -> &Guarded<S, M> {
        &self.shards[index]
    }

    /// Which lock an acquisition of shard `index` takes, for the debug-build checks.
    #[inline(always)]
    pub(crate) fn site(&self, index: usize) -> LockSite {
        LockSite::shard(self, self.label.path().unwrap_or(UNLABELED), index)
    }

    /// Every shard's state, without locking: `&mut self` proves no one else can look.
    ///
    /// ```
    /// let mut shards: lockwise::sharded::Shards<u64, lockwise::mode::Rw, 4> =
    ///     lockwise::sharded::Shards::new();
    /// for shard in shards.shards_mut() {
    ///     *shard += 1;
    /// }
    /// assert_eq!(shards.into_inner(), [1, 1, 1, 1]);
    /// ```
    pub fn shards_mut(&mut self) -> impl Iterator<Item = M::Exclusive<'_, S>>
    where
        M: Acquire<S>,
    {
        self.shards.iter_mut().map(|shard| shard.get_mut())
    }

    /// The shards' states, in index order, consuming the locks.
    ///
    /// ```
    /// let shards: lockwise::sharded::Shards<u8, lockwise::mode::Mutex, 2> =
    ///     lockwise::sharded::Shards::from_fn(|i| i as u8);
    /// assert_eq!(shards.into_inner(), [0, 1]);
    /// ```
    pub fn into_inner(self) -> Vec<S>
    where
        M: Acquire<S>,
    {
        let shards: Box<[Padded<Guarded<S, M>>]> = self.shards;
        shards
            .into_vec()
            .into_iter()
            .map(|shard| shard.into_inner().into_inner())
            .collect()
    }
}

/// The key guards: each takes the state's key `K` ([`Keyed::Key`]) or what it borrows as
/// (`K` is named so that rustdoc shows `K: Borrow<Q>`).
impl<S: Keyed<Key = K>, K, M: Acquire<S>, const N: usize> Shards<S, M, N> {
    /// The shard `key` belongs to, in `0..N`: the same for the same key, for the life of
    /// this value (and different for another value: each is seeded anew).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::Shards;
    ///
    /// let shards: Shards<HashMap<String, u8>> = Shards::new();
    /// let i = shards.shard_index("user-7");
    /// assert!(i < shards.shard_count());
    /// assert_eq!(shards.shard_index("user-7"), i);
    /// ```
    #[inline(always)]
    pub fn shard_index<Q>(&self, key: &Q) -> usize
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        shard_of::<N>(self.hasher.hash_one(key))
    }

    /// Shared access to the shard of `key`, waiting while a writer holds it. The guard is
    /// `#[guarded]`'s [`ReadGuard`].
    ///
    /// Debug builds panic instead of deadlocking when this thread already holds that shard.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::Shards;
    ///
    /// let scores: Shards<HashMap<String, u32>> = Shards::new();
    /// scores.write("ada").insert("ada".into(), 3);
    /// let shard = scores.read("ada");
    /// assert_eq!(shard.get("ada"), Some(&3));
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read<Q>(&self, key: &Q) -> ReadGuard<'_, S, M>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.read_shard(self.shard_index(key))
    }

    /// Exclusive access to the shard of `key`. The guard is `#[guarded]`'s [`WriteGuard`].
    ///
    /// Debug builds panic instead of deadlocking when this thread already holds that shard.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::Shards;
    ///
    /// let scores: Shards<HashMap<String, u32>> = Shards::new();
    /// scores.write("ada").insert("ada".into(), 3);
    /// assert_eq!(scores.read("ada").get("ada"), Some(&3));
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write<Q>(&self, key: &Q) -> WriteGuard<'_, S, M>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.write_shard(self.shard_index(key))
    }

    /// Shared access to the shard of `key` if it is free right now; `None` instead of
    /// waiting.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let shards: lockwise::sharded::Shards<HashSet<u8>> = lockwise::sharded::Shards::new();
    /// let writer = shards.write(&1);
    /// assert!(shards.try_read(&1).is_none());
    /// drop(writer);
    /// assert!(shards.try_read(&1).is_some());
    /// ```
    #[inline]
    pub fn try_read<Q>(&self, key: &Q) -> Option<ReadGuard<'_, S, M>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let index = self.shard_index(key);
        self.lock(index).try_read_at(self.site(index))
    }

    /// Exclusive access to the shard of `key` if it is free right now; `None` instead of
    /// waiting.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// let shards: lockwise::sharded::Shards<HashSet<u8>> = lockwise::sharded::Shards::new();
    /// let reader = shards.read(&1);
    /// assert!(shards.try_write(&1).is_none());
    /// drop(reader);
    /// assert!(shards.try_write(&1).is_some());
    /// ```
    #[inline]
    pub fn try_write<Q>(&self, key: &Q) -> Option<WriteGuard<'_, S, M>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let index = self.shard_index(key);
        self.lock(index).try_write_at(self.site(index))
    }

    /// Shared access to the shard of `key`, waiting at most `timeout`.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use std::time::Duration;
    /// let shards: lockwise::sharded::Shards<HashSet<u8>> = lockwise::sharded::Shards::new();
    /// assert!(shards.try_read_for(&1, Duration::from_millis(5)).is_some());
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_read_for<Q>(&self, key: &Q, timeout: Duration) -> Option<ReadGuard<'_, S, M>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let index = self.shard_index(key);
        self.lock(index).try_read_for_at(timeout, self.site(index))
    }

    /// Exclusive access to the shard of `key`, waiting at most `timeout`.
    ///
    /// ```
    /// use std::collections::HashSet;
    /// use std::time::Duration;
    /// let shards: lockwise::sharded::Shards<HashSet<u8>> = lockwise::sharded::Shards::new();
    /// std::thread::scope(|s| {
    ///     let _reader = shards.read(&1);
    ///     s.spawn(|| assert!(shards.try_write_for(&1, Duration::from_millis(5)).is_none()))
    ///         .join()
    ///         .unwrap();
    /// });
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_write_for<Q>(&self, key: &Q, timeout: Duration) -> Option<WriteGuard<'_, S, M>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let index = self.shard_index(key);
        self.lock(index).try_write_for_at(timeout, self.site(index))
    }

    /// Runs `f` with shared access to the shard of `key`; the guard cannot escape.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::Shards;
    ///
    /// let ages: Shards<HashMap<&str, u32>> = Shards::new();
    /// ages.write("ada").insert("ada", 36);
    /// assert_eq!(ages.with_read("ada", |shard| shard.get("ada").copied()), Some(36));
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn with_read<Q, R>(&self, key: &Q, f: impl FnOnce(&S) -> R) -> R
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        f(&self.read(key))
    }

    /// Runs `f` with exclusive access to the shard of `key`; the guard cannot escape.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::sharded::Shards;
    ///
    /// let ages: Shards<HashMap<&str, u32>> = Shards::new();
    /// ages.with_write("ada", |shard| shard.insert("ada", 36));
    /// assert_eq!(ages.read("ada").get("ada"), Some(&36));
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn with_write<Q, R>(&self, key: &Q, f: impl FnOnce(&mut S) -> R) -> R
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        f(&mut self.write(key))
    }
}

impl<S, M: Acquire<S>, const N: usize> Shards<S, M, N> {
    /// Runs `f` on every shard's state in index order, under each shard's read lock in
    /// turn: one shard at a time, never two. Not a snapshot: other threads may change shards
    /// that `f` has not reached yet, or has already left.
    ///
    /// ```
    /// let shards: lockwise::sharded::Shards<u64, lockwise::mode::Rw, 4> =
    ///     lockwise::sharded::Shards::from_fn(|i| i as u64);
    /// let mut total = 0;
    /// shards.for_each_shard(|n| total += n);
    /// assert_eq!(total, 0 + 1 + 2 + 3);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn for_each_shard(&self, mut f: impl FnMut(&S)) {
        for index in 0..N {
            f(&self.read_shard(index));
        }
    }

    /// Runs `f` on every shard's state in index order, under each shard's write lock in
    /// turn: one shard at a time, never two.
    ///
    /// ```
    /// let shards: lockwise::sharded::Shards<u64, lockwise::mode::Rw, 4> =
    ///     lockwise::sharded::Shards::new();
    /// shards.for_each_shard_mut(|n| *n += 1);
    /// assert_eq!(shards.into_inner(), [1, 1, 1, 1]);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn for_each_shard_mut(&self, mut f: impl FnMut(&mut S)) {
        for index in 0..N {
            f(&mut self.write_shard(index));
        }
    }

    /// Formats as `name { shards: [..] }`, each shard as its state or `<locked>` when a
    /// writer holds it: never waits. What `Debug` prints, under a name of the caller's
    /// choice: generated `Debug` impls name the user's type. Hidden: plumbing, which would
    /// otherwise be listed among the methods every sharded type reaches through `Deref`.
    ///
    /// ```
    /// use std::collections::BTreeSet;
    /// use lockwise::{mode::Rw, sharded::Shards};
    ///
    /// let shards: Shards<BTreeSet<u8>, Rw, 2> = Shards::from_fn(|i| BTreeSet::from([i as u8]));
    /// assert_eq!(format!("{shards:?}"), "Shards { shards: [{0}, {1}] }");
    /// let _held = shards.write(&1);
    /// assert!(format!("{shards:?}").contains("<locked>"));
    /// ```
    #[doc(hidden)]
    pub fn fmt_named(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result
    where
        S: fmt::Debug,
    {
        let states: Vec<_> = self.shards.iter().map(|shard| shard.debug_data()).collect();
        f.debug_struct(name).field("shards", &states).finish()
    }

    /// The sum of `size` over the shards, each read under its lock in turn: what a map's or
    /// a set's `len` is.
    #[cfg_attr(debug_assertions, track_caller)]
    pub(crate) fn total(&self, size: impl Fn(&S) -> usize) -> usize {
        let mut total = 0;
        self.for_each_shard(|shard| total += size(shard));
        total
    }

    /// Whether `empty` holds for every shard, each read under its lock in turn, stopping at
    /// the first that is not: what a map's or a set's `is_empty` is.
    #[cfg_attr(debug_assertions, track_caller)]
    pub(crate) fn all_empty(&self, empty: impl Fn(&S) -> bool) -> bool {
        (0..N).all(|index| empty(&self.read_shard(index)))
    }

    /// Shared access to shard `index`, checked and recorded as that shard.
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub(crate) fn read_shard(&self, index: usize) -> ReadGuard<'_, S, M> {
        self.lock(index).read_at(self.site(index))
    }

    /// Exclusive access to shard `index`, checked and recorded as that shard.
    #[inline(always)]
    #[cfg_attr(debug_assertions, track_caller)]
    pub(crate) fn write_shard(&self, index: usize) -> WriteGuard<'_, S, M> {
        self.lock(index).write_at(self.site(index))
    }
}

impl<S: Default, M: Acquire<S>, const N: usize> Default for Shards<S, M, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: fmt::Debug, M: Acquire<S>, const N: usize> fmt::Debug for Shards<S, M, N> {
    /// Never waits: a shard a writer holds prints as `<locked>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_named("Shards", f)
    }
}
