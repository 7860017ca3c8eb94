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
//! | One hot lock over many keys: stripe it | [`#[sharded(N)]`](macro@sharded) | a shard count that is not a power of two; a key that is not `Hash + Eq`; (debug builds) a thread touching a shard it holds panics, naming the shard |
//! | Never copy a lock (`go vet` copylocks) | every `#[guarded]` type | `impl Clone` on the thread-safe type |
//! | Do not lock a mutex you hold (Go: "recursive read locking is prohibited") | every lock | (debug builds) taking a lock this thread already holds, or two locks in the opposite order to another thread, panics instead of hanging |
//! | `sync.Once` for one-time init, and decide when to retry it | [`#[once_init]`](macro@once_init), `#[once_init(retry)]` | an initializer whose signature does not match the field; an `io::Result<T>` hiding its error; (every build) an initializer that needs its own field panics instead of deadlocking |
//! | `sync.Pool` for temporary objects, never a cache | [`#[pooled]`](macro@pooled) with [`Reset`] | a pooled type that does not say how to reset itself; a pool for a generic type; an object reused without its reset, or one a panic left half-written |
//! | WaitGroup + errgroup: wait for all, the first error wins | [`fan_out`] | a task that captures a non-`Sync` value (a `Cell` counter); results out of order, a lost error or a thread still running after the call are impossible by construction |
//! | Goroutines are tasks: Once, errgroup and Cond in async code | `#[once(init = .., async)]`, `write_when_async`, `fan_out_async_limit` (feature `async`; guide: `asynchronous`) | a guard held across `.await` in a `Send` future; an `async` field or an async wait without the feature; (every build) an async initializer that awaits its own field panics |
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
//! # The guide, one page per tool
//!
//! - [`guarded`](macro@guarded): one lock around a struct (`mutex`, `rw`, `read_mostly`), or one per field.
//! - [`fan_out`]: Go's `WaitGroup` + `errgroup` on scoped threads.
//! - [`sharded`](macro@sharded): lock striping, a map over N locks, with dashmap's deadlock
//!   made a panic.
//! - [`once_init`](macro@once_init): exactly-once lazy fields with a failure policy.
//! - [`pooled`](macro@pooled): `sync.Pool`'s temporary objects, reset before reuse.
//! - `profile` (cargo feature `profile`): a contention report per lock that says which word
//!   of the attribute to change.
//! - `asynchronous` (cargo feature `async`): lazy fields with `async fn` initializers,
//!   condition waits that await, `fan_out` over futures; what stays synchronous, and why.
//! - [`misuse`]: the traits whose names the compiler shows when a misuse is rejected.
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

#[doc = include_str!("../docs/guarded.md")]
pub use lockwise_macros::guarded;

#[doc = include_str!("../docs/pooled.md")]
pub use lockwise_macros::pooled;
pub use lockwise_runtime::{ArcReadGuard, ArcWriteGuard, MappedReadGuard, MappedWriteGuard};
pub use lockwise_runtime::{
    Guarded, ReadGuard, Unguarded, UpgradableReadGuard, WriteGuard, misuse, mode, read_mostly,
};
pub use lockwise_runtime::{Pool, PoolStats, Pooled, Reset, pooled};
pub use lockwise_runtime::{ReadWhenAsync, WriteWhenAsync};
pub use lockwise_runtime::{read_both, write_both};

#[doc = include_str!("../docs/once_init.md")]
pub use lockwise_macros::once_init;
pub use lockwise_runtime::once_init::{self, OnceField, OnceSite};

#[doc = include_str!("../docs/fan_out.md")]
pub use lockwise_runtime::fan_out;
pub use lockwise_runtime::{Cancel, fan_out_limit};
#[cfg(feature = "async")]
pub use lockwise_runtime::{fan_out_async, fan_out_async_limit};

#[doc = include_str!("../docs/sharded.md")]
pub use lockwise_macros::sharded;
pub use lockwise_runtime::sharded::{self, PrehashedMap, ShardedMap, ShardedSet, Shards};

#[cfg(feature = "profile")]
#[doc = include_str!("../docs/profile.md")]
pub use lockwise_runtime::profile;

/// The guide to async code: lazy fields with `async fn` initializers, condition waits that
/// await, and `fan_out` over futures (feature `async`).
#[cfg(feature = "async")]
#[doc = include_str!("../docs/async.md")]
pub mod asynchronous {}

/// The README's examples, compiled and run as doc tests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// What generated code names. Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use lockwise_runtime::__private::*;
}
