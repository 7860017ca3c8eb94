//! Wall-clock cost of a pooled 4 KiB buffer against allocating one, and against the pools
//! people use today, peers alternating in one process (see `common/mod.rs`). Run with
//! `cargo bench -p lockwise-benches --bench pool`.
//!
//! One buffer op = take a `Vec<u8>` of capacity 4096, write a 64-byte record into it, and
//! give it back (or drop it). Peers:
//! - `Vec::with_capacity` + drop: the allocation a pool saves (the baseline);
//! - lockwise `Pool`: per-thread caches, then a shared bounded stack;
//! - lockfree-object-pool's `LinearObjectPool` (its fastest pool);
//! - object-pool's `Pool` (a parking_lot `Mutex<Vec<T>>`);
//! - a `std::sync::Mutex<Vec<T>>` pool written by hand.
//!
//! Workloads:
//! - same thread: get and give back on one thread; 1 thread, and 2 threads on one pool;
//! - cross thread: 2 threads; each op takes 16 buffers, writes them, hands the batch to the
//!   other thread (one uncontended lock per batch), and gives back the batch the other
//!   thread handed over, so every buffer goes back on another thread than the one that took
//!   it (for the allocator: freed on another thread).
//!
//! - the choice behind lockwise's per-thread cache (`runtime/src/pooled/local.rs`): the
//!   same minimal cache (a `RefCell<Vec<Vec<u8>>>`, no counters, no bounds beyond 32) found
//!   through a `thread_local!` per type (what a macro could generate) and through the
//!   `thread_local` crate (what `Pool<T>` uses, for any `T`), 1 thread.
//!
//! Target (DESIGN.md §9, issue 11): at most 0.5× the time of the allocation, and no slower
//! than the fastest peer.

#[allow(dead_code)] // `common::parallelism` is for the lock benches
mod common;

use std::cell::{Cell, RefCell};
use std::hint::black_box;
use std::ops::DerefMut;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Settings, Workload};

const CAPACITY: usize = 4096;
const RECORD: [u8; 64] = [0x5a; 64];
/// Buffers handed over at once in the cross-thread workload.
const BATCH: usize = 16;

const ALLOC: &str = "Vec::with_capacity + drop";
const LOCKWISE: &str = "lockwise Pool";
const LOCKFREE: &str = "lockfree-object-pool";
const OBJECT_POOL: &str = "object-pool";
const STD_MUTEX: &str = "Mutex<Vec<T>> by hand";

fn new_buffer() -> Vec<u8> {
    Vec::with_capacity(CAPACITY)
}

/// What a user does with the buffer.
#[inline(always)]
fn write_record(buf: &mut Vec<u8>) {
    buf.extend_from_slice(&RECORD);
    black_box(&*buf);
}

static LOCKWISE_POOL: lockwise::Pool<Vec<u8>> = lockwise::Pool::from_fn(new_buffer);

/// The pool most people write first.
struct HandPool {
    stack: std::sync::Mutex<Vec<Vec<u8>>>,
}

struct HandBuf<'a> {
    buf: Vec<u8>,
    pool: &'a HandPool,
}

impl HandPool {
    fn get(&self) -> HandBuf<'_> {
        let buf = self.stack.lock().unwrap().pop().unwrap_or_else(new_buffer);
        HandBuf { buf, pool: self }
    }
}

impl Drop for HandBuf<'_> {
    fn drop(&mut self) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        self.pool.stack.lock().unwrap().push(buf);
    }
}

impl std::ops::Deref for HandBuf<'_> {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.buf
    }
}

impl DerefMut for HandBuf<'_> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }
}

/// Hands batches of buffers between two threads: each thread pushes to the other's queue
/// and takes from its own, so that everything it gives back was taken by the other one.
struct Exchange<B> {
    queues: [parking_lot::Mutex<Vec<Vec<B>>>; 2],
}

static NEXT_SIDE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Which queue of an [`Exchange`] is this thread's: the two threads of a round get 0
    /// and 1 (every round spawns new threads, two at a time).
    static SIDE: Cell<usize> = const { Cell::new(usize::MAX) };
}

fn side() -> usize {
    SIDE.with(|side| {
        if side.get() == usize::MAX {
            side.set(NEXT_SIDE.fetch_add(1, Ordering::Relaxed) % 2);
        }
        side.get()
    })
}

impl<B> Exchange<B> {
    fn new() -> Self {
        Self {
            queues: [
                parking_lot::Mutex::new(Vec::new()),
                parking_lot::Mutex::new(Vec::new()),
            ],
        }
    }

    /// One op: give back what the other thread handed over, take [`BATCH`] buffers with
    /// `take`, write them, and hand them over.
    #[inline(always)]
    fn round_trip(&self, take: impl Fn() -> B, write: impl Fn(&mut B)) {
        let me = side();
        let received = self.queues[me].lock().pop();
        let mut batch = match received {
            Some(mut batch) => {
                batch.clear(); // gives back each buffer, on this thread
                batch
            }
            None => Vec::with_capacity(BATCH),
        };
        for _ in 0..BATCH {
            let mut buf = take();
            write(&mut buf);
            batch.push(buf);
        }
        self.queues[1 - me].lock().push(batch);
    }
}

thread_local! {
    /// A per-type cache as a macro could generate it: a `thread_local!` with a destructor.
    static PER_TYPE_CACHE: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

fn per_type_get() -> Vec<u8> {
    PER_TYPE_CACHE
        .with(|c| c.borrow_mut().pop())
        .unwrap_or_else(new_buffer)
}

fn per_type_put(mut buf: Vec<u8>) {
    buf.clear();
    PER_TYPE_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < 32 {
            c.push(buf);
        }
    });
}

/// The same cache found through the `thread_local` crate, owned by the pool.
struct CrateCache {
    local: thread_local::ThreadLocal<RefCell<Vec<Vec<u8>>>>,
}

impl CrateCache {
    fn get(&self) -> Vec<u8> {
        self.local
            .get_or_default()
            .borrow_mut()
            .pop()
            .unwrap_or_else(new_buffer)
    }

    fn put(&self, mut buf: Vec<u8>) {
        buf.clear();
        let mut c = self.local.get_or_default().borrow_mut();
        if c.len() < 32 {
            c.push(buf);
        }
    }
}

fn main() {
    let settings = Settings::from_env();
    let filters = common::filters();
    common::print_machine(&settings);

    let lockfree =
        lockfree_object_pool::LinearObjectPool::new(new_buffer, |b: &mut Vec<u8>| b.clear());
    let object_pool: object_pool::Pool<Vec<u8>> = object_pool::Pool::new(0, new_buffer);
    let by_hand = HandPool {
        stack: std::sync::Mutex::new(Vec::new()),
    };
    let mut summary: Vec<(String, f64, f64, f64)> = Vec::new();

    for threads in [1, 2] {
        let results = Workload::new("same thread: get, write 64 B, give back", threads, settings)
            .baseline(ALLOC)
            .baseline(LOCKWISE)
            .peer(ALLOC, |_| {
                let mut buf = new_buffer();
                write_record(&mut buf);
            })
            .peer(LOCKWISE, |_| {
                let mut buf = LOCKWISE_POOL.get();
                write_record(&mut buf);
            })
            .peer(LOCKFREE, |_| {
                let mut buf = lockfree.pull();
                write_record(&mut buf);
            })
            .peer(OBJECT_POOL, |_| {
                let mut buf = object_pool.pull(new_buffer);
                buf.clear();
                write_record(&mut buf);
            })
            .peer(STD_MUTEX, |_| {
                let mut buf = by_hand.get();
                write_record(&mut buf);
            })
            .note("one op = one 4 KiB buffer taken, written (64 B) and given back")
            .run(&filters);
        if let Some(r) = results {
            summary.push(row(&format!("same thread, {threads} thr"), &r));
        }
    }

    let exchange_alloc = Exchange::new();
    let exchange_lockwise = Exchange::new();
    let exchange_lockfree = Exchange::new();
    let exchange_object_pool = Exchange::new();
    let exchange_by_hand = Exchange::new();
    let results = Workload::new(
        "cross thread: take 16 here, give them back on the other thread",
        2,
        settings,
    )
    .baseline(ALLOC)
    .baseline(LOCKWISE)
    .peer(ALLOC, |_| {
        exchange_alloc.round_trip(new_buffer, write_record);
    })
    .peer(LOCKWISE, |_| {
        exchange_lockwise.round_trip(|| LOCKWISE_POOL.get(), |b| write_record(b));
    })
    .peer(LOCKFREE, |_| {
        exchange_lockfree.round_trip(|| lockfree.pull(), |b| write_record(b));
    })
    .peer(OBJECT_POOL, |_| {
        exchange_object_pool.round_trip(
            || {
                let mut b = object_pool.pull(new_buffer);
                b.clear();
                b
            },
            |b| write_record(b),
        );
    })
    .peer(STD_MUTEX, |_| {
        exchange_by_hand.round_trip(|| by_hand.get(), |b| write_record(b));
    })
    .note("one op = 16 buffers taken and written on this thread, then given back by the other")
    .run(&filters);
    if let Some(r) = results {
        summary.push(row("cross thread, 2 thr", &r));
    }

    let crate_cache = CrateCache {
        local: thread_local::ThreadLocal::new(),
    };
    Workload::new(
        "per-thread cache: thread_local! per type or the thread_local crate",
        1,
        settings,
    )
    .baseline(ALLOC)
    .peer(ALLOC, |_| {
        let mut buf = new_buffer();
        write_record(&mut buf);
    })
    .peer("thread_local! per type (bare)", |_| {
        let mut buf = per_type_get();
        write_record(&mut buf);
        per_type_put(buf);
    })
    .peer("thread_local crate (bare)", |_| {
        let mut buf = crate_cache.get();
        write_record(&mut buf);
        crate_cache.put(buf);
    })
    .peer(LOCKWISE, |_| {
        let mut buf = LOCKWISE_POOL.get();
        write_record(&mut buf);
    })
    .note("bare = the cache alone: no counters, no trim, no shared stack, no thread exit")
    .run(&filters);

    if !summary.is_empty() {
        let s = LOCKWISE_POOL.stats();
        println!(
            "\nlockwise pool: {} hits, {} misses, {} discarded, {} idle (hit rate {:.4})",
            s.hits,
            s.misses,
            s.discarded,
            s.idle,
            s.hit_rate()
        );
        println!("\n## summary: lockwise Pool against allocation and the fastest peer");
        println!(
            "{:<22}  {:>12}  {:>12}  {:>8}  {:>14}",
            "workload", "lockwise /op", "alloc /op", "÷ alloc", "÷ fastest peer"
        );
        for (name, lockwise, alloc, fastest) in &summary {
            println!(
                "{name:<22}  {:>12}  {:>12}  {:>8.3}  {:>14.3}",
                common::time(*lockwise),
                common::time(*alloc),
                lockwise / alloc,
                lockwise / fastest
            );
        }
    }
}

/// lockwise's median, the allocation's, and the fastest other pool's.
fn row(name: &str, r: &common::Results) -> (String, f64, f64, f64) {
    let fastest = [LOCKFREE, OBJECT_POOL, STD_MUTEX]
        .iter()
        .map(|p| r.median(p))
        .fold(f64::INFINITY, f64::min);
    (
        name.to_owned(),
        r.median(LOCKWISE),
        r.median(ALLOC),
        fastest,
    )
}
