//! [`Guarded<T, M>`]: a value of type `T` that can only be reached through a lock of mode `M`.
//!
//! This file is the public API. The same acquisitions with an explicit lock site (what
//! generated per-field and per-shard code calls) are `lock_at.rs`; how each is counted for
//! the profile is `profiled.rs`. `Guarded` sits above the modes, not in the core: its
//! default mode (`Guarded<T, M = Mutex>`) and its per-mode constructors name them.

use core::fmt;
use core::time::Duration;

use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mode::{Acquire, Mode};
use crate::guarded::core::waiters::Waiters;
use crate::guarded::core::when::deadline_after;
use crate::guarded::mode::mutex::LockIsWriteInMutexMode;
use crate::guarded::mode::read_mostly::rcu::RcuCell;
use crate::guarded::mode::rw::UpgradableReadGuard;
use crate::guarded::mode::{Mutex, ReadMostly, Rw};
use crate::order::{self, OrderNode, SiteLabel};
use crate::sync::const_unless_loom;

/// A value that can only be reached through a lock: the runtime type behind
/// `#[guarded]`, usable by hand.
///
/// The mode `M` picks the primitive ([`mode::Mutex`](crate::mode::Mutex) by default,
/// [`mode::Rw`](crate::mode::Rw), [`mode::ReadMostly`](crate::mode::ReadMostly)); the API is
/// the same in all three. There is no way to the value except a guard, a closure,
/// [`get_mut`](Self::get_mut) (which proves exclusivity with `&mut self`) or
/// [`into_inner`](Self::into_inner). `Guarded` is never `Clone`: share it with `Arc` or a
/// `static`.
///
/// It is `Send` and `Sync` exactly when the mode's primitive is for this `T`: with `Mutex`,
/// `T: Send` suffices; `Rw` and `ReadMostly` hand `&T` to several threads at once, so they
/// also need `T: Sync`.
///
/// A panic while a guard is held releases the lock; there is no poisoning, so the value
/// may be half-updated. `ReadMostly` is the exception: its writes go to a copy, which a
/// panic discards.
///
/// ```
/// use std::sync::Arc;
/// use lockwise::{mode, Guarded};
///
/// let counter: Arc<Guarded<u64, mode::Mutex>> = Arc::new(Guarded::new(0));
/// let workers: Vec<_> = (0..4)
///     .map(|_| {
///         let counter = Arc::clone(&counter);
///         std::thread::spawn(move || counter.with_write(|c| *c += 1))
///     })
///     .collect();
/// for w in workers {
///     w.join().unwrap();
/// }
/// assert_eq!(*counter.read(), 4);
/// ```
pub struct Guarded<T, M: Mode = Mutex> {
    pub(crate) lock: M::Lock<T>,
    /// Who waits for this lock in the slow paths: starving acquisitions and conditions.
    pub(crate) waiters: Waiters,
    /// How debug-build messages name this lock, and how it is ordered against other
    /// types' locks; zero-sized in release builds.
    pub(crate) label: SiteLabel,
    /// This lock in the debug-build order graph: an id on first use, removed from the
    /// graph when the value drops (`order/node.rs`). Zero-sized in release builds.
    pub(crate) order: OrderNode,
    // With the `profile` feature, the lock's counters live in `waiters`: a sampled
    // exclusive hold ends in the release's slow path, which has only the word's owner.
}

impl<T> Guarded<T, Mutex> {
    const_unless_loom! {
        /// A `const` constructor for mutex mode, so a `Guarded` can live in a `static`.
        ///
        /// ```
        /// use lockwise::{mode::Mutex, Guarded};
        ///
        /// static NEXT_ID: Guarded<u64, Mutex> = Guarded::mutex(1);
        /// let id = NEXT_ID.with_write(|n| { *n += 1; *n - 1 });
        /// assert_eq!(id, 1);
        /// ```
        #[inline]
        pub fn mutex(value: T) -> Self {
            Self {
                lock: parking_lot::Mutex::new(value),
                waiters: Waiters::new(),
                label: SiteLabel::NONE,
                order: OrderNode::new(),
            }
        }
    }
}

impl<T> Guarded<T, Rw> {
    const_unless_loom! {
        /// A `const` constructor for rw mode, so a `Guarded` can live in a `static`.
        ///
        /// ```
        /// use lockwise::{mode::Rw, Guarded};
        ///
        /// static LEVEL: Guarded<&str, Rw> = Guarded::rw("info");
        /// assert_eq!(*LEVEL.read(), "info");
        /// ```
        #[inline]
        pub fn rw(value: T) -> Self {
            Self {
                lock: parking_lot::RwLock::new(value),
                waiters: Waiters::new(),
                label: SiteLabel::NONE,
                order: OrderNode::new(),
            }
        }
    }

    /// A shared read that can later become a write with
    /// [`UpgradableReadGuard::upgrade`], without a writer slipping in between. One
    /// upgradable reader at a time; plain readers share the lock with it.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded, UpgradableReadGuard};
    ///
    /// let cache: Guarded<Option<String>, Rw> = Guarded::new(None);
    /// let guard = cache.upgradable_read();
    /// if guard.is_none() {
    ///     *UpgradableReadGuard::upgrade(guard) = Some("filled".into());
    /// }
    /// assert_eq!(cache.read().as_deref(), Some("filled"));
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn upgradable_read(&self) -> UpgradableReadGuard<'_, T> {
        let site = self.site();
        let _checked = order::check(&site, &self.order);
        let (inner, sample) = self.counted(
            &site,
            false,
            || self.lock.try_upgradable_read(),
            || {
                self.waiters
                    .acquire(|timeout| self.lock.try_upgradable_read_for(timeout))
            },
        );
        UpgradableReadGuard::new(inner, &self.waiters, order::hold(site, &self.order), sample)
    }

    /// Like [`upgradable_read`](Self::upgradable_read), but `None` instead of waiting.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<u8, Rw> = Guarded::new(0);
    /// let first = v.upgradable_read();
    /// assert!(v.try_upgradable_read().is_none()); // one upgradable reader at a time
    /// drop(first);
    /// assert!(v.try_upgradable_read().is_some());
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_upgradable_read(&self) -> Option<UpgradableReadGuard<'_, T>> {
        let site = self.site();
        let (inner, sample) = self.counted_now(&site, false, || self.lock.try_upgradable_read())?;
        Some(UpgradableReadGuard::new(
            inner,
            &self.waiters,
            order::hold(site, &self.order),
            sample,
        ))
    }
}

impl<T> Guarded<T, ReadMostly> {
    /// The constructor for read_mostly mode (not `const`: it allocates the first version).
    /// It does not need `T: Clone`; everything else in this mode does.
    ///
    /// ```
    /// use lockwise::{mode::ReadMostly, Guarded};
    ///
    /// let routes = Guarded::read_mostly(vec!["/"]);
    /// assert_eq!(routes.read().len(), 1);
    /// ```
    #[inline]
    pub fn read_mostly(value: T) -> Self {
        Self {
            lock: RcuCell::new(value),
            waiters: Waiters::new(),
            label: SiteLabel::NONE,
            order: OrderNode::new(),
        }
    }
}

impl<T, M: Acquire<T>> Guarded<T, M> {
    /// Puts `value` behind the lock of mode `M`, usually inferred from the annotation.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<String, Rw> = Guarded::new("hello".to_string());
    /// assert_eq!(v.read().len(), 5);
    /// ```
    #[inline]
    pub fn new(value: T) -> Self {
        Self {
            lock: M::new_lock(value),
            waiters: Waiters::new(),
            label: SiteLabel::NONE,
            order: OrderNode::new(),
        }
    }

    /// Shared access, waiting while a writer holds the lock. In read_mostly mode it never
    /// waits.
    ///
    /// **In mutex mode `read()` is exclusive**: it takes the one lock, and the guard only
    /// reads. So `p.read().a + p.read().b` takes the lock twice in one expression (both
    /// guards live to its end): a debug build panics, a release build deadlocks, as two
    /// `parking_lot::Mutex::lock` calls would. Take one guard
    /// (`let p = p.read(); p.a + p.b`), or use rw mode.
    ///
    /// Debug builds panic instead of deadlocking when this thread already holds this lock.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<(u8, u8), Rw> = Guarded::new((1, 2));
    /// let pair = v.read();
    /// assert_eq!(pair.0 + pair.1, 3);
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read(&self) -> ReadGuard<'_, T, M> {
        self.read_at(self.site())
    }

    /// Shared access if it is free right now; `None` instead of waiting.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<u8, Rw> = Guarded::new(1);
    /// let writer = v.write();
    /// assert!(v.try_read().is_none());
    /// drop(writer);
    /// assert_eq!(v.try_read().map(|g| *g), Some(1));
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_read(&self) -> Option<ReadGuard<'_, T, M>> {
        self.try_read_at(self.site())
    }

    /// Shared access, waiting at most `timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lockwise::{mode::Mutex, Guarded};
    ///
    /// let v: Guarded<u8, Mutex> = Guarded::new(1);
    /// std::thread::scope(|s| {
    ///     let held = v.write();
    ///     s.spawn(|| assert!(v.try_read_for(Duration::from_millis(5)).is_none()))
    ///         .join()
    ///         .unwrap();
    /// });
    /// assert!(v.try_read_for(Duration::from_millis(5)).is_some());
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_read_for(&self, timeout: Duration) -> Option<ReadGuard<'_, T, M>> {
        self.try_read_for_at(timeout, self.site())
    }

    /// Exclusive access, waiting for readers and writers to leave. In read_mostly mode the
    /// guard holds a copy that is published when it drops.
    ///
    /// Debug builds panic instead of deadlocking when this thread already holds this lock.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<Vec<u8>, Rw> = Guarded::new(vec![]);
    /// v.write().push(1);
    /// assert_eq!(v.read().len(), 1);
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write(&self) -> WriteGuard<'_, T, M> {
        self.write_at(self.site())
    }

    /// Mutex mode's name for [`write`](Self::write), for parking_lot's and std's habit.
    /// In rw and read_mostly modes it does not compile: say which access you mean,
    /// `read()` or `write()`.
    ///
    /// ```
    /// use lockwise::{mode::Mutex, Guarded};
    ///
    /// let v: Guarded<Vec<u8>, Mutex> = Guarded::new(vec![]);
    /// v.lock().push(1);
    /// assert_eq!(*v.read(), [1]);
    /// ```
    ///
    /// ```compile_fail
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<u8, Rw> = Guarded::new(1);
    /// let _ = v.lock(); // error: in rw mode, say `read()` or `write()`
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn lock(&self) -> WriteGuard<'_, T, M>
    where
        M: LockIsWriteInMutexMode,
    {
        self.write()
    }

    /// Exclusive access if it is free right now; `None` instead of waiting.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<u8, Rw> = Guarded::new(1);
    /// let reader = v.read();
    /// assert!(v.try_write().is_none());
    /// drop(reader);
    /// assert!(v.try_write().is_some());
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_write(&self) -> Option<WriteGuard<'_, T, M>> {
        self.try_write_at(self.site())
    }

    /// Exclusive access, waiting at most `timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<u8, Rw> = Guarded::new(1);
    /// std::thread::scope(|s| {
    ///     let reader = v.read();
    ///     s.spawn(|| assert!(v.try_write_for(Duration::from_millis(5)).is_none()))
    ///         .join()
    ///         .unwrap();
    /// });
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn try_write_for(&self, timeout: Duration) -> Option<WriteGuard<'_, T, M>> {
        self.try_write_for_at(timeout, self.site())
    }

    /// Runs `f` with shared access and returns what it returns. The guard cannot escape:
    /// `f` sees a reference that dies with the call.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<Vec<u8>, Rw> = Guarded::new(vec![1, 2, 3]);
    /// assert_eq!(v.with_read(|xs| xs.len()), 3);
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn with_read<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.read())
    }

    /// Runs `f` with exclusive access and returns what it returns.
    ///
    /// ```
    /// use lockwise::{mode::Mutex, Guarded};
    ///
    /// let v: Guarded<Vec<u8>, Mutex> = Guarded::new(vec![]);
    /// let len = v.with_write(|xs| { xs.push(1); xs.len() });
    /// assert_eq!(len, 1);
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn with_write<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut self.write())
    }

    /// Waits until `ready` returns true for the state, then returns a write guard: Go's
    /// `sync.Cond` without the `Signal`. `ready` runs under the lock, first at once and then
    /// each time another thread releases a write guard (a `write()`, `write_when`, an
    /// upgraded read, a downgrade, a read_mostly publish, a writer that panics): nobody has
    /// to notify. Polarity: it proceeds when `ready` is **true**, the opposite of std's
    /// `Condvar::wait_while`.
    ///
    /// While it waits the lock is free. In read_mostly mode `ready` sees the published
    /// version and the copy is made once it holds.
    ///
    /// Debug builds panic if this thread holds any lockwise lock (the thread that would make
    /// the condition true might need it).
    ///
    /// ```
    /// use lockwise::{mode::Mutex, Guarded};
    ///
    /// let jobs: Guarded<Vec<u32>, Mutex> = Guarded::new(vec![]);
    /// std::thread::scope(|s| {
    ///     s.spawn(|| jobs.write().push(7)); // no notify
    ///     let mut queue = jobs.write_when(|q| !q.is_empty());
    ///     assert_eq!(queue.pop(), Some(7));
    /// });
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write_when(&self, ready: impl FnMut(&T) -> bool) -> WriteGuard<'_, T, M> {
        match self.write_when_by_at(ready, None, self.site()) {
            Some(guard) => guard,
            None => unreachable!("a wait without a deadline ends only when the condition holds"),
        }
    }

    /// Like [`write_when`](Self::write_when), but gives up after `timeout`: `None` if the
    /// condition did not hold by then.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let open: Guarded<bool, Rw> = Guarded::new(false);
    /// assert!(open.write_when_for(|o| *o, Duration::from_millis(5)).is_none());
    /// *open.write() = true;
    /// assert!(open.write_when_for(|o| *o, Duration::from_millis(5)).is_some());
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write_when_for(
        &self,
        ready: impl FnMut(&T) -> bool,
        timeout: Duration,
    ) -> Option<WriteGuard<'_, T, M>> {
        self.write_when_by_at(ready, deadline_after(timeout), self.site())
    }

    /// Waits until `ready` returns true for the state, then returns a read guard; see
    /// [`write_when`](Self::write_when). Many readers can wait at once, and one write that
    /// makes their condition true lets them all in (rw mode: together). In read_mostly mode
    /// a reader whose condition already holds takes no lock at all.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let version: Guarded<u32, Rw> = Guarded::new(1);
    /// std::thread::scope(|s| {
    ///     let readers: Vec<_> = (0..3)
    ///         .map(|_| s.spawn(|| *version.read_when(|v| *v >= 2)))
    ///         .collect();
    ///     *version.write() = 2; // releases all three
    ///     for r in readers {
    ///         assert_eq!(r.join().unwrap(), 2);
    ///     }
    /// });
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read_when(&self, ready: impl FnMut(&T) -> bool) -> ReadGuard<'_, T, M> {
        match self.read_when_by_at(ready, None, self.site()) {
            Some(guard) => guard,
            None => unreachable!("a wait without a deadline ends only when the condition holds"),
        }
    }

    /// Like [`read_when`](Self::read_when), but gives up after `timeout`: `None` if the
    /// condition did not hold by then.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lockwise::{mode::ReadMostly, Guarded};
    ///
    /// let routes: Guarded<Vec<&str>, ReadMostly> = Guarded::new(vec![]);
    /// let found = routes.read_when_for(|r| r.contains(&"/health"), Duration::from_millis(5));
    /// assert!(found.is_none());
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read_when_for(
        &self,
        ready: impl FnMut(&T) -> bool,
        timeout: Duration,
    ) -> Option<ReadGuard<'_, T, M>> {
        self.read_when_by_at(ready, deadline_after(timeout), self.site())
    }

    /// Access without locking: `&mut self` already proves no one else can look.
    /// `&mut T` in mutex and rw mode. In read_mostly mode, a copy that derefs to `&mut T`
    /// and is published when the guard drops: `write()` without the writer lock, O(size)
    /// like every read_mostly change.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let mut v: Guarded<u8, Rw> = Guarded::new(1);
    /// *v.get_mut() += 1;
    /// assert_eq!(*v.read(), 2);
    /// ```
    #[inline]
    pub fn get_mut(&mut self) -> M::Exclusive<'_, T> {
        M::get_mut(&mut self.lock)
    }

    /// Takes the value out, consuming the lock (and, in debug builds, removing it from the
    /// order graph).
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<String, Rw> = Guarded::new("done".into());
    /// assert_eq!(v.into_inner(), "done");
    /// ```
    #[inline]
    pub fn into_inner(self) -> T {
        M::into_inner(self.lock)
    }

    /// A clone of the value, taken under a read guard that is released before returning.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<Vec<u8>, Rw> = Guarded::new(vec![1]);
    /// let copy = v.snapshot();
    /// v.write().push(2);
    /// assert_eq!(copy, [1]);
    /// ```
    #[inline]
    pub fn snapshot(&self) -> T
    where
        T: Clone,
    {
        T::clone(&self.read())
    }

    /// Formats as `name { data: .. }`, or `name { data: <locked> }` when a writer holds the
    /// lock: never waits. What `Debug` prints, under a name of the caller's choice.
    ///
    /// ```
    /// use lockwise::{mode::Mutex, Guarded};
    ///
    /// struct Cache(Guarded<u8, Mutex>);
    /// impl std::fmt::Debug for Cache {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    ///         self.0.fmt_named("Cache", f)
    ///     }
    /// }
    /// let cache = Cache(Guarded::new(3));
    /// assert_eq!(format!("{cache:?}"), "Cache { data: 3 }");
    /// let held = cache.0.write();
    /// assert_eq!(format!("{cache:?}"), "Cache { data: <locked> }");
    /// ```
    ///
    /// Hidden from the docs: the `Debug` impls that `#[guarded]` generates call it, and in
    /// a wrapper's rustdoc it would sit among the locking methods (issue 20).
    #[doc(hidden)]
    pub fn fmt_named(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result
    where
        T: fmt::Debug,
    {
        f.debug_struct(name)
            .field("data", &self.debug_data())
            .finish()
    }

    /// The value for `Debug` output: formats as the value, or as `<locked>` when a writer
    /// holds the lock. Never waits.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    ///
    /// let v: Guarded<u8, Rw> = Guarded::new(7);
    /// assert_eq!(format!("{:?}", v.debug_data()), "7");
    /// let _writer = v.write();
    /// assert_eq!(format!("{:?}", v.debug_data()), "<locked>");
    /// ```
    ///
    /// Hidden from the docs, as `fmt_named` is: the per-field `Debug` impls call it.
    #[doc(hidden)]
    pub fn debug_data(&self) -> impl fmt::Debug + '_
    where
        T: fmt::Debug,
    {
        DebugData(self)
    }
}

struct DebugData<'a, T, M: Mode>(&'a Guarded<T, M>);

impl<T: fmt::Debug, M: Acquire<T>> fmt::Debug for DebugData<'_, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.try_read() {
            Some(data) => T::fmt(&data, f),
            None => f.write_str("<locked>"),
        }
    }
}

impl<T: fmt::Debug, M: Acquire<T>> fmt::Debug for Guarded<T, M> {
    /// Never waits: prints `<locked>` when a writer holds the lock.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_named("Guarded", f)
    }
}

impl<T: Default, M: Acquire<T>> Default for Guarded<T, M> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T, M: Acquire<T>> From<T> for Guarded<T, M> {
    fn from(value: T) -> Self {
        Self::new(value)
    }
}
