//! The sharded maps the sharded benches compare, behind one small trait, each built with
//! foldhash and (where it shards) 16 shards: one definition for `sharded_wall.rs` and
//! `sharded_instructions.rs`, so both measure the same code.
#![allow(dead_code)]

use std::collections::HashMap;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use lockwise::mode::Rw;
use lockwise::sharded::{PrehashedMap, ShardHasher, ShardedMap};

/// The shard count of every peer that shards.
pub const SHARDS: usize = 16;

/// The hasher of every peer (what `ShardHasher` wraps): foldhash, randomly seeded.
pub type Fold = foldhash::fast::RandomState;

/// lockwise with the map that hashes once.
pub type Lockwise = ShardedMap<PrehashedMap<u64, u64>, Rw, SHARDS>;
/// lockwise with a std `HashMap` field: the shard hash, then the map's own.
pub type LockwiseStd = ShardedMap<HashMap<u64, u64, Fold>, Rw, SHARDS>;
/// lockwise with the std `HashMap` field as the README writes it: std's default hasher
/// (SipHash-1-3) in the map, foldhash for the shard.
pub type LockwiseStdSip = ShardedMap<HashMap<u64, u64>, Rw, SHARDS>;
pub type Dash = dashmap::DashMap<u64, u64, Fold>;
/// dashmap with its default hasher, std's (SipHash-1-3): the peer of `LockwiseStdSip`.
pub type DashSip = dashmap::DashMap<u64, u64>;
pub type Scc = scc::HashMap<u64, u64, Fold>;
pub type Papaya = papaya::HashMap<u64, u64, Fold>;
pub type RwHashMap = parking_lot::RwLock<HashMap<u64, u64, Fold>>;
pub type MutexHashMap = parking_lot::Mutex<HashMap<u64, u64, Fold>>;

/// One map operation per method, written once per peer.
pub trait BenchMap: Sync {
    fn get(&self, key: u64) -> Option<u64>;
    fn insert(&self, key: u64, value: u64) -> Option<u64>;
    fn remove(&self, key: u64) -> Option<u64>;
}

pub fn lockwise(capacity: usize) -> Lockwise {
    ShardedMap::from_fn(|_| PrehashedMap::with_capacity(capacity / SHARDS))
}

pub fn lockwise_std(capacity: usize) -> LockwiseStd {
    ShardedMap::from_fn(|_| HashMap::with_capacity_and_hasher(capacity / SHARDS, Fold::default()))
}

pub fn lockwise_std_sip(capacity: usize) -> LockwiseStdSip {
    ShardedMap::from_fn(|_| HashMap::with_capacity(capacity / SHARDS))
}

pub fn dash_sip(capacity: usize) -> DashSip {
    DashSip::with_capacity_and_shard_amount(capacity, SHARDS)
}

pub fn dash(capacity: usize) -> Dash {
    Dash::with_capacity_and_hasher_and_shard_amount(capacity, Fold::default(), SHARDS)
}

pub fn scc(capacity: usize) -> Scc {
    Scc::with_capacity_and_hasher(capacity, Fold::default())
}

pub fn papaya(capacity: usize) -> Papaya {
    Papaya::with_capacity_and_hasher(capacity, Fold::default())
}

pub fn rw_hash_map(capacity: usize) -> RwHashMap {
    parking_lot::RwLock::new(HashMap::with_capacity_and_hasher(capacity, Fold::default()))
}

pub fn mutex_hash_map(capacity: usize) -> MutexHashMap {
    parking_lot::Mutex::new(HashMap::with_capacity_and_hasher(capacity, Fold::default()))
}

/// lockwise's map methods, whatever the map field.
macro_rules! lockwise_bench_map {
    ($($peer:ty),*) => {$(
        impl BenchMap for $peer {
            #[inline(always)]
            fn get(&self, key: u64) -> Option<u64> {
                ShardedMap::get(self, &key)
            }
            #[inline(always)]
            fn insert(&self, key: u64, value: u64) -> Option<u64> {
                ShardedMap::insert(self, key, value)
            }
            #[inline(always)]
            fn remove(&self, key: u64) -> Option<u64> {
                ShardedMap::remove(self, &key)
            }
        }
    )*};
}

lockwise_bench_map!(Lockwise, LockwiseStd, LockwiseStdSip);

impl<S: BuildHasher + Clone + Sync + Send> BenchMap for dashmap::DashMap<u64, u64, S> {
    #[inline(always)]
    fn get(&self, key: u64) -> Option<u64> {
        dashmap::DashMap::get(self, &key).map(|r| *r)
    }
    #[inline(always)]
    fn insert(&self, key: u64, value: u64) -> Option<u64> {
        dashmap::DashMap::insert(self, key, value)
    }
    #[inline(always)]
    fn remove(&self, key: u64) -> Option<u64> {
        dashmap::DashMap::remove(self, &key).map(|(_, v)| v)
    }
}

impl BenchMap for Scc {
    #[inline(always)]
    fn get(&self, key: u64) -> Option<u64> {
        self.read_sync(&key, |_, v| *v)
    }
    #[inline(always)]
    fn insert(&self, key: u64, value: u64) -> Option<u64> {
        self.upsert_sync(key, value)
    }
    #[inline(always)]
    fn remove(&self, key: u64) -> Option<u64> {
        self.remove_sync(&key).map(|(_, v)| v)
    }
}

impl BenchMap for Papaya {
    #[inline(always)]
    fn get(&self, key: u64) -> Option<u64> {
        self.pin().get(&key).copied()
    }
    #[inline(always)]
    fn insert(&self, key: u64, value: u64) -> Option<u64> {
        self.pin().insert(key, value).copied()
    }
    #[inline(always)]
    fn remove(&self, key: u64) -> Option<u64> {
        self.pin().remove(&key).copied()
    }
}

impl BenchMap for RwHashMap {
    #[inline(always)]
    fn get(&self, key: u64) -> Option<u64> {
        self.read().get(&key).copied()
    }
    #[inline(always)]
    fn insert(&self, key: u64, value: u64) -> Option<u64> {
        self.write().insert(key, value)
    }
    #[inline(always)]
    fn remove(&self, key: u64) -> Option<u64> {
        self.write().remove(&key)
    }
}

impl BenchMap for MutexHashMap {
    #[inline(always)]
    fn get(&self, key: u64) -> Option<u64> {
        self.lock().get(&key).copied()
    }
    #[inline(always)]
    fn insert(&self, key: u64, value: u64) -> Option<u64> {
        self.lock().insert(key, value)
    }
    #[inline(always)]
    fn remove(&self, key: u64) -> Option<u64> {
        self.lock().remove(&key)
    }
}

/// A shard on its own 128 bytes, as lockwise pads them.
#[repr(align(128))]
pub struct Line<T>(pub T);

type HandShard = parking_lot::RwLock<HashTable<(u64, u64)>>;

/// What `Shards<PrehashedMap<u64, u64>, Rw, 16>` does, written by hand with the same parts
/// (parking_lot `RwLock`, a hashbrown `HashTable` searched with the precomputed hash, the
/// same hash and shard pick), without lockwise's debug-build checks and without the check
/// that the table hashes like the shard: the instruction count lockwise must match.
pub struct HandSharded {
    shards: Box<[Line<HandShard>; SHARDS]>,
    hasher: ShardHasher,
}

impl HandSharded {
    pub fn new(capacity: usize) -> Self {
        let shards: Vec<_> = (0..SHARDS)
            .map(|_| {
                Line(parking_lot::RwLock::new(HashTable::with_capacity(
                    capacity / SHARDS,
                )))
            })
            .collect();
        let Ok(shards) = shards.into_boxed_slice().try_into() else {
            unreachable!()
        };
        Self {
            shards,
            hasher: ShardHasher::default(),
        }
    }

    #[inline(always)]
    fn shard(&self, hash: u64) -> &HandShard {
        // lockwise's pick (`runtime/src/sharded/hasher.rs`): the top four bits of the hash
        // times 2^64 over the golden ratio.
        &self.shards[(hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60) as usize].0
    }
}

impl BenchMap for HandSharded {
    #[inline(always)]
    fn get(&self, key: u64) -> Option<u64> {
        let hash = self.hasher.hash_one(key);
        let shard = self.shard(hash).read();
        shard.find(hash, |(k, _)| *k == key).map(|(_, v)| *v)
    }
    #[inline(always)]
    fn insert(&self, key: u64, value: u64) -> Option<u64> {
        let hash = self.hasher.hash_one(key);
        let mut shard = self.shard(hash).write();
        let hasher = &self.hasher;
        match shard.entry(hash, |(k, _)| *k == key, |(k, _)| hasher.hash_one(k)) {
            Entry::Occupied(mut entry) => Some(std::mem::replace(&mut entry.get_mut().1, value)),
            Entry::Vacant(slot) => {
                slot.insert((key, value));
                None
            }
        }
    }
    #[inline(always)]
    fn remove(&self, key: u64) -> Option<u64> {
        let hash = self.hasher.hash_one(key);
        let mut shard = self.shard(hash).write();
        match shard.find_entry(hash, |(k, _)| *k == key) {
            Ok(entry) => Some(entry.remove().0.1),
            Err(_) => None,
        }
    }
}

/// Fills `map` with the keys `0..keys` (value = key).
pub fn fill<M: BenchMap>(map: M, keys: u64) -> M {
    for key in 0..keys {
        map.insert(key, key);
    }
    map
}
