//! `lockwise::fan_out`: what DESIGN.md §6 and issue 12 promise, each as a test that fails if
//! the promise breaks. Waits are bounded (a hang fails the test); nothing asserts on a time.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind, panic_any};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use lockwise::{Cancel, fan_out, fan_out_limit};

/// Waits until `done()`; fails the test after 10 s (a hang is a failure, not a stuck run).
fn wait_for(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "waited 10 s for {what}");
        thread::sleep(Duration::from_micros(200));
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

/// Uneven, deterministic task times: 0 to 2 ms.
fn uneven_sleep(i: usize) {
    thread::sleep(Duration::from_micros((i * 7919 % 5) as u64 * 500));
}

#[test]
fn results_keep_input_order_when_task_times_are_uneven() {
    for limit in [2, 4, 16] {
        let results: Result<Vec<String>, ()> = fan_out_limit(limit, 0..60, |i, _| {
            uneven_sleep(i);
            Ok(format!("item {i}"))
        });
        let expected: Vec<String> = (0..60).map(|i| format!("item {i}")).collect();
        assert_eq!(results, Ok(expected), "limit {limit}");
    }
    // The default limit too.
    let results: Result<Vec<usize>, ()> = fan_out(0..60, |i, _| {
        uneven_sleep(i);
        Ok(i * i)
    });
    assert_eq!(results, Ok((0..60).map(|i| i * i).collect()));
}

#[test]
fn the_first_error_in_time_wins_not_the_first_in_input_order() {
    // Item 5 fails first; items 0..5 fail too, but only after they see the cancellation,
    // so later in time. Six workers, so all six items run at once.
    let started = AtomicUsize::new(0);
    let result: Result<Vec<()>, usize> = fan_out_limit(6, 0..6, |i, cancel| {
        started.fetch_add(1, Ordering::SeqCst);
        if i == 5 {
            wait_for_count(&started, 6);
            return Err(5);
        }
        wait_until_cancelled(cancel);
        Err(i)
    });
    assert_eq!(result, Err(5));
}

#[test]
fn after_the_first_error_no_further_item_is_taken_or_started() {
    // Limit 4: items 0..3 occupy three workers until the fan-out is cancelled; item 3, on
    // the fourth, fails. Of 10,000 items exactly 4 are taken from the iterator and run.
    let taken = AtomicUsize::new(0);
    let started = AtomicUsize::new(0);
    let items = (0..10_000).inspect(|_| {
        taken.fetch_add(1, Ordering::SeqCst);
    });
    let result: Result<Vec<()>, &str> = fan_out_limit(4, items, |i, cancel| {
        started.fetch_add(1, Ordering::SeqCst);
        if i == 3 {
            wait_for_count(&started, 4);
            return Err("item 3 failed");
        }
        wait_until_cancelled(cancel);
        Ok(())
    });
    assert_eq!(result, Err("item 3 failed"));
    assert_eq!(taken.load(Ordering::SeqCst), 4);
    assert_eq!(started.load(Ordering::SeqCst), 4);
}

#[test]
fn after_the_first_error_each_other_worker_starts_at_most_one_task() {
    // Tiny tasks that do not wait: a task that starts after the error was recorded sees
    // `is_cancelled()` at its start. A worker checks the flag before each task, so only a
    // task that raced the error can: at most one per other worker.
    for _ in 0..20 {
        let started_cancelled = AtomicUsize::new(0);
        let result: Result<Vec<usize>, usize> = fan_out_limit(4, 0..10_000, |i, cancel| {
            if cancel.is_cancelled() {
                started_cancelled.fetch_add(1, Ordering::SeqCst);
            }
            if i == 100 { Err(i) } else { Ok(i) }
        });
        assert_eq!(result, Err(100));
        assert!(started_cancelled.load(Ordering::SeqCst) <= 3);
    }
}

#[test]
fn a_limit_of_one_runs_items_one_at_a_time_in_order_on_the_calling_thread() {
    let caller = thread::current().id();
    let events = Mutex::new(Vec::new());
    let results: Result<Vec<usize>, ()> = fan_out_limit(1, 0..20, |i, _| {
        assert_eq!(thread::current().id(), caller);
        events.lock().unwrap().push(("start", i));
        uneven_sleep(i);
        events.lock().unwrap().push(("end", i));
        Ok(i)
    });
    assert_eq!(results, Ok((0..20).collect()));
    let expected: Vec<_> = (0..20).flat_map(|i| [("start", i), ("end", i)]).collect();
    assert_eq!(events.into_inner().unwrap(), expected);
}

#[test]
fn a_limit_of_zero_counts_as_one() {
    let in_flight = AtomicUsize::new(0);
    let results: Result<Vec<usize>, ()> = fan_out_limit(0, 0..10, |i, _| {
        assert_eq!(in_flight.fetch_add(1, Ordering::SeqCst), 0);
        thread::sleep(Duration::from_micros(100));
        in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(i)
    });
    assert_eq!(results, Ok((0..10).collect()));
}

#[test]
fn no_more_tasks_run_at_once_than_the_limit() {
    for limit in [2, 3, 8] {
        let in_flight = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let results: Result<Vec<usize>, ()> = fan_out_limit(limit, 0..100, |i, _| {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            uneven_sleep(i);
            in_flight.fetch_sub(1, Ordering::SeqCst);
            Ok(i)
        });
        assert_eq!(results, Ok((0..100).collect()));
        assert!(most.load(Ordering::SeqCst) <= limit, "limit {limit}");
    }
}

// Counts the fan-out threads that have exited, thread-local destructors included.
static EXITED: AtomicUsize = AtomicUsize::new(0);

struct CountExit;

impl Drop for CountExit {
    fn drop(&mut self) {
        // Slow, so that a thread still exiting when fan_out returns is caught.
        thread::sleep(Duration::from_millis(50));
        EXITED.fetch_add(1, Ordering::SeqCst);
    }
}

thread_local! {
    static EXIT_MARK: CountExit = const { CountExit };
}

#[derive(Debug, PartialEq)]
struct Payload(&'static str);

#[test]
fn a_panic_is_re_raised_with_its_payload_after_every_thread_has_exited() {
    // Only this test touches EXITED and EXIT_MARK.
    let caller = thread::current().id();
    let threads: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
    let started = AtomicUsize::new(0);
    let stopped = AtomicUsize::new(0);
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        fan_out_limit(4, 0..4, |i, cancel| -> Result<(), ()> {
            let me = thread::current().id();
            threads.lock().unwrap().insert(me);
            if me != caller {
                EXIT_MARK.with(|_| {}); // its destructor runs when this thread exits
            }
            started.fetch_add(1, Ordering::SeqCst);
            if i == 2 {
                wait_for_count(&started, 4);
                panic_any(Payload("task 2 broke"));
            }
            wait_until_cancelled(cancel);
            // Still busy for a while after the cancellation: fan_out must wait for it.
            thread::sleep(Duration::from_millis(50));
            stopped.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
    }));
    let payload = panicked.expect_err("the task's panic reaches the caller");
    assert_eq!(
        payload.downcast_ref::<Payload>(),
        Some(&Payload("task 2 broke"))
    );
    assert_eq!(
        stopped.load(Ordering::SeqCst),
        3,
        "a task was still running"
    );
    let helpers = threads.into_inner().unwrap().len() - 1;
    assert_eq!(helpers, 3);
    assert_eq!(
        EXITED.load(Ordering::SeqCst),
        helpers,
        "a thread had not exited"
    );
}

#[test]
fn a_panic_wins_over_an_earlier_error() {
    let started = AtomicUsize::new(0);
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        fan_out_limit(2, 0..2, |i, cancel| -> Result<(), &str> {
            started.fetch_add(1, Ordering::SeqCst);
            if i == 1 {
                wait_for_count(&started, 2);
                return Err("the error came first");
            }
            wait_until_cancelled(cancel);
            panic_any(Payload("but a panic is a bug"));
        })
    }));
    let payload = panicked.expect_err("the panic wins");
    assert_eq!(
        payload.downcast_ref::<Payload>(),
        Some(&Payload("but a panic is a bug"))
    );
}

#[test]
fn a_panic_in_the_iterator_is_re_raised_after_the_tasks_stop() {
    let started = AtomicUsize::new(0);
    let stopped = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let items = std::iter::from_fn(|| match next.fetch_add(1, Ordering::SeqCst) {
        3 => panic_any(Payload("the iterator broke")),
        n => Some(n),
    });
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        fan_out_limit(4, items, |_, cancel| -> Result<(), ()> {
            started.fetch_add(1, Ordering::SeqCst);
            wait_until_cancelled(cancel);
            stopped.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
    }));
    let payload = panicked.expect_err("the iterator's panic reaches the caller");
    assert_eq!(
        payload.downcast_ref::<Payload>(),
        Some(&Payload("the iterator broke"))
    );
    // Items taken just before the panic may never have started; those that did, stopped.
    assert_eq!(
        stopped.load(Ordering::SeqCst),
        started.load(Ordering::SeqCst)
    );
    assert_eq!(
        next.load(Ordering::SeqCst),
        4,
        "called again after it panicked"
    );
}

#[test]
fn empty_input_returns_an_empty_vec_without_running_anything() {
    let ran = AtomicBool::new(false);
    let task = |_: u8, _: &Cancel| -> Result<u8, ()> {
        ran.store(true, Ordering::SeqCst);
        Ok(0)
    };
    assert_eq!(fan_out(Vec::new(), task), Ok(vec![]));
    assert_eq!(fan_out_limit(8, Vec::new(), task), Ok(vec![]));
    // An iterator that cannot say it is empty.
    assert_eq!(fan_out(std::iter::from_fn(|| None), task), Ok(vec![]));
    assert!(!ran.load(Ordering::SeqCst));
}

#[test]
fn a_task_that_polls_cancel_sees_it_and_stops() {
    let saw_it = AtomicBool::new(false);
    let started = AtomicUsize::new(0);
    let result: Result<Vec<()>, &str> = fan_out_limit(2, 0..2, |i, cancel| {
        started.fetch_add(1, Ordering::SeqCst);
        if i == 1 {
            wait_for_count(&started, 2);
            return Err("failed");
        }
        wait_until_cancelled(cancel);
        saw_it.store(true, Ordering::SeqCst);
        Ok(())
    });
    assert_eq!(result, Err("failed"));
    assert!(saw_it.load(Ordering::SeqCst));
}

#[test]
fn tasks_that_succeed_never_see_a_cancellation() {
    let results: Result<Vec<bool>, ()> =
        fan_out_limit(4, 0..200, |_, cancel| Ok(cancel.is_cancelled()));
    assert_eq!(results, Ok(vec![false; 200]));
}

#[test]
fn items_tasks_and_results_may_borrow_from_the_callers_stack() {
    let names = vec!["ada".to_owned(), "grace".to_owned(), "barbara".to_owned()];
    let ages: HashMap<&str, u32> = [("ada", 36), ("grace", 85), ("barbara", 81)].into();
    // Items are `&String`, the task borrows `ages`, the results borrow `names`.
    let results: Result<Vec<(&str, u32)>, &str> = fan_out(&names, |name, _| {
        let age = ages.get(name.as_str()).ok_or(name.as_str())?;
        Ok((name.as_str(), *age))
    });
    assert_eq!(
        results,
        Ok(vec![("ada", 36), ("grace", 85), ("barbara", 81)])
    );
}

#[test]
fn items_results_and_errors_need_only_be_send() {
    // `Cell` is Send but not Sync: each value is owned by one thread at a time.
    let items: Vec<Cell<u32>> = (0..10).map(Cell::new).collect();
    let results: Result<Vec<Cell<u32>>, Cell<u32>> =
        fan_out_limit(3, items, |c, _| Ok(Cell::new(c.get() * 2)));
    let doubled: Vec<u32> = results.unwrap().iter().map(Cell::get).collect();
    assert_eq!(doubled, (0..10).map(|i| i * 2).collect::<Vec<_>>());
    let failed = fan_out_limit(3, 0..10, |i, _| -> Result<(), Cell<u32>> {
        if i == 4 { Err(Cell::new(i)) } else { Ok(()) }
    });
    assert_eq!(failed.unwrap_err().get(), 4);
}

#[test]
fn items_are_pulled_lazily_so_an_endless_iterator_ends_at_the_first_error() {
    let result: Result<Vec<u64>, u64> =
        fan_out_limit(3, 0.., |i, _| if i == 500 { Err(i) } else { Ok(i) });
    assert_eq!(result, Err(500));
}

/// Counts live values, to see every item and result dropped exactly once.
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
fn on_failure_every_item_and_result_is_dropped_once_before_fan_out_returns() {
    let live = AtomicUsize::new(0);
    let items: Vec<(usize, Live<'_>)> = (0..1_000).map(|i| (i, Live::new(&live))).collect();
    let result: Result<Vec<Live<'_>>, usize> = fan_out_limit(4, items, |(i, item), _| {
        drop(item);
        if i == 300 {
            Err(i)
        } else {
            Ok(Live::new(&live))
        }
    });
    assert_eq!(result.err(), Some(300));
    // Items never taken, taken but not started, and results made useless: all gone.
    assert_eq!(live.load(Ordering::SeqCst), 0);

    let results = fan_out_limit(4, 0..1_000, |_, _| -> Result<Live<'_>, ()> {
        Ok(Live::new(&live))
    });
    assert_eq!(live.load(Ordering::SeqCst), 1_000);
    drop(results);
    assert_eq!(live.load(Ordering::SeqCst), 0);
}

#[test]
fn fan_outs_nest() {
    let results: Result<Vec<Vec<usize>>, ()> = fan_out_limit(3, 0..4, |i, _| {
        fan_out_limit(2, 0..i, |j, _| Ok(i * 10 + j))
    });
    assert_eq!(
        results,
        Ok(vec![vec![], vec![10], vec![20, 21], vec![30, 31, 32]])
    );
}

#[test]
fn the_same_task_can_run_many_fan_outs() {
    // `task` is `Fn`, borrowed, not consumed: one closure reused.
    let task = |i: u32, _: &Cancel| -> Result<u32, ()> { Ok(i + 1) };
    for n in 0..50 {
        assert_eq!(fan_out(0..n, task), Ok((1..=n).collect()));
    }
}

/// A cancellation the caller owns (issue 26: decided to stay in the task closure; see
/// docs/fan_out.md): a flag flipped from another thread mid-run stops the fan-out, through
/// the first task that sees it and returns an error, and no further item starts.
#[test]
fn a_callers_flag_checked_in_the_closure_stops_the_fan_out() {
    #[derive(Debug, PartialEq)]
    struct Shutdown;

    let shutdown = AtomicBool::new(false);
    let started = AtomicUsize::new(0);
    let result = thread::scope(|s| {
        // The caller's side: flip the flag once 100 tasks have started.
        s.spawn(|| {
            wait_for_count(&started, 100);
            shutdown.store(true, Ordering::SeqCst);
        });
        fan_out_limit(2, 0..1_000_000u64, |i, cancel| {
            let n = started.fetch_add(1, Ordering::SeqCst);
            if n >= 100 {
                // Past the 100th, a task waits for the flag: no timing decides the test.
                wait_for("the caller's flag", || shutdown.load(Ordering::SeqCst));
            }
            if shutdown.load(Ordering::SeqCst) || cancel.is_cancelled() {
                return Err(Shutdown);
            }
            Ok(i)
        })
    });
    assert_eq!(result, Err(Shutdown));
    // The flag goes up once 100 tasks have started; from then on each of the two workers
    // starts at most one more task, which sees the flag (or the cancellation) and returns.
    let started = started.load(Ordering::SeqCst);
    assert!((100..=102).contains(&started), "{started} tasks started");
}
