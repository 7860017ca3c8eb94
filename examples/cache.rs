//! A read-heavy DNS-style lookup cache with `#[guarded(rw)]`.
//!
//! Go's lesson: *use an RWMutex for read-heavy state.* Lookups vastly outnumber inserts,
//! so readers should not queue behind each other. `#[guarded(rw)]` puts the state behind
//! one `parking_lot::RwLock`: `read()` guards overlap, and only an insert takes the lock
//! exclusively.
//!
//! What it shows:
//! - `read()` for the fast path, `write()` for a batch insert,
//! - `upgradable_read()` for check-then-insert without a race (each name is resolved
//!   exactly once, however many threads miss on it at the same moment),
//! - `with_read(..)` for a short query whose reference cannot escape,
//! - `snapshot()` for a report formatted without holding the lock,
//! - methods on the wrapper (`impl Cache`, they lock) and on the state
//!   (`impl CacheState`, callable only through a guard).
//!
//! Run it with `cargo run --example cache`.

use std::collections::{HashMap, VecDeque};
use std::net::Ipv4Addr;
use std::sync::{Arc, Barrier};
use std::thread;

use lockwise::{UpgradableReadGuard, guarded};

/// The fields as written here become `CacheState`; `Cache` becomes the thread-safe
/// wrapper. `Clone` on the state is what makes `snapshot()` available.
#[guarded(rw)]
#[derive(Debug, Clone)]
pub struct Cache {
    entries: HashMap<String, Ipv4Addr>,
    /// Names in insertion order, oldest first: the first to go when the cache is full.
    order: VecDeque<String>,
    capacity: usize,
    /// Names resolved on a miss. Counted under the write lock that inserts them, so it
    /// can be compared exactly with the misses the callers saw.
    resolved: u64,
    evicted: u64,
}

/// Whether a lookup was answered from the cache or had to resolve the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Hit,
    Miss,
}

// Methods on the wrapper: each one takes the lock it needs, for as short as it can.
// (`new` is generated and takes a `CacheState`, so the friendly constructor needs
// another name.)
impl Cache {
    pub fn with_capacity(capacity: usize) -> Self {
        Cache::new(CacheState {
            entries: HashMap::with_capacity(capacity),
            order: VecDeque::with_capacity(capacity),
            capacity,
            resolved: 0,
            evicted: 0,
        })
    }

    /// The address of `name`, resolving it on a miss.
    pub fn lookup(&self, name: &str) -> (Ipv4Addr, Outcome) {
        // Fast path: a shared lock, held only for this statement. Many threads can be
        // here at once.
        let cached = self.read().get(name);
        if let Some(ip) = cached {
            return (ip, Outcome::Hit);
        }

        // Miss. Dropping the read lock and calling `write()` to insert would race: two
        // threads that miss on the same name at the same moment would both resolve and
        // insert it. An upgradable read shares the lock with plain readers but not with
        // writers or another upgradable reader, so what we check here is still true when
        // we upgrade and insert below.
        let guard = self.upgradable_read();
        if let Some(ip) = guard.get(name) {
            // Another thread filled it between our two looks: no work for us.
            return (ip, Outcome::Hit);
        }
        // `resolve` is a cheap pure function here. A real resolver does network I/O;
        // do not hold a lock across that: resolve first, then insert under `write()`
        // with `entry(..).or_insert(..)`.
        let ip = resolve(name);
        let mut state = UpgradableReadGuard::upgrade(guard);
        state.insert(name, ip);
        state.resolved += 1;
        (ip, Outcome::Miss)
    }

    /// Loads many records under one write lock: readers see all of them or none, and the
    /// lock is taken once instead of once per record.
    pub fn prefetch(&self, records: &[(String, Ipv4Addr)]) {
        let mut state = self.write();
        for (name, ip) in records {
            state.insert(name, *ip);
        }
    }

    /// `with_read` hands the closure a `&CacheState` that cannot outlive the call, so
    /// the lock cannot be held by accident after it.
    pub fn len_and_capacity(&self) -> (usize, usize) {
        self.with_read(|state| (state.entries.len(), state.capacity))
    }
}

// Methods on the state: they touch the fields directly and can only be reached through
// a guard (`self.read().get(..)`, `self.write().insert(..)`), so they can never run
// without the lock: the type system's version of Clang's `REQUIRES(mu)`.
impl CacheState {
    fn get(&self, name: &str) -> Option<Ipv4Addr> {
        self.entries.get(name).copied()
    }

    /// Inserts or replaces, evicting the oldest entries while over capacity.
    fn insert(&mut self, name: &str, ip: Ipv4Addr) {
        if self.entries.insert(name.to_owned(), ip).is_none() {
            self.order.push_back(name.to_owned());
        }
        while self.entries.len() > self.capacity {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.entries.remove(&oldest);
            self.evicted += 1;
        }
    }
}

/// A stand-in for a real resolver: the same name always gets the same address.
fn resolve(name: &str) -> Ipv4Addr {
    // FNV-1a: deterministic across runs, unlike std's randomly seeded hasher.
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let [_, b, c, d] = hash.to_be_bytes();
    Ipv4Addr::new(10, b, c, d)
}

const READERS: usize = 4;
const LOOKUPS_PER_READER: usize = 2_000;
const HOT_NAMES: usize = 16;
const PREFETCHED: usize = 24;
const CAPACITY: usize = 64;

pub fn main() {
    // An `Arc` shares the cache between threads. The wrapper is never `Clone`: a copy
    // would have its own lock and its own entries, and the threads would silently stop
    // sharing (Go's `go vet` copylocks check; here a compile error).
    let cache = Arc::new(Cache::with_capacity(CAPACITY));
    let hot: Vec<String> = (0..HOT_NAMES).map(|i| format!("svc{i}.internal")).collect();
    let zone: Vec<(String, Ipv4Addr)> = (0..PREFETCHED)
        .map(|i| {
            let name = format!("host{i}.example.com");
            let ip = resolve(&name);
            (name, ip)
        })
        .collect();

    println!(
        "{READERS} reader threads x {LOOKUPS_PER_READER} lookups over {HOT_NAMES} names, \
         1 writer prefetching {PREFETCHED} records"
    );

    // Every thread waits at the barrier so that readers and the writer really overlap.
    let start = Arc::new(Barrier::new(READERS + 1));
    let readers: Vec<_> = (0..READERS)
        .map(|r| {
            let (cache, start, hot) = (Arc::clone(&cache), Arc::clone(&start), hot.clone());
            thread::spawn(move || {
                start.wait();
                // Hits and misses are counted per thread and summed after `join`: taking
                // the write lock only to bump a counter would undo the point of `rw`.
                let (mut hits, mut misses) = (0_u64, 0_u64);
                for i in 0..LOOKUPS_PER_READER {
                    let name = &hot[(r * 7 + i) % hot.len()];
                    let (ip, outcome) = cache.lookup(name);
                    assert_eq!(ip, resolve(name), "wrong address for {name}");
                    match outcome {
                        Outcome::Hit => hits += 1,
                        Outcome::Miss => misses += 1,
                    }
                }
                (hits, misses)
            })
        })
        .collect();
    let writer = {
        let (cache, start) = (Arc::clone(&cache), Arc::clone(&start));
        thread::spawn(move || {
            start.wait();
            for batch in zone.chunks(8) {
                cache.prefetch(batch);
                thread::yield_now(); // let readers in between the batches
            }
        })
    };

    let (mut hits, mut misses) = (0, 0);
    for reader in readers {
        let (h, m) = reader.join().expect("reader thread panicked");
        hits += h;
        misses += m;
    }
    writer.join().expect("writer thread panicked");

    // No lost or duplicated work: every lookup was answered, and each hot name was
    // resolved exactly once, however many threads missed on it at the same time.
    let lookups = (READERS * LOOKUPS_PER_READER) as u64;
    assert_eq!(hits + misses, lookups);
    assert_eq!(misses, HOT_NAMES as u64);
    assert_eq!(cache.read().resolved, misses);
    println!("{lookups} lookups: {hits} hits, {misses} misses (each name resolved exactly once)");

    let (len, capacity) = cache.len_and_capacity();
    assert_eq!(len, HOT_NAMES + PREFETCHED);
    println!("{len} entries after the concurrent phase (capacity {capacity})");

    // Overfill the cache: the oldest entries make room.
    let cold = 30;
    for i in 0..cold {
        let (_, outcome) = cache.lookup(&format!("cold{i}.example.org"));
        assert_eq!(outcome, Outcome::Miss);
    }

    // A snapshot is a clone taken under a read lock that is released at once: sorting
    // and printing below do not keep writers waiting.
    let snapshot = cache.snapshot();
    assert_eq!(snapshot.entries.len(), CAPACITY);
    assert_eq!(snapshot.order.len(), CAPACITY);
    println!(
        "{cold} cold lookups: {} entries, {} names resolved, {} oldest evicted",
        snapshot.entries.len(),
        snapshot.resolved,
        snapshot.evicted,
    );
    // A few of the newest entries (the cold names were inserted last, so none of these
    // was evicted).
    let mut newest: Vec<_> = snapshot
        .entries
        .iter()
        .filter(|(name, _)| name.starts_with("cold2"))
        .collect();
    newest.sort();
    for (name, ip) in newest.iter().take(3) {
        println!("  {name:<20} {ip}");
    }

    // The snapshot is a copy: later changes do not show up in it.
    cache
        .write()
        .insert("late.example.org", Ipv4Addr::LOCALHOST);
    assert!(!snapshot.entries.contains_key("late.example.org"));
    assert_eq!(
        cache.read().get("late.example.org"),
        Some(Ipv4Addr::LOCALHOST)
    );
}
