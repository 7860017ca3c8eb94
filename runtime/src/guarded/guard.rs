//! The guards that [`Guarded`](crate::Guarded) hands out. One type per kind of access, the
//! same in every mode, so code that holds a guard does not change when the mode does.
//!
//! A guard is the only way to the data: it derefs to the state while it lives and releases
//! the lock when it drops, also when the code holding it panics (there is no poisoning:
//! the data may then be half-updated, as with `parking_lot`).

use core::fmt;
use core::ops::{Deref, DerefMut};

use core::time::Duration;

use crate::guarded::condition::{self, deadline_after};
use crate::guarded::fair::{Fair, Waiters};
use crate::guarded::mode::{Acquire, Mode, Rw};
use crate::order::{self, Held};

/// Shared, read-only access: what `read()` returns.
///
/// It implements `Deref` but not `DerefMut`: to change the state, take
/// [`write()`](crate::Guarded::write) instead.
///
/// - [`Mutex`](crate::mode::Mutex): holds the exclusive lock.
/// - [`Rw`]: holds a shared lock; other readers may hold one too.
/// - [`ReadMostly`](crate::mode::ReadMostly): holds a snapshot and no lock at all.
///
/// ```
/// use lockwise::{mode::Rw, Guarded};
///
/// let v: Guarded<Vec<u32>, Rw> = Guarded::new(vec![1, 2]);
/// let guard = v.read();
/// assert_eq!(guard.iter().sum::<u32>(), 3);
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct ReadGuard<'a, T: 'a, M: Mode> {
    inner: M::ReadInner<'a, T>,
    // After `inner`: the lock is released before the record of holding it is removed.
    _held: Held,
}

/// Exclusive access: what `write()` returns. Derefs mutably to the state.
///
/// In [`ReadMostly`](crate::mode::ReadMostly) mode it holds a private copy, published
/// when the guard drops.
///
/// ```
/// use lockwise::{mode::Mutex, Guarded};
///
/// let v: Guarded<Vec<u32>, Mutex> = Guarded::new(vec![]);
/// v.write().push(7);
/// assert_eq!(*v.read(), [7]);
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct WriteGuard<'a, T: 'a, M: Mode> {
    inner: M::WriteInner<'a, T>,
    _held: Held,
}

/// A read that may become a write without letting another writer in between: what
/// [`Guarded::upgradable_read`](crate::Guarded::upgradable_read) returns (`rw` mode).
///
/// Only one upgradable reader exists at a time; plain readers can share the lock with it.
///
/// ```
/// use lockwise::{mode::Rw, Guarded, UpgradableReadGuard};
///
/// let v: Guarded<Vec<u32>, Rw> = Guarded::new(vec![]);
/// let guard = v.upgradable_read();
/// if guard.is_empty() {
///     UpgradableReadGuard::upgrade(guard).push(1);
/// }
/// assert_eq!(*v.read(), [1]);
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct UpgradableReadGuard<'a, T: 'a> {
    inner: Fair<'a, parking_lot::RwLockUpgradableReadGuard<'a, T>, false>,
    _held: Held,
}

impl<'a, T: 'a, M: Mode> ReadGuard<'a, T, M> {
    #[inline]
    pub(crate) fn new(inner: M::ReadInner<'a, T>, held: Held) -> Self {
        Self { inner, _held: held }
    }
}

impl<'a, T: 'a, M: Mode> WriteGuard<'a, T, M> {
    #[inline]
    pub(crate) fn new(inner: M::WriteInner<'a, T>, held: Held) -> Self {
        Self { inner, _held: held }
    }
}

/// Taken apart by the mapped and owned guards (`mapped.rs`, `owned.rs`), which keep the
/// record of holding the lock as it is and turn only the lock's guard into another.
impl<'a, T: 'a, M: Mode> ReadGuard<'a, T, M> {
    #[inline]
    pub(crate) fn into_parts(self) -> (M::ReadInner<'a, T>, Held) {
        (self.inner, self._held)
    }
}

impl<'a, T: 'a, M: Mode> WriteGuard<'a, T, M> {
    #[inline]
    pub(crate) fn into_parts(self) -> (M::WriteInner<'a, T>, Held) {
        (self.inner, self._held)
    }
}

impl<'a, T: 'a, M: Acquire<T>> WriteGuard<'a, T, M> {
    /// Waits, holding this guard, until `ready` returns true for the state (Abseil's
    /// `Mutex::Await`): releases the lock (what this guard changed counts as a write, and
    /// wakes other waiters; in read_mostly mode the copy is published), sleeps until a
    /// writer releases the lock, takes it back and checks again. Returns whether `ready`
    /// holds: `false` if `timeout` passed first. Either way the guard holds the lock again
    /// when this returns. If `ready` is true at once, nothing is released.
    ///
    /// An associated function (`WriteGuard::wait_until(&mut g, ..)`), so that it never
    /// shadows a method of the state. Debug builds panic if this thread holds another
    /// lockwise lock.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lockwise::{mode::Mutex, Guarded, WriteGuard};
    ///
    /// let stock: Guarded<u32, Mutex> = Guarded::new(0);
    /// std::thread::scope(|s| {
    ///     s.spawn(|| *stock.write() += 5);
    ///     let mut g = stock.write();
    ///     assert!(WriteGuard::wait_until(&mut g, |n| *n >= 5, Duration::from_secs(60)));
    ///     *g -= 5;
    /// });
    /// assert_eq!(*stock.read(), 0);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn wait_until(this: &mut Self, ready: impl FnMut(&T) -> bool, timeout: Duration) -> bool {
        let checked = order::check_waits_alone(&this._held);
        M::wait_until(&mut this.inner, checked, ready, deadline_after(timeout))
    }
}

impl<'a, T: 'a> WriteGuard<'a, T, Rw> {
    /// Turns the write lock into a read lock without releasing it, so no writer can
    /// slip in between. An associated function (`WriteGuard::downgrade(g)`) so that it
    /// never shadows a method of the state.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded, WriteGuard};
    ///
    /// let v: Guarded<u32, Rw> = Guarded::new(0);
    /// let mut w = v.write();
    /// *w = 5;
    /// let r = WriteGuard::downgrade(w);
    /// std::thread::scope(|s| {
    ///     // Readers may now join; no writer got in between.
    ///     s.spawn(|| assert_eq!(*v.read(), 5)).join().unwrap();
    /// });
    /// assert_eq!(*r, 5);
    /// ```
    pub fn downgrade(this: Self) -> ReadGuard<'a, T, Rw> {
        let Self { inner, _held } = this;
        let (inner, waiters) = inner.into_parts();
        // Read while the write lock is held, as every release does: readers waiting for a
        // condition may proceed now.
        let word = waiters.load();
        let read = parking_lot::RwLockWriteGuard::downgrade(inner);
        if Waiters::has_condition_waiters(word) {
            condition::notify(waiters);
        }
        ReadGuard::new(read, _held)
    }
}

impl<'a, T: 'a> UpgradableReadGuard<'a, T> {
    #[inline]
    pub(crate) fn new(
        inner: parking_lot::RwLockUpgradableReadGuard<'a, T>,
        waiters: &'a Waiters,
        held: Held,
    ) -> Self {
        Self {
            inner: Fair::new(inner, waiters),
            _held: held,
        }
    }

    /// Waits for the other readers to leave, then turns this guard into a write guard.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded, UpgradableReadGuard};
    ///
    /// let v: Guarded<u32, Rw> = Guarded::new(1);
    /// let mut w = UpgradableReadGuard::upgrade(v.upgradable_read());
    /// *w += 1;
    /// drop(w);
    /// assert_eq!(*v.read(), 2);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn upgrade(this: Self) -> WriteGuard<'a, T, Rw> {
        this._held.check_sole_holder();
        let Self { inner, _held } = this;
        let (inner, waiters) = inner.into_parts();
        WriteGuard::new(
            Fair::new(
                parking_lot::RwLockUpgradableReadGuard::upgrade(inner),
                waiters,
            ),
            _held,
        )
    }

    /// Upgrades if no other reader holds the lock right now; gives the guard back if one does.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded, UpgradableReadGuard};
    ///
    /// let v: Guarded<u32, Rw> = Guarded::new(1);
    /// let (reading, done) = (std::sync::Barrier::new(2), std::sync::Barrier::new(2));
    /// let guard = v.upgradable_read();
    /// let guard = std::thread::scope(|s| {
    ///     s.spawn(|| {
    ///         let _reader = v.read(); // another thread reads
    ///         reading.wait();
    ///         done.wait();
    ///     });
    ///     reading.wait();
    ///     let guard = UpgradableReadGuard::try_upgrade(guard).unwrap_err();
    ///     done.wait();
    ///     guard
    /// });
    /// assert!(UpgradableReadGuard::try_upgrade(guard).is_ok());
    /// ```
    pub fn try_upgrade(this: Self) -> Result<WriteGuard<'a, T, Rw>, Self> {
        let Self { inner, _held } = this;
        let (inner, waiters) = inner.into_parts();
        match parking_lot::RwLockUpgradableReadGuard::try_upgrade(inner) {
            Ok(inner) => Ok(WriteGuard::new(Fair::new(inner, waiters), _held)),
            Err(inner) => Err(Self::new(inner, waiters, _held)),
        }
    }
}

impl<'a, T: 'a, M: Mode> Deref for ReadGuard<'a, T, M> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<'a, T: 'a, M: Mode> Deref for WriteGuard<'a, T, M> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<'a, T: 'a, M: Mode> DerefMut for WriteGuard<'a, T, M> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<'a, T: 'a> Deref for UpgradableReadGuard<'a, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<'a, T: fmt::Debug + 'a, M: Mode> fmt::Debug for ReadGuard<'a, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<'a, T: fmt::Display + 'a, M: Mode> fmt::Display for ReadGuard<'a, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<'a, T: fmt::Debug + 'a, M: Mode> fmt::Debug for WriteGuard<'a, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<'a, T: fmt::Display + 'a, M: Mode> fmt::Display for WriteGuard<'a, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

impl<'a, T: fmt::Debug + 'a> fmt::Debug for UpgradableReadGuard<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}
