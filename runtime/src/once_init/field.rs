//! [`OnceField`]: an exactly-once, lazily initialized slot with an explicit failure policy.

use core::convert::Infallible;
use core::fmt;

use super::policy::{Cache, CloneForThrottledRetry, Kept, Policy, Retry, ThrottledRetry};
use super::protocol::{Attempt, Entry, Phase, Protocol};
use super::site::OnceSite;
use crate::sync::{OnceLock, const_unless_loom};

// `get_or_init_async` and friends: the same protocol, awaited (the `async` feature).
#[cfg(feature = "async")]
pub(crate) mod asynchronous;

/// A value computed at most once, on first use, by whichever caller gets there first: the
/// runtime type behind `#[once_init]`, usable by hand.
///
/// - `T` is the value. `E` is the error of a fallible initializer ([`Infallible`] when it
///   cannot fail). `P` is the [policy](super::policy) for failures: [`Cache`] (default),
///   [`Retry`] or [`ThrottledRetry`].
/// - At most one initializer runs at a time; other callers wait for it, and see its
///   outcome as the policy says. A success is final: from then on a call is one acquire
///   load (the field is a `std::sync::OnceLock<T>` plus a coordination protocol that only
///   the slow path touches).
/// - An initializer that asks for its own field, or for a field whose initializer asks for
///   its field (on this thread or, while they both wait, across threads), panics with the
///   fields' names instead of waiting forever. In release builds too.
/// - [`get`](Self::get) never waits and never initializes; `Debug` never waits.
///
/// Infallible, under the default policy:
///
/// ```
/// use lockwise::once_init::{OnceField, OnceSite};
///
/// const SETTINGS: OnceSite = OnceSite::new("App", "settings");
/// static SETTINGS_FIELD: OnceField<Vec<String>> = OnceField::new();
///
/// let settings = SETTINGS_FIELD.get_or_init(&SETTINGS, || vec!["debug=false".to_owned()]);
/// assert_eq!(settings.len(), 1);
/// // Never run again:
/// let again = SETTINGS_FIELD.get_or_init(&SETTINGS, || unreachable!());
/// assert!(std::ptr::eq(settings, again));
/// ```
///
/// Fallible, retried until it succeeds:
///
/// ```
/// use lockwise::once_init::{OnceField, OnceSite, policy::Retry};
///
/// struct Client { url: String, db: OnceField<String, String, Retry> }
///
/// impl Client {
///     const DB: OnceSite = OnceSite::new("Client", "db");
///
///     fn db(&self) -> Result<&String, String> {
///         self.db.get_or_try_init(&Self::DB, || self.connect())
///     }
///     fn connect(&self) -> Result<String, String> {
///         if self.url.is_empty() { Err("no url".into()) } else { Ok(format!("conn to {}", self.url)) }
///     }
/// }
///
/// let mut client = Client { url: String::new(), db: OnceField::new() };
/// assert_eq!(client.db(), Err("no url".to_owned()));
/// client.url = "db.local".into();
/// assert_eq!(client.db().map(String::as_str), Ok("conn to db.local"));
/// ```
///
/// Generic code over the policy must state `OnceField<T, E, P>: Send + Sync` itself: the
/// field's auto traits depend on what `P` keeps (an `E` under `Cache` and `ThrottledRetry`,
/// nothing under `Retry`). Code with a concrete policy never needs to.
// `repr(C)`, value first: the value sits at the field's own address, so the fast path
// returns the field's address as it is, as `OnceLock::get` does (no offset to add).
#[repr(C)]
pub struct OnceField<T, E = Infallible, P: Policy = Cache> {
    /// The value: set once, by the caller that ran the successful attempt.
    value: OnceLock<T>,
    /// What the policy keeps of failures: the cached error, the last failure, or nothing.
    kept: P::Kept<E>,
    /// Who runs the initializer, who waits (the slow path only).
    protocol: Protocol,
}

impl<T, E, P: Policy> OnceField<T, E, P> {
    const_unless_loom! {
        /// An empty field. `const`, so a field can live in a `static` and a constructor
        /// that creates fields can be `const`.
        ///
        /// ```
        /// use lockwise::once_init::{OnceField, policy::Retry};
        ///
        /// static TOKEN: OnceField<String, std::io::Error, Retry> = OnceField::new();
        /// assert!(TOKEN.get().is_none());
        /// ```
        #[must_use]
        pub fn new() -> Self {
            Self {
                value: OnceLock::new(),
                #[cfg(not(loom))]
                kept: <P::Kept<E> as Kept<E>>::EMPTY,
                #[cfg(loom)]
                kept: <P::Kept<E> as Kept<E>>::empty(),
                protocol: Protocol::new(),
            }
        }
    }

    /// The value, if it is ready; `None` otherwise (not yet initialized, being
    /// initialized, failed or poisoned). Never waits, never initializes.
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite};
    ///
    /// let answer: OnceField<u32> = OnceField::new();
    /// assert_eq!(answer.get(), None);
    /// answer.get_or_init(const { &OnceSite::new("Deep", "answer") }, || 42);
    /// assert_eq!(answer.get(), Some(&42));
    /// ```
    #[inline]
    pub fn get(&self) -> Option<&T> {
        self.value.get()
    }

    /// Fills the field from outside, as `OnceLock::set`: `Ok` if it was empty, and from
    /// then on every call returns `value` without running the initializer. Otherwise
    /// `value` comes back, at once: the field holds a value, is being initialized (no
    /// waiting: an initializer that sets its own field gets its value back too), holds a
    /// kept error (`Cache`) or is poisoned. A throttled field (`ThrottledRetry`, within
    /// the interval after a failure) is empty: the value is taken, and the failure
    /// forgotten.
    ///
    /// For set-up before the value is shared (tests, a value loaded elsewhere); to replace
    /// a value that is in use, see [`take`](Self::take).
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite};
    ///
    /// let port: OnceField<u16> = OnceField::new();
    /// assert_eq!(port.set(8080), Ok(()));
    /// assert_eq!(port.set(9090), Err(9090)); // already set
    /// let site = const { &OnceSite::new("Server", "port") };
    /// assert_eq!(port.get_or_init(site, || unreachable!()), &8080);
    /// ```
    pub fn set(&self, value: T) -> Result<(), T> {
        if self.value.get().is_some() {
            return Err(value);
        }
        match self.protocol.claim_now() {
            Some(attempt) => {
                self.kept.forget();
                self.publish(value, attempt);
                Ok(())
            }
            None => Err(value),
        }
    }

    /// Empties the field and returns its value, if it had one: the next call runs the
    /// initializer again. A kept error (`Cache`), a poison (`Cache`) and a throttling
    /// failure (`ThrottledRetry`) are cleared too. `&mut self`: nobody can be reading the
    /// value or initializing the field meanwhile (the borrow checker sees to it), so a
    /// value shared across threads is replaced this way only by its owner (a shared client
    /// that must reconnect while others use it keeps its connection in a `read_mostly`
    /// value, whose `store` swaps it for every reader, or behind an `Arc`, instead).
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite};
    ///
    /// let site = const { &OnceSite::new("Client", "conn") };
    /// let mut conn: OnceField<String> = OnceField::new();
    /// conn.get_or_init(site, || "first".to_owned());
    /// assert_eq!(conn.take().as_deref(), Some("first"));
    /// assert_eq!(conn.get(), None);
    /// assert_eq!(conn.get_or_init(site, || "second".to_owned()), "second");
    /// ```
    ///
    /// A field cannot be taken while its initializer runs:
    ///
    /// ```compile_fail,E0502
    /// use lockwise::once_init::{OnceField, OnceSite};
    ///
    /// let site = const { &OnceSite::new("Client", "conn") };
    /// let mut conn: OnceField<u32> = OnceField::new();
    /// conn.get_or_init(site, || conn.take().unwrap_or(1));
    /// ```
    pub fn take(&mut self) -> Option<T> {
        self.kept.clear();
        self.protocol.reset();
        self.value.take()
    }

    /// The value, mutable, if it is ready (`OnceLock::get_mut`). `&mut self`: no one else
    /// can be looking.
    ///
    /// ```
    /// use lockwise::once_init::OnceField;
    ///
    /// let mut names: OnceField<Vec<&str>> = OnceField::new();
    /// assert!(names.get_mut().is_none());
    /// names.set(vec!["ada"]).unwrap();
    /// names.get_mut().unwrap().push("grace");
    /// assert_eq!(names.get().unwrap().len(), 2);
    /// ```
    #[inline]
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.value.get_mut()
    }

    /// The value, if the field had one, consuming the field.
    ///
    /// ```
    /// use lockwise::once_init::OnceField;
    ///
    /// let field: OnceField<String> = OnceField::new();
    /// field.set("ready".to_owned()).unwrap();
    /// assert_eq!(field.into_inner().as_deref(), Some("ready"));
    /// ```
    #[inline]
    pub fn into_inner(self) -> Option<T> {
        self.value.into_inner()
    }

    /// Stores the value of a successful attempt and ends the attempt.
    fn publish(&self, value: T, attempt: Attempt<'_>) -> &T {
        // Only the runner of an attempt stores, and an attempt runs only on an empty field.
        assert!(
            self.value.set(value).is_ok(),
            "lockwise: a once field was set twice (a bug in lockwise)"
        );
        attempt.finish(Phase::Ready);
        self.ready()
    }

    /// The value, once the protocol said `Ready`.
    fn ready(&self) -> &T {
        self.value
            .get()
            .expect("lockwise: a ready once field holds its value")
    }

    #[cfg(all(test, not(loom)))]
    pub(crate) fn waiters(&self) -> u32 {
        self.protocol.waiters()
    }
}

impl<T, P: Policy> OnceField<T, Infallible, P> {
    /// The value, running `init` first if no caller has yet; if another caller is running
    /// the initializer, waits for it.
    ///
    /// # Panics
    ///
    /// - If `init` panics: the panic propagates to this caller. Under [`Cache`] the field
    ///   is then poisoned, and every later call panics; under [`Retry`] it stays empty.
    /// - If the field is poisoned (an earlier `init` panicked, under [`Cache`]), with a
    ///   message that names `site`.
    /// - If `init` asks for this field again (reentrancy), or a cycle of initializers
    ///   would wait for each other, with a message that names the fields.
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite};
    ///
    /// let greeting: OnceField<String> = OnceField::new();
    /// let site = const { &OnceSite::new("Greeter", "greeting") };
    /// assert_eq!(greeting.get_or_init(site, || "hello".to_owned()), "hello");
    /// ```
    #[inline]
    #[track_caller]
    pub fn get_or_init(&self, site: &'static OnceSite, init: impl FnOnce() -> T) -> &T {
        match self.value.get() {
            Some(value) => value,
            None => self.init_infallible(site, init),
        }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn init_infallible(&self, site: &'static OnceSite, init: impl FnOnce() -> T) -> &T {
        match self
            .protocol
            .enter(site, P::POISON_ON_PANIC, || None::<Infallible>)
        {
            Entry::Run(attempt) => self.publish(init(), attempt),
            Entry::Ready => self.ready(),
            // An infallible initializer stores no error, so no gate ever refuses.
            Entry::Failed => unreachable!("lockwise: an infallible once field failed"),
            Entry::Refused(never) => match never {},
        }
    }
}

impl<T, E> OnceField<T, E, Cache> {
    /// The value, or the error, running `init` first if no caller has yet; if another
    /// caller is running the initializer, waits for it. The first outcome is final: an
    /// error is stored, and returned to this and every later caller.
    ///
    /// # Panics
    ///
    /// As [`get_or_init`](OnceField::get_or_init): if `init` panics (and the field is
    /// poisoned), if the field is poisoned, on reentrancy and on cycles.
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite};
    ///
    /// let limit: OnceField<u32, std::num::ParseIntError> = OnceField::new();
    /// let site = const { &OnceSite::new("Quota", "limit") };
    /// let first = limit.get_or_try_init(site, || "ten".parse());
    /// assert!(first.is_err());
    /// // The error is cached: `init` does not run again.
    /// let second = limit.get_or_try_init(site, || Ok(10));
    /// assert!(std::ptr::eq(first.unwrap_err(), second.unwrap_err()));
    /// ```
    #[inline]
    #[track_caller]
    pub fn get_or_try_init(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> Result<T, E>,
    ) -> Result<&T, &E> {
        match self.value.get() {
            Some(value) => Ok(value),
            None => self.init_cached(site, init),
        }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn init_cached(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> Result<T, E>,
    ) -> Result<&T, &E> {
        if let Some(error) = self.kept.get() {
            return Err(error);
        }
        match self.protocol.enter(site, true, || None::<Infallible>) {
            Entry::Run(attempt) => self.settle_cached(init(), attempt),
            Entry::Ready => Ok(self.ready()),
            Entry::Failed => Err(self.cached_error()),
            Entry::Refused(never) => match never {},
        }
    }

    /// Ends an attempt with its outcome: the value, or the error kept for good.
    fn settle_cached(&self, outcome: Result<T, E>, attempt: Attempt<'_>) -> Result<&T, &E> {
        match outcome {
            Ok(value) => Ok(self.publish(value, attempt)),
            Err(error) => {
                assert!(
                    self.kept.set(error).is_ok(),
                    "lockwise: a once field failed twice (a bug in lockwise)"
                );
                attempt.finish(Phase::Failed);
                Err(self.cached_error())
            }
        }
    }

    fn cached_error(&self) -> &E {
        self.kept
            .get()
            .expect("lockwise: a failed once field holds its error")
    }
}

impl<T, E> OnceField<T, E, Retry> {
    /// The value, running `init` first if no caller has yet; if another caller is running
    /// the initializer, waits for it. An error goes to this caller only: the field stays
    /// empty, and the next caller (a waiting one first) runs `init` again.
    ///
    /// # Panics
    ///
    /// If `init` panics (the field stays empty), on reentrancy and on cycles.
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite, policy::Retry};
    ///
    /// let conn: OnceField<u32, &str, Retry> = OnceField::new();
    /// let site = const { &OnceSite::new("Pool", "conn") };
    /// assert_eq!(conn.get_or_try_init(site, || Err("busy")), Err("busy"));
    /// assert_eq!(conn.get(), None);
    /// assert_eq!(conn.get_or_try_init(site, || Ok(7)), Ok(&7));
    /// ```
    #[inline]
    #[track_caller]
    pub fn get_or_try_init(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> Result<T, E>,
    ) -> Result<&T, E> {
        match self.value.get() {
            Some(value) => Ok(value),
            None => self.init_retry(site, init),
        }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn init_retry(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> Result<T, E>,
    ) -> Result<&T, E> {
        match self.protocol.enter(site, false, || None::<Infallible>) {
            Entry::Run(attempt) => self.settle_retry(init(), attempt),
            Entry::Ready => Ok(self.ready()),
            Entry::Failed => unreachable!("lockwise: `Retry` stores no error"),
            Entry::Refused(never) => match never {},
        }
    }

    /// Ends an attempt with its outcome: the value, or an empty field and the error to
    /// this caller.
    fn settle_retry(&self, outcome: Result<T, E>, attempt: Attempt<'_>) -> Result<&T, E> {
        match outcome {
            Ok(value) => Ok(self.publish(value, attempt)),
            Err(error) => {
                attempt.finish(Phase::Empty);
                Err(error)
            }
        }
    }
}

impl<T, E: CloneForThrottledRetry, const MIN_INTERVAL_MS: u64>
    OnceField<T, E, ThrottledRetry<MIN_INTERVAL_MS>>
{
    /// As [`Retry`]'s `get_or_try_init`, but for `MIN_INTERVAL_MS` after a failed attempt
    /// every caller (the ones that waited for it included) gets a clone of its error at
    /// once, instead of running `init` again.
    ///
    /// # Panics
    ///
    /// If `init` panics (the field stays empty; a panic is not an error to hand out, so it
    /// does not start an interval), on reentrancy and on cycles.
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite, policy::ThrottledRetry};
    ///
    /// let feed: OnceField<String, String, ThrottledRetry<0>> = OnceField::new();
    /// let site = const { &OnceSite::new("Reader", "feed") };
    /// // An interval of 0 throttles nothing: every call runs an attempt.
    /// assert!(feed.get_or_try_init(site, || Err("timeout".to_owned())).is_err());
    /// assert_eq!(feed.get_or_try_init(site, || Ok("items".to_owned())), Ok(&"items".to_owned()));
    /// ```
    #[inline]
    #[track_caller]
    pub fn get_or_try_init(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> Result<T, E>,
    ) -> Result<&T, E> {
        match self.value.get() {
            Some(value) => Ok(value),
            None => self.init_throttled(site, init),
        }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn init_throttled(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> Result<T, E>,
    ) -> Result<&T, E> {
        match self.protocol.enter(site, false, || self.recent_failure()) {
            Entry::Run(attempt) => self.settle_throttled(init(), attempt),
            Entry::Refused(recent) => Err(recent),
            Entry::Ready => Ok(self.ready()),
            Entry::Failed => unreachable!("lockwise: `ThrottledRetry` stores no error"),
        }
    }

    /// The gate of an attempt: a copy of the last failure's error, if it is recent.
    fn recent_failure(&self) -> Option<E> {
        self.kept
            .recent(ThrottledRetry::<MIN_INTERVAL_MS>::MIN_INTERVAL)
    }

    /// Ends an attempt with its outcome: the value, or an empty field, the failure kept
    /// for the interval and the error to this caller.
    fn settle_throttled(&self, outcome: Result<T, E>, attempt: Attempt<'_>) -> Result<&T, E> {
        match outcome {
            Ok(value) => {
                self.kept.forget();
                Ok(self.publish(value, attempt))
            }
            Err(error) => {
                // Kept before the field is empty again: whoever sees it empty sees this.
                self.kept.remember(error.clone());
                attempt.finish(Phase::Empty);
                Err(error)
            }
        }
    }
}

impl<T, E, P: Policy> Default for OnceField<T, E, P> {
    /// An empty field, as [`new`](OnceField::new).
    ///
    /// ```
    /// let field: lockwise::once_init::OnceField<u8> = Default::default();
    /// assert!(field.get().is_none());
    /// ```
    fn default() -> Self {
        Self::new()
    }
}

impl<T: fmt::Debug, E: fmt::Debug, P: Policy> fmt::Debug for OnceField<T, E, P> {
    /// Never waits. Prints the value, the cached error as `Err(..)` (default policy), or
    /// `<uninit>`, `<initializing>`, `<poisoned>`.
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite};
    ///
    /// let name: OnceField<&str> = OnceField::new();
    /// assert_eq!(format!("{name:?}"), "<uninit>");
    /// name.get_or_init(const { &OnceSite::new("User", "name") }, || "ada");
    /// assert_eq!(format!("{name:?}"), "\"ada\"");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(value) = self.value.get() {
            return fmt::Debug::fmt(value, f);
        }
        if let Some(error) = self.kept.cached_error() {
            return f.debug_tuple("Err").field(error).finish();
        }
        f.write_str(match self.protocol.phase() {
            Phase::Running => "<initializing>",
            Phase::Poisoned => "<poisoned>",
            // `Ready` cannot be seen without the value, nor `Failed` without the error
            // (both are stored first); `Empty` is what is left.
            _ => "<uninit>",
        })
    }
}
