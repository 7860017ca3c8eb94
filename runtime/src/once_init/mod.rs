//! Exactly-once lazy fields with an explicit failure policy: the runtime of
//! `#[once_init]`, usable by hand.
//!
//! [`OnceField<T, E, P>`](OnceField) holds a `T` computed on first use by an initializer
//! that returns `T` (then `E` is [`Infallible`](core::convert::Infallible)) or
//! `Result<T, E>`. At most one initializer of a field runs at a time and the other
//! callers wait for it; a success is final, and from then on a call is one acquire load.
//! What a failure does is the [`policy`]: cached (default), retried, or retried at most
//! every `N` ms.
//!
//! Go's `sync.Once` never retries a failed initializer, and a panicking one leaves it
//! "done" without a value, silently. std's `OnceLock` has no stable fallible
//! initialization, and, like once_cell, deadlocks when an initializer asks for its own
//! cell. Here every failure is loud: a poisoned field panics with its name, and a
//! reentrant or cyclic initialization panics, naming the fields, instead of hanging.
//!
//! ```
//! use lockwise::once_init::{OnceField, OnceSite, policy::Retry};
//!
//! struct DbClient {
//!     url: String,
//!     db: OnceField<String, String, Retry>, // declared `Result<String, String>` under `retry`
//!     settings: OnceField<Vec<u8>>,         // declared `Vec<u8>`
//! }
//!
//! impl DbClient {
//!     const DB: OnceSite = OnceSite::new("DbClient", "db");
//!     const SETTINGS: OnceSite = OnceSite::new("DbClient", "settings");
//!
//!     const fn new(url: String) -> Self {
//!         Self { url, db: OnceField::new(), settings: OnceField::new() }
//!     }
//!     fn db(&self) -> Result<&String, String> {
//!         self.db.get_or_try_init(&Self::DB, || self.connect())
//!     }
//!     fn settings(&self) -> &Vec<u8> {
//!         self.settings.get_or_init(&Self::SETTINGS, || vec![1, 2])
//!     }
//!     fn connect(&self) -> Result<String, String> {
//!         Ok(format!("connected to {}", self.url))
//!     }
//! }
//!
//! let client = DbClient::new("db.local".into());
//! assert_eq!(client.db.get(), None); // `db_if_ready()`: never waits, never initializes
//! assert_eq!(client.db().unwrap(), "connected to db.local");
//! assert_eq!(client.settings(), &[1, 2]);
//! ```
//!
//! # What `#[once_init]` generates
//!
//! For a lazy field `f` declared with type `D` and `#[once(init = path)]`, under policy
//! `P` (`Cache` for `#[once_init]`, `Retry` for `#[once_init(retry)]`,
//! `ThrottledRetry<N>` for `#[once_init(retry(min_interval_ms = N))]`):
//!
//! | declared `D` | stored field | `f(&self)` | returns |
//! | --- | --- | --- | --- |
//! | `T` | `OnceField<T, Infallible, P>` | `self.f.get_or_init(SITE, \|\| path(self))` | `&T` |
//! | `Result<T, E>`, `Cache` | `OnceField<T, E, Cache>` | `self.f.get_or_try_init(SITE, \|\| path(self))` | `Result<&T, &E>` |
//! | `Result<T, E>`, retry | `OnceField<T, E, P>` | `self.f.get_or_try_init(SITE, \|\| path(self))` | `Result<&T, E>` |
//!
//! with `SITE` = `const { &OnceSite::new("<Type>", "<f>") }` (a `&'static OnceSite`: a
//! pointer is all the call passes, and only its slow path reads it), `f_if_ready(&self)
//! -> Option<&T>` = `self.f.get()`, `set_f(&self, value: T) -> Result<(), T>` =
//! `self.f.set(value)`, `take_f(&mut self) -> Option<T>` = `self.f.take()`,
//! `f_mut(&mut self) -> Option<&mut T>` = `self.f.get_mut()` (what `set` and `take` do in
//! each state: [`OnceField::set`], [`OnceField::take`]), `OnceField::new()` for each lazy field in the
//! `const fn new`, and the field's `Debug` for the struct's (it never waits). Throttled
//! retry needs `E: Clone`: `policy::assert_clone_for_throttled_retry::<E>()` in a
//! `const _` puts a readable error at the attribute.

mod cycle;
pub(crate) mod field;
pub mod policy;
mod protocol;
mod reentrancy;
mod site;

#[cfg(all(test, not(loom), feature = "async"))]
mod async_tests;
#[cfg(all(test, loom))]
mod loom;
#[cfg(all(test, loom, feature = "async"))]
mod loom_async;
#[cfg(all(test, not(loom)))]
mod owner_tests;
#[cfg(all(test, not(loom)))]
mod tests;

pub use field::OnceField;
pub use site::OnceSite;
