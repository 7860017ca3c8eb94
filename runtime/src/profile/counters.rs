//! The counters of one lock: atomics of its own (allocated beside it, on their own cache
//! line), so counting never makes two locks contend, and one lock's counting adds only to
//! the cache line its own threads already fight over.

use core::sync::atomic::{AtomicU64, Ordering::Relaxed};
use core::time::Duration;

use crate::profile::key::SiteKey;

/// Every how many acquisitions of a lock one hold time is measured: timing every hold
/// would cost two clock reads per acquisition.
pub(crate) const HOLD_SAMPLE_EVERY: u64 = 64;

/// What one lock (or one lazy field) counted.
#[derive(Debug)]
#[repr(align(128))]
pub struct LockCounters {
    /// The site it counts for: where its counts go when the lock is dropped.
    key: SiteKey,
    reads: AtomicU64,
    writes: AtomicU64,
    contended: AtomicU64,
    wait_ns: AtomicU64,
    max_wait_ns: AtomicU64,
    held_ns: AtomicU64,
    hold_samples: AtomicU64,
    condition_waits: AtomicU64,
    condition_wait_ns: AtomicU64,
    /// When the sampled exclusive hold in progress began, in nanoseconds after [`epoch`]:
    /// one exclusive holder at a time, so one start per lock is enough.
    exclusive_since_ns: AtomicU64,
    /// When counting began (registration, or the last reset), in nanoseconds after
    /// [`epoch`]: the start of the time this lock was observed.
    since_ns: AtomicU64,
}

/// The instant the profile's clock starts from: the first time anything asks for it. Only
/// registration, reset and the report read it, never an acquisition.
fn epoch() -> std::time::Instant {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(std::time::Instant::now)
}

/// Now, in nanoseconds after [`epoch`].
pub(crate) fn now_ns() -> u64 {
    u64::try_from(epoch().elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// The time from `since_ns` to `now_ns` (both after [`epoch`]).
pub(crate) fn observed(since_ns: u64, now_ns: u64) -> Duration {
    Duration::from_nanos(now_ns.saturating_sub(since_ns))
}

/// What the locks of one site counted, summed: a snapshot taken by [`report()`](crate::profile::report).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Acquisitions for reading (`read()`, `try_read()`, ...). Not counted for a lazy field:
    /// a call that finds it ready is one atomic load, and stays that.
    pub reads: u64,
    /// Acquisitions for writing (`write()`, `lock()`, ...): for a lazy field, the calls
    /// that ran the initializer.
    pub writes: u64,
    /// Acquisitions whose first attempt failed, so that they waited (or gave up): for a lazy
    /// field, the callers that waited for another caller's initializer. (A blocking mutex
    /// acquisition's first attempt spins briefly before it fails: see `mode/mutex.rs`.)
    pub contended: u64,
    /// Time spent waiting, in total.
    pub waited: Duration,
    /// The longest single wait.
    pub max_wait: Duration,
    /// Time the lock was held, over the sampled holds (one acquisition in 64).
    pub held: Duration,
    /// How many holds were timed.
    pub hold_samples: u64,
    /// Condition waits (`write_when`, `read_when` and their `_for` forms whose predicate was
    /// false when first checked): waiting for the state to change, not for the lock. Counted
    /// apart from [`contended`](Self::contended), and never advised on: a consumer waiting
    /// for work is a healthy queue.
    pub condition_waits: u64,
    /// Time spent in condition waits, from the predicate's first `false` until it held (or
    /// the deadline passed).
    pub condition_waited: Duration,
    /// How long this site has been counted: since its first lock was first used, or since
    /// the last [`reset()`](crate::profile::reset). The time the "share of time" rules
    /// compare the waits with.
    pub observed: Duration,
}

impl LockCounters {
    pub(crate) fn new(key: SiteKey) -> Self {
        LockCounters {
            key,
            reads: AtomicU64::new(0),
            writes: AtomicU64::new(0),
            contended: AtomicU64::new(0),
            wait_ns: AtomicU64::new(0),
            max_wait_ns: AtomicU64::new(0),
            held_ns: AtomicU64::new(0),
            hold_samples: AtomicU64::new(0),
            condition_waits: AtomicU64::new(0),
            condition_wait_ns: AtomicU64::new(0),
            exclusive_since_ns: AtomicU64::new(0),
            since_ns: AtomicU64::new(now_ns()),
        }
    }

    /// The site these counters count for (where their counts go when the lock is dropped:
    /// the registry's `Drop` for them).
    pub(crate) fn key(&self) -> &SiteKey {
        &self.key
    }

    /// Counts an acquisition; `true` when this one's hold time should be sampled.
    #[inline]
    pub(crate) fn acquired(&self, write: bool) -> bool {
        let counter = if write { &self.writes } else { &self.reads };
        let n = counter.fetch_add(1, Relaxed);
        n % HOLD_SAMPLE_EVERY == 0
    }

    /// Counts an acquisition that waited `waited` (its first attempt failed).
    pub(crate) fn waited(&self, waited: Duration) {
        let ns = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        self.contended.fetch_add(1, Relaxed);
        self.wait_ns.fetch_add(ns, Relaxed);
        self.max_wait_ns.fetch_max(ns, Relaxed);
    }

    /// Counts one condition wait that lasted `waited`.
    pub(crate) fn waited_for_condition(&self, waited: Duration) {
        let ns = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        self.condition_waits.fetch_add(1, Relaxed);
        self.condition_wait_ns.fetch_add(ns, Relaxed);
    }

    /// When counting began, in nanoseconds after the profile's epoch.
    pub(crate) fn since_ns(&self) -> u64 {
        self.since_ns.load(Relaxed)
    }

    /// A sampled exclusive hold begins (its holder calls it, holding the lock).
    pub(crate) fn begin_exclusive_hold(&self) {
        self.exclusive_since_ns.store(now_ns(), Relaxed);
    }

    /// The sampled exclusive hold ends (its holder calls it, still holding the lock).
    pub(crate) fn end_exclusive_hold(&self) {
        let since = self.exclusive_since_ns.load(Relaxed);
        self.held(observed(since, now_ns()));
    }

    /// Records one sampled hold.
    pub(crate) fn held(&self, held: Duration) {
        let ns = u64::try_from(held.as_nanos()).unwrap_or(u64::MAX);
        self.held_ns.fetch_add(ns, Relaxed);
        self.hold_samples.fetch_add(1, Relaxed);
    }

    /// What this lock counted, observed until `now_ns` (see [`now_ns`]).
    pub(crate) fn snapshot(&self, now_ns: u64) -> Counts {
        Counts {
            reads: self.reads.load(Relaxed),
            writes: self.writes.load(Relaxed),
            contended: self.contended.load(Relaxed),
            waited: Duration::from_nanos(self.wait_ns.load(Relaxed)),
            max_wait: Duration::from_nanos(self.max_wait_ns.load(Relaxed)),
            held: Duration::from_nanos(self.held_ns.load(Relaxed)),
            hold_samples: self.hold_samples.load(Relaxed),
            condition_waits: self.condition_waits.load(Relaxed),
            condition_waited: Duration::from_nanos(self.condition_wait_ns.load(Relaxed)),
            observed: observed(self.since_ns(), now_ns),
        }
    }

    pub(crate) fn reset(&self) {
        for counter in [
            &self.reads,
            &self.writes,
            &self.contended,
            &self.wait_ns,
            &self.max_wait_ns,
            &self.held_ns,
            &self.hold_samples,
            &self.condition_waits,
            &self.condition_wait_ns,
        ] {
            counter.store(0, Relaxed);
        }
        self.since_ns.store(now_ns(), Relaxed);
    }
}

impl Counts {
    /// Adds `other` (another lock of the same site, observed until the same moment: the
    /// site was observed for as long as its first lock was).
    pub(crate) fn add(&mut self, other: Counts) {
        self.reads += other.reads;
        self.writes += other.writes;
        self.contended += other.contended;
        self.waited += other.waited;
        self.max_wait = self.max_wait.max(other.max_wait);
        self.held += other.held;
        self.hold_samples += other.hold_samples;
        self.condition_waits += other.condition_waits;
        self.condition_waited += other.condition_waited;
        self.observed = self.observed.max(other.observed);
    }

    /// Every acquisition, reads and writes.
    pub fn acquisitions(&self) -> u64 {
        self.reads + self.writes
    }

    /// `part` of the acquisitions, as a fraction from 0 to 1 (0 when there were none).
    pub(crate) fn share(&self, part: u64) -> f64 {
        match self.acquisitions() {
            0 => 0.0,
            all => part as f64 / all as f64,
        }
    }

    /// The mean sampled hold time, if any hold was sampled.
    pub fn mean_hold(&self) -> Option<Duration> {
        u32::try_from(self.hold_samples)
            .ok()
            .filter(|&n| n > 0)
            .map(|n| self.held / n)
    }

    /// The time the locks were held in all, estimated from the sampled holds (mean hold ×
    /// acquisitions), if any hold was sampled.
    pub fn estimated_held(&self) -> Option<Duration> {
        let mean = self.mean_hold()?;
        Some(Duration::from_secs_f64(
            mean.as_secs_f64() * self.acquisitions() as f64,
        ))
    }
}

/// The start of one sampled hold: its token in a guard times the hold when it drops.
pub(crate) struct HoldSample {
    started: std::time::Instant,
    counters: std::sync::Arc<LockCounters>,
}

/// What a shared guard (an rw read, an upgradable read, a read_mostly snapshot) carries for
/// the profile: one sampled hold, or (63 times in 64) a null pointer. Its `Drop` is one
/// test of that pointer; the sampled path is out of line. (An exclusive hold's sample
/// rides in its lock's word instead: `guarded/core/waiters.rs`.) Public only because a
/// mode names it as its read guard's; not something to use.
///
/// ```
/// use lockwise::{mode::Rw, Guarded};
///
/// let v: Guarded<u8, Rw> = Guarded::new(0);
/// let _shared = v.read(); // carries one of these with the `profile` feature
/// ```
#[doc(hidden)]
#[derive(Debug)]
pub struct Sample(Option<Box<HoldSample>>);

impl Sample {
    /// No hold to time.
    pub(crate) const NONE: Self = Sample(None);

    /// Counts an acquisition of the lock `counters` belong to, and, one time in
    /// [`HOLD_SAMPLE_EVERY`], starts timing its hold.
    #[inline(always)]
    pub(crate) fn start(counters: &std::sync::Arc<LockCounters>, write: bool) -> Self {
        if counters.acquired(write) {
            Sample(Some(HoldSample::begin(counters)))
        } else {
            Self::NONE
        }
    }
}

impl Drop for Sample {
    #[inline(always)]
    fn drop(&mut self) {
        if let Some(sample) = self.0.take() {
            HoldSample::finish(sample);
        }
    }
}

// Both ends of a sample are `extern "C"`, that is, they cannot unwind (a panic in them
// would abort; neither panics short of running out of memory). So the compiler needs no
// cleanup path that drops the lock's guard if they did: 3 instructions fewer on every
// counted acquisition (BENCHMARKS.md, "profile").
impl HoldSample {
    #[cold]
    #[inline(never)]
    extern "C" fn begin(counters: &std::sync::Arc<LockCounters>) -> Box<Self> {
        Box::new(HoldSample {
            started: std::time::Instant::now(),
            counters: std::sync::Arc::clone(counters),
        })
    }

    #[cold]
    #[inline(never)]
    extern "C" fn finish(sample: Box<Self>) {
        sample.counters.held(sample.started.elapsed());
    }
}

impl core::fmt::Debug for HoldSample {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HoldSample")
            .field("started", &self.started)
            .finish()
    }
}
