//! `#[once_init]` and `#[once_init(retry)]`: what DESIGN.md §4 promises, each as a test
//! through the macro. (The runtime's own tests and its loom model cover the protocol in
//! finer detail.) A hang fails through a bounded wait, never a timing assertion.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, mpsc};
use std::thread;
use std::time::Duration;

use lockwise::once_init;

#[derive(Debug, Clone, PartialEq)]
struct DbError(String);

/// What an initializer does on its next call.
#[derive(Clone, Copy, Debug)]
enum Plan {
    Succeed,
    Fail,
    Panic,
}

/// A client whose initializers count their calls and follow a plan: the default policy.
#[once_init]
#[derive(Debug)]
struct Cached {
    pub url: String,
    calls: AtomicUsize,
    plan: Vec<Plan>,
    #[once(init = Self::connect)]
    db: Result<String, DbError>,
}

/// The same under `retry`.
#[once_init(retry)]
#[derive(Debug)]
struct Retried {
    calls: AtomicUsize,
    plan: Vec<Plan>,
    #[once(init = Self::connect)]
    db: Result<String, DbError>,
}

/// Each attempt follows the plan at its index (the last entry repeats).
fn attempt(calls: &AtomicUsize, plan: &[Plan]) -> Result<String, DbError> {
    let n = calls.fetch_add(1, Ordering::SeqCst);
    match plan[n.min(plan.len() - 1)] {
        Plan::Succeed => Ok(format!("connection {n}")),
        Plan::Fail => Err(DbError(format!("refused {n}"))),
        Plan::Panic => panic!("the database driver crashed"),
    }
}

impl Cached {
    fn with(plan: Vec<Plan>) -> Self {
        Self::new("db.local".into(), AtomicUsize::new(0), plan)
    }
    fn connect(&self) -> Result<String, DbError> {
        attempt(&self.calls, &self.plan)
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl Retried {
    fn with(plan: Vec<Plan>) -> Self {
        Self::new(AtomicUsize::new(0), plan)
    }
    fn connect(&self) -> Result<String, DbError> {
        attempt(&self.calls, &self.plan)
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

/// The panic message of `f`, which must panic.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn sixteen_racing_threads_run_one_initializer_and_share_one_value() {
    let client = Cached::with(vec![Plan::Succeed]);
    let start = Barrier::new(16);
    let addresses: Vec<usize> = thread::scope(|s| {
        let workers: Vec<_> = (0..16)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    client.db().unwrap() as *const String as usize
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert_eq!(client.calls(), 1, "one initializer for sixteen callers");
    assert!(addresses.iter().all(|&a| a == addresses[0]), "one value");
    // Success is permanent: no further call runs the initializer.
    assert_eq!(client.db().unwrap(), "connection 0");
    assert_eq!(client.calls(), 1);
}

#[test]
fn the_default_policy_caches_the_first_error() {
    let client = Cached::with(vec![Plan::Fail, Plan::Succeed]);
    assert_eq!(client.db(), Err(&DbError("refused 0".into())));
    assert_eq!(client.db(), Err(&DbError("refused 0".into())));
    assert_eq!(client.calls(), 1, "a cached error is never retried");
    assert_eq!(client.db_if_ready(), None);
}

#[test]
fn a_panicking_initializer_poisons_the_field_under_the_default_policy() {
    let client = Cached::with(vec![Plan::Panic, Plan::Succeed]);
    let first = panic_message(|| {
        let _ = client.db();
    });
    assert!(first.contains("database driver crashed"), "{first}");
    let later = panic_message(|| {
        let _ = client.db();
    });
    assert!(
        later.contains("`Cached::db`"),
        "names the type and field: {later}"
    );
    assert!(later.contains("panicked earlier"), "{later}");
    assert_eq!(client.calls(), 1);
    assert!(format!("{client:?}").contains("<poisoned>"));
}

#[test]
fn retry_returns_the_error_to_its_caller_and_tries_again_next_time() {
    let client = Retried::with(vec![Plan::Fail, Plan::Fail, Plan::Succeed]);
    assert_eq!(client.db(), Err(DbError("refused 0".into())));
    assert_eq!(
        client.db_if_ready(),
        None,
        "a failure leaves the field empty"
    );
    assert_eq!(client.db(), Err(DbError("refused 1".into())));
    assert_eq!(client.db().map(String::as_str), Ok("connection 2"));
    assert_eq!(client.db().map(String::as_str), Ok("connection 2"));
    assert_eq!(client.calls(), 3);
}

#[test]
fn under_retry_a_panic_reaches_its_caller_only_and_empties_the_field() {
    let client = Retried::with(vec![Plan::Panic, Plan::Succeed]);
    let message = panic_message(|| {
        let _ = client.db();
    });
    assert!(message.contains("database driver crashed"), "{message}");
    assert_eq!(client.db().map(String::as_str), Ok("connection 1"));
    assert_eq!(client.calls(), 2);
}

/// A caller that arrives while the initializer runs sees what the policy promises, whether
/// it waited for that attempt or came after it.
#[test]
fn waiting_callers_see_the_outcome_the_policy_promises() {
    // Default policy, the running attempt fails: every waiter gets that error.
    let client = Cached::with(vec![Plan::Fail]);
    let outcomes: Vec<_> = thread::scope(|s| {
        let waiters: Vec<_> = (0..4)
            .map(|_| s.spawn(|| client.db().cloned().map_err(DbError::clone)))
            .collect();
        waiters.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert!(
        outcomes
            .iter()
            .all(|o| *o == Err(DbError("refused 0".into())))
    );
    assert_eq!(client.calls(), 1);

    // Default policy, the running attempt panics: every other caller panics, poisoned.
    let client = Cached::with(vec![Plan::Panic]);
    let panicked = thread::scope(|s| {
        let callers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    catch_unwind(AssertUnwindSafe(|| {
                        let _ = client.db();
                    }))
                    .is_err()
                })
            })
            .collect();
        callers
            .into_iter()
            .filter_map(|c| c.join().unwrap().then_some(()))
            .count()
    });
    assert_eq!(panicked, 4);
    assert_eq!(client.calls(), 1);

    // retry, the running attempt fails: a waiter runs the next attempt, which succeeds.
    let client = Retried::with(vec![Plan::Fail, Plan::Succeed]);
    let outcomes: Vec<_> = thread::scope(|s| {
        let callers: Vec<_> = (0..4).map(|_| s.spawn(|| client.db().cloned())).collect();
        callers.into_iter().map(|c| c.join().unwrap()).collect()
    });
    assert_eq!(
        outcomes.iter().filter(|o| o.is_err()).count(),
        1,
        "{outcomes:?}"
    );
    assert_eq!(client.calls(), 2);
}

#[once_init]
struct Knot {
    #[once(init = Self::own)]
    selfish: u8,
    #[once(init = Self::left_from_right)]
    left: u8,
    #[once(init = Self::right_from_left)]
    right: u8,
}

impl Knot {
    fn own(&self) -> u8 {
        *self.selfish() + 1
    }
    fn left_from_right(&self) -> u8 {
        *self.right()
    }
    fn right_from_left(&self) -> u8 {
        *self.left()
    }
}

/// Reentrant initialization panics at once (std's `OnceLock` and once_cell deadlock), on a
/// thread of its own here so that a hang fails the test through the bounded wait.
#[test]
fn reentrant_and_cyclic_initialization_panic_instead_of_deadlocking() {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let knot = Knot::new();
        let own = panic_message(|| {
            knot.selfish();
        });
        let cycle = panic_message(|| {
            knot.left();
        });
        let _ = tx.send((own, cycle));
    });
    let (own, cycle) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("reentrant initialization hung instead of panicking");
    assert!(own.contains("reentrant"), "{own}");
    assert!(own.contains("`Knot::selfish`"), "{own}");
    assert!(cycle.contains("cycle"), "{cycle}");
    assert!(
        cycle.contains("`Knot::left`") && cycle.contains("`Knot::right`"),
        "{cycle}"
    );
}

/// Throttled retry, counted in attempts (no clock in the test): within the interval a
/// failure is handed back without another attempt.
#[once_init(retry(min_interval_ms = 3_600_000))]
struct Throttled {
    calls: AtomicUsize,
    #[once(init = Self::connect)]
    db: Result<String, DbError>,
}

impl Throttled {
    fn connect(&self) -> Result<String, DbError> {
        attempt(&self.calls, &[Plan::Fail])
    }
}

#[once_init(retry(min_interval_ms = 0))]
struct Unthrottled {
    calls: AtomicUsize,
    #[once(init = Self::connect)]
    db: Result<String, DbError>,
}

impl Unthrottled {
    fn connect(&self) -> Result<String, DbError> {
        attempt(&self.calls, &[Plan::Fail])
    }
}

#[test]
fn throttled_retry_does_not_hammer_a_failing_dependency() {
    let throttled = Throttled::new(AtomicUsize::new(0));
    for _ in 0..100 {
        assert_eq!(throttled.db(), Err(DbError("refused 0".into())));
    }
    assert_eq!(
        throttled.calls.load(Ordering::SeqCst),
        1,
        "an hour has not passed"
    );

    let unthrottled = Unthrottled::new(AtomicUsize::new(0));
    for n in 0..5 {
        assert_eq!(unthrottled.db(), Err(DbError(format!("refused {n}"))));
    }
    assert_eq!(unthrottled.calls.load(Ordering::SeqCst), 5);
}

/// `new` is `const`: a lazily initialized value can live in a `static`.
#[once_init]
struct Settings {
    name: &'static str,
    #[once(init = Self::parse)]
    parsed: Vec<String>,
}

impl Settings {
    fn parse(&self) -> Vec<String> {
        self.name.split(',').map(str::to_owned).collect()
    }
}

static SETTINGS: Settings = Settings::new("a,b");

#[test]
fn the_constructor_is_const_and_plain_fields_stay_plain() {
    assert_eq!(
        SETTINGS.parsed_if_ready(),
        None,
        "_if_ready never initializes"
    );
    assert_eq!(SETTINGS.parsed(), &["a", "b"]);
    assert_eq!(SETTINGS.name, "a,b");
    let mut client = Cached::with(vec![Plan::Succeed]);
    client.url.push_str(":5432");
    assert_eq!(client.db().unwrap(), "connection 0");
    assert_eq!(client.url, "db.local:5432");
}

/// Generic structs work; the initializer reads the plain fields.
#[once_init]
#[derive(Debug)]
struct Repeated<T: Clone> {
    item: T,
    times: usize,
    #[once(init = Self::expand)]
    all: Vec<T>,
}

impl<T: Clone> Repeated<T> {
    fn expand(&self) -> Vec<T> {
        vec![self.item.clone(); self.times]
    }
}

#[test]
fn generic_structs_work() {
    let repeated = Repeated::new('x', 3);
    assert_eq!(repeated.all(), &['x', 'x', 'x']);
    let strings = Repeated::new(String::from("a"), 2);
    assert_eq!(strings.all().concat(), "aa");
}

/// `Debug` never waits: `<uninit>`, `<initializing>` while the initializer runs (seen from
/// inside it, so without any timing), then the value.
#[once_init]
#[derive(Debug)]
struct Observed {
    seen: std::sync::Mutex<String>,
    #[once(init = Self::compute)]
    value: u32,
}

impl Observed {
    fn compute(&self) -> u32 {
        *self.seen.lock().unwrap() = format!("{self:?}");
        7
    }
}

#[test]
fn debug_never_waits_and_shows_the_state_of_each_lazy_field() {
    let observed = Observed::new(std::sync::Mutex::new(String::new()));
    assert!(format!("{observed:?}").contains("value: <uninit>"));
    assert_eq!(*observed.value(), 7);
    assert!(
        observed
            .seen
            .lock()
            .unwrap()
            .contains("value: <initializing>")
    );
    assert!(format!("{observed:?}").contains("value: 7"));
}

/// `set_<field>`, `take_<field>` and `<field>_mut` (issue 26), through the macro, in each
/// state a field can be in (the runtime's `owner_tests.rs` has one test per state and
/// policy): empty, set, kept error, poisoned (default policy), and after a failure under
/// `retry` and throttled retry.
#[test]
fn set_take_and_mut_in_every_state() {
    // Empty: `set` fills it and the initializer never runs; `take` finds nothing.
    let mut client = Cached::with(vec![Plan::Succeed]);
    assert_eq!(client.take_db(), None);
    assert_eq!(client.set_db("preset".into()), Ok(()));
    assert_eq!(client.db().map(String::as_str), Ok("preset"));
    assert_eq!(client.calls(), 0);
    // Set: `set` hands the value back; `take` returns it and the next use initializes.
    assert_eq!(client.set_db("again".into()), Err("again".into()));
    client.db_mut().unwrap().push('!');
    assert_eq!(client.take_db().as_deref(), Some("preset!"));
    assert_eq!(client.db_mut(), None);
    assert_eq!(client.db().map(String::as_str), Ok("connection 0"));

    // A kept error: `set` hands the value back; `take` clears the error.
    let mut client = Cached::with(vec![Plan::Fail, Plan::Succeed]);
    assert!(client.db().is_err());
    assert_eq!(client.set_db("late".into()), Err("late".into()));
    assert!(client.db().is_err(), "still the kept error");
    assert_eq!(client.take_db(), None);
    assert_eq!(client.db().map(String::as_str), Ok("connection 1"));

    // Poisoned: `set` hands the value back; `take` clears the poison.
    let mut client = Cached::with(vec![Plan::Panic, Plan::Succeed]);
    panic_message(|| {
        let _ = client.db();
    });
    assert_eq!(client.set_db("late".into()), Err("late".into()));
    assert!(format!("{client:?}").contains("<poisoned>"));
    assert_eq!(client.take_db(), None);
    assert_eq!(client.db().map(String::as_str), Ok("connection 1"));

    // `retry`: a failure leaves the field empty, so `set` fills it.
    let client = Retried::with(vec![Plan::Fail]);
    assert!(client.db().is_err());
    assert_eq!(client.set_db("fallback".into()), Ok(()));
    assert_eq!(client.db().map(String::as_str), Ok("fallback"));

    // Throttled: within the interval the field is empty; `set` fills it, and `take` ends
    // the throttle (the next call tries at once, without waiting out the hour).
    let mut throttled = Throttled::new(AtomicUsize::new(0));
    assert!(throttled.db().is_err());
    assert!(throttled.db().is_err());
    assert_eq!(throttled.calls.load(Ordering::SeqCst), 1, "throttled");
    assert_eq!(throttled.take_db(), None);
    assert!(throttled.db().is_err());
    assert_eq!(throttled.calls.load(Ordering::SeqCst), 2, "tried at once");
    assert_eq!(throttled.set_db("cached copy".into()), Ok(()));
    assert_eq!(throttled.db().map(String::as_str), Ok("cached copy"));
}

/// Being initialized: `set` from another thread hands its value back at once, without
/// waiting for the initializer (whose value stays).
#[once_init]
struct Slow {
    release: std::sync::Mutex<mpsc::Receiver<()>>,
    started: std::sync::Mutex<mpsc::Sender<()>>,
    #[once(init = Self::compute)]
    value: u32,
}

impl Slow {
    fn compute(&self) -> u32 {
        self.started.lock().unwrap().send(()).unwrap();
        let release = self.release.lock().unwrap();
        release
            .recv_timeout(Duration::from_secs(60))
            .expect("released");
        1
    }
}

#[test]
fn set_while_being_initialized_hands_the_value_back_at_once() {
    let (release_tx, release_rx) = mpsc::channel();
    let (started_tx, started_rx) = mpsc::channel();
    let slow = Slow::new(
        std::sync::Mutex::new(release_rx),
        std::sync::Mutex::new(started_tx),
    );
    thread::scope(|s| {
        let runner = s.spawn(|| *slow.value());
        started_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the initializer started");
        assert_eq!(slow.set_value(2), Err(2));
        release_tx.send(()).unwrap();
        assert_eq!(runner.join().unwrap(), 1);
    });
    assert_eq!(slow.value_if_ready(), Some(&1));
}

/// The reconnect case: the owner empties the field, and the next use initializes again.
#[test]
fn take_lets_the_owner_reconnect() {
    let mut client = Retried::with(vec![Plan::Succeed]);
    assert_eq!(client.db().map(String::as_str), Ok("connection 0"));
    let old = client.take_db();
    assert_eq!(old.as_deref(), Some("connection 0"));
    assert_eq!(client.db().map(String::as_str), Ok("connection 1"));
    assert_eq!(client.calls(), 2);
}
