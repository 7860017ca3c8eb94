//! The storage and guards of [`mode::ReadMostly`](crate::mode::ReadMostly): read-copy-update
//! on `arc-swap`.
//!
//! The current version of the state lives in an `Arc` published through an [`ArcSwap`].
//! A reader loads it (no lock, no waiting) and keeps that version alive for as long as it
//! holds the [`Snapshot`]. A writer takes the writer lock (so writers queue and no update
//! is lost), clones the current version into a [`Staged`] copy, and publishes the copy
//! when the guard drops. Reclamation of old versions is arc-swap's job.
//!
//! `get_mut(&mut self)` stages a copy too, without the writer lock. arc-swap cannot lend
//! `&mut` to the value it holds; lending it without a copy would need a slot that can be
//! empty, and that costs every read a check (measured: 73 instead of 67 instructions per
//! `read()`). Reads are this mode's hot path; `get_mut` is not.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::time::Duration;
use std::sync::Arc;

use arc_swap::ArcSwap;
use std::time::Instant;

use crate::guarded::core::fair::{Fair, WriterLock, acquire_by};
use crate::guarded::core::waiters::Waiters;

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
    current: ArcSwap<T>,
    writers: parking_lot::Mutex<()>,
}

impl<T> RcuCell<T> {
    pub(crate) fn new(value: T) -> Self {
        Self {
            current: ArcSwap::from_pointee(value),
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

/// The arc-swap surface (`guarded/swap.rs`): whole versions in and out, without a copy.
impl<T> RcuCell<T> {
    /// The current version, as an `Arc` of its own (a reference count, no copy).
    #[inline]
    pub(crate) fn load_full(&self) -> Arc<T> {
        self.current.load_full()
    }

    /// Publishes `version` and returns the one it replaces. Callers hold the writer lock.
    #[inline]
    pub(crate) fn swap(&self, version: Arc<T>) -> Arc<T> {
        self.current.swap(version)
    }
}

impl<T> RcuCell<T> {
    /// The writer lock, with bounded waiting until `deadline` (or without a limit).
    #[inline]
    /// The writer lock if it is free now (the profile's first try).
    pub(crate) fn try_lock_writers(&self) -> Option<parking_lot::MutexGuard<'_, ()>> {
        self.writers.try_lock()
    }

    pub(crate) fn lock_writers(
        &self,
        waiters: &Waiters,
        deadline: Option<Instant>,
    ) -> Option<parking_lot::MutexGuard<'_, ()>> {
        acquire_by(waiters, deadline, |timeout| {
            self.writers.try_lock_for(timeout)
        })
    }
}

impl<T: Clone> RcuCell<T> {
    pub(crate) fn stage<'a>(&'a self, waiters: &'a Waiters) -> Staged<'a, T> {
        let writer = waiters.acquire(|timeout| self.writers.try_lock_for(timeout));
        self.stage_under(Some(Fair::new(writer, waiters)))
    }

    pub(crate) fn try_stage<'a>(&'a self, waiters: &'a Waiters) -> Option<Staged<'a, T>> {
        let writer = self.writers.try_lock()?;
        Some(self.stage_under(Some(Fair::new(writer, waiters))))
    }

    pub(crate) fn try_stage_for<'a>(
        &'a self,
        waiters: &'a Waiters,
        timeout: Duration,
    ) -> Option<Staged<'a, T>> {
        let writer = waiters.acquire_for(timeout, |timeout| self.writers.try_lock_for(timeout))?;
        Some(self.stage_under(Some(Fair::new(writer, waiters))))
    }

    /// A copy to change without the writer lock: `&mut self` already proves that no other
    /// writer exists (and no thread can be waiting for a condition on it).
    pub(crate) fn exclusive(&mut self) -> Staged<'_, T> {
        self.stage_under(None)
    }

    /// Clones the current version while holding the writer lock (or `&mut self`), so the
    /// copy cannot miss an update that another writer published in between.
    pub(crate) fn stage_under<'a>(&'a self, writer: Option<WriterLock<'a>>) -> Staged<'a, T> {
        let copy = T::clone(&self.load());
        Staged {
            copy: Some(copy),
            cell: self,
            panicking_at_start: std::thread::panicking(),
            writer,
        }
    }

    pub(crate) fn into_inner(self) -> T {
        // Ownership proves no snapshot is alive: this unwraps the `Arc` without cloning.
        Arc::unwrap_or_clone(self.current.into_inner())
    }
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
    version: arc_swap::Guard<Arc<T>>,
    // Ties the snapshot to the cell, as the other modes' read guards are tied to their lock.
    _cell: PhantomData<&'a RcuCell<T>>,
}

impl<'a, T> Snapshot<'a, T> {
    /// The snapshot's version as an `Arc` of its own, for guards that keep it in a cell
    /// (mapped and owned guards, `core/erased.rs`).
    #[inline]
    pub(crate) fn into_arc(self) -> Arc<T> {
        arc_swap::Guard::into_inner(self.version)
    }
}

impl<T> Deref for Snapshot<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.version
    }
}

impl<T: fmt::Debug> fmt::Debug for Snapshot<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}

/// The private copy a [`ReadMostly`](crate::mode::ReadMostly) writer changes: what
/// `write()` and `get_mut()` return in that mode. Dropping it publishes the copy, unless
/// the thread is panicking, in which case the copy is discarded and readers keep the last
/// good version.
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
    cell: &'a RcuCell<T>,
    /// A guard created while unwinding must still publish; only a panic that starts
    /// while it is held discards the copy (std's poison flag makes the same distinction).
    panicking_at_start: bool,
    /// `None` for `get_mut`, whose `&mut` borrow already excludes other writers.
    // Declared last: the writer lock is released (and waiters woken) after `drop` has
    // published.
    writer: Option<WriterLock<'a>>,
}

impl<'a, T> Staged<'a, T> {
    /// The cell this copy is staged for.
    pub(crate) fn cell(&self) -> &'a RcuCell<T> {
        self.cell
    }

    /// Hands over the writer lock, so that a writer can wait for a condition
    /// (`WriteGuard::wait_until`); the guard is then restaged. The copy is published when
    /// `publish` (what the writer changed before waiting), and dropped otherwise (a copy
    /// restaged after a wake-up, which nothing changed).
    pub(crate) fn release_for_wait(
        &mut self,
        publish: bool,
    ) -> (parking_lot::MutexGuard<'a, ()>, &'a Waiters) {
        match self.copy.take() {
            Some(copy) if publish => self.cell.current.store(Arc::new(copy)),
            _ => {}
        }
        match self.writer.take() {
            Some(writer) => writer.into_parts(),
            None => unreachable!("a write guard always holds the writer lock"),
        }
    }
}

/// A staged copy taken apart and put back together, so that its copy can live somewhere
/// else while the guard is mapped or owned (`read_mostly/mapped.rs`, `guarded/owned.rs`).
/// The publish on drop
/// stays here, in one place.
impl<'a, T> Staged<'a, T> {
    /// The copy, the cell, the panic flag and the writer lock; dropping what is left
    /// publishes nothing and releases nothing.
    pub(crate) fn into_parts(mut self) -> StagedParts<'a, T> {
        let copy = match self.copy.take() {
            Some(copy) => copy,
            None => unreachable!("the copy is taken only in drop"),
        };
        StagedParts {
            copy,
            cell: self.cell,
            panicking_at_start: self.panicking_at_start,
            writer: self.writer.take(),
        }
    }

    /// The guard again: dropping it publishes `parts.copy` (unless a panic started while
    /// it was held) and then releases the writer lock.
    pub(crate) fn from_parts(parts: StagedParts<'a, T>) -> Self {
        Self {
            copy: Some(parts.copy),
            cell: parts.cell,
            panicking_at_start: parts.panicking_at_start,
            writer: parts.writer,
        }
    }
}

/// The pieces of a [`Staged`] copy (see [`Staged::into_parts`]).
pub(crate) struct StagedParts<'a, T> {
    pub(crate) copy: T,
    pub(crate) cell: &'a RcuCell<T>,
    pub(crate) panicking_at_start: bool,
    pub(crate) writer: Option<WriterLock<'a>>,
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
        let copy = self.copy.take();
        if let (Some(copy), false) = (copy, panicked_while_held) {
            self.cell.current.store(Arc::new(copy));
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Staged<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}
