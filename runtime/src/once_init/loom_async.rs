//! The protocol's async side under loom (the `async` feature): tasks that await an attempt
//! instead of blocking, attempts abandoned by a dropped future and taken over by a waiter,
//! and tasks and threads sharing one field, in every interleaving:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test -p lockwise-runtime --release --features async --lib once_init::loom_async
//! ```
//!
//! Each task is a loom thread that drives its future with `loom::future::block_on`, whose
//! waker unparks it; event-listener, the wake-ups' crate, is built on loom's primitives
//! under `--cfg loom` (its own `loom` feature), so a notification that could be lost would
//! leave a thread parked forever, which loom reports as a deadlock. An abandoned attempt
//! is a future polled once (its initializer pending) and dropped, as a timeout or a
//! `select!` drops it. The scenarios: racing tasks run one initializer; an abandoned
//! attempt is taken over by a waiting task; under `Retry` a failed attempt's waiter runs
//! the next; under `Cache` an error reaches the waiter; under throttled retry a failure
//! answers the waiter; a thread and a task share one attempt. Exhaustive (no preemption
//! bound), like `loom.rs`.
//!
//! Not modelled: a panicking async initializer. loom runs its threads as coroutines of one
//! OS thread, so the thread it switches to while a panic unwinds (at a lock in the
//! attempt's `Drop`) counts as panicking too, and a lock guard it drops then poisons the
//! std mutex inside loom's own `Mutex`, which loom unwraps. `async_tests.rs` (under Miri
//! too) and the `tests-async` package cover those panics.

use core::future::{Future, pending};
use core::pin::pin;
use core::task::{Context, Waker};

use loom::future::block_on;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;

use super::OnceField;
use super::loom::{SITE, check};
use super::policy::{Cache, Retry, ThrottledRetry};

/// Polls `future` once, then drops it: a caller cancelled after its first step.
fn poll_once_and_drop(future: impl Future) {
    let mut future = pin!(future);
    let _ = future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()));
}

#[test]
fn racing_tasks_run_one_initializer_and_share_its_value() {
    check(|| {
        let field = Arc::new(OnceField::<u32>::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let task = |field: Arc<OnceField<u32>>, runs: Arc<AtomicUsize>| {
            block_on(async move {
                let value = field
                    .get_or_init_async(&SITE, || async {
                        runs.fetch_add(1, Ordering::Relaxed);
                        7
                    })
                    .await;
                core::ptr::from_ref(value).addr()
            })
        };
        let other = {
            let (field, runs) = (field.clone(), runs.clone());
            thread::spawn(move || task(field, runs))
        };
        let here = task(field.clone(), runs.clone());
        assert_eq!(here, other.join().unwrap());
        assert_eq!(runs.load(Ordering::Relaxed), 1);
        assert_eq!(field.get(), Some(&7));
    });
}

/// The caller that claimed the attempt is dropped after one poll, its initializer pending:
/// the attempt ends, the waiting task is woken and runs the next one (or came after and
/// ran it first). Never a task waiting for an initializer that nobody polls.
#[test]
fn an_abandoned_attempt_is_taken_over_by_the_waiting_task() {
    check(|| {
        let field = Arc::new(OnceField::<u32, String, Cache>::new());
        let abandoning = {
            let field = field.clone();
            thread::spawn(move || {
                poll_once_and_drop(field.get_or_try_init_async(&SITE, pending));
            })
        };
        let here = block_on(field.get_or_try_init_async(&SITE, || async { Ok(5) })).copied();
        abandoning.join().unwrap();
        assert_eq!(here, Ok(5));
        assert_eq!(field.get(), Some(&5));
    });
}

/// Under `Retry`, two tasks, the first attempt failing: its caller gets the error, the
/// other task runs the second attempt.
#[test]
fn under_retry_a_failed_attempts_waiter_runs_the_next() {
    check(|| {
        let field = Arc::new(OnceField::<u32, String, Retry>::new());
        let attempts = Arc::new(AtomicUsize::new(0));
        let call = {
            let (field, attempts) = (field.clone(), attempts.clone());
            move || {
                block_on(field.get_or_try_init_async(&SITE, || async {
                    match attempts.fetch_add(1, Ordering::Relaxed) {
                        0 => Err("refused".to_owned()),
                        _ => Ok(5),
                    }
                }))
                .copied()
            }
        };
        let other = thread::spawn(call.clone());
        let outcomes = [call(), other.join().unwrap()];
        assert_eq!(attempts.load(Ordering::Relaxed), 2, "{outcomes:?}");
        assert!(outcomes.contains(&Ok(5)) && outcomes.iter().any(Result::is_err));
    });
}

/// Under `Cache`, the first attempt's error is the waiting task's too, without a second
/// attempt.
#[test]
fn under_cache_an_error_reaches_the_waiting_task() {
    check(|| {
        let field = Arc::new(OnceField::<u32, String, Cache>::new());
        let attempts = Arc::new(AtomicUsize::new(0));
        let call = {
            let (field, attempts) = (field.clone(), attempts.clone());
            move || {
                block_on(field.get_or_try_init_async(&SITE, || async {
                    attempts.fetch_add(1, Ordering::Relaxed);
                    Err::<u32, _>("refused".to_owned())
                }))
                .copied()
                .map_err(Clone::clone)
            }
        };
        let other = thread::spawn(call.clone());
        let outcomes = [call(), other.join().unwrap()];
        assert_eq!(attempts.load(Ordering::Relaxed), 1);
        assert_eq!(
            outcomes,
            [Err("refused".to_owned()), Err("refused".to_owned())]
        );
    });
}

/// Under throttled retry, a failure answers the waiting task without another attempt.
#[test]
fn under_throttled_retry_a_failure_answers_the_waiting_task() {
    check(|| {
        let field = Arc::new(OnceField::<u32, String, ThrottledRetry<3_600_000>>::new());
        let attempts = Arc::new(AtomicUsize::new(0));
        let call = {
            let (field, attempts) = (field.clone(), attempts.clone());
            move || {
                block_on(field.get_or_try_init_async(&SITE, || async {
                    attempts.fetch_add(1, Ordering::Relaxed);
                    Err::<u32, _>("refused".to_owned())
                }))
                .copied()
            }
        };
        let other = thread::spawn(call.clone());
        let outcomes = [call(), other.join().unwrap()];
        assert_eq!(attempts.load(Ordering::Relaxed), 1);
        assert_eq!(
            outcomes,
            [Err("refused".to_owned()), Err("refused".to_owned())]
        );
    });
}

/// One protocol for both: a blocking thread and an awaiting task run one initializer.
#[test]
fn a_thread_and_a_task_share_one_attempt() {
    check(|| {
        let field = Arc::new(OnceField::<u32>::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (field, runs) = (field.clone(), runs.clone());
            thread::spawn(move || {
                *field.get_or_init(&SITE, || {
                    runs.fetch_add(1, Ordering::Relaxed);
                    1
                })
            })
        };
        let task = *block_on(field.get_or_init_async(&SITE, || async {
            runs.fetch_add(1, Ordering::Relaxed);
            1
        }));
        assert_eq!((task, thread.join().unwrap()), (1, 1));
        assert_eq!(runs.load(Ordering::Relaxed), 1);
    });
}
