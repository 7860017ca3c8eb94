//! Keys spread over all shards, and one key over the shards of many instances.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hash};

use foldhash::SharedSeed;

use crate::mode::Rw;
use crate::sharded::ShardHasher;
use crate::sharded::Shards;
use crate::sharded::hasher::shard_of;
use crate::sharded::tests::scaled;

/// Counts how many of `keys` land in each of the `N` shards of a fresh `Shards`.
fn counts<const N: usize, K: Hash + Eq>(keys: impl Iterator<Item = K>) -> Vec<usize> {
    let shards: Shards<HashSet<K>, Rw, N> = Shards::new();
    let mut counts = vec![0; N];
    keys.for_each(|k| counts[shards.shard_index(&k)] += 1);
    counts
}

/// With `n` keys over `N` shards, each count is Binomial(n, 1/N): mean n/N, standard
/// deviation sqrt(n (1/N)(1 - 1/N)). The bound allows mean ± half the mean, which is at
/// least 8 standard deviations in every case below (16k keys over 16 shards: 1024 ± 512,
/// σ ≈ 31, 16σ; over 64 shards: 256 ± 128, σ ≈ 15.9, 8σ). A fair hash leaves that band
/// with probability 3e-54 per shard in the first case and 2e-14 in the second (exact
/// binomial tails; 1.5e-12 for all 64 shards), so the test does not flake; a hash that
/// ignored the seed's bits, or picked bits the keys do not change, fails it at once (some
/// shard would get 0 keys).
///
/// The tests with this process's random seed use integers scattered by a fixed generator,
/// and strings. Sequential integers (`0..n`) are tested under simulated seeds instead
/// (`sequential_integers_spread_under_every_simulated_seed`): whether they spread depends
/// on the process seed as well as on the pick, and no bound on the share of bad process
/// seeds is small enough to promise a test with the real one never fails (simulated: none
/// in 1,000,000, which bounds the share only by about 3e-6; see `hasher.rs`).
fn assert_spread(counts: &[usize], keys: usize) {
    let mean = keys / counts.len();
    let (min, max) = (mean / 2, mean + mean / 2);
    for (shard, &count) in counts.iter().enumerate() {
        assert!(
            (min..=max).contains(&count),
            "shard {shard} got {count} of {keys} keys, outside {min}..={max}: {counts:?}"
        );
    }
    assert_eq!(counts.iter().sum::<usize>(), keys);
}

/// `n` integers from xorshift64 with a fixed start: scattered over all 64 bits, and the
/// same in every run (so they cannot be chosen against the hasher's random seed).
fn scattered(n: usize) -> impl Iterator<Item = u64> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..n).map(move |_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    })
}

// Not under Miri: these are statistics over thousands of hashes, which Miri interprets for
// half a minute and which hold no memory access to check.
#[test]
#[cfg(not(miri))]
fn scattered_integers_spread_over_all_shards() {
    let keys = 16_384;
    assert_spread(&counts::<16, _>(scattered(keys)), keys);
    assert_spread(&counts::<64, _>(scattered(keys)), keys);
}

#[test]
#[cfg(not(miri))]
fn similar_strings_spread_over_all_shards() {
    let keys = 16_384;
    assert_spread(
        &counts::<16, _>((0..keys).map(|i| format!("session-{i}"))),
        keys,
    );
}

/// How `keys` spread over `N` shards under a hasher with the given seeds: the process-wide
/// one (`SharedSeed::from_u64(process)`, in a real process random) and the per-instance
/// one. `pick` is the shard function: `shard_of::<N>`, or the old one.
fn counts_seeded<const N: usize>(
    process: u64,
    instance: u64,
    keys: impl Iterator<Item = u64>,
    pick: fn(u64) -> usize,
) -> Vec<usize> {
    let shared: &'static SharedSeed = Box::leak(Box::new(SharedSeed::from_u64(process)));
    let hasher = ShardHasher::with_seeds(instance, shared);
    let mut counts = vec![0; N];
    keys.for_each(|k| counts[pick(hasher.hash_one(k))] += 1);
    counts
}

/// The pick before issue 24, bits 47..57 of the hash: kept to show the test below fails it.
fn bits_47_to_57<const N: usize>(hash: u64) -> usize {
    ((hash << 7) >> 54) as usize & (N - 1)
}

/// Process seeds (`SharedSeed::from_u64`, instance seed `seed * 0x9e37_79b9_7f4a_7c15`)
/// under which `bits_47_to_57` left a shard outside ±50% of its share of `0..16_384` over
/// 16 shards, found by searching `0..5000`: 0 (all in one shard), then 463 .. 4480.
const BAD_FOR_BITS_47_TO_57: [u64; 8] = [0, 463, 1259, 1477, 1897, 2240, 3961, 4480];

/// The instance seed of the simulated seeding `process`.
const fn instance_seed(process: u64) -> u64 {
    process.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Sequential integer keys, the commonest, spread over every shard under each of the
/// simulated seedings: the first 64, and those under which the old pick failed. Nothing
/// here is random, so the test cannot flake: it passes or fails the same way every run.
/// Each count must be within ±50% of its share: a uniformly random assignment leaves that
/// band with probability 3e-54 per shard at 16k keys over 16 shards, 4e-15 at 4k keys over
/// 16 shards, 2e-14 at 16k keys over 64 (exact binomial tails), so a failure here means a
/// skewed pick, not bad luck. A simulation of 1,000,000 random seedings (`hasher.rs`)
/// found none outside it.
#[test]
#[cfg(not(miri))]
fn sequential_integers_spread_under_every_simulated_seed() {
    let seeds = (0..64).chain(BAD_FOR_BITS_47_TO_57);
    for process in seeds {
        let instance = instance_seed(process);
        let keys = 16_384;
        let counts = counts_seeded::<16>(process, instance, 0..keys as u64, shard_of::<16>);
        assert_spread(&counts, keys);
        let counts = counts_seeded::<64>(process, instance, 0..keys as u64, shard_of::<64>);
        assert_spread(&counts, keys);
        let counts = counts_seeded::<16>(process, instance, 0..4096, shard_of::<16>);
        assert_spread(&counts, 4096);
    }
}

/// The seedings the test above includes did break the old pick: the test would catch a
/// return to it.
#[test]
#[cfg(not(miri))]
fn the_old_pick_fails_the_simulated_seeds_kept_for_it() {
    for process in BAD_FOR_BITS_47_TO_57 {
        let counts = counts_seeded::<16>(
            process,
            instance_seed(process),
            0..16_384,
            bits_47_to_57::<16>,
        );
        let spread = std::panic::catch_unwind(|| assert_spread(&counts, 16_384));
        assert!(spread.is_err(), "seed {process}: {counts:?}");
    }
}

/// The shard count of the per-instance tests.
const SHARDS: usize = 16;

/// The shard of key 7 in a `Shards` made here: on the calling thread, as its first
/// `Shards` when the thread is new.
fn shard_of_seven() -> usize {
    let shards: Shards<HashSet<u64>, Rw, SHARDS> = Shards::new();
    shards.shard_index(&7)
}

/// P(X >= t) for X ~ Binomial(n, p), summed exactly in f64.
fn binomial_tail(n: usize, p: f64, t: usize) -> f64 {
    let mut term = (1.0 - p).powi(n as i32); // P(X = 0)
    let mut tail = if t == 0 { term } else { 0.0 };
    for k in 1..=n {
        term *= (n - k + 1) as f64 / k as f64 * p / (1.0 - p);
        if k >= t {
            tail += term;
        }
    }
    tail
}

/// C(n, k) in f64.
fn choose(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |c, i| c * (n - i) as f64 / (i + 1) as f64)
}

/// Checks that the shards one key got in `draws` instances look uniform and independent,
/// with a false-alarm probability below `budget` (for a seeding that is uniform and
/// independent per instance). Two statistics, each given half the budget:
///
/// - no shard gets `t` or more of the draws, for the smallest `t` whose union bound
///   `N * P(Binomial(draws, 1/N) >= t)` is below the half budget (100 draws over 16 shards:
///   `t` = 29, where the mean is 6.25);
/// - at least `d` shards get one, for the largest `d` whose bound `C(N, N - d + 1) *
///   ((d - 1) / N)^draws` on "some `N - d + 1` shards all get none" is below it (100 draws:
///   `d` = 12, where about 16 are expected).
///
/// The seeding of issue 22 (one shard for every first instance of a thread) fails both;
/// so does any seeding with fewer than `d` distinct outcomes.
fn assert_uniform(shards: &[usize], budget: f64) {
    let draws = shards.len();
    let p = 1.0 / SHARDS as f64;
    let max_allowed = (1..=draws)
        .find(|&t| SHARDS as f64 * binomial_tail(draws, p, t) < budget / 2.0)
        .expect("a threshold exists")
        - 1;
    let min_distinct = (1..=SHARDS)
        .rev()
        .find(|&d| {
            choose(SHARDS, SHARDS - d + 1) * ((d - 1) as f64 / SHARDS as f64).powi(draws as i32)
                < budget / 2.0
        })
        .expect("one shard is always hit");
    let mut counts = [0usize; SHARDS];
    shards.iter().for_each(|&shard| counts[shard] += 1);
    let distinct = counts.iter().filter(|&&c| c > 0).count();
    assert!(
        counts.iter().all(|&c| c <= max_allowed) && distinct >= min_distinct,
        "key 7 went to these shards in {draws} instances: {counts:?}; a uniform, \
         per-instance seeding gives at most {max_allowed} per shard and at least \
         {min_distinct} distinct shards, except with probability below {budget:e}"
    );
}

/// Issue 22: the first `Shards` made on each new thread sent a given key to the same shard
/// (200 of 200). Threads run one after another, so each new one may reuse the last one's
/// stack, which is what foldhash's own seeding reads. With 100 instances each way, the
/// test fails by chance with probability below 1e-10 per group, 2e-10 in all
/// (`assert_uniform`; Miri's 20 instances get their own thresholds, same bound).
#[test]
fn one_key_spreads_over_the_shards_of_instances_made_on_new_threads_and_in_sequence() {
    let instances = scaled(100, 20);
    let on_new_threads: Vec<usize> = (0..instances)
        .map(|_| std::thread::spawn(shard_of_seven).join().unwrap())
        .collect();
    assert_uniform(&on_new_threads, 1e-10);
    let in_sequence: Vec<usize> = (0..instances).map(|_| shard_of_seven()).collect();
    assert_uniform(&in_sequence, 1e-10);
}

#[test]
fn the_thresholds_are_those_the_docs_state() {
    // `assert_uniform`'s doc, checked: 100 draws allow 28 per shard and need 12 shards.
    let p = 1.0 / SHARDS as f64;
    assert!(SHARDS as f64 * binomial_tail(100, p, 29) < 0.5e-10);
    assert!(SHARDS as f64 * binomial_tail(100, p, 28) >= 0.5e-10);
    assert!(choose(16, 5) * (11.0f64 / 16.0).powi(100) < 0.5e-10);
    assert!(choose(16, 4) * (12.0f64 / 16.0).powi(100) >= 0.5e-10);
    // The exact tail against a hand-computed value: P(Bin(4, 1/2) >= 3) = 5/16.
    assert!((binomial_tail(4, 0.5, 3) - 5.0 / 16.0).abs() < 1e-12);
    // And the test fails the seeding of issue 22, every instance in one shard.
    let failed = std::panic::catch_unwind(|| assert_uniform(&[3; 100], 1e-10));
    assert!(failed.is_err());
}
