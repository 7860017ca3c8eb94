//! A database client that connects on first use, with `#[once_init]`: Go's `sync.Once`,
//! and when to retry it.
//!
//! Go's lesson: *`sync.Once` runs the function once, whatever happens.* If the database is
//! down when the first request arrives, the client stays broken until the process restarts
//! (and a panic in the function leaves it "done" with nothing in it, silently). The fix is a
//! policy, and `#[once_init]` makes it one word:
//!
//! - `#[once_init]`: the first error is kept. Right for configuration that is wrong, not
//!   late: every caller gets the same error, and nobody retries in vain.
//! - `#[once_init(retry)]`: an error goes to the caller that saw it, and the next call
//!   tries again. Right for a dependency that comes up later.
//! - `#[once_init(retry(min_interval_ms = N))]`: the same, but for `N` ms after a failure
//!   callers get that error at once, so a thousand requests do not hammer a database that
//!   is down.
//!
//! Here a fake database refuses the first two connections and accepts the third.
//!
//! Run it with `cargo run --example db_client`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use lockwise::once_init;

/// A connection to the fake database.
#[derive(Debug)]
pub struct Connection {
    pub url: String,
    /// Which attempt opened it (1 for the first).
    pub attempt: usize,
}

/// Why a connection failed. `Clone`: a throttled client hands copies of it out.
#[derive(Debug, Clone, PartialEq)]
pub struct DbError(pub String);

/// A fake database that refuses its first `refusals` connections, counting every attempt.
pub struct FakeDatabase {
    refusals: usize,
    attempts: AtomicUsize,
}

impl FakeDatabase {
    pub const fn new(refusals: usize) -> Self {
        Self {
            refusals,
            attempts: AtomicUsize::new(0),
        }
    }

    pub fn open(&self, url: &str) -> Result<Connection, DbError> {
        let attempt = self.attempts.fetch_add(1, Ordering::SeqCst) + 1;
        if attempt <= self.refusals {
            Err(DbError(format!("connection {attempt} to {url} refused")))
        } else {
            Ok(Connection {
                url: url.to_owned(),
                attempt,
            })
        }
    }

    pub fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }
}

/// The seed's `DBClient`, with Go's semantics: the first error is kept.
#[once_init]
pub struct StrictClient {
    url: String,
    database: Arc<FakeDatabase>,
    #[once(init = Self::connect)]
    pub db: Result<Connection, DbError>,
}

impl StrictClient {
    fn connect(&self) -> Result<Connection, DbError> {
        self.database.open(&self.url)
    }
}

/// The same client, retrying: the next call after a failure tries again.
#[once_init(retry)]
pub struct RetryingClient {
    url: String,
    database: Arc<FakeDatabase>,
    #[once(init = Self::connect)]
    pub db: Result<Connection, DbError>,
}

impl RetryingClient {
    fn connect(&self) -> Result<Connection, DbError> {
        self.database.open(&self.url)
    }
}

/// Retrying, but at most one attempt per second: a burst of requests while the database
/// is down costs one attempt, not one per request.
#[once_init(retry(min_interval_ms = 1_000))]
pub struct ThrottledClient {
    url: String,
    database: Arc<FakeDatabase>,
    #[once(init = Self::connect)]
    pub db: Result<Connection, DbError>,
}

impl ThrottledClient {
    fn connect(&self) -> Result<Connection, DbError> {
        self.database.open(&self.url)
    }
}

const URL: &str = "postgres://db.local/app";

pub fn main() {
    // Go's semantics: the database refuses once, and the client is broken for good.
    let database = Arc::new(FakeDatabase::new(2));
    let strict = StrictClient::new(URL.into(), Arc::clone(&database));
    for request in 1..=3 {
        match strict.db() {
            Ok(db) => println!(
                "strict, request {request}: connected on attempt {}",
                db.attempt
            ),
            Err(error) => println!("strict, request {request}: {}", error.0),
        }
    }
    println!(
        "strict: {} attempt(s) for 3 requests; the first error is kept",
        database.attempts()
    );

    // retry: eight threads race for the connection while the database refuses twice.
    // Only one attempt runs at a time; each failure goes to the thread that ran it, and a
    // waiting thread runs the next attempt.
    let database = Arc::new(FakeDatabase::new(2));
    let retrying = RetryingClient::new(URL.into(), Arc::clone(&database));
    let failures = thread::scope(|s| {
        let workers: Vec<_> = (0..8).map(|_| s.spawn(|| retrying.db().is_err())).collect();
        workers
            .into_iter()
            .filter_map(|w| w.join().unwrap().then_some(()))
            .count()
    });
    let db = retrying.db().expect("the third attempt connects");
    println!(
        "retrying: 8 racing threads, {failures} saw a refusal, {} attempts in all; connected on \
         attempt {} to {}",
        database.attempts(),
        db.attempt,
        db.url
    );

    // Throttled: while the database is down, a burst of 100 requests costs one attempt.
    let database = Arc::new(FakeDatabase::new(usize::MAX));
    let throttled = ThrottledClient::new(URL.into(), Arc::clone(&database));
    let refused = (0..100).filter(|_| throttled.db().is_err()).count();
    println!(
        "throttled: {refused} of 100 requests refused during an outage, {} attempt made \
         (the next one is allowed a second after the failure)",
        database.attempts()
    );
    assert_eq!(database.attempts(), 1);
    assert!(throttled.db_if_ready().is_none());
}
