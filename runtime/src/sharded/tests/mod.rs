//! Unit tests of the sharded runtime; small enough for Miri
//! (`cargo +nightly miri test -p lockwise-runtime --lib sharded`). The property test against
//! a sequential `HashMap` model is `runtime/tests/sharded_model.rs`.

mod basics;
mod concurrency;
mod entry;
mod keys;
mod panics;
mod reentry;
mod spread;

use crate::sharded::{Keyed, Shards};

/// A shard state keyed by `u64` that holds a `T` (the unit tests' plain per-shard state).
#[derive(Default, Debug, PartialEq)]
pub(super) struct ByU64<T>(pub(super) T);

impl<T> Keyed for ByU64<T> {
    type Key = u64;
}

/// Scaled down under Miri, which runs each operation thousands of times slower.
pub(super) const fn scaled(normal: usize, miri: usize) -> usize {
    if cfg!(miri) { miri } else { normal }
}

/// A key of each of the `N` shards of `shards` (searching `0..`).
pub(super) fn key_per_shard<S: Keyed<Key = u64>, M: crate::mode::Acquire<S>, const N: usize>(
    shards: &Shards<S, M, N>,
) -> Vec<u64> {
    let mut keys = vec![None; N];
    let mut candidate = 0u64;
    while keys.iter().any(Option::is_none) {
        let index = shards.shard_index(&candidate);
        keys[index].get_or_insert(candidate);
        candidate += 1;
    }
    keys.into_iter().flatten().collect()
}
