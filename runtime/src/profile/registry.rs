//! Every lock, lazy field and pool that has been used, with its counters. A lock registers
//! once, on its first acquisition, and retires once, when it is dropped (one lock of a
//! global mutex each time, never per acquisition); the report reads them all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use crate::profile::counters::{Counts, LockCounters, now_ns, observed};
use crate::profile::key::SiteKey;
use crate::vocabulary::PoolStats;

/// Where the report reads a pool's counters from: the pool's own, kept for it anyway, as
/// plain counts (the pool registers itself; the profile never names a pool's type).
pub(crate) trait PoolSource: Send + Sync {
    fn stats(&self) -> PoolStats;
}

/// Every registered lock and pool, by reference only: the registry never keeps one alive.
/// A lock that is dropped folds its counts into `retired`, so a program that makes and drops
/// a million short-lived locks keeps one row per site, not a million entries.
#[derive(Default)]
struct Registry {
    /// Live locks (and lazy fields), by the address of their counters.
    locks: HashMap<usize, (SiteKey, Weak<LockCounters>)>,
    /// How many locks of each site were dropped, what they counted, and when the first of
    /// them began counting (the site's observed time runs on after they are gone).
    retired: HashMap<SiteKey, Retired>,
    /// Pools; a dropped pool's row goes with it (its counters were its own).
    pools: Vec<(SiteKey, Weak<dyn PoolSource>)>,
}

/// What the dropped locks of one site counted.
#[derive(Default)]
struct Retired {
    dropped: usize,
    counts: Counts,
    since_ns: Option<u64>,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

/// The registry, locked. Nothing that can drop a lock's counters may run while it is held:
/// their `Drop` locks it again (see [`retire`]).
fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    let mut registry = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    f(registry.get_or_insert_with(Registry::default))
}

fn address(counters: &LockCounters) -> usize {
    core::ptr::from_ref(counters) as usize
}

/// New counters for one lock (or lazy field) of `key`, kept for the report.
pub(crate) fn register_lock(key: SiteKey) -> Arc<LockCounters> {
    let counters = Arc::new(LockCounters::new(key.clone()));
    let weak = Arc::downgrade(&counters);
    with_registry(|registry| registry.locks.insert(address(&counters), (key, weak)));
    counters
}

/// Called by the `Drop` of a lock's counters: its counts join its site's retired total.
fn retire(counters: &LockCounters, key: &SiteKey) {
    let since = counters.since_ns();
    let counts = counters.snapshot(since);
    with_registry(|registry| {
        registry.locks.remove(&address(counters));
        let retired = registry.retired.entry(key.clone()).or_default();
        retired.dropped += 1;
        retired.counts.add(counts);
        retired.since_ns = Some(retired.since_ns.map_or(since, |s| s.min(since)));
    });
}

impl Drop for LockCounters {
    /// The lock is gone (and every guard's sample with it): its counts join its site's.
    fn drop(&mut self) {
        retire(self, self.key());
    }
}

/// A pool, whose own counters the report reads.
pub(crate) fn register_pool(key: SiteKey, source: &Arc<dyn PoolSource>) {
    let weak = Arc::downgrade(source);
    with_registry(|registry| registry.pools.push((key, weak)));
}

/// Every lock's site and counts, and every pool's site and statistics, as they are now.
pub(crate) struct Snapshot {
    /// Each live lock's site, 1 and counts (several locks may share a site), and for each
    /// site whose locks were dropped, how many and what they counted.
    pub(crate) locks: Vec<(SiteKey, usize, Counts)>,
    /// Each pool's site and statistics.
    pub(crate) pools: Vec<(SiteKey, PoolStats)>,
}

/// The live locks, the retired totals and the live pools, the live ones as strong
/// references: they are read (and, if that makes them the last reference, dropped) after
/// the registry is unlocked.
struct Live {
    locks: Vec<(SiteKey, Arc<LockCounters>)>,
    retired: Vec<(SiteKey, usize, Counts)>,
    pools: Vec<(SiteKey, Arc<dyn PoolSource>)>,
}

/// Upgraded under the registry's lock; the caller reads and drops them after it is released:
/// dropping a lock's last `Arc` runs `LockCounters::drop`, which takes this lock again
/// (`retire`), and under it that would deadlock.
fn live() -> Live {
    with_registry(|registry| {
        registry.pools.retain(|(_, pool)| pool.strong_count() > 0);
        let locks = registry
            .locks
            .values()
            .filter_map(|(key, weak)| Some((key.clone(), weak.upgrade()?)))
            .collect();
        let now = now_ns();
        let retired = registry
            .retired
            .iter()
            .map(|(key, retired)| {
                let mut counts = retired.counts;
                counts.observed = observed(retired.since_ns.unwrap_or(now), now);
                (key.clone(), retired.dropped, counts)
            })
            .collect();
        let pools = registry
            .pools
            .iter()
            .filter_map(|(key, weak)| Some((key.clone(), weak.upgrade()?)))
            .collect();
        Live {
            locks,
            retired,
            pools,
        }
    })
}

/// Every lock's site and counts, and every pool's site and statistics, as they are now.
pub(crate) fn snapshot() -> Snapshot {
    let Live {
        locks,
        retired: mut counted,
        pools,
    } = live();
    let now = now_ns();
    counted.extend(
        locks
            .iter()
            .map(|(key, counters)| (key.clone(), 1, counters.snapshot(now))),
    );
    Snapshot {
        locks: counted,
        pools: pools
            .iter()
            .map(|(key, source)| (key.clone(), source.stats()))
            .collect(),
    }
}

/// Zeroes every lock's counters, and forgets what dropped locks counted. (Pools' counters
/// are the pools' own and stay.)
pub(crate) fn reset() {
    let locks = live().locks;
    with_registry(|registry| registry.retired.clear());
    for (_, counters) in &locks {
        counters.reset();
    }
}

/// How many live locks of the registry `matches` (for tests).
#[cfg(test)]
pub(crate) fn live_lock_count(matches: impl Fn(&SiteKey) -> bool) -> usize {
    with_registry(|registry| {
        registry
            .locks
            .values()
            .filter(|(key, _)| matches(key))
            .count()
    })
}
