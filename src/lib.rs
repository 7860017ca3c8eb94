//! # lockwise
//!
//! Attribute macros that turn plain structs into thread-safe types. They encode the rules
//! Go programmers learn the hard way from the `sync` package as one-word choices whose
//! misuse is a compile error:
//!
//! | Go's lesson | lockwise | what the compiler (or a debug build) now stops |
//! | --- | --- | --- |
//! | A mutex for exclusive access | `#[guarded]` | touching a field without holding the lock; a guard held across `.await` in a `Send` future |
//! | RWMutex for read-heavy state | `#[guarded(rw)]` | writing through a read guard; a reference escaping `with_read` |
//! | sync.Map only for write-once, read-many registries | `#[guarded(read_mostly)]` | a state that cannot be copied (`Clone`) for the copy-on-write |
//! | Split a hot lock: one lock per piece of state | `#[lock(..)]` / `#[unguarded]` on fields | a field that does not say how it is shared; locks taken out of declaration order (debug builds panic before the deadlock) |
//! | Never copy a lock (`go vet` copylocks) | every `#[guarded]` type | `impl Clone` on the thread-safe type |
//! | Do not lock a mutex you hold (Go: "recursive read locking is prohibited") | every lock | (debug builds) taking a lock this thread already holds panics instead of hanging |
//!
//! ```
//! use std::collections::HashMap;
//! use lockwise::guarded;
//!
//! #[guarded(rw)]                      // mutex (default) | rw | read_mostly
//! #[derive(Debug, Default, Clone)]    // derives apply to the state struct
//! pub struct Cache {
//!     pub items: HashMap<String, u64>,
//!     pub hits: u64,
//! }
//!
//! impl Cache {                        // methods on the thread-safe type: they lock
//!     pub fn get(&self, key: &str) -> Option<u64> {
//!         self.read().items.get(key).copied()
//!     }
//!     pub fn put(&self, key: &str, value: u64) {
//!         self.write().items.insert(key.to_owned(), value);
//!     }
//! }
//!
//! impl CacheState {                   // methods on the state: callable only under a guard
//!     fn clear_if_large(&mut self) {
//!         if self.items.len() > 1_000 { self.items.clear() }
//!     }
//! }
//!
//! let cache = Cache::default();
//! cache.put("answer", 42);
//! assert_eq!(cache.get("answer"), Some(42));
//! cache.with_write(|state| state.clear_if_large());
//! ```
//!
//! # What `#[guarded]` generates
//!
//! The struct's fields move into a state struct, `CacheState` (rename it with
//! `#[guarded(state = Name)]`), which keeps the fields, attributes, docs and derives as
//! written. The struct's own name becomes the thread-safe wrapper, with the struct's
//! visibility, holding the state behind a [`Guarded<CacheState, Mode>`](Guarded):
//!
//! | method | meaning |
//! | --- | --- |
//! | `new(state)` | `const fn` in `mutex` and `rw` mode, so the wrapper can live in a `static`; `From<State>` too |
//! | `read()` | shared access ([`ReadGuard`]); in `mutex` mode an exclusive lock with a read-only guard |
//! | `write()` | exclusive access ([`WriteGuard`]); in `read_mostly` mode a copy published on drop |
//! | `try_read()`, `try_write()` | `Option`, never wait |
//! | `try_read_for(d)`, `try_write_for(d)` | wait at most `d` |
//! | `with_read(\|s\| ..)`, `with_write(\|s\| ..)` | closure forms: the guard cannot escape |
//! | `upgradable_read()` | `rw` mode: a read that can become a write ([`UpgradableReadGuard`]) |
//! | `get_mut()`, `into_inner()` | no locking: `&mut self` or ownership proves exclusivity (`read_mostly`'s `get_mut` changes a copy, published on drop) |
//! | `snapshot()` | a clone of the state, when it is `Clone` |
//! | `Default`, `Debug` | when the input derives them (write your own otherwise); `Debug` never waits: it prints `<locked>` while the lock is held exclusively (by a writer; in `mutex` mode, by any guard) |
//!
//! The state is reachable only through a guard, a closure, `get_mut` or `into_inner`.
//! The wrapper is never `Clone` or `Copy`: share it with `Arc` or a `static`.
//!
//! Write `#[guarded]` above the derives, as in the example: attributes apply top down, so a
//! `#[derive]` written above it would apply to the wrapper. Docs, `#[cfg]`, `#[deprecated]`,
//! `#[must_use]` and lint levels apply to both the state and the wrapper. Implement `Drop`
//! on the state, not on the wrapper (`into_inner` moves the lock out of it).
//!
//! # Modes
//!
//! The API is the same in all three, so switching is a one-word change.
//!
//! - `#[guarded]` / `#[guarded(mutex)]`: one `parking_lot::Mutex`. `read()` and `write()`
//!   both take it; say which you mean, and moving to `rw` later changes nothing else.
//! - `#[guarded(rw)]`: one `parking_lot::RwLock`; readers overlap.
//! - `#[guarded(read_mostly)]`: read-copy-update on `arc-swap`, for state written at
//!   startup and read per request (the case Go's `sync.Map` is for). `read()` returns a
//!   snapshot: it never waits, never blocks a writer, and never changes while held. Each
//!   `write()` clones the whole state (O(size)), changes the copy, and publishes it when the
//!   guard drops; writers are serialized, so no update is lost, and a writer that panics
//!   publishes nothing. The state must be `Clone`. Use `rw` for state written often.
//!
//! # Per-field locks
//!
//! When one lock is hot, split the state: give each field its own lock. Every field then
//! says how it is shared, `#[lock(mutex)]`, `#[lock(rw)]`, `#[lock(read_mostly)]`, or
//! `#[unguarded]` for a field that is safe to share as it is (an atomic, say).
//!
//! ```
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use lockwise::guarded;
//!
//! #[derive(Default)]
//! pub struct Config { pub timeout_ms: u64 }
//! #[derive(Default)]
//! pub struct Stats { pub served: u64 }
//!
//! #[guarded]
//! #[derive(Default)]
//! pub struct Server {
//!     #[lock(rw)]    pub config: Config,
//!     #[lock(mutex)] pub stats: Stats,
//!     #[unguarded]   pub requests: AtomicU64,
//! }
//!
//! let server = Server::default();
//! server.config_mut().timeout_ms = 250;      // write guard of `config` only
//! server.with_stats_mut(|s| s.served += 1);  // `stats` is locked on its own
//! server.requests().fetch_add(1, Ordering::Relaxed);
//!
//! let all = server.lock_all();                // every lock, in declaration order
//! assert_eq!((all.config.timeout_ms, all.stats.served), (250, 1));
//! ```
//!
//! Each locked field `f` gets `f()` (read guard), `f_mut()` (write guard), `try_f()`,
//! `try_f_mut()`, `with_f(..)`, `with_f_mut(..)`; an `#[unguarded]` field gets `f()`
//! returning `&T`. The wrapper has `new(<Name>State { .. })` (not `const`), `into_inner()`,
//! `get_mut()` (a `<Name>Mut` struct of `&mut`s), and `lock_all()` (a `<Name>Guards`
//! struct of write guards). Accessors have the field's visibility.
//!
//! **Naming rule.** The accessor names are built from the field names, so they can collide:
//! a field `a` gets `a_mut()`, which a field named `a_mut` would also want, and a field
//! named `new`, `into_inner`, `get_mut`, `lock_all`, `default` or `from` would shadow a fixed
//! method (or `Name::default()`). Such a collision is a compile error at the second field. Methods you write on the wrapper must
//! not reuse a generated name either (rustc reports the duplicate).
//!
//! The field markers must be written as they are (not through `cfg_attr`), and the wrapper
//! implements `Debug` when the input has a plain `#[derive(Debug)]`.
//!
//! **Lock order is declaration order.** In debug builds, taking a field lock while the
//! same thread holds a later-declared field lock of the same object panics at once, naming
//! both fields, before a deadlock can happen. `lock_all()` takes every lock in order.
//! `try_` accessors never wait, so they are never reported, but a lock they took counts as
//! held. Release builds do none of this and pay nothing for it.
//!
//! # Deadlocks found in debug builds
//!
//! Taking a lock this thread already holds hangs a mutex forever, and can hang a
//! reader-writer lock as soon as a writer queues. In debug builds every lockwise lock
//! panics instead, with the type's name: for example `read()` called inside
//! `with_write(..)` on the same value, or an `upgrade` while this thread holds another read
//! of the same lock. `read_mostly` reads wait for no one and are exempt. A guard leaked with
//! `mem::forget` stays recorded as held, as its lock stays locked.
//!
//! # Panics
//!
//! A panic while a guard is held releases the lock (the guard's `Drop` runs while
//! unwinding). There is no poisoning, as in `parking_lot`: the state may be half-updated,
//! and the next locker sees it as the panicking code left it. `read_mostly` is the
//! exception: a write works on a copy, and a panic discards the copy.
//!
//! # Send and Sync
//!
//! Nothing is implemented by hand: the wrapper is `Send` and `Sync` exactly when its
//! contents allow. With `mutex`, a `Send` state suffices for both; `rw` and `read_mostly`
//! give `&State` to several threads at once, so they also need `Sync`. A state holding an
//! `Rc` cannot cross threads at all; one holding a `Cell` can in `mutex` mode (one thread
//! at a time sees it) but not in `rw` or `read_mostly` mode. An `#[unguarded]` field is
//! shared as it is, so it must be `Sync` for the wrapper to be; the compiler's error then
//! names the field. Guards are never `Send`: a lock is released by the thread that took it.
//!
//! # Misuse is a compile error
//!
//! Writing through a read guard:
//!
//! ```compile_fail
//! #[lockwise::guarded(rw)]
//! struct Counter { n: u64 }
//!
//! let c = Counter::new(CounterState { n: 0 });
//! c.read().n += 1; // error: cannot assign through a `ReadGuard`: use `write()`
//! ```
//!
//! Copying a lock:
//!
//! ```compile_fail
//! #[lockwise::guarded]
//! struct Counter { n: u64 }
//!
//! // error: conflicting implementations of trait
//! //        `ALockMustNeverBeCopied<ShareItWithArcOrAStatic>` for type `Counter`
//! impl Clone for Counter {
//!     fn clone(&self) -> Self { Counter::new(CounterState { n: self.read().n }) }
//! }
//! ```
//!
//! The full list, with the messages, is in the crate's `tests/ui/` directory.
//!
//! # Options
//!
//! - `state = Name`: the state struct's name (default: `<Name>State`).
//! - `crate = path` (or `crate = "path"`): where lockwise is, if you renamed the dependency.
//!
//! # Using the runtime by hand
//!
//! [`Guarded<T, Mode>`](Guarded) is the type the macro expands to, and it works on its own:
//!
//! ```
//! use lockwise::{mode, Guarded};
//!
//! static REQUESTS: Guarded<u64, mode::Mutex> = Guarded::mutex(0);
//! REQUESTS.with_write(|n| *n += 1);
//! assert_eq!(*REQUESTS.read(), 1);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` (Cargo.toml): items behind a feature get a badge naming it.
#![cfg_attr(docsrs, feature(doc_cfg))]

/// Makes a struct thread-safe; see the [crate documentation](crate) for the guide.
///
/// ```
/// use lockwise::guarded;
///
/// #[guarded]
/// #[derive(Default)]
/// struct Metrics { requests: u64, errors: u64 }
///
/// let metrics = Metrics::default();
/// metrics.with_write(|m| { m.requests += 1; m.errors += 1; });
/// let m = metrics.read();
/// assert_eq!((m.requests, m.errors), (1, 1));
/// ```
pub use lockwise_macros::guarded;

pub use lockwise_runtime::{
    Guarded, ReadGuard, Unguarded, UpgradableReadGuard, WriteGuard, misuse, mode, read_mostly,
};
pub use lockwise_runtime::{Pool, PoolStats, Pooled, Reset, pooled};

pub use lockwise_runtime::once_init::{self, OnceField, OnceSite};

/// The README's examples, compiled and run as doc tests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// What generated code names. Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use lockwise_runtime::__private::*;
}
