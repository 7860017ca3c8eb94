//! The primitives of the condition protocol (and the word in [`Waiters`](super::super::fair::Waiters)),
//! in one place so that `--cfg loom` swaps them for loom's, whose model checker then runs
//! the protocol in every interleaving (`loom.rs`). The same approach as `once_init/sync.rs`.
//!
//! Production uses std's `Mutex`, `Condvar` and atomics: `const` constructible (the slot
//! table is a `static`, `Guarded::mutex` is a `const fn`), and loom mirrors their API.
//! The lock the user's state sits behind stays parking_lot's; the loom model stands it in
//! with a loom mutex (see `loom.rs`).

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicUsize, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};

/// Locks a slot mutex. Nothing panics while one is held (no user code runs under it), so
/// poisoning carries no information.
pub(crate) fn lock(mutex: &Mutex<()>) -> MutexGuard<'_, ()> {
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
