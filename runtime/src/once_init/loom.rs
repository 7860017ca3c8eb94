//! The protocol under loom's model checker (its async side: `loom_async.rs`), which runs each scenario in every
//! interleaving of its threads (up to a preemption bound) and fails on a deadlock, a lost
//! wake-up (a thread left waiting forever) or a broken assertion:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test -p lockwise-runtime --release --lib once_init::loom
//! ```
//!
//! Under `--cfg loom` the mutexes, condition variable and atomics of `once_init` are
//! loom's (the crate's `sync.rs`), and so are the cycle list (a loom `lazy_static`) and the
//! thread-local; the value's storage is std's `OnceLock` behind a loom flag, so that the
//! fast path's load is a point loom interleaves (a success racing with `get`).
//!
//! The scenarios: racing initializers and `get`; a panic while one and two others wait
//! (`Cache`, `Retry`); an error after which a waiter retries (two and three callers);
//! cached and throttled errors with a waiter; reentrancy while another caller waits; two
//! initializers asking for each other from two threads; `set` racing an initializer, and
//! a failing attempt under `Retry`; racing initializers after `take` (the protocol reset). All are exhaustive (no preemption
//! bound), about 40 s on two cores. Breaking the notification or the cycle check makes
//! loom report the deadlock. Not modelled: `OnceLock`'s own memory ordering (std's) and the
//! clock (throttling is tested by counting attempts, in `tests.rs`).

use core::convert::Infallible;
use std::panic::{AssertUnwindSafe, catch_unwind};

use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;

use super::policy::{Policy, Retry, ThrottledRetry};
use super::{OnceField, OnceSite};

pub(super) const SITE: OnceSite = OnceSite::new("DbClient", "db");

/// Panics the scenarios cause and catch on purpose: lockwise's own, and the initializers'.
const EXPECTED_PANICS: [&str; 3] = ["lockwise:", "init failed", "flaky"];

/// Explores every interleaving (no preemption bound: these scenarios are small enough to
/// be checked exhaustively). The expected panics would print once per interleaving, so
/// the hook leaves them out; anything else (loom's own reports included) prints.
pub(super) fn check(scenario: impl Fn() + Sync + Send + 'static) {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let text = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or_default();
            if !EXPECTED_PANICS.iter().any(|p| text.starts_with(p)) {
                report(info);
            }
        }));
    });
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = None;
    builder.check(scenario);
}

/// Runs `f`: `Ok` with its result, or `Err` with its panic's message.
pub(super) fn outcome<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

#[test]
fn one_initializer_for_racing_callers_and_get_sees_nothing_or_the_value() {
    check(|| {
        let field = Arc::new(OnceField::<u32>::new());
        let calls = Arc::new(AtomicUsize::new(0));
        let racer = {
            let (field, calls) = (field.clone(), calls.clone());
            thread::spawn(move || {
                let value = field.get_or_init(&SITE, || {
                    calls.fetch_add(1, Ordering::Relaxed);
                    7
                });
                core::ptr::from_ref(value).addr()
            })
        };
        // Success racing with `get` (`_if_ready`): nothing yet, or the whole value.
        assert!(matches!(field.get(), None | Some(&7)));
        let here = field.get_or_init(&SITE, || {
            calls.fetch_add(1, Ordering::Relaxed);
            7
        });
        let there = racer.join().unwrap();
        assert_eq!(core::ptr::from_ref(here).addr(), there);
        assert_eq!(calls.load(Ordering::Relaxed), 1);
        assert_eq!(field.get(), Some(&7));
    });
}

#[test]
fn a_panic_while_another_waits_poisons_for_it_too() {
    check(|| {
        let field = Arc::new(OnceField::<u32>::new());
        let panicker = {
            let field = field.clone();
            thread::spawn(move || outcome(|| *field.get_or_init(&SITE, || panic!("init failed"))))
        };
        let here = outcome(|| *field.get_or_init(&SITE, || 1));
        let there = panicker.join().unwrap();
        match (here, there) {
            // This thread initialized first; the panicking initializer never ran.
            (Ok(1), Ok(1)) => {}
            (Err(poisoned), Err(own)) => {
                assert_eq!(own, "init failed");
                assert!(poisoned.contains("panicked earlier"), "{poisoned}");
            }
            other => panic!("not what the default policy promises: {other:?}"),
        }
    });
}

#[test]
fn under_retry_a_panic_leaves_the_field_to_the_next_caller() {
    check(|| {
        let field = Arc::new(OnceField::<u32, Infallible, Retry>::new());
        let panicker = {
            let field = field.clone();
            thread::spawn(move || outcome(|| *field.get_or_init(&SITE, || panic!("flaky"))))
        };
        let here = outcome(|| *field.get_or_init(&SITE, || 2));
        let there = panicker.join().unwrap();
        assert_eq!(here, Ok(2), "the panic reaches only its own caller");
        assert!(
            matches!(&there, Ok(2)) || there == Err("flaky".to_owned()),
            "{there:?}"
        );
    });
}

/// Two callers of a field whose first attempt fails and whose second succeeds.
fn first_attempt_fails<P: Policy>(
    call: impl Fn(&OnceField<u32, String, P>, &dyn Fn() -> Result<u32, String>) -> Result<u32, String>
    + Send
    + Sync
    + 'static,
) -> ([Result<u32, String>; 2], usize)
where
    OnceField<u32, String, P>: Send + Sync,
{
    let field = Arc::new(OnceField::<u32, String, P>::new());
    let attempts = Arc::new(AtomicUsize::new(0));
    let call = Arc::new(call);
    let attempt = {
        let attempts = attempts.clone();
        move || match attempts.fetch_add(1, Ordering::Relaxed) {
            0 => Err("refused".to_owned()),
            _ => Ok(5),
        }
    };
    let other = {
        let (field, call, attempt) = (field.clone(), call.clone(), attempt.clone());
        thread::spawn(move || call(&field, &attempt))
    };
    let here = call(&field, &attempt);
    let there = other.join().unwrap();
    ([here, there], attempts.load(Ordering::Relaxed))
}

#[test]
fn under_retry_an_error_goes_to_its_caller_and_a_waiter_retries() {
    check(|| {
        let (outcomes, attempts) = first_attempt_fails::<Retry>(|field, attempt| {
            field.get_or_try_init(&SITE, attempt).copied()
        });
        assert_eq!(attempts, 2, "{outcomes:?}");
        let failed = outcomes.iter().filter(|o| o.is_err()).count();
        assert_eq!(
            failed, 1,
            "only the first attempt's caller fails: {outcomes:?}"
        );
        assert!(outcomes.contains(&Ok(5)));
    });
}

#[test]
fn under_cache_an_error_is_every_callers() {
    check(|| {
        let (outcomes, attempts) = first_attempt_fails::<super::policy::Cache>(|field, attempt| {
            field
                .get_or_try_init(&SITE, attempt)
                .copied()
                .map_err(Clone::clone)
        });
        assert_eq!(attempts, 1);
        assert_eq!(
            outcomes,
            [Err("refused".to_owned()), Err("refused".to_owned())]
        );
    });
}

#[test]
fn under_throttled_retry_a_failure_answers_the_interval() {
    check(|| {
        let (outcomes, attempts) =
            first_attempt_fails::<ThrottledRetry<3_600_000>>(|field, attempt| {
                field.get_or_try_init(&SITE, attempt).copied()
            });
        assert_eq!(attempts, 1);
        assert_eq!(
            outcomes,
            [Err("refused".to_owned()), Err("refused".to_owned())]
        );
    });
}

#[test]
fn reentrancy_panics_while_another_caller_waits() {
    check(|| {
        let field = Arc::new(OnceField::<u32, Infallible, Retry>::new());
        let reentrant = {
            let field = field.clone();
            thread::spawn(move || {
                let inner = field.clone();
                outcome(|| *field.get_or_init(&SITE, || *inner.get_or_init(&SITE, || 1) + 1))
            })
        };
        let here = outcome(|| *field.get_or_init(&SITE, || 2));
        let there = reentrant.join().unwrap();
        assert_eq!(here, Ok(2));
        match there {
            Ok(value) => assert_eq!(value, 2, "initialized by the other caller first"),
            Err(text) => assert!(text.contains("reentrant initialization"), "{text}"),
        }
    });
}

/// Two fields whose initializers ask for each other.
struct Pair {
    a: OnceField<u32>,
    b: OnceField<u32>,
}

impl Pair {
    fn a(&self) -> u32 {
        *self
            .a
            .get_or_init(const { &OnceSite::new("Pair", "a") }, || self.b() + 1)
    }

    fn b(&self) -> u32 {
        *self
            .b
            .get_or_init(const { &OnceSite::new("Pair", "b") }, || self.a() + 1)
    }
}

#[test]
fn initializers_asking_for_each_other_never_deadlock() {
    check(|| {
        let pair = Arc::new(Pair {
            a: OnceField::new(),
            b: OnceField::new(),
        });
        let other = {
            let pair = pair.clone();
            thread::spawn(move || outcome(|| pair.b()))
        };
        let here = outcome(|| pair.a());
        let there = other.join().unwrap();
        // Whatever the interleaving: no value (the cycle has none), no hang (loom fails
        // the test if every thread waits), and a panic that says why.
        for text in [here, there].map(|o| o.expect_err("a cycle has no value")) {
            assert!(
                text.contains("cycle")
                    || text.contains("reentrant")
                    || text.contains("panicked earlier"),
                "{text}"
            );
        }
    });
}

#[test]
fn two_waiters_of_a_failed_attempt_under_retry_one_runs_the_next() {
    check(|| {
        let field = Arc::new(OnceField::<u32, String, Retry>::new());
        let attempts = Arc::new(AtomicUsize::new(0));
        let call = {
            let (field, attempts) = (field.clone(), attempts.clone());
            move || {
                field
                    .get_or_try_init(&SITE, || match attempts.fetch_add(1, Ordering::Relaxed) {
                        0 => Err("refused".to_owned()),
                        _ => Ok(5),
                    })
                    .copied()
            }
        };
        let others = [thread::spawn(call.clone()), thread::spawn(call.clone())];
        let mut outcomes = vec![call()];
        outcomes.extend(others.map(|t| t.join().unwrap()));
        assert_eq!(attempts.load(Ordering::Relaxed), 2, "{outcomes:?}");
        assert_eq!(
            outcomes.iter().filter(|o| o.is_err()).count(),
            1,
            "{outcomes:?}"
        );
        assert_eq!(field.get(), Some(&5));
    });
}

#[test]
fn two_waiters_of_a_panicking_attempt_both_see_the_poison() {
    check(|| {
        let field = Arc::new(OnceField::<u32>::new());
        let panicker = {
            let field = field.clone();
            thread::spawn(move || outcome(|| *field.get_or_init(&SITE, || panic!("init failed"))))
        };
        let waiter = {
            let field = field.clone();
            thread::spawn(move || outcome(|| *field.get_or_init(&SITE, || 1)))
        };
        let here = outcome(|| *field.get_or_init(&SITE, || 1));
        let (there, waited) = (panicker.join().unwrap(), waiter.join().unwrap());
        if there.is_ok() {
            // A sound initializer ran first; the panicking one never ran.
            assert_eq!([here, there, waited], [Ok(1), Ok(1), Ok(1)]);
        } else {
            assert_eq!(there, Err("init failed".to_owned()));
            for other in [here, waited] {
                // Each either initialized before the panic or saw the poison after it.
                if let Err(text) = other {
                    assert!(text.contains("panicked earlier"), "{text}");
                }
            }
        }
    });
}

/// `set` racing with an initializer and a caller: exactly one of them provides the value
/// (the set, or one run of the initializer), and everyone sees that value. A `set` that
/// meets the running initializer returns its value without waiting for it.
#[test]
fn set_racing_an_initializer_one_value_wins() {
    check(|| {
        let field = Arc::new(OnceField::<u32>::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let setter = {
            let field = field.clone();
            thread::spawn(move || field.set(2).is_ok())
        };
        let initializer = {
            let (field, runs) = (field.clone(), runs.clone());
            thread::spawn(move || {
                *field.get_or_init(&SITE, || {
                    runs.fetch_add(1, Ordering::Relaxed);
                    1
                })
            })
        };
        assert!(matches!(field.get(), None | Some(&1) | Some(&2)));
        let (set, initialized) = (setter.join().unwrap(), initializer.join().unwrap());
        let runs = runs.load(Ordering::Relaxed);
        if set {
            assert_eq!((initialized, runs), (2, 0), "the set won");
        } else {
            assert_eq!((initialized, runs), (1, 1), "the initializer won");
        }
        assert_eq!(field.get(), Some(&initialized));
    });
}

/// Under `Retry`, a failed attempt leaves the field empty, and a racing `set` may fill it:
/// the retrying caller then gets the set value (or the set gets its value back), never a
/// second stored value.
#[test]
fn set_racing_a_failing_attempt_under_retry() {
    check(|| {
        let field = Arc::new(OnceField::<u32, String, Retry>::new());
        let setter = {
            let field = field.clone();
            thread::spawn(move || field.set(9).is_ok())
        };
        let first = field
            .get_or_try_init(&SITE, || Err("refused".to_owned()))
            .copied();
        let second = field.get_or_try_init(&SITE, || Ok(5)).copied();
        let set = setter.join().unwrap();
        match (set, first) {
            // The set came first: no attempt ran.
            (true, Ok(9)) => assert_eq!(second, Ok(9)),
            // The set came after the failed attempt: the retry found its value.
            (true, Err(_)) => assert_eq!(second, Ok(9)),
            // The set met a running attempt or a stored value.
            (false, Err(_)) => assert_eq!(second, Ok(5)),
            other => panic!("not what retry and set promise: {other:?}"),
        }
        assert_eq!(field.get().copied(), second.ok());
    });
}

/// `take` leaves the protocol as a new field's: after racing callers initialized it and it
/// was taken, racing callers run exactly one initializer again, and a kept error or a
/// poison is gone.
#[test]
fn after_take_racing_callers_initialize_once_again() {
    check(|| {
        let mut field = OnceField::<u32, String, super::policy::Cache>::new();
        assert!(
            field
                .get_or_try_init(&SITE, || Err("refused".to_owned()))
                .is_err()
        );
        assert_eq!(field.take(), None);
        let field = Arc::new(field);
        let runs = Arc::new(AtomicUsize::new(0));
        let init = {
            let runs = runs.clone();
            move || {
                runs.fetch_add(1, Ordering::Relaxed);
                Ok::<u32, String>(3)
            }
        };
        let other = {
            let (field, init) = (field.clone(), init.clone());
            thread::spawn(move || {
                field
                    .get_or_try_init(&SITE, init)
                    .copied()
                    .map_err(Clone::clone)
            })
        };
        let here = field
            .get_or_try_init(&SITE, init)
            .copied()
            .map_err(Clone::clone);
        let there = other.join().unwrap();
        assert_eq!((here, there), (Ok(3), Ok(3)));
        assert_eq!(runs.load(Ordering::Relaxed), 1);
    });
}
