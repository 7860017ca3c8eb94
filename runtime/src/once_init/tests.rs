//! The semantics of `OnceField`, one test each, under real threads (the helpers are the
//! async tests' too, `async_tests.rs`). Small enough for Miri
//! (`cargo +nightly miri test -p lockwise-runtime --lib once_init`). No test asserts on a
//! time: a hang shows up as a bounded wait that fails.

use core::convert::Infallible;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use super::policy::{Cache, Policy, Retry, ThrottledRetry};
use super::{OnceField, OnceSite};

const RACERS: usize = if cfg!(miri) { 4 } else { 16 };
/// How long a test waits for something that must happen before it calls it a hang.
const PATIENCE: Duration = Duration::from_secs(60);
const HOUR_MS: u64 = 3_600_000;

const SITE: OnceSite = OnceSite::new("DbClient", "db");
const A: OnceSite = OnceSite::new("Pair", "a");
const B: OnceSite = OnceSite::new("Pair", "b");

/// The message of a caught panic.
pub(super) fn message(payload: Box<dyn core::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|text| (*text).to_owned())
            .unwrap_or_default(),
    }
}

/// Runs `f`: `Ok` with its result, or `Err` with its panic's message.
pub(super) fn outcome<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(message)
}

/// Runs `f`, expecting a panic; returns its message.
pub(super) fn panic_message<R>(f: impl FnOnce() -> R) -> String {
    match outcome(f) {
        Ok(_) => panic!("expected a panic"),
        Err(text) => text,
    }
}

/// Waits until `ready()` holds; fails the test instead of hanging.
pub(super) fn eventually(what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        thread::yield_now();
    }
}

/// A thread whose result comes back within [`PATIENCE`] or fails the test: a deadlocked
/// thread is left behind instead of hanging the test.
pub(super) struct Reporting<R> {
    result: mpsc::Receiver<R>,
    thread: thread::JoinHandle<()>,
}

pub(super) fn spawn<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> Reporting<R> {
    let (tx, result) = mpsc::channel();
    let thread = thread::spawn(move || {
        let _ = tx.send(f());
    });
    Reporting { result, thread }
}

impl<R> Reporting<R> {
    pub(super) fn result(self) -> R {
        let result = self
            .result
            .recv_timeout(PATIENCE)
            .expect("a thread hung (deadlock?) or panicked");
        self.thread.join().expect("the thread ended");
        result
    }
}

/// A one-shot signal between threads.
pub(super) fn signal() -> (mpsc::Sender<()>, mpsc::Receiver<()>) {
    mpsc::channel()
}

pub(super) fn await_signal(rx: &mpsc::Receiver<()>) {
    rx.recv_timeout(PATIENCE).expect("a signal never came");
}

/// What the field's Debug prints: the way a test sees its phase.
pub(super) fn shown<F: core::fmt::Debug>(field: &F) -> String {
    format!("{field:?}")
}

// ---------------------------------------------------------------------------------------
// Exactly once, fast path, permanence.
// ---------------------------------------------------------------------------------------

#[test]
fn racing_threads_run_one_initializer_and_share_one_address() {
    let field: Arc<OnceField<String>> = Arc::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(RACERS));
    let racers: Vec<_> = (0..RACERS)
        .map(|_| {
            let (field, calls, barrier) = (field.clone(), calls.clone(), barrier.clone());
            spawn(move || {
                barrier.wait();
                let value = field.get_or_init(&SITE, || {
                    calls.fetch_add(1, Ordering::SeqCst);
                    // Widen the window in which the others find it running.
                    thread::sleep(Duration::from_millis(10));
                    "connected".to_owned()
                });
                core::ptr::from_ref(value).addr()
            })
        })
        .collect();
    let addresses: Vec<usize> = racers.into_iter().map(Reporting::result).collect();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(
        addresses.iter().all(|&a| a == addresses[0]),
        "{addresses:?}"
    );
    assert_eq!(field.get().map(String::as_str), Some("connected"));
}

#[test]
fn success_is_permanent_under_every_policy() {
    fn check<P: Policy>() {
        let field: OnceField<u32, Infallible, P> = OnceField::new();
        assert_eq!(*field.get_or_init(&SITE, || 1), 1);
        assert_eq!(*field.get_or_init(&SITE, || unreachable!()), 1);
        assert_eq!(field.get(), Some(&1));
        assert_eq!(shown(&field), "1");
    }
    check::<Cache>();
    check::<Retry>();
    check::<ThrottledRetry<0>>();

    let retry: OnceField<u32, &str, Retry> = OnceField::new();
    assert_eq!(retry.get_or_try_init(&SITE, || Ok(2)), Ok(&2));
    assert_eq!(retry.get_or_try_init(&SITE, || Err("no")), Ok(&2));
    let cache: OnceField<u32, &str> = OnceField::new();
    assert_eq!(cache.get_or_try_init(&SITE, || Ok(3)), Ok(&3));
    assert_eq!(cache.get_or_try_init(&SITE, || Err("no")), Ok(&3));
}

#[test]
fn a_field_in_a_static() {
    static GREETING: OnceField<String> = OnceField::new();
    let first = GREETING.get_or_init(&SITE, || "hello".to_owned());
    assert!(core::ptr::eq(first, GREETING.get().unwrap()));
}

/// The shape `#[once_init]` generates, for a generic struct: a `const fn new` taking the
/// plain fields, and one-line accessors.
struct Mirror<T: Clone> {
    seed: T,
    copy: OnceField<T>,
    parsed: OnceField<u32, String, Retry>,
}

impl<T: Clone + ToString> Mirror<T> {
    const fn new(seed: T) -> Self {
        Self {
            seed,
            copy: OnceField::new(),
            parsed: OnceField::new(),
        }
    }

    fn copy(&self) -> &T {
        self.copy
            .get_or_init(const { &OnceSite::new("Mirror", "copy") }, || {
                Self::make_copy(self)
            })
    }

    fn parsed(&self) -> Result<&u32, String> {
        self.parsed
            .get_or_try_init(const { &OnceSite::new("Mirror", "parsed") }, || {
                Self::parse(self)
            })
    }

    fn make_copy(&self) -> T {
        self.seed.clone()
    }

    fn parse(&self) -> Result<u32, String> {
        self.seed
            .to_string()
            .parse()
            .map_err(|_| "not a number".to_owned())
    }
}

#[test]
fn the_generated_shape_works_for_generic_structs_in_statics() {
    static MIRROR: Mirror<&str> = Mirror::new("42");
    assert_eq!(*MIRROR.copy(), "42");
    assert_eq!(MIRROR.parsed(), Ok(&42));
    let words = Mirror::new(String::from("forty-two"));
    assert_eq!(words.parsed(), Err("not a number".to_owned()));
    assert_eq!(words.copy(), "forty-two");
}

#[test]
fn get_and_debug_never_wait_for_a_running_initializer() {
    let field: Arc<OnceField<u32>> = Arc::default();
    let (release, released) = signal();
    let runner = {
        let field = field.clone();
        spawn(move || {
            *field.get_or_init(&SITE, || {
                await_signal(&released);
                9
            })
        })
    };
    eventually("the initializer to run", || {
        shown(&*field) == "<initializing>"
    });
    assert_eq!(field.get(), None);
    release.send(()).unwrap();
    assert_eq!(runner.result(), 9);
    assert_eq!(field.get(), Some(&9));
}

// ---------------------------------------------------------------------------------------
// The default policy: errors cached, panics poison.
// ---------------------------------------------------------------------------------------

#[test]
fn cache_stores_the_first_error_for_every_later_caller() {
    let field: OnceField<u32, String> = OnceField::new();
    let calls = AtomicUsize::new(0);
    let fail = || {
        calls.fetch_add(1, Ordering::SeqCst);
        Err::<u32, _>("refused".to_owned())
    };
    let first = field.get_or_try_init(&SITE, fail).unwrap_err();
    let second = field.get_or_try_init(&SITE, || Ok(1)).unwrap_err();
    assert!(core::ptr::eq(first, second));
    assert_eq!(first, "refused");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(field.get(), None);
    assert_eq!(shown(&field), "Err(\"refused\")");
}

#[test]
fn cache_poisons_the_field_when_the_initializer_panics() {
    let field: OnceField<u32> = OnceField::new();
    let first = panic_message(|| field.get_or_init(&SITE, || panic!("disk on fire")));
    assert_eq!(
        first, "disk on fire",
        "the initializer's own panic reaches its caller"
    );
    for _ in 0..2 {
        let later = panic_message(|| field.get_or_init(&SITE, || 1));
        assert!(later.contains("`DbClient::db`"), "{later}");
        assert!(later.contains("panicked earlier"), "{later}");
        assert!(later.contains("poisoned"), "{later}");
    }
    assert_eq!(field.get(), None);
    assert_eq!(shown(&field), "<poisoned>");

    let fallible: OnceField<u32, String> = OnceField::new();
    let _ = panic_message(|| fallible.get_or_try_init(&SITE, || panic!("boom")));
    let later = panic_message(|| fallible.get_or_try_init(&SITE, || Ok(1)));
    assert!(later.contains("panicked earlier"), "{later}");
}

/// Thread 1 runs an initializer that ends with `end` once thread 2 waits for it; thread
/// 2's call is `wait`. Returns both callers' outcomes.
fn runner_and_waiter<F, R1, R2>(
    field: Arc<F>,
    waiters: fn(&F) -> u32,
    run: impl FnOnce(&F, &dyn Fn()) -> R1 + Send + 'static,
    wait: impl FnOnce(&F) -> R2 + Send + 'static,
) -> (Result<R1, String>, Result<R2, String>)
where
    F: Send + Sync + 'static,
    R1: Send + 'static,
    R2: Send + 'static,
{
    let (started, has_started) = signal();
    let runner = {
        let field = field.clone();
        spawn(move || {
            // The initializer calls this first: it tells the waiter to come, then holds
            // the field until the waiter waits.
            let hold = || {
                started.send(()).unwrap();
                eventually("a caller to wait for the initializer", || {
                    waiters(&field) == 1
                });
            };
            outcome(|| run(&field, &hold))
        })
    };
    let waiter = spawn(move || {
        await_signal(&has_started);
        outcome(|| wait(&field))
    });
    (runner.result(), waiter.result())
}

#[test]
fn a_waiter_sees_the_poison_when_the_running_initializer_panics() {
    let (ran, waited) = runner_and_waiter(
        Arc::new(OnceField::<u32>::new()),
        OnceField::waiters,
        |field, hold| {
            *field.get_or_init(&SITE, || {
                hold();
                panic!("init failed")
            })
        },
        |field| *field.get_or_init(&SITE, || 0),
    );
    assert_eq!(ran, Err("init failed".to_owned()));
    let waited = waited.unwrap_err();
    assert!(waited.contains("`DbClient::db` is poisoned"), "{waited}");
}

#[test]
fn a_waiter_gets_the_cached_error() {
    let field = Arc::new(OnceField::<u32, String>::new());
    let (ran, waited) = runner_and_waiter(
        field.clone(),
        OnceField::waiters,
        |field, hold| {
            let error = field.get_or_try_init(&SITE, || {
                hold();
                Err("refused".to_owned())
            });
            core::ptr::from_ref(error.unwrap_err()).addr()
        },
        |field| {
            let error = field.get_or_try_init(&SITE, || unreachable!("runs once"));
            core::ptr::from_ref(error.unwrap_err()).addr()
        },
    );
    assert_eq!(ran, waited, "both callers get the one stored error");
}

// ---------------------------------------------------------------------------------------
// Retry: errors and panics to their caller only; a waiter runs the next attempt.
// ---------------------------------------------------------------------------------------

#[test]
fn retry_gives_the_error_to_its_caller_only_and_stays_empty() {
    let field: OnceField<u32, String, Retry> = OnceField::new();
    assert_eq!(
        field.get_or_try_init(&SITE, || Err("refused".to_owned())),
        Err("refused".to_owned())
    );
    assert_eq!(field.get(), None);
    assert_eq!(shown(&field), "<uninit>");
    assert_eq!(field.get_or_try_init(&SITE, || Ok(3)), Ok(&3));
}

#[test]
fn retry_empties_the_field_when_the_initializer_panics() {
    let field: OnceField<u32, Infallible, Retry> = OnceField::new();
    let first = panic_message(|| field.get_or_init(&SITE, || panic!("flaky")));
    assert_eq!(first, "flaky");
    assert_eq!(field.get(), None);
    assert_eq!(shown(&field), "<uninit>");
    assert_eq!(*field.get_or_init(&SITE, || 4), 4);

    let fallible: OnceField<u32, String, Retry> = OnceField::new();
    let _ = panic_message(|| fallible.get_or_try_init(&SITE, || panic!("flaky")));
    assert_eq!(fallible.get_or_try_init(&SITE, || Ok(5)), Ok(&5));
}

#[test]
fn a_waiter_runs_the_next_attempt_after_an_error() {
    let (ran, waited) = runner_and_waiter(
        Arc::new(OnceField::<u32, String, Retry>::new()),
        OnceField::waiters,
        |field, hold| {
            field
                .get_or_try_init(&SITE, || {
                    hold();
                    Err("refused".to_owned())
                })
                .copied()
        },
        |field| field.get_or_try_init(&SITE, || Ok(2)).copied(),
    );
    assert_eq!(ran, Ok(Err("refused".to_owned())));
    assert_eq!(waited, Ok(Ok(2)), "the waiter ran its own attempt");
}

#[test]
fn a_waiter_runs_the_next_attempt_after_a_panic() {
    let (ran, waited) = runner_and_waiter(
        Arc::new(OnceField::<u32, Infallible, Retry>::new()),
        OnceField::waiters,
        |field, hold| {
            *field.get_or_init(&SITE, || {
                hold();
                panic!("flaky")
            })
        },
        |field| *field.get_or_init(&SITE, || 3),
    );
    assert_eq!(
        ran,
        Err("flaky".to_owned()),
        "only the runner sees its panic"
    );
    assert_eq!(waited, Ok(3));
}

// ---------------------------------------------------------------------------------------
// Throttled retry: counted attempts, never timed assertions.
// ---------------------------------------------------------------------------------------

/// Calls a failing field `calls` times; returns how many attempts ran.
fn attempts_of<const MS: u64>(calls: usize) -> usize {
    let field: OnceField<u32, String, ThrottledRetry<MS>> = OnceField::new();
    let mut attempts = 0;
    for call in 0..calls {
        let error = field
            .get_or_try_init(&SITE, || {
                attempts += 1;
                Err(format!("attempt {attempts} failed"))
            })
            .unwrap_err();
        assert!(error.starts_with("attempt"), "call {call}: {error}");
    }
    attempts
}

#[test]
fn throttled_retry_runs_one_attempt_per_interval() {
    assert_eq!(attempts_of::<HOUR_MS>(100), 1);
    assert_eq!(attempts_of::<0>(100), 100);
}

#[test]
fn throttled_callers_get_a_clone_of_the_last_error() {
    let field: OnceField<u32, String, ThrottledRetry<HOUR_MS>> = OnceField::new();
    let first = field.get_or_try_init(&SITE, || Err("down".to_owned()));
    let later = field.get_or_try_init(&SITE, || unreachable!("throttled"));
    assert_eq!(
        (first, later),
        (Err("down".to_owned()), Err("down".to_owned()))
    );
    assert_eq!(field.get(), None);
}

#[test]
fn throttled_retry_attempts_again_after_the_interval() {
    let field: OnceField<u32, String, ThrottledRetry<1>> = OnceField::new();
    assert!(
        field
            .get_or_try_init(&SITE, || Err("down".to_owned()))
            .is_err()
    );
    // Sleeping at least the interval, the next call must attempt.
    thread::sleep(Duration::from_millis(5));
    assert_eq!(field.get_or_try_init(&SITE, || Ok(1)), Ok(&1));
}

#[test]
fn a_waiter_of_a_failed_throttled_attempt_gets_its_error_without_an_attempt() {
    let (ran, waited) = runner_and_waiter(
        Arc::new(OnceField::<u32, String, ThrottledRetry<HOUR_MS>>::new()),
        OnceField::waiters,
        |field, hold| {
            field
                .get_or_try_init(&SITE, || {
                    hold();
                    Err("down".to_owned())
                })
                .copied()
        },
        |field| {
            field
                .get_or_try_init(&SITE, || unreachable!("throttled"))
                .copied()
        },
    );
    assert_eq!(ran, Ok(Err("down".to_owned())));
    assert_eq!(waited, Ok(Err("down".to_owned())));
}

// ---------------------------------------------------------------------------------------
// Reentrancy and cycles: a panic naming the fields, never a hang.
// ---------------------------------------------------------------------------------------

/// Runs `f` on its own thread, so that a check that fails to fire (and so waits forever)
/// fails the test instead of hanging it.
fn bounded<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    spawn(f).result()
}

#[test]
fn an_initializer_asking_for_its_own_field_panics() {
    bounded(|| {
        let field: OnceField<u32> = OnceField::new();
        let text =
            panic_message(|| *field.get_or_init(&SITE, || *field.get_or_init(&SITE, || 1) + 1));
        assert!(text.contains("reentrant initialization"), "{text}");
        assert!(
            text.contains("`DbClient::db` asked for `DbClient::db` itself"),
            "{text}"
        );
        // The panic left the initializer: under the default policy that poisons the field.
        assert_eq!(shown(&field), "<poisoned>");

        let retry: OnceField<u32, Infallible, Retry> = OnceField::new();
        let _ = panic_message(|| *retry.get_or_init(&SITE, || *retry.get_or_init(&SITE, || 1)));
        assert_eq!(
            *retry.get_or_init(&SITE, || 2),
            2,
            "retry: the field is empty again"
        );
    });
}

#[test]
fn two_initializers_asking_for_each_other_on_one_thread_panic() {
    let text = bounded(|| {
        let a: OnceField<u32> = OnceField::new();
        let b: OnceField<u32> = OnceField::new();
        panic_message(|| {
            *a.get_or_init(&A, || {
                *b.get_or_init(&B, || *a.get_or_init(&A, || 1) + 1) + 1
            })
        })
    });
    assert!(text.contains("cycle"), "{text}");
    assert!(
        text.contains("the initializer of `Pair::b` asked for `Pair::a`"),
        "{text}"
    );
}

/// Two lazy fields whose initializers ask for each other, as `#[once_init]` generates
/// them: each initializer asks for the other field only once the other's initializer
/// runs, so two threads starting one each are sure to meet in a cycle.
struct Pair<P: Policy> {
    a: OnceField<u32, Infallible, P>,
    b: OnceField<u32, Infallible, P>,
}

impl<P: Policy> Pair<P> {
    fn a(&self) -> u32 {
        *self.a.get_or_init(&A, || {
            eventually("`b` to run", || shown(&self.b) == "<initializing>");
            self.b() + 1
        })
    }

    fn b(&self) -> u32 {
        *self.b.get_or_init(&B, || {
            eventually("`a` to run", || shown(&self.a) == "<initializing>");
            self.a() + 1
        })
    }
}

/// Thread 1 asks for `a`, thread 2 for `b`; returns both panic messages.
fn cross_thread_cycle<P: Policy>() -> [String; 2]
where
    Pair<P>: Send + Sync,
{
    let pair = Arc::new(Pair::<P> {
        a: OnceField::new(),
        b: OnceField::new(),
    });
    let first = {
        let pair = pair.clone();
        spawn(move || outcome(|| pair.a()))
    };
    let second = spawn(move || outcome(|| pair.b()));
    [first.result(), second.result()].map(|r| r.expect_err("no value: a cycle"))
}

#[test]
fn a_cycle_across_threads_panics_instead_of_hanging() {
    let messages = cross_thread_cycle::<Cache>();
    let cycle = messages
        .iter()
        .find(|m| m.contains("cycle across threads"))
        .unwrap_or_else(|| panic!("one thread reports the cycle: {messages:?}"));
    assert!(
        cycle.contains("`Pair::a`") && cycle.contains("`Pair::b`"),
        "{cycle}"
    );
    // The other was waiting for the field whose initializer panicked: poisoned.
    assert!(
        messages.iter().any(|m| m.contains("panicked earlier")),
        "{messages:?}"
    );

    // Under retry the other thread takes the emptied field over, and its initializer
    // then asks for the field this thread is initializing: caught on one thread.
    let messages = cross_thread_cycle::<Retry>();
    assert!(
        messages.iter().any(|m| m.contains("cycle across threads")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("cycle on one thread")),
        "{messages:?}"
    );
}

#[test]
fn waiting_for_an_unrelated_runner_is_no_cycle() {
    // Thread 2, while initializing `b`, waits for `a`, which thread 1 initializes without
    // needing `b`: a wait, not a cycle.
    let a: Arc<OnceField<u32>> = Arc::default();
    let b: Arc<OnceField<u32>> = Arc::default();
    let (release, released) = signal();
    let first = {
        let a = a.clone();
        spawn(move || {
            *a.get_or_init(&A, || {
                await_signal(&released);
                1
            })
        })
    };
    eventually("`a` to run", || shown(&*a) == "<initializing>");
    let second = {
        let a = a.clone();
        spawn(move || *b.get_or_init(&B, || *a.get_or_init(&A, || 0) + 1))
    };
    eventually("`b` to wait for `a`", || a.waiters() == 1);
    release.send(()).unwrap();
    assert_eq!((first.result(), second.result()), (1, 2));
}

// ---------------------------------------------------------------------------------------
// Thread exit: the reentrancy record must not go blind while thread-locals are destroyed.
// ---------------------------------------------------------------------------------------

struct InitOnDrop {
    field: Arc<OnceField<u32>>,
    report: mpsc::Sender<(u32, String)>,
}

impl Drop for InitOnDrop {
    fn drop(&mut self) {
        let value = *self.field.get_or_init(&SITE, || 7);
        let reentrant = panic_message(|| {
            let own = OnceField::<u32>::new();
            *own.get_or_init(&A, || *own.get_or_init(&A, || 1))
        });
        let _ = self.report.send((value, reentrant));
    }
}

std::thread_local! {
    static ON_EXIT: RefCell<Option<InitOnDrop>> = const { RefCell::new(None) };
}

#[test]
fn initializers_run_and_are_checked_inside_a_thread_local_destructor() {
    let field: Arc<OnceField<u32>> = Arc::default();
    let (report, reported) = mpsc::channel();
    let exiting = {
        let field = field.clone();
        thread::spawn(move || {
            // Touch lockwise's own thread-local first, so that if it had a destructor it
            // would run before this thread's `ON_EXIT`'s.
            let warm = OnceField::<u8>::new();
            warm.get_or_init(&B, || 0);
            ON_EXIT.with(|slot| *slot.borrow_mut() = Some(InitOnDrop { field, report }));
        })
    };
    let (value, reentrant) = reported
        .recv_timeout(PATIENCE)
        .expect("the destructor reported (a hang or a blind check would not)");
    exiting.join().unwrap();
    assert_eq!(value, 7);
    assert_eq!(field.get(), Some(&7));
    assert!(
        reentrant.contains("reentrant initialization"),
        "{reentrant}"
    );
}

/// The protocol's state (a mutex with the runner and two counters, a condition variable,
/// the phase) and the default policy's error slot sit beside the value: five words on
/// 64-bit Linux. Measured, so that a change that grows every lazy field shows up here. The
/// `profile` feature adds its counters' handle (a `OnceLock<Arc<_>>`, two words), the
/// `async` feature its tasks' event (a pointer, allocated when a task first waits).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
#[test]
fn a_field_costs_five_words_beside_its_value() {
    use core::mem::size_of;
    let overhead = size_of::<OnceField<u64>>() - size_of::<std::sync::OnceLock<u64>>();
    let words = 5
        + if cfg!(feature = "profile") { 2 } else { 0 }
        + if cfg!(feature = "async") { 1 } else { 0 };
    assert!(overhead <= words * size_of::<usize>(), "{overhead} bytes");
    assert!(size_of::<OnceField<u64, String, Retry>>() <= size_of::<OnceField<u64>>());
}
