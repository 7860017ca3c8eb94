//! Instruction counts (callgrind, via gungraun) of one pool operation on one thread: take a
//! 4 KiB `Vec<u8>`, write a 64-byte record into it, give it back; against allocating and
//! freeing the same buffer, and against the bare per-thread cache the pool is built on.
//!
//! Run with `cargo bench -p lockwise-benches --bench pool_instructions` (needs `valgrind`
//! and a `gungraun-runner` of the same version as the `gungraun` dev-dependency on `PATH`).
//!
//! Target (DESIGN.md §9, issue 24): a pool round trip costs at most 0.35× an allocation and
//! free (BENCHMARKS.md, "pooled", has the figures and the floors).
//!
//! How the peers are kept honest:
//!
//! - Each measured call does `OPS` round trips, and `loop_only` measures the loop with no
//!   round trip, so an op's count is `(total - loop_only) / OPS`: the call into the
//!   measured function and its argument are paid once, not per op.
//! - Every measured call is a steady-state one: the setup (which gungraun runs outside the
//!   measured function, on the same thread) does one round trip first, so the pool's
//!   per-thread cache exists and holds a buffer, and malloc has the chunk just freed.
//! - The buffer and the record go through `black_box`, so nothing is optimized away.

use std::cell::RefCell;
use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use thread_local::ThreadLocal;

/// Round trips per measured call.
const OPS: usize = 1_000;
const CAPACITY: usize = 4096;
const RECORD: [u8; 64] = [0x5a; 64];

fn new_buffer() -> Vec<u8> {
    Vec::with_capacity(CAPACITY)
}

#[inline(always)]
fn write_record(buf: &mut Vec<u8>) {
    buf.extend_from_slice(black_box(&RECORD));
    black_box(&*buf);
}

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// A lockwise pool whose thread cache holds one buffer.
fn warm_pool() -> &'static lockwise::Pool<Vec<u8>> {
    let pool = leak(lockwise::Pool::from_fn(new_buffer));
    write_record(&mut pool.get());
    pool
}

/// The allocator right after a 4 KiB buffer was freed on this thread.
fn warm_allocator() {
    let mut buffer = new_buffer();
    write_record(&mut buffer);
}

/// The floor: the `thread_local` crate's per-thread `RefCell<Vec<_>>`, which `Pool` is built
/// on, used by hand (no guard, no counters, no bound beyond 32), with one buffer cached.
type BareCache = ThreadLocal<RefCell<Vec<Vec<u8>>>>;

fn warm_bare_cache() -> &'static BareCache {
    let cache = leak(BareCache::new());
    bare_round_trip(cache);
    cache
}

#[inline(always)]
fn bare_round_trip(cache: &BareCache) {
    let mut buffer = cache
        .get_or_default()
        .borrow_mut()
        .pop()
        .unwrap_or_else(new_buffer);
    write_record(&mut buffer);
    buffer.clear();
    let mut idle = cache.get_or_default().borrow_mut();
    if idle.len() < 32 {
        idle.push(buffer);
    }
}

#[library_benchmark]
#[bench::round_trip(warm_allocator())]
fn allocate_and_free(_: ()) {
    for _ in 0..black_box(OPS) {
        let mut buffer = new_buffer();
        write_record(&mut buffer);
    }
}

#[library_benchmark]
#[bench::round_trip(warm_pool())]
fn lockwise_pool(pool: &'static lockwise::Pool<Vec<u8>>) {
    for _ in 0..black_box(OPS) {
        let mut buffer = pool.get();
        write_record(&mut buffer);
    }
}

#[library_benchmark]
#[bench::round_trip(warm_bare_cache())]
fn bare_thread_cache(cache: &'static BareCache) {
    for _ in 0..black_box(OPS) {
        bare_round_trip(cache);
    }
}

// The loop alone, with a `black_box` in its body like the others.
#[library_benchmark]
#[bench::round_trip(())]
fn loop_only(_: ()) {
    for i in 0..black_box(OPS) {
        black_box(i);
    }
}

library_benchmark_group!(
    name = pool_round_trip;
    compare_by_id = true;
    benchmarks = allocate_and_free, lockwise_pool, bare_thread_cache, loop_only
);

main!(library_benchmark_groups = pool_round_trip);
