//! Rw mode: one `parking_lot::RwLock` around the value; readers share it. Writes (and the
//! upgradable read) have bounded waiting and a fair release (`core/fair.rs`); shared read
//! guards release without looking at the slow-path word, which keeps `read()` at
//! parking_lot's instruction count (why that cannot starve anyone: `core/fair.rs`).
//!
//! What only this mode has: [`UpgradableReadGuard`] and [`WriteGuard::downgrade`], which
//! wakes condition waiters like any write's release. Mapping is parking_lot's own, for
//! reads and writes, to any `U: ?Sized`.

use core::any::Any;
use core::fmt;
use core::ops::Deref;
use core::time::Duration;
use std::time::Instant;

use parking_lot::{MappedRwLockReadGuard, MappedRwLockWriteGuard};

use crate::guarded::core::condition;
#[cfg(feature = "async")]
use crate::guarded::core::condition::tasks::Listening;
use crate::guarded::core::erased::{AnyRead, AnyWrite, Erase};
use crate::guarded::core::fair::{Fair, acquire_by};
use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mapped::{MapRead, MapWrite, MappedRead, MappedWrite};
use crate::guarded::core::mode::sealed::Sealed;
use crate::guarded::core::mode::{Acquire, Mode};
use crate::guarded::core::waiters::Waiters;
#[cfg(feature = "async")]
use crate::guarded::core::when::lock_when_or_listen;
use crate::guarded::core::when::{lock_when, wait_in_place};
use crate::order::{Checked, GuardSample, Held, Sample};
use crate::vocabulary::Kind;

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

impl Sealed for Rw {}

impl Mode for Rw {
    const NAME: &'static str = "rw";
    const KIND: Kind = Kind::Rw;
    const READ_CAN_BLOCK: bool = true;
    type Lock<T> = parking_lot::RwLock<T>;
    type ReadInner<'a, T: 'a> = parking_lot::RwLockReadGuard<'a, T>;
    type ReadSample = crate::order::Sample;
    type WriteInner<'a, T: 'a> = Fair<'a, parking_lot::RwLockWriteGuard<'a, T>, true>;
    type Exclusive<'a, T: 'a> = &'a mut T;
}

/// The rw lock's write side, with bounded waiting until `deadline` (or without a limit).
#[inline]
fn lock_rw_write<'a, T>(
    lock: &'a parking_lot::RwLock<T>,
    waiters: &Waiters,
    deadline: Option<Instant>,
) -> Option<parking_lot::RwLockWriteGuard<'a, T>> {
    acquire_by(waiters, deadline, |timeout| lock.try_write_for(timeout))
}

/// The rw lock's read side, with bounded waiting until `deadline` (or without a limit).
#[inline]
fn lock_rw_read<'a, T>(
    lock: &'a parking_lot::RwLock<T>,
    waiters: &Waiters,
    deadline: Option<Instant>,
) -> Option<parking_lot::RwLockReadGuard<'a, T>> {
    acquire_by(waiters, deadline, |timeout| lock.try_read_for(timeout))
}

impl<T> Acquire<T> for Rw {
    #[inline]
    fn new_lock(value: T) -> Self::Lock<T> {
        parking_lot::RwLock::new(value)
    }
    #[inline]
    fn read<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
    ) -> Self::ReadInner<'a, T> {
        waiters.acquire(|timeout| lock.try_read_for(timeout))
    }
    #[inline]
    fn try_read<'a>(lock: &'a Self::Lock<T>, _: &'a Waiters) -> Option<Self::ReadInner<'a, T>> {
        lock.try_read()
    }
    #[inline]
    fn try_read_for<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::ReadInner<'a, T>> {
        waiters.acquire_for(timeout, |timeout| lock.try_read_for(timeout))
    }
    #[inline]
    fn write<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
    ) -> Self::WriteInner<'a, T> {
        Fair::new(
            waiters.acquire(|timeout| lock.try_write_for(timeout)),
            waiters,
        )
    }
    #[inline]
    fn try_write<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::WriteInner<'a, T>> {
        Some(Fair::new(lock.try_write()?, waiters))
    }
    #[inline]
    fn try_write_for<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::WriteInner<'a, T>> {
        let guard = waiters.acquire_for(timeout, |timeout| lock.try_write_for(timeout))?;
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
            |deadline| lock_rw_read(lock, waiters, deadline),
            |guard| ready(guard).then_some(()),
        )?;
        Some(guard)
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
            |deadline| lock_rw_write(lock, waiters, deadline),
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
        let (guard, ()) = lock_when_or_listen(
            waiters,
            || waiters.acquire(|timeout| lock.try_read_for(timeout)),
            |guard| ready(guard).then_some(()),
        )?;
        Ok(guard)
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
            || waiters.acquire(|timeout| lock.try_write_for(timeout)),
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
        let lock = parking_lot::RwLockWriteGuard::rwlock(inner.guard());
        wait_in_place(
            inner,
            |deadline| lock_rw_write(lock, waiters, deadline),
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

impl<T: 'static> Erase<T> for Rw {
    #[inline]
    fn erase_read(inner: Self::ReadInner<'_, T>) -> AnyRead<'_> {
        AnyRead::Rw(parking_lot::RwLockReadGuard::map(inner, |t| t as &dyn Any))
    }

    #[inline]
    fn erase_write(inner: Self::WriteInner<'_, T>) -> AnyWrite<'_> {
        let (guard, waiters) = inner.into_parts();
        let guard = parking_lot::RwLockWriteGuard::map(guard, |t| t as &mut dyn Any);
        AnyWrite::Rw(Fair::new(guard, waiters))
    }
}

impl<U: ?Sized> MappedRead<U> for Rw {
    type Inner<'a>
        = MappedRwLockReadGuard<'a, U>
    where
        U: 'a;
}

impl<T, U: ?Sized> MapRead<T, U> for Rw {
    #[inline]
    fn map<'a>(
        inner: Self::ReadInner<'a, T>,
        f: impl FnOnce(&T) -> &U,
    ) -> MappedRwLockReadGuard<'a, U>
    where
        T: 'a,
        U: 'a,
    {
        parking_lot::RwLockReadGuard::map(inner, f)
    }

    #[inline]
    fn try_map<'a>(
        inner: Self::ReadInner<'a, T>,
        f: impl FnMut(&T) -> Option<&U>,
    ) -> Result<MappedRwLockReadGuard<'a, U>, Self::ReadInner<'a, T>>
    where
        T: 'a,
        U: 'a,
    {
        parking_lot::RwLockReadGuard::try_map(inner, f)
    }
}

impl<U: ?Sized> MappedWrite<U> for Rw {
    type Inner<'a>
        = Fair<'a, MappedRwLockWriteGuard<'a, U>, true>
    where
        U: 'a;
}

impl<T, U: ?Sized> MapWrite<T, U> for Rw {
    #[inline]
    fn map<'a>(
        inner: Self::WriteInner<'a, T>,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> Fair<'a, MappedRwLockWriteGuard<'a, U>, true>
    where
        T: 'a,
        U: 'a,
    {
        let (guard, waiters) = inner.into_parts();
        Fair::new(parking_lot::RwLockWriteGuard::map(guard, f), waiters)
    }

    #[inline]
    fn try_map<'a>(
        inner: Self::WriteInner<'a, T>,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<Fair<'a, MappedRwLockWriteGuard<'a, U>, true>, Self::WriteInner<'a, T>>
    where
        T: 'a,
        U: 'a,
    {
        let (guard, waiters) = inner.into_parts();
        match parking_lot::RwLockWriteGuard::try_map(guard, f) {
            Ok(mapped) => Ok(Fair::new(mapped, waiters)),
            Err(guard) => Err(Fair::new(guard, waiters)),
        }
    }
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
    _held: Held<'a>,
    // The profile's sample of this hold, which other readers share; it ends at an upgrade
    // (a write guard carries none: `core/waiters.rs`).
    _sample: Sample,
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
        let (inner, _held) = this.into_parts();
        let (inner, waiters) = inner.into_parts();
        // Read while the write lock is held, as every release does: readers waiting for a
        // condition may proceed now.
        let word = waiters.load();
        // The exclusive hold ends here: so does its sample, if it was timed.
        waiters.end_sampled_hold(word);
        let read = parking_lot::RwLockWriteGuard::downgrade(inner);
        if Waiters::has_condition_waiters(word) {
            condition::notify(waiters);
        }
        ReadGuard::new(read, _held, GuardSample::NONE)
    }
}

impl<'a, T: 'a> UpgradableReadGuard<'a, T> {
    #[inline]
    pub(crate) fn new(
        inner: parking_lot::RwLockUpgradableReadGuard<'a, T>,
        waiters: &'a Waiters,
        held: Held<'a>,
        sample: Sample,
    ) -> Self {
        Self {
            inner: Fair::new(inner, waiters),
            _held: held,
            _sample: sample,
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
        let _checked = this._held.check_upgrade();
        let Self {
            inner,
            _held,
            _sample,
        } = this;
        // The shared hold's sample ends here; the write hold is not timed. (Without the
        // profile the sample is `()`.)
        #[allow(dropping_copy_types)]
        drop(_sample);
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
        let Self {
            inner,
            _held,
            _sample,
        } = this;
        let (inner, waiters) = inner.into_parts();
        match parking_lot::RwLockUpgradableReadGuard::try_upgrade(inner) {
            Ok(inner) => Ok(WriteGuard::new(Fair::new(inner, waiters), _held)),
            Err(inner) => Err(Self::new(inner, waiters, _held, _sample)),
        }
    }
}

impl<'a, T: 'a> Deref for UpgradableReadGuard<'a, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<'a, T: fmt::Debug + 'a> fmt::Debug for UpgradableReadGuard<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}
