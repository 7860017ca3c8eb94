//! Read_mostly mode: read-copy-update on `arc-swap` (the cell is `rcu.rs`, the crate's
//! public `read_mostly` module). Readers load a snapshot and never wait; a writer takes
//! the writer lock (bounded waiting, fair release: `core/fair.rs`), copies the current
//! version, and publishes the copy when its guard drops, still holding the writer lock, so
//! no update is lost.
//!
//! Conditions: readers take no lock, so a condition waiter waits under the writer lock,
//! which every publish holds (why no wake-up is lost: `core/condition/`). Mapping and
//! erasing (`mapped.rs`): the snapshot becomes its `Arc`, the copy a boxed `dyn Any` that
//! the cell takes back to publish.

mod mapped;
pub mod rcu;

use core::time::Duration;
use std::time::Instant;

use crate::guarded::core::condition;
#[cfg(feature = "async")]
use crate::guarded::core::condition::tasks::Listening;
use crate::guarded::core::fair::Fair;
use crate::guarded::core::mode::sealed::Sealed;
use crate::guarded::core::mode::{Acquire, Mode};
use crate::guarded::core::waiters::Waiters;
#[cfg(feature = "async")]
use crate::guarded::core::when::lock_when_or_listen;
use crate::guarded::core::when::{forever, lock_when};
use crate::order::Checked;
use crate::vocabulary::Kind;
use rcu::{RcuCell, Snapshot, Staged};

/// Mode marker: read-copy-update on `arc-swap`, for state written rarely and read constantly.
///
/// Reads never wait and never block a writer: `read()` returns a snapshot that stays the same
/// while it is held. Each write clones the whole state (O(size)), changes the copy, and
/// publishes it when the guard drops; writers are serialized by a lock, so no update is lost.
/// Use [`Rw`](crate::mode::Rw) for state that is written often or is expensive to clone.
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

impl Sealed for ReadMostly {}

impl Mode for ReadMostly {
    const NAME: &'static str = "read_mostly";
    const KIND: Kind = Kind::ReadMostly;
    const READ_CAN_BLOCK: bool = false;
    type Lock<T> = RcuCell<T>;
    type ReadInner<'a, T: 'a> = Snapshot<'a, T>;
    type ReadSample = crate::order::Sample;
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
    #[cfg(feature = "async")]
    fn read_when_or_listen<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
        ready: &mut impl FnMut(&T) -> bool,
    ) -> Result<Self::ReadInner<'a, T>, Listening<'a>> {
        // As `read_when`: no lock when the condition holds; otherwise checked and counted
        // under the writer lock, which every publish holds.
        let snapshot = lock.load();
        if ready(&snapshot) {
            return Ok(snapshot);
        }
        drop(snapshot);
        let (writer, snapshot) = lock_when_or_listen(
            waiters,
            || forever(&mut |deadline| lock.lock_writers(waiters, deadline)),
            |_| {
                let snapshot = lock.load();
                ready(&snapshot).then_some(snapshot)
            },
        )?;
        waiters.release(writer, false);
        Ok(snapshot)
    }
    #[cfg(feature = "async")]
    fn write_when_or_listen<'a>(
        lock: &'a Self::Lock<T>,
        waiters: &'a Waiters,
        _: Checked,
        ready: &mut impl FnMut(&T) -> bool,
    ) -> Result<Self::WriteInner<'a, T>, Listening<'a>> {
        // As `write_when`: checked on the published version, copied once it holds.
        let (writer, ()) = lock_when_or_listen(
            waiters,
            || forever(&mut |deadline| lock.lock_writers(waiters, deadline)),
            |_| ready(&lock.load()).then_some(()),
        )?;
        Ok(lock.stage_under(Some(Fair::new(writer, waiters))))
    }
    fn wait_until<'a>(
        inner: &mut Self::WriteInner<'a, T>,
        _: Checked,
        mut ready: impl FnMut(&T) -> bool,
        deadline: Option<Instant>,
    ) -> bool {
        // As `wait_in_place`: `ready` runs only on a staged copy that holds the writer
        // lock, so a predicate that panics unwinds through a guard that still holds it.
        // A wake-up restages a copy of what was published meanwhile (one clone per wake,
        // as every write in this mode costs).
        let lock = inner.cell();
        // The first wait publishes what this guard changed; the later ones change nothing.
        let mut writes = true;
        loop {
            if ready(inner) {
                return true;
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return false;
            }
            let (writer, waiters) = inner.release_for_wait(writes);
            condition::wait(waiters, writer, writes, deadline);
            writes = false;
            let writer = match lock.lock_writers(waiters, deadline) {
                Some(writer) => writer,
                None => forever(&mut |deadline| lock.lock_writers(waiters, deadline)),
            };
            *inner = lock.stage_under(Some(Fair::new(writer, waiters)));
        }
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
