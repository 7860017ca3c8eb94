//! [`ShardHasher`]: the per-instance, randomly seeded foldhash that picks a key's shard, and
//! how its output picks the shard.
//!
//! Seeding. foldhash's own `RandomState` seeds each hasher from the stack address and a
//! per-thread counter that starts at zero, so the first hasher made on each new thread (a
//! thread whose stack reuses a finished one's) gets the same seed: a key went to the same
//! shard in 200 of 200 such instances (issue 22). Each `ShardHasher` instead takes a
//! per-hasher seed of its own: SipHash-1-3 (std's `RandomState`, keyed once per process from
//! the operating system's random source) of a process-wide counter. Distinct counter values
//! give seeds that look independent and uniform to anyone without the key, whichever
//! thread makes the hasher and in whatever order. The counter value is also the hasher's
//! identity ([`ShardHasher::same_function`]).
//!
//! The rest of foldhash's seed is its process-wide shared seed, the one its `RandomState`
//! uses, taken once per hasher and kept by pointer: asked for at every hash, it would cost
//! an initialization check each time (measured: +3 to +4 instructions per `get`, where the
//! pointer costs nothing measurable; BENCHMARKS.md, "sharded").
//!
//! Picking the shard. foldhash's fast hash of an integer is one folded multiply by a
//! constant of its process-wide seed, so a run of sequential integers (`0..n`, the commonest
//! keys) hashes to an arithmetic progression in most bits: a fixed window of the hash (the
//! shard bits used to be bits 47..57) is as even as that constant's ratio to 2^64 is far
//! from a fraction with a small denominator. For about 1 process seed in 300 to 1 in 1,200,
//! some shards got under half their share, or none, whatever the per-instance seed: a hot
//! range of sequential ids contended on a few locks. dashmap, which picks bits 53..57 of the
//! same hash, shares the flaw. The shard is now the top bits of the hash times an odd
//! constant ([`shard_of`]): the product's top bits depend on every bit of the hash,
//! including the low ones that foldhash's fold scrambles. It costs one multiply (and the
//! load of its constant) per operation, measured at +1 instruction per `get` or `insert`;
//! foldhash's `quality` hash, which also fixes it, costs three.
//!
//! Simulated (random process and instance seeds, a shard outside half to one and a half its
//! share counts as a failure; old pick, then this one, with the worst shard's distance from
//! its share, which for this pick is what a random assignment gives):
//!
//! | keys, shards | seeds | bits 47..57 | top bits of `hash * SPREAD` |
//! | --- | ---: | ---: | ---: |
//! | `0..4096`, 16 | 1,000,000 | 3,488 | 0 (worst 32%) |
//! | `0..16_384`, 16 | 1,000,000 | 831 | 0 (worst 17.5%) |
//! | `0..65_536`, 64 | 200,000 | 176 | 0 (worst 17%) |
//!
//! `tests/spread.rs` checks `0..n` under simulated seeds, deterministically, including
//! seeds the old pick failed.

use core::hash::BuildHasher;
use core::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use foldhash::SharedSeed;
use foldhash::fast::FoldHasher;

/// The hash a sharded type picks a key's shard with: foldhash, seeded randomly for every
/// instance (so keys cannot be aimed at one shard), and the hasher of
/// [`PrehashedMap`](crate::sharded::PrehashedMap), which reuses the shard hash instead of
/// hashing the key a second time.
///
/// Two `ShardHasher`s compute the same function exactly when one is a clone of the other;
/// [`same_function`](Self::same_function) tells, with one comparison.
///
/// ```
/// use std::hash::BuildHasher;
/// use lockwise::sharded::ShardHasher;
///
/// let hasher = ShardHasher::default();
/// let copy = hasher.clone();
/// assert!(hasher.same_function(&copy));
/// assert_eq!(hasher.hash_one("key"), copy.hash_one("key"));
/// assert!(!hasher.same_function(&ShardHasher::default()));
/// ```
#[derive(Clone, Debug)]
pub struct ShardHasher {
    /// Unique per seeding, copied by `Clone`: equal ids mean equal seeds.
    id: u64,
    /// foldhash's per-hasher seed: this seeding's own (see the module docs).
    seed: u64,
    /// foldhash's process-wide random seed, fetched once (see the module docs).
    shared: &'static SharedSeed,
}

/// Ids of seedings; 2^64 seedings do not happen.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// The process's key for deriving seeds from ids: std's `RandomState`, whose keys come from
/// the operating system's random source (per thread, so the first thread to seed picks it).
static SEED_KEY: OnceLock<std::hash::RandomState> = OnceLock::new();

/// The per-hasher seed of seeding `id`: a keyed pseudorandom function of it.
fn seed_of(id: u64) -> u64 {
    SEED_KEY
        .get_or_init(std::hash::RandomState::new)
        .hash_one(id)
}

impl Default for ShardHasher {
    /// A freshly, randomly seeded hasher.
    #[inline]
    fn default() -> Self {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Self {
            id,
            seed: seed_of(id),
            shared: SharedSeed::global_random(),
        }
    }
}

impl ShardHasher {
    /// A hasher with the given seeds, for the tests that simulate many processes.
    #[cfg(test)]
    pub(crate) fn with_seeds(seed: u64, shared: &'static SharedSeed) -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            seed,
            shared,
        }
    }

    /// Whether `self` and `other` hash every key alike (one is a clone of the other).
    ///
    /// ```
    /// use lockwise::sharded::ShardHasher;
    ///
    /// let a = ShardHasher::default();
    /// assert!(a.same_function(&a.clone()));
    /// ```
    #[inline]
    pub fn same_function(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl BuildHasher for ShardHasher {
    type Hasher = FoldHasher<'static>;

    /// foldhash with this hasher's own seed and foldhash's process-wide shared seed.
    #[inline(always)]
    fn build_hasher(&self) -> Self::Hasher {
        FoldHasher::with_seed(self.seed, self.shared)
    }
}

/// The odd multiplier of [`shard_of`]: 2^64 over the golden ratio (Fibonacci hashing,
/// Knuth 6.4), whose multiples spread the most evenly of any constant's.
const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;

/// Which of `N` shards a hash picks: the top `log2(N)` bits of `hash * SPREAD`.
///
/// - Every bit of the hash moves the product's top bits, so sequential keys, whose hashes
///   differ in a regular pattern, still spread (see the module docs).
/// - The map inside the shard (`PrehashedMap` reuses this hash) indexes its buckets with the
///   hash's low bits and tells keys apart by its top seven (hashbrown's control bytes).
///   With the hash's low bits (or its top bits) fixed, the product's top bits still take
///   every value alike, so the keys of one shard do not crowd into a part of its buckets
///   or share control bytes.
///
/// `N` is a power of two up to 1024: the shift leaves a value below `N`, so indexing the
/// shards needs no bounds check.
#[inline(always)]
pub(crate) const fn shard_of<const N: usize>(hash: u64) -> usize {
    if N == 1 {
        0 // and no shift by 64
    } else {
        (hash.wrapping_mul(SPREAD) >> (u64::BITS - N.trailing_zeros())) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shard_is_the_top_bits_of_the_hash_times_the_multiplier() {
        assert_eq!(shard_of::<16>(1), 0x9);
        assert_eq!(shard_of::<1024>(1), 0x9e3 >> 2);
        assert_eq!(shard_of::<2>(3), 1); // 3 * SPREAD wraps to 0xdaa6_..
        assert_eq!(shard_of::<1>(u64::MAX), 0);
        // Below N for every N, and every shard reachable.
        fn all_reached<const N: usize>() {
            let mut seen = [false; N];
            (0..64 * N as u64)
                .for_each(|h| seen[shard_of::<N>(h.wrapping_mul(0x1234_5677))] = true);
            assert!(seen.iter().all(|&s| s), "{N}");
        }
        all_reached::<2>();
        all_reached::<16>();
        // 65,536 multiplies: 13 s under Miri, which has nothing to check in integer
        // arithmetic; the small counts above run there.
        if !cfg!(miri) {
            all_reached::<1024>();
        }
    }

    #[test]
    fn low_and_high_hash_bits_both_move_the_shard() {
        // The old pick (bits 47..57) ignored bits 0..47: hashes 0..16 all went to shard 0.
        // Here they reach 15 of the 16 shards.
        let low: std::collections::HashSet<usize> = (0..16).map(shard_of::<16>).collect();
        assert_eq!(low.len(), 15, "{low:?}");
        // The top four bits alone pick every shard: times an odd number, a bijection mod 16.
        let high: std::collections::HashSet<usize> =
            (0..16u64).map(|h| shard_of::<16>(h << 60)).collect();
        assert_eq!(high.len(), 16, "{high:?}");
    }

    #[test]
    fn every_instance_is_seeded_anew() {
        let a = ShardHasher::default();
        let b = ShardHasher::default();
        assert!(!a.same_function(&b));
        // With two random seeds, 64 keys hashing alike would be a 2^-4096 event.
        assert!((0u64..64).any(|k| a.hash_one(k) != b.hash_one(k)));
        let c = a.clone();
        assert!((0u64..64).all(|k| a.hash_one(k) == c.hash_one(k)));
    }
}
