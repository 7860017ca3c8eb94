//! The profile's runtime (cargo feature `profile`): what every lock, lazy field and pool
//! counts, and the report that says which word of the attribute to change. The guide (what
//! is counted, every rule with its numbers, how to read a sharded row, the cost) is the
//! `lockwise` crate's `profile` page, `docs/profile.md` in the repository.
//!
//! The parts, one job each: [`Counts`] per lock (`counters.rs`, and the registry that
//! keeps them weakly, `registry.rs`); [`Contention`], whether a site's waits matter by count
//! or by time (`contention.rs`); the [`rules`] and their numbers, in one place, and the
//! [`Advice`] they give (`advice.rs`); one row per sharded type with its [`ShardSpread`]
//! (`shards.rs`); the [`Report`] and its JSON (`report.rs`, `json.rs`).
//!
//! ```
//! # #[cfg(feature = "profile")] {
//! use lockwise::guarded;
//!
//! #[guarded(rw)]
//! #[derive(Default)]
//! struct Limits { per_minute: u32 }
//!
//! let limits = Limits::default();
//! for _ in 0..10 {
//!     let _ = limits.read().per_minute;
//! }
//! let report = lockwise::profile::report();
//! assert_eq!(report.row("Limits").map(|row| row.counts.reads), Some(10));
//! # }
//! ```

mod advice;
mod contention;
mod counters;
mod json;
mod key;
mod registry;
mod report;
pub mod rules;
mod shards;
#[cfg(test)]
mod tests;

pub use advice::Advice;
pub use contention::Contention;
pub use counters::Counts;
pub use report::{Report, Row};
pub use rules::MIN_ACQUISITIONS;
pub use shards::ShardSpread;
// The words a shape hands the profile, defined below every layer (`vocabulary.rs`).
pub use crate::vocabulary::{Kind, Part};

pub(crate) use counters::{LockCounters, Sample};
pub(crate) use key::SiteKey;
pub(crate) use registry::{PoolSource, register_lock, register_pool};

/// What every site counted so far, one row per site, most time waited first.
///
/// ```
/// # #[cfg(feature = "profile")] {
/// let report = lockwise::profile::report();
/// for row in &report.rows {
///     println!("{}: {} acquisitions", row.site(), row.counts.acquisitions());
/// }
/// # }
/// ```
pub fn report() -> Report {
    Report::collect()
}

/// Zeroes every lock's and lazy field's counters, to profile one phase of a program.
/// (A pool's counters are the pool's own, from [`Pool::stats`](crate::Pool::stats).)
///
/// ```
/// # #[cfg(feature = "profile")] {
/// lockwise::profile::reset();
/// assert!(lockwise::profile::report().rows.iter().all(|r| r.counts.acquisitions() == 0));
/// # }
/// ```
pub fn reset() {
    registry::reset();
}
