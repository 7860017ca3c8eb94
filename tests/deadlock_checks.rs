//! The debug-build deadlock checks have no blind spots: every acquisition that can wait is
//! checked whatever its name (the timed `_for` forms too, in every mode), and the check
//! keeps working while a thread's thread-locals are destroyed.
//!
//! A missing check shows up as a hang, so each case runs on its own thread and the test
//! waits for it with a generous bound: a case that does not finish fails the test instead
//! of hanging it. (No timing is asserted: the bound is only there to turn a hang into a
//! failure.)
#![cfg(debug_assertions)]

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use lockwise::guarded;

#[guarded]
#[derive(Default)]
struct Counter {
    hits: u64,
}

#[guarded(rw)]
#[derive(Default)]
struct Table {
    rows: Vec<u64>,
}

#[guarded(read_mostly)]
#[derive(Default, Clone)]
struct Routes {
    paths: Vec<&'static str>,
}

/// How long a re-lock through a timed form would sleep if it were not caught: far longer
/// than the bound the test waits, so a missing check fails the test.
const RELOCK_TIMEOUT: Duration = Duration::from_secs(600);
/// How long the test waits for a case that should panic at once.
const BOUND: Duration = Duration::from_secs(30);

/// Runs `case` on a thread of its own; returns its panic message, or fails if it returned
/// without panicking or did not finish within `BOUND` (a hang).
fn panic_within_bound(case: impl FnOnce() + Send + 'static) -> String {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let outcome = catch_unwind(AssertUnwindSafe(case)).map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "a panic without a message".to_owned())
        });
        let _ = tx.send(outcome);
    });
    match rx.recv_timeout(BOUND) {
        Ok(Err(message)) => message,
        Ok(Ok(())) => panic!("the re-lock was not refused"),
        Err(_) => panic!("the re-lock hung instead of panicking"),
    }
}

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

#[test]
fn timed_acquisitions_of_a_held_mutex_panic_at_once() {
    let counter = leak(Counter::default());
    let message = panic_within_bound(move || {
        let _held = counter.write();
        let _again = counter.try_write_for(RELOCK_TIMEOUT);
    });
    assert!(message.contains("already holds the lock"), "{message}");
    assert!(
        message.contains("`Counter` (deadlock_checks::Counter)"),
        "{message}"
    );
    // In mutex mode a read is exclusive too.
    panic_within_bound(move || {
        let _held = counter.read();
        let _again = counter.try_read_for(RELOCK_TIMEOUT);
    });
    // Everything was released while unwinding.
    assert!(counter.try_write().is_some());
}

#[test]
fn timed_acquisitions_of_a_held_rw_lock_panic_at_once() {
    let table = leak(Table::default());
    panic_within_bound(move || {
        let _held = table.read();
        let _again = table.try_write_for(RELOCK_TIMEOUT);
    });
    table.write().rows.push(1);
    panic_within_bound(move || {
        let _held = table.write();
        let _again = table.try_read_for(RELOCK_TIMEOUT);
    });
    // A recursive read can hang behind a queued writer: refused like the blocking form.
    panic_within_bound(move || {
        let _held = table.read();
        let _again = table.try_read_for(RELOCK_TIMEOUT);
    });
    panic_within_bound(move || {
        let _held = table.upgradable_read();
        let _again = table.try_write_for(RELOCK_TIMEOUT);
    });
    assert!(table.try_write().is_some());
}

#[test]
fn a_timed_write_of_a_held_read_mostly_writer_lock_panics_at_once() {
    let routes = leak(Routes::default());
    let message = panic_within_bound(move || {
        let _held = routes.write();
        let _again = routes.try_write_for(RELOCK_TIMEOUT);
    });
    assert!(message.contains("already holds the lock"), "{message}");
    // Reads wait for no one, so a read beside a write is no re-lock.
    let mut writer = routes.write();
    writer.paths.push("/");
    assert!(
        routes
            .try_read_for(RELOCK_TIMEOUT)
            .is_some_and(|r| r.paths.is_empty())
    );
    drop(writer);
}

/// A value whose destructor re-takes a lock, run as a thread-local's destructor. It reports
/// whether the second acquisition panicked (the check saw it) or succeeded; if the check
/// went blind it would hang, and the test's bound turns that into a failure.
struct RelockOnDrop {
    counter: &'static Counter,
    report: mpsc::Sender<bool>,
}

impl Drop for RelockOnDrop {
    fn drop(&mut self) {
        let counter = self.counter;
        let refused = catch_unwind(AssertUnwindSafe(|| {
            let _first = counter.write();
            let _second = counter.write();
        }))
        .is_err();
        let _ = self.report.send(refused);
    }
}

thread_local! {
    static RELOCK_AT_EXIT: RefCell<Option<RelockOnDrop>> = const { RefCell::new(None) };
}

#[test]
fn relocking_inside_a_thread_local_destructor_panics_instead_of_hanging() {
    let counter = leak(Counter::default());
    let (report, reported) = mpsc::channel();
    thread::spawn(move || {
        // The user's thread-local first, then the lock: thread-locals are destroyed in
        // reverse order, so any record of held locks would be destroyed before it.
        RELOCK_AT_EXIT.with(|slot| *slot.borrow_mut() = Some(RelockOnDrop { counter, report }));
        counter.write().hits += 1;
    });
    assert_eq!(
        reported.recv_timeout(BOUND),
        Ok(true),
        "the re-lock in a thread-local destructor must panic (true), not hang or pass"
    );
    assert_eq!(counter.read().hits, 1);
}

std::thread_local! {
    /// Where this thread's last panic was raised, as the panic hook saw it.
    static LAST_PANIC_AT: std::cell::Cell<Option<(&'static str, u32)>> =
        const { std::cell::Cell::new(None) };
}

/// Installs (once) a panic hook that records, per thread, where each panic was raised,
/// then hands over to the previous hook.
fn record_panic_locations() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(location) = info.location() {
                // `file()` borrows from the hook's argument; the file names of this crate's
                // sources live for the whole program.
                let file: &'static str = if location.file().ends_with("deadlock_checks.rs") {
                    file!()
                } else {
                    "elsewhere"
                };
                LAST_PANIC_AT.with(|at| at.set(Some((file, location.line()))));
            }
            previous(info);
        }));
    });
}

/// The last panic on this thread was raised in this file, between two lines of the test:
/// at the caller's call, not inside lockwise.
fn assert_panicked_between(before: u32, after: u32) {
    let (file, line) = LAST_PANIC_AT
        .with(|at| at.get())
        .expect("a panic was recorded");
    assert_eq!(file, file!(), "the panic points inside lockwise");
    assert!(before < line && line < after, "line {line}");
}

#[guarded]
#[derive(Default)]
struct Server {
    #[lock(mutex)]
    stats: u64,
}

/// The re-lock panic points at the caller's line, not at lockwise's internals: every
/// method on the way (`Guarded`'s through `Deref`, the generated accessors) is
/// `#[track_caller]` in debug builds.
#[test]
fn a_relock_panic_points_at_the_line_that_relocked() {
    record_panic_locations();
    let counter = Counter::default();
    let held = counter.write();
    let before = line!();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        drop(counter.try_write_for(RELOCK_TIMEOUT))
    }));
    let after = line!();
    assert!(outcome.is_err());
    assert_panicked_between(before, after);
    drop(held);

    let server = Server::default();
    let held = server.stats_mut();
    let before = line!();
    let outcome = catch_unwind(AssertUnwindSafe(|| server.with_stats(|s| *s)));
    let after = line!();
    assert!(outcome.is_err());
    assert_panicked_between(before, after);
    drop(held);
    assert_eq!(*server.stats(), 0);
}
