//! The storage and guards of [`mode::ReadMostly`](crate::mode::ReadMostly): read-copy-update
//! on `arc-swap`.
//!
//! The current version of the state lives in an `Arc` published through an
//! [`ArcSwapOption`]. A reader loads it (no lock, no waiting) and keeps that version alive
//! for as long as it holds the [`Snapshot`]. A writer takes the writer lock (so writers
//! queue and no update is lost), clones the current version into a [`Staged`] copy, and
//! publishes the copy when the guard drops. Reclamation of old versions is arc-swap's job.
//!
//! The slot is an `Option` only so that [`RcuCell::exclusive`] can move the `Arc` out
//! while it lends `&mut T`, and put it back when its guard drops; it is `Some` at every
//! other moment.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::time::Duration;
use std::sync::Arc;

use arc_swap::ArcSwapOption;

/// The lock of [`mode::ReadMostly`](crate::mode::ReadMostly): the published version and
/// the lock that serializes writers. Use it through [`Guarded`](crate::Guarded).
///
/// ```
/// use lockwise::{mode::ReadMostly, Guarded};
///
/// let flags: Guarded<Vec<bool>, ReadMostly> = Guarded::new(vec![true]);
/// assert!(flags.read()[0]);
/// ```
pub struct RcuCell<T> {
    current: ArcSwapOption<T>,
    writers: parking_lot::Mutex<()>,
}

impl<T> RcuCell<T> {
    pub(crate) fn new(value: T) -> Self {
        Self {
            current: ArcSwapOption::new(Some(Arc::new(value))),
            writers: parking_lot::Mutex::new(()),
        }
    }

    #[inline]
    pub(crate) fn load(&self) -> Snapshot<'_, T> {
        Snapshot {
            version: self.current.load(),
            _cell: PhantomData,
        }
    }
}

impl<T: Clone> RcuCell<T> {
    pub(crate) fn stage(&self) -> Staged<'_, T> {
        self.stage_under(self.writers.lock())
    }

    pub(crate) fn try_stage(&self) -> Option<Staged<'_, T>> {
        self.writers.try_lock().map(|w| self.stage_under(w))
    }

    pub(crate) fn try_stage_for(&self, timeout: Duration) -> Option<Staged<'_, T>> {
        self.writers
            .try_lock_for(timeout)
            .map(|w| self.stage_under(w))
    }

    /// Clones the current version while holding the writer lock, so the copy cannot miss
    /// an update that another writer published in between.
    fn stage_under<'a>(&'a self, writer: parking_lot::MutexGuard<'a, ()>) -> Staged<'a, T> {
        let copy = T::clone(&self.load());
        Staged {
            copy: Some(copy),
            current: &self.current,
            panicking_at_start: std::thread::panicking(),
            _writer: writer,
        }
    }

    pub(crate) fn exclusive(&mut self) -> Exclusive<'_, T> {
        // `&mut self` proves no snapshot or writer exists, so the `Arc` taken out here is
        // the only one.
        let mut version = self
            .current
            .swap(None)
            .unwrap_or_else(|| leaked_exclusive());
        // A check, not a clone, since the `Arc` is unique; it establishes the invariant
        // `Exclusive::deref_mut` relies on without a panic path here.
        Arc::make_mut(&mut version);
        Exclusive {
            version,
            current: &self.current,
        }
    }

    pub(crate) fn into_inner(self) -> T {
        let version = self
            .current
            .into_inner()
            .unwrap_or_else(|| leaked_exclusive());
        Arc::unwrap_or_clone(version)
    }
}

#[cold]
#[track_caller]
fn leaked_exclusive() -> ! {
    panic!(
        "lockwise: this read_mostly value is gone: a `get_mut()` guard of it was leaked \
         (mem::forget) before it could put the value back"
    )
}

/// A consistent snapshot of a [`ReadMostly`](crate::mode::ReadMostly) value: what
/// `read()` returns in that mode. It never changes while held, and holding it blocks no
/// one; a writer publishes a new version beside it.
///
/// Hold it briefly all the same: arc-swap keeps a few fast slots per thread, and a
/// long-lived snapshot makes the next loads take a slower path.
///
/// ```
/// use lockwise::{mode::ReadMostly, Guarded};
///
/// let v: Guarded<u32, ReadMostly> = Guarded::new(1);
/// let snapshot = v.read();
/// *v.write() = 2;
/// assert_eq!((*snapshot, *v.read()), (1, 2));
/// ```
pub struct Snapshot<'a, T> {
    version: arc_swap::Guard<Option<Arc<T>>>,
    // Ties the snapshot to the cell, so `get_mut`/`into_inner` (which need `&mut`/ownership)
    // can rely on no snapshot being alive.
    _cell: PhantomData<&'a RcuCell<T>>,
}

impl<T> Deref for Snapshot<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        match &*self.version {
            Some(version) => version,
            None => leaked_exclusive(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Snapshot<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

/// The private copy a [`ReadMostly`](crate::mode::ReadMostly) writer changes: what
/// `write()` returns in that mode. Dropping it publishes the copy, unless the thread is
/// panicking, in which case the copy is discarded and readers keep the last good version.
///
/// ```
/// use lockwise::{mode::ReadMostly, Guarded};
///
/// let v: Guarded<Vec<u8>, ReadMostly> = Guarded::new(vec![]);
/// {
///     let mut staged = v.write();
///     staged.push(1);
///     assert!(v.read().is_empty()); // not published yet
/// }
/// assert_eq!(*v.read(), [1]);
/// ```
pub struct Staged<'a, T> {
    /// `Some` until `drop` publishes it.
    copy: Option<T>,
    current: &'a ArcSwapOption<T>,
    /// A guard created while unwinding must still publish; only a panic that starts
    /// while it is held discards the copy (std's poison flag makes the same distinction).
    panicking_at_start: bool,
    // Declared last: the writer lock is released after `drop` has published.
    _writer: parking_lot::MutexGuard<'a, ()>,
}

impl<T> Deref for Staged<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        match &self.copy {
            Some(copy) => copy,
            None => unreachable!("the copy is taken only in drop"),
        }
    }
}

impl<T> DerefMut for Staged<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.copy {
            Some(copy) => copy,
            None => unreachable!("the copy is taken only in drop"),
        }
    }
}

impl<T> Drop for Staged<'_, T> {
    fn drop(&mut self) {
        let panicked_while_held = std::thread::panicking() && !self.panicking_at_start;
        if let Some(copy) = self.copy.take()
            && !panicked_while_held
        {
            self.current.store(Some(Arc::new(copy)));
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Staged<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

/// Exclusive access to a [`ReadMostly`](crate::mode::ReadMostly) value through
/// `get_mut(&mut self)`: no lock and no copy. The value is out of readers' reach while
/// this guard lives (the `&mut` borrow proves there are none) and goes back when it drops.
///
/// ```
/// use lockwise::{mode::ReadMostly, Guarded};
///
/// let mut v: Guarded<Vec<u8>, ReadMostly> = Guarded::new(vec![1]);
/// v.get_mut().push(2);
/// assert_eq!(*v.read(), [1, 2]);
/// ```
pub struct Exclusive<'a, T> {
    /// Unique: made so by `RcuCell::exclusive`, and never cloned while the guard lives.
    version: Arc<T>,
    current: &'a ArcSwapOption<T>,
}

impl<T> Deref for Exclusive<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.version
    }
}

impl<T> DerefMut for Exclusive<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        match Arc::get_mut(&mut self.version) {
            Some(value) => value,
            None => unreachable!("the version is unique while the guard lives"),
        }
    }
}

impl<T> Drop for Exclusive<'_, T> {
    fn drop(&mut self) {
        self.current.store(Some(Arc::clone(&self.version)));
    }
}

impl<T: fmt::Debug> fmt::Debug for Exclusive<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}
