//! Wall-clock throughput of sharded maps under read/insert/remove mixes (98/1/1, 90/5/5,
//! 50/25/25), at 1 and 2 threads, in two sizes:
//!
//! - "16k keys": lockwise's `Shards` (with the map that hashes once, and with a std
//!   `HashMap` field) against dashmap, scc, papaya, and one `RwLock<HashMap>` /
//!   `Mutex<HashMap>` (parking_lot). Every peer hashes with foldhash; the sharded ones
//!   (lockwise, dashmap) have 16 shards; scc and papaya do not shard by a count.
//! - "100k keys" (issue 24: the size users keep, 6,250 entries a shard, past the L2 cache):
//!   lockwise with a `PrehashedMap` field, with a std `HashMap` field with foldhash, and
//!   with the `HashMap<K, V>` users write (std's default hasher, SipHash-1-3), against
//!   dashmap with foldhash and dashmap with its default hasher (std's).
//!
//! Run with `cargo bench -p lockwise-benches --bench sharded_wall` (filter: `-- "50/25/25"`,
//! `-- "100k"`).
//!
//! Targets (DESIGN.md §9, issues 9 and 24): a `PrehashedMap` field at least 1.1× dashmap's
//! throughput in every mix, i.e. a `÷ dashmap` ratio of at most 0.909 (time per op over
//! dashmap's); a std `HashMap` field at least 1.0× (ratio at most 1), against dashmap with
//! the same hasher.
//!
//! One op: a key from the key space (16k or 200k keys), picked by a per-thread
//! pseudo-random sequence (so two threads do not walk the same keys in step), then a read,
//! an insert or a remove by the mix. Every map starts with every other key (8k or 100k
//! entries), so reads hit about half the time and inserts and removes keep the size
//! steady.

use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

#[path = "common/mod.rs"]
mod common;
#[path = "common/sharded_peers.rs"]
mod peers;

use common::{Settings, Workload};
use peers::BenchMap;

/// The key space of the "16k keys" workloads.
const KEYS: u64 = 1 << 14;
/// The key space of the "100k keys" workloads: half of it is in the map.
const BIG_KEYS: u64 = 200_000;
/// Room for 7,000 entries a shard (8,192 buckets, at most 7,168 entries): the 100k-key maps
/// hold about 6,250 a shard, 76% of their buckets, and never grow.
const BIG_CAPACITY: usize = 16 * 7_000;

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

/// One op on a key of `0..keys`.
#[inline(always)]
fn op<M: BenchMap>(map: &M, mix: Mix, keys: u64, i: u64) {
    let word = mix64(i ^ salt());
    // The top 32 bits scaled to `0..keys` (multiply and shift, no division).
    let key = ((word >> 32) * keys) >> 32;
    let roll = (word & 0xffff) % 100;
    if roll < mix.read {
        black_box(map.get(key));
    } else if roll < mix.read + mix.insert {
        black_box(map.insert(key, word));
    } else {
        black_box(map.remove(key));
    }
}

/// `map` holding every other key of `0..keys`.
fn filled<M: BenchMap>(map: M, keys: u64) -> M {
    for key in (0..keys).step_by(2) {
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
    small(settings, &filters);
    big(settings, &filters);
}

/// The "16k keys" workloads: every peer.
fn small(settings: Settings, filters: &[String]) {
    let capacity = KEYS as usize;
    let mut control_one_thread = [f64::NAN; MIXES.len()];
    for threads in [1, 2] {
        for (m, mix) in MIXES.into_iter().enumerate() {
            let title = format!("sharded {} read/insert/remove, 16k keys", mix.name);
            if !Workload::new(title.clone(), threads, settings).selected(filters) {
                continue;
            }
            let lockwise = filled(peers::lockwise(capacity), KEYS);
            let lockwise_std = filled(peers::lockwise_std(capacity), KEYS);
            let dash = filled(peers::dash(capacity), KEYS);
            let scc = filled(peers::scc(capacity), KEYS);
            let papaya = filled(peers::papaya(capacity), KEYS);
            let rw = filled(peers::rw_hash_map(capacity), KEYS);
            let mutex = filled(peers::mutex_hash_map(capacity), KEYS);
            let workload = Workload::new(title, threads, settings)
                .baseline("dashmap")
                .note("target: lockwise ÷ dashmap ≤ 0.909 (≥ 1.1× dashmap's throughput)")
                .peer("lockwise", |i| op(&lockwise, mix, KEYS, i))
                .peer("lockwise std HashMap", |i| op(&lockwise_std, mix, KEYS, i))
                .peer("dashmap", |i| op(&dash, mix, KEYS, i))
                .peer("scc", |i| op(&scc, mix, KEYS, i))
                .peer("papaya", |i| op(&papaya, mix, KEYS, i))
                .peer("RwLock<HashMap>", |i| op(&rw, mix, KEYS, i))
                .peer("Mutex<HashMap>", |i| op(&mutex, mix, KEYS, i))
                .peer(CONTROL, |i| {
                    black_box(mix64(i ^ salt()));
                });
            report_parallelism(workload.run(filters), threads, &mut control_one_thread[m]);
        }
    }
}

/// The "100k keys" workloads (issue 24): lockwise's three map fields against dashmap with
/// each hasher.
fn big(settings: Settings, filters: &[String]) {
    let mut control_one_thread = [f64::NAN; MIXES.len()];
    for threads in [1, 2] {
        for (m, mix) in MIXES.into_iter().enumerate() {
            let title = format!("sharded {} read/insert/remove, 100k keys", mix.name);
            if !Workload::new(title.clone(), threads, settings).selected(filters) {
                continue;
            }
            let lockwise = filled(peers::lockwise(BIG_CAPACITY), BIG_KEYS);
            let lockwise_std = filled(peers::lockwise_std(BIG_CAPACITY), BIG_KEYS);
            let lockwise_std_sip = filled(peers::lockwise_std_sip(BIG_CAPACITY), BIG_KEYS);
            let dash = filled(peers::dash(BIG_CAPACITY), BIG_KEYS);
            let dash_sip = filled(peers::dash_sip(BIG_CAPACITY), BIG_KEYS);
            let workload = Workload::new(title, threads, settings)
                .baseline("dashmap")
                .baseline("dashmap std hasher")
                .note(
                    "targets: lockwise ÷ dashmap ≤ 0.909; lockwise std HashMap ÷ dashmap ≤ 1; \
                     lockwise HashMap<K, V> ÷ dashmap std hasher ≤ 1",
                )
                .peer("lockwise", |i| op(&lockwise, mix, BIG_KEYS, i))
                .peer("lockwise std HashMap", |i| {
                    op(&lockwise_std, mix, BIG_KEYS, i)
                })
                .peer("lockwise HashMap<K, V>", |i| {
                    op(&lockwise_std_sip, mix, BIG_KEYS, i)
                })
                .peer("dashmap", |i| op(&dash, mix, BIG_KEYS, i))
                .peer("dashmap std hasher", |i| op(&dash_sip, mix, BIG_KEYS, i))
                .peer(CONTROL, |i| {
                    black_box(mix64(i ^ salt()));
                });
            report_parallelism(workload.run(filters), threads, &mut control_one_thread[m]);
        }
    }
}

/// Remembers the control peer's single-thread time, and at 2 threads prints whether the
/// threads ran in parallel.
fn report_parallelism(results: Option<common::Results>, threads: usize, one_thread: &mut f64) {
    let Some(results) = results else {
        return;
    };
    if threads == 1 {
        *one_thread = results.median(CONTROL);
    } else if !one_thread.is_nan() {
        let control = results.median(CONTROL);
        println!("  {}", common::parallelism(*one_thread, control, threads));
    }
}
