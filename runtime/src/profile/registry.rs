//! Every lock, lazy field and pool that has been used, with its counters. A lock registers
//! once, on its first acquisition (one lock of a global mutex per lock, never per
//! acquisition); the report reads them all.

use std::sync::{Arc, Mutex, PoisonError};

use crate::pooled::PoolStats;
use crate::profile::counters::LockCounters;

/// What a site is, for its row and its advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A `mutex` lock (whole struct, field or shard).
    Mutex,
    /// An `rw` lock.
    Rw,
    /// A `read_mostly` lock: reads never wait, writes are copies.
    ReadMostly,
    /// A lazy field of `#[once_init]`.
    Lazy,
    /// A `#[pooled]` type's pool.
    Pool,
}

impl Kind {
    /// The word the attribute uses: `mutex`, `rw`, `read_mostly`, `once_init`, `pooled`.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Mutex => "mutex",
            Kind::Rw => "rw",
            Kind::ReadMostly => "read_mostly",
            Kind::Lazy => "once_init",
            Kind::Pool => "pooled",
        }
    }
}

/// Which lock of a type a site is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The one lock of a whole-struct type (or of a `Guarded` made by hand).
    Whole,
    /// A field's lock, or a lazy field.
    Field(&'static str),
    /// A shard of a sharded type.
    Shard(usize),
}

/// A site: a type (with its module path) and one of its locks. Every lock of one site (a
/// thousand `Cache` values, say) shares one row.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteKey {
    /// `app::cache::Cache`, or for a `Guarded` made by hand, what it guards.
    pub path: &'static str,
    pub part: Part,
    pub kind: Kind,
}

/// Where the report reads a pool's counters from: the pool's own, kept for it anyway.
pub(crate) trait PoolSource: Send + Sync {
    fn stats(&self) -> PoolStats;
}

enum Entry {
    Lock(SiteKey, Arc<LockCounters>),
    Pool(SiteKey, Arc<dyn PoolSource>),
}

static REGISTRY: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

fn registry() -> std::sync::MutexGuard<'static, Vec<Entry>> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// New counters for one lock (or lazy field) of `key`, kept for the report.
pub(crate) fn register_lock(key: SiteKey) -> Arc<LockCounters> {
    let counters = Arc::new(LockCounters::default());
    registry().push(Entry::Lock(key, Arc::clone(&counters)));
    counters
}

/// A pool, whose own counters the report reads.
pub(crate) fn register_pool(key: SiteKey, source: Arc<dyn PoolSource>) {
    registry().push(Entry::Pool(key, source));
}

/// Every lock's site and counts, and every pool's site and statistics, as they are now.
pub(crate) struct Snapshot {
    /// Each lock's site and counts (several locks may share a site).
    pub(crate) locks: Vec<(SiteKey, crate::profile::counters::Counts)>,
    /// Each pool's site and statistics.
    pub(crate) pools: Vec<(SiteKey, PoolStats)>,
}

/// Every lock's site and counts, and every pool's site and statistics, as they are now.
pub(crate) fn snapshot() -> Snapshot {
    let entries = registry();
    let mut locks = Vec::new();
    let mut pools = Vec::new();
    for entry in entries.iter() {
        match entry {
            Entry::Lock(key, counters) => locks.push((key.clone(), counters.snapshot())),
            Entry::Pool(key, source) => pools.push((key.clone(), source.stats())),
        }
    }
    Snapshot { locks, pools }
}

/// Zeroes every lock's counters. (Pools' counters are the pools' own and stay.)
pub(crate) fn reset() {
    for entry in registry().iter() {
        if let Entry::Lock(_, counters) = entry {
            counters.reset();
        }
    }
}
