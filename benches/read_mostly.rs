//! `#[guarded(read_mostly)]`: read throughput against the usual ways to share a registry,
//! and the cost of a write as the state grows. Peers alternate in one process (see
//! `common/mod.rs`). Run with `cargo bench -p lockwise-benches --bench read_mostly`.
//!
//! Reads: the state is a registry, `HashMap<String, u64>`; one op looks up one key.
//! - lockwise `#[guarded(read_mostly)]`: `registry.read().entries.get(key)`;
//! - `parking_lot::RwLock<RegistryState>`: `lock.read().entries.get(key)`;
//! - `arc_swap::ArcSwap<RegistryState>` by hand: `swap.load().entries.get(key)`;
//! - `papaya::HashMap<String, u64>`: `map.pin().get(key)` (a concurrent map, not a snapshot).
//!
//! Targets (DESIGN.md §9): at 2 threads, lockwise ÷ RwLock ≤ 1.00 (at least the RwLock's
//! throughput); at 1 thread, lockwise ÷ arc-swap ≈ 1.00 (within the noise band).
//!
//! Writes: `write()` clones the whole state, changes the copy and publishes it, so its
//! cost grows with the state: O(size). Compared with the same RCU written by hand on
//! `arc-swap` and with an in-place `RwLock` write.

mod common;

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;

use arc_swap::ArcSwap;
use common::{Settings, Workload};
use lockwise::guarded;

#[guarded(read_mostly)]
#[derive(Clone)]
pub struct Registry {
    pub entries: HashMap<String, u64>,
}

const LOCKWISE: &str = "lockwise read_mostly";
const RWLOCK: &str = "parking_lot::RwLock";
const ARC_SWAP: &str = "arc_swap::ArcSwap by hand";
const PAPAYA: &str = "papaya::HashMap";
/// The same lookup in a plain `HashMap` shared by `&`: no synchronization at all. Its
/// scaling from 1 to 2 threads shows whether the threads really ran in parallel.
const CONTROL: &str = "no lock (control)";

/// Entries of the registry that the read workloads look keys up in.
const READ_ENTRIES: usize = 1_000;

fn key(i: usize) -> String {
    format!("service-{i:06}")
}

fn entries(n: usize) -> HashMap<String, u64> {
    (0..n).map(|i| (key(i), i as u64)).collect()
}

/// The keys each read op looks up, in a scrambled order (op `i` takes `keys[i % len]`).
fn lookup_order(n: usize) -> Vec<String> {
    // A fixed odd stride visits every index once; no two neighbouring ops share a bucket.
    (0..n).map(|i| key((i * 7_919) % n)).collect()
}

fn main() {
    let settings = Settings::from_env();
    let filters = common::filters();
    common::print_machine(&settings);

    reads(settings, &filters);
    writes(settings, &filters);
}

fn reads(settings: Settings, filters: &[String]) {
    let state = RegistryState {
        entries: entries(READ_ENTRIES),
    };
    let lockwise = Registry::new(state.clone());
    let rwlock = parking_lot::RwLock::new(state.clone());
    let arc_swap = ArcSwap::from_pointee(state.clone());
    let papaya: papaya::HashMap<String, u64> = state.entries.clone().into_iter().collect();
    let keys = lookup_order(READ_ENTRIES);
    let key_of = |i: u64| keys[i as usize % keys.len()].as_str();

    let mut control_one_thread = f64::NAN;
    for threads in [1, 2] {
        let mut workload = Workload::new(
            format!("read_mostly read: look up 1 of {READ_ENTRIES} keys"),
            threads,
            settings,
        );
        // The baseline the target names first: arc-swap at 1 thread, the RwLock at 2.
        workload = if threads == 1 {
            workload.baseline(ARC_SWAP).baseline(RWLOCK)
        } else {
            workload.baseline(RWLOCK).baseline(ARC_SWAP)
        };
        let results = workload
            .peer(LOCKWISE, |i| {
                black_box(lockwise.read().entries.get(key_of(i)).copied());
            })
            .peer(RWLOCK, |i| {
                black_box(rwlock.read().entries.get(key_of(i)).copied());
            })
            .peer(ARC_SWAP, |i| {
                black_box(arc_swap.load().entries.get(key_of(i)).copied());
            })
            .peer(PAPAYA, |i| {
                black_box(papaya.pin().get(key_of(i)).copied());
            })
            .peer(CONTROL, |i| {
                black_box(black_box(&state).entries.get(key_of(i)).copied());
            })
            .note(if threads == 1 {
                "target: lockwise ÷ arc_swap within noise"
            } else {
                "target: lockwise ÷ RwLock ≤ 1.00 (≥ RwLock throughput); \
                 all threads read the same registry, no writer"
            })
            .run(filters);
        if let Some(r) = results {
            if threads == 1 {
                control_one_thread = r.median(CONTROL);
            } else {
                println!(
                    "  {}",
                    common::parallelism(control_one_thread, r.median(CONTROL), threads)
                );
            }
        }
    }
}

fn writes(settings: Settings, filters: &[String]) {
    let mut summary: Vec<(usize, f64, f64, f64)> = Vec::new();
    for size in [10, 1_000, 100_000] {
        let state = RegistryState {
            entries: entries(size),
        };
        let lockwise = Registry::new(state.clone());
        let arc_swap = ArcSwap::from_pointee(state.clone());
        let writers = parking_lot::Mutex::new(());
        let rwlock = parking_lot::RwLock::new(state);
        let target = key(size / 2);
        let target = target.as_str();
        let bump = |entries: &mut HashMap<String, u64>| {
            if let Some(v) = entries.get_mut(target) {
                *v += 1;
            }
        };
        let results = Workload::new(
            format!("read_mostly write: bump 1 value in a registry of {size} entries"),
            1,
            settings,
        )
        .baseline(ARC_SWAP)
        .peer(LOCKWISE, |_| bump(&mut lockwise.write().entries))
        .peer(ARC_SWAP, |_| {
            // The same read-copy-update by hand: serialize writers, copy, change, publish.
            let _writer = writers.lock();
            let mut copy = RegistryState::clone(&arc_swap.load());
            bump(&mut copy.entries);
            arc_swap.store(Arc::new(copy));
        })
        .peer(RWLOCK, |_| bump(&mut rwlock.write().entries))
        .note("read_mostly and arc-swap clone the whole map per write; the RwLock writes in place")
        .run(filters);
        if let Some(r) = results {
            summary.push((
                size,
                r.median(LOCKWISE),
                r.median(ARC_SWAP),
                r.median(RWLOCK),
            ));
        }
    }
    if !summary.is_empty() {
        println!("\n## read_mostly write() cost against state size (1 thread): O(size)");
        println!(
            "{:>9}  {:>16}  {:>13}  {:>19}  {:>13}",
            "entries", "lockwise /write", "per entry", "arc-swap RCU /write", "RwLock /write"
        );
        for (size, lockwise, arc_swap, rwlock) in summary {
            println!(
                "{size:>9}  {:>16}  {:>13}  {:>19}  {:>13}",
                common::time(lockwise),
                common::time(lockwise / size as f64),
                common::time(arc_swap),
                common::time(rwlock)
            );
        }
    }
}
