//! Owned guards: a guard that owns an `Arc` of what it locks, so it can be returned from the
//! function that took it or kept in a struct, without a borrow of the `Arc` (parking_lot's
//! `arc_lock`). Like every lockwise guard it stays on the thread that took it (`!Send`).
//!
//! parking_lot's `lock_arc` needs an `Arc<RwLock<T>>`; a `Guarded` usually sits inside the
//! user's type (`Arc<Cache>`, whose `Guarded` is a field), so these guards take an
//! `Arc<W>` of any `W` and a projection to the `Guarded` in it. `Arc<Guarded<T, M>>` is the
//! case where the projection is the identity ([`Guarded::read_arc`]).
//!
//! Inside is the mode's own guard, erased to `dyn Any`, next to the `Arc` (`erased.rs`): one
//! allocation per lock, and a type-id comparison per dereference. The state and `W` must be
//! `'static`. The lock is released exactly as by the guard it was made from.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use std::any::Any;
use std::sync::Arc;

use crate::guarded::erased::{
    Erase, HeldRead, HeldWrite, OwnedRead, OwnedWrite, downcast_mut, downcast_ref,
};
use crate::guarded::lock::Guarded;

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
            let (inner, held) = project(downcast_ref::<W>(&**owner)).read().into_parts();
            HeldRead {
                guard: M::erase_read(inner),
                _held: held,
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
