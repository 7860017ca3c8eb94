//! The words the layers hand each other, defined below all of them so that none has to
//! import another to speak: which lock of a type a site is ([`Part`]), what kind of lock
//! it is ([`Kind`]), and what a pool counted ([`PoolStats`]).
//!
//! `order` names a lock's part with `Part`; a mode gives its `Kind` (`Mode::KIND`); a pool
//! hands the profile its `PoolStats`. The profile reads all three and knows no shape. This
//! module imports nothing from the crate.
//!
//! The public paths are the re-exports: `profile::{Kind, Part}` and `PoolStats` (at the
//! crate root and in `pooled`).

/// What a site is, for its row and its advice.
///
/// ```
/// # #[cfg(feature = "profile")] {
/// use lockwise::profile::Kind;
///
/// assert_eq!(Kind::ReadMostly.word(), "read_mostly");
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A `mutex` lock (whole struct, field or shard).
    Mutex,
    /// An `rw` lock.
    Rw,
    /// A `read_mostly` lock: reads never wait, writes are copies.
    ReadMostly,
    /// A lazy field of `#[once_init]`.
    Lazy,
    /// A `#[pooled]` type's pool.
    Pool,
}

impl Kind {
    /// The word the attribute uses: `mutex`, `rw`, `read_mostly`, `once_init`, `pooled`.
    ///
    /// ```
    /// # #[cfg(feature = "profile")] {
    /// assert_eq!(lockwise::profile::Kind::Lazy.word(), "once_init");
    /// # }
    /// ```
    pub fn word(self) -> &'static str {
        match self {
            Kind::Mutex => "mutex",
            Kind::Rw => "rw",
            Kind::ReadMostly => "read_mostly",
            Kind::Lazy => "once_init",
            Kind::Pool => "pooled",
        }
    }
}

/// Which lock of a type a site is.
///
/// ```
/// # #[cfg(feature = "profile")] {
/// use lockwise::profile::Part;
///
/// assert_ne!(Part::Field("config"), Part::Shard(0));
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The one lock of a whole-struct type (or of a `Guarded` made by hand).
    Whole,
    /// A field's lock, or a lazy field.
    Field(&'static str),
    /// A shard of a sharded type.
    Shard(usize),
}

/// What a [`Pool`](crate::pooled::Pool) has done so far: a copy, taken by
/// [`Pool::stats`](crate::pooled::Pool::stats).
///
/// Every `get` is a hit or a miss. The counts are exact once the threads that use the pool
/// are quiet; while they run, a copy may be a few operations behind them.
///
/// ```
/// use lockwise::Pool;
///
/// let pool: Pool<Vec<u8>> = Pool::new();
/// drop(pool.get()); // a miss: the pool was empty; the object goes back
/// drop(pool.get()); // a hit: this thread gets it again
/// let stats = pool.stats();
/// assert_eq!((stats.hits, stats.misses, stats.discarded, stats.idle), (1, 1, 0, 1));
/// assert_eq!(stats.hit_rate(), 0.5);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStats {
    /// `get`s served with an idle object (from a thread's cache or the shared stack).
    pub hits: u64,
    /// `get`s that found no idle object and made a new one.
    pub misses: u64,
    /// Objects the pool dropped instead of keeping: refused by
    /// [`Reset::reusable`](crate::pooled::Reset::reusable), dropped while their thread
    /// unwound from a panic, or over the `max_idle` bound. Objects dropped by
    /// [`trim`](crate::pooled::Pool::trim) or with the pool are not counted.
    pub discarded: u64,
    /// Objects the pool holds now, idle: in the shared stack and in the threads' caches.
    pub idle: u64,
}

impl PoolStats {
    /// `hits / (hits + misses)`, or 0 before the first `get`.
    ///
    /// ```
    /// assert_eq!(lockwise::PoolStats::default().hit_rate(), 0.0);
    /// ```
    pub fn hit_rate(&self) -> f64 {
        let gets = self.hits + self.misses;
        if gets == 0 {
            0.0
        } else {
            self.hits as f64 / gets as f64
        }
    }
}
