//! Wall-clock cost of `#[guarded]` locks against the same code written by hand with
//! `parking_lot` (what lockwise expands to) and with `std::sync`, peers alternating in one
//! process (see `common/mod.rs`). Run with `cargo bench -p lockwise-benches --bench guarded_wall`.
//!
//! Workloads:
//! - `#[guarded]` (mutex): `read()` of a field then `write()` increment, 1 thread;
//! - `#[guarded(rw)]`: `read()` of a field, 1 and 2 threads hammering the same lock;
//! - per-field locks: read the `#[lock(rw)]` field, increment through the `#[lock(mutex)]`
//!   field, 1 thread, uncontended.
//!
//! Target (DESIGN.md §9): lockwise ÷ hand-written parking_lot = 1.00 within the noise band.
//! The instruction counts behind that claim are in `guarded_instructions.rs`.

mod common;

use std::hint::black_box;

use common::{Settings, Workload};

#[path = "common/subjects.rs"]
mod subjects;

use subjects::{
    Config, Counter, CounterState, HandServer, Server, ServerState, Stats, Table, TableState,
};

const LOCKWISE_MUTEX: &str = "lockwise #[guarded]";
const LOCKWISE_RW: &str = "lockwise #[guarded(rw)]";
const LOCKWISE_FIELDS: &str = "lockwise per-field";
const PL_MUTEX: &str = "parking_lot::Mutex";
const PL_RW: &str = "parking_lot::RwLock";
const PL_FIELDS: &str = "parking_lot fields by hand";
const STD_MUTEX: &str = "std::sync::Mutex";
const STD_RW: &str = "std::sync::RwLock";
/// The same field read with no lock at all, through `&`: the floor, and (from 1 to 2
/// threads) a check that the threads really ran in parallel.
const CONTROL: &str = "no lock (control)";

fn main() {
    let settings = Settings::from_env();
    let filters = common::filters();
    common::print_machine(&settings);
    let mut parity: Vec<(String, f64, f64)> = Vec::new();

    // (a) mutex: read a field, then increment a field.
    let lockwise = Counter::new(CounterState { hits: 0, misses: 1 });
    let by_hand = parking_lot::Mutex::new(CounterState { hits: 0, misses: 1 });
    let by_std = std::sync::Mutex::new(CounterState { hits: 0, misses: 1 });
    let results = Workload::new("mutex: read() a field + write() increment", 1, settings)
        .baseline(PL_MUTEX)
        .peer(LOCKWISE_MUTEX, |_| {
            black_box(lockwise.read().misses);
            lockwise.write().hits += 1;
        })
        .peer(PL_MUTEX, |_| {
            black_box(by_hand.lock().misses);
            by_hand.lock().hits += 1;
        })
        .peer(STD_MUTEX, |_| {
            black_box(by_std.lock().unwrap().misses);
            by_std.lock().unwrap().hits += 1;
        })
        .note("one op = two lock acquisitions (read guard, then write guard)")
        .run(&filters);
    if let Some(r) = results {
        parity.push((
            "mutex read+write, 1 thread".into(),
            r.median(LOCKWISE_MUTEX),
            r.median(PL_MUTEX),
        ));
    }

    // (b) rw: readers only, 1 and 2 threads on the same lock.
    let lockwise = Table::new(TableState { hits: 3, misses: 1 });
    let by_hand = parking_lot::RwLock::new(TableState { hits: 3, misses: 1 });
    let by_std = std::sync::RwLock::new(TableState { hits: 3, misses: 1 });
    let plain = TableState { hits: 3, misses: 1 };
    let mut control_one_thread = f64::NAN;
    for threads in [1, 2] {
        let results = Workload::new("rw: read() a field", threads, settings)
            .baseline(PL_RW)
            .peer(LOCKWISE_RW, |_| {
                black_box(lockwise.read().hits);
            })
            .peer(PL_RW, |_| {
                black_box(by_hand.read().hits);
            })
            .peer(STD_RW, |_| {
                black_box(by_std.read().unwrap().hits);
            })
            .peer(CONTROL, |_| {
                black_box(black_box(&plain).hits);
            })
            .note(if threads > 1 {
                "all threads read the same lock: its reader count is one contended cache line"
            } else {
                "uncontended"
            })
            .run(&filters);
        if let Some(r) = results {
            if threads == 1 {
                control_one_thread = r.median(CONTROL);
            } else {
                println!(
                    "  {}",
                    common::parallelism(control_one_thread, r.median(CONTROL), threads)
                );
            }
            parity.push((
                format!(
                    "rw read, {threads} thread{}",
                    if threads == 1 { "" } else { "s" }
                ),
                r.median(LOCKWISE_RW),
                r.median(PL_RW),
            ));
        }
    }

    // (c) per-field locks, uncontended: read the rw field, increment through the mutex field.
    let lockwise = Server::new(ServerState {
        config: Config { timeout_ms: 250 },
        stats: Stats::default(),
    });
    let hand = HandServer {
        config: parking_lot::RwLock::new(Config { timeout_ms: 250 }),
        stats: parking_lot::Mutex::new(Stats::default()),
    };
    let results = Workload::new(
        "per-field: config() read + stats_mut() increment",
        1,
        settings,
    )
    .baseline(PL_FIELDS)
    .peer(LOCKWISE_FIELDS, |_| {
        black_box(lockwise.config().timeout_ms);
        lockwise.stats_mut().served += 1;
    })
    .peer(PL_FIELDS, |_| {
        black_box(hand.config.read().timeout_ms);
        hand.stats.lock().served += 1;
    })
    .note("one op = a read lock of `config`, then the mutex of `stats`")
    .run(&filters);
    if let Some(r) = results {
        parity.push((
            "per-field, 1 thread".into(),
            r.median(LOCKWISE_FIELDS),
            r.median(PL_FIELDS),
        ));
    }

    // (d) contended writes, 2 threads on one lock: what bounded waiting costs. A thread that
    // waits longer than 1 ms marks the lock starving and the releases hand it over
    // (`fair.rs`); parking_lot alone lets the releasing thread take the lock back.
    let lockwise_mutex = Counter::new(CounterState { hits: 0, misses: 0 });
    let hand_mutex = parking_lot::Mutex::new(CounterState { hits: 0, misses: 0 });
    let lockwise_rw = Table::new(TableState { hits: 0, misses: 0 });
    let hand_rw = parking_lot::RwLock::new(TableState { hits: 0, misses: 0 });
    let results = Workload::new("contended: write() increment, 2 threads", 2, settings)
        .baseline(PL_MUTEX)
        .peer(LOCKWISE_MUTEX, |_| lockwise_mutex.write().hits += 1)
        .peer(PL_MUTEX, |_| hand_mutex.lock().hits += 1)
        .peer(LOCKWISE_RW, |_| lockwise_rw.write().hits += 1)
        .peer(PL_RW, |_| hand_rw.write().hits += 1)
        .note("both threads increment through the same lock in a loop")
        .run(&filters);
    if let Some(r) = results {
        parity.push((
            "mutex write, 2 threads".into(),
            r.median(LOCKWISE_MUTEX),
            r.median(PL_MUTEX),
        ));
        parity.push((
            "rw write, 2 threads".into(),
            r.median(LOCKWISE_RW),
            r.median(PL_RW),
        ));
    }

    if !parity.is_empty() {
        println!("\n## summary: lockwise against the same code by hand with parking_lot");
        println!(
            "{:<28}  {:>14}  {:>14}  {:>7}",
            "workload", "lockwise /op", "by hand /op", "ratio"
        );
        for (name, lockwise, hand) in &parity {
            println!(
                "{name:<28}  {:>14}  {:>14}  {:>7.3}",
                common::time(*lockwise),
                common::time(*hand),
                lockwise / hand
            );
        }
    }
}
