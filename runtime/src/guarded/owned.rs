//! Owned guards: a guard that owns an `Arc` of what it locks, so it can be returned from the
//! function that took it or kept in a struct, without a borrow of the `Arc` (parking_lot's
//! `arc_lock`). Like every lockwise guard it stays on the thread that took it (`!Send`).
//!
//! parking_lot's `lock_arc` needs an `Arc<RwLock<T>>`; a `Guarded` usually sits inside the
//! user's type (`Arc<Cache>`, whose `Guarded` is a field), so these guards take an
//! `Arc<W>` of any `W` and a projection to the `Guarded` in it. `Arc<Guarded<T, M>>` is the
//! case where the projection is the identity ([`Guarded::read_arc`]).
//!
//! Inside is the mode's own guard, erased to `dyn Any`, next to the `Arc` (`core/erased.rs`): one
//! allocation per lock, and a type-id comparison per dereference. The state and `W` must be
//! `'static`. The lock is released exactly as by the guard it was made from.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use std::any::Any;
use std::sync::Arc;

use crate::guarded::core::erased::{
    Erase, HeldRead, HeldWrite, OwnedRead, OwnedWrite, downcast_mut, downcast_ref,
};
use crate::guarded::lock::Guarded;
use crate::order::GuardSample;

/// A read guard that owns an `Arc` of what it locks: it can leave the scope that took it
/// (but not the thread). What [`Guarded::read_arc`] returns, and, for a `Guarded` inside an
/// `Arc` of your own type, [`ArcReadGuard::read`].
///
/// ```
/// use std::sync::Arc;
/// use lockwise::{mode::Rw, ArcReadGuard, Guarded};
///
/// fn names(shared: &Arc<Guarded<Vec<String>, Rw>>) -> ArcReadGuard<Vec<String>, Rw> {
///     shared.read_arc() // outlives this function's borrow of `shared`
/// }
/// let shared = Arc::new(Guarded::new(vec!["ada".to_owned()]));
/// let guard = names(&shared);
/// drop(shared); // the guard keeps its own Arc
/// assert_eq!(guard[0], "ada");
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct ArcReadGuard<T, M> {
    cell: OwnedRead,
    _locks: PhantomData<fn() -> (T, M)>,
}

/// A write guard that owns an `Arc` of what it locks: what [`Guarded::write_arc`] and
/// [`ArcWriteGuard::write`] return. Dropping it releases the lock as `write()`'s guard
/// would (fairly when a waiter starves, waking `*_when` waiters; in read_mostly mode it
/// publishes its copy first).
///
/// ```
/// use std::sync::Arc;
/// use lockwise::{mode::Mutex, ArcWriteGuard, Guarded};
///
/// let jobs = Arc::new(Guarded::<Vec<u32>, Mutex>::new(vec![]));
/// let guard: ArcWriteGuard<Vec<u32>, Mutex> = jobs.write_arc();
/// let finish = move || {
///     let mut guard = guard; // the guard moved into the closure
///     guard.push(1);
/// }; // the lock is released when `finish` has run
/// finish();
/// assert_eq!(*jobs.read(), [1]);
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct ArcWriteGuard<T, M> {
    cell: OwnedWrite,
    _locks: PhantomData<fn() -> (T, M)>,
}

impl<T: 'static, M: Erase<T>> ArcReadGuard<T, M> {
    /// Takes `project(&owner).read()` and keeps `owner` alive with it, for a `Guarded`
    /// inside a type of your own. `#[guarded]` types call it for their `read_arc`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lockwise::{mode::Rw, ArcReadGuard, Guarded};
    ///
    /// struct App { config: Guarded<String, Rw>, name: &'static str }
    /// let app = Arc::new(App { config: Guarded::new("debug".into()), name: "demo" });
    /// let config = ArcReadGuard::read(Arc::clone(&app), |a: &App| &a.config);
    /// assert_eq!(*config, "debug");
    /// ```
    pub fn read<W: 'static>(owner: Arc<W>, project: impl FnOnce(&W) -> &Guarded<T, M>) -> Self {
        let owner: Arc<dyn Any> = owner;
        let cell = OwnedRead::new(owner, |owner| {
            let (inner, held, sample) = project(downcast_ref::<W>(&**owner)).read().into_parts();
            HeldRead {
                guard: M::erase_read(inner),
                _held: held,
                _sample: sample.erase(),
            }
        });
        Self {
            cell,
            _locks: PhantomData,
        }
    }
}

impl<T: 'static, M: Erase<T>> ArcWriteGuard<T, M> {
    /// Takes `project(&owner).write()` and keeps `owner` alive with it, for a `Guarded`
    /// inside a type of your own. `#[guarded]` types call it for their `write_arc`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lockwise::{mode::ReadMostly, ArcWriteGuard, Guarded};
    ///
    /// struct App { routes: Guarded<Vec<&'static str>, ReadMostly> }
    /// let app = Arc::new(App { routes: Guarded::new(vec![]) });
    /// let mut routes = ArcWriteGuard::write(Arc::clone(&app), |a: &App| &a.routes);
    /// routes.push("/health");
    /// drop(routes); // publishes
    /// assert_eq!(*app.routes.read(), ["/health"]);
    /// ```
    pub fn write<W: 'static>(owner: Arc<W>, project: impl FnOnce(&W) -> &Guarded<T, M>) -> Self {
        let owner: Arc<dyn Any> = owner;
        let cell = OwnedWrite::new(owner, |owner| {
            let (inner, held) = project(downcast_ref::<W>(&**owner)).write().into_parts();
            HeldWrite {
                guard: M::erase_write(inner),
                _held: held,
            }
        });
        Self {
            cell,
            _locks: PhantomData,
        }
    }
}

/// `read_arc()` of a type that dereferences to its `Guarded`: what the `read_arc` that
/// `#[guarded]` generates calls, so that each generated body is one call, the rest
/// monomorphized here. A free function: rustc checks a call through a path without a type
/// in it faster than `ArcReadGuard::read_through(..)` (BENCHMARKS.md, "Compile cost").
#[doc(hidden)]
#[inline]
#[cfg_attr(debug_assertions, track_caller)]
pub fn read_arc_of<W, T: 'static, M: Erase<T>>(owner: &Arc<W>) -> ArcReadGuard<T, M>
where
    W: Deref<Target = Guarded<T, M>> + 'static,
{
    ArcReadGuard::read(Arc::clone(owner), |w: &W| &**w)
}

/// `write_arc()` of a type that dereferences to its `Guarded` (see [`read_arc_of`]).
#[doc(hidden)]
#[inline]
#[cfg_attr(debug_assertions, track_caller)]
pub fn write_arc_of<W, T: 'static, M: Erase<T>>(owner: &Arc<W>) -> ArcWriteGuard<T, M>
where
    W: Deref<Target = Guarded<T, M>> + 'static,
{
    ArcWriteGuard::write(Arc::clone(owner), |w: &W| &**w)
}

impl<T: 'static, M: Erase<T>> Guarded<T, M> {
    /// [`read()`](Self::read) through an `Arc`, returning a guard that owns a clone of the
    /// `Arc`: it can be returned or stored where a borrow of the `Arc` could not go
    /// (parking_lot's `read_arc`). It stays on this thread. Costs one allocation more than
    /// `read()`; `T` must be `'static`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lockwise::{mode::Rw, ArcReadGuard, Guarded};
    ///
    /// struct Job { input: ArcReadGuard<Vec<u32>, Rw> } // no lifetime to carry around
    ///
    /// let shared: Arc<Guarded<Vec<u32>, Rw>> = Arc::new(Guarded::new(vec![1, 2]));
    /// let job = Job { input: shared.read_arc() };
    /// assert_eq!(job.input.iter().sum::<u32>(), 3);
    /// ```
    #[inline]
    pub fn read_arc(self: &Arc<Self>) -> ArcReadGuard<T, M> {
        ArcReadGuard::read(Arc::clone(self), |guarded| guarded)
    }

    /// [`write()`](Self::write) through an `Arc`, returning a guard that owns a clone of the
    /// `Arc` (parking_lot's `write_arc`); see [`read_arc`](Self::read_arc).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lockwise::{mode::Mutex, Guarded};
    ///
    /// let log: Arc<Guarded<Vec<String>, Mutex>> = Arc::new(Guarded::new(vec![]));
    /// let mut guard = log.write_arc();
    /// std::thread::scope(|s| {
    ///     s.spawn(|| assert!(log.try_write().is_none())); // held by `guard`
    /// });
    /// guard.push("done".into());
    /// drop(guard);
    /// assert_eq!(log.read().len(), 1);
    /// ```
    #[inline]
    pub fn write_arc(self: &Arc<Self>) -> ArcWriteGuard<T, M> {
        ArcWriteGuard::write(Arc::clone(self), |guarded| guarded)
    }
}

impl<T: 'static, M> Deref for ArcReadGuard<T, M> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        downcast_ref(self.cell.borrow_dependent().guard.get())
    }
}

impl<T: 'static, M> Deref for ArcWriteGuard<T, M> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        downcast_ref(self.cell.borrow_dependent().guard.get())
    }
}

impl<T: 'static, M> DerefMut for ArcWriteGuard<T, M> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        downcast_mut(self.cell.get_mut())
    }
}

impl<T: fmt::Debug + 'static, M> fmt::Debug for ArcReadGuard<T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<T: fmt::Display + 'static, M> fmt::Display for ArcReadGuard<T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<T: fmt::Debug + 'static, M> fmt::Debug for ArcWriteGuard<T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<T: fmt::Display + 'static, M> fmt::Display for ArcWriteGuard<T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use crate::guarded::mode::{Erase, Mutex, ReadMostly, Rw};
    use crate::{ArcReadGuard, ArcWriteGuard, Guarded};

    const BOUND: Duration = Duration::from_secs(30);

    /// A type of one's own with a `Guarded` inside, counting its drops.
    struct App<M: Erase<Vec<u32>>> {
        jobs: Guarded<Vec<u32>, M>,
        drops: Arc<AtomicUsize>,
    }

    impl<M: Erase<Vec<u32>>> Drop for App<M> {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn owned_guards<M: Erase<Vec<u32>>>() {
        let drops = Arc::new(AtomicUsize::new(0));
        let app = Arc::new(App::<M> {
            jobs: Guarded::new(vec![1]),
            drops: Arc::clone(&drops),
        });
        let mut writer = ArcWriteGuard::write(Arc::clone(&app), |a: &App<M>| &a.jobs);
        assert!(
            app.jobs.try_write().is_none(),
            "the owned guard holds the lock"
        );
        writer.push(2);
        drop(writer);
        let reader = ArcReadGuard::read(Arc::clone(&app), |a: &App<M>| &a.jobs);
        drop(app); // the guard keeps the app alive
        assert_eq!(drops.load(Ordering::Relaxed), 0);
        // Moved into a closure and out of this scope.
        let total = move || reader.iter().sum::<u32>();
        assert_eq!(total(), 3);
        drop(total);
        assert_eq!(
            drops.load(Ordering::Relaxed),
            1,
            "the last Arc went with the guard"
        );
    }

    #[test]
    fn owned_guards_in_every_mode() {
        owned_guards::<Mutex>();
        owned_guards::<Rw>();
        owned_guards::<ReadMostly>();
    }

    #[test]
    fn an_arc_of_a_guarded_is_the_identity_case() {
        let shared: Arc<Guarded<u32, Rw>> = Arc::new(Guarded::new(1));
        *shared.write_arc() += 1;
        let reader = shared.read_arc();
        assert!(shared.try_write().is_none());
        assert_eq!((*reader, Arc::strong_count(&shared)), (2, 2));
        drop(reader);
        assert_eq!(Arc::strong_count(&shared), 1);
        assert!(shared.try_write().is_some());
    }

    #[test]
    fn an_owned_read_mostly_write_publishes_when_it_drops() {
        let shared: Arc<Guarded<Vec<u32>, ReadMostly>> = Arc::new(Guarded::new(vec![]));
        let mut writer = shared.write_arc();
        writer.push(1);
        assert!(shared.read().is_empty());
        drop(writer);
        assert_eq!(*shared.read(), [1]);
    }

    fn owned_write_wakes_waiters<M: Erase<u32>>()
    where
        Guarded<u32, M>: Send + Sync,
    {
        let shared: Arc<Guarded<u32, M>> = Arc::new(Guarded::new(0));
        let (tx, rx) = mpsc::channel();
        let waiter = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || tx.send(*shared.write_when(|n| *n == 1)).unwrap())
        };
        let mut polls = 0;
        while shared.condition_waiters() == 0 {
            assert!(polls < 1_000_000, "the waiter never started waiting");
            polls += 1;
            thread::yield_now();
        }
        *shared.write_arc() = 1;
        assert_eq!(rx.recv_timeout(BOUND), Ok(1));
        waiter.join().unwrap();
    }

    #[test]
    fn owned_write_guards_wake_condition_waiters_in_every_mode() {
        owned_write_wakes_waiters::<Mutex>();
        owned_write_wakes_waiters::<Rw>();
        owned_write_wakes_waiters::<ReadMostly>();
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "already holds the lock")]
    fn an_owned_guard_keeps_the_debug_record() {
        let shared: Arc<Guarded<u32, Mutex>> = Arc::new(Guarded::new(0));
        let _held = shared.read_arc();
        let _again = shared.write();
    }
}
