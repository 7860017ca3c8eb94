//! The per-thread side of a pool: each thread's cache of idle objects ([`Slot`]), and what
//! happens to it when the thread exits ([`register_exit`]).
//!
//! A pool finds the calling thread's slot through the `thread_local` crate's `ThreadLocal`,
//! which the pool owns, so any `Pool<T>` has one, generic or not, `static` or not (a
//! `thread_local!` cannot be generic). That crate keeps a slot after its thread exits and
//! gives it to the next thread that gets the same index; on its own, a dead thread's objects
//! would wait there. So each thread that uses a pool also registers an exit hook here, which
//! moves its idle objects to the pool's shared stack (or drops them, past `max_idle`) when
//! the thread exits.
//!
//! Order matters at thread exit. The hook finds the thread's slot through the crate's
//! thread index, which the crate's own destructor frees. Thread-local destructors run in
//! reverse order of registration, and a thread registers its exit hooks only after its
//! first `ThreadLocal` lookup has registered the crate's destructor, so the hooks run
//! first, while the index is still valid. Then the thread is marked [`Phase::Exited`]: a
//! pooled object dropped later by another thread-local destructor goes to the shared stack
//! directly, and the slot lookup (which could not safely allocate a thread index any more)
//! is never attempted again.

use core::cell::{Cell, RefCell};
use std::sync::{Arc, Weak};

use super::stats::Counters;

/// One thread's cache of idle objects for one pool. `Send` for `T: Send`, which the
/// `ThreadLocal` that holds it requires; only one thread uses it at a time.
pub(crate) struct Slot<T> {
    pub(crate) cache: RefCell<LocalCache<T>>,
    /// Also in the pool's registry, which [`Pool::stats`](super::Pool::stats) sums.
    pub(crate) counters: Arc<Counters>,
}

pub(crate) struct LocalCache<T> {
    /// Idle objects, reset; the last one is the most recently returned (warmest).
    pub(crate) objects: IdleStack<T>,
    /// The pool's trim generation this cache has caught up with (when the pool's is newer,
    /// the objects here were idle at a `trim` and are dropped before anything else), or
    /// [`CLOSED`]. One word, so that the fast path asks "open and up to date?" with one
    /// compare against the pool's generation.
    pub(crate) seen: u64,
}

/// [`LocalCache::seen`] of a slot whose thread has exited (or that no thread has opened
/// yet): its objects have moved out. A thread that later gets this slot through the same
/// thread index re-opens it (registering its own exit hook); the exiting thread itself
/// never does. No pool's generation reaches it (one `trim` a nanosecond would take 584
/// years).
pub(crate) const CLOSED: u64 = u64::MAX;

impl<T> LocalCache<T> {
    /// Whether the fast path may use this cache: it is open and has seen the latest `trim`
    /// (`generation`, the pool's).
    #[inline]
    pub(crate) fn ready(&self, generation: u64) -> bool {
        self.seen == generation
    }
}

impl<T> Slot<T> {
    pub(crate) fn new(counters: Arc<Counters>) -> Self {
        Self {
            cache: RefCell::new(LocalCache {
                objects: IdleStack::new(),
                seen: CLOSED,
            }),
            counters,
        }
    }
}

/// A cache's idle objects: a stack whose capacity never exceeds the pool's `max_idle` (for
/// a `T` with a size; a zero-sized `T` takes no room, and is bounded by its count), so that
/// the fast give-back asks "is there room?" with one compare and never allocates. It grows
/// only by moving into a `Vec::with_capacity(n)` with `n <= max_idle`, which has exactly
/// that capacity (a guarantee of `Vec`).
pub(crate) struct IdleStack<T> {
    objects: Vec<T>,
}

impl<T> IdleStack<T> {
    pub(crate) const fn new() -> Self {
        Self {
            objects: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.objects.len()
    }

    /// The warmest object.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<T> {
        self.objects.pop()
    }

    /// Pushes `object` if the stack has room without growing (the fast path), else hands
    /// it back.
    #[inline]
    pub(crate) fn push_within_capacity(&mut self, object: T, max_idle: usize) -> Result<(), T> {
        let len = self.objects.len();
        let room = if size_of::<T>() == 0 {
            len < max_idle
        } else {
            len < self.objects.capacity()
        };
        if room {
            self.objects.push(object);
            Ok(())
        } else {
            Err(object)
        }
    }

    /// Pushes `object`, growing the stack if need be; the caller has checked that it holds
    /// fewer than `max_idle`.
    pub(crate) fn push(&mut self, object: T, max_idle: usize) {
        self.reserve(1, max_idle);
        self.objects.push(object);
    }

    /// Moves `batch` onto the stack, growing it if need be; the caller has checked that the
    /// stack and `batch` hold at most `max_idle` together.
    pub(crate) fn append(&mut self, batch: &mut Vec<T>, max_idle: usize) {
        self.reserve(batch.len(), max_idle);
        self.objects.append(batch);
    }

    /// Takes the `n` oldest (coldest) objects out.
    pub(crate) fn drain_oldest(&mut self, n: usize) -> Vec<T> {
        self.objects.drain(..n).collect()
    }

    /// Takes every object out, and the stack's memory with them.
    pub(crate) fn take_all(&mut self) -> Vec<T> {
        core::mem::take(&mut self.objects)
    }

    /// Makes room for `additional` more objects: doubling, but never past `max_idle`.
    fn reserve(&mut self, additional: usize, max_idle: usize) {
        let needed = self.objects.len() + additional;
        debug_assert!(needed <= max_idle, "a cache never holds more than max_idle");
        if needed <= self.objects.capacity() {
            return;
        }
        let capacity = (self.objects.capacity() * 2)
            .max(4)
            .min(max_idle)
            .max(needed);
        let mut grown = Vec::with_capacity(capacity);
        grown.append(&mut self.objects);
        self.objects = grown;
    }
}

/// Where a thread is in its life, as far as pools are concerned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Phase {
    /// Its exit hooks run at exit; new ones can be registered.
    Running,
    /// Its exit hooks have run (or are running): no more slots for this thread.
    Exited,
}

/// What a pool does when a thread that used it exits: `Shared::thread_exit`, reached
/// through a `Weak`, so that a hook never keeps a dropped pool alive.
pub(crate) trait ExitHook {
    /// Moves this thread's idle objects out of its slot.
    fn thread_exit(&self);
    /// Whether the pool is gone, so that the hook can be forgotten.
    fn pool_dropped(&self) -> bool;
}

struct ExitHooks {
    hooks: RefCell<Vec<Box<dyn ExitHook>>>,
}

impl Drop for ExitHooks {
    fn drop(&mut self) {
        EXITED.with(|exited| exited.set(true));
        for hook in self.hooks.get_mut().drain(..) {
            hook.thread_exit();
        }
    }
}

thread_local! {
    /// No destructor, so it can be read at any point of thread exit.
    static EXITED: Cell<bool> = const { Cell::new(false) };
    static EXIT_HOOKS: ExitHooks = const { ExitHooks { hooks: RefCell::new(Vec::new()) } };
}

/// This thread's [`Phase`].
pub(crate) fn phase() -> Phase {
    if EXITED.with(Cell::get) {
        Phase::Exited
    } else {
        Phase::Running
    }
}

/// Registers `hook` to run when this thread exits. Call it only after this thread has a
/// `ThreadLocal` index (see the module docs for why), and only in [`Phase::Running`].
/// Returns `false` if the thread is already exiting, and the hook will not run.
pub(crate) fn register_exit(hook: Box<dyn ExitHook>) -> bool {
    EXIT_HOOKS
        .try_with(|exit| match exit.hooks.try_borrow_mut() {
            Ok(mut hooks) => {
                // A long-lived thread that uses many short-lived pools keeps only live ones.
                hooks.retain(|h| !h.pool_dropped());
                hooks.push(hook);
                true
            }
            Err(_) => false,
        })
        .unwrap_or(false)
}

/// The hook of one pool.
pub(crate) struct PoolExit<S> {
    pub(crate) shared: Weak<S>,
}

/// What a pool's shared part does at thread exit; implemented by
/// [`Shared`](super::shared::Shared).
pub(crate) trait OnThreadExit {
    fn thread_exit(&self);
}

impl<S: OnThreadExit> ExitHook for PoolExit<S> {
    fn thread_exit(&self) {
        if let Some(shared) = self.shared.upgrade() {
            shared.thread_exit();
        }
    }

    fn pool_dropped(&self) -> bool {
        self.shared.strong_count() == 0
    }
}
