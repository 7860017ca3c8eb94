//! A bounded job queue, the `examples/work_queue.rs` way (`write_when`, no condvar, no
//! notify) against the same queue written with parking_lot's `Mutex` + two `Condvar`s and
//! `notify_one` (the textbook version), peers alternating in one process
//! (`common/mod.rs`). Run with `cargo bench -p lockwise-benches --bench work_queue`.
//!
//! Half of each round's threads produce (one op = push a job, waiting while the queue is
//! full), half consume (one op = pop a job, waiting while it is empty); every thread does
//! the same number of ops, so each round ends with the queue as it began. Time per op is
//! a round's wall time over all threads' ops: the inverse of the jobs moved per second,
//! counted twice (a push and a pop).
//!
//! Threads that wait are off the CPU, so rounds are rarely "clean" in the harness's sense;
//! figures marked `*` are over all rounds.

#[allow(dead_code)] // `common::parallelism` is for the lock benches
mod common;

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Settings, Workload};
use lockwise::{Guarded, mode};

const CAP: usize = 16;

const LOCKWISE: &str = "lockwise write_when";
const CONDVAR: &str = "parking_lot Mutex + Condvar";

/// The lockwise queue: conditions in the lock.
#[derive(Default)]
struct Conditions {
    jobs: Guarded<VecDeque<u64>, mode::Mutex>,
}

impl Conditions {
    fn push(&self, job: u64) {
        self.jobs.write_when(|q| q.len() < CAP).push_back(job);
    }
    fn pop(&self) -> u64 {
        let mut q = self.jobs.write_when(|q| !q.is_empty());
        q.pop_front().unwrap_or_default()
    }
}

/// The textbook queue: a mutex, a condition variable per condition, and a notify after
/// every change.
#[derive(Default)]
struct Condvars {
    jobs: parking_lot::Mutex<VecDeque<u64>>,
    not_empty: parking_lot::Condvar,
    not_full: parking_lot::Condvar,
}

impl Condvars {
    fn push(&self, job: u64) {
        let mut q = self.jobs.lock();
        while q.len() >= CAP {
            self.not_full.wait(&mut q);
        }
        q.push_back(job);
        drop(q);
        self.not_empty.notify_one();
    }
    fn pop(&self) -> u64 {
        let mut q = self.jobs.lock();
        while q.is_empty() {
            self.not_empty.wait(&mut q);
        }
        let job = q.pop_front().unwrap_or_default();
        drop(q);
        self.not_full.notify_one();
        job
    }
}

static NEXT_THREAD: AtomicUsize = AtomicUsize::new(0);

std::thread_local! {
    static PRODUCES: Cell<Option<bool>> = const { Cell::new(None) };
}

/// This thread's role: the harness calibrates on the main thread alone, which both pushes
/// and pops (it would wait forever as a producer alone). Every round starts an even number
/// of fresh threads, which alternate as they first ask, so each round has as many
/// producers as consumers.
#[derive(Clone, Copy)]
enum Role {
    Produce,
    Consume,
    Both,
}

fn role() -> Role {
    if std::thread::current().name() == Some("main") {
        return Role::Both;
    }
    if produces() {
        Role::Produce
    } else {
        Role::Consume
    }
}

fn produces() -> bool {
    PRODUCES.with(|role| {
        role.get().unwrap_or_else(|| {
            let produces = NEXT_THREAD
                .fetch_add(1, Ordering::Relaxed)
                .is_multiple_of(2);
            role.set(Some(produces));
            produces
        })
    })
}

fn main() {
    let settings = Settings::from_env();
    let filters = common::filters();
    common::print_machine(&settings);
    let conditions = Conditions::default();
    let condvars = Condvars::default();
    for pairs in [1, 2] {
        let title = format!("bounded queue ({CAP}): {pairs} producer(s) + {pairs} consumer(s)");
        let results = Workload::new(title, 2 * pairs, settings)
            .baseline(CONDVAR)
            .peer(LOCKWISE, |i| match role() {
                Role::Produce => conditions.push(i),
                Role::Consume => drop(std::hint::black_box(conditions.pop())),
                Role::Both => {
                    conditions.push(i);
                    std::hint::black_box(conditions.pop());
                }
            })
            .peer(CONDVAR, |i| match role() {
                Role::Produce => condvars.push(i),
                Role::Consume => drop(std::hint::black_box(condvars.pop())),
                Role::Both => {
                    condvars.push(i);
                    std::hint::black_box(condvars.pop());
                }
            })
            .note("one op = one push (producers) or one pop (consumers)")
            .run(&filters);
        if let Some(r) = results {
            println!(
                "  lockwise ÷ condvar: {:.3}",
                r.median(LOCKWISE) / r.median(CONDVAR)
            );
        }
    }
}
