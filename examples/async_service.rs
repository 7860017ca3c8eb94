//! An async service with lockwise (feature `async`): Go's goroutines are tasks here, and
//! the three lessons of the seed carry over without blocking a runtime thread.
//!
//! - **`sync.Once`, and when to retry it**, with an `async fn` initializer: a database
//!   client connects on first use (`#[once(init = Self::connect, async)]`). The fake
//!   database refuses the first two connections; under `retry` each failure goes to the
//!   request that saw it, and the next request connects again.
//! - **errgroup's `fetchAll`**: `fan_out_async_limit` runs the fetches concurrently on the
//!   caller's task, at most 4 at once, results in input order, the first error wins.
//! - **`sync.Cond`**: a consumer task awaits `write_when_async(|jobs| ..)` and is woken by
//!   the producer's writes, which call no `notify`.
//!
//! Guards stay synchronous: take one, use it, drop it before the next `.await`
//! (docs/async.md says why). lockwise depends on no runtime; this program drives its
//! futures with the 15-line `block_on` at the bottom, where a service would use tokio's or
//! smol's.
//!
//! Run it with `cargo run --example async_service`.

use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

use lockwise::{fan_out_async_limit, guarded, once_init};

/// A connection to the fake database.
#[derive(Debug)]
pub struct Db {
    pub url: String,
    /// Which attempt opened it (1 for the first).
    pub attempt: usize,
}

/// Why a connection or a query failed.
#[derive(Debug, Clone, PartialEq)]
pub struct DbError(pub String);

/// The seed's `DBClient`: connects on first use, and retries after a failure.
#[once_init(retry)]
pub struct DbClient {
    url: String,
    /// How many times `connect` ran (the fake database refuses the first two).
    attempts: AtomicUsize,
    #[once(init = Self::connect, async)]
    db: Result<Db, DbError>,
}

impl DbClient {
    /// What every database client's connect is: an `async fn`. One runs at a time; a
    /// request that arrives meanwhile awaits it without blocking its thread.
    async fn connect(&self) -> Result<Db, DbError> {
        let attempt = self.attempts.fetch_add(1, Ordering::SeqCst) + 1;
        network_round_trip().await;
        if attempt <= 2 {
            return Err(DbError(format!("connection refused (attempt {attempt})")));
        }
        Ok(Db {
            url: self.url.clone(),
            attempt,
        })
    }

    /// One query: connects first if no connection is up yet.
    pub async fn fetch(&self, id: u32) -> Result<String, DbError> {
        // Under `retry` the accessor returns `Result<&Db, DbError>`: the error by value.
        let db = self.db().await?;
        network_round_trip().await;
        Ok(format!("row {id} from {}", db.url))
    }
}

/// errgroup's `fetchAll`: every id at most 4 at a time, in order, or the first error.
pub async fn fetch_all(client: &DbClient, ids: &[u32]) -> Result<Vec<String>, DbError> {
    fan_out_async_limit(4, ids.iter().copied(), |id| client.fetch(id)).await
}

/// A job queue that a consumer task waits on.
#[guarded]
pub struct Jobs {
    queue: VecDeque<u32>,
    /// Set by the producer when no more jobs will come.
    closed: bool,
}

/// Takes jobs until the queue is closed and empty; returns what it did with them.
pub async fn consume(jobs: &Jobs) -> Vec<u32> {
    let mut done = Vec::new();
    loop {
        // Pending while the queue is empty and open, holding no lock; woken by the
        // producer's `write()` guards as they drop.
        let mut state = jobs
            .write_when_async(|s| !s.queue.is_empty() || s.closed)
            .await;
        let Some(job) = state.queue.pop_front() else {
            return done; // closed, and nothing left
        };
        drop(state); // the guard goes before the work (and before any `.await`)
        done.push(job * 10);
    }
}

pub fn main() {
    let client = DbClient::new("postgres://db.local/app".into(), AtomicUsize::new(0));

    block_on(async {
        // The first two requests find the database down; the third connects.
        for request in 1..=3 {
            match client.fetch(request).await {
                Ok(row) => println!("request {request}: {row}"),
                Err(DbError(why)) => println!("request {request}: {why}; the next one retries"),
            }
        }
        let db = client
            .db_if_ready()
            .expect("connected by the third request");
        assert_eq!(db.attempt, 3);

        // Now every fetch reuses the connection: connect never runs again.
        let rows = fetch_all(&client, &[10, 11, 12, 13, 14, 15]).await;
        let rows = rows.expect("the database is up");
        println!("fetch_all: {} rows, first {:?}", rows.len(), rows[0]);
        assert_eq!(rows.len(), 6);
        assert_eq!(client.attempts.load(Ordering::SeqCst), 3);
    });

    let jobs = Jobs::new(JobsState {
        queue: VecDeque::new(),
        closed: false,
    });
    let done = thread::scope(|s| {
        s.spawn(|| {
            for job in 1..=5 {
                jobs.write().queue.push_back(job); // no notify
                thread::sleep(Duration::from_millis(1));
            }
            jobs.write().closed = true;
        });
        block_on(consume(&jobs))
    });
    println!("consumer: {done:?}");
    assert_eq!(done, [10, 20, 30, 40, 50]);
}

/// Stands in for a network round trip: gives control back to the executor once.
async fn network_round_trip() {
    let mut waited = false;
    poll_fn(|cx| {
        if waited {
            Poll::Ready(())
        } else {
            waited = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

/// The smallest executor that does not spin: polls `future` on this thread, and sleeps
/// (`park`) until its waker is called.
pub fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread::park();
    }
}
