//! Wall-clock cost of `lockwise::fan_out` against the same fan-out written by hand with
//! `std::thread::scope` and a channel, and against rayon's
//! `par_iter().map(..).collect::<Result<Vec<_>, _>>()`, peers alternating in one process
//! (see `common/mod.rs`). Run with `cargo bench -p lockwise-benches --bench fan_out`.
//!
//! One op is one whole fan-out, from the call to the `Vec` of results (or the error):
//! - 10,000 tiny tasks (a multiply and a rotate each): the cost of the machinery itself;
//! - the same, with item 100 failing: how fast the first error stops the rest;
//! - 100 tasks that each sleep 200 µs (a blocking call), at most `available_parallelism()`
//!   at once, then 100 at once.
//!
//! The hand-written peer is what a careful user writes: `thread::scope`, a fixed set of
//! workers taking indices from an atomic counter, results sent over an `mpsc` channel as
//! `(index, Result)`, a stop flag set at the first error. rayon uses its global pool, or
//! for 100 at once a pool of 100 threads built once, outside the timing (rayon keeps its
//! threads between calls; `fan_out` and the hand-written peer start theirs on each call).
//!
//! The hand-written and rayon rounds are each followed by a 20 ms pause (listed as a peer,
//! compared to nothing; see [`SETTLE`]): what they leave running after they return
//! (threads still exiting, rayon's workers spinning down) would otherwise be timed as
//! part of the next peer in the rotation.
//!
//! The calling thread of the hand-written and rayon peers waits while others work, so
//! rounds are never "clean" in the harness's sense (every thread on a CPU ≥ 90% of the
//! round): the statistics are over all rounds, marked `*`.

// `parallelism` (a check for peers that run on several bench threads) is not used here.
#[allow(dead_code)]
mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::{Settings, Workload};
use lockwise::{fan_out, fan_out_limit};
use rayon::prelude::*;

const LOCKWISE: &str = "lockwise fan_out";
const BY_HAND: &str = "thread::scope + channel";
const RAYON: &str = "rayon par_iter collect";
const SEQUENTIAL: &str = "sequential (control)";
/// Not a peer: a pause after the hand-written and rayon peers, so that what they leave
/// running is not timed as part of the next peer. The hand-written peer's threads are
/// still exiting when its `thread::scope` returns (it waits for the closures, not for the
/// threads; fan_out joins every thread, so its own teardown is inside its time), and an
/// idle rayon worker yields its CPU some 30 times before it sleeps. With 100 threads on 2
/// CPUs either slowed the next peer by milliseconds.
const SETTLE: &str = "(pause, not a peer)";
const SETTLE_TIME: Duration = Duration::from_millis(20);

const TINY_TASKS: usize = 10_000;
const FAILING_ITEM: usize = 100;
const SLEEPING_TASKS: usize = 100;
const SLEEP: Duration = Duration::from_micros(200);

/// A task that costs almost nothing: what is measured is the fan-out around it.
#[inline]
fn tiny(i: usize) -> Result<u64, usize> {
    Ok((black_box(i) as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(17))
}

fn tiny_failing(i: usize) -> Result<u64, usize> {
    if i == FAILING_ITEM { Err(i) } else { tiny(i) }
}

fn sleeping(i: usize) -> Result<usize, usize> {
    thread::sleep(SLEEP);
    Ok(i)
}

/// The hand-written fan-out: `workers` scoped threads take indices `0..n` from a shared
/// counter and send `(index, result)` over a channel; the caller puts the results in
/// order and, at the first error, tells the workers to stop.
fn by_hand<T, F>(n: usize, workers: usize, task: F) -> Result<Vec<T>, usize>
where
    F: Fn(usize) -> Result<T, usize> + Sync,
    T: Send,
{
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel();
    thread::scope(|s| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, stop, task) = (&next, &stop, &task);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n || sender.send((i, task(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut slots: Vec<Option<T>> = Vec::with_capacity(n);
        slots.resize_with(n, || None);
        let mut first_error = None;
        for (i, result) in receiver {
            match result {
                Ok(value) => slots[i] = Some(value),
                Err(error) => {
                    stop.store(true, Ordering::Relaxed);
                    first_error.get_or_insert(error);
                }
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(slots.into_iter().flatten().collect()),
        }
    })
}

fn main() {
    let settings = Settings::from_env();
    let filters = common::filters();
    common::print_machine(&settings);
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let mut summary: Vec<(String, f64, f64, f64)> = Vec::new();

    // (a) 10,000 tiny tasks: the machinery's own cost.
    let results = Workload::new(format!("{TINY_TASKS} tiny tasks"), 1, settings)
        .baseline(BY_HAND)
        .baseline(RAYON)
        .peer(LOCKWISE, |_| {
            let out = fan_out(0..TINY_TASKS, |i, _| tiny(i));
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TINY_TASKS));
        })
        .peer(BY_HAND, |_| {
            let out = by_hand(TINY_TASKS, cores, tiny);
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TINY_TASKS));
        })
        .peer(SETTLE, |_| thread::sleep(SETTLE_TIME))
        .peer(RAYON, |_| {
            let out: Result<Vec<u64>, usize> = (0..TINY_TASKS).into_par_iter().map(tiny).collect();
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TINY_TASKS));
        })
        .peer(SETTLE, |_| thread::sleep(SETTLE_TIME))
        .peer("lockwise fan_out_limit(1)", |_| {
            let out = fan_out_limit(1, 0..TINY_TASKS, |i, _| tiny(i));
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TINY_TASKS));
        })
        .peer(SEQUENTIAL, |_| {
            let out: Result<Vec<u64>, usize> = (0..TINY_TASKS).map(tiny).collect();
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TINY_TASKS));
        })
        .note(format!(
            "one op = one fan-out of {TINY_TASKS} items, {cores} at a time (available_parallelism)"
        ))
        .run(&filters);
    if let Some(r) = results {
        summary.push((
            format!("{TINY_TASKS} tiny tasks"),
            r.median(LOCKWISE),
            r.median(BY_HAND),
            r.median(RAYON),
        ));
    }

    // (b) The same, with item 100 failing: the rest should not run.
    let results = Workload::new(
        format!("{TINY_TASKS} tiny tasks, item {FAILING_ITEM} fails"),
        1,
        settings,
    )
    .baseline(BY_HAND)
    .baseline(RAYON)
    .peer(LOCKWISE, |_| {
        let out = fan_out(0..TINY_TASKS, |i, _| tiny_failing(i));
        assert_eq!(black_box(out), Err(FAILING_ITEM));
    })
    .peer(BY_HAND, |_| {
        let out = by_hand(TINY_TASKS, cores, tiny_failing);
        assert_eq!(black_box(out), Err(FAILING_ITEM));
    })
    .peer(SETTLE, |_| thread::sleep(SETTLE_TIME))
    .peer(RAYON, |_| {
        let out: Result<Vec<u64>, usize> =
            (0..TINY_TASKS).into_par_iter().map(tiny_failing).collect();
        assert_eq!(black_box(out), Err(FAILING_ITEM));
    })
    .peer(SETTLE, |_| thread::sleep(SETTLE_TIME))
    .note("one op = from the call to the error")
    .run(&filters);
    if let Some(r) = results {
        summary.push((
            format!("{TINY_TASKS} tiny, item {FAILING_ITEM} fails"),
            r.median(LOCKWISE),
            r.median(BY_HAND),
            r.median(RAYON),
        ));
    }

    // (c) 100 blocking tasks, at most `cores` at once.
    let results = Workload::new(
        format!("{SLEEPING_TASKS} tasks sleeping {SLEEP:?}, {cores} at a time"),
        1,
        settings,
    )
    .baseline(BY_HAND)
    .baseline(RAYON)
    .peer(LOCKWISE, |_| {
        let out = fan_out(0..SLEEPING_TASKS, |i, _| sleeping(i));
        assert_eq!(black_box(out).map(|v| v.len()), Ok(SLEEPING_TASKS));
    })
    .peer(BY_HAND, |_| {
        let out = by_hand(SLEEPING_TASKS, cores, sleeping);
        assert_eq!(black_box(out).map(|v| v.len()), Ok(SLEEPING_TASKS));
    })
    .peer(SETTLE, |_| thread::sleep(SETTLE_TIME))
    .peer(RAYON, |_| {
        let out: Result<Vec<usize>, usize> =
            (0..SLEEPING_TASKS).into_par_iter().map(sleeping).collect();
        assert_eq!(black_box(out).map(|v| v.len()), Ok(SLEEPING_TASKS));
    })
    .peer(SETTLE, |_| thread::sleep(SETTLE_TIME))
    .note(format!(
        "floor: {} sleeps in a row per thread",
        SLEEPING_TASKS.div_ceil(cores)
    ))
    .run(&filters);
    if let Some(r) = results {
        summary.push((
            format!("{SLEEPING_TASKS} sleeping, {cores} at a time"),
            r.median(LOCKWISE),
            r.median(BY_HAND),
            r.median(RAYON),
        ));
    }

    // (d) 100 blocking tasks, all at once: a thread each.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(SLEEPING_TASKS)
        .build()
        .expect("a rayon pool of 100 threads");
    let results = Workload::new(
        format!("{SLEEPING_TASKS} tasks sleeping {SLEEP:?}, all at once"),
        1,
        settings,
    )
    .baseline(BY_HAND)
    .baseline(RAYON)
    .peer(LOCKWISE, |_| {
        let out = fan_out_limit(SLEEPING_TASKS, 0..SLEEPING_TASKS, |i, _| sleeping(i));
        assert_eq!(black_box(out).map(|v| v.len()), Ok(SLEEPING_TASKS));
    })
    .peer(BY_HAND, |_| {
        let out = by_hand(SLEEPING_TASKS, SLEEPING_TASKS, sleeping);
        assert_eq!(black_box(out).map(|v| v.len()), Ok(SLEEPING_TASKS));
    })
    .peer(SETTLE, |_| thread::sleep(SETTLE_TIME))
    .peer(RAYON, |_| {
        let out: Result<Vec<usize>, usize> = pool.install(|| {
            (0..SLEEPING_TASKS)
                .into_par_iter()
                .with_max_len(1)
                .map(sleeping)
                .collect()
        });
        assert_eq!(black_box(out).map(|v| v.len()), Ok(SLEEPING_TASKS));
    })
    .peer(SETTLE, |_| thread::sleep(SETTLE_TIME))
    .note(format!(
        "{SLEEPING_TASKS} threads: fan_out and the hand-written peer start them on each call, \
         rayon's pool (built once) keeps them"
    ))
    .run(&filters);
    if let Some(r) = results {
        summary.push((
            format!("{SLEEPING_TASKS} sleeping, all at once"),
            r.median(LOCKWISE),
            r.median(BY_HAND),
            r.median(RAYON),
        ));
    }

    if !summary.is_empty() {
        println!("\n## summary: median time per fan-out, and lockwise's ratio to each peer");
        println!(
            "{:<32}  {:>11}  {:>11}  {:>11}  {:>8}  {:>8}",
            "workload", "lockwise", "by hand", "rayon", "÷ hand", "÷ rayon"
        );
        for (name, lockwise, hand, rayon) in &summary {
            println!(
                "{name:<32}  {:>11}  {:>11}  {:>11}  {:>8.3}  {:>8.3}",
                common::time(*lockwise),
                common::time(*hand),
                common::time(*rayon),
                lockwise / hand,
                lockwise / rayon,
            );
        }
    }
}
