//! An async producer/consumer queue: a bounded `VecDeque` behind lockwise's
//! `write_when_async` (the producer awaits room, the consumer awaits an item; no channel,
//! no notify) against tokio's bounded `mpsc` channel of the same capacity, peers
//! alternating in one process (`common/mod.rs`). Run with
//! `cargo bench -p lockwise-benches --bench async_queue`.
//!
//! One op is one whole transfer: a producer task sends [`ITEMS`] numbers through a queue of
//! [`CAP`] slots to a consumer task, which sums them; the op ends when the sum is back. The
//! runtime is built once, outside the timing, and each op is one `block_on` that spawns the
//! producer and consumes on the calling task:
//!
//! - tokio's current-thread runtime: both tasks on one thread, so what is measured is the
//!   queue and the wake-ups, with no cross-thread traffic;
//! - tokio's multi-thread runtime (two workers): the producer on a worker, the consumer on
//!   the calling thread; the wake-ups cross threads.
//!
//! mpsc is the tool made for exactly this; lockwise's queue is a condition over any state
//! (here a deque, but it could be a deque and a `closed` flag and a counter), so the ratio
//! is the price of that generality. The calling thread waits for a worker in the
//! multi-thread case, so those rounds are never "clean" (statistics over all rounds, `*`).

#[allow(dead_code)] // `common::parallelism` is for the lock benches
mod common;

use std::collections::VecDeque;
use std::hint::black_box;
use std::sync::Arc;

use common::{Settings, Workload};
use lockwise::{Guarded, mode};

const CAP: usize = 16;
const ITEMS: u64 = 1_000;

const LOCKWISE: &str = "lockwise write_when_async";
const MPSC: &str = "tokio mpsc::channel";

/// The lockwise queue: a deque and two conditions over it.
type Queue = Guarded<VecDeque<u64>, mode::Mutex>;

async fn transfer_lockwise(
    spawn: impl FnOnce(std::pin::Pin<Box<dyn Future<Output = ()> + Send>>),
) -> u64 {
    let queue: Arc<Queue> = Arc::new(Guarded::new(VecDeque::with_capacity(CAP)));
    let producer = Arc::clone(&queue);
    spawn(Box::pin(async move {
        for item in 0..ITEMS {
            producer
                .write_when_async(|q| q.len() < CAP)
                .await
                .push_back(black_box(item));
        }
    }));
    let mut sum = 0;
    for _ in 0..ITEMS {
        let item = queue.write_when_async(|q| !q.is_empty()).await.pop_front();
        sum += item.unwrap_or_default();
    }
    sum
}

async fn transfer_mpsc(
    spawn: impl FnOnce(std::pin::Pin<Box<dyn Future<Output = ()> + Send>>),
) -> u64 {
    let (tx, mut rx) = tokio::sync::mpsc::channel(CAP);
    spawn(Box::pin(async move {
        for item in 0..ITEMS {
            if tx.send(black_box(item)).await.is_err() {
                return;
            }
        }
    }));
    let mut sum = 0;
    for _ in 0..ITEMS {
        sum += rx.recv().await.unwrap_or_default();
    }
    sum
}

fn main() {
    let settings = Settings::from_env();
    let filters = common::filters();
    common::print_machine(&settings);
    let expected: u64 = (0..ITEMS).sum();
    let runtimes = [
        (
            "tokio current_thread",
            tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap(),
        ),
        (
            "tokio multi_thread (2 workers)",
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .build()
                .unwrap(),
        ),
    ];
    for (name, runtime) in &runtimes {
        let spawn = |task| drop(runtime.spawn(task));
        let title = format!("async queue ({CAP} slots, {ITEMS} items per op), {name}");
        let results = Workload::new(title, 1, settings)
            .baseline(MPSC)
            .peer(LOCKWISE, |_| {
                assert_eq!(runtime.block_on(transfer_lockwise(spawn)), expected);
            })
            .peer(MPSC, |_| {
                assert_eq!(runtime.block_on(transfer_mpsc(spawn)), expected);
            })
            .note(format!(
                "one op = {ITEMS} items from a producer task to a consumer task"
            ))
            .run(&filters);
        if let Some(r) = results {
            println!(
                "  per item: lockwise {}, mpsc {}; lockwise ÷ mpsc: {:.3}",
                common::time(r.median(LOCKWISE) / ITEMS as f64),
                common::time(r.median(MPSC) / ITEMS as f64),
                r.median(LOCKWISE) / r.median(MPSC)
            );
        }
    }
}
