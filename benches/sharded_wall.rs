//! Wall-clock throughput of sharded maps under read/insert/remove mixes (98/1/1, 90/5/5,
//! 50/25/25), at 1 and 2 threads: lockwise's `Shards` (with the map that hashes once, and
//! with a std `HashMap` field) against dashmap, scc, papaya, and one `RwLock<HashMap>` /
//! `Mutex<HashMap>` (parking_lot). Every peer hashes with foldhash; the sharded ones
//! (lockwise, dashmap) have 16 shards; scc and papaya do not shard by a count.
//!
//! Run with `cargo bench -p lockwise-benches --bench sharded_wall` (filter: `-- "50/25/25"`).
//!
//! Target (DESIGN.md §9, issue 9): at least 1.1× dashmap's throughput in every mix, i.e.
//! a `÷ dashmap` ratio of at most 0.909 (time per op over dashmap's).
//!
//! One op: a key from a 16k-key space, picked by a per-thread pseudo-random sequence (so two
//! threads do not walk the same keys in step), then a read, an insert or a remove by the
//! mix. Every map starts with every other key (8k entries), so reads hit about half the
//! time and inserts and removes keep the size steady.

use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

#[path = "common/mod.rs"]
mod common;
#[path = "common/sharded_peers.rs"]
mod peers;

use common::{Settings, Workload};
use peers::BenchMap;

const KEY_BITS: u32 = 14;
const KEYS: u64 = 1 << KEY_BITS;

/// A mix in percent: reads, inserts; the rest are removes.
#[derive(Clone, Copy)]
struct Mix {
    name: &'static str,
    read: u64,
    insert: u64,
}

const MIXES: [Mix; 3] = [
    Mix {
        name: "98/1/1",
        read: 98,
        insert: 1,
    },
    Mix {
        name: "90/5/5",
        read: 90,
        insert: 5,
    },
    Mix {
        name: "50/25/25",
        read: 50,
        insert: 25,
    },
];

static NEXT_THREAD: AtomicU64 = AtomicU64::new(1);

std::thread_local! {
    /// This thread's salt for the key sequence, set on first use.
    static SALT: Cell<u64> = const { Cell::new(0) };
}

fn salt() -> u64 {
    SALT.with(|salt| {
        if salt.get() == 0 {
            let id = NEXT_THREAD.fetch_add(1, Ordering::Relaxed);
            salt.set(id.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        }
        salt.get()
    })
}

/// splitmix64's finalizer: the op's random word.
#[inline(always)]
fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[inline(always)]
fn op<M: BenchMap>(map: &M, mix: Mix, i: u64) {
    let word = mix64(i ^ salt());
    let key = word >> (64 - KEY_BITS);
    let roll = (word & 0xffff) % 100;
    if roll < mix.read {
        black_box(map.get(key));
    } else if roll < mix.read + mix.insert {
        black_box(map.insert(key, word));
    } else {
        black_box(map.remove(key));
    }
}

fn filled<M: BenchMap>(map: M) -> M {
    for key in (0..KEYS).step_by(2) {
        map.insert(key, key);
    }
    map
}

/// The unsynchronized control peer: the key and op choice of `op`, without a map.
const CONTROL: &str = "control (no map)";

fn main() {
    let settings = Settings::from_env();
    let filters = common::filters();
    common::print_machine(&settings);
    let capacity = KEYS as usize;
    let mut control_one_thread = [f64::NAN; MIXES.len()];
    for threads in [1, 2] {
        for (m, mix) in MIXES.into_iter().enumerate() {
            let lockwise = filled(peers::lockwise(capacity));
            let lockwise_std = filled(peers::lockwise_std(capacity));
            let dash = filled(peers::dash(capacity));
            let scc = filled(peers::scc(capacity));
            let papaya = filled(peers::papaya(capacity));
            let rw = filled(peers::rw_hash_map(capacity));
            let mutex = filled(peers::mutex_hash_map(capacity));
            let title = format!("sharded {} read/insert/remove", mix.name);
            let workload = Workload::new(title, threads, settings)
                .baseline("dashmap")
                .note("target: lockwise ÷ dashmap ≤ 0.909 (≥ 1.1× dashmap's throughput)")
                .peer("lockwise", |i| op(&lockwise, mix, i))
                .peer("lockwise std HashMap", |i| op(&lockwise_std, mix, i))
                .peer("dashmap", |i| op(&dash, mix, i))
                .peer("scc", |i| op(&scc, mix, i))
                .peer("papaya", |i| op(&papaya, mix, i))
                .peer("RwLock<HashMap>", |i| op(&rw, mix, i))
                .peer("Mutex<HashMap>", |i| op(&mutex, mix, i))
                .peer(CONTROL, |i| {
                    black_box(mix64(i ^ salt()));
                });
            let Some(results) = workload.run(&filters) else {
                continue;
            };
            if threads == 1 {
                control_one_thread[m] = results.median(CONTROL);
            } else if !control_one_thread[m].is_nan() {
                let control = results.median(CONTROL);
                println!(
                    "  {}",
                    common::parallelism(control_one_thread[m], control, threads)
                );
            }
        }
    }
}
