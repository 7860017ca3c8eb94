//! The per-thread counters a [`PoolStats`] is summed from.
//!
//! # One counter write per fast operation
//!
//! A `get` served from the thread's cache and a give-back into it each write one counter,
//! and no other: the hit count (`hits`) and the count of objects the fast path put back
//! (`kept`). The idle count is not written on the fast path; it is derived:
//!
//! `idle = idle_offset + kept − hits` (wrapping)
//!
//! A cache hit takes an object out of the cache and adds 1 to `hits`; a fast give-back puts
//! one in and adds 1 to `kept`: both keep the equation true. Every other change to the
//! cache (the cold paths: a batch from or to the shared stack, a `trim`, thread exit)
//! happens with the cache borrowed, and [`Counters::set_idle`] then moves `idle_offset` so
//! that the equation gives the cache's length again. A hit that did not come out of the
//! cache (from the shared stack, or on a thread without a cache) moves `idle_offset` by
//! the same 1 as `hits`, so it leaves `idle` alone.
//!
//! Read from another thread while the owner works, the three words may come from slightly
//! different moments: `idle` is then off by the operations in flight (never below 0, it is
//! clamped), like any count read while it changes. Read while the owner is quiet, or on the
//! owning thread, every count is exact.

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
    /// Objects the fast give-back put into the cache (see the module docs).
    kept: AtomicU64,
    /// What makes `idle_offset + kept − hits` the cache's length (see the module docs).
    idle_offset: AtomicU64,
}

impl Counters {
    /// Adds to counters that only the calling thread writes. A hit counted here did not
    /// come out of the cache (see the module docs).
    #[inline]
    pub(crate) fn add_owned(&self, event: Event, n: u64) {
        add_owned(self.counter(event), n);
        if let Event::Hit = event {
            add_owned(&self.idle_offset, n);
        }
    }

    /// Adds to counters that several threads may write (cold paths only). A hit counted
    /// here did not come out of a cache.
    pub(crate) fn add_shared(&self, event: Event, n: u64) {
        self.counter(event).fetch_add(n, Relaxed);
        if let Event::Hit = event {
            self.idle_offset.fetch_add(n, Relaxed);
        }
    }

    /// A hit that took an object out of the owning thread's cache.
    #[inline]
    pub(crate) fn took_cached(&self) {
        add_owned(&self.hits, 1);
    }

    /// Takes back a [`took_cached`](Self::took_cached) whose cache had no object to give
    /// (the fast `get` counts first, so that it reads the cache only once).
    pub(crate) fn untook_cached(&self) {
        let hits = self.hits.load(Relaxed);
        self.hits.store(hits.wrapping_sub(1), Relaxed);
    }

    /// An object the fast give-back put into the owning thread's cache.
    #[inline]
    pub(crate) fn kept_cached(&self) {
        add_owned(&self.kept, 1);
    }

    /// Records that the owning thread's cache holds `idle` objects (a cold path changed it).
    pub(crate) fn set_idle(&self, idle: usize) {
        let offset = (idle as u64)
            .wrapping_sub(self.kept.load(Relaxed))
            .wrapping_add(self.hits.load(Relaxed));
        self.idle_offset.store(offset, Relaxed);
    }

    pub(crate) fn add_to(&self, stats: &mut PoolStats) {
        let hits = self.hits.load(Relaxed);
        let idle = self
            .idle_offset
            .load(Relaxed)
            .wrapping_add(self.kept.load(Relaxed))
            .wrapping_sub(hits);
        stats.hits += hits;
        stats.misses += self.misses.load(Relaxed);
        stats.discarded += self.discarded.load(Relaxed);
        // Below 0 only as a read torn by the owner's work in flight (module docs).
        stats.idle += if (idle as i64) < 0 { 0 } else { idle };
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

/// Adds `n` to a counter that only the calling thread writes: a plain load and store.
#[inline]
fn add_owned(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Relaxed).wrapping_add(n), Relaxed);
}

/// What a counter counts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    Hit,
    Miss,
    Discard,
}
