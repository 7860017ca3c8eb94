//! The runtime of [lockwise](https://docs.rs/lockwise): the generic types its attribute
//! macros expand to, every one usable by hand. The macros only declare types and forward to
//! these; the logic (and its tests) lives here.
//!
//! - [`Guarded<T, M>`](Guarded) (`#[guarded]`): a value reachable only through a lock of
//!   mode `M` ([`mode::Mutex`], [`mode::Rw`], [`mode::ReadMostly`]), with bounded waiting,
//!   conditions (`write_when`, `read_when`, [`WriteGuard::wait_until`]; with the `async`
//!   feature `write_when_async`/`read_when_async`, whose futures are [`WriteWhenAsync`] and
//!   [`ReadWhenAsync`]) and the same API in every mode; [`write_both`] and [`read_both`] take two values of one type in a stable
//!   order. Its guards: [`ReadGuard`], [`WriteGuard`], [`UpgradableReadGuard`],
//!   the mapped [`MappedReadGuard`] and [`MappedWriteGuard`], the owned [`ArcReadGuard`]
//!   and [`ArcWriteGuard`]; read_mostly's snapshot and copy are in [`read_mostly`].
//!   Per-field structs store [`Unguarded`] fields beside their locks.
//! - [`sharded::Shards<S, M, N>`](sharded::Shards) (`#[sharded(N)]`): lock striping over
//!   `N` `Guarded` shards, with key guards typed by the state's key;
//!   [`sharded::ShardedMap`] and [`sharded::ShardedSet`] add the map and set methods
//!   (dashmap's `entry`, `get_mut` and `remove_if` among them, with [`sharded::Entry`] and
//!   [`sharded::RefMut`]), and [`sharded::PrehashedMap`] is the map that hashes a key once.
//! - [`once_init::OnceField<T, E, P>`](once_init::OnceField) (`#[once_init]`): an
//!   exactly-once lazy field with a failure [`policy`](once_init::policy).
//! - [`Pool<T>`](Pool) (`#[pooled]`): Go's `sync.Pool`, with [`Pooled`] objects that go
//!   back [`Reset`], and [`PoolStats`].
//! - [`fan_out`] and [`fan_out_limit`]: Go's `WaitGroup` + `errgroup` on scoped threads,
//!   with [`Cancel`]; with the `async` feature, `fan_out_async` and `fan_out_async_limit`
//!   over futures on the caller's task.
//! - `profile` (cargo feature `profile`): a contention report per lock that says which word
//!   of the attribute to change.
//! - [`misuse`]: the traits whose names the compiler shows when a misuse is rejected.
//!
//! Users depend on the `lockwise` crate, which re-exports all of this next to the macros.
//!
//! ```
//! use lockwise::{mode, Guarded};
//!
//! let config: Guarded<Vec<String>, mode::Rw> = Guarded::new(vec![]);
//! config.write().push("debug=false".into());
//! assert_eq!(config.read().len(), 1);
//! ```
//!
//! # Layers
//!
//! The modules import each other one way only (`tests/layers.rs` checks it). At the bottom,
//! `vocabulary` (the words every layer shares: a lock's `Part` and `Kind`, a pool's
//! `PoolStats`) and `sync` (std's primitives, or loom's under `--cfg loom`). Above them two
//! sinks that know no shape: `profile`, which counts what the shapes hand it, and `order`,
//! the debug-build deadlock checks and the token every guard carries. Then the shapes:
//! `guarded` (a lock core that names no mode, one file per mode, and `Guarded` on top),
//! `sharded`, the one shape built on another (on `guarded`), and `once_init`, `pooled` and
//! `fan_out`, on nothing but the layers below. `misuse` sits above the shapes, showing
//! their traits; nothing imports it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` (Cargo.toml): items behind a feature get a badge naming it.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod async_gate;
mod fan_out;
mod guarded;
#[cfg(all(test, not(loom), feature = "async"))]
mod hand_polled;
pub mod misuse;
pub mod once_init;
mod order;
pub mod pooled;
#[cfg(feature = "profile")]
pub mod profile;
mod serde_gate;
pub mod sharded;
mod sync;
mod vocabulary;

pub use fan_out::{Cancel, fan_out, fan_out_limit};
#[cfg(feature = "async")]
pub use fan_out::{fan_out_async, fan_out_async_limit};
pub use guarded::{ArcReadGuard, ArcWriteGuard, MappedReadGuard, MappedWriteGuard};
pub use guarded::{
    Guarded, ReadGuard, Unguarded, UpgradableReadGuard, WriteGuard, mode, read_mostly,
};
pub use guarded::{ReadWhenAsync, WriteWhenAsync};
pub use guarded::{read_both, write_both};
pub use pooled::{Pool, PoolStats, Pooled, Reset};

/// What generated code names. Not public API: it may change in any release.
///
/// Grouped per macro, with what every macro uses at the top.
#[doc(hidden)]
pub mod __private {
    pub use crate::misuse::{ALockMustNeverBeCopied, ShareItWithArcOrAStatic};
    /// The size of the debug-build order graph (tests check that it stays bounded).
    #[cfg(debug_assertions)]
    pub use crate::order::{GraphSize, graph_size as order_graph_size};
    pub use crate::order::{LockSite, SiteLabel};

    /// `if_async! { async <accessors> }`: the accessors when the `async` feature is on; one
    /// error that names the feature when it is off (`async_gate.rs`).
    pub use crate::__lockwise_if_async as if_async;
    /// `serde`: the crate, for the impls of `guarded::serde_impls!`.
    #[cfg(feature = "serde")]
    pub use ::serde;

    /// What `#[guarded]` expands to.
    pub mod guarded {
        pub use crate::guarded::mode::{Mutex, ReadMostly, Rw};
        pub use crate::guarded::read_mostly::Staged;
        pub use crate::guarded::{Guarded, ReadGuard, Unguarded, UpgradableReadGuard, WriteGuard};
        // `read_arc`/`write_arc` of the generated wrapper return these, made by these.
        /// `serde_impls! { .. }`: a wrapper's `Serialize` and `Deserialize` when the
        /// `serde` feature is on, nothing when it is off (the macros cannot see features).
        pub use crate::__lockwise_guarded_serde as serde_impls;
        pub use crate::guarded::FieldSlot;
        pub use crate::guarded::{ArcReadGuard, ArcWriteGuard, read_arc_of, write_arc_of};
        // What the per-field `f_when_async`/`f_mut_when_async` return.
        pub use crate::guarded::{ReadWhenAsync, WriteWhenAsync};
        pub use crate::misuse::{
            CloneForReadMostly, WhenAsyncNeedsTheAsyncFeature, assert_clone_for_read_mostly,
        };
    }

    /// What `#[once_init]` expands to.
    pub mod once_init {
        #[cfg(feature = "async")]
        pub use crate::misuse::{AsyncInitializer, async_initializer};
        /// The slow path of a generated async accessor, awaited through a poll that is
        /// never inlined (`once_init/field/asynchronous.rs`).
        #[cfg(feature = "async")]
        pub use crate::once_init::field::asynchronous::cold;
        pub use crate::once_init::policy::{
            Cache, CloneForThrottledRetry, Retry, ThrottledRetry, assert_clone_for_throttled_retry,
        };
        pub use crate::once_init::{OnceField, OnceSite};
    }

    /// What `#[pooled]` expands to.
    pub mod pooled {
        pub use crate::misuse::default_for_pooled;
        pub use crate::pooled::{Pool, Pooled, Reset, assert_reset};
    }

    /// What `#[sharded]` expands to: the wrapper's storage (one of `Shards`, `ShardedMap`,
    /// `ShardedSet`) and what the shard state implements for it.
    pub mod sharded {
        pub use crate::guarded::mode::{Mutex, Rw};
        pub use crate::sharded::{
            Capacity, Keyed, MapField, SetField, ShardedMap, ShardedSet, Shards,
            assert_hash_and_eq_for_shard_key,
        };
    }
}
