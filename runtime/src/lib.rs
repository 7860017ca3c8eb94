//! The runtime of [lockwise](https://docs.rs/lockwise): the generic types that
//! `#[guarded]` expands to, usable by hand.
//!
//! - [`Guarded<T, M>`]: a value reachable only through a lock of mode `M`
//!   ([`mode::Mutex`], [`mode::Rw`], [`mode::ReadMostly`]).
//! - [`ReadGuard`], [`WriteGuard`], [`UpgradableReadGuard`]: the guards, the same in
//!   every mode.
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

mod fan_out;
mod guard;
mod guarded;
mod misuse;
pub mod mode;
mod order;
pub mod read_mostly;
mod unguarded;

pub use fan_out::{Cancel, fan_out, fan_out_limit};
pub use guard::{ReadGuard, UpgradableReadGuard, WriteGuard};
pub use guarded::Guarded;

/// What generated code names. Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::guard::{ReadGuard, UpgradableReadGuard, WriteGuard};
    pub use crate::guarded::Guarded;
    pub use crate::misuse::{
        ALockMustNeverBeCopied, CloneForReadMostly, ShareItWithArcOrAStatic,
        assert_clone_for_read_mostly,
    };
    pub use crate::mode::{Mutex, ReadMostly, Rw};
    pub use crate::order::LockSite;
    pub use crate::read_mostly::Staged;
    pub use crate::unguarded::Unguarded;
}
