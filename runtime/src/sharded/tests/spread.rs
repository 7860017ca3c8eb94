//! Keys spread over all shards.

use crate::mode::Rw;
use crate::sharded::Shards;
use crate::sharded::tests::scaled;

/// Counts how many of `keys` land in each of the `N` shards of a fresh `Shards`.
fn counts<const N: usize, K: std::hash::Hash>(keys: impl Iterator<Item = K>) -> Vec<usize> {
    let shards: Shards<(), Rw, N> = Shards::new();
    let mut counts = vec![0; N];
    keys.for_each(|k| counts[shards.shard_index(&k)] += 1);
    counts
}

/// With `n` keys over `N` shards, each count is Binomial(n, 1/N): mean n/N, standard
/// deviation sqrt(n (1/N)(1 - 1/N)). The bound allows mean ± half the mean, which is at
/// least 8 standard deviations in every case below (16k keys over 16 shards: 1024 ± 512,
/// σ ≈ 31, 16σ; over 64 shards: 256 ± 128, σ ≈ 15.9, 8σ; Miri's 4k over 16: 256 ± 128,
/// σ ≈ 15.5, 8σ). A fair hash leaves that band with probability below 1e-15 per shard,
/// so the test does not flake; a hash that ignored the seed's bits, or used bits that
/// sequential keys do not change, fails it at once (some shard would get 0 keys).
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

#[test]
fn sequential_integers_spread_over_all_shards() {
    let keys = scaled(16_384, 4_096);
    assert_spread(&counts::<16, _>(0..keys as u64), keys);
    if !cfg!(miri) {
        assert_spread(&counts::<64, _>(0..keys as u64), keys);
    }
}

#[test]
fn similar_strings_spread_over_all_shards() {
    let keys = scaled(16_384, 4_096);
    assert_spread(
        &counts::<16, _>((0..keys).map(|i| format!("session-{i}"))),
        keys,
    );
}
