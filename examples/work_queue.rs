//! A bounded job queue whose workers and producers wait for a condition on the state,
//! with no condition variable and no `notify`.
//!
//! Go's lesson: *`sync.Cond` is for waiting on state; every change must `Signal` or
//! `Broadcast`,* and forgetting one is a classic bug (a worker sleeps next to a full queue).
//! In lockwise the wait is part of taking the lock: `write_when(|q| ..)` blocks until the
//! condition holds, and every write guard that drops wakes the waiters whose condition may
//! have changed. Nobody notifies.
//!
//! What it shows:
//! - workers: `write_when(|q| !q.jobs.is_empty() || q.closed)`: a job, or the end,
//! - producers: `write_when(|q| q.jobs.len() < CAP)`: back-pressure on a full queue,
//! - `close()` is a plain `write()`: it wakes the idle workers, which see `closed`,
//! - every job is done exactly once (the sums match).
//!
//! A per-field lock has the same: `#[lock(mutex)] jobs: ..` gets `jobs_mut_when(|j| ..)`.
//!
//! Run it with `cargo run --example work_queue`.

use std::collections::VecDeque;
use std::thread;

use lockwise::guarded;

/// How many jobs wait in the queue at most; a producer that finds it full waits.
const CAP: usize = 4;
const PRODUCERS: u64 = 2;
const WORKERS: usize = 3;
const JOBS_PER_PRODUCER: u64 = 500;

/// A bounded multi-producer, multi-worker queue: the jobs in order, and whether more will
/// come, under one mutex.
#[guarded]
#[derive(Default)]
pub struct WorkQueue {
    jobs: VecDeque<u64>,
    closed: bool,
}

impl WorkQueue {
    /// Adds a job, waiting while the queue is full.
    pub fn push(&self, job: u64) {
        let mut queue = self.write_when(|q| q.jobs.len() < CAP);
        queue.jobs.push_back(job);
        // Dropping the guard wakes a worker waiting for a job: no notify.
    }

    /// The next job, waiting while there is none; `None` once the queue is closed and empty.
    pub fn pop(&self) -> Option<u64> {
        let mut queue = self.write_when(|q| !q.jobs.is_empty() || q.closed);
        queue.jobs.pop_front()
    }

    /// No more jobs will come: idle workers wake up and stop.
    pub fn close(&self) {
        self.write().closed = true;
    }
}

pub fn main() {
    let queue = WorkQueue::default();
    let (done, sum) = thread::scope(|s| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                s.spawn(|| {
                    let (mut done, mut sum) = (0u64, 0u64);
                    while let Some(job) = queue.pop() {
                        done += 1;
                        sum += job;
                    }
                    (done, sum)
                })
            })
            .collect();
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let queue = &queue;
                s.spawn(move || {
                    for i in 0..JOBS_PER_PRODUCER {
                        queue.push(p * JOBS_PER_PRODUCER + i);
                    }
                })
            })
            .collect();
        for producer in producers {
            producer.join().unwrap();
        }
        queue.close();
        workers
            .into_iter()
            .map(|w| w.join().unwrap())
            .fold((0, 0), |(d, s), (wd, ws)| (d + wd, s + ws))
    });
    let jobs = PRODUCERS * JOBS_PER_PRODUCER;
    assert_eq!(done, jobs, "every job is done exactly once");
    assert_eq!(sum, jobs * (jobs - 1) / 2);
    println!(
        "{WORKERS} workers did {done} jobs from {PRODUCERS} producers through a queue of \
         {CAP}; no condvar, no notify"
    );
}
