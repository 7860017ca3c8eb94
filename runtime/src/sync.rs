//! The loom shim: the std primitives that the runtime's own protocols are built from, in
//! one place, so that `--cfg loom` swaps them for loom's, whose model checker then runs
//! those protocols in every interleaving of their threads.
//!
//! Two protocols use it: the condition protocol and the slow-path word of every lock
//! (`guarded::core::condition` and `guarded::core::waiters`, modelled in
//! `guarded/core/condition/loom.rs`, and with tasks in `loom_tasks.rs`, where
//! `event-listener` runs on loom too), and the once_init protocol (modelled in
//! `once_init/loom.rs`). The locks the user's
//! state sits behind stay parking_lot's; the condition model stands them in with a loom
//! mutex.
//!
//! Production uses std's `Mutex`, `Condvar`, atomics and `OnceLock`: all `const`
//! constructible, so the condition slot table is a `static`, `Guarded::mutex` is a
//! `const fn`, and a lazy field can sit in a `static`. loom mirrors their API, but its
//! constructors are not `const`: under loom [`const_unless_loom!`] drops the `const`.
//!
//! `OnceLock` has no loom counterpart. Under loom it is [`OnceLock`] below: std's cell for
//! the storage, behind a loom atomic flag that is set (release) after the value and read
//! (acquire) before it. The value's own publication is std's to prove; the flag puts the
//! fast path's one load where loom sees it, so loom explores a success racing with `get`.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};

/// Locks `mutex`, ignoring poison. The protocols never run user code under these locks
/// (an initializer runs unlocked; a condition slot's mutex guards nothing), except a user's
/// `Clone` of a throttled error, and the state they protect is consistent at every unlock:
/// poisoning carries no information.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Writes `fn` as `const fn`, except under loom, whose primitives have no `const`
/// constructors.
macro_rules! const_unless_loom {
    ($(#[$attr:meta])* $vis:vis fn $($rest:tt)*) => {
        #[cfg(not(loom))]
        $(#[$attr])*
        $vis const fn $($rest)*

        #[cfg(loom)]
        $(#[$attr])*
        $vis fn $($rest)*
    };
}
pub(crate) use const_unless_loom;

/// std's `OnceLock` behind a loom-visible "ready" flag (see the module docs). `pub` in
/// name only, as the type of a once_init policy's kept error (this module is private).
#[cfg(loom)]
pub struct OnceLock<T> {
    ready: loom::sync::atomic::AtomicBool,
    cell: std::sync::OnceLock<T>,
}

#[cfg(loom)]
impl<T> OnceLock<T> {
    pub(crate) fn new() -> Self {
        Self {
            ready: loom::sync::atomic::AtomicBool::new(false),
            cell: std::sync::OnceLock::new(),
        }
    }

    pub(crate) fn get(&self) -> Option<&T> {
        if self.ready.load(Ordering::Acquire) {
            self.cell.get()
        } else {
            None
        }
    }

    pub(crate) fn set(&self, value: T) -> Result<(), T> {
        self.cell.set(value)?;
        self.ready.store(true, Ordering::Release);
        Ok(())
    }

    /// `&mut self`: no other thread can look, so the flag is plainly reset.
    pub(crate) fn take(&mut self) -> Option<T> {
        self.ready.store(false, Ordering::Relaxed);
        self.cell.take()
    }

    pub(crate) fn get_mut(&mut self) -> Option<&mut T> {
        self.cell.get_mut()
    }

    pub(crate) fn into_inner(self) -> Option<T> {
        self.cell.into_inner()
    }
}
