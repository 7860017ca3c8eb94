//! What a lazy field does when its initializer fails: the policy, a zero-sized marker type
//! that is the last parameter of [`OnceField`](super::OnceField).
//!
//! | policy | `#[once_init(..)]` | an `Err` | a panic |
//! | --- | --- | --- | --- |
//! | [`Cache`] (default) | `#[once_init]` | stored: every later call gets `&E` | poisons: every later call panics |
//! | [`Retry`] | `#[once_init(retry)]` | to this caller only; the field stays empty | to this caller only; the field stays empty |
//! | [`ThrottledRetry<N>`] | `#[once_init(retry(min_interval_ms = N))]` | as `Retry`, and for `N` ms every caller gets a clone of it without an attempt | as `Retry` |
//!
//! In every policy a success is permanent, at most one initializer of a field runs at a
//! time, and the callers that waited for it see what the table says.

use core::marker::PhantomData;
use core::time::Duration;
use std::time::Instant;

use crate::sync::{Mutex, OnceLock, lock};

/// The default policy: the first outcome is final. An `Err` is stored and every later
/// call returns it as `&E`; a panic poisons the field, and every later call panics with a
/// message that names the field and says its initializer panicked earlier.
///
/// ```
/// use lockwise::once_init::{OnceField, OnceSite, policy::Cache};
///
/// const PORT: OnceSite = OnceSite::new("Server", "port");
/// let port: OnceField<u16, String, Cache> = OnceField::new();
/// let first = port.get_or_try_init(&PORT, || "PORT is not set".parse::<u16>().map_err(|e| e.to_string()));
/// assert!(first.is_err());
/// // Not tried again: the error is cached.
/// assert_eq!(port.get_or_try_init(&PORT, || Ok(8080)), first);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Cache;

/// Errors and panics are not kept: they go to the caller whose attempt failed, the field
/// stays empty, and the next caller (one that was waiting, or a later one) runs the
/// initializer again.
///
/// ```
/// use lockwise::once_init::{OnceField, OnceSite, policy::Retry};
///
/// const DB: OnceSite = OnceSite::new("Client", "db");
/// let db: OnceField<&str, &str, Retry> = OnceField::new();
/// assert_eq!(db.get_or_try_init(&DB, || Err("refused")), Err("refused"));
/// assert_eq!(db.get_or_try_init(&DB, || Ok("connected")), Ok(&"connected"));
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Retry;

/// [`Retry`], but not more often than every `MIN_INTERVAL_MS` milliseconds: for that long
/// after a failed attempt, every caller gets a clone of its error at once instead of
/// running another attempt, so a dependency that is down is not hammered by every caller
/// (the waiters of the failed attempt included). The error must be `Clone`.
///
/// ```
/// use lockwise::once_init::{OnceField, OnceSite, policy::ThrottledRetry};
///
/// const DB: OnceSite = OnceSite::new("Client", "db");
/// // At most one attempt an hour.
/// let db: OnceField<&str, String, ThrottledRetry<3_600_000>> = OnceField::new();
/// let mut attempts = 0;
/// for _ in 0..10 {
///     let outcome = db.get_or_try_init(&DB, || { attempts += 1; Err("refused".to_owned()) });
///     assert_eq!(outcome, Err("refused".to_owned()));
/// }
/// assert_eq!(attempts, 1);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ThrottledRetry<const MIN_INTERVAL_MS: u64>;

impl<const MIN_INTERVAL_MS: u64> ThrottledRetry<MIN_INTERVAL_MS> {
    /// The interval, as a [`Duration`].
    ///
    /// ```
    /// use lockwise::once_init::policy::ThrottledRetry;
    ///
    /// assert_eq!(ThrottledRetry::<250>::MIN_INTERVAL.as_millis(), 250);
    /// ```
    pub const MIN_INTERVAL: Duration = Duration::from_millis(MIN_INTERVAL_MS);
}

/// A failure policy: [`Cache`], [`Retry`] or [`ThrottledRetry`]. Sealed: these three are
/// all there is.
///
/// ```
/// fn poisons<P: lockwise::once_init::policy::Policy>() -> bool { P::POISON_ON_PANIC }
/// assert!(poisons::<lockwise::once_init::policy::Cache>());
/// ```
pub trait Policy: sealed::Sealed + 'static {
    /// Whether a panicking initializer poisons the field (or leaves it empty).
    const POISON_ON_PANIC: bool;

    /// What the field keeps of a failure, beside its value.
    #[doc(hidden)]
    type Kept<E>: sealed::Kept<E>;
}

impl Policy for Cache {
    const POISON_ON_PANIC: bool = true;
    type Kept<E> = OnceLock<E>;
}

impl Policy for Retry {
    const POISON_ON_PANIC: bool = false;
    type Kept<E> = sealed::Nothing<E>;
}

impl<const MIN_INTERVAL_MS: u64> Policy for ThrottledRetry<MIN_INTERVAL_MS> {
    const POISON_ON_PANIC: bool = false;
    type Kept<E> = sealed::LastFailure<E>;
}

pub(crate) use sealed::Kept;

mod sealed {
    use super::*;

    pub trait Sealed {}
    impl Sealed for super::Cache {}
    impl Sealed for super::Retry {}
    impl<const MIN_INTERVAL_MS: u64> Sealed for super::ThrottledRetry<MIN_INTERVAL_MS> {}

    /// What a policy keeps of failures. Public only in name (this module is private).
    pub trait Kept<E>: Sized {
        /// Nothing kept yet. (A function under loom, whose primitives are not `const`.)
        #[cfg(not(loom))]
        const EMPTY: Self;
        #[cfg(loom)]
        fn empty() -> Self;

        /// The stored error, under [`Cache`].
        fn cached_error(&self) -> Option<&E>;

        /// Drops what is kept of the last failure, if the policy lets it go: a value was
        /// set from outside, so the field will not be attempted again (under [`Cache`],
        /// a kept error refuses `set`, so there is none to drop).
        fn forget(&self) {}

        /// Drops everything kept (`take`): the field starts over.
        fn clear(&mut self);
    }

    /// [`Cache`]: the first error, stored once.
    impl<E> Kept<E> for OnceLock<E> {
        #[cfg(not(loom))]
        const EMPTY: Self = OnceLock::new();
        #[cfg(loom)]
        fn empty() -> Self {
            OnceLock::new()
        }

        fn cached_error(&self) -> Option<&E> {
            self.get()
        }

        fn clear(&mut self) {
            drop(self.take());
        }
    }

    /// [`Retry`] keeps nothing. (`fn() -> E`: holding no `E`, the field's `Send` and
    /// `Sync` do not depend on it.)
    pub struct Nothing<E>(PhantomData<fn() -> E>);

    impl<E> Kept<E> for Nothing<E> {
        #[cfg(not(loom))]
        const EMPTY: Self = Nothing(PhantomData);
        #[cfg(loom)]
        fn empty() -> Self {
            Nothing(PhantomData)
        }

        fn cached_error(&self) -> Option<&E> {
            None
        }

        fn clear(&mut self) {}
    }

    /// [`ThrottledRetry`]: when the last attempt failed, and its error.
    pub struct LastFailure<E>(Mutex<Option<(Instant, E)>>);

    impl<E> Kept<E> for LastFailure<E> {
        #[cfg(not(loom))]
        const EMPTY: Self = LastFailure(Mutex::new(None));
        #[cfg(loom)]
        fn empty() -> Self {
            LastFailure(Mutex::new(None))
        }

        fn cached_error(&self) -> Option<&E> {
            None
        }

        fn forget(&self) {
            *lock(&self.0) = None;
        }

        fn clear(&mut self) {
            *self
                .0
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        }
    }

    impl<E: Clone> LastFailure<E> {
        /// A clone of the last error, if it is younger than `interval`.
        pub(crate) fn recent(&self, interval: Duration) -> Option<E> {
            match &*lock(&self.0) {
                Some((at, error)) if at.elapsed() < interval => Some(error.clone()),
                _ => None,
            }
        }

        /// Keeps `error` as the last failure, from now.
        pub(crate) fn remember(&self, error: E) {
            *lock(&self.0) = Some((Instant::now(), error));
        }
    }
}

/// The bound [`ThrottledRetry`] puts on the error, so that a non-`Clone` error gets an
/// error message that says why a clone is needed.
///
/// ```
/// fn ok<E: lockwise::once_init::policy::CloneForThrottledRetry>() {}
/// ok::<std::sync::Arc<std::io::Error>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`retry(min_interval_ms = ..)` needs the error `{Self}` to be `Clone`",
    label = "every caller within the interval gets a copy of this error",
    note = "after a failed attempt, a throttled field answers each caller with a clone of \
            the last error instead of running the initializer again, so the error must be \
            `Clone`",
    note = "derive or implement `Clone` for the error, wrap it in an `Arc` (for example \
            `Arc<std::io::Error>`), or drop `min_interval_ms` to use plain `retry`"
)]
pub trait CloneForThrottledRetry: Clone {}

impl<E: Clone> CloneForThrottledRetry for E {}

/// Fails to compile, with [`CloneForThrottledRetry`]'s message, unless `E: Clone`. For
/// generated code, to put the error at the attribute.
///
/// ```
/// const _: () = lockwise::once_init::policy::assert_clone_for_throttled_retry::<String>();
/// ```
pub const fn assert_clone_for_throttled_retry<E: CloneForThrottledRetry>() {}
