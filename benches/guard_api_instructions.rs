//! Instruction counts (callgrind, via gungraun) of the guard API a parking_lot or arc-swap
//! user reaches for (issue 14), against those crates: read_mostly's `load_full` against
//! `ArcSwap::load_full`, and owned guards (`read_arc`/`write_arc`) against parking_lot's
//! `arc_lock`.
//!
//! Run with `cargo bench -p lockwise-benches --bench guard_api_instructions` (needs `valgrind`
//! and a `gungraun-runner` of the same version as the `gungraun` dev-dependency on `PATH`).
//!
//! A binary of its own, apart from `guarded_instructions.rs`: measured there, these calls
//! became second callers of the instances that bench measures (`ArcSwap::load` of the same
//! state, the same `write()`), which tipped the inliner and moved those counts (read_mostly
//! `read()` from 67 to 76 instructions, for `ArcSwap::load` too). Here they cannot.
//! The peers' setup is `guarded_instructions.rs`'s: leaked `&'static` values made outside
//! the measured function, and one load first so that arc-swap's per-thread slot exists.

use std::hint::black_box;
use std::sync::Arc;

use arc_swap::ArcSwap;
use gungraun::{library_benchmark, library_benchmark_group, main};
use lockwise::{ArcReadGuard, ArcWriteGuard, guarded};

#[path = "common/subjects.rs"]
mod subjects;

use subjects::{CounterState, Registry, RegistryState, TableState};

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

fn registry_state() -> RegistryState {
    RegistryState {
        entries: std::collections::HashMap::from([("a".to_owned(), 1)]),
        version: 7,
    }
}

fn lockwise_registry() -> &'static Registry {
    let registry = leak(Registry::new(registry_state()));
    black_box(registry.read().version); // registers this thread with arc-swap
    registry
}

fn arc_swap_registry() -> &'static ArcSwap<RegistryState> {
    let registry = leak(ArcSwap::from_pointee(registry_state()));
    black_box(registry.load().version);
    registry
}

fn parking_lot_table_state() -> TableState {
    TableState { hits: 1, misses: 2 }
}

fn parking_lot_counter_state() -> CounterState {
    CounterState { hits: 1, misses: 2 }
}

// ---------------------------------------------------------------------------------------
// read_mostly's arc-swap surface: an owned `Arc` of the current version.
// ---------------------------------------------------------------------------------------

#[library_benchmark]
#[bench::load_full(lockwise_registry())]
fn read_mostly_load_full_lockwise(r: &'static Registry) -> u64 {
    black_box(r.load_full().version)
}

#[library_benchmark]
#[bench::load_full(arc_swap_registry())]
fn read_mostly_load_full_arc_swap(r: &'static ArcSwap<RegistryState>) -> u64 {
    black_box(r.load_full().version)
}

// ---------------------------------------------------------------------------------------
// Owned guards: lock through an `Arc`, read or increment a field, release (and drop the
// guard's `Arc` clone). The lockwise peers call what `#[guarded]` types forward
// `read_arc`/`write_arc` to; the parking_lot peers are its `arc_lock` feature, which needs
// an `Arc<RwLock<T>>` (lockwise's lock sits inside the user's type). The plain `read()` and
// `write()` of such types are `guarded_instructions.rs`'s `rw_read` / `mutex_write` groups.
// ---------------------------------------------------------------------------------------

/// `subjects::Table` again, for the owned guards.
#[guarded(rw)]
pub struct OwnedTable {
    pub hits: u64,
    pub misses: u64,
}

/// `subjects::Counter` again.
#[guarded]
pub struct OwnedCounter {
    pub hits: u64,
    pub misses: u64,
}

fn lockwise_table_arc() -> &'static Arc<OwnedTable> {
    leak(Arc::new(OwnedTable::new(OwnedTableState {
        hits: 1,
        misses: 2,
    })))
}

fn parking_lot_table_arc() -> &'static Arc<parking_lot::RwLock<TableState>> {
    leak(Arc::new(
        parking_lot::RwLock::new(parking_lot_table_state()),
    ))
}

fn lockwise_counter_arc() -> &'static Arc<OwnedCounter> {
    leak(Arc::new(OwnedCounter::new(OwnedCounterState {
        hits: 1,
        misses: 2,
    })))
}

fn parking_lot_counter_arc() -> &'static Arc<parking_lot::Mutex<CounterState>> {
    leak(Arc::new(parking_lot::Mutex::new(
        parking_lot_counter_state(),
    )))
}

// `once` is one lock in a fresh process, where the allocator's first allocation of a size
// takes its slow path; `twice` shows the steady state: (twice - once) is the cost of each
// further lock, with the allocation served from the thread's cache.

#[library_benchmark]
#[bench::once(lockwise_table_arc(), 1)]
#[bench::twice(lockwise_table_arc(), 2)]
fn owned_rw_read_lockwise(t: &'static Arc<OwnedTable>, times: u32) -> u64 {
    let mut sum = 0;
    for _ in 0..black_box(times) {
        let guard = ArcReadGuard::read(Arc::clone(t), |t: &OwnedTable| &**t);
        sum += black_box(guard.hits);
    }
    sum
}

#[library_benchmark]
#[bench::once(parking_lot_table_arc(), 1)]
#[bench::twice(parking_lot_table_arc(), 2)]
fn owned_rw_read_parking_lot(t: &'static Arc<parking_lot::RwLock<TableState>>, times: u32) -> u64 {
    let mut sum = 0;
    for _ in 0..black_box(times) {
        sum += black_box(t.read_arc().hits);
    }
    sum
}

#[library_benchmark]
#[bench::once(lockwise_counter_arc(), 1)]
#[bench::twice(lockwise_counter_arc(), 2)]
fn owned_mutex_write_lockwise(c: &'static Arc<OwnedCounter>, times: u32) {
    for _ in 0..black_box(times) {
        let mut guard = ArcWriteGuard::write(Arc::clone(c), |c: &OwnedCounter| &**c);
        guard.hits += black_box(1);
    }
}

#[library_benchmark]
#[bench::once(parking_lot_counter_arc(), 1)]
#[bench::twice(parking_lot_counter_arc(), 2)]
fn owned_mutex_write_parking_lot(c: &'static Arc<parking_lot::Mutex<CounterState>>, times: u32) {
    for _ in 0..black_box(times) {
        c.lock_arc().hits += black_box(1);
    }
}

library_benchmark_group!(
    name = load_full;
    compare_by_id = true;
    benchmarks = read_mostly_load_full_lockwise, read_mostly_load_full_arc_swap
);

library_benchmark_group!(
    name = owned;
    compare_by_id = true;
    benchmarks =
        owned_rw_read_lockwise,
        owned_rw_read_parking_lot,
        owned_mutex_write_lockwise,
        owned_mutex_write_parking_lot
);

main!(library_benchmark_groups = load_full, owned);
