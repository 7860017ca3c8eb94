//! A handler registry with `#[guarded(read_mostly)]`: Go's `sync.Map` case.
//!
//! Go's lesson: *use `sync.Map` only for write-once, read-many data.* A route table is
//! filled at startup, read by every request, and changed perhaps once in a while. For
//! such data, `#[guarded(read_mostly)]` (read-copy-update on `arc-swap`) makes every
//! read lock-free:
//!
//! - `read()` returns a snapshot: it never waits, never makes a writer wait, and never
//!   changes while it is held, so a reader sees each write entirely or not at all;
//! - `write()` clones the *whole* state (O(size)), lets you change the copy, and
//!   publishes it when the guard drops; writers queue, so no update is lost.
//!
//! That copy is the price: this mode is for rarely written data. For state written
//! often, or expensive to clone, use `#[guarded(rw)]` (see the `cache` example). And
//! keep per-request counters out of a `read_mostly` state: counting a request would
//! copy the table.
//!
//! Run it with `cargo run --example registry`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use lockwise::guarded;

/// A request handler. A function pointer is `Copy`, `Send` and `Sync`: a reader copies it
/// out of the snapshot and calls it with nothing held.
pub type Handler = fn(&str) -> String;

/// The state must be `Clone` (each write works on a copy); leaving out the derive is a
/// compile error that says so.
#[guarded(read_mostly)]
#[derive(Clone)]
pub struct Registry {
    handlers: BTreeMap<&'static str, Handler>,
    /// Bumped by every registration, in the same write: a snapshot that has a route
    /// also has the version that added it.
    version: u64,
}

impl Registry {
    /// The handler for `route`, from the current snapshot, and that snapshot's version.
    /// The snapshot is released at the end of the block; the handler runs without it.
    pub fn lookup(&self, route: &str) -> (Option<Handler>, u64) {
        let snapshot = self.read();
        (snapshot.handlers.get(route).copied(), snapshot.version)
    }

    /// A registration while the server runs: one clone of the table, one publish.
    pub fn register(&self, route: &'static str, handler: Handler) {
        self.write().add(route, handler);
    }
}

// Reached only through a write guard (a private copy, in this mode) or before sharing.
impl RegistryState {
    fn add(&mut self, route: &'static str, handler: Handler) {
        self.handlers.insert(route, handler);
        self.version += 1;
    }
}

fn echo(body: &str) -> String {
    body.to_owned()
}

fn upper(body: &str) -> String {
    body.to_uppercase()
}

fn length(body: &str) -> String {
    body.len().to_string()
}

fn status(_: &str) -> String {
    "ok".to_owned()
}

fn debug(body: &str) -> String {
    format!("{body:?}")
}

const READERS: usize = 4;
const REQUESTS_PER_READER: usize = 2_500;
/// The route that is registered while the readers run.
const LATE: &str = "status";
const ROUTES: [&str; 4] = ["echo", "upper", "len", LATE];

pub fn main() {
    // Populate before sharing: the state is a plain struct until `new`, so startup
    // registration costs no copies at all. (Calling `register` once per route instead
    // would clone the table each time: O(n^2) for n routes.)
    let mut startup = RegistryState {
        handlers: BTreeMap::new(),
        version: 0,
    };
    startup.add("echo", echo);
    startup.add("upper", upper);
    startup.add("len", length);
    let registry = Registry::new(startup);
    // The version the late registration will create.
    let late_version = registry.read().version + 1;

    // How far the readers have got, so that the late registration lands mid-run.
    let progress = AtomicUsize::new(0);
    let (per_route, late_404) = thread::scope(|s| {
        let readers: Vec<_> = (0..READERS)
            .map(|r| {
                let (registry, progress) = (&registry, &progress);
                s.spawn(move || {
                    // Per-thread counts, merged after `join` (see the module docs).
                    let mut served: BTreeMap<&str, usize> = BTreeMap::new();
                    let mut not_found = 0;
                    for i in 0..REQUESTS_PER_READER {
                        if i == REQUESTS_PER_READER / 2 {
                            // Demo only, so that every run shows requests on both sides
                            // of the registration: a reader that is half done waits
                            // until the late route is visible. Polling is cheap here:
                            // each `read()` is a lock-free load.
                            while registry.lookup(LATE).0.is_none() {
                                thread::yield_now();
                            }
                        }
                        let route = ROUTES[(r + i) % ROUTES.len()];
                        let (handler, version) = registry.lookup(route);
                        // Snapshots are consistent: the late route is there exactly when
                        // the version that added it is.
                        if route == LATE {
                            assert_eq!(handler.is_some(), version >= late_version);
                        }
                        match handler {
                            Some(handler) => {
                                assert!(!handler("hello").is_empty());
                                *served.entry(route).or_insert(0) += 1;
                            }
                            None => not_found += 1,
                        }
                        progress.fetch_add(1, Ordering::Relaxed);
                    }
                    (served, not_found)
                })
            })
            .collect();

        // The late registration: one write while the readers run. They do not stop for
        // it; each keeps the snapshot it has and sees the new table on its next read.
        s.spawn(|| {
            while progress.load(Ordering::Relaxed) < READERS * REQUESTS_PER_READER / 4 {
                thread::yield_now();
            }
            registry.register(LATE, status);
        });

        let mut per_route: BTreeMap<&str, usize> = BTreeMap::new();
        let mut late_404 = 0;
        for reader in readers {
            let (served, not_found) = reader.join().expect("reader thread panicked");
            for (route, count) in served {
                *per_route.entry(route).or_insert(0) += count;
            }
            late_404 += not_found;
        }
        (per_route, late_404)
    });

    // Every request was answered: by a handler, or with a 404 for the late route
    // before it existed.
    let total = READERS * REQUESTS_PER_READER;
    assert_eq!(per_route.values().sum::<usize>() + late_404, total);
    println!("{READERS} readers x {REQUESTS_PER_READER} requests, none of them waited for a lock");
    for route in ROUTES {
        let served = per_route.get(route).copied().unwrap_or(0);
        print!("  /{route:<7} {served:>5} served");
        if route == LATE {
            print!(", {late_404} got 404 before its registration (varies by run)");
        }
        println!();
    }

    // A snapshot stays as it was, even across a write by the same thread. In `rw` mode
    // the write below would wait for this thread's own read guard forever (a debug
    // build panics instead); a `read_mostly` read holds no lock.
    let before = registry.read();
    registry.register("debug", debug);
    assert!(!before.handlers.contains_key("debug"));
    let (handler, version) = registry.lookup("debug");
    assert_eq!(handler.map(|h| h("hi")), Some("\"hi\"".to_owned()));
    println!(
        "registered /debug: version {} -> {version}, {} routes (the old snapshot still has {})",
        before.version,
        registry.read().handlers.len(),
        before.handlers.len(),
    );
}
