//! Instruction counts (callgrind, via gungraun) of single-thread, uncontended sharded-map
//! operations on `u64` keys: lockwise's `Shards` against dashmap (same shard count, 16, and
//! same hasher, foldhash), a `parking_lot::RwLock<HashMap>`, and the hand-written twin of
//! `Shards<PrehashedMap>` (the same parts without lockwise's code).
//!
//! Run with `cargo bench -p lockwise-benches --bench sharded_instructions` (needs `valgrind`
//! and a `gungraun-runner` of the same version as the `gungraun` dev-dependency on `PATH`).
//!
//! Targets (DESIGN.md §9, issue 9): at most 1.0× dashmap's instructions per `get` and
//! `insert`; and, release builds paying nothing for the debug-build same-shard check,
//! lockwise's `Shards<PrehashedMap>` within a few instructions of the hand-written twin.
//!
//! The peers:
//!
//! - `lockwise`: `Shards<PrehashedMap<u64, u64>, Rw, 16>`: one hash picks the shard and
//!   finds the key.
//! - `lockwise_std`: `Shards<HashMap<u64, u64, foldhash>, Rw, 16>`: the shard hash, then
//!   the std map hashes the key again. The difference to `lockwise` is the second hash.
//! - `hand`: `benches/common/sharded_peers.rs`'s `HandSharded`.
//! - `dashmap`, `rwlock`: as named, with foldhash.
//! - `hash_only`: `ShardHasher::hash_one(u64)` alone, the cost of one hash.
//!
//! How the peers are kept honest: each map lives in a `&'static` made (and filled with the
//! keys `0..1000`, with room for 16k) by the bench's argument expression, which gungraun
//! evaluates outside the measured function; `get` looks up a present key, `insert` adds an
//! absent one (no peer grows its table), and inputs and results go through `black_box`.
//! Every map is seeded randomly, so a count can differ by a few instructions between runs
//! (another probe length); the ratios are what to read.

use std::hash::BuildHasher;
use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use lockwise::PrehashedMap;
use lockwise::sharded;
use lockwise::sharded::ShardHasher;

#[path = "common/sharded_peers.rs"]
mod peers;

use peers::{BenchMap, Dash, HandSharded, Lockwise, LockwiseStd, RwHashMap};

const KEYS: u64 = 1_000;
const CAPACITY: usize = 16 * 1024;
const PRESENT: u64 = 500;
const ABSENT: u64 = 5_000;

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// What a user writes: `#[sharded(16)]` over a `PrehashedMap`, the macro's own output
/// (the same `Shards` as `lockwise`, through the generated forwards).
#[sharded(16)]
pub struct Generated {
    map: PrehashedMap<u64, u64>,
}

fn generated() -> &'static Generated {
    let map = Generated::from_fn(|_| GeneratedShard {
        map: PrehashedMap::with_capacity(CAPACITY / 16),
    });
    for key in 0..KEYS {
        map.insert(key, key);
    }
    leak(map)
}

#[library_benchmark]
#[bench::get(generated())]
fn get_generated(map: &'static Generated) -> Option<u64> {
    black_box(map.get(&black_box(PRESENT)))
}

#[library_benchmark]
#[bench::insert(generated())]
fn insert_generated(map: &'static Generated) -> Option<u64> {
    black_box(map.insert(black_box(ABSENT), black_box(1)))
}

fn lockwise() -> &'static Lockwise {
    leak(peers::fill(peers::lockwise(CAPACITY), KEYS))
}

fn lockwise_std() -> &'static LockwiseStd {
    leak(peers::fill(peers::lockwise_std(CAPACITY), KEYS))
}

fn hand() -> &'static HandSharded {
    leak(peers::fill(HandSharded::new(CAPACITY), KEYS))
}

fn dash() -> &'static Dash {
    leak(peers::fill(peers::dash(CAPACITY), KEYS))
}

fn rwlock() -> &'static RwHashMap {
    leak(peers::fill(peers::rw_hash_map(CAPACITY), KEYS))
}

#[library_benchmark]
#[bench::get(lockwise())]
fn get_lockwise(map: &'static Lockwise) -> Option<u64> {
    black_box(BenchMap::get(map, black_box(PRESENT)))
}

#[library_benchmark]
#[bench::get(lockwise_std())]
fn get_lockwise_std(map: &'static LockwiseStd) -> Option<u64> {
    black_box(BenchMap::get(map, black_box(PRESENT)))
}

#[library_benchmark]
#[bench::get(hand())]
fn get_hand(map: &'static HandSharded) -> Option<u64> {
    black_box(BenchMap::get(map, black_box(PRESENT)))
}

#[library_benchmark]
#[bench::get(dash())]
fn get_dashmap(map: &'static Dash) -> Option<u64> {
    black_box(BenchMap::get(map, black_box(PRESENT)))
}

#[library_benchmark]
#[bench::get(rwlock())]
fn get_rwlock(map: &'static RwHashMap) -> Option<u64> {
    black_box(BenchMap::get(map, black_box(PRESENT)))
}

#[library_benchmark]
#[bench::insert(lockwise())]
fn insert_lockwise(map: &'static Lockwise) -> Option<u64> {
    black_box(BenchMap::insert(map, black_box(ABSENT), black_box(1)))
}

#[library_benchmark]
#[bench::insert(lockwise_std())]
fn insert_lockwise_std(map: &'static LockwiseStd) -> Option<u64> {
    black_box(BenchMap::insert(map, black_box(ABSENT), black_box(1)))
}

#[library_benchmark]
#[bench::insert(hand())]
fn insert_hand(map: &'static HandSharded) -> Option<u64> {
    black_box(BenchMap::insert(map, black_box(ABSENT), black_box(1)))
}

#[library_benchmark]
#[bench::insert(dash())]
fn insert_dashmap(map: &'static Dash) -> Option<u64> {
    black_box(BenchMap::insert(map, black_box(ABSENT), black_box(1)))
}

#[library_benchmark]
#[bench::insert(rwlock())]
fn insert_rwlock(map: &'static RwHashMap) -> Option<u64> {
    black_box(BenchMap::insert(map, black_box(ABSENT), black_box(1)))
}

#[library_benchmark]
#[bench::hash(leak(ShardHasher::default()))]
fn hash_only(hasher: &'static ShardHasher) -> u64 {
    black_box(hasher.hash_one(black_box(PRESENT)))
}

library_benchmark_group!(
    name = get;
    compare_by_id = true;
    benchmarks = get_lockwise, get_generated, get_lockwise_std, get_hand, get_dashmap, get_rwlock
);
library_benchmark_group!(
    name = insert;
    compare_by_id = true;
    benchmarks =
        insert_lockwise,
        insert_generated,
        insert_lockwise_std,
        insert_hand,
        insert_dashmap,
        insert_rwlock
);
library_benchmark_group!(
    name = hash;
    benchmarks = hash_only
);
main!(library_benchmark_groups = get, insert, hash);
