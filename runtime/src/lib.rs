//! The runtime of [lockwise](https://docs.rs/lockwise): the generic types that
//! `#[guarded]` expands to, usable by hand.
//!
//! - [`Guarded<T, M>`]: a value reachable only through a lock of mode `M`
//!   ([`mode::Mutex`], [`mode::Rw`], [`mode::ReadMostly`]).
//! - [`ReadGuard`], [`WriteGuard`], [`UpgradableReadGuard`]: the guards, the same in
//!   every mode.
//! - [`once_init::OnceField<T, E, Policy>`](once_init::OnceField): an exactly-once lazy
//!   field, the type `#[once_init]` expands to.
//! - [`sharded::Shards<S, M, N>`](sharded::Shards): lock striping, the type `#[sharded(N)]`
//!   expands to.
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
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` (Cargo.toml): items behind a feature get a badge naming it.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod fan_out;
mod guarded;
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
pub use guarded::{ArcReadGuard, ArcWriteGuard, MappedReadGuard, MappedWriteGuard};
pub use guarded::{
    Guarded, ReadGuard, Unguarded, UpgradableReadGuard, WriteGuard, mode, read_mostly,
};
pub use pooled::{Pool, PoolStats, Pooled, Reset};

/// What generated code names. Not public API: it may change in any release.
///
/// Grouped per macro, with what every macro uses at the top.
#[doc(hidden)]
pub mod __private {
    pub use crate::misuse::{ALockMustNeverBeCopied, ShareItWithArcOrAStatic};
    pub use crate::order::{LockSite, SiteLabel};

    /// `if_serde! { .. }`: its input when the `serde` feature is on, nothing when it is off
    /// (the macros cannot see features). `serde`: the crate, for the impls inside.
    pub use crate::__lockwise_if_serde as if_serde;
    #[cfg(feature = "serde")]
    pub use ::serde;

    /// What `#[guarded]` expands to.
    pub mod guarded {
        pub use crate::guarded::mode::{Mutex, ReadMostly, Rw};
        pub use crate::guarded::read_mostly::Staged;
        pub use crate::guarded::{Guarded, ReadGuard, Unguarded, UpgradableReadGuard, WriteGuard};
        // `read_arc`/`write_arc` of the generated wrapper forward to these.
        pub use crate::guarded::{ArcReadGuard, ArcWriteGuard, FieldSlot};
        pub use crate::misuse::{CloneForReadMostly, assert_clone_for_read_mostly};
    }

    /// What `#[once_init]` expands to.
    pub mod once_init {
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

    /// What `#[sharded]` expands to.
    pub mod sharded {
        pub use crate::guarded::mode::{Mutex, Rw};
        pub use crate::guarded::{ReadGuard, WriteGuard};
        pub use crate::sharded::{
            ElementOf, HashAndEqForShardKey, KeyOf, Lookup, MapField, MapKind, SetField, SetKind,
            SetLookup, SetMethods, Shards, ValueOf, assert_hash_and_eq_for_shard_key,
        };
    }
}
