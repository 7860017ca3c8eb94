//! The three lock modes of [`Guarded`](crate::Guarded), as zero-sized type markers.
//!
//! A mode decides which primitive stores the value and what the guards are. The
//! API on top ([`Guarded::read`](crate::Guarded::read), `write`, `with_read`, ...)
//! is the same for all three, so switching is a one-word change:
//!
//! | mode | primitive | `read()` | `write()` | pick it when |
//! | --- | --- | --- | --- | --- |
//! | [`Mutex`] | `parking_lot::Mutex` | exclusive lock, read-only guard | exclusive lock | writes are common, or critical sections are tiny |
//! | [`Rw`] | `parking_lot::RwLock` | shared lock | exclusive lock | reads dominate and readers overlap |
//! | [`ReadMostly`] | `arc-swap` + a writer lock | a snapshot; never waits | copies the state, publishes on drop | written at startup, read per request |
//!
//! ```
//! use lockwise::{mode, Guarded};
//!
//! let hits: Guarded<u64, mode::Rw> = Guarded::new(0);
//! *hits.write() += 1;
//! assert_eq!(*hits.read(), 1);
//! ```

use core::ops::{Deref, DerefMut};
use core::time::Duration;

use crate::guarded::read_mostly::{RcuCell, Snapshot, Staged};
use crate::order::Checked;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Mutex {}
    impl Sealed for super::Rw {}
    impl Sealed for super::ReadMostly {}
}

/// Mode marker: one `parking_lot::Mutex` around the value.
///
/// `read()` takes the same exclusive lock as `write()` but hands out a read-only guard,
/// so the code says what it means and a later switch to [`Rw`] changes nothing else.
///
/// ```
/// use lockwise::{mode, Guarded};
///
/// let total: Guarded<u64, mode::Mutex> = Guarded::new(0);
/// total.with_write(|t| *t += 5);
/// assert_eq!(total.with_read(|t| *t), 5);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Mutex;

/// Mode marker: one `parking_lot::RwLock` around the value; readers share it.
///
/// ```
/// use lockwise::{mode, Guarded};
///
/// let names: Guarded<Vec<String>, mode::Rw> = Guarded::new(vec!["a".into()]);
/// let held = names.read();
/// std::thread::scope(|s| {
///     // Another reader gets in while `held` is alive; a writer would wait.
///     s.spawn(|| assert_eq!(names.read().len(), 1)).join().unwrap();
///     s.spawn(|| assert!(names.try_write().is_none())).join().unwrap();
/// });
/// drop(held);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rw;

/// Mode marker: read-copy-update on `arc-swap`, for state written rarely and read constantly.
///
/// Reads never wait and never block a writer: `read()` returns a snapshot that stays the same
/// while it is held. Each write clones the whole state (O(size)), changes the copy, and
/// publishes it when the guard drops; writers are serialized by a lock, so no update is lost.
/// Use [`Rw`] for state that is written often or is expensive to clone.
///
/// ```
/// use lockwise::{mode, Guarded};
///
/// let routes: Guarded<Vec<&str>, mode::ReadMostly> = Guarded::new(vec!["/"]);
/// let before = routes.read();                 // a snapshot
/// routes.write().push("/health");             // copy, change, publish
/// assert_eq!(before.len(), 1);                // the snapshot did not change
/// assert_eq!(routes.read().len(), 2);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ReadMostly;

/// What a lock mode stores and hands out. Implemented by [`Mutex`], [`Rw`] and
/// [`ReadMostly`] only (the trait is sealed).
///
/// ```
/// use lockwise::mode::{Mode, Rw};
///
/// fn describe<M: Mode>() -> &'static str { M::NAME }
/// assert_eq!(describe::<Rw>(), "rw");
/// ```
pub trait Mode: sealed::Sealed + Sized + 'static {
    /// The attribute word that selects this mode: `"mutex"`, `"rw"` or `"read_mostly"`.
    const NAME: &'static str;
    /// Whether `read()` can wait for a writer. Debug builds check the lock order of
    /// per-field locks only for acquisitions that can wait.
    const READ_CAN_BLOCK: bool;
    /// The primitive that stores the value.
    type Lock<T>;
    /// What `read()` holds.
    type ReadInner<'a, T: 'a>: Deref<Target = T>;
    /// What `write()` holds.
    type WriteInner<'a, T: 'a>: DerefMut<Target = T>;
    /// What `get_mut()` returns: `&mut T`, except for [`ReadMostly`], where it is a copy
    /// published when the guard drops (as `write()` returns, without the writer lock).
    type Exclusive<'a, T: 'a>: DerefMut<Target = T>;
}

/// The operations a mode offers for values of type `T`. `Mutex` and `Rw` lock any `T`;
/// `ReadMostly` needs `T: Clone`, because each write works on a copy.
///
/// Sealed: the methods are the runtime's plumbing; use them through
/// [`Guarded`](crate::Guarded).
///
/// ```
/// use lockwise::mode::{Acquire, ReadMostly, Rw};
///
/// fn lockable<T, M: Acquire<T>>() {}
/// lockable::<String, Rw>();
/// lockable::<String, ReadMostly>(); // String is Clone
/// ```
pub trait Acquire<T>: Mode {
    #[doc(hidden)]
    fn new_lock(value: T) -> Self::Lock<T>;
    #[doc(hidden)]
    fn read(lock: &Self::Lock<T>, checked: Checked) -> Self::ReadInner<'_, T>;
    #[doc(hidden)]
    fn try_read(lock: &Self::Lock<T>) -> Option<Self::ReadInner<'_, T>>;
    #[doc(hidden)]
    fn try_read_for(
        lock: &Self::Lock<T>,
        timeout: Duration,
        checked: Checked,
    ) -> Option<Self::ReadInner<'_, T>>;
    #[doc(hidden)]
    fn write(lock: &Self::Lock<T>, checked: Checked) -> Self::WriteInner<'_, T>;
    #[doc(hidden)]
    fn try_write(lock: &Self::Lock<T>) -> Option<Self::WriteInner<'_, T>>;
    #[doc(hidden)]
    fn try_write_for(
        lock: &Self::Lock<T>,
        timeout: Duration,
        checked: Checked,
    ) -> Option<Self::WriteInner<'_, T>>;
    #[doc(hidden)]
    fn get_mut(lock: &mut Self::Lock<T>) -> Self::Exclusive<'_, T>;
    #[doc(hidden)]
    fn into_inner(lock: Self::Lock<T>) -> T;
}

impl Mode for Mutex {
    const NAME: &'static str = "mutex";
    const READ_CAN_BLOCK: bool = true;
    type Lock<T> = parking_lot::Mutex<T>;
    type ReadInner<'a, T: 'a> = parking_lot::MutexGuard<'a, T>;
    type WriteInner<'a, T: 'a> = parking_lot::MutexGuard<'a, T>;
    type Exclusive<'a, T: 'a> = &'a mut T;
}

impl<T> Acquire<T> for Mutex {
    #[inline]
    fn new_lock(value: T) -> Self::Lock<T> {
        parking_lot::Mutex::new(value)
    }
    #[inline]
    fn read(lock: &Self::Lock<T>, _: Checked) -> Self::ReadInner<'_, T> {
        lock.lock()
    }
    #[inline]
    fn try_read(lock: &Self::Lock<T>) -> Option<Self::ReadInner<'_, T>> {
        lock.try_lock()
    }
    #[inline]
    fn try_read_for(
        lock: &Self::Lock<T>,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::ReadInner<'_, T>> {
        lock.try_lock_for(timeout)
    }
    #[inline]
    fn write(lock: &Self::Lock<T>, _: Checked) -> Self::WriteInner<'_, T> {
        lock.lock()
    }
    #[inline]
    fn try_write(lock: &Self::Lock<T>) -> Option<Self::WriteInner<'_, T>> {
        lock.try_lock()
    }
    #[inline]
    fn try_write_for(
        lock: &Self::Lock<T>,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::WriteInner<'_, T>> {
        lock.try_lock_for(timeout)
    }
    #[inline]
    fn get_mut(lock: &mut Self::Lock<T>) -> Self::Exclusive<'_, T> {
        lock.get_mut()
    }
    #[inline]
    fn into_inner(lock: Self::Lock<T>) -> T {
        lock.into_inner()
    }
}

impl Mode for Rw {
    const NAME: &'static str = "rw";
    const READ_CAN_BLOCK: bool = true;
    type Lock<T> = parking_lot::RwLock<T>;
    type ReadInner<'a, T: 'a> = parking_lot::RwLockReadGuard<'a, T>;
    type WriteInner<'a, T: 'a> = parking_lot::RwLockWriteGuard<'a, T>;
    type Exclusive<'a, T: 'a> = &'a mut T;
}

impl<T> Acquire<T> for Rw {
    #[inline]
    fn new_lock(value: T) -> Self::Lock<T> {
        parking_lot::RwLock::new(value)
    }
    #[inline]
    fn read(lock: &Self::Lock<T>, _: Checked) -> Self::ReadInner<'_, T> {
        lock.read()
    }
    #[inline]
    fn try_read(lock: &Self::Lock<T>) -> Option<Self::ReadInner<'_, T>> {
        lock.try_read()
    }
    #[inline]
    fn try_read_for(
        lock: &Self::Lock<T>,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::ReadInner<'_, T>> {
        lock.try_read_for(timeout)
    }
    #[inline]
    fn write(lock: &Self::Lock<T>, _: Checked) -> Self::WriteInner<'_, T> {
        lock.write()
    }
    #[inline]
    fn try_write(lock: &Self::Lock<T>) -> Option<Self::WriteInner<'_, T>> {
        lock.try_write()
    }
    #[inline]
    fn try_write_for(
        lock: &Self::Lock<T>,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::WriteInner<'_, T>> {
        lock.try_write_for(timeout)
    }
    #[inline]
    fn get_mut(lock: &mut Self::Lock<T>) -> Self::Exclusive<'_, T> {
        lock.get_mut()
    }
    #[inline]
    fn into_inner(lock: Self::Lock<T>) -> T {
        lock.into_inner()
    }
}

impl Mode for ReadMostly {
    const NAME: &'static str = "read_mostly";
    const READ_CAN_BLOCK: bool = false;
    type Lock<T> = RcuCell<T>;
    type ReadInner<'a, T: 'a> = Snapshot<'a, T>;
    type WriteInner<'a, T: 'a> = Staged<'a, T>;
    type Exclusive<'a, T: 'a> = Staged<'a, T>;
}

/// A read never waits, so the `try_` and `_for` forms of `read` always succeed; they exist
/// so that code written against `Rw` compiles unchanged.
impl<T: Clone> Acquire<T> for ReadMostly {
    #[inline]
    fn new_lock(value: T) -> Self::Lock<T> {
        RcuCell::new(value)
    }
    #[inline]
    fn read(lock: &Self::Lock<T>, _: Checked) -> Self::ReadInner<'_, T> {
        lock.load()
    }
    #[inline]
    fn try_read(lock: &Self::Lock<T>) -> Option<Self::ReadInner<'_, T>> {
        Some(lock.load())
    }
    #[inline]
    fn try_read_for(
        lock: &Self::Lock<T>,
        _timeout: Duration,
        _: Checked,
    ) -> Option<Self::ReadInner<'_, T>> {
        Some(lock.load())
    }
    #[inline]
    fn write(lock: &Self::Lock<T>, _: Checked) -> Self::WriteInner<'_, T> {
        lock.stage()
    }
    #[inline]
    fn try_write(lock: &Self::Lock<T>) -> Option<Self::WriteInner<'_, T>> {
        lock.try_stage()
    }
    #[inline]
    fn try_write_for(
        lock: &Self::Lock<T>,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::WriteInner<'_, T>> {
        lock.try_stage_for(timeout)
    }
    #[inline]
    fn get_mut(lock: &mut Self::Lock<T>) -> Self::Exclusive<'_, T> {
        lock.exclusive()
    }
    #[inline]
    fn into_inner(lock: Self::Lock<T>) -> T {
        lock.into_inner()
    }
}
