//! Async lazy fields, `#[once(init = .., async)]`, on a real runtime: the generated
//! accessors under each policy, callers joined on one thread, cancellation by a timeout,
//! an initializer that awaits its own field, `Send` futures, and many tasks at once.
//! (The protocol step by step, polled by hand and under Miri, is the runtime's
//! `once_init::async_tests`; every interleaving of it, its loom model.)

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use futures::future::join_all;
use lockwise::once_init;

use super::{Runtime, message, within, yield_now};

/// The default policy: the first outcome is kept, an error too.
#[once_init]
pub struct Cached {
    attempts: AtomicUsize,
    #[once(init = Self::connect, async)]
    db: Result<u32, String>,
    #[once(init = Self::load, async)]
    settings: Vec<u8>,
}

impl Cached {
    async fn connect(&self) -> Result<u32, String> {
        self.attempts.fetch_add(1, SeqCst);
        yield_now().await;
        Err("refused".to_owned())
    }

    async fn load(&self) -> Vec<u8> {
        yield_now().await;
        vec![1, 2]
    }
}

/// `retry`: the first `failures` attempts fail, each error going to its own caller.
#[once_init(retry)]
pub struct Flaky {
    failures: usize,
    attempts: AtomicUsize,
    #[once(init = Self::connect, async)]
    db: Result<u32, String>,
}

impl Flaky {
    async fn connect(&self) -> Result<u32, String> {
        let attempt = self.attempts.fetch_add(1, SeqCst);
        yield_now().await;
        if attempt < self.failures {
            Err(format!("attempt {attempt} refused"))
        } else {
            Ok(7)
        }
    }
}

/// How long `Throttled` answers with its last error: long enough that two calls in a row
/// fall within it on a loaded machine.
const INTERVAL: Duration = Duration::from_millis(400);

/// `retry(min_interval_ms = ..)`: the first attempt fails; for `INTERVAL` after it, callers
/// get its error without an attempt.
#[once_init(retry(min_interval_ms = 400))]
pub struct Throttled {
    attempts: AtomicUsize,
    #[once(init = Self::connect, async)]
    db: Result<u32, String>,
}

impl Throttled {
    async fn connect(&self) -> Result<u32, String> {
        match self.attempts.fetch_add(1, SeqCst) {
            0 => Err("down".to_owned()),
            _ => Ok(9),
        }
    }
}

pub fn every_policy_returns_what_the_sync_accessor_does<R: Runtime>(rt: &R) {
    rt.block_on(async {
        let cached = Cached::new(AtomicUsize::new(0));
        let first: Result<&u32, &String> = cached.db().await;
        assert_eq!(first, Err(&"refused".to_owned()));
        assert_eq!(cached.db().await, first, "the error is kept");
        assert_eq!(cached.attempts.load(SeqCst), 1);
        assert_eq!(cached.db_if_ready(), None);
        let settings: &Vec<u8> = cached.settings().await;
        assert_eq!(settings, &[1, 2]);
        assert!(ptr::eq(cached.settings_if_ready().unwrap(), settings));

        let flaky = Flaky::new(2, AtomicUsize::new(0));
        let first: Result<&u32, String> = flaky.db().await;
        assert_eq!(first, Err("attempt 0 refused".to_owned()));
        assert_eq!(flaky.db().await, Err("attempt 1 refused".to_owned()));
        assert_eq!(flaky.db().await, Ok(&7));
        assert_eq!(flaky.db().await, Ok(&7));
        assert_eq!(flaky.attempts.load(SeqCst), 3);

        let throttled = Throttled::new(AtomicUsize::new(0));
        let first: Result<&u32, String> = throttled.db().await;
        assert_eq!(first, Err("down".to_owned()));
        assert_eq!(throttled.db().await, Err("down".to_owned()));
        assert_eq!(throttled.attempts.load(SeqCst), 1, "throttled");
        rt.sleep(INTERVAL + Duration::from_millis(50)).await;
        assert_eq!(throttled.db().await, Ok(&9));
        assert_eq!(throttled.attempts.load(SeqCst), 2);
    });
}

/// Waiters await instead of blocking the thread: two callers joined on a single-threaded
/// runtime both complete (a blocking wait would hang it), one initializer between them;
/// under `retry`, the waiter of a failed attempt runs the next one.
pub fn two_callers_joined_on_one_thread_both_complete<R: Runtime>(rt: &R) {
    rt.block_on_one_thread(async {
        let cached = Cached::new(AtomicUsize::new(0));
        let (a, b) = futures::join!(cached.settings(), cached.settings());
        assert!(ptr::eq(a, b));
        let (a, b) = futures::join!(cached.db(), cached.db());
        assert_eq!(
            (a, b),
            (Err(&"refused".to_owned()), Err(&"refused".to_owned()))
        );
        assert_eq!(cached.attempts.load(SeqCst), 1);

        let flaky = Flaky::new(1, AtomicUsize::new(0));
        let (a, b) = futures::join!(flaky.db(), flaky.db());
        assert_eq!((a, b), (Err("attempt 0 refused".to_owned()), Ok(&7)));
        assert_eq!(flaky.attempts.load(SeqCst), 2);
    });
}

/// The first attempt never ends (a connect that hangs); later ones return their number.
#[once_init]
pub struct Stalling {
    attempts: AtomicUsize,
    #[once(init = Self::connect, async)]
    db: usize,
}

impl Stalling {
    async fn connect(&self) -> usize {
        let attempt = self.attempts.fetch_add(1, SeqCst) + 1;
        if attempt == 1 {
            std::future::pending::<()>().await;
        }
        attempt
    }
}

/// A caller timed out while it runs the initializer abandons the attempt: the field stays
/// empty, and the next caller starts it again; a caller already waiting takes it over.
pub fn a_cancelled_caller_abandons_and_the_next_restarts<R: Runtime>(rt: &R) {
    rt.block_on(async {
        let client = Stalling::new(AtomicUsize::new(0));
        let timer = rt.sleep(Duration::from_millis(20));
        assert_eq!(within(timer, client.db()).await, None, "timed out");
        assert_eq!(client.db_if_ready(), None);
        assert_eq!(*client.db().await, 2);

        let client = Arc::new(Stalling::new(AtomicUsize::new(0)));
        let timer = rt.sleep(Duration::from_millis(100));
        let runner = rt.spawn({
            let client = client.clone();
            async move { within(timer, client.db()).await.copied() }
        });
        while client.attempts.load(SeqCst) == 0 {
            rt.sleep(Duration::from_millis(1)).await;
        }
        let waiter = rt.spawn({
            let client = client.clone();
            async move { *client.db().await }
        });
        assert_eq!(runner.await, None, "timed out");
        assert_eq!(waiter.await, 2, "the waiter ran the next attempt");
    });
}

/// An initializer that awaits its own field.
#[once_init]
pub struct SelfAwaiting {
    #[once(init = Self::compute, async)]
    value: u32,
}

impl SelfAwaiting {
    async fn compute(&self) -> u32 {
        *Box::pin(self.value()).await + 1
    }
}

/// It panics, naming the field, instead of awaiting itself forever; the default policy
/// then keeps the field poisoned, and says so.
pub fn an_initializer_awaiting_its_own_field_panics_naming_it<R: Runtime>(rt: &R) {
    let client = SelfAwaiting::new();
    let panic = catch_unwind(AssertUnwindSafe(|| rt.block_on(client.value()))).unwrap_err();
    let text = message(panic);
    assert!(text.contains("`SelfAwaiting::value`"), "{text}");
    assert!(text.contains("itself"), "{text}");
    let again = catch_unwind(AssertUnwindSafe(|| rt.block_on(client.value()))).unwrap_err();
    let text = message(again);
    assert!(text.contains("`SelfAwaiting::value`"), "{text}");
    assert!(text.contains("panicked"), "{text}");
}

/// The accessors' futures are `Send` under every policy (a compile-time check: `send`
/// and `spawn` require it), so a multi-thread runtime can move them between threads.
pub fn the_accessors_futures_are_send<R: Runtime>(rt: &R) {
    fn send<F: Send>(future: F) -> F {
        future
    }
    let cached = Arc::new(Cached::new(AtomicUsize::new(0)));
    let flaky = Arc::new(Flaky::new(0, AtomicUsize::new(0)));
    let throttled = Arc::new(Throttled::new(AtomicUsize::new(1)));
    rt.block_on(async {
        let tasks = (
            rt.spawn(async move {
                let settings = send(cached.settings()).await.clone();
                (settings, send(cached.db()).await.is_err())
            }),
            rt.spawn(async move { send(flaky.db()).await.copied() }),
            rt.spawn(async move { send(throttled.db()).await.copied() }),
        );
        let (cached, flaky, throttled) = futures::join!(tasks.0, tasks.1, tasks.2);
        assert_eq!(
            (cached, flaky, throttled),
            ((vec![1, 2], true), Ok(7), Ok(9))
        );
    });
}

/// An initializer that gives way a few times, counting its starts and its ends.
#[once_init]
pub struct Contended {
    started: AtomicUsize,
    finished: AtomicUsize,
    #[once(init = Self::connect, async)]
    db: u64,
}

impl Contended {
    async fn connect(&self) -> u64 {
        self.started.fetch_add(1, SeqCst);
        for _ in 0..4 {
            yield_now().await;
        }
        self.finished.fetch_add(1, SeqCst);
        42
    }
}

const ROUNDS: usize = 200;
const TASKS: usize = 32;

/// Many tasks on the worker threads race for fresh fields, round after round: every task
/// completes (the watchdog catches a wake-up lost), all see one value at one address, and
/// the initializer runs exactly once per field.
pub fn many_tasks_run_one_initializer_and_none_is_left_waiting<R: Runtime>(rt: &R) {
    rt.block_on(async {
        for _ in 0..ROUNDS {
            let client = Arc::new(Contended::new(AtomicUsize::new(0), AtomicUsize::new(0)));
            let tasks = (0..TASKS).map(|_| {
                let client = client.clone();
                rt.spawn(async move { ptr::from_ref(client.db().await).addr() })
            });
            let addresses = join_all(tasks.collect::<Vec<_>>()).await;
            assert!(addresses.iter().all(|&address| address == addresses[0]));
            assert_eq!(client.started.load(SeqCst), 1);
            assert_eq!(client.finished.load(SeqCst), 1);
            assert_eq!(*client.db_if_ready().unwrap(), 42);
        }
    });
}

/// The same with a quarter of the tasks timed out after a few microseconds, some of them
/// while they run the initializer: abandoned attempts are taken over, no task that was not
/// timed out is left waiting, and exactly one initializer runs to its end per field.
pub fn many_tasks_some_cancelled_finish_one_initializer<R: Runtime>(rt: &R) {
    rt.block_on(async {
        for _ in 0..ROUNDS {
            let client = Arc::new(Contended::new(AtomicUsize::new(0), AtomicUsize::new(0)));
            let tasks = (0..TASKS).map(|task| {
                let client = client.clone();
                let timer = (task % 4 == 0).then(|| rt.sleep(Duration::from_micros(task as u64)));
                rt.spawn(async move {
                    match timer {
                        Some(timer) => within(timer, client.db()).await.copied(),
                        None => Some(*client.db().await),
                    }
                })
            });
            let values = join_all(tasks.collect::<Vec<_>>()).await;
            let answered = values.iter().flatten().count();
            assert!(answered >= TASKS - TASKS / 4, "{values:?}");
            assert!(values.iter().flatten().all(|&value| value == 42));
            assert!(client.started.load(SeqCst) >= 1);
            assert_eq!(client.finished.load(SeqCst), 1);
        }
    });
}
