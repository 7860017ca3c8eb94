//! [`PoolStats`] and the per-thread counters it is summed from.

use core::sync::atomic::{AtomicU64, Ordering::Relaxed};

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

/// One thread cache's counters. Only the thread that owns the cache writes them, with a
/// plain load and store (no read-modify-write: on the hot path that would cost more than
/// the rest of a `get`); [`Pool::stats`](crate::pooled::Pool::stats) reads them from any
/// thread. Aligned to its own cache lines, so that two threads' counters never share one.
#[derive(Default)]
#[repr(align(128))]
pub(crate) struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    discarded: AtomicU64,
    idle: AtomicU64,
}

impl Counters {
    /// Adds to counters that only the calling thread writes.
    #[inline]
    pub(crate) fn add_owned(&self, event: Event, n: u64) {
        let counter = self.counter(event);
        counter.store(counter.load(Relaxed) + n, Relaxed);
    }

    /// Adds to counters that several threads may write (cold paths only).
    pub(crate) fn add_shared(&self, event: Event, n: u64) {
        self.counter(event).fetch_add(n, Relaxed);
    }

    /// Records how many objects the owning thread's cache holds.
    #[inline]
    pub(crate) fn set_idle(&self, idle: usize) {
        self.idle.store(idle as u64, Relaxed);
    }

    pub(crate) fn add_to(&self, stats: &mut PoolStats) {
        stats.hits += self.hits.load(Relaxed);
        stats.misses += self.misses.load(Relaxed);
        stats.discarded += self.discarded.load(Relaxed);
        stats.idle += self.idle.load(Relaxed);
    }

    #[inline]
    fn counter(&self, event: Event) -> &AtomicU64 {
        match event {
            Event::Hit => &self.hits,
            Event::Miss => &self.misses,
            Event::Discard => &self.discarded,
        }
    }
}

/// What a counter counts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    Hit,
    Miss,
    Discard,
}
