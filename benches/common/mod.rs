//! A small wall-clock harness shared by the `harness = false` benches (no criterion).
//!
//! A [`Workload`] is one operation written once per peer (lockwise and the hand-written
//! equivalents). [`Workload::run`] runs the peers in alternating rounds, `A B C A B C ..`, in
//! this one process, so that frequency changes, other load on the machine and the like hit
//! every peer alike; each round times a batch of operations sized to take about the same
//! time for every peer. It prints, per peer, the median time per op over the rounds and the
//! ratio of that median to the median of each named baseline peer, with the 10th..90th
//! percentile of the round-by-round ratios (round `i` of a peer against round `i` of the
//! baseline) as the noise band.
//!
//! With `threads > 1` every round starts that many scoped threads that run the same batch
//! together; time per op is then the round's wall time (first start to last end) divided by
//! the operations of all threads: the inverse of the aggregate throughput.
//!
//! On a busy machine a bench thread is often descheduled, which says nothing about the
//! lock. On Linux each round therefore also measures the CPU time of its threads, and only
//! rounds in which every thread was on a CPU for at least 90% of the wall time count
//! ("clean" rounds; at 2 threads: rounds that really ran in parallel). A peer with fewer
//! than [`MIN_CLEAN`] clean rounds falls back to all of its rounds, marked `*`.
//!
//! Nothing here asserts on a time: the output is for reading.
//!
//! Environment: `LOCKWISE_BENCH_ROUNDS` (rounds per peer, default 61) and
//! `LOCKWISE_BENCH_ROUND_MS` (target length of one round, default 2). Arguments that do not
//! start with `-` filter workloads by a substring of their title
//! (`cargo bench -p lockwise-benches --bench read_mostly -- "2 threads"`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

/// Fewer clean rounds than this and a peer's statistics use all of its rounds.
pub const MIN_CLEAN: usize = 8;

/// A round is clean when its threads were on a CPU for at least this share of its wall time.
const CLEAN_SHARE: f64 = 0.9;

/// How long and how often each peer runs.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub rounds: usize,
    pub round_time: Duration,
}

impl Settings {
    pub fn from_env() -> Self {
        let var = |name: &str, default: u64| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|&v| v > 0)
                .unwrap_or(default)
        };
        Self {
            rounds: var("LOCKWISE_BENCH_ROUNDS", 61) as usize,
            round_time: Duration::from_millis(var("LOCKWISE_BENCH_ROUND_MS", 2)),
        }
    }
}

/// The substring filters given on the command line (cargo passes `--bench` itself).
pub fn filters() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect()
}

/// Prints the machine: CPU model and core count, the load, and how the bench was built.
pub fn print_machine(settings: &Settings) {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown CPU", |(_, m)| m.trim());
    let logical = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let available = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    println!(
        "machine: {model}, {logical} logical CPUs in /proc/cpuinfo, {available} available; \
         load average {}",
        load.join(" ")
    );
    println!(
        "build: {}; {} rounds per peer of ~{} ms, peers alternating in one process; {}",
        if cfg!(debug_assertions) {
            "debug (numbers are not meaningful)"
        } else {
            "release"
        },
        settings.rounds,
        settings.round_time.as_millis(),
        if thread_cpu_time().is_some() {
            "statistics over clean rounds (every thread on a CPU ≥ 90% of the round)"
        } else {
            "no per-thread CPU clock here: statistics over all rounds"
        }
    );
}

type Batch<'a> = Box<dyn Fn(u64) + Sync + 'a>;

struct Peer<'a> {
    name: String,
    batch: Batch<'a>,
}

/// One timed round.
#[derive(Clone, Copy, Debug)]
struct Round {
    ns_per_op: f64,
    clean: bool,
}

/// One operation, written once per peer, measured side by side.
pub struct Workload<'a> {
    title: String,
    threads: usize,
    baselines: Vec<String>,
    notes: Vec<String>,
    peers: Vec<Peer<'a>>,
    settings: Settings,
}

/// What [`Workload::run`] measured: the median time per op of each peer, in ns.
pub struct Results {
    medians: Vec<(String, f64)>,
}

impl Results {
    /// The median ns/op of the peer called `name`.
    pub fn median(&self, name: &str) -> f64 {
        self.medians
            .iter()
            .find(|(n, _)| n == name)
            .map_or(f64::NAN, |&(_, m)| m)
    }
}

impl<'a> Workload<'a> {
    /// A workload run by `threads` threads at once.
    pub fn new(title: impl Into<String>, threads: usize, settings: Settings) -> Self {
        Self {
            title: title.into(),
            threads: threads.max(1),
            baselines: Vec::new(),
            notes: Vec::new(),
            peers: Vec::new(),
            settings,
        }
    }

    /// A peer the others are compared to: one ratio column per baseline.
    pub fn baseline(mut self, name: impl Into<String>) -> Self {
        self.baselines.push(name.into());
        self
    }

    /// A line printed under the table (what the target is, what one op does).
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// A peer: `op(i)` is one operation, `i` counting up from 0 within a batch. The batch
    /// loop is compiled per peer, so `op` is inlined into it.
    pub fn peer<F>(mut self, name: impl Into<String>, op: F) -> Self
    where
        F: Fn(u64) + Sync + 'a,
    {
        self.peers.push(Peer {
            name: name.into(),
            batch: Box::new(move |iters| {
                for i in 0..iters {
                    op(black_box(i));
                }
            }),
        });
        self
    }

    /// Whether the command-line filters select this workload.
    pub fn selected(&self, filters: &[String]) -> bool {
        filters.is_empty() || filters.iter().any(|f| self.title.contains(f.as_str()))
    }

    /// Runs the peers in alternating rounds and prints the table. Returns `None` when the
    /// command-line filters skip this workload.
    pub fn run(self, filters: &[String]) -> Option<Results> {
        if !self.selected(filters) {
            return None;
        }
        let threads = self.threads;
        // Calibration doubles as warm-up: caches, allocator, arc-swap's per-thread slots.
        let iters: Vec<u64> = self
            .peers
            .iter()
            .map(|p| calibrate(&p.batch, threads, self.settings.round_time))
            .collect();
        let mut rounds: Vec<Vec<Round>> =
            vec![Vec::with_capacity(self.settings.rounds); self.peers.len()];
        for _ in 0..self.settings.rounds {
            for (k, peer) in self.peers.iter().enumerate() {
                rounds[k].push(timed_round(&peer.batch, threads, iters[k]));
            }
        }
        let stats: Vec<PeerStats> = rounds.iter().map(|r| PeerStats::of(r)).collect();
        print!("{}", self.table(&rounds, &stats));
        Some(Results {
            medians: self
                .peers
                .iter()
                .zip(&stats)
                .map(|(p, s)| (p.name.clone(), s.median))
                .collect(),
        })
    }

    fn table(&self, rounds: &[Vec<Round>], stats: &[PeerStats]) -> String {
        let index_of = |name: &str| self.peers.iter().position(|p| p.name == name);
        let baselines: Vec<(String, usize)> = self
            .baselines
            .iter()
            .filter_map(|b| Some((b.clone(), index_of(b)?)))
            .collect();
        let name_width = self
            .peers
            .iter()
            .map(|p| p.name.len())
            .chain([4])
            .max()
            .unwrap_or(4);
        let mut out = String::new();
        let threads = match self.threads {
            1 => "1 thread".to_owned(),
            n => format!("{n} threads"),
        };
        let _ = writeln!(out, "\n## {} ({threads})", self.title);
        let _ = write!(
            out,
            "{:<name_width$}  {:>12}  {:>21}  {:>10}  {:>6}",
            "peer", "median/op", "p10..p90 per op", "ops/s", "clean"
        );
        for (b, _) in &baselines {
            let _ = write!(out, "  {:>26}", format!("÷ {b}"));
        }
        out.push('\n');
        for (k, peer) in self.peers.iter().enumerate() {
            let s = &stats[k];
            let mark = if s.fallback { "*" } else { " " };
            let _ = write!(
                out,
                "{:<name_width$}  {:>12}  {:>21}  {:>10}  {:>6}",
                peer.name,
                format!("{}{mark}", time(s.median)),
                format!("{}..{}", time(s.p10), time(s.p90)),
                rate(s.median),
                format!("{}/{}", s.clean, rounds[k].len()),
            );
            for (_, b) in &baselines {
                let cell = if *b == k {
                    "1 (baseline)".to_owned()
                } else {
                    let (lo, hi) = paired_band(&rounds[k], &rounds[*b]);
                    format!(
                        "{} [{}..{}]",
                        ratio(s.median / stats[*b].median),
                        ratio(lo),
                        ratio(hi)
                    )
                };
                let _ = write!(out, "  {cell:>26}");
            }
            out.push('\n');
        }
        if !baselines.is_empty() {
            let _ = writeln!(
                out,
                "  ÷ columns: median time per op over the baseline's (< 1 = faster), \
                 [p10..p90 of the round-by-round ratios]"
            );
        }
        if self.threads > 1 {
            let _ = writeln!(
                out,
                "  per op = a round's wall time over the ops of all {} threads; ops/s counts \
                 them all; clean = rounds in which all threads ran in parallel",
                self.threads
            );
        }
        if stats.iter().any(|s| s.fallback) {
            let _ = writeln!(
                out,
                "  * fewer than {MIN_CLEAN} clean rounds: over all rounds, the machine was busy"
            );
        }
        for note in &self.notes {
            let _ = writeln!(out, "  {note}");
        }
        out
    }
}

/// A peer's statistics over its clean rounds, or over all of them if too few were clean.
struct PeerStats {
    median: f64,
    p10: f64,
    p90: f64,
    clean: usize,
    fallback: bool,
}

impl PeerStats {
    fn of(rounds: &[Round]) -> Self {
        let clean: Vec<f64> = rounds
            .iter()
            .filter(|r| r.clean)
            .map(|r| r.ns_per_op)
            .collect();
        let fallback = clean.len() < MIN_CLEAN;
        let used: Vec<f64> = if fallback {
            rounds.iter().map(|r| r.ns_per_op).collect()
        } else {
            clean.clone()
        };
        Self {
            median: percentile(&used, 0.5),
            p10: percentile(&used, 0.1),
            p90: percentile(&used, 0.9),
            clean: clean.len(),
            fallback,
        }
    }
}

/// p10 and p90 of the ratios of round `i` of `peer` to round `i` of `base`, over the pairs
/// where both rounds were clean (all pairs if fewer than [`MIN_CLEAN`]).
fn paired_band(peer: &[Round], base: &[Round]) -> (f64, f64) {
    let pairs = || peer.iter().zip(base);
    let clean: Vec<f64> = pairs()
        .filter(|(p, b)| p.clean && b.clean)
        .map(|(p, b)| p.ns_per_op / b.ns_per_op)
        .collect();
    let used = if clean.len() < MIN_CLEAN {
        pairs().map(|(p, b)| p.ns_per_op / b.ns_per_op).collect()
    } else {
        clean
    };
    (percentile(&used, 0.1), percentile(&used, 0.9))
}

/// How faster the unsynchronized control peer ran with `threads` threads than with one:
/// near `threads`× when the threads really ran in parallel, near 1× when the machine had
/// no free core for them.
pub fn parallelism(control_one_thread: f64, control_threads: f64, threads: usize) -> String {
    let speedup = control_one_thread / control_threads;
    format!(
        "parallelism check: the control peer did {speedup:.2}× its single-thread throughput \
         with {threads} threads ({threads}.00× = the threads ran in parallel{})",
        if speedup < threads as f64 * 0.8 {
            "; here they did not: the machine was busy, rerun it when idle"
        } else {
            ""
        }
    )
}

/// How many operations per thread make one round last about `target`.
///
/// Estimated on this thread alone, so that a thread that starts late (the machine is
/// busy) cannot make the rounds tiny; then, for several threads, shortened only if the
/// fastest of three rounds is more than twice the target (contention slows every op).
fn calibrate(batch: &Batch<'_>, threads: usize, target: Duration) -> u64 {
    let scale = |iters: u64, wall: Duration| {
        let scaled = iters as f64 * target.as_secs_f64() / wall.as_secs_f64().max(1e-9);
        (scaled as u64).max(1)
    };
    let mut iters = 1u64;
    loop {
        let wall = timed_batch(batch, iters);
        if wall >= target / 4 || iters >= 1 << 40 {
            iters = scale(iters, wall);
            break;
        }
        iters *= 2;
    }
    // Full-length rounds, as warm-up too.
    let fastest = (0..3)
        .map(|_| {
            let round = timed_round(batch, threads, iters);
            round.ns_per_op * (iters * threads as u64) as f64
        })
        .fold(f64::INFINITY, f64::min);
    if fastest > 2.0 * target.as_nanos() as f64 {
        iters = scale(iters, Duration::from_nanos(fastest as u64));
    }
    iters
}

fn timed_batch(batch: &Batch<'_>, iters: u64) -> Duration {
    let start = Instant::now();
    batch(iters);
    start.elapsed()
}

/// Runs `iters` operations on each of `threads` threads. The round's wall time runs from
/// the first thread's start to the last thread's end: a thread that is descheduled while
/// the others run shows up as lost throughput (and an unclean round), not as a shorter one.
fn timed_round(batch: &Batch<'_>, threads: usize, iters: u64) -> Round {
    let run = || {
        let cpu = thread_cpu_time();
        let start = Instant::now();
        batch(iters);
        let end = Instant::now();
        let cpu = thread_cpu_time()
            .zip(cpu)
            .map(|(after, before)| after.saturating_sub(before));
        (start, end, cpu)
    };
    let spans: Vec<(Instant, Instant, Option<Duration>)> = if threads == 1 {
        vec![run()]
    } else {
        let barrier = Barrier::new(threads);
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        run()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("a bench thread panicked"))
                .collect()
        })
    };
    let start = spans.iter().map(|s| s.0).min();
    let end = spans.iter().map(|s| s.1).max();
    let wall = match (start, end) {
        (Some(start), Some(end)) => end - start,
        _ => Duration::ZERO,
    };
    let wall_ns = wall.as_nanos() as f64;
    let clean = spans.iter().all(|s| match s.2 {
        Some(cpu) => cpu.as_nanos() as f64 >= CLEAN_SHARE * wall_ns,
        None => true,
    });
    Round {
        ns_per_op: wall_ns / (iters * threads as u64) as f64,
        clean,
    }
}

/// The CPU time this thread has used, where the platform tells: on Linux, the first field
/// of `/proc/thread-self/schedstat` (nanoseconds on a CPU). Read at round boundaries only,
/// outside the timed loop. `None` elsewhere, and then every round counts as clean.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let on_cpu_ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(on_cpu_ns))
}

/// A time in ns, in a readable unit.
pub fn time(ns: f64) -> String {
    if ns < 1e3 {
        format!("{ns:.2} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{:.2} ms", ns / 1e6)
    }
}

/// Operations per second, for a time per operation in ns.
fn rate(ns: f64) -> String {
    let per_second = 1e9 / ns;
    if per_second >= 1e6 {
        format!("{:.1} M", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.1} k", per_second / 1e3)
    } else {
        format!("{per_second:.0}")
    }
}

/// A ratio with three decimals, or in scientific notation when tiny.
fn ratio(r: f64) -> String {
    if r >= 0.01 {
        format!("{r:.3}")
    } else {
        format!("{r:.1e}")
    }
}

/// The `q`-quantile (0..=1) of `samples`, by nearest rank.
fn percentile(samples: &[f64], q: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (q * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}
