//! Wall-clock cost of `lockwise::fan_out_async_limit` (and `fan_out_async`) against the
//! same fan-out assembled from futures' stream combinators,
//! `stream::iter(items).map(task).buffered(n).try_collect::<Vec<_>>()`, peers alternating in
//! one process (see `common/mod.rs`). Run with
//! `cargo bench -p lockwise-benches --bench fan_out_async`.
//!
//! Both run on the calling thread under `futures::executor::block_on` (the same executor
//! for both; neither spawns). One op is one whole fan-out, from the call to the `Vec` of
//! results (or the error):
//! - 10,000 futures ready at their first poll, 64 at a time: the machinery itself;
//! - the same, with item 100 failing: how fast the first error stops the rest;
//! - 10,000 futures that each yield twice (two wake-ups through the executor), 64 at a
//!   time, then 1,000 of them all at once.
//!
//! Target (DESIGN §9): ≤ 1.0× `buffered(n).try_collect()`. The two differ in what they
//! promise: `buffered` yields in input order, so a finished result waits behind an
//! unfinished earlier one, and an error is seen only when every earlier item has finished;
//! `fan_out_async_limit` stores results by index and returns at the first error in time.

// `parallelism` (a check for peers that run on several bench threads) is not used here.
#[allow(dead_code)]
mod common;

use std::future::poll_fn;
use std::hint::black_box;
use std::task::Poll;

use common::{Settings, Workload};
use futures::executor::block_on;
use futures::stream::{self, StreamExt, TryStreamExt};
use lockwise::{fan_out_async, fan_out_async_limit};

const LOCKWISE: &str = "lockwise fan_out_async_limit";
const BUFFERED: &str = "futures buffered(n).try_collect";

const TASKS: usize = 10_000;
const LIMIT: usize = 64;
const FAILING_ITEM: usize = 100;
const ALL_AT_ONCE: usize = 1_000;

/// A task that costs almost nothing and is ready at once: what is measured is the fan-out.
async fn tiny(i: usize) -> Result<u64, usize> {
    Ok((black_box(i) as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(17))
}

async fn tiny_failing(i: usize) -> Result<u64, usize> {
    if i == FAILING_ITEM {
        Err(i)
    } else {
        tiny(i).await
    }
}

/// Gives way once, its wake-up already sent: one trip through the executor's queue.
async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

async fn yielding(i: usize) -> Result<u64, usize> {
    yield_now().await;
    yield_now().await;
    tiny(i).await
}

fn main() {
    let settings = Settings::from_env();
    let filters = common::filters();
    common::print_machine(&settings);
    let mut summary: Vec<(String, f64, f64)> = Vec::new();

    let mut record = |title: String, results: Option<common::Results>| {
        if let Some(r) = results {
            summary.push((title, r.median(LOCKWISE), r.median(BUFFERED)));
        }
    };

    let title = format!("{TASKS} ready futures, {LIMIT} at a time");
    let results = Workload::new(&title, 1, settings)
        .baseline(BUFFERED)
        .peer(LOCKWISE, |_| {
            let out = block_on(fan_out_async_limit(LIMIT, 0..TASKS, tiny));
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TASKS));
        })
        .peer(BUFFERED, |_| {
            let out: Result<Vec<u64>, usize> = block_on(
                stream::iter(0..TASKS)
                    .map(tiny)
                    .buffered(LIMIT)
                    .try_collect(),
            );
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TASKS));
        })
        .run(&filters);
    record(title, results);

    let title = format!("{TASKS} ready futures, {LIMIT} at a time, item {FAILING_ITEM} fails");
    let results = Workload::new(&title, 1, settings)
        .baseline(BUFFERED)
        .peer(LOCKWISE, |_| {
            let out = block_on(fan_out_async_limit(LIMIT, 0..TASKS, tiny_failing));
            assert_eq!(black_box(out), Err(FAILING_ITEM));
        })
        .peer(BUFFERED, |_| {
            let out: Result<Vec<u64>, usize> = block_on(
                stream::iter(0..TASKS)
                    .map(tiny_failing)
                    .buffered(LIMIT)
                    .try_collect(),
            );
            assert_eq!(black_box(out), Err(FAILING_ITEM));
        })
        .run(&filters);
    record(title, results);

    let title = format!("{TASKS} futures yielding twice, {LIMIT} at a time");
    let results = Workload::new(&title, 1, settings)
        .baseline(BUFFERED)
        .peer(LOCKWISE, |_| {
            let out = block_on(fan_out_async_limit(LIMIT, 0..TASKS, yielding));
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TASKS));
        })
        .peer(BUFFERED, |_| {
            let out: Result<Vec<u64>, usize> = block_on(
                stream::iter(0..TASKS)
                    .map(yielding)
                    .buffered(LIMIT)
                    .try_collect(),
            );
            assert_eq!(black_box(out).map(|v| v.len()), Ok(TASKS));
        })
        .run(&filters);
    record(title, results);

    let title = format!("{ALL_AT_ONCE} futures yielding twice, all at once");
    let results = Workload::new(&title, 1, settings)
        .baseline(BUFFERED)
        .peer(LOCKWISE, |_| {
            let out = block_on(fan_out_async(0..ALL_AT_ONCE, yielding));
            assert_eq!(black_box(out).map(|v| v.len()), Ok(ALL_AT_ONCE));
        })
        .peer(BUFFERED, |_| {
            let out: Result<Vec<u64>, usize> = block_on(
                stream::iter(0..ALL_AT_ONCE)
                    .map(yielding)
                    .buffered(ALL_AT_ONCE)
                    .try_collect(),
            );
            assert_eq!(black_box(out).map(|v| v.len()), Ok(ALL_AT_ONCE));
        })
        .run(&filters);
    record(title, results);

    println!("\nsummary (median per fan-out; ratio: lockwise / buffered, target ≤ 1.00)");
    for (title, lockwise, buffered) in summary {
        println!(
            "  {title:<55} {:>10} {:>10}  {:.2}x",
            common::time(lockwise),
            common::time(buffered),
            lockwise / buffered
        );
    }
}
