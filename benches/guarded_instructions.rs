//! Instruction counts (callgrind, via gungraun) of single, uncontended lock operations:
//! each `#[guarded]` mode against the same code written by hand with the primitive it
//! expands to (`parking_lot`, `arc-swap`), and with `std::sync` for reference.
//!
//! Run with `cargo bench -p lockwise-benches --bench guarded_instructions` (needs `valgrind`
//! and a `gungraun-runner` of the same version as the `gungraun` dev-dependency on `PATH`).
//!
//! Every group sets `compare_by_id`, so gungraun prints each peer's counts next to the
//! others' for the same bench id. Target (DESIGN.md §9): the lockwise peer executes the same
//! number of instructions as the hand-written `parking_lot` / `arc-swap` peer.
//!
//! How the peers are kept honest:
//!
//! - Each lock lives in a `&'static` made by the bench's argument expression, which gungraun
//!   evaluates outside the measured function; nothing is moved into it or dropped in it.
//! - The lockwise and hand-written peers guard the very same state type (the one
//!   `#[guarded]` generates) and do the same work on it; inputs and results go through
//!   `black_box`.
//! - `arc-swap` registers a per-thread slot on a thread's first load; the setup of both
//!   read_mostly peers loads once so that no peer pays it in the measured call.
//! - With `--features profile`, a lock registers its counters on its first acquisition and
//!   times the hold of one acquisition in 64 (the first among them). The setups acquire each
//!   lockwise lock once for reading and once for writing (`warm_up`), so the measured call is
//!   a steady-state counted acquisition: that is the profile's per-acquisition overhead.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;

use arc_swap::{ArcSwap, ArcSwapOption};
use gungraun::{library_benchmark, library_benchmark_group, main};

#[path = "common/subjects.rs"]
mod subjects;

use subjects::{
    Config, Counter, CounterState, HandServer, Registry, RegistryState, Server, ServerState, Stats,
    Table, TableState,
};

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

fn counter_state() -> CounterState {
    CounterState { hits: 1, misses: 2 }
}

fn table_state() -> TableState {
    TableState { hits: 1, misses: 2 }
}

fn registry_state() -> RegistryState {
    RegistryState {
        entries: HashMap::from([("a".to_owned(), 1)]),
        version: 7,
    }
}

/// Under `--features profile`, the setup's acquisitions that register the lock's counters
/// and take the sampled hold (see the module doc). Without the feature it does nothing.
fn warm_up(read: impl Fn(), write: impl Fn()) {
    if cfg!(feature = "profile") {
        read();
        write();
    }
}

fn lockwise_counter() -> &'static Counter {
    let counter = leak(Counter::new(counter_state()));
    warm_up(|| drop(counter.read()), || drop(counter.write()));
    counter
}

fn parking_lot_counter() -> &'static parking_lot::Mutex<CounterState> {
    leak(parking_lot::Mutex::new(counter_state()))
}

fn std_counter() -> &'static std::sync::Mutex<CounterState> {
    leak(std::sync::Mutex::new(counter_state()))
}

fn lockwise_table() -> &'static Table {
    let table = leak(Table::new(table_state()));
    warm_up(|| drop(table.read()), || drop(table.write()));
    table
}

fn parking_lot_table() -> &'static parking_lot::RwLock<TableState> {
    leak(parking_lot::RwLock::new(table_state()))
}

fn std_table() -> &'static std::sync::RwLock<TableState> {
    leak(std::sync::RwLock::new(table_state()))
}

fn lockwise_server() -> &'static Server {
    let server = leak(Server::new(ServerState {
        config: Config { timeout_ms: 250 },
        stats: Stats::default(),
    }));
    warm_up(|| drop(server.config()), || drop(server.config_mut()));
    warm_up(|| drop(server.stats()), || drop(server.stats_mut()));
    server
}

fn hand_server() -> &'static HandServer {
    leak(HandServer {
        config: parking_lot::RwLock::new(Config { timeout_ms: 250 }),
        stats: parking_lot::Mutex::new(Stats::default()),
    })
}

fn lockwise_registry() -> &'static Registry {
    let registry = leak(Registry::new(registry_state()));
    black_box(registry.read().version); // registers this thread with arc-swap
    warm_up(|| drop(registry.read()), || drop(registry.write()));
    registry
}

fn arc_swap_registry() -> &'static ArcSwap<RegistryState> {
    let registry = leak(ArcSwap::from_pointee(registry_state()));
    black_box(registry.load().version);
    registry
}

fn arc_swap_option_registry() -> &'static ArcSwapOption<RegistryState> {
    let registry = leak(ArcSwapOption::new(Some(Arc::new(registry_state()))));
    black_box(registry.load().as_ref().map(|r| r.version));
    registry
}

// ---------------------------------------------------------------------------------------
// #[guarded] (mutex): read a field; increment a field.
// ---------------------------------------------------------------------------------------

#[library_benchmark]
#[bench::read(lockwise_counter())]
fn mutex_read_lockwise(c: &'static Counter) -> u64 {
    black_box(c.read().hits)
}

#[library_benchmark]
#[bench::read(parking_lot_counter())]
fn mutex_read_parking_lot(c: &'static parking_lot::Mutex<CounterState>) -> u64 {
    black_box(c.lock().hits)
}

#[library_benchmark]
#[bench::read(std_counter())]
fn mutex_read_std(c: &'static std::sync::Mutex<CounterState>) -> u64 {
    black_box(c.lock().unwrap().hits)
}

#[library_benchmark]
#[bench::write(lockwise_counter())]
fn mutex_write_lockwise(c: &'static Counter) {
    c.write().hits += black_box(1);
}

#[library_benchmark]
#[bench::write(parking_lot_counter())]
fn mutex_write_parking_lot(c: &'static parking_lot::Mutex<CounterState>) {
    c.lock().hits += black_box(1);
}

#[library_benchmark]
#[bench::write(std_counter())]
fn mutex_write_std(c: &'static std::sync::Mutex<CounterState>) {
    c.lock().unwrap().hits += black_box(1);
}

// ---------------------------------------------------------------------------------------
// #[guarded(rw)]: read a field; increment a field.
// ---------------------------------------------------------------------------------------

#[library_benchmark]
#[bench::read(lockwise_table())]
fn rw_read_lockwise(t: &'static Table) -> u64 {
    black_box(t.read().hits)
}

#[library_benchmark]
#[bench::read(parking_lot_table())]
fn rw_read_parking_lot(t: &'static parking_lot::RwLock<TableState>) -> u64 {
    black_box(t.read().hits)
}

#[library_benchmark]
#[bench::read(std_table())]
fn rw_read_std(t: &'static std::sync::RwLock<TableState>) -> u64 {
    black_box(t.read().unwrap().hits)
}

#[library_benchmark]
#[bench::write(lockwise_table())]
fn rw_write_lockwise(t: &'static Table) {
    t.write().hits += black_box(1);
}

#[library_benchmark]
#[bench::write(parking_lot_table())]
fn rw_write_parking_lot(t: &'static parking_lot::RwLock<TableState>) {
    t.write().hits += black_box(1);
}

#[library_benchmark]
#[bench::write(std_table())]
fn rw_write_std(t: &'static std::sync::RwLock<TableState>) {
    t.write().unwrap().hits += black_box(1);
}

// ---------------------------------------------------------------------------------------
// Per-field locks: read the rw field; increment through the mutex field.
// ---------------------------------------------------------------------------------------

#[library_benchmark]
#[bench::config_read(lockwise_server())]
fn field_read_lockwise(s: &'static Server) -> u64 {
    black_box(s.config().timeout_ms)
}

#[library_benchmark]
#[bench::config_read(hand_server())]
fn field_read_parking_lot(s: &'static HandServer) -> u64 {
    black_box(s.config.read().timeout_ms)
}

#[library_benchmark]
#[bench::stats_write(lockwise_server())]
fn field_write_lockwise(s: &'static Server) {
    s.stats_mut().served += black_box(1);
}

#[library_benchmark]
#[bench::stats_write(hand_server())]
fn field_write_parking_lot(s: &'static HandServer) {
    s.stats.lock().served += black_box(1);
}

// ---------------------------------------------------------------------------------------
// A program writes one type from many places: `write()` at several call sites.
//
// Each peer's lock is also written by `other_writers`, which the setup calls, so the
// compiler cannot drop them: the acquisition's code then has several callers in the binary,
// as in a real program, and the compiler decides per caller whether to inline it. The
// single-call-site groups above are the best case; this is the common one.
// ---------------------------------------------------------------------------------------

#[inline(never)]
fn other_writers(lockwise: &Counter, hand: &parking_lot::Mutex<CounterState>) {
    lockwise.write().hits += 1;
    lockwise.write().misses += 1;
    lockwise.write().hits -= 1;
    lockwise.write().misses -= 1;
    hand.lock().hits += 1;
    hand.lock().misses += 1;
    hand.lock().hits -= 1;
    hand.lock().misses -= 1;
}

fn counters_written_elsewhere() -> (&'static Counter, &'static parking_lot::Mutex<CounterState>) {
    let lockwise = lockwise_counter();
    let hand = parking_lot_counter();
    other_writers(black_box(lockwise), black_box(hand));
    (lockwise, hand)
}

#[library_benchmark]
#[bench::write(counters_written_elsewhere().0)]
fn many_sites_write_lockwise(c: &'static Counter) {
    c.write().hits += black_box(1);
}

#[library_benchmark]
#[bench::write(counters_written_elsewhere().1)]
fn many_sites_write_parking_lot(c: &'static parking_lot::Mutex<CounterState>) {
    c.lock().hits += black_box(1);
}

// ---------------------------------------------------------------------------------------
// #[guarded(read_mostly)]: read a field of the current snapshot.
// ---------------------------------------------------------------------------------------

#[library_benchmark]
#[bench::read(lockwise_registry())]
fn read_mostly_read_lockwise(r: &'static Registry) -> u64 {
    black_box(r.read().version)
}

#[library_benchmark]
#[bench::read(arc_swap_registry())]
fn read_mostly_read_arc_swap(r: &'static ArcSwap<RegistryState>) -> u64 {
    black_box(r.load().version)
}

// The design lockwise rejected (see `runtime/src/read_mostly.rs`): an `ArcSwapOption`, whose
// slot can be empty so that `get_mut` could lend `&mut` without a copy. Kept to show what
// that would cost every read.
#[library_benchmark]
#[bench::read(arc_swap_option_registry())]
fn read_mostly_read_arc_swap_option(r: &'static ArcSwapOption<RegistryState>) -> u64 {
    match &*r.load() {
        Some(state) => black_box(state.version),
        None => unreachable!("always Some"),
    }
}

library_benchmark_group!(
    name = mutex_read;
    compare_by_id = true;
    benchmarks = mutex_read_lockwise, mutex_read_parking_lot, mutex_read_std
);

library_benchmark_group!(
    name = mutex_write;
    compare_by_id = true;
    benchmarks = mutex_write_lockwise, mutex_write_parking_lot, mutex_write_std
);

library_benchmark_group!(
    name = rw_read;
    compare_by_id = true;
    benchmarks = rw_read_lockwise, rw_read_parking_lot, rw_read_std
);

library_benchmark_group!(
    name = rw_write;
    compare_by_id = true;
    benchmarks = rw_write_lockwise, rw_write_parking_lot, rw_write_std
);

library_benchmark_group!(
    name = per_field;
    compare_by_id = true;
    benchmarks =
        field_read_lockwise,
        field_read_parking_lot,
        field_write_lockwise,
        field_write_parking_lot
);

library_benchmark_group!(
    name = many_sites;
    compare_by_id = true;
    benchmarks = many_sites_write_lockwise, many_sites_write_parking_lot
);

library_benchmark_group!(
    name = read_mostly;
    compare_by_id = true;
    benchmarks =
        read_mostly_read_lockwise,
        read_mostly_read_arc_swap,
        read_mostly_read_arc_swap_option
);

main!(
    library_benchmark_groups = mutex_read,
    mutex_write,
    rw_read,
    rw_write,
    per_field,
    many_sites,
    read_mostly
);
