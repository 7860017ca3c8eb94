//! A process-wide metrics registry with the default `#[guarded]` (a mutex), in a `static`.
//!
//! Go's lesson: *use a Mutex for exclusive access.* A request updates several things that
//! must agree with each other (a counter, a histogram bucket, the running sum): one lock
//! around all of them makes each update all-or-nothing, which separate atomics would not.
//! Every access is a short write, so readers have nothing to gain from an `rw` lock.
//!
//! What it shows:
//! - `static METRICS: Metrics = Metrics::new(..)`: `new` is a `const fn` in mutex (and rw)
//!   mode, so no `lazy_static`/`OnceLock` is needed, as long as the initial state is
//!   const-constructible (`BTreeMap::new()`, arrays, integers),
//! - `with_write(|m| ..)` from many threads: the guard cannot escape the closure,
//! - methods on the state (`impl MetricsState`) grouping the fields that change together,
//! - `read()` for a report, with the invariants checked: no update was lost.
//!
//! Run it with `cargo run --example metrics`.

use std::collections::BTreeMap;
use std::thread;

use lockwise::guarded;

/// Upper bounds of the latency buckets, in microseconds; the last one catches the rest.
const BUCKET_BOUNDS_US: [u64; 7] = [100, 250, 500, 1_000, 2_500, 5_000, u64::MAX];

#[guarded] // = #[guarded(mutex)]
#[derive(Debug, Clone)]
pub struct Metrics {
    /// Named counters; a `BTreeMap` so the report comes out sorted, and because
    /// `BTreeMap::new()` is `const` (a `HashMap`'s random hasher is not).
    counters: BTreeMap<&'static str, u64>,
    /// How many requests fell in each bucket of `BUCKET_BOUNDS_US`.
    latency_buckets: [u64; BUCKET_BOUNDS_US.len()],
    latency_count: u64,
    latency_sum_us: u64,
    latency_max_us: u64,
}

/// One registry for the whole process. No `Arc`, no lazy initialization: the wrapper's
/// `new` is `const`, and a `static` is shared by every thread. (The wrapper is never
/// `Clone`: a copy would count on its own, and the report would miss its updates.)
static METRICS: Metrics = Metrics::new(MetricsState {
    counters: BTreeMap::new(),
    latency_buckets: [0; BUCKET_BOUNDS_US.len()],
    latency_count: 0,
    latency_sum_us: 0,
    latency_max_us: 0,
});

// Methods on the state run under the lock by construction: the only way to get a
// `&mut MetricsState` is a write guard or `with_write`.
impl MetricsState {
    fn incr(&mut self, name: &'static str, by: u64) {
        *self.counters.entry(name).or_insert(0) += by;
    }

    /// Records one latency: bucket, count, sum and max change together, so a reader never
    /// sees a count that disagrees with the buckets.
    fn observe(&mut self, latency_us: u64) {
        let bucket = BUCKET_BOUNDS_US
            .iter()
            .position(|&bound| latency_us <= bound)
            .expect("the last bound is u64::MAX");
        self.latency_buckets[bucket] += 1;
        self.latency_count += 1;
        self.latency_sum_us += latency_us;
        self.latency_max_us = self.latency_max_us.max(latency_us);
    }

    fn counter(&self, name: &str) -> u64 {
        self.counters.get(name).copied().unwrap_or(0)
    }

    /// The upper bound of the bucket that holds the `p`-th percentile.
    fn percentile_bound_us(&self, p: u64) -> u64 {
        let rank = (self.latency_count * p).div_ceil(100);
        let mut seen = 0;
        for (count, bound) in self.latency_buckets.iter().zip(BUCKET_BOUNDS_US) {
            seen += count;
            if seen >= rank {
                return bound;
            }
        }
        u64::MAX
    }
}

/// What a worker does per request. The latency is made up but deterministic, so the
/// report is the same on every run.
fn handle_request(worker: u64, i: u64) {
    let latency_us = 40 + (worker * 7_919 + i * 104_729) % 4_000;
    let failed = (worker + i) % 97 == 0;
    // One lock, one all-or-nothing update. Keep the closure short: everything in it
    // runs while every other worker waits for the lock.
    METRICS.with_write(|m| {
        m.incr("requests", 1);
        if failed {
            m.incr("errors", 1);
        }
        m.observe(latency_us);
    });
}

const WORKERS: u64 = 8;
const REQUESTS_PER_WORKER: u64 = 1_000;

pub fn main() {
    // Scoped threads: all of them have finished when `scope` returns.
    thread::scope(|s| {
        for worker in 0..WORKERS {
            s.spawn(move || {
                for i in 0..REQUESTS_PER_WORKER {
                    handle_request(worker, i);
                }
            });
        }
    });

    // In mutex mode `read()` takes the same exclusive lock as `write()`, but the guard
    // only reads: the intent is in the code, and switching to `#[guarded(rw)]` later
    // changes nothing here. The guard is held until the end of this block only.
    let report = {
        let m = METRICS.read();
        // No lost updates: every request was counted, once.
        let expected = WORKERS * REQUESTS_PER_WORKER;
        assert_eq!(m.counter("requests"), expected);
        assert_eq!(m.latency_count, expected);
        assert_eq!(m.latency_buckets.iter().sum::<u64>(), expected);
        // A clone, so the formatting below happens after the lock is released.
        // (`METRICS.snapshot()` does the same in one call.)
        MetricsState::clone(&m)
    };

    println!("{WORKERS} workers x {REQUESTS_PER_WORKER} requests, one `with_write` each");
    for (name, value) in &report.counters {
        println!("  {name:<10} {value:>6}");
    }
    println!(
        "  latency    mean {} us, p50 <= {} us, p99 <= {} us, max {} us",
        report.latency_sum_us / report.latency_count,
        report.percentile_bound_us(50),
        report.percentile_bound_us(99),
        report.latency_max_us,
    );
    let widest = report
        .latency_buckets
        .iter()
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    for (count, bound) in report.latency_buckets.iter().zip(BUCKET_BOUNDS_US) {
        let label = match bound {
            u64::MAX => "inf".to_owned(),
            _ => bound.to_string(),
        };
        let bar = "#".repeat((count * 30 / widest) as usize);
        println!("  <= {label:>5} us {count:>5} {bar}");
    }
}
