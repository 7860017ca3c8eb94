//! The primitives `once_init` is built from, in one place so that `--cfg loom` can swap
//! them for loom's, whose model checker then explores every interleaving of the protocol.
//!
//! Production uses std's `Mutex`, `Condvar`, `AtomicU8` and `OnceLock`, all `const`
//! constructible, so a field can sit in a `static` and a generated `new` can be `const`.
//! loom's are not `const`: under loom, [`const_unless_loom!`] drops the `const`.
//!
//! `OnceLock` has no loom counterpart. Under loom it is [`OnceLock`] below: std's cell for
//! the storage, behind a loom atomic flag that is set (release) after the value and read
//! (acquire) before it. The value's own publication is std's to prove; the flag puts the
//! fast path's one load where loom sees it, so loom explores success racing with `get`.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU8, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU8, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};

/// Locks `mutex`. No code of `once_init` panics while it holds one of its locks (the
/// initializer runs unlocked), but a user's `Clone` of a throttled error may; the state it
/// protects is consistent at every unlock, so poisoning carries no information.
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
/// name only, as the type of a policy's kept error (this module is private).
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
}
