//! The numbers behind the advice, in one place: every rule in `advice.rs` and every test of
//! "contended" in `contention.rs` reads its threshold here, and the guide page
//! (`docs/profile.md`) prints them, with doc tests that fail if the two disagree.
//!
//! ```
//! # #[cfg(feature = "profile")] {
//! use lockwise::profile::rules;
//!
//! // A mutex becomes `rw` when reads are at least 80% of its acquisitions, and it waited.
//! assert_eq!(rules::READ_SHARE_FOR_RW, 0.8);
//! # }
//! ```

use core::time::Duration;

/// Below this many acquisitions a lock gets no advice: too few to tell a pattern from an
/// accident (a startup, a test).
pub const MIN_ACQUISITIONS: u64 = 100;

/// Contended by count: at least this share (1%) of the acquisitions had to wait, or found
/// the lock taken (a `try_*` that failed). Many short waits.
pub const CONTENDED_SHARE: f64 = 0.01;

/// Contended by time: the waits add up to at least this share (1%) of the time the site was
/// observed (wall time since its first lock was first used, or since the last
/// [`reset()`](crate::profile::reset)). Waits of different threads add up, so a share over
/// 100% is possible. A few long waits behind a slow holder: what counting alone misses.
pub const WAIT_SHARE_OF_OBSERVED: f64 = 0.01;

/// Contended by time, too: the waits add up to at least this share (50%) of the time the
/// lock was held (estimated from the sampled holds: mean hold × acquisitions). Threads that
/// wait half as long as the lock is held are queueing for it. (Not lower: on a machine with
/// more threads than cores, a holder descheduled once makes a wait as long as a time slice,
/// and a lock held for nanoseconds at a time would look contended by that alone.)
pub const WAIT_SHARE_OF_HELD: f64 = 0.5;

/// Judged by time only when the waits add up to at least this much (1 ms): below it, a
/// short run's one unlucky wait (a holder descheduled once) is noise.
pub const MIN_WAIT: Duration = Duration::from_millis(1);

/// `mutex` → `rw`: reads are at least this share (80%) of the acquisitions, and the lock
/// is contended. A mutex serializes readers that an rw lock would let overlap.
pub const READ_SHARE_FOR_RW: f64 = 0.8;

/// `rw` → `read_mostly`: writes are at most this share (1%) of the acquisitions, and the
/// lock is contended. Readers that still wait are waiting for the rare writer (or for each
/// other's cache line); `read_mostly` readers never wait, and each write copies the state.
pub const WRITE_SHARE_FOR_READ_MOSTLY: f64 = 0.01;

/// `rw` → `mutex`: writes are at least this share (80%) of the acquisitions. An rw lock
/// costs more per acquisition than a mutex, and mostly-exclusive use gains nothing from it.
pub const WRITE_SHARE_FOR_MUTEX: f64 = 0.8;

/// `read_mostly` → `rw`: writes are at least this share (10%) of the acquisitions. Each
/// write clones the whole state.
pub const WRITE_SHARE_FOR_RW: f64 = 0.1;

/// One lock is hot (split it, or add shards) when at least this share (20%) of its
/// acquisitions waited...
pub const HOT_CONTENDED_SHARE: f64 = 0.2;

/// ... or its waits add up to at least this share (100%) of the time observed (on average,
/// one thread was always waiting for it) while it is contended by count too
/// ([`CONTENDED_SHARE`]): a few long stalls (a holder descheduled on a busy machine) are
/// contention, but not the many threads queueing that splitting a lock cures.
pub const HOT_WAIT_SHARE_OF_OBSERVED: f64 = 1.0;

/// A shard is hot when it took at least this share (25%) of its type's waits, and at least
/// twice its fair share (2/N of N shards): one key (or a few) that every thread wants.
/// More shards will not help; a hot key's value needs a lock of its own, or splitting.
pub const HOT_SHARD_SHARE: f64 = 0.25;

/// ... and the waits of that shard are too many for chance: if the type's waits fell on its
/// shards evenly at random, some shard would get that many at most this often (1%). A few
/// unlucky waits (a holder descheduled twice on one shard) are not a hot key.
pub const HOT_SHARD_CHANCE: f64 = 0.01;

/// A lazy field's callers waited at least this long (1 ms), in all, for its initializer:
/// warm it up at start.
pub const LAZY_WAIT: Duration = Duration::from_millis(1);
