//! The per-thread counters a [`PoolStats`] is summed from.

use core::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::vocabulary::PoolStats;

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

    /// A hit served from the owning thread's cache, which holds `idle` objects after it.
    #[inline]
    pub(crate) fn took_cached(&self, idle: usize) {
        self.add_owned(Event::Hit, 1);
        self.set_idle(idle);
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
