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

use peers::{
    BenchMap, Dash, DashSip, HandSharded, Lockwise, LockwiseStd, LockwiseStdSip, RwHashMap,
};

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

/// The 100k-key workload (issue 24): maps of the size users keep, each op averaged over
/// [`BIG_OPS`] keys so that no single key's probe length decides the count.
mod big {
    use super::*;

    /// Keys `0..BIG_KEYS` are in every map.
    pub const BIG_KEYS: u64 = 100_000;
    /// Operations per measured call: divide a count by this for instructions per op.
    pub const BIG_OPS: u64 = 1_000;
    /// Room for the keys and the absent inserts without growing: 7,000 a shard, so every
    /// table has 8,192 buckets, 76% full (hashbrown keeps 7/8 at most).
    pub const BIG_CAPACITY: usize = 16 * 7_000;

    /// A filled map and the keys the measured call walks.
    pub struct Big<M> {
        pub map: M,
        pub keys: Vec<u64>,
    }

    /// `BIG_OPS` keys scattered over `0..BIG_KEYS` (7,919 is prime to 100,000: no repeats).
    fn present() -> Vec<u64> {
        (0..BIG_OPS).map(|i| i * 7_919 % BIG_KEYS).collect()
    }

    /// `BIG_OPS` keys that no map holds.
    fn absent() -> Vec<u64> {
        present().into_iter().map(|k| k + 10 * BIG_KEYS).collect()
    }

    pub fn with_present<M: BenchMap>(map: M) -> &'static Big<M> {
        leak(Big {
            map: peers::fill(map, BIG_KEYS),
            keys: present(),
        })
    }

    pub fn with_absent<M: BenchMap>(map: M) -> &'static Big<M> {
        leak(Big {
            map: peers::fill(map, BIG_KEYS),
            keys: absent(),
        })
    }

    /// The loop alone, what every count below includes: subtract it before dividing.
    pub fn keys_only() -> &'static Vec<u64> {
        leak(present())
    }

    #[inline(always)]
    pub fn gets<M: BenchMap>(big: &Big<M>) {
        for &key in &big.keys {
            black_box(big.map.get(black_box(key)));
        }
    }

    #[inline(always)]
    pub fn inserts<M: BenchMap>(big: &Big<M>) {
        for &key in &big.keys {
            black_box(big.map.insert(black_box(key), black_box(1)));
        }
    }
}

use big::{BIG_CAPACITY, Big};

/// One peer's four 100k-key benches, named as given, each with the bench id `k100` so
/// that gungraun compares the peers of a group.
macro_rules! big_benches {
    ($($ty:ty = $make:expr => $get_present:ident, $get_absent:ident, $insert_present:ident,
        $insert_absent:ident;)*) => {$(
        #[library_benchmark]
        #[bench::k100(big::with_present($make))]
        fn $get_present(big: &'static Big<$ty>) {
            big::gets(big);
        }

        #[library_benchmark]
        #[bench::k100(big::with_absent($make))]
        fn $get_absent(big: &'static Big<$ty>) {
            big::gets(big);
        }

        #[library_benchmark]
        #[bench::k100(big::with_present($make))]
        fn $insert_present(big: &'static Big<$ty>) {
            big::inserts(big);
        }

        #[library_benchmark]
        #[bench::k100(big::with_absent($make))]
        fn $insert_absent(big: &'static Big<$ty>) {
            big::inserts(big);
        }
    )*};
}

big_benches! {
    Lockwise = peers::lockwise(BIG_CAPACITY) =>
        get_present_lockwise, get_absent_lockwise, insert_present_lockwise,
        insert_absent_lockwise;
    LockwiseStd = peers::lockwise_std(BIG_CAPACITY) =>
        get_present_lockwise_std, get_absent_lockwise_std, insert_present_lockwise_std,
        insert_absent_lockwise_std;
    LockwiseStdSip = peers::lockwise_std_sip(BIG_CAPACITY) =>
        get_present_lockwise_std_sip, get_absent_lockwise_std_sip,
        insert_present_lockwise_std_sip, insert_absent_lockwise_std_sip;
    Dash = peers::dash(BIG_CAPACITY) =>
        get_present_dashmap, get_absent_dashmap, insert_present_dashmap,
        insert_absent_dashmap;
    DashSip = peers::dash_sip(BIG_CAPACITY) =>
        get_present_dashmap_sip, get_absent_dashmap_sip, insert_present_dashmap_sip,
        insert_absent_dashmap_sip;
}

#[library_benchmark]
#[bench::k100(big::keys_only())]
fn big_loop_only(keys: &'static Vec<u64>) {
    for &key in keys {
        black_box(black_box(key));
    }
}

library_benchmark_group!(
    name = big_get_present;
    compare_by_id = true;
    benchmarks =
        get_present_lockwise,
        get_present_lockwise_std,
        get_present_lockwise_std_sip,
        get_present_dashmap,
        get_present_dashmap_sip
);
library_benchmark_group!(
    name = big_get_absent;
    compare_by_id = true;
    benchmarks =
        get_absent_lockwise,
        get_absent_lockwise_std,
        get_absent_lockwise_std_sip,
        get_absent_dashmap,
        get_absent_dashmap_sip
);
library_benchmark_group!(
    name = big_insert_present;
    compare_by_id = true;
    benchmarks =
        insert_present_lockwise,
        insert_present_lockwise_std,
        insert_present_lockwise_std_sip,
        insert_present_dashmap,
        insert_present_dashmap_sip
);
library_benchmark_group!(
    name = big_insert_absent;
    compare_by_id = true;
    benchmarks =
        insert_absent_lockwise,
        insert_absent_lockwise_std,
        insert_absent_lockwise_std_sip,
        insert_absent_dashmap,
        insert_absent_dashmap_sip
);
library_benchmark_group!(
    name = big_loop;
    benchmarks = big_loop_only
);

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
main!(
    library_benchmark_groups = get,
    insert,
    hash,
    big_get_present,
    big_get_absent,
    big_insert_present,
    big_insert_absent,
    big_loop
);
