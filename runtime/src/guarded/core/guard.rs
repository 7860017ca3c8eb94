//! The guards that [`Guarded`](crate::Guarded) hands out. One type per kind of access, the
//! same in every mode, so code that holds a guard does not change when the mode does.
//!
//! What only one mode has lives in that mode's file: rw's `UpgradableReadGuard` and
//! `WriteGuard::downgrade` are in `mode/rw.rs`.
//!
//! A guard is the only way to the data: it derefs to the state while it lives and releases
//! the lock when it drops, also when the code holding it panics (there is no poisoning:
//! the data may then be half-updated, as with `parking_lot`).

use core::fmt;
use core::ops::{Deref, DerefMut};
use core::time::Duration;

use crate::guarded::core::mode::{Acquire, Mode};
use crate::guarded::core::when::deadline_after;
use crate::order::{self, Held};

/// Shared, read-only access: what `read()` returns.
///
/// It implements `Deref` but not `DerefMut`: to change the state, take
/// [`write()`](crate::Guarded::write) instead.
///
/// - [`Mutex`](crate::mode::Mutex): holds the exclusive lock.
/// - [`Rw`](crate::mode::Rw): holds a shared lock; other readers may hold one too.
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
    _held: Held<'a>,
    // The profile's sample of a shared hold (`()` in mutex mode and without the feature).
    _sample: M::ReadSample,
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
    _held: Held<'a>,
}

impl<'a, T: 'a, M: Mode> ReadGuard<'a, T, M> {
    #[inline]
    pub(crate) fn new(inner: M::ReadInner<'a, T>, held: Held<'a>, sample: M::ReadSample) -> Self {
        Self {
            inner,
            _held: held,
            _sample: sample,
        }
    }
}

impl<'a, T: 'a, M: Mode> WriteGuard<'a, T, M> {
    #[inline]
    pub(crate) fn new(inner: M::WriteInner<'a, T>, held: Held<'a>) -> Self {
        Self { inner, _held: held }
    }
}

/// Taken apart by the mapped and owned guards (`mapped.rs`, `guarded/owned.rs`), which keep the
/// record of holding the lock as it is and turn only the lock's guard into another.
impl<'a, T: 'a, M: Mode> ReadGuard<'a, T, M> {
    #[inline]
    pub(crate) fn into_parts(self) -> (M::ReadInner<'a, T>, Held<'a>, M::ReadSample) {
        (self.inner, self._held, self._sample)
    }
}

impl<'a, T: 'a, M: Mode> WriteGuard<'a, T, M> {
    #[inline]
    pub(crate) fn into_parts(self) -> (M::WriteInner<'a, T>, Held<'a>) {
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
