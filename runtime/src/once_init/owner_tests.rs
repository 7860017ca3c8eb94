//! The owner's methods of `OnceField` (`set`, `take`, `get_mut`, `into_inner`), one test
//! per state a field can be in: empty, initializing, set, kept error, poisoned, throttled.
//! (Taking a field while it is being initialized does not compile: `take`'s doc test.)
//! Small enough for Miri (`cargo +nightly miri test -p lockwise-runtime --lib once_init`).

use core::convert::Infallible;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::policy::{Cache, Policy, Retry, ThrottledRetry};
use super::{OnceField, OnceSite};

const SITE: OnceSite = OnceSite::new("Client", "conn");
const HOUR_MS: u64 = 3_600_000;
/// How long a test waits for something that must happen before it calls it a hang.
const PATIENCE: Duration = Duration::from_secs(60);

/// Runs `f`: `Ok` with its result, or `Err` with its panic's message.
fn outcome<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|text| (*text).to_owned())
            .unwrap_or_default(),
    })
}

/// An infallible field's value, counting the initializer's runs in `runs`.
fn value_of<P: Policy>(field: &OnceField<u32, Infallible, P>, runs: &AtomicUsize) -> u32 {
    *field.get_or_init(&SITE, || {
        runs.fetch_add(1, Ordering::Relaxed);
        1
    })
}

/// Empty, under every policy: `set` fills the field (the initializer never runs); `take`
/// finds nothing and leaves it empty.
fn empty<P: Policy>() {
    let runs = AtomicUsize::new(0);
    let mut field: OnceField<u32, Infallible, P> = OnceField::new();
    assert_eq!(field.take(), None);
    assert_eq!(field.get(), None);
    assert_eq!(field.set(7), Ok(()));
    assert_eq!(field.get(), Some(&7));
    assert_eq!(value_of(&field, &runs), 7);
    assert_eq!(
        runs.load(Ordering::Relaxed),
        0,
        "a set field is never initialized"
    );
}

#[test]
fn an_empty_field_is_set_and_has_nothing_to_take() {
    empty::<Cache>();
    empty::<Retry>();
    empty::<ThrottledRetry<HOUR_MS>>();
}

/// Set (ready), under every policy: `set` hands the value back and the value stays;
/// `take` returns it, and the next call runs the initializer again.
fn ready<P: Policy>() {
    let runs = AtomicUsize::new(0);
    let mut field: OnceField<u32, Infallible, P> = OnceField::new();
    assert_eq!(value_of(&field, &runs), 1);
    assert_eq!(field.set(9), Err(9));
    assert_eq!(field.get(), Some(&1));
    assert_eq!(field.take(), Some(1));
    assert_eq!(field.get(), None);
    assert_eq!(format!("{field:?}"), "<uninit>");
    assert_eq!(value_of(&field, &runs), 1);
    assert_eq!(
        runs.load(Ordering::Relaxed),
        2,
        "taken, it initializes again"
    );
    // A value that was set is taken the same way.
    assert_eq!(field.take(), Some(1));
    field.set(3).unwrap();
    assert_eq!(field.take(), Some(3));
}

#[test]
fn a_set_field_refuses_set_and_take_empties_it() {
    ready::<Cache>();
    ready::<Retry>();
    ready::<ThrottledRetry<HOUR_MS>>();
}

/// Initializing, on another thread: `set` hands the value back at once (it does not wait
/// for the initializer), and the initializer's value is the one that stays.
fn initializing_elsewhere<P: Policy>()
where
    OnceField<u32, Infallible, P>: Sync,
{
    let field: OnceField<u32, Infallible, P> = OnceField::new();
    let (started, release) = (mpsc::channel(), mpsc::channel::<()>());
    let (started_tx, started_rx) = started;
    let (release_tx, release_rx) = release;
    thread::scope(|s| {
        let field = &field;
        let runner = s.spawn(move || {
            *field.get_or_init(&SITE, || {
                started_tx.send(()).unwrap();
                release_rx.recv_timeout(PATIENCE).expect("released");
                1
            })
        });
        started_rx
            .recv_timeout(PATIENCE)
            .expect("the initializer started");
        assert_eq!(field.set(2), Err(2), "refused without waiting");
        assert_eq!(format!("{field:?}"), "<initializing>");
        release_tx.send(()).unwrap();
        assert_eq!(runner.join().unwrap(), 1);
    });
    assert_eq!(field.get(), Some(&1));
}

#[test]
fn a_field_being_initialized_refuses_set_without_waiting() {
    initializing_elsewhere::<Cache>();
    initializing_elsewhere::<Retry>();
    initializing_elsewhere::<ThrottledRetry<HOUR_MS>>();
}

/// Initializing, on this thread: an initializer that sets its own field gets its value
/// back (instead of the deadlock `OnceLock::set` would be).
#[test]
fn an_initializer_setting_its_own_field_gets_its_value_back() {
    let field: OnceField<u32> = OnceField::new();
    let value = *field.get_or_init(&SITE, || {
        assert_eq!(field.set(5), Err(5));
        6
    });
    assert_eq!(value, 6);
}

/// A kept error (`Cache`): `set` hands the value back and the error stays; `take` clears
/// it, and the next call runs the initializer again.
#[test]
fn a_kept_error_refuses_set_and_take_clears_it() {
    let mut field: OnceField<u32, String, Cache> = OnceField::new();
    let error = field.get_or_try_init(&SITE, || Err("refused".to_owned()));
    assert_eq!(error, Err(&"refused".to_owned()));
    assert_eq!(field.set(1), Err(1));
    assert_eq!(
        field.get_or_try_init(&SITE, || Ok(2)),
        Err(&"refused".to_owned()),
        "still the kept error"
    );
    assert_eq!(field.take(), None);
    assert_eq!(format!("{field:?}"), "<uninit>");
    assert_eq!(field.get_or_try_init(&SITE, || Ok(3)), Ok(&3));
}

/// Poisoned (`Cache`): `set` hands the value back and the field stays poisoned; `take`
/// clears the poison, and the next call runs the initializer again.
#[test]
fn a_poisoned_field_refuses_set_and_take_clears_the_poison() {
    let mut field: OnceField<u32> = OnceField::new();
    let panicked = outcome(|| *field.get_or_init(&SITE, || panic!("init failed")));
    assert_eq!(panicked, Err("init failed".to_owned()));
    assert_eq!(field.set(1), Err(1));
    let poisoned = outcome(|| *field.get_or_init(&SITE, || 2)).unwrap_err();
    assert!(poisoned.contains("panicked earlier"), "{poisoned}");
    assert_eq!(field.take(), None);
    assert_eq!(format!("{field:?}"), "<uninit>");
    assert_eq!(field.get_or_init(&SITE, || 3), &3);
}

/// Under `Retry`, an error or a panic leaves the field empty: `set` fills it.
#[test]
fn under_retry_a_failed_field_is_empty_and_takes_a_set() {
    let field: OnceField<u32, String, Retry> = OnceField::new();
    assert!(
        field
            .get_or_try_init(&SITE, || Err("down".to_owned()))
            .is_err()
    );
    assert_eq!(field.set(4), Ok(()));
    assert_eq!(field.get_or_try_init(&SITE, || unreachable!()), Ok(&4));
}

/// Throttled (`ThrottledRetry`, within the interval after a failure): the field is empty,
/// so `set` fills it and forgets the failure; `take` forgets it too, so the next call
/// runs the initializer at once instead of answering with the old error.
#[test]
fn a_throttled_field_takes_a_set_and_take_ends_the_throttle() {
    let attempts = AtomicUsize::new(0);
    let fail = || {
        attempts.fetch_add(1, Ordering::Relaxed);
        Err::<u32, String>("down".to_owned())
    };
    let field: OnceField<u32, String, ThrottledRetry<HOUR_MS>> = OnceField::new();
    assert!(field.get_or_try_init(&SITE, fail).is_err());
    assert!(field.get_or_try_init(&SITE, fail).is_err());
    assert_eq!(attempts.load(Ordering::Relaxed), 1, "throttled");
    assert_eq!(field.set(5), Ok(()));
    assert_eq!(field.get_or_try_init(&SITE, fail), Ok(&5));

    let mut field: OnceField<u32, String, ThrottledRetry<HOUR_MS>> = OnceField::new();
    assert!(field.get_or_try_init(&SITE, fail).is_err());
    assert_eq!(attempts.load(Ordering::Relaxed), 2);
    assert_eq!(field.take(), None);
    assert_eq!(
        field.get_or_try_init(&SITE, || Ok(6)),
        Ok(&6),
        "no longer throttled"
    );
}

/// `set` racing with initializers: exactly one value wins, and every caller sees it.
#[test]
fn set_racing_initializers_one_value_wins() {
    let racers = if cfg!(miri) { 3 } else { 8 };
    let field: OnceField<usize> = OnceField::new();
    let field = &field;
    let won: usize = thread::scope(|s| {
        let setters: Vec<_> = (0..racers)
            .map(|i| s.spawn(move || usize::from(field.set(i).is_ok())))
            .collect();
        let value = *field.get_or_init(&SITE, || usize::MAX);
        let won = setters.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(field.get(), Some(&value));
        won
    });
    let value = *field.get().unwrap();
    if value == usize::MAX {
        assert_eq!(won, 0, "the initializer won");
    } else {
        assert_eq!(won, 1, "one set won");
    }
}

#[test]
fn get_mut_and_into_inner_reach_the_value() {
    let mut field: OnceField<Vec<u32>, String, Retry> = OnceField::new();
    assert!(field.get_mut().is_none());
    assert_eq!(field.get_or_try_init(&SITE, || Ok(vec![1])), Ok(&vec![1]));
    field.get_mut().unwrap().push(2);
    assert_eq!(field.get(), Some(&vec![1, 2]));
    assert_eq!(field.into_inner(), Some(vec![1, 2]));
    let empty: OnceField<u8> = OnceField::new();
    assert_eq!(empty.into_inner(), None);
}
