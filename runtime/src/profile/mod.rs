//! A contention profile that says which word of the attribute to change (cargo feature
//! `profile`, off by default).
//!
//! Go's mutex profile says where goroutines waited. lockwise knows more: each lock's mode,
//! and that switching modes is one word. So with the feature on, every lock a lockwise
//! macro generates (and every `Guarded` made by hand) counts its read and write
//! acquisitions, the ones that had to wait, how long they waited (in total and at most),
//! and how long it was held (one acquisition in 64 is timed). Lazy fields count the callers
//! that waited for another caller's initializer; pools report their hits, misses and
//! discards. [`report()`] turns that into one row per site, sorted by time waited, with the
//! seed's advice where a rule applies:
//!
//! | the counts say | advice |
//! | --- | --- |
//! | a `mutex` taken mostly (≥ 80%) for reading, with contention | use `rw` |
//! | an `rw` lock almost never written (≤ 1%) whose readers waited | use `read_mostly` |
//! | an `rw` lock mostly (≥ 80%) written | use `mutex` |
//! | a `read_mostly` value written often (≥ 10%) | use `rw` |
//! | one whole-struct lock on which ≥ 20% of acquisitions waited | use `sharded(N)`, or a lock per field |
//! | a lazy field whose callers waited ≥ 1 ms for its initializer | warm it up at start |
//!
//! A site needs [`MIN_ACQUISITIONS`] acquisitions before it gets advice. Every value of a
//! type shares its type's row (a thousand `Cache` values, one row); a field's lock and a
//! shard have rows of their own. A lock that is dropped leaves its counts in its row.
//!
//! # Turning it on
//!
//! ```toml
//! [dependencies]
//! lockwise = { version = "0.1", features = ["profile"] }
//! ```
//!
//! Then print [`report()`] when a load test or a benchmark is done (`{report}` is an aligned
//! table, [`Report::to_json`] is for tools), or call [`reset()`] between phases.
//! `cargo run --example tour --features profile` ends with the report of every example,
//! and `examples/advice.rs` is a workload whose mutex the report tells to become `rw`.
//!
//! # What it costs
//!
//! Counting never becomes a point of contention of its own: each lock has its own counters
//! (atomics on a cache line of their own), registered once, on its first use, in a list the
//! report reads (weakly: the registry keeps nothing alive). With the feature off none of
//! this exists, and a lock costs what it costs without lockwise: the same instructions.
//!
//! With it on, an uncontended acquisition adds one atomic add on the lock's counters, a
//! test for the 1-in-64 hold sample, and a null pointer in the guard; a contended one is
//! timed (two clock reads, on a path that waits anyway). Measured with callgrind
//! (`cargo bench -p lockwise-benches --bench guarded_instructions --features profile`; BENCHMARKS.md): a shared
//! read goes from 26 to 43 instructions (1.65×), a `read_mostly` read from 67 to 85; an
//! exclusive acquisition from 21–25 to 62–67 (about 3×), because the larger guard's drop is
//! no longer inlined. A profiling build, not a production one.
//!
//! ```
//! # #[cfg(feature = "profile")] {
//! use lockwise::guarded;
//!
//! #[guarded]                       // a mutex...
//! #[derive(Default)]
//! struct Prices { euro: u64 }
//!
//! let prices = Prices::default();
//! for _ in 0..1_000 {
//!     let _ = prices.read().euro;  // ...read far more than written
//! }
//! let report = lockwise::profile::report();
//! let row = report.row("Prices").expect("every lock is counted");
//! assert_eq!(row.counts.reads, 1_000);
//! println!("{report}");            // an aligned table; report.to_json() for tools
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
