//! The fan-out on its own, small enough for Miri (`cargo +nightly miri test -p
//! lockwise-runtime --lib fan_out`): few items, at most 3 threads. The integration tests
//! (`tests/fan_out.rs`) cover the same rules with more threads and items.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::{Cancel, fan_out, fan_out_limit};

/// Waits until `done()`; fails the test if that takes more than 10 s (a hang shows as a
/// failure, not as a stuck test run).
fn wait_for(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "waited 10 s for {what}");
        thread::yield_now();
    }
}

fn wait_until_cancelled(cancel: &Cancel) {
    wait_for("the cancellation", || cancel.is_cancelled());
}

/// Waits until `count` reaches `n`. A task that fails first waits so for the tasks it
/// must race: a task taken but not started when the failure comes is never started.
fn wait_for_count(count: &AtomicUsize, n: usize) {
    wait_for("the other tasks to start", || {
        count.load(Ordering::SeqCst) >= n
    });
}

/// Counts the values alive, to see each dropped exactly once.
struct Live<'a>(&'a AtomicUsize);

impl<'a> Live<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Live(count)
    }
}

impl Drop for Live<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[test]
fn results_come_back_in_input_order() {
    // Early items take longest, so they finish last.
    let results: Result<Vec<usize>, ()> = fan_out_limit(3, 0..9, |i, _| {
        for _ in 0..(9 - i) * 3 {
            thread::yield_now();
        }
        Ok(i * 10)
    });
    assert_eq!(results, Ok((0..9).map(|i| i * 10).collect()));
}

#[test]
fn the_default_limit_works_too() {
    let results: Result<Vec<u8>, ()> = fan_out([1, 2, 3], |i, _| Ok(i + 1));
    assert_eq!(results, Ok(vec![2, 3, 4]));
}

#[test]
fn empty_input_runs_nothing() {
    let ran = AtomicUsize::new(0);
    let task = |(), _: &Cancel| -> Result<(), ()> {
        ran.fetch_add(1, Ordering::SeqCst);
        Ok(())
    };
    assert_eq!(fan_out_limit(3, [(); 0], task), Ok(vec![]));
    // An iterator that cannot tell it is empty.
    assert_eq!(
        fan_out_limit(3, [()].into_iter().filter(|_| false), task),
        Ok(vec![])
    );
    assert_eq!(ran.load(Ordering::SeqCst), 0);
}

#[test]
fn a_limit_of_zero_counts_as_one_and_runs_on_the_calling_thread() {
    let caller = thread::current().id();
    let results: Result<Vec<bool>, ()> =
        fan_out_limit(0, 0..4, |_, _| Ok(thread::current().id() == caller));
    assert_eq!(results, Ok(vec![true; 4]));
}

#[test]
fn the_first_error_in_time_wins_and_cancels_the_rest() {
    let started = AtomicUsize::new(0);
    let result: Result<Vec<()>, &str> = fan_out_limit(2, 0..2, |i, cancel| {
        started.fetch_add(1, Ordering::SeqCst);
        if i == 0 {
            // Waits for item 1's error, then fails too, later.
            wait_until_cancelled(cancel);
            Err("later")
        } else {
            wait_for_count(&started, 2);
            Err("first")
        }
    });
    assert_eq!(result, Err("first"));
}

#[test]
fn after_an_error_no_item_is_taken_or_started() {
    let taken = AtomicUsize::new(0);
    let started = AtomicUsize::new(0);
    let items = (0..100).inspect(|_| {
        taken.fetch_add(1, Ordering::SeqCst);
    });
    let result: Result<Vec<()>, usize> = fan_out_limit(1, items, |i, _| {
        started.fetch_add(1, Ordering::SeqCst);
        if i == 2 { Err(i) } else { Ok(()) }
    });
    assert_eq!(result, Err(2));
    assert_eq!(taken.load(Ordering::SeqCst), 3);
    assert_eq!(started.load(Ordering::SeqCst), 3);
}

#[test]
fn results_items_and_errors_are_dropped_once_on_failure() {
    let live = AtomicUsize::new(0);
    let items: Vec<Live<'_>> = (0..6).map(|_| Live::new(&live)).collect();
    let index = AtomicUsize::new(0);
    let result = fan_out_limit(3, items, |item, cancel| {
        drop(item);
        match index.fetch_add(1, Ordering::SeqCst) {
            0 => {
                wait_until_cancelled(cancel);
                Err(Live::new(&live)) // loses to the first error: dropped
            }
            1 => Err(Live::new(&live)),
            _ => Ok(Live::new(&live)), // computed, then made useless: dropped
        }
    });
    let error = result.err().expect("a task failed");
    // Only the winning error is alive: every item, result and losing error is gone.
    assert_eq!(live.load(Ordering::SeqCst), 1);
    drop(error);
    assert_eq!(live.load(Ordering::SeqCst), 0);
}

#[derive(Debug, PartialEq)]
struct Payload(u32);

#[test]
fn a_panic_is_re_raised_with_its_payload_after_the_others_stop() {
    let started = AtomicUsize::new(0);
    let stopped = AtomicUsize::new(0);
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        fan_out_limit(3, 0..3, |i, cancel| -> Result<(), ()> {
            started.fetch_add(1, Ordering::SeqCst);
            if i == 1 {
                wait_for_count(&started, 3);
                std::panic::panic_any(Payload(7));
            }
            wait_until_cancelled(cancel);
            stopped.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
    }));
    let payload = panicked.expect_err("the panic was re-raised");
    assert_eq!(payload.downcast_ref::<Payload>(), Some(&Payload(7)));
    assert_eq!(stopped.load(Ordering::SeqCst), 2);
}

#[test]
fn a_panic_wins_over_an_earlier_error() {
    let started = AtomicUsize::new(0);
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        fan_out_limit(2, 0..2, |i, cancel| -> Result<(), &str> {
            started.fetch_add(1, Ordering::SeqCst);
            if i == 1 {
                wait_for_count(&started, 2);
                return Err("first");
            }
            wait_until_cancelled(cancel);
            std::panic::panic_any(Payload(8));
        })
    }));
    let payload = panicked.expect_err("the panic was re-raised");
    assert_eq!(payload.downcast_ref::<Payload>(), Some(&Payload(8)));
}

#[test]
fn a_panicking_iterator_is_re_raised_and_never_called_again() {
    let calls = AtomicUsize::new(0);
    let items = std::iter::from_fn(|| match calls.fetch_add(1, Ordering::SeqCst) {
        2 => std::panic::panic_any(Payload(9)),
        n => Some(n),
    });
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        fan_out_limit(2, items, |i, _| -> Result<usize, ()> { Ok(i) })
    }));
    let payload = panicked.expect_err("the panic was re-raised");
    assert_eq!(payload.downcast_ref::<Payload>(), Some(&Payload(9)));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[test]
fn the_iterator_is_not_called_after_it_ends() {
    // Not fused: `Some` again after `None`, which would be a phantom fourth item.
    let calls = AtomicUsize::new(0);
    let items = std::iter::from_fn(|| match calls.fetch_add(1, Ordering::SeqCst) {
        3 => None,
        n => Some(n),
    });
    let results: Result<Vec<usize>, ()> = fan_out_limit(3, items, |i, _| Ok(i));
    assert_eq!(results, Ok(vec![0, 1, 2]));
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}
