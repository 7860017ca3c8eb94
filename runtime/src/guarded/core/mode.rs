//! The contract between the lock core and a mode: [`Mode`] (what a mode stores and hands
//! out) and [`Acquire`] (the operations on it, each with bounded waiting). A mode implements
//! both in its own file under `mode/`; the core never names a mode.

use core::ops::{Deref, DerefMut};
use core::time::Duration;
use std::time::Instant;

#[cfg(feature = "async")]
use crate::guarded::core::condition::tasks::Listening;
use crate::guarded::core::waiters::Waiters;
use crate::order::{Checked, GuardSample};
use crate::vocabulary::Kind;

/// Every mode implements it, in its own file; nothing outside the crate can.
pub(crate) mod sealed {
    pub trait Sealed {}
}

/// What a lock mode stores and hands out. Implemented by [`Mutex`](crate::mode::Mutex),
/// [`Rw`](crate::mode::Rw) and [`ReadMostly`](crate::mode::ReadMostly) only (the trait is
/// sealed).
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
    /// What the profile calls a lock of this mode (the same word as [`NAME`](Self::NAME)).
    #[doc(hidden)]
    const KIND: Kind;
    /// Whether `read()` can wait for a writer. Debug builds check the lock order of
    /// per-field locks only for acquisitions that can wait.
    const READ_CAN_BLOCK: bool;
    /// The primitive that stores the value.
    type Lock<T>;
    /// What `read()` holds.
    type ReadInner<'a, T: 'a>: Deref<Target = T>;
    /// What a read guard carries to time its hold for the profile: a sample where reads
    /// are shared, nothing where a read is exclusive (its sample rides in the lock's word).
    #[doc(hidden)]
    type ReadSample: GuardSample;
    /// What `write()` holds.
    type WriteInner<'a, T: 'a>: DerefMut<Target = T>;
    /// What `get_mut()` returns: `&mut T`, except for
    /// [`ReadMostly`](crate::mode::ReadMostly), where it is a copy published when the guard
    /// drops (as `write()` returns, without the writer lock).
    type Exclusive<'a, T: 'a>: DerefMut<Target = T>;
}

/// The operations a mode offers for values of type `T`. `Mutex` and `Rw` lock any `T`;
/// `ReadMostly` needs `T: Clone`, because each write works on a copy.
///
/// Sealed: the methods are the runtime's plumbing; use them through
/// [`Guarded`](crate::Guarded). Every operation that can wait takes a `Checked` proof
/// (the debug-build deadlock checks ran) and waits with bounded waiting (`core/fair.rs`).
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
    fn read<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        checked: Checked,
    ) -> Self::ReadInner<'a, T>;
    #[doc(hidden)]
    fn try_read<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::ReadInner<'a, T>>;
    #[doc(hidden)]
    fn try_read_for<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        timeout: Duration,
        checked: Checked,
    ) -> Option<Self::ReadInner<'a, T>>;
    #[doc(hidden)]
    fn write<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        checked: Checked,
    ) -> Self::WriteInner<'a, T>;
    /// The first attempt of a counted blocking acquisition (feature `profile`), which
    /// must not wait: [`try_read`](Self::try_read), or an attempt as cheap as the
    /// blocking path's own first step where `try_read` costs more.
    #[doc(hidden)]
    #[inline]
    fn try_read_first<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::ReadInner<'a, T>> {
        Self::try_read(lock, waiters)
    }
    /// The same for a counted blocking write.
    #[doc(hidden)]
    #[inline]
    fn try_write_first<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::WriteInner<'a, T>> {
        Self::try_write(lock, waiters)
    }
    #[doc(hidden)]
    fn try_write<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::WriteInner<'a, T>>;
    #[doc(hidden)]
    fn try_write_for<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        timeout: Duration,
        checked: Checked,
    ) -> Option<Self::WriteInner<'a, T>>;
    /// Shared access once `ready` holds; `None` if `deadline` passes first.
    #[doc(hidden)]
    fn read_when<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        checked: Checked,
        ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> Option<Self::ReadInner<'a, T>>;
    /// Exclusive access once `ready` holds; `None` if `deadline` passes first.
    #[doc(hidden)]
    fn write_when<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        checked: Checked,
        ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> Option<Self::WriteInner<'a, T>>;
    /// One try of `read_when_async` (feature `async`): shared access if `ready` holds now;
    /// otherwise the caller is registered as a waiting task and holds no lock.
    #[cfg(feature = "async")]
    #[doc(hidden)]
    fn read_when_or_listen<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        checked: Checked,
        ready: &mut impl FnMut(&T) -> bool,
    ) -> Result<Self::ReadInner<'a, T>, Listening<'a>>;
    /// One try of `write_when_async` (feature `async`): exclusive access if `ready` holds
    /// now; otherwise the caller is registered as a waiting task and holds no lock.
    #[cfg(feature = "async")]
    #[doc(hidden)]
    fn write_when_or_listen<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        checked: Checked,
        ready: &mut impl FnMut(&T) -> bool,
    ) -> Result<Self::WriteInner<'a, T>, Listening<'a>>;
    /// Releases the write lock `inner` holds (publishing, in read_mostly mode), waits until
    /// `ready` holds or `deadline` passes, and takes the lock back into `inner`. Returns
    /// whether `ready` holds.
    #[doc(hidden)]
    fn wait_until<'a>(
        inner: &mut Self::WriteInner<'a, T>,
        checked: Checked,
        ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> bool;
    #[doc(hidden)]
    fn get_mut(lock: &mut Self::Lock<T>) -> Self::Exclusive<'_, T>;
    #[doc(hidden)]
    fn into_inner(lock: Self::Lock<T>) -> T;
}
