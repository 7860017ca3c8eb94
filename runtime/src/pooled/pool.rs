//! [`Pool<T>`]: Go's `sync.Pool`, with explicit bounds.

use core::fmt;
use std::sync::{Arc, OnceLock};

use super::guard::Pooled;
use super::local::Slot;
use super::reset::Reset;
use super::shared::Shared;
use crate::vocabulary::PoolStats;

/// A pool of reusable objects: the runtime type behind `#[pooled]`, usable by hand for any
/// `T: Reset + Send`.
///
/// [`get`](Self::get) hands out an object as a [`Pooled`] guard, which derefs to it and
/// gives it back when dropped, [reset](Reset::reset) first. Objects come from the calling
/// thread's cache first, then from a shared stack, and are made with `new` (by default
/// `T::default`) when both are empty.
///
/// **A pool is not a cache.** It recycles temporary objects on hot paths (buffers,
/// scratch space); it may drop any idle object at any time, and nothing promises that an
/// object comes back. The common case, an object dropped and taken again on the same
/// thread, is likely to get the same object; never rely on it.
///
/// **Bounds.** At most `max_idle` idle objects in each thread's cache and `max_idle` in
/// the shared stack (default [`DEFAULT_MAX_IDLE`](Self::DEFAULT_MAX_IDLE)), so at most
/// `max_idle × (threads + 1)` in all; anything over is dropped. A full cache moves half
/// its objects to the shared stack; an empty one takes up to half of `max_idle` back.
/// `max_idle = 0` keeps nothing.
///
/// **Threads.** An object may go back on any thread (`Pooled<T>` is `Send`); it joins
/// that thread's cache. When a thread exits, its cache moves to the shared stack, and what
/// does not fit is dropped.
///
/// **Panics.** An object dropped while its thread unwinds from a panic that started while
/// the object was out is dropped, never reused: the panic may have left it half-written.
///
/// ```
/// use lockwise::{Pool, Reset};
///
/// #[derive(Default)]
/// struct Buf(Vec<u8>);
/// impl Reset for Buf {
///     fn reset(&mut self) { self.0.clear() }
/// }
///
/// static BUFFERS: Pool<Buf> = Pool::with_max_idle(16);
///
/// fn encode(event: &str) -> usize {
///     let mut buf = BUFFERS.get();          // Pooled<'static, Buf>
///     buf.0.extend_from_slice(event.as_bytes());
///     buf.0.len()
/// }                                         // reset, and back to this thread's cache
///
/// assert_eq!(encode("login"), 5);
/// assert_eq!(encode("logout"), 6);
/// assert_eq!(BUFFERS.stats().misses, 1);     // one Buf served both calls
/// ```
pub struct Pool<T: Send> {
    /// Made on first use, so that [`new`](Self::new) can be `const`; an `Arc`, so that
    /// thread-exit hooks can hold it weakly.
    shared: OnceLock<Arc<Shared<T>>>,
    max_idle: usize,
    new: fn() -> T,
}

impl<T: Send> Pool<T> {
    /// The `max_idle` of [`new`](Self::new) and [`from_fn`](Self::from_fn).
    pub const DEFAULT_MAX_IDLE: usize = 32;

    /// An empty pool that makes objects with `T::default`, keeping at most
    /// [`DEFAULT_MAX_IDLE`](Self::DEFAULT_MAX_IDLE) idle per thread and shared.
    /// `const`, so the pool can be a `static`.
    ///
    /// ```
    /// use lockwise::Pool;
    ///
    /// static LINES: Pool<String> = Pool::new();
    /// LINES.get().push_str("hello");
    /// assert!(LINES.get().is_empty());
    /// ```
    pub const fn new() -> Self
    where
        T: Default,
    {
        Self::from_fn_with_max_idle(T::default, Self::DEFAULT_MAX_IDLE)
    }

    /// Like [`new`](Self::new), keeping at most `max_idle` idle objects per thread and
    /// `max_idle` in the shared stack.
    ///
    /// ```
    /// use lockwise::Pool;
    ///
    /// let pool: Pool<Vec<u8>> = Pool::with_max_idle(0); // keeps nothing
    /// drop(pool.get());
    /// assert_eq!(pool.stats().idle, 0);
    /// ```
    pub const fn with_max_idle(max_idle: usize) -> Self
    where
        T: Default,
    {
        Self::from_fn_with_max_idle(T::default, max_idle)
    }

    /// A pool that makes objects with `new` (for a type without `Default`, or to choose a
    /// capacity).
    ///
    /// ```
    /// use lockwise::Pool;
    ///
    /// static PAGES: Pool<Vec<u8>> = Pool::from_fn(|| Vec::with_capacity(4096));
    /// assert!(PAGES.get().capacity() >= 4096);
    /// ```
    pub const fn from_fn(new: fn() -> T) -> Self {
        Self::from_fn_with_max_idle(new, Self::DEFAULT_MAX_IDLE)
    }

    /// A pool that makes objects with `new` and keeps at most `max_idle` idle per thread
    /// and shared.
    ///
    /// ```
    /// use lockwise::Pool;
    ///
    /// static PAGES: Pool<Vec<u8>> = Pool::from_fn_with_max_idle(|| Vec::with_capacity(4096), 8);
    /// assert_eq!(PAGES.max_idle(), 8);
    /// ```
    pub const fn from_fn_with_max_idle(new: fn() -> T, max_idle: usize) -> Self {
        Self {
            shared: OnceLock::new(),
            max_idle,
            new,
        }
    }

    /// The bound on idle objects per thread, and in the shared stack.
    ///
    /// ```
    /// assert_eq!(lockwise::Pool::<String>::new().max_idle(), 32);
    /// ```
    pub const fn max_idle(&self) -> usize {
        self.max_idle
    }
}

impl<T: Reset + Send + 'static> Pool<T> {
    /// An object from the pool (an idle one if there is one, else a new one), given back
    /// when the returned guard drops.
    ///
    /// ```
    /// use lockwise::Pool;
    ///
    /// let pool: Pool<Vec<u8>> = Pool::new();
    /// let mut buf = pool.get();
    /// buf.extend_from_slice(b"abc");
    /// assert_eq!(&buf[..], b"abc");
    /// ```
    #[inline]
    pub fn get(&self) -> Pooled<'_, T> {
        self.get_from(self.shared())
    }

    /// [`get`](Self::get)'s fast path: the warmest idle object of this thread's cache,
    /// straight into the guard. Its own function, so that each of `get`'s parts is small
    /// enough for the compiler to inline into the caller.
    #[inline]
    fn get_from<'a>(&'a self, shared: &'a Shared<T>) -> Pooled<'a, T> {
        // Read first, while nothing is live across its (cold) call; then the slot lookup,
        // the one call of the fast path (everything else that can happen is out of line).
        let panicking = std::thread::panicking();
        let Some(slot) = shared.slot() else {
            return self.get_cold(shared, None);
        };
        // Counted first, and taken back on the cold path if the cache cannot serve: a store
        // to the counters after the cache's words are read would make the compiler read
        // them again, or copy the object through a temporary (the store might alias the
        // cache, for all it knows).
        slot.counters.took_cached();
        if let Ok(mut cache) = slot.cache.try_borrow_mut() {
            if shared.ready(&cache) {
                // Straight into the guard: no `Option` in between for the compiler to test
                // again (it cannot know that an object read from the cache is not `None`'s
                // bit pattern).
                if let Some(object) = cache.objects.pop() {
                    return Pooled::new(object, shared, panicking);
                }
            }
        }
        self.get_cold(shared, Some(slot))
    }

    /// What the thread's cache could not serve at once: the cache's slow path, the shared
    /// stack, or a new object (a miss). `counted`: the slot whose counters the fast path
    /// already counted a hit on. Out of line, so that [`get`](Self::get) stays small.
    #[cold]
    #[inline(never)]
    fn get_cold<'a>(&self, shared: &'a Shared<T>, counted: Option<&Slot<T>>) -> Pooled<'a, T> {
        if let Some(slot) = counted {
            slot.counters.untook_cached();
        }
        let object = match shared.take_cold() {
            Some(object) => object,
            None => (self.new)(),
        };
        Pooled::new(object, shared, std::thread::panicking())
    }

    /// Drops every idle object: the analog of a garbage-collection cycle, which in Go empties
    /// every `sync.Pool`. Call it when a burst is over and the memory should go back.
    ///
    /// The shared stack and the calling thread's cache are emptied at once; every other
    /// thread drops its cached objects at its next `get` or give-back on this pool, or when
    /// it exits (until then [`stats`](Self::stats) still counts them as idle). Objects out
    /// of the pool are not affected.
    ///
    /// ```
    /// use lockwise::Pool;
    ///
    /// let pool: Pool<String> = Pool::new();
    /// let (a, b) = (pool.get(), pool.get());
    /// drop((a, b));
    /// assert_eq!(pool.stats().idle, 2);
    /// pool.trim();
    /// assert_eq!(pool.stats().idle, 0);
    /// ```
    pub fn trim(&self) {
        if let Some(shared) = self.shared.get() {
            shared.trim();
        }
    }

    /// The pool's counters: hits, misses, discarded objects and idle objects; see
    /// [`PoolStats`].
    ///
    /// ```
    /// use lockwise::Pool;
    ///
    /// let pool: Pool<String> = Pool::new();
    /// let s = pool.get();
    /// assert_eq!(pool.stats().misses, 1);
    /// drop(s);
    /// assert_eq!(pool.stats().idle, 1);
    /// ```
    pub fn stats(&self) -> PoolStats {
        self.shared.get().map(|s| s.stats()).unwrap_or_default()
    }

    #[inline]
    fn shared(&self) -> &Shared<T> {
        self.shared.get_or_init(|| {
            let shared = Shared::new(self.max_idle);
            // The profile reads the pool's own counters; the pool registers on first use.
            #[cfg(feature = "profile")]
            crate::profile::register_pool(
                crate::profile::SiteKey {
                    path: core::any::type_name::<T>(),
                    part: crate::profile::Part::Whole,
                    kind: crate::profile::Kind::Pool,
                },
                &(Arc::clone(&shared) as Arc<dyn crate::profile::PoolSource>),
            );
            shared
        })
    }
}

impl<T: Default + Send> Default for Pool<T> {
    /// [`Pool::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Reset + Send + 'static> fmt::Debug for Pool<T> {
    /// The bound and the counters; never the objects.
    ///
    /// ```
    /// let pool: lockwise::Pool<String> = lockwise::Pool::new();
    /// assert!(format!("{pool:?}").starts_with("Pool { max_idle: 32"));
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("max_idle", &self.max_idle)
            .field("stats", &self.stats())
            .finish()
    }
}
