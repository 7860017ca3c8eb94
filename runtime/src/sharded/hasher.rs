//! [`ShardHasher`]: the per-instance, randomly seeded foldhash that picks a key's shard, and
//! the bits of its output that do the picking.
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
//! A known limit: foldhash's fast hash of an integer is one folded multiply by a
//! constant of its shared seed, so a run of sequential integers (`0..n`) lands in the
//! shard bits with the regularity of that constant. For about 1 process seed in 1,000
//! (17 of 20,000 for keys `0..16_384` over 16 shards; 59 of 20,000 for `0..4096`), some
//! shards get under half their share, or none, whatever the per-instance seed; scattered
//! integers and strings showed no such seed (0 of 20,000 and 0 of 5,000). Correctness is
//! unaffected; a hot range of sequential keys in such a process contends on fewer locks.
//! foldhash's `quality` hash (one more folded multiply) spreads every seed tried (0 of
//! 20,000) at +3 instructions per hash; it is not used, to keep `get`/`insert` at their
//! instruction counts.

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

/// Which of `N` shards a hash picks: bits 47..57, below the top seven.
///
/// - Not the low bits: a hash table indexes its buckets with them, so every key of one
///   shard would share them and crowd into a fraction of the buckets of that shard's map.
/// - Not the top seven: hashbrown (std's `HashMap`, `PrehashedMap`) keeps them in its control
///   bytes to tell keys apart inside a probed group; keys of one shard would share them and
///   every probe would compare more keys. dashmap skips them for the same reason.
///
/// `N` is a power of two up to 1024, so the mask keeps `log2(N)` of those ten bits, and the
/// index is below `N` without a bounds check.
#[inline(always)]
pub(crate) const fn shard_of<const N: usize>(hash: u64) -> usize {
    ((hash << 7) >> 54) as usize & (N - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shard_bits_sit_below_the_control_bits_and_above_the_bucket_bits() {
        // Only bits 47..57 matter.
        let bit = |b: u32| 1u64 << b;
        assert_eq!(shard_of::<1024>(bit(47)), 1);
        assert_eq!(shard_of::<1024>(bit(56)), 512);
        assert_eq!(shard_of::<1024>(bit(57) | bit(63) | bit(46) | 0xffff), 0);
        assert_eq!(shard_of::<16>(bit(47) | bit(50)), 9);
        assert_eq!(shard_of::<16>(bit(51)), 0);
        assert_eq!(shard_of::<1>(u64::MAX), 0);
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
