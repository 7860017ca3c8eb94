//! Event encoding with pooled buffers, with `#[pooled]`: Go's `sync.Pool`.
//!
//! Go's lesson: *`sync.Pool` is for temporary objects on hot paths, never a cache.* The
//! seed's `encodeEvent` took a `bytes.Buffer` from a pool, wrote an event into it, sent the
//! bytes, reset the buffer and put it back, so that a busy logger does not allocate a
//! buffer per event. Here:
//!
//! - `Buffer::pooled()` hands out a buffer from this thread's cache, or the shared stack,
//!   or a new one; it goes back, reset, when the guard drops;
//! - `Reset::reusable` refuses a buffer that one huge event grew, so it does not pin
//!   memory for ever;
//! - `Buffer::pool().stats()` shows how often a buffer was reused.
//!
//! Run it with `cargo run --example buffers`.

use std::fmt::Write as _;
use std::sync::mpsc;
use std::thread;

use lockwise::{Reset, pooled};

/// A scratch buffer for one encoded event.
#[pooled(max_idle = 16, new = Self::with_capacity)]
pub struct Buffer {
    pub text: String,
}

impl Buffer {
    /// Buffers start at 512 bytes: most events fit without growing.
    const CAPACITY: usize = 512;
    /// A buffer grown past this is dropped instead of kept.
    const KEEP_AT_MOST: usize = 8 * 1024;

    fn with_capacity() -> Self {
        Buffer {
            text: String::with_capacity(Self::CAPACITY),
        }
    }
}

impl Reset for Buffer {
    fn reset(&mut self) {
        self.text.clear();
    }

    fn reusable(&self) -> bool {
        self.text.capacity() <= Self::KEEP_AT_MOST
    }
}

/// One event to log.
pub struct Event<'a> {
    pub id: u64,
    pub user: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
}

/// The seed's `encodeEvent`: a pooled buffer, written, sent, given back.
pub fn encode_event(event: &Event, out: &mpsc::Sender<usize>) {
    let mut buffer = Buffer::pooled();
    let _ = write!(
        buffer.text,
        r#"{{"id":{},"user":"{}","action":"{}","detail":"{}"}}"#,
        event.id, event.user, event.action, event.detail
    );
    // "Send" the bytes: the sink only needs the length here.
    out.send(buffer.text.len()).expect("the sink is listening");
} // the buffer goes back to the pool here, reset

pub fn main() {
    const THREADS: u64 = 4;
    const EVENTS: u64 = 5_000;
    let (out, sink) = mpsc::channel();
    thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|worker| {
                let out = out.clone();
                s.spawn(move || {
                    let huge = "x".repeat(16 * 1024);
                    for n in 0..EVENTS {
                        // Now and then a huge event grows its buffer past the limit.
                        let detail = if n % 1_000 == 500 {
                            huge.as_str()
                        } else {
                            "ok"
                        };
                        let event = Event {
                            id: worker * EVENTS + n,
                            user: "ada",
                            action: "login",
                            detail,
                        };
                        encode_event(&event, &out);
                    }
                })
            })
            .collect();
        // Joined, so that each worker has exited and handed its cached buffers to the
        // pool's shared stack before the stats are read.
        for worker in workers {
            worker.join().unwrap();
        }
    });
    drop(out);
    let bytes: usize = sink.iter().sum();
    let stats = Buffer::pool().stats();
    let gets = stats.hits + stats.misses;
    println!(
        "{gets} events encoded ({} KiB) by {THREADS} threads",
        bytes / 1024
    );
    println!(
        "buffers: {} reused, {} allocated ({:.1}% hit rate), {} dropped as oversized, {} idle",
        stats.hits,
        stats.misses,
        100.0 * stats.hits as f64 / gets as f64,
        stats.discarded,
        stats.idle
    );
    Buffer::pool().trim();
    println!("after trim(): {} idle", Buffer::pool().stats().idle);
}
