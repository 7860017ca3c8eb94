//! Server state with one lock per field: `#[lock(..)]` and `#[unguarded]`.
//!
//! Go's lesson: *split a hot lock.* With one lock around the whole server, a worker
//! bumping its statistics would wait for another worker reading the config, and an admin
//! reloading the config would stall them all. Here each piece of state is shared in the
//! way it is used:
//!
//! - `config`: read by every request, replaced now and then: `#[lock(rw)]`,
//! - `stats`: written by every request: `#[lock(mutex)]`,
//! - `requests`: a plain counter: an `AtomicU64` needs no lock at all, `#[unguarded]`.
//!
//! What it shows: the per-field accessors (`with_config`, `config_mut`, `with_stats_mut`,
//! `try_stats`, `requests()`), `lock_all()` for a consistent view of every field, and
//! `get_mut()`/`into_inner()` once the threads are done.
//!
//! Lock order is declaration order (`config`, then `stats`). Taking `config` while holding
//! `stats` could deadlock against a thread doing the opposite; debug builds panic at
//! once if a thread tries, naming both fields.
//!
//! Run it with `cargo run --example server`.

use std::collections::BTreeMap;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use lockwise::guarded;

/// Settings every request reads.
#[derive(Debug)]
pub struct Config {
    pub version: u32,
    pub max_body_bytes: usize,
}

#[derive(Debug, Default)]
pub struct Stats {
    pub served: u64,
    pub rejected: u64,
    pub bytes_in: u64,
    /// Requests handled under each config version.
    pub by_version: BTreeMap<u32, u64>,
}

#[guarded]
pub struct Server {
    #[lock(rw)]
    config: Config,
    #[lock(mutex)]
    stats: Stats,
    #[unguarded]
    requests: AtomicU64,
}

/// A fake request: only its size matters here.
fn body_len(worker: u64, i: u64) -> usize {
    ((worker * 131 + i * 977) % 2_048) as usize
}

impl Server {
    /// What a worker does per request.
    fn handle(&self, body_len: usize) {
        // The unguarded field is a plain `&AtomicU64`: no lock, never waits.
        self.requests().fetch_add(1, Ordering::Relaxed);

        // Copy what we need out of the config; the read guard is released at the end of
        // this statement, so an admin reload waits for no request to finish.
        let (version, limit) = self.with_config(|c| (c.version, c.max_body_bytes));
        let accepted = body_len <= limit;

        // The stats lock on its own: it never waits for a config reader or for a reload.
        // Locking `config` inside this closure would be out of order: a debug build
        // panics there instead of risking the deadlock.
        self.with_stats_mut(|s| {
            if accepted {
                s.served += 1;
                s.bytes_in += body_len as u64;
            } else {
                s.rejected += 1;
            }
            *s.by_version.entry(version).or_insert(0) += 1;
        });
    }

    /// An admin reload: builds the new config from the current one, then swaps it in
    /// under the write guard of `config` only. Workers updating `stats` are not blocked.
    fn reload(&self, max_body_bytes: usize) -> u32 {
        let mut config = self.config_mut();
        *config = Config {
            version: config.version + 1,
            max_body_bytes,
        };
        config.version
    }

    /// A health check that never waits: `try_stats()` is `None` while another thread
    /// holds the lock, and a monitoring probe should not queue behind the workers.
    fn health(&self) -> String {
        match self.try_stats() {
            Some(s) => format!("ok: {} served, {} rejected", s.served, s.rejected),
            None => "busy".to_owned(),
        }
    }
}

const WORKERS: u64 = 4;
const REQUESTS_PER_WORKER: u64 = 1_000;

pub fn main() {
    let mut server = Server::new(ServerState {
        config: Config {
            version: 1,
            max_body_bytes: 1_024,
        },
        stats: Stats::default(),
        requests: AtomicU64::new(0),
    });

    // The admin reloads the config half way through: both barriers pin down the moment,
    // so every run prints the same numbers. In a real server the reload would just
    // happen whenever; nothing below depends on the barriers for correctness.
    let halfway = Barrier::new(WORKERS as usize + 1);
    let reloaded = Barrier::new(WORKERS as usize + 1);

    // Scoped threads borrow `server` directly: no `Arc` needed, and we get it back by
    // value afterwards.
    thread::scope(|s| {
        for worker in 0..WORKERS {
            let (server, halfway, reloaded) = (&server, &halfway, &reloaded);
            s.spawn(move || {
                for i in 0..REQUESTS_PER_WORKER {
                    if i == REQUESTS_PER_WORKER / 2 {
                        halfway.wait();
                        reloaded.wait();
                    }
                    server.handle(body_len(worker, i));
                }
            });
        }
        s.spawn(|| {
            halfway.wait();
            let version = server.reload(1_536);
            println!("admin: reloaded config, now version {version} (max body 1536 bytes)");
            reloaded.wait();
        });
    });

    // `lock_all()` takes every field lock, in declaration order, and returns a struct of
    // guards: a view in which `config` and `stats` agree with each other. The unguarded
    // atomic is not covered by any lock; it is exact here because the workers are done.
    {
        let all = server.lock_all();
        let requests = all.requests.load(Ordering::Relaxed);
        let expected = WORKERS * REQUESTS_PER_WORKER;
        // No lost updates, in either the locked or the atomic counter.
        assert_eq!(requests, expected);
        assert_eq!(all.stats.served + all.stats.rejected, expected);
        assert_eq!(all.stats.by_version.values().sum::<u64>(), expected);
        println!(
            "{requests} requests from {WORKERS} workers under config v{} (max body {} bytes)",
            all.config.version, all.config.max_body_bytes,
        );
        println!(
            "  served {}, rejected {}, {} KiB in",
            all.stats.served,
            all.stats.rejected,
            all.stats.bytes_in / 1_024,
        );
        for (version, count) in &all.stats.by_version {
            println!("  config v{version}: {count} requests");
        }
    } // every guard of `lock_all()` is released here

    println!("health: {}", server.health());

    // The scope is over, so this thread owns `server` again: `&mut` proves that no one
    // else can look, and `get_mut()` reaches every field without taking a single lock.
    let parts = server.get_mut();
    assert_eq!(parts.config.version, 2);
    assert_eq!(
        parts.stats.served + parts.stats.rejected,
        *parts.requests.get_mut()
    );

    // At shutdown, `into_inner()` takes every lock apart and gives back the plain state.
    let ServerState { stats, .. } = server.into_inner();
    assert_eq!(stats.by_version.len(), 2);
}
