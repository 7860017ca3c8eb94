//! [`Shared`]: everything of a pool that the threads share: the per-thread caches (through
//! `ThreadLocal`), the bounded shared stack, the trim generation and the counters. The
//! paths an object takes in and out of a pool live here.
//!
//! No user code (`Drop`, `reset`, `new`) ever runs while a cache is borrowed or the stack
//! is locked: objects to drop are moved out first and dropped after. So user code may use
//! the pool again (a `Drop` that returns another pooled object, say) without a re-entrant
//! borrow or a deadlock.
//!
//! # Why this is correct, and cheap
//!
//! - *The hot path has no atomic read-modify-write, and one call.* A `get` is
//!   `thread::panicking()`, the `ThreadLocal` lookup, one counter write, a `RefCell`
//!   borrow, one compare against the pool's trim generation (a closed cache's is
//!   [`CLOSED`](local::CLOSED), so the same compare says "open"), and a `pop` straight
//!   into the guard. A give-back is `thread::panicking()`, the lookup, `reusable()`,
//!   `reset()`, the borrow, the same compare, one compare for room (a cache's capacity is
//!   its bound: `IdleStack`), a `push` that never allocates, and one counter write. The
//!   lookup's call into the `thread_local` crate is the only call; everything else that
//!   can happen is out of line and `#[cold]`. The counters are per slot, written only by
//!   their thread with a plain load and store; the idle count is derived from them
//!   (`stats.rs`). Measured: 144 instructions for a get, a 64-byte write and a give-back
//!   of a 4 KiB `Vec<u8>`, against 384 for allocating and freeing it (callgrind,
//!   BENCHMARKS.md); what is left is the two lookups (about 20 each), the guard's `Option`,
//!   the unwinding tests, and the counters and bounds.
//! - *The shared stack is a plain mutex*, touched only when a cache is empty or full, once
//!   per batch of `max(1, max_idle / 2)` objects. A lock-free stack would need `unsafe`,
//!   and the batch already divides the lock traffic by the batch size.
//! - *No loom model*: the pool has no atomics protocol of its own. Each cache has one owner
//!   thread (the `RefCell` proves it), the stack is a mutex, the counters only count (a
//!   stale read is a slightly old count, never a lost or duplicated object), and the trim
//!   generation is a hint (a thread that reads an old one keeps its idle objects one
//!   operation longer). The thread-exit path runs on the owning thread (`local.rs`). The
//!   tests (8 threads × 10,000 operations, drop counters, a set of dropped ids) and Miri
//!   cover the rest.
//! - *`trim` is immediate for the shared stack and the calling thread, lazy for the
//!   others*: it bumps the generation, and every other thread drops its cached objects at
//!   its next `get` or give-back on that pool (or at exit). Reaching other threads' caches
//!   at once would need a lock on every cache, which is what the per-thread cache avoids.
//!   Until then `stats().idle` still counts those objects: they are still in memory.
//! - *Order on give-back*: the unwinding check (`guard.rs`), then `reusable()` (asked about
//!   the object as the user left it), then `reset()` (only for objects that will be kept),
//!   then the cache.

use core::cell::RefMut;
use core::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;
use thread_local::ThreadLocal;

use super::local::{self, LocalCache, OnThreadExit, Phase, PoolExit, Slot};
use super::stats::{Counters, Event};
use crate::vocabulary::PoolStats;

pub(crate) struct Shared<T: Send> {
    /// Each thread's cache. Found with no atomic read-modify-write, which is what makes the
    /// common `get` and put cheap.
    local: ThreadLocal<Slot<T>>,
    /// Idle objects any thread may take, at most `max_idle`. A thread moves objects here in
    /// batches when its cache is full, takes batches when its cache is empty, and moves its
    /// whole cache here when it exits.
    stack: Mutex<Vec<T>>,
    /// Bumped by `trim`; a cache of an older generation holds objects that must be dropped.
    generation: AtomicU64,
    /// The counters of every slot, summed by `stats`.
    registry: Mutex<Vec<Arc<Counters>>>,
    /// Events on a thread that has no slot (one that is exiting).
    unowned: Counters,
    max_idle: usize,
    /// How many objects move between a cache and the stack at once.
    batch: usize,
    /// Handed to exit hooks.
    me: Weak<Self>,
}

impl<T: Send + 'static> Shared<T> {
    pub(crate) fn new(max_idle: usize) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            local: ThreadLocal::new(),
            stack: Mutex::new(Vec::new()),
            generation: AtomicU64::new(0),
            registry: Mutex::new(Vec::new()),
            unowned: Counters::default(),
            max_idle,
            batch: (max_idle / 2).max(1),
            me: Weak::clone(me),
        })
    }

    /// The warmest object of `cache`, counted as a hit.
    fn pop_cached(slot: &Slot<T>, mut cache: RefMut<'_, LocalCache<T>>) -> Option<T> {
        let object = cache.objects.pop()?;
        slot.counters.took_cached();
        Some(object)
    }

    /// Drops every idle object of the shared stack and of this thread's cache now; the
    /// other threads' caches are dropped at their next `get` or put (or exit).
    pub(crate) fn trim(&self) {
        self.generation.fetch_add(1, Relaxed);
        let idle = core::mem::take(&mut *self.stack.lock());
        drop(idle);
        if let Some(slot) = self.local.get() {
            self.catch_up(slot);
        }
    }

    pub(crate) fn stats(&self) -> PoolStats {
        let mut stats = PoolStats::default();
        for counters in self.registry.lock().iter() {
            counters.add_to(&mut stats);
        }
        self.unowned.add_to(&mut stats);
        stats.idle += self.stack.lock().len() as u64;
        stats
    }

    /// What the fast path of [`Pool::get`](super::Pool::get) could not serve: an idle
    /// object from this thread's cache (its slot opened and caught up with a `trim` first) or else the
    /// shared stack; `None` (counted as a miss) when there is none and the caller must
    /// make one.
    #[cold]
    #[inline(never)]
    pub(crate) fn take_cold(&self) -> Option<T> {
        let Some(slot) = self.open_slot() else {
            // This thread is exiting: the shared stack only.
            let object = self.stack.lock().pop();
            let event = if object.is_some() {
                Event::Hit
            } else {
                Event::Miss
            };
            self.unowned.add_shared(event, 1);
            return object;
        };
        self.catch_up(slot);
        let cached = slot
            .cache
            .try_borrow_mut()
            .ok()
            .and_then(|cache| Self::pop_cached(slot, cache));
        if cached.is_some() {
            return cached;
        }
        // The cache is empty: take a batch from the shared stack, keep all but one.
        let mut batch = {
            let mut stack = self.stack.lock();
            let keep = stack.len().saturating_sub(self.batch);
            stack.split_off(keep)
        };
        let Some(object) = batch.pop() else {
            slot.counters.add_owned(Event::Miss, 1);
            return None;
        };
        slot.counters.add_owned(Event::Hit, 1);
        match slot.cache.try_borrow_mut() {
            Ok(mut cache) => {
                cache.objects.append(&mut batch, self.max_idle);
                slot.counters.set_idle(cache.objects.len());
            }
            Err(_) => self.give_back(batch, Some(slot)),
        }
        Some(object)
    }

    /// What [`keep`](Self::keep)'s fast path could not keep: the slot is opened if need be
    /// and caught up with a `trim`; a full cache moves a batch to the shared stack.
    #[cold]
    #[inline(never)]
    fn put_cold(&self, object: T) {
        let Some(slot) = self.open_slot() else {
            return self.give_back(vec![object], None);
        };
        self.catch_up(slot);
        let Ok(mut cache) = slot.cache.try_borrow_mut() else {
            return self.give_back(vec![object], Some(slot));
        };
        if self.max_idle == 0 {
            drop(cache);
            slot.counters.add_owned(Event::Discard, 1);
            return drop(object);
        }
        let spilled = if cache.objects.len() < self.max_idle {
            Vec::new()
        } else {
            // Full: the oldest (coldest) batch moves to the shared stack.
            cache.objects.drain_oldest(self.batch)
        };
        cache.objects.push(object, self.max_idle);
        slot.counters.set_idle(cache.objects.len());
        drop(cache);
        self.give_back(spilled, Some(slot));
    }

    /// Moves `objects` to the shared stack, dropping those over `max_idle` (counted as
    /// discarded, on `slot` if this thread has one).
    fn give_back(&self, mut objects: Vec<T>, slot: Option<&Slot<T>>) {
        if objects.is_empty() {
            return;
        }
        {
            let mut stack = self.stack.lock();
            let room = self.max_idle.saturating_sub(stack.len());
            let fits = objects.len().min(room);
            stack.extend(objects.drain(..fits));
        }
        let over = objects.len() as u64;
        if over > 0 {
            match slot {
                Some(slot) => slot.counters.add_owned(Event::Discard, over),
                None => self.unowned.add_shared(Event::Discard, over),
            }
        }
        drop(objects);
    }

    /// This thread's slot, created and opened (its exit hook registered) if need be; `None`
    /// once the thread is exiting.
    fn open_slot(&self) -> Option<&Slot<T>> {
        if local::phase() == Phase::Exited {
            return None;
        }
        // `get_or` first: it gives this thread its `ThreadLocal` index, and so registers the
        // crate's destructor before the exit hook below (see `local`'s docs for why).
        let slot = self.local.get_or(|| self.new_slot());
        let mut cache = slot.cache.try_borrow_mut().ok()?;
        if cache.seen == local::CLOSED {
            // A new slot, or one whose thread exited and left it to this one (empty: its
            // objects moved out at that exit, so there is nothing to catch up on).
            let hook = Box::new(PoolExit {
                shared: Weak::clone(&self.me),
            });
            if !local::register_exit(hook) {
                return None;
            }
            cache.seen = self.generation.load(Relaxed);
        }
        Some(slot)
    }

    fn new_slot(&self) -> Slot<T> {
        let counters = Arc::new(Counters::default());
        self.registry.lock().push(Arc::clone(&counters));
        Slot::new(counters)
    }

    /// Drops the objects of `slot` if a `trim` happened since it last looked.
    fn catch_up(&self, slot: &Slot<T>) {
        let generation = self.generation.load(Relaxed);
        let stale = match slot.cache.try_borrow_mut() {
            Ok(mut cache) if cache.seen != generation && cache.seen != local::CLOSED => {
                cache.seen = generation;
                slot.counters.set_idle(0);
                cache.objects.take_all()
            }
            _ => return,
        };
        drop(stale);
    }

    fn count(&self, event: Event, n: u64) {
        match self.local.get() {
            Some(slot) => slot.counters.add_owned(event, n),
            None => self.unowned.add_shared(event, n),
        }
    }
}

/// The parts of the fast paths, which [`Pool::get`](super::Pool::get) and
/// [`Pooled`](super::Pooled)'s `Drop` put together (they build and hold the guard, which this
/// file does not name).
impl<T: Send + 'static> Shared<T> {
    /// Whether `cache` (this thread's) may serve the fast paths: open, and up to date with
    /// the latest `trim`. One compare: a closed cache's generation is
    /// [`CLOSED`](local::CLOSED), which no pool reaches.
    #[inline]
    pub(crate) fn ready(&self, cache: &LocalCache<T>) -> bool {
        cache.ready(self.generation.load(Relaxed))
    }

    /// This thread's slot, if it has one: the `ThreadLocal` lookup, the one call of both
    /// fast paths, made early so that little is live across it.
    #[inline]
    pub(crate) fn slot(&self) -> Option<&Slot<T>> {
        self.local.get()
    }

    /// Keeps a reset object (`slot`: [`slot`](Self::slot)'s answer): in this thread's
    /// cache, or else in the shared stack, or else (over `max_idle` both) drops it.
    #[inline]
    pub(crate) fn keep(&self, slot: Option<&Slot<T>>, object: T) {
        let object = match slot.map(|slot| (slot, slot.cache.try_borrow_mut())) {
            Some((slot, Ok(mut cache))) if self.ready(&cache) => {
                // Room within the cache's capacity, which is at most `max_idle`: no
                // allocation (and no call) on the fast path; growing is the cold path's.
                match cache.objects.push_within_capacity(object, self.max_idle) {
                    Ok(()) => return slot.counters.kept_cached(),
                    Err(object) => object,
                }
            }
            _ => object,
        };
        // The cache's borrow ended with the statement above.
        self.put_cold(object);
    }

    /// Drops an object instead of keeping it, counted as discarded.
    #[cold]
    #[inline(never)]
    pub(crate) fn discard(&self, object: T) {
        self.count(Event::Discard, 1);
        drop(object);
    }
}

impl<T: Send + 'static> OnThreadExit for Shared<T> {
    /// Moves this thread's idle objects to the shared stack (dropping those over
    /// `max_idle`, and those a `trim` condemned) and closes its slot.
    fn thread_exit(&self) {
        let Some(slot) = self.local.get() else {
            return;
        };
        self.catch_up(slot);
        let objects = match slot.cache.try_borrow_mut() {
            Ok(mut cache) => {
                cache.seen = local::CLOSED;
                cache.objects.take_all()
            }
            Err(_) => return,
        };
        slot.counters.set_idle(0);
        self.give_back(objects, Some(slot));
    }
}

/// The profile reads a pool's hits, misses, discards and idle objects from here.
#[cfg(feature = "profile")]
impl<T: Send + 'static> crate::profile::PoolSource for Shared<T> {
    fn stats(&self) -> PoolStats {
        Shared::stats(self)
    }
}
