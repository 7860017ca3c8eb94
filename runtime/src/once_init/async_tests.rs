//! The async methods of `OnceField` (the `async` feature), one promise each, polled by hand:
//! no runtime, so Miri runs them (`cargo +nightly miri test -p lockwise-runtime --features
//! async --lib once_init::async_tests`), and each step of an interleaving is a line of the
//! test. A waker that counts its wake-ups shows who was woken; an initializer that stays
//! pending until the test opens its gate shows what waits for what. What real executors do
//! with these futures (many tasks, threads, timeouts) is the `tests-async` package's.

use core::convert::Infallible;
use core::future::{Future, poll_fn};
use core::task::Poll;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::policy::{Cache, Retry, ThrottledRetry};
use super::tests::{await_signal, eventually, shown, signal, spawn};
use super::{OnceField, OnceSite};
use crate::hand_polled::Polled as Caller;

const SITE: OnceSite = OnceSite::new("DbClient", "db");
const HOUR_MS: u64 = 3_600_000;

/// What an initializer awaits: pending until the test opens it.
#[derive(Clone, Default)]
struct Gate(Arc<AtomicBool>);

impl Gate {
    fn open(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    fn passed(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(|_| {
            if self.0.load(Ordering::SeqCst) {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
    }
}

/// An initializer that counts its runs, waits at `gate`, then returns `value`.
async fn gated<T>(runs: &AtomicUsize, gate: &Gate, value: T) -> T {
    runs.fetch_add(1, Ordering::SeqCst);
    gate.passed().await;
    value
}

#[test]
fn a_ready_field_answers_at_the_first_poll_without_its_initializer() {
    let field: OnceField<u32> = OnceField::new();
    field.set(7).unwrap();
    let mut caller = Caller::new(field.get_or_init_async(&SITE, || async { unreachable!() }));
    assert_eq!(caller.ready(), &7);
}

/// One thread, two callers joined: the second awaits the first's initializer instead of
/// blocking the thread it would need, and both get the one value.
#[test]
fn two_callers_on_one_thread_both_complete_and_the_initializer_runs_once() {
    let (field, runs, gate) = (
        OnceField::<String>::new(),
        AtomicUsize::new(0),
        Gate::default(),
    );
    let init = || gated(&runs, &gate, "connected".to_owned());
    let mut first = Caller::new(field.get_or_init_async(&SITE, init));
    let mut second = Caller::new(field.get_or_init_async(&SITE, init));
    assert!(first.poll().is_pending(), "the first runs the initializer");
    assert!(second.poll().is_pending(), "the second waits for it");
    assert_eq!(shown(&field), "<initializing>");
    gate.open();
    let value = first.ready();
    assert_eq!(second.woken(), 1, "the end of the attempt wakes the waiter");
    assert!(core::ptr::eq(value, second.ready()));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// The future running the initializer is dropped (a timeout, a `select!`): the attempt is
/// abandoned, not failed or poisoned, and the waiter, woken, runs the next one.
#[test]
fn a_dropped_initializing_future_hands_the_attempt_to_a_waiter() {
    let field: OnceField<u32, String, Cache> = OnceField::new();
    let (runs, gate) = (AtomicUsize::new(0), Gate::default());
    let init = || async { Ok(gated(&runs, &gate, 5).await) };
    let mut abandoned = Caller::new(field.get_or_try_init_async(&SITE, init));
    let mut waiter = Caller::new(field.get_or_try_init_async(&SITE, init));
    assert!(abandoned.poll().is_pending() && waiter.poll().is_pending());
    drop(abandoned);
    assert_eq!(waiter.woken(), 1);
    assert_eq!(shown(&field), "<uninit>", "neither an error nor a poison");
    assert!(waiter.poll().is_pending(), "the waiter runs a new attempt");
    assert_eq!(
        (runs.load(Ordering::SeqCst), shown(&field).as_str()),
        (2, "<initializing>")
    );
    gate.open();
    assert_eq!(waiter.ready(), Ok(&5));
}

/// A waiter dropped while it waits unregisters: nothing leaks (Miri checks), and the
/// attempt's end wakes only the waiters that are left.
#[test]
fn a_dropped_waiter_leaves_the_others_waiting() {
    let (field, runs, gate) = (
        OnceField::<u32>::new(),
        AtomicUsize::new(0),
        Gate::default(),
    );
    let init = || gated(&runs, &gate, 1);
    let mut runner = Caller::new(field.get_or_init_async(&SITE, init));
    let mut gone = Caller::new(field.get_or_init_async(&SITE, init));
    let mut stays = Caller::new(field.get_or_init_async(&SITE, init));
    assert!(runner.poll().is_pending() && gone.poll().is_pending() && stays.poll().is_pending());
    drop(gone);
    gate.open();
    assert_eq!(runner.ready(), &1);
    assert_eq!(stays.woken(), 1);
    assert_eq!(stays.ready(), &1);
}

#[test]
fn an_abandoned_attempt_starts_no_throttle_interval() {
    let field: OnceField<u32, String, ThrottledRetry<HOUR_MS>> = OnceField::new();
    let gate = Gate::default();
    let pending = || async { Ok(gated(&AtomicUsize::new(0), &gate, 1).await) };
    let mut abandoned = Caller::new(field.get_or_try_init_async(&SITE, pending));
    assert!(abandoned.poll().is_pending());
    drop(abandoned);
    let mut next = Caller::new(field.get_or_try_init_async(&SITE, || async { Ok(2) }));
    assert_eq!(
        next.ready(),
        Ok(&2),
        "tried at once: an abandon is no failure"
    );
}

#[test]
fn under_throttled_retry_a_failure_answers_the_interval_and_its_waiter() {
    let field: OnceField<u32, String, ThrottledRetry<HOUR_MS>> = OnceField::new();
    let (runs, gate) = (AtomicUsize::new(0), Gate::default());
    let failing = || async { Err::<u32, _>(gated(&runs, &gate, "down".to_owned()).await) };
    let mut first = Caller::new(field.get_or_try_init_async(&SITE, failing));
    let mut waiter = Caller::new(field.get_or_try_init_async(&SITE, failing));
    assert!(first.poll().is_pending() && waiter.poll().is_pending());
    gate.open();
    assert_eq!(first.ready(), Err("down".to_owned()));
    assert_eq!(
        waiter.ready(),
        Err("down".to_owned()),
        "a copy, without an attempt"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// Under `Cache`, the first error is every caller's, the waiter's included.
#[test]
fn under_cache_an_error_is_kept_for_the_waiter_and_later_callers() {
    let field: OnceField<u32, String, Cache> = OnceField::new();
    let (runs, gate) = (AtomicUsize::new(0), Gate::default());
    let failing = || async { Err::<u32, _>(gated(&runs, &gate, "refused".to_owned()).await) };
    let mut first = Caller::new(field.get_or_try_init_async(&SITE, failing));
    let mut waiter = Caller::new(field.get_or_try_init_async(&SITE, failing));
    assert!(first.poll().is_pending() && waiter.poll().is_pending());
    gate.open();
    let error = first.ready().unwrap_err();
    assert!(core::ptr::eq(error, waiter.ready().unwrap_err()));
    let mut later = Caller::new(field.get_or_try_init_async(&SITE, || async { Ok(1) }));
    assert_eq!(later.ready(), Err(&"refused".to_owned()));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// Under `Retry`, an error goes to its caller, and the waiter runs the next attempt.
#[test]
fn under_retry_an_error_goes_to_its_caller_and_the_waiter_retries() {
    let field: OnceField<u32, String, Retry> = OnceField::new();
    let (runs, gate) = (AtomicUsize::new(0), Gate::default());
    let init = || async {
        match gated(&runs, &gate, ()).await {
            () if runs.load(Ordering::SeqCst) == 1 => Err("refused".to_owned()),
            () => Ok(3),
        }
    };
    let mut first = Caller::new(field.get_or_try_init_async(&SITE, init));
    let mut waiter = Caller::new(field.get_or_try_init_async(&SITE, init));
    assert!(first.poll().is_pending() && waiter.poll().is_pending());
    gate.open();
    assert_eq!(first.ready(), Err("refused".to_owned()));
    assert_eq!(waiter.woken(), 1);
    assert_eq!(waiter.ready(), Ok(&3));
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

/// A panic while the initializer is polled poisons the field under `Cache` (the waiter,
/// woken, panics naming it) and empties it under `Retry` (the waiter runs the next one).
#[test]
fn a_panicking_initializer_poisons_under_cache_and_not_under_retry() {
    let gate = Gate::default();
    let cached: OnceField<u32> = OnceField::new();
    let panicking = || async {
        gate.passed().await;
        panic!("init failed")
    };
    let mut runner = Caller::new(cached.get_or_init_async(&SITE, panicking));
    let mut waiter = Caller::new(cached.get_or_init_async(&SITE, || async { 1 }));
    assert!(runner.poll().is_pending() && waiter.poll().is_pending());
    gate.open();
    assert_eq!(runner.panics(), "init failed");
    drop(runner);
    assert_eq!(waiter.woken(), 1);
    let poisoned = waiter.panics();
    assert!(
        poisoned.contains("`DbClient::db` is poisoned"),
        "{poisoned}"
    );

    // The panic unwinds through the runner's future, which drops its attempt at once (an
    // executor that keeps a panicked future does not hold the field).
    let retried: OnceField<u32, Infallible, Retry> = OnceField::new();
    let mut runner = Caller::new(retried.get_or_init_async(&SITE, panicking));
    let mut next = Caller::new(retried.get_or_init_async(&SITE, || async { 2 }));
    assert_eq!(runner.panics(), "init failed");
    assert_eq!((shown(&retried), next.ready()), ("<uninit>".to_owned(), &2));
}

/// An initializer that awaits its own field: found while it is polled on this thread, a
/// panic that names the field (and, under `Cache`, poisons it) instead of a task that
/// waits for itself forever.
#[test]
fn an_initializer_awaiting_its_own_field_panics_naming_it() {
    let field: OnceField<u32> = OnceField::new();
    let mut caller = Caller::new(field.get_or_init_async(&SITE, || async {
        *field.get_or_init_async(&SITE, || async { 1 }).await + 1
    }));
    let text = caller.panics();
    assert!(
        text.contains("initializer of `DbClient::db` asked for `DbClient::db` itself"),
        "{text}"
    );
    drop(caller);
    assert_eq!(shown(&field), "<poisoned>");
}

/// Two fields whose async initializers await each other.
struct Pair {
    a: OnceField<u32>,
    b: OnceField<u32>,
}

impl Pair {
    async fn a(&self) -> u32 {
        let site = const { &OnceSite::new("Pair", "a") };
        *self
            .a
            .get_or_init_async(site, || Box::pin(async { self.b().await + 1 }))
            .await
    }

    async fn b(&self) -> u32 {
        let site = const { &OnceSite::new("Pair", "b") };
        *self
            .b
            .get_or_init_async(site, || async { self.a().await + 1 })
            .await
    }
}

#[test]
fn initializers_awaiting_each_other_on_one_task_panic_with_the_cycle() {
    let pair = Pair {
        a: OnceField::new(),
        b: OnceField::new(),
    };
    let text = Caller::new(pair.a()).panics();
    assert!(
        text.contains("initialization cycle on one thread"),
        "{text}"
    );
    assert!(
        text.contains("initializer of `Pair::b` asked for `Pair::a`"),
        "{text}"
    );
}

/// One protocol for threads and tasks: a thread blocks until a task's attempt ends, and a
/// task awaits the end of a thread's.
#[test]
fn threads_and_tasks_wait_for_each_others_attempts() {
    let field: Arc<OnceField<u32>> = Arc::new(OnceField::new());
    let (runs, gate) = (AtomicUsize::new(0), Gate::default());
    let mut task = Caller::new(field.get_or_init_async(&SITE, || gated(&runs, &gate, 1)));
    assert!(task.poll().is_pending());
    let thread = {
        let field = field.clone();
        spawn(move || *field.get_or_init(&SITE, || unreachable!("the task's attempt runs")))
    };
    eventually("the thread to wait", || field.waiters() == 1);
    gate.open();
    assert_eq!(task.ready(), &1);
    assert_eq!(thread.result(), 1);

    let field: Arc<OnceField<u32>> = Arc::new(OnceField::new());
    let (started, started_rx) = signal();
    let (finish, finish_rx) = signal();
    let thread = {
        let field = field.clone();
        spawn(move || {
            *field.get_or_init(&SITE, || {
                started.send(()).unwrap();
                await_signal(&finish_rx);
                2
            })
        })
    };
    await_signal(&started_rx);
    let mut task = Caller::new(field.get_or_init_async(&SITE, || async { unreachable!() }));
    assert!(
        task.poll().is_pending(),
        "the task awaits the thread's attempt"
    );
    finish.send(()).unwrap();
    assert_eq!(thread.result(), 2);
    eventually("the task to be woken", || task.woken() > 0);
    assert_eq!(task.ready(), &2);
}

/// `set` never waits, for a task's attempt either; `take` after an abandoned attempt finds
/// a field like a new one.
#[test]
fn set_and_take_around_async_attempts() {
    let mut field: OnceField<u32, String, Cache> = OnceField::new();
    let gate = Gate::default();
    let mut running = Caller::new(field.get_or_try_init_async(&SITE, || async {
        Ok(gated(&AtomicUsize::new(0), &gate, 1).await)
    }));
    assert!(running.poll().is_pending());
    assert_eq!(
        field.set(9),
        Err(9),
        "being initialized: the value comes back at once"
    );
    drop(running);
    assert_eq!(field.take(), None);
    assert_eq!(field.set(9), Ok(()));
    let mut reader = Caller::new(field.get_or_try_init_async(&SITE, || async { unreachable!() }));
    assert_eq!(reader.ready(), Ok(&9));
}

/// The accessors' futures are `Send` when the field's types are, under every policy: a
/// multi-thread runtime may move them between threads.
#[test]
fn the_futures_are_send() {
    fn assert_send<F: Send>(_: &F) {}
    let infallible: OnceField<String> = OnceField::new();
    let cached: OnceField<String, String, Cache> = OnceField::new();
    let retried: OnceField<String, String, Retry> = OnceField::new();
    let throttled: OnceField<String, String, ThrottledRetry<1>> = OnceField::new();
    let value = || async { String::new() };
    let outcome = || async { Ok(String::new()) };
    assert_send(&infallible.get_or_init_async(&SITE, value));
    assert_send(&cached.get_or_try_init_async(&SITE, outcome));
    assert_send(&retried.get_or_try_init_async(&SITE, outcome));
    assert_send(&throttled.get_or_try_init_async(&SITE, outcome));
}
