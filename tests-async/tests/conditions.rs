//! `write_when_async` and `read_when_async` (and the per-field `_async` forms) on real
//! executors: every case runs on tokio's multi-thread runtime and on smol, under a watchdog,
//! so a lost wake-up fails the test instead of hanging it.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use lockwise::{WriteGuard, guarded, mode};

/// How long a case may take before the watchdog calls it a lost wake-up.
const WATCHDOG: Duration = Duration::from_secs(60);

/// What a case needs from an executor.
trait Runtime: 'static {
    fn spawn<T: Send + 'static>(
        future: impl Future<Output = T> + Send + 'static,
    ) -> Pin<Box<dyn Future<Output = T> + Send>>;
    fn timeout<T>(
        limit: Duration,
        future: impl Future<Output = T>,
    ) -> impl Future<Output = Option<T>>;
    fn sleep(duration: Duration) -> impl Future<Output = ()>;
}

struct Tokio;

impl Runtime for Tokio {
    fn spawn<T: Send + 'static>(
        future: impl Future<Output = T> + Send + 'static,
    ) -> Pin<Box<dyn Future<Output = T> + Send>> {
        let handle = tokio::spawn(future);
        Box::pin(async move { handle.await.expect("the task panicked") })
    }
    async fn timeout<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
        tokio::time::timeout(limit, future).await.ok()
    }
    async fn sleep(duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

struct Smol;

impl Runtime for Smol {
    fn spawn<T: Send + 'static>(
        future: impl Future<Output = T> + Send + 'static,
    ) -> Pin<Box<dyn Future<Output = T> + Send>> {
        Box::pin(smol::spawn(future))
    }
    async fn timeout<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
        smol::future::or(async { Some(future.await) }, async {
            smol::Timer::after(limit).await;
            None
        })
        .await
    }
    async fn sleep(duration: Duration) {
        smol::Timer::after(duration).await;
    }
}

fn on_tokio(case: impl Future<Output = ()>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        tokio::time::timeout(WATCHDOG, case)
            .await
            .expect("watchdog: a task was never woken");
    });
}

fn on_smol(case: impl Future<Output = ()>) {
    // `block_on` drives the case; what it spawns runs on smol's executor threads.
    smol::block_on(async {
        Smol::timeout(WATCHDOG, case)
            .await
            .expect("watchdog: a task was never woken");
    });
}

/// Each case, once per runtime.
macro_rules! on_every_runtime {
    ($($case:ident),* $(,)?) => {
        mod tokio_runtime {
            $(#[test] fn $case() { super::on_tokio(super::$case::<super::Tokio>()) })*
        }
        mod smol_runtime {
            $(#[test] fn $case() { super::on_smol(super::$case::<super::Smol>()) })*
        }
    };
}

on_every_runtime!(
    a_bounded_queue_moves_every_item_from_producers_to_consumers,
    a_timed_out_wait_leaves_no_registration,
    every_mode_wakes_its_tasks,
    per_field_forms_wait_and_wake,
    a_chain_of_tasks_and_threads_loses_no_wake_up,
);

#[guarded]
#[derive(Default)]
struct Jobs {
    queue: VecDeque<u64>,
    taken: u64,
}

const CAPACITY: usize = 4;
const PRODUCERS: u64 = 3;
const CONSUMERS: u64 = 3;
const PER_PRODUCER: u64 = if cfg!(debug_assertions) { 300 } else { 3000 };

/// A bounded queue on `write_when_async` alone: producers wait for room, consumers for an
/// item (or the end). No channel, no notify.
async fn a_bounded_queue_moves_every_item_from_producers_to_consumers<R: Runtime>() {
    let jobs = Arc::new(Jobs::default());
    let total = PRODUCERS * PER_PRODUCER;
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let jobs = Arc::clone(&jobs);
            R::spawn(async move {
                for i in 0..PER_PRODUCER {
                    let mut room = jobs.write_when_async(|j| j.queue.len() < CAPACITY).await;
                    room.queue.push_back(p * PER_PRODUCER + i);
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|_| {
            let jobs = Arc::clone(&jobs);
            R::spawn(async move {
                let mut got = Vec::new();
                loop {
                    let mut next = jobs
                        .write_when_async(|j| !j.queue.is_empty() || j.taken == total)
                        .await;
                    let Some(item) = next.queue.pop_front() else {
                        return got; // every item is taken
                    };
                    next.taken += 1;
                    drop(next);
                    got.push(item);
                }
            })
        })
        .collect();
    for producer in producers {
        producer.await;
    }
    let mut all = Vec::new();
    for consumer in consumers {
        all.extend(consumer.await);
    }
    all.sort_unstable();
    assert_eq!(all, (0..total).collect::<Vec<_>>());
    assert_eq!(jobs.condition_waiters(), 0);
}

/// The pending future dropped by a timeout was counted while it waited and is uncounted
/// once dropped: a later write takes the release's fast path (zero waiters) and wakes
/// nobody.
async fn a_timed_out_wait_leaves_no_registration<R: Runtime>() {
    let jobs = Jobs::default();
    let (timed_out, ()) = futures::join!(
        R::timeout(
            Duration::from_millis(200),
            jobs.write_when_async(|j| j.taken > 0)
        ),
        async {
            while jobs.condition_waiters() == 0 {
                R::sleep(Duration::from_millis(1)).await;
            }
            // Pending, counted, and holding no lock.
            assert_eq!(jobs.condition_waiters(), 1);
            assert!(jobs.try_write().is_some());
        },
    );
    assert!(timed_out.is_none());
    assert_eq!(
        jobs.condition_waiters(),
        0,
        "the dropped future is uncounted"
    );
    jobs.write().taken = 1;
    assert_eq!(jobs.condition_waiters(), 0);
    // The same for a read, and for a wait dropped before it was ever polled.
    assert!(
        R::timeout(
            Duration::from_millis(20),
            jobs.read_when_async(|j| j.taken > 1)
        )
        .await
        .is_none()
    );
    drop(jobs.write_when_async(|j| j.taken > 1));
    assert_eq!(jobs.condition_waiters(), 0);
}

#[guarded(rw)]
#[derive(Default)]
struct Version {
    n: u64,
}

#[guarded(read_mostly)]
#[derive(Default, Clone)]
struct Routes {
    list: Vec<String>,
}

/// Whole-struct wrappers in the three modes: readers and a writer wait, a task writes.
async fn every_mode_wakes_its_tasks<R: Runtime>() {
    // mutex
    let jobs = Arc::new(Jobs::default());
    let reader = {
        let jobs = Arc::clone(&jobs);
        R::spawn(async move { jobs.read_when_async(|j| j.taken == 2).await.taken })
    };
    let writer = {
        let jobs = Arc::clone(&jobs);
        R::spawn(async move { jobs.write_when_async(|j| j.taken == 1).await.taken += 1 })
    };
    R::sleep(Duration::from_millis(5)).await;
    jobs.write().taken = 1;
    writer.await;
    assert_eq!(reader.await, 2);

    // rw: many readers released by one write
    let version = Arc::new(Version::default());
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let version = Arc::clone(&version);
            R::spawn(async move { version.read_when_async(|v| v.n >= 3).await.n })
        })
        .collect();
    let bump = {
        let version = Arc::clone(&version);
        R::spawn(async move { version.write_when_async(|v| v.n == 1).await.n = 3 })
    };
    R::sleep(Duration::from_millis(5)).await;
    version.write().n = 1;
    bump.await;
    for reader in readers {
        assert_eq!(reader.await, 3);
    }

    // read_mostly: a publish wakes; `write_when_async` copies once the condition holds
    let routes = Arc::new(Routes::default());
    let reader = {
        let routes = Arc::clone(&routes);
        R::spawn(async move {
            let snapshot = routes
                .read_when_async(|r| r.list.iter().any(|p| p == "/health"))
                .await;
            snapshot.list.len()
        })
    };
    let appender = {
        let routes = Arc::clone(&routes);
        R::spawn(async move {
            let mut staged = routes.write_when_async(|r| !r.list.is_empty()).await;
            staged.list.push("/health".into());
        })
    };
    R::sleep(Duration::from_millis(5)).await;
    routes.store(RoutesState {
        list: vec!["/".into()],
    });
    appender.await;
    assert_eq!(reader.await, 2);
    assert_eq!(
        (
            jobs.condition_waiters(),
            version.condition_waiters(),
            routes.condition_waiters()
        ),
        (0, 0, 0)
    );

    // The guards are `write_when`'s and `read_when`'s own types.
    let guard: WriteGuard<'_, JobsState, mode::Mutex> = jobs.write_when_async(|_| true).await;
    drop(guard);
    let guard: WriteGuard<'_, JobsState, mode::Mutex> = jobs.write_when(|_| true);
    drop(guard);
    let guard: lockwise::ReadGuard<'_, VersionState, mode::Rw> =
        version.read_when_async(|_| true).await;
    drop(guard);
    let guard: lockwise::ReadGuard<'_, VersionState, mode::Rw> = version.read_when(|_| true);
    drop(guard);
}

#[guarded]
struct Server {
    #[lock(mutex)]
    queue: VecDeque<u64>,
    #[lock(rw)]
    config: u64,
    #[lock(read_mostly)]
    routes: Vec<String>,
    #[unguarded]
    served: AtomicU64,
}

/// The per-field forms: `f_when_async` (read guard) and `f_mut_when_async` (write guard),
/// one field's writes waking that field's waiters, in each mode.
async fn per_field_forms_wait_and_wake<R: Runtime>() {
    let server = Arc::new(Server::new(ServerState {
        queue: VecDeque::new(),
        config: 0,
        routes: Vec::new(),
        served: AtomicU64::new(0),
    }));
    let worker = {
        let server = Arc::clone(&server);
        R::spawn(async move {
            // Waits for a config, then serves two requests.
            let version = *server.config_when_async(|c| *c > 0).await;
            for _ in 0..2 {
                let request = server
                    .queue_mut_when_async(|q| !q.is_empty())
                    .await
                    .pop_front();
                assert!(request.is_some());
                server.served().fetch_add(version, Ordering::Relaxed);
            }
            let mut routes = server.routes_mut_when_async(|r| r.len() == 1).await;
            routes.push("/done".into());
        })
    };
    let watcher = {
        let server = Arc::clone(&server);
        R::spawn(async move {
            server
                .routes_when_async(|r| r.iter().any(|p| p == "/done"))
                .await
                .len()
        })
    };
    let config_bump = {
        let server = Arc::clone(&server);
        R::spawn(async move { *server.config_mut_when_async(|c| *c == 1).await = 2 })
    };
    R::sleep(Duration::from_millis(5)).await;
    *server.config_mut() = 1;
    config_bump.await;
    server.queue_mut().push_back(1);
    server.queue_mut().push_back(2);
    let queue_len = server.queue_when_async(|q| q.is_empty()).await.len();
    assert_eq!(queue_len, 0);
    server.routes_mut().push("/".into());
    worker.await;
    assert_eq!(watcher.await, 2);
    // The worker saw the config as it was when it woke: 1 or 2, whoever won.
    let served = server.served().load(Ordering::Relaxed);
    assert!(served == 2 || served == 4, "served {served}");

    // The same guard types as the synchronous forms.
    let guard: WriteGuard<'_, VecDeque<u64>, mode::Mutex> =
        server.queue_mut_when_async(|_| true).await;
    drop(guard);
    let guard: WriteGuard<'_, VecDeque<u64>, mode::Mutex> = server.queue_mut_when(|_| true);
    drop(guard);
}

/// Ticket `i` waits until the counter is `i`, then moves it on: a chain that only
/// completes if every release wakes the next holder. Tasks take most tickets, plain threads
/// (`write_when`) the others, so one release wakes both kinds. Spawned in reverse order, so
/// almost every one of them waits.
async fn a_chain_of_tasks_and_threads_loses_no_wake_up<R: Runtime>() {
    const TICKETS: u64 = if cfg!(debug_assertions) { 200 } else { 2000 };
    let counter = Arc::new(Jobs::default());
    let mut tasks = Vec::new();
    let mut threads = Vec::new();
    for ticket in (0..TICKETS).rev() {
        let counter = Arc::clone(&counter);
        if ticket % 16 == 5 {
            threads.push(std::thread::spawn(move || {
                counter.write_when(|c| c.taken == ticket).taken += 1;
            }));
        } else {
            tasks.push(R::spawn(async move {
                counter.write_when_async(|c| c.taken == ticket).await.taken += 1;
            }));
        }
    }
    for task in tasks {
        task.await;
    }
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(counter.read().taken, TICKETS);
    assert_eq!(counter.condition_waiters(), 0);
}
