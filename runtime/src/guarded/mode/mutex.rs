//! Mutex mode: one `parking_lot::Mutex` around the value, with bounded waiting
//! (`core/fair.rs`). `read()` takes the exclusive lock too and hands out a read-only guard,
//! whose release checks the slow-path word like a write's (a thread re-reading in a loop
//! would starve a writer otherwise), but wakes no condition waiter.
//!
//! Mapping: parking_lot maps the write guard (`MappedMutexGuard`, kept inside [`Fair`]); it
//! cannot map the read-only guard (a mutex guard maps only through `&mut T`), so a mapped
//! read is the erased guard and the reference in a cell (`ProjectedReadGuard`).

use core::any::Any;
use core::time::Duration;
use std::time::Instant;

use parking_lot::MappedMutexGuard;

#[cfg(feature = "async")]
use crate::guarded::core::condition::tasks::Listening;
use crate::guarded::core::erased::{AnyRead, AnyWrite, Erase};
use crate::guarded::core::fair::{Fair, acquire_by};
use crate::guarded::core::mapped::{
    MapRead, MapWrite, MappedRead, MappedWrite, ProjectedReadGuard,
};
use crate::guarded::core::mode::sealed::Sealed;
use crate::guarded::core::mode::{Acquire, Mode};
use crate::guarded::core::waiters::Waiters;
#[cfg(feature = "async")]
use crate::guarded::core::when::lock_when_or_listen;
use crate::guarded::core::when::{lock_when, wait_in_place};
use crate::order::Checked;
use crate::vocabulary::Kind;

/// Mode marker: one `parking_lot::Mutex` around the value.
///
/// `read()` takes the same exclusive lock as `write()` but hands out a read-only guard,
/// so the code says what it means and a later switch to [`Rw`](crate::mode::Rw) changes
/// nothing else.
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

impl Sealed for Mutex {}

impl Mode for Mutex {
    const NAME: &'static str = "mutex";
    const KIND: Kind = Kind::Mutex;
    const READ_CAN_BLOCK: bool = true;
    type Lock<T> = parking_lot::Mutex<T>;
    type ReadInner<'a, T: 'a> = Fair<'a, parking_lot::MutexGuard<'a, T>, false>;
    type ReadSample = ();
    type WriteInner<'a, T: 'a> = Fair<'a, parking_lot::MutexGuard<'a, T>, true>;
    type Exclusive<'a, T: 'a> = &'a mut T;
}

/// The mutex, with bounded waiting until `deadline` (or without a limit).
#[inline]
fn lock_mutex<'a, T>(
    lock: &'a parking_lot::Mutex<T>,
    waiters: &Waiters,
    deadline: Option<Instant>,
) -> Option<parking_lot::MutexGuard<'a, T>> {
    acquire_by(waiters, deadline, |timeout| lock.try_lock_for(timeout))
}

/// The profile's first attempt at a mutex: parking_lot's timed lock with a zero timeout,
/// whose first step is `lock`'s one compare-and-swap (`try_lock` is a load, a test and a
/// compare-and-swap in a loop: 4 instructions more on every counted acquisition). When the
/// lock is taken it spins briefly before it gives up, so a lock freed within that spin is
/// not counted as waited for.
#[inline]
fn try_lock_first<T>(lock: &parking_lot::Mutex<T>) -> Option<parking_lot::MutexGuard<'_, T>> {
    lock.try_lock_for(Duration::ZERO)
}

impl<T> Acquire<T> for Mutex {
    #[inline]
    fn new_lock(value: T) -> Self::Lock<T> {
        parking_lot::Mutex::new(value)
    }
    #[inline]
    fn read<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
    ) -> Self::ReadInner<'a, T> {
        Fair::new(
            waiters.acquire(|timeout| lock.try_lock_for(timeout)),
            waiters,
        )
    }
    #[inline]
    fn try_read<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::ReadInner<'a, T>> {
        Some(Fair::new(lock.try_lock()?, waiters))
    }
    #[inline]
    fn try_read_for<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::ReadInner<'a, T>> {
        let guard = waiters.acquire_for(timeout, |timeout| lock.try_lock_for(timeout))?;
        Some(Fair::new(guard, waiters))
    }
    #[inline]
    fn write<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
    ) -> Self::WriteInner<'a, T> {
        Fair::new(
            waiters.acquire(|timeout| lock.try_lock_for(timeout)),
            waiters,
        )
    }
    #[inline]
    fn try_write<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::WriteInner<'a, T>> {
        Some(Fair::new(lock.try_lock()?, waiters))
    }
    #[inline]
    fn try_read_first<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::ReadInner<'a, T>> {
        Some(Fair::new(try_lock_first(lock)?, waiters))
    }
    #[inline]
    fn try_write_first<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::WriteInner<'a, T>> {
        Some(Fair::new(try_lock_first(lock)?, waiters))
    }
    #[inline]
    fn try_write_for<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::WriteInner<'a, T>> {
        let guard = waiters.acquire_for(timeout, |timeout| lock.try_lock_for(timeout))?;
        Some(Fair::new(guard, waiters))
    }
    fn read_when<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
        mut ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> Option<Self::ReadInner<'a, T>> {
        let (guard, ()) = lock_when(
            waiters,
            deadline,
            |deadline| lock_mutex(lock, waiters, deadline),
            |guard| ready(guard).then_some(()),
        )?;
        Some(Fair::new(guard, waiters))
    }
    fn write_when<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
        mut ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> Option<Self::WriteInner<'a, T>> {
        let (guard, ()) = lock_when(
            waiters,
            deadline,
            |deadline| lock_mutex(lock, waiters, deadline),
            |guard| ready(guard).then_some(()),
        )?;
        Some(Fair::new(guard, waiters))
    }
    #[cfg(feature = "async")]
    fn read_when_or_listen<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
        ready: &mut impl FnMut(&T) -> bool,
    ) -> Result<Self::ReadInner<'a, T>, Listening<'a>> {
        // The same exclusive lock; the guard that says so is a read guard (wakes no one).
        Self::write_when_or_listen(lock, waiters, Checked::never_waits(), ready)
            .map(|inner| Fair::new(inner.into_parts().0, waiters))
    }
    #[cfg(feature = "async")]
    fn write_when_or_listen<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
        ready: &mut impl FnMut(&T) -> bool,
    ) -> Result<Self::WriteInner<'a, T>, Listening<'a>> {
        let (guard, ()) = lock_when_or_listen(
            waiters,
            || waiters.acquire(|timeout| lock.try_lock_for(timeout)),
            |guard| ready(guard).then_some(()),
        )?;
        Ok(Fair::new(guard, waiters))
    }
    fn wait_until<'a>(
        inner: &mut Self::WriteInner<'a, T>,
        _: Checked,
        ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> bool {
        let waiters = inner.waiters();
        let lock = parking_lot::MutexGuard::mutex(inner.guard());
        wait_in_place(
            inner,
            |deadline| lock_mutex(lock, waiters, deadline),
            ready,
            deadline,
        )
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

impl<T: 'static> Erase<T> for Mutex {
    #[inline]
    fn erase_read(inner: Self::ReadInner<'_, T>) -> AnyRead<'_> {
        let (guard, waiters) = inner.into_parts();
        let guard = parking_lot::MutexGuard::map(guard, |t| t as &mut dyn Any);
        AnyRead::Mutex(Fair::new(guard, waiters))
    }

    #[inline]
    fn erase_write(inner: Self::WriteInner<'_, T>) -> AnyWrite<'_> {
        let (guard, waiters) = inner.into_parts();
        let guard = parking_lot::MutexGuard::map(guard, |t| t as &mut dyn Any);
        AnyWrite::Mutex(Fair::new(guard, waiters))
    }
}

impl<U: 'static> MappedRead<U> for Mutex {
    type Inner<'a>
        = ProjectedReadGuard<'a, U>
    where
        U: 'a;
}

impl<T: 'static, U: 'static> MapRead<T, U> for Mutex {
    #[inline]
    fn map<'a>(inner: Self::ReadInner<'a, T>, f: impl FnOnce(&T) -> &U) -> ProjectedReadGuard<'a, U>
    where
        T: 'a,
        U: 'a,
    {
        ProjectedReadGuard::erase::<T, Self>(inner, f)
    }

    #[inline]
    fn try_map<'a>(
        inner: Self::ReadInner<'a, T>,
        f: impl FnMut(&T) -> Option<&U>,
    ) -> Result<ProjectedReadGuard<'a, U>, Self::ReadInner<'a, T>>
    where
        T: 'a,
        U: 'a,
    {
        ProjectedReadGuard::new::<T, Self>(inner, f)
    }
}

impl<U: ?Sized> MappedWrite<U> for Mutex {
    type Inner<'a>
        = Fair<'a, MappedMutexGuard<'a, U>, true>
    where
        U: 'a;
}

impl<T, U: ?Sized> MapWrite<T, U> for Mutex {
    #[inline]
    fn map<'a>(
        inner: Self::WriteInner<'a, T>,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> Fair<'a, MappedMutexGuard<'a, U>, true>
    where
        T: 'a,
        U: 'a,
    {
        let (guard, waiters) = inner.into_parts();
        Fair::new(parking_lot::MutexGuard::map(guard, f), waiters)
    }

    #[inline]
    fn try_map<'a>(
        inner: Self::WriteInner<'a, T>,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<Fair<'a, MappedMutexGuard<'a, U>, true>, Self::WriteInner<'a, T>>
    where
        T: 'a,
        U: 'a,
    {
        let (guard, waiters) = inner.into_parts();
        match parking_lot::MutexGuard::try_map(guard, f) {
            Ok(mapped) => Ok(Fair::new(mapped, waiters)),
            Err(guard) => Err(Fair::new(guard, waiters)),
        }
    }
}

/// The bound of [`Guarded::lock`](crate::Guarded::lock): implemented for mutex mode only,
/// where `lock()` means `write()`. In rw and read_mostly modes a `lock()` call is an error
/// that says to choose `read()` or `write()`.
///
/// ```
/// fn ok<M: lockwise::misuse::LockIsWriteInMutexMode>() {}
/// ok::<lockwise::mode::Mutex>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`lock()` exists in mutex mode only; this lock is `{Self}` mode",
    label = "say which access you mean: `read()` (shared) or `write()` (exclusive)",
    note = "in mutex mode `lock()` is `write()`, for parking_lot's habit; a reader-writer \
            lock has two kinds of access, and `lock()` would hide which one this is"
)]
pub trait LockIsWriteInMutexMode: Mode {}

impl LockIsWriteInMutexMode for Mutex {}
