//! A session store under concurrent load, with `#[sharded(N)]`: one hot lock split into N.
//!
//! Go's lesson: *when one mutex over a map is the bottleneck, stripe it*: N locks, each key
//! sent to one of them by its hash, so requests for different users rarely wait for each
//! other. lockwise makes the stripe count a word in the attribute, and the map methods work
//! across the shards (`Sessions` dereferences to `lockwise::ShardedMap`, whose methods they
//! are, and through it to `Shards`, whose key guards take the key type, `u64` here):
//!
//! - `insert`, `get_with`, `update` lock one shard, the key's;
//! - `retain` (expiry here) and `len` walk the shards one at a time and never hold two;
//! - holding a shard and asking for it again (dashmap's classic deadlock) panics in debug
//!   builds instead of hanging.
//!
//! Run it with `cargo run --example sessions`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use lockwise::{PrehashedMap, sharded};

/// A logged-in user's session.
#[derive(Clone, Debug)]
pub struct Session {
    pub user: String,
    /// The logical time of the last request.
    pub last_seen: u64,
    pub requests: u32,
}

/// One shard's state: its sessions (a `PrehashedMap` hashes each key once, reusing the
/// shard's hash) and what this shard expired.
///
/// `mutex` shards: every request writes its session (it touches `last_seen`), so an `rw`
/// lock's readers would have nothing to share. (Leave the word out and run the tour with
/// `--features profile`: the profile says "use `mutex`" on `Sessions`, its one row.)
#[sharded(16, mutex)]
#[derive(Default)]
pub struct Sessions {
    map: PrehashedMap<u64, Session>,
    expired: u64,
}

impl Sessions {
    /// A request of `session_id` at logical time `now`: creates the session or touches it,
    /// under the one shard the id belongs to.
    pub fn request(&self, session_id: u64, user: &str, now: u64) {
        self.get_or_insert_with(
            session_id,
            || Session {
                user: user.to_owned(),
                last_seen: now,
                requests: 0,
            },
            |session| {
                session.last_seen = now;
                session.requests += 1;
            },
        );
    }

    /// Drops the sessions idle since before `cutoff`, one shard at a time, and counts them
    /// in the shard's own state.
    pub fn expire(&self, cutoff: u64) -> u64 {
        let mut expired = 0;
        self.for_each_shard_mut(|shard| {
            let before = shard.map.len();
            shard.map.retain(|_, session| session.last_seen >= cutoff);
            let gone = (before - shard.map.len()) as u64;
            shard.expired += gone;
            expired += gone;
        });
        expired
    }
}

pub fn main() {
    const WORKERS: u64 = 4;
    const REQUESTS: u64 = 20_000;
    const USERS: u64 = 2_000;
    let sessions = Sessions::new();
    let clock = AtomicU64::new(0);
    thread::scope(|s| {
        for worker in 0..WORKERS {
            let (sessions, clock) = (&sessions, &clock);
            s.spawn(move || {
                for n in 0..REQUESTS {
                    let now = clock.fetch_add(1, Ordering::Relaxed);
                    // Workers favour different users, with some overlap.
                    let id = (n * 7 + worker * 131) % USERS;
                    sessions.request(id, &format!("user{id}"), now);
                    if n % 5_000 == 4_999 && worker == 0 {
                        // Expiry runs while the others keep serving requests.
                        sessions.expire(now.saturating_sub(10_000));
                    }
                }
            });
        }
    });
    let total_requests: u64 = sessions
        .to_vec()
        .iter()
        .map(|(_, s)| u64::from(s.requests))
        .sum();
    println!(
        "{} requests from {WORKERS} threads, {} live sessions over {} shards ({total_requests} \
         requests counted in live sessions)",
        WORKERS * REQUESTS,
        sessions.len(),
        sessions.shard_count()
    );
    let now = clock.load(Ordering::Relaxed);
    let expired = sessions.expire(now.saturating_sub(1_000));
    let mut expired_per_shard = Vec::new();
    sessions.for_each_shard(|shard| expired_per_shard.push(shard.expired));
    println!(
        "final expiry: {expired} idle sessions dropped, {} left; expired per shard: \
         {expired_per_shard:?}",
        sessions.len()
    );
    // A lookup without a clone: the closure runs under the key's shard lock.
    if let Some((id, _)) = sessions
        .to_vec()
        .into_iter()
        .max_by_key(|(_, s)| s.requests)
    {
        let busiest = sessions.get_with(&id, |s| format!("{} ({} requests)", s.user, s.requests));
        println!("busiest live session: {}", busiest.unwrap_or_default());
    }
}
