//! `#[pooled]`: DESIGN.md §5 through the macro. Each test pools a type of its own (each
//! `#[pooled]` type has its own `static` pool), so tests running in parallel do not share a
//! pool. Nothing assumes an object comes back, except same-thread reuse where the test
//! says so; the runtime's own tests (`runtime/src/pooled/tests.rs`) cover the pool in finer
//! detail.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use lockwise::{Pooled, Reset, pooled};

/// A buffer that counts resets, so a test can see each one.
#[pooled]
#[derive(Default)]
struct Scratch {
    buf: Vec<u8>,
    resets: usize,
}

impl Reset for Scratch {
    fn reset(&mut self) {
        self.buf.clear();
        self.resets += 1;
    }
}

#[test]
fn an_object_is_reset_before_it_is_handed_out_again() {
    {
        let mut scratch = Scratch::pooled();
        scratch.buf.extend_from_slice(b"secret");
    }
    let again: Pooled<'static, Scratch> = Scratch::pooled();
    assert!(
        again.buf.is_empty(),
        "nothing of one use leaks into the next"
    );
    // On one thread, the object that just went back is the one handed out next: likely,
    // and what the pool is for (the docs promise it as likely, not certain).
    assert_eq!(again.resets, 1);
    assert_eq!(Scratch::pool().stats().hits, 1);
}

/// Buffers grown past a limit are refused, so that one huge request does not pin memory.
#[pooled(max_idle = 4, new = Self::with_capacity)]
struct Page {
    bytes: Vec<u8>,
}

impl Page {
    const CAPACITY: usize = 4096;

    fn with_capacity() -> Self {
        Page {
            bytes: Vec::with_capacity(Self::CAPACITY),
        }
    }
}

impl Reset for Page {
    fn reset(&mut self) {
        self.bytes.clear();
    }
    fn reusable(&self) -> bool {
        self.bytes.capacity() <= 4 * Self::CAPACITY
    }
}

#[test]
fn new_makes_objects_and_oversized_ones_are_not_kept() {
    let page = Page::pooled();
    assert!(
        page.bytes.capacity() >= Page::CAPACITY,
        "made by `new = path`"
    );
    drop(page);
    let mut huge = Page::pooled();
    huge.bytes.resize(16 * Page::CAPACITY, 0);
    drop(huge);
    let stats = Page::pool().stats();
    assert_eq!(
        stats.discarded, 1,
        "the oversized buffer was dropped: {stats:?}"
    );
    assert_eq!(Page::pool().max_idle(), 4);
}

#[pooled(max_idle = 2)]
#[derive(Default)]
struct Small {
    value: u64,
}

impl Reset for Small {
    fn reset(&mut self) {
        self.value = 0;
    }
}

#[test]
fn idle_objects_are_bounded_by_max_idle() {
    let taken: Vec<_> = (0..10).map(|_| Small::pooled()).collect();
    drop(taken);
    let stats = Small::pool().stats();
    // At most `max_idle` in this thread's cache and `max_idle` in the shared stack.
    assert!(stats.idle <= 4, "{stats:?}");
    assert_eq!(stats.idle + stats.discarded, 10, "{stats:?}");
    Small::pool().trim();
    assert_eq!(
        Small::pool().stats().idle,
        0,
        "trim drops every idle object"
    );
}

/// Counts every object made and dropped, so no leak and no double drop can hide.
static MADE: AtomicUsize = AtomicUsize::new(0);
static DROPPED: AtomicUsize = AtomicUsize::new(0);

#[pooled(max_idle = 8, new = Counted::make)]
struct Counted {
    payload: Vec<u8>,
}

impl Counted {
    fn make() -> Self {
        MADE.fetch_add(1, Ordering::SeqCst);
        Counted {
            payload: Vec::with_capacity(64),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::SeqCst);
    }
}

impl Reset for Counted {
    fn reset(&mut self) {
        self.payload.clear();
    }
}

#[test]
fn eight_threads_get_and_put_with_nothing_leaked_or_dropped_twice() {
    const ROUNDS: usize = if cfg!(miri) { 50 } else { 10_000 };
    // Joined explicitly: a join returns once the thread has exited, its thread-locals
    // destroyed (which hands its cache to the shared stack); the end of a scope only waits
    // for the closures.
    let workers: Vec<_> = (0..8u8)
        .map(|t| {
            thread::spawn(move || {
                for round in 0..ROUNDS {
                    let mut object = Counted::pooled();
                    assert!(object.payload.is_empty(), "reset before reuse");
                    object.payload.push(t);
                    if round % 100 == 0 {
                        // Now and then, an object goes back from another thread.
                        thread::spawn(move || drop(object)).join().unwrap();
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    // Every thread has exited, handing its cache to the shared stack or dropping it.
    Counted::pool().trim();
    assert_eq!(Counted::pool().stats().idle, 0);
    assert_eq!(
        MADE.load(Ordering::SeqCst),
        DROPPED.load(Ordering::SeqCst),
        "every object made was dropped exactly once"
    );
}

#[pooled]
#[derive(Default)]
struct Message {
    text: String,
}

impl Reset for Message {
    fn reset(&mut self) {
        self.text.clear();
    }
}

#[test]
fn an_object_can_go_back_from_another_thread() {
    let mut message = Message::pooled();
    message.text.push_str("hello");
    // `Pooled<Message>` is `Send`: it moves to a thread that drops it there.
    thread::spawn(move || drop(message)).join().unwrap();
    let stats = Message::pool().stats();
    assert_eq!(stats.idle, 1, "{stats:?}");
    assert!(Message::pooled().text.is_empty());
}

#[pooled]
#[derive(Default)]
struct Fragile {
    half_written: Vec<u8>,
}

impl Reset for Fragile {
    fn reset(&mut self) {
        self.half_written.clear();
    }
}

#[test]
fn an_object_held_by_a_panicking_thread_is_discarded_never_reused() {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut object = Fragile::pooled();
        object.half_written.push(1);
        panic!("in the middle of a write");
    }));
    assert!(outcome.is_err());
    let stats = Fragile::pool().stats();
    assert_eq!((stats.discarded, stats.idle), (1, 0), "{stats:?}");
}

#[pooled]
#[derive(Default)]
struct Kept {
    value: u8,
}

impl Reset for Kept {
    fn reset(&mut self) {
        self.value = 0;
    }
}

#[test]
fn detach_keeps_the_object() {
    let mut object = Kept::pooled();
    object.value = 7;
    let owned: Kept = Pooled::detach(object);
    assert_eq!(owned.value, 7);
    assert_eq!(Kept::pool().stats().idle, 0);
}
