//! The pool's rules, one test each, with drop counters. Small enough for Miri
//! (`cargo +nightly miri test -p lockwise-runtime --lib pooled`).

use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::Duration;

use super::{Pool, PoolStats, Pooled, Reset};

/// Per-test counters: a test declares its own `static`, so tests running in parallel never
/// share them.
struct Counts {
    created: AtomicUsize,
    dropped: AtomicUsize,
    resets: AtomicUsize,
    next_id: AtomicU64,
    /// Every id dropped so far: a second drop of one object would be caught here.
    dropped_ids: Mutex<Option<HashSet<u64>>>,
}

impl Counts {
    const fn new() -> Self {
        Self {
            created: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
            resets: AtomicUsize::new(0),
            next_id: AtomicU64::new(0),
            dropped_ids: Mutex::new(None),
        }
    }
    fn created(&self) -> usize {
        self.created.load(SeqCst)
    }
    fn dropped(&self) -> usize {
        self.dropped.load(SeqCst)
    }
}

/// A pooled object that reports what happens to it.
struct Tracked {
    id: u64,
    /// Set by a user, cleared by `reset`: a user must never see it set.
    dirty: bool,
    /// `reusable` refuses the object when set.
    oversize: bool,
    counts: &'static Counts,
}

impl Tracked {
    fn new(counts: &'static Counts) -> Self {
        counts.created.fetch_add(1, SeqCst);
        Self {
            id: counts.next_id.fetch_add(1, SeqCst),
            dirty: false,
            oversize: false,
            counts,
        }
    }

    /// What a user does with a pooled object: checks it is clean, then dirties it.
    fn use_it(&mut self) {
        assert!(!self.dirty, "object {} handed out without a reset", self.id);
        self.dirty = true;
    }
}

impl Reset for Tracked {
    fn reset(&mut self) {
        self.dirty = false;
        self.counts.resets.fetch_add(1, SeqCst);
    }
    fn reusable(&self) -> bool {
        !self.oversize
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.counts.dropped.fetch_add(1, SeqCst);
        let mut ids = self.counts.dropped_ids.lock().unwrap();
        let first = ids.get_or_insert_with(HashSet::new).insert(self.id);
        assert!(first, "object {} dropped twice", self.id);
    }
}

/// A pool of `Tracked` counted in `$counts`, with `max_idle = $max`.
macro_rules! tracked_pool {
    ($counts:ident, $max:expr) => {
        Pool::from_fn_with_max_idle(|| Tracked::new(&$counts), $max)
    };
}

fn stats(hits: u64, misses: u64, discarded: u64, idle: u64) -> PoolStats {
    PoolStats {
        hits,
        misses,
        discarded,
        idle,
    }
}

/// Runs `f` on a new thread and waits for it (and so for its exit hooks) with a bound,
/// so that a hang fails the test instead of stalling it.
fn on_other_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let (done, wait) = mpsc::channel();
    let handle = thread::spawn(move || {
        let r = f();
        done.send(()).unwrap();
        r
    });
    wait.recv_timeout(Duration::from_secs(60))
        .expect("the other thread did not finish in 60 s");
    handle.join().expect("the other thread panicked")
}

#[test]
fn reset_runs_before_every_reuse() {
    static COUNTS: Counts = Counts::new();
    let pool: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    for _ in 0..10 {
        let mut a = pool.get();
        let mut b = pool.get();
        a.use_it();
        b.use_it();
    }
    // Every give-back was a reset; `use_it` checked that each handed-out object was clean.
    assert_eq!(COUNTS.resets.load(SeqCst), 20);
    assert_eq!(COUNTS.created(), 2, "same-thread reuse is the common case");
}

#[test]
fn objects_returned_by_another_thread_are_reset_and_reused() {
    static COUNTS: Counts = Counts::new();
    static POOL: Pool<Tracked> = tracked_pool!(COUNTS, 8);
    let objects: Vec<Pooled<'static, Tracked>> = (0..6).map(|_| POOL.get()).collect();
    on_other_thread(move || {
        for mut object in objects {
            object.use_it();
        } // dropped, reset and cached here; moved to the shared stack at thread exit
    });
    assert_eq!(POOL.stats(), stats(0, 6, 0, 6));
    for _ in 0..6 {
        POOL.get().use_it();
    }
    assert_eq!(COUNTS.created(), 6, "the shared stack served them");
    assert_eq!(COUNTS.dropped(), 0);
}

#[test]
fn an_object_refused_by_reusable_is_dropped() {
    static COUNTS: Counts = Counts::new();
    let pool: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    let mut big = pool.get();
    let id = big.id;
    big.oversize = true;
    drop(big);
    assert_eq!(COUNTS.dropped(), 1);
    assert_eq!(COUNTS.resets.load(SeqCst), 0, "not reset: it is not kept");
    assert_eq!(pool.stats(), stats(0, 1, 1, 0));
    assert_ne!(pool.get().id, id);
}

#[test]
fn an_object_dropped_while_unwinding_is_discarded() {
    static COUNTS: Counts = Counts::new();
    let pool: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        let mut object = pool.get();
        object.dirty = true;
        panic!("half-way through");
    }));
    assert!(panicked.is_err());
    assert_eq!(COUNTS.dropped(), 1, "discarded, not kept");
    assert_eq!(pool.stats(), stats(0, 1, 1, 0));
    // The pool works on: the next object is a new one, and clean.
    pool.get().use_it();
    assert_eq!(COUNTS.created(), 2);
}

#[test]
fn an_object_taken_while_already_unwinding_goes_back() {
    static COUNTS: Counts = Counts::new();
    static POOL: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    /// Uses a pooled object in its `Drop`, which runs while the panic unwinds.
    struct UsesThePoolInDrop;
    impl Drop for UsesThePoolInDrop {
        fn drop(&mut self) {
            assert!(thread::panicking());
            POOL.get().use_it();
        }
    }
    let panicked = catch_unwind(|| {
        let _guard = UsesThePoolInDrop;
        panic!("unwinding");
    });
    assert!(panicked.is_err());
    assert_eq!(COUNTS.dropped(), 0);
    assert_eq!(POOL.stats(), stats(0, 1, 0, 1));
}

#[test]
fn a_panic_in_another_thread_while_holding_leaves_the_pool_usable() {
    static COUNTS: Counts = Counts::new();
    static POOL: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    drop(POOL.get()); // one idle object on this thread
    let result = thread::spawn(|| {
        let _a = POOL.get();
        let _b = POOL.get();
        panic!("while holding two");
    })
    .join();
    assert!(result.is_err());
    assert_eq!(COUNTS.dropped(), 2, "both discarded");
    assert_eq!(POOL.stats(), stats(0, 3, 2, 1));
    // No lock is held, nothing is borrowed: both threads' paths still work.
    on_other_thread(|| POOL.get().use_it());
    POOL.get().use_it();
}

#[test]
fn detach_keeps_the_object_out_of_the_pool() {
    static COUNTS: Counts = Counts::new();
    let pool: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    let mut object = pool.get();
    object.use_it();
    let kept = Pooled::detach(object);
    assert!(kept.dirty, "not reset");
    assert_eq!(pool.stats(), stats(0, 1, 0, 0));
    drop(kept);
    assert_eq!(COUNTS.dropped(), 1);
    assert_eq!(pool.stats().idle, 0);
}

#[test]
fn idle_objects_are_bounded_by_max_idle_per_thread_and_shared() {
    static COUNTS: Counts = Counts::new();
    static POOL: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    let held: Vec<_> = (0..20).map(|_| POOL.get()).collect();
    drop(held);
    // This thread's cache holds at most 4 and the shared stack at most 4.
    let s = POOL.stats();
    assert_eq!(s.idle, 8);
    assert_eq!(COUNTS.dropped(), 12);
    assert_eq!(s.discarded, 12);
    // Another thread fills its own cache, and the shared stack is already full.
    on_other_thread(|| {
        let held: Vec<_> = (0..10).map(|_| POOL.get()).collect();
        drop(held);
        assert!(POOL.stats().idle <= 12);
    });
    // It exited: its cache went to the full shared stack, so it was dropped.
    assert_eq!(POOL.stats().idle, 8);
    assert_eq!(COUNTS.created(), COUNTS.dropped() + 8);
}

#[test]
fn max_idle_zero_keeps_nothing() {
    static COUNTS: Counts = Counts::new();
    let pool: Pool<Tracked> = tracked_pool!(COUNTS, 0);
    drop(pool.get());
    drop(pool.get());
    assert_eq!(COUNTS.dropped(), 2);
    assert_eq!(pool.stats(), stats(0, 2, 2, 0));
}

#[test]
fn thread_exit_moves_the_cache_to_the_shared_stack_or_drops_it() {
    static COUNTS: Counts = Counts::new();
    static POOL: Pool<Tracked> = tracked_pool!(COUNTS, 6);
    on_other_thread(|| {
        let held: Vec<_> = (0..5).map(|_| POOL.get()).collect();
        drop(held); // 5 in this thread's cache
    });
    // The dead thread's slot keeps nothing: all 5 are in the shared stack.
    assert_eq!(POOL.stats(), stats(0, 5, 0, 5));
    for _ in 0..3 {
        on_other_thread(|| {
            let held: Vec<_> = (0..6).map(|_| POOL.get()).collect();
            drop(held);
        });
    }
    // Each thread took what the stack had, made the rest, and left its cache to a stack
    // bounded at 6: the rest was dropped, none kept anywhere else.
    assert_eq!(POOL.stats().idle, 6);
    assert_eq!(COUNTS.created(), COUNTS.dropped() + 6);
    POOL.trim();
    assert_eq!(COUNTS.created(), COUNTS.dropped());
}

#[test]
fn trim_drops_every_idle_object() {
    static COUNTS: Counts = Counts::new();
    static POOL: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    let held: Vec<_> = (0..7).map(|_| POOL.get()).collect();
    drop(held); // 4 cached here, 3 spilled... to a stack of at most 4
    assert_eq!(POOL.stats().idle, 7);
    POOL.trim();
    assert_eq!(POOL.stats().idle, 0);
    assert_eq!(COUNTS.dropped(), 7);
    assert_eq!(
        POOL.stats().discarded,
        0,
        "trimmed objects are not discards"
    );
    // Another thread's cache is dropped at that thread's next use of the pool.
    let (trimmed, go_on) = mpsc::channel::<()>();
    let (filled, wait_filled) = mpsc::channel::<()>();
    let other = thread::spawn(move || {
        let held: Vec<_> = (0..3).map(|_| POOL.get()).collect();
        drop(held);
        filled.send(()).unwrap();
        go_on.recv_timeout(Duration::from_secs(60)).unwrap();
        let before = COUNTS.dropped();
        drop(POOL.get()); // sees the trim first
        assert_eq!(COUNTS.dropped(), before + 3);
        assert_eq!(POOL.stats().idle, 1);
    });
    wait_filled.recv_timeout(Duration::from_secs(60)).unwrap();
    POOL.trim();
    trimmed.send(()).unwrap();
    other.join().unwrap();
    POOL.trim();
    assert_eq!(COUNTS.created(), COUNTS.dropped());
}

#[test]
fn stats_are_exact_on_one_thread() {
    static COUNTS: Counts = Counts::new();
    let pool: Pool<Tracked> = tracked_pool!(COUNTS, 2);
    assert_eq!(pool.stats(), PoolStats::default());
    let (a, b, c) = (pool.get(), pool.get(), pool.get()); // 3 misses
    drop((a, b, c)); // 2 cached; the 3rd spills one to the shared stack
    assert_eq!(pool.stats(), stats(0, 3, 0, 3));
    let (a, b, c, d) = (pool.get(), pool.get(), pool.get(), pool.get()); // 3 hits, 1 miss
    assert_eq!(pool.stats(), stats(3, 4, 0, 0));
    let mut d = d;
    d.oversize = true;
    drop(d); // refused: 1 discard
    drop((a, b, c)); // 2 cached, 1 spilled
    assert_eq!(pool.stats(), stats(3, 4, 1, 3));
    assert_eq!(pool.stats().hit_rate(), 3.0 / 7.0);
}

#[test]
fn a_drop_that_uses_the_pool_again_does_not_deadlock() {
    static COUNTS: Counts = Counts::new();
    static POOL: Pool<Tracked> = tracked_pool!(COUNTS, 1);
    /// Takes an object from `POOL` when dropped: runs while the pool drops its overflow.
    struct Reentrant(#[allow(dead_code)] Tracked);
    impl Reset for Reentrant {
        fn reset(&mut self) {
            POOL.get().use_it();
        }
    }
    impl Drop for Reentrant {
        fn drop(&mut self) {
            POOL.get().use_it();
        }
    }
    static OUTER: Pool<Reentrant> =
        Pool::from_fn_with_max_idle(|| Reentrant(Tracked::new(&COUNTS)), 1);
    on_other_thread(|| {
        let held: Vec<_> = (0..5).map(|_| OUTER.get()).collect();
        drop(held); // resets and overflow drops call back into POOL
        OUTER.trim();
    });
    assert!(OUTER.stats().discarded >= 2);
}

#[test]
fn a_dropped_pool_drops_every_cached_object() {
    static COUNTS: Counts = Counts::new();
    let pool: std::sync::Arc<Pool<Tracked>> = std::sync::Arc::new(tracked_pool!(COUNTS, 4));
    let (cached, wait_cached) = mpsc::channel::<()>();
    let (pool_gone, go_on) = mpsc::channel::<()>();
    let other_pool = std::sync::Arc::clone(&pool);
    let other = thread::spawn(move || {
        drop(other_pool.get());
        drop(other_pool);
        cached.send(()).unwrap();
        // This thread lives on with an exit hook for a pool that is gone.
        go_on.recv_timeout(Duration::from_secs(60)).unwrap();
    });
    wait_cached.recv_timeout(Duration::from_secs(60)).unwrap();
    drop(pool.get());
    drop(pool);
    assert_eq!(COUNTS.created(), 2);
    assert_eq!(
        COUNTS.dropped(),
        2,
        "both threads' caches went with the pool"
    );
    pool_gone.send(()).unwrap();
    other.join().unwrap();
}

#[test]
fn many_threads_nothing_leaks_nothing_dropped_twice() {
    const THREADS: usize = if cfg!(miri) { 3 } else { 8 };
    const ROUNDS: usize = if cfg!(miri) { 30 } else { 10_000 };
    static COUNTS: Counts = Counts::new();
    static POOL: Pool<Tracked> = tracked_pool!(COUNTS, 8);
    let (handles, receivers): (Vec<_>, Vec<_>) = (0..THREADS).map(|_| mpsc::channel()).unzip();
    // Spawned and joined by hand: `thread::scope` returns once the closures are done, which
    // can be before the threads' exit hooks have run; `join` waits for those too.
    let threads: Vec<_> = receivers
        .into_iter()
        .enumerate()
        .map(|(t, inbox)| {
            let next: mpsc::Sender<Pooled<'static, Tracked>> = handles[(t + 1) % THREADS].clone();
            thread::spawn(move || {
                for round in 0..ROUNDS {
                    let mut a = POOL.get();
                    a.use_it();
                    if round % 3 == 0 {
                        let mut b = POOL.get();
                        b.use_it();
                        let _ = next.send(b); // given back by the next thread
                    }
                    if round % 7 == 0 {
                        a.oversize = true; // refused
                    }
                    while let Ok(from_neighbour) = inbox.try_recv() {
                        drop(from_neighbour);
                    }
                }
                drop(next);
                // Whatever the previous thread still sends is given back here, until it
                // is done (it dropped its sender before waiting on its own inbox).
                loop {
                    match inbox.recv_timeout(Duration::from_secs(60)) {
                        Ok(from_neighbour) => drop(from_neighbour),
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                        Err(mpsc::RecvTimeoutError::Timeout) => panic!("neighbour hung"),
                    }
                }
            })
        })
        .collect();
    drop(handles);
    for t in threads {
        t.join().expect("a worker panicked");
    }
    let s = POOL.stats();
    assert_eq!(
        s.hits + s.misses,
        (THREADS * (ROUNDS + ROUNDS.div_ceil(3))) as u64
    );
    assert_eq!(s.misses as usize, COUNTS.created());
    assert_eq!(s.idle as usize, COUNTS.created() - COUNTS.dropped());
    assert!(
        s.idle <= 8,
        "every thread exited: only the shared stack holds objects"
    );
    POOL.trim();
    assert_eq!(COUNTS.created(), COUNTS.dropped(), "nothing leaked");
}

#[test]
fn a_cache_never_grows_past_max_idle() {
    use super::local::IdleStack;
    // 4-byte objects: capacity is room; the fast push never allocates.
    let max_idle = 5;
    let mut stack = IdleStack::new();
    assert_eq!(
        stack.push_within_capacity(1_u32, max_idle),
        Err(1),
        "no room yet"
    );
    for i in 0..3 {
        stack.push(i, max_idle);
    }
    let mut batch = vec![3, 4];
    stack.append(&mut batch, max_idle);
    assert_eq!(stack.len(), max_idle);
    assert_eq!(
        stack.push_within_capacity(5, max_idle),
        Err(5),
        "capacity is at most max_idle"
    );
    assert_eq!(stack.drain_oldest(2), vec![0, 1]);
    assert_eq!(stack.push_within_capacity(5, max_idle), Ok(()));
    assert_eq!(stack.pop(), Some(5));
    // Zero-sized objects take no room: their count is the bound.
    let mut units = IdleStack::new();
    for _ in 0..2 {
        assert_eq!(units.push_within_capacity((), 2), Ok(()));
    }
    assert_eq!(units.push_within_capacity((), 2), Err(()));
    assert_eq!(units.take_all().len(), 2);
}

#[test]
fn the_idle_count_follows_fast_and_cold_paths() {
    static COUNTS: Counts = Counts::new();
    let pool: Pool<Tracked> = tracked_pool!(COUNTS, 4);
    let held: Vec<_> = (0..6).map(|_| pool.get()).collect(); // 6 misses
    drop(held); // 4 cached, then 2 spilled with the batch
    assert_eq!(pool.stats(), stats(0, 6, 0, 6));
    for round in 1..=3 {
        drop(pool.get()); // a fast hit and a fast give-back
        assert_eq!(pool.stats(), stats(round, 6, 0, 6));
    }
    let held: Vec<_> = (0..6).map(|_| pool.get()).collect(); // the cache, then the stack
    assert_eq!(pool.stats(), stats(9, 6, 0, 0));
    drop(held);
    assert_eq!(pool.stats().idle, 6);
    pool.trim();
    assert_eq!(pool.stats(), stats(9, 6, 0, 0));
}
