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
//!
//! # Waiting: what each mode guarantees
//!
//! No waiter starves, in any mode, with any parking_lot version (Go's starvation mode):
//!
//! | mode | a blocked acquisition | who waits for whom |
//! | --- | --- | --- |
//! | [`Mutex`] | gets the lock within a bounded time: after waiting about 1 ms it marks the lock starving, and every release then hands the lock to the thread first in line | `read()` and `write()` both wait for any holder |
//! | [`Rw`] | the same for `write()`, `read()` and `upgradable_read()` | writer preference: a waiting writer keeps new readers out, so overlapping readers cannot starve it; a stream of writers cannot starve a reader either (the handoff) |
//! | [`ReadMostly`] | `write()` waits for the writer before it, with the same handoff | `read()` never waits, for anyone |
//!
//! The handoff costs nothing until a thread has waited 1 ms; then throughput under that
//! contention drops to one lock transfer per critical section, the price of fairness.
//! The timed forms (`try_write_for`, ...) take part too: after 1 ms they mark the lock
//! starving for the rest of their timeout. Waiting for a condition (`write_when`,
//! `read_when`) is bounded only by the condition: it proceeds once a writer makes it true.

use core::ops::{Deref, DerefMut};
use core::time::Duration;
use std::time::Instant;

use crate::guarded::condition;
use crate::guarded::fair::{Fair, Unlock, Waiters};
use crate::guarded::read_mostly::{RcuCell, Snapshot, Staged};
use crate::order::Checked;

// What mapped and owned guards need of a mode (`mapped.rs`, `erased.rs`), named here next to
// `Acquire`, where bounds on modes live.
pub use crate::guarded::erased::Erase;
pub use crate::guarded::mapped::{MapRead, MapWrite, MappedRead, MappedWrite};

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
///
/// # Coming from arc-swap
///
/// | arc-swap | lockwise read_mostly |
/// | --- | --- |
/// | `load()` | [`read()`](crate::Guarded::read): a snapshot, never waits |
/// | `load_full()` | [`load_full()`](crate::Guarded::load_full): an `Arc<T>` to move into a thread |
/// | `store(Arc::new(v))` | [`store(v)`](crate::Guarded::store) |
/// | `swap(Arc::new(v))` | [`replace(v)`](crate::Guarded::replace): the previous version, not a copy |
/// | `rcu(f)` | [`update(f)`](crate::Guarded::update): returns what it **published** (`rcu` returns the previous value), runs `f` once |
///
/// Every lockwise write takes the writer lock, so writes never lose each other's updates.
///
/// # In a `static`
///
/// The constructor allocates the first version (an `Arc`, as `ArcSwap::from_pointee`
/// does), so it cannot be `const`; a `static` is made on first use with
/// `std::sync::LazyLock`:
///
/// ```
/// use std::sync::LazyLock;
/// use lockwise::{mode::ReadMostly, Guarded};
///
/// static ROUTES: LazyLock<Guarded<Vec<&str>, ReadMostly>> =
///     LazyLock::new(|| Guarded::new(vec!["/"]));
///
/// ROUTES.store(vec!["/", "/health"]);
/// assert_eq!(ROUTES.read().len(), 2);
/// ```
///
/// # Reading while you write
///
/// A `write()` guard changes a private copy, published when it drops. Until then `read()`
/// (and `load_full()`) return the published version, also on the thread that holds the
/// guard: to see your own changes, read through the guard.
///
/// ```
/// use lockwise::{mode::ReadMostly, Guarded};
///
/// let n: Guarded<u32, ReadMostly> = Guarded::new(1);
/// let mut copy = n.write();
/// *copy = 2;
/// assert_eq!((*copy, *n.read()), (2, 1)); // read() sees the published 1, not the copy
/// drop(copy);
/// assert_eq!(*n.read(), 2);
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
/// [`Guarded`](crate::Guarded). Every operation that can wait takes a `Checked` proof
/// (the debug-build deadlock checks ran) and waits with bounded waiting (`fair.rs`).
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

/// Takes a lock with bounded waiting, or, with a deadline, gives up when it passes.
#[inline]
pub(crate) fn acquire_by<G>(
    waiters: &Waiters,
    deadline: Option<Instant>,
    timed: impl Fn(Duration) -> Option<G>,
) -> Option<G> {
    match deadline {
        None => Some(waiters.acquire(timed)),
        Some(deadline) => {
            waiters.acquire_for(deadline.saturating_duration_since(Instant::now()), timed)
        }
    }
}

/// The wait loop of every `*_when`: `lock(deadline)` takes the lock (`None`: the deadline
/// passed first), `check` looks at the state under it (`Some`: done). Between tries the
/// thread sleeps in the condition protocol. Woken by a timeout, it takes the lock and
/// checks once more before it gives up, so a condition that became true just in time counts.
pub(crate) fn lock_when<G: Unlock, R>(
    waiters: &Waiters,
    deadline: Option<Instant>,
    mut lock: impl FnMut(Option<Instant>) -> Option<G>,
    mut check: impl FnMut(&G) -> Option<R>,
) -> Option<(G, R)> {
    loop {
        let guard = lock(deadline)?;
        if let Some(found) = check(&guard) {
            return Some((guard, found));
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            waiters.release(guard, false);
            return None;
        }
        // This thread has not changed the state: it wakes no one.
        condition::wait(waiters, guard, false, deadline);
    }
}

/// `wait_until` for the modes whose write guard is a [`Fair`] around a parking_lot guard.
fn wait_in_place<'a, G: Unlock + Deref>(
    inner: &mut Fair<'a, G, true>,
    mut lock: impl FnMut(Option<Instant>) -> Option<G>,
    mut ready: impl FnMut(&G::Target) -> bool,
    deadline: Option<Instant>,
) -> bool {
    if ready(inner) {
        return true;
    }
    let waiters = inner.waiters();
    let guard = inner.take();
    // The holder may have changed the state before waiting: it wakes the others.
    condition::wait(waiters, guard, true, deadline);
    // Whatever happens, the guard holds the lock again when this returns.
    let (guard, holds) = match lock_when(waiters, deadline, &mut lock, |g| ready(g).then_some(())) {
        Some((guard, ())) => (guard, true),
        None => (forever(&mut lock), false),
    };
    inner.put(guard);
    holds
}

/// `lock(None)` never gives up.
fn forever<G>(lock: &mut impl FnMut(Option<Instant>) -> Option<G>) -> G {
    match lock(None) {
        Some(guard) => guard,
        None => unreachable!("an acquisition without a deadline always succeeds"),
    }
}

impl Mode for Mutex {
    const NAME: &'static str = "mutex";
    const READ_CAN_BLOCK: bool = true;
    type Lock<T> = parking_lot::Mutex<T>;
    type ReadInner<'a, T: 'a> = Fair<'a, parking_lot::MutexGuard<'a, T>, false>;
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

impl Mode for Rw {
    const NAME: &'static str = "rw";
    const READ_CAN_BLOCK: bool = true;
    type Lock<T> = parking_lot::RwLock<T>;
    type ReadInner<'a, T: 'a> = parking_lot::RwLockReadGuard<'a, T>;
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
pub(crate) fn lock_rw_read<'a, T>(
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

impl Mode for ReadMostly {
    const NAME: &'static str = "read_mostly";
    const READ_CAN_BLOCK: bool = false;
    type Lock<T> = RcuCell<T>;
    type ReadInner<'a, T: 'a> = Snapshot<'a, T>;
    type WriteInner<'a, T: 'a> = Staged<'a, T>;
    type Exclusive<'a, T: 'a> = Staged<'a, T>;
}

/// A read never waits, so the `try_` and `_for` forms of `read` always succeed; they exist
/// so that code written against `Rw` compiles unchanged. A `read_when` whose condition does
/// not hold waits, for a writer to publish.
impl<T: Clone> Acquire<T> for ReadMostly {
    #[inline]
    fn new_lock(value: T) -> Self::Lock<T> {
        RcuCell::new(value)
    }
    #[inline]
    fn read<'a>(lock: &'a Self::Lock<T>, _: &'a Waiters, _: Checked) -> Self::ReadInner<'a, T> {
        lock.load()
    }
    #[inline]
    fn try_read<'a>(lock: &'a Self::Lock<T>, _: &'a Waiters) -> Option<Self::ReadInner<'a, T>> {
        Some(lock.load())
    }
    #[inline]
    fn try_read_for<'a>(
        lock: &'a Self::Lock<T>,
        _: &'a Waiters,
        _timeout: Duration,
        _: Checked,
    ) -> Option<Self::ReadInner<'a, T>> {
        Some(lock.load())
    }
    #[inline]
    fn write<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
    ) -> Self::WriteInner<'a, T> {
        lock.stage(waiters)
    }
    #[inline]
    fn try_write<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
    ) -> Option<Self::WriteInner<'a, T>> {
        lock.try_stage(waiters)
    }
    #[inline]
    fn try_write_for<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        timeout: Duration,
        _: Checked,
    ) -> Option<Self::WriteInner<'a, T>> {
        lock.try_stage_for(waiters, timeout)
    }
    fn read_when<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
        mut ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> Option<Self::ReadInner<'a, T>> {
        // Readers take no lock: when the condition already holds, neither does this.
        let snapshot = lock.load();
        if ready(&snapshot) {
            return Some(snapshot);
        }
        drop(snapshot);
        // Otherwise it waits for a publish, which happens under the writer lock: the
        // condition is checked and the waiter counted under that lock.
        let (writer, snapshot) = lock_when(
            waiters,
            deadline,
            |deadline| lock.lock_writers(waiters, deadline),
            |_| {
                let snapshot = lock.load();
                ready(&snapshot).then_some(snapshot)
            },
        )?;
        waiters.release(writer, false);
        Some(snapshot)
    }
    fn write_when<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
        mut ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> Option<Self::WriteInner<'a, T>> {
        // The condition is checked on the published version: no copy until it holds.
        let (writer, ()) = lock_when(
            waiters,
            deadline,
            |deadline| lock.lock_writers(waiters, deadline),
            |_| ready(&lock.load()).then_some(()),
        )?;
        Some(lock.stage_under(Some(Fair::new(writer, waiters))))
    }
    fn wait_until<'a>(
        inner: &mut Self::WriteInner<'a, T>,
        _: Checked,
        mut ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> bool {
        if ready(inner) {
            return true;
        }
        let lock = inner.cell();
        // Publishes the copy (a waiting writer's changes count like any other), waits,
        // and stages a fresh copy under the writer lock again.
        let (writer, waiters) = inner.publish_for_wait();
        condition::wait(waiters, writer, true, deadline);
        let (writer, holds) = match lock_when(
            waiters,
            deadline,
            |deadline| lock.lock_writers(waiters, deadline),
            |_| ready(&lock.load()).then_some(()),
        ) {
            Some((writer, ())) => (writer, true),
            None => (
                forever(&mut |deadline| lock.lock_writers(waiters, deadline)),
                false,
            ),
        };
        *inner = lock.stage_under(Some(Fair::new(writer, waiters)));
        holds
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
