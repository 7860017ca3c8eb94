//! The profile's counting, through the runtime's own types. Each test names its locks after
//! itself: the registry is shared by every test of this binary.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::guarded::Guarded;
use crate::guarded::mode::{Mutex, ReadMostly, Rw};
use crate::once_init::{OnceField, OnceSite};
use crate::order::{LockSite, SiteLabel};
use crate::pooled::Pool;
use crate::profile::{Kind, Part, report};

/// Polls `done` until it holds, failing (instead of hanging) after a generous bound.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::yield_now();
    }
}

#[test]
fn counts_are_exact_on_one_thread() {
    let lock: Guarded<u64, Rw> = Guarded::rw(0).labeled(SiteLabel::new("tests::Exact"));
    for _ in 0..3 {
        let _ = *lock.read();
    }
    *lock.write() += 1;
    lock.with_write(|n| *n += 1);
    assert!(lock.try_read().is_some());
    assert!(lock.try_write().is_some());
    let _ = lock.try_read_for(Duration::from_secs(1)).is_some();
    let _ = lock.upgradable_read();
    let report = report();
    let row = report.row("Exact").expect("a row for the lock");
    assert_eq!((row.kind, row.locks), (Kind::Rw, 1));
    assert_eq!((row.counts.reads, row.counts.writes), (6, 3));
    assert_eq!(row.counts.contended, 0);
    assert_eq!(row.counts.waited, Duration::ZERO);
}

#[test]
fn one_hold_in_64_is_timed_from_acquisition_to_release() {
    use crate::profile::counters::HOLD_SAMPLE_EVERY;
    let lock: Guarded<u64, Mutex> = Guarded::mutex(0).labeled(SiteLabel::new("tests::Holds"));
    {
        // The first write of a lock is sampled: its hold includes this sleep.
        let _guard = lock.write();
        thread::sleep(Duration::from_millis(2));
    }
    // Reads are sampled on their own count: the 1st and the 65th of these 128.
    for _ in 0..2 * HOLD_SAMPLE_EVERY {
        let _ = *lock.read();
    }
    let report = report();
    let row = report.row("Holds").expect("a row for the lock");
    assert_eq!((row.counts.reads, row.counts.writes), (128, 1));
    assert_eq!(row.counts.hold_samples, 3);
    assert!(
        row.counts.held >= Duration::from_millis(2),
        "{:?}",
        row.counts
    );
    assert!(row.counts.mean_hold().is_some());
}

#[test]
fn acquisitions_that_could_not_proceed_at_once_are_contended_and_timed() {
    let lock: Guarded<u64, Mutex> = Guarded::mutex(0).labeled(SiteLabel::new("tests::Busy"));
    thread::scope(|s| {
        let (taken_tx, taken) = mpsc::channel();
        let (release, release_rx) = mpsc::channel::<()>();
        let lock = &lock;
        s.spawn(move || {
            let _held = lock.write();
            taken_tx.send(()).unwrap();
            let _ = release_rx.recv();
        });
        taken.recv().unwrap();
        assert!(lock.try_read().is_none());
        assert!(lock.try_write_for(Duration::from_millis(5)).is_none());
        release.send(()).unwrap();
    });
    let row = report().row("Busy").cloned().expect("a row");
    assert_eq!(row.counts.writes, 1, "the holder's write");
    assert_eq!(row.counts.contended, 2);
    assert!(row.counts.waited >= Duration::from_millis(5));
    assert!(row.counts.max_wait >= Duration::from_millis(5));
}

#[test]
fn field_and_shard_locks_are_sites_of_their_own() {
    struct Server;
    let server = Server;
    let config: Guarded<u8, Rw> = Guarded::rw(0);
    let shard: Guarded<u8, Mutex> = Guarded::mutex(0);
    let fields: &'static [&'static str] = &["config"];
    drop(config.read_at(LockSite::field(&server, "tests::Sites", fields, 0)));
    drop(shard.write_at(LockSite::shard(&server, "tests::Sites", 3)));
    let report = report();
    let field = report.row("Sites::config").expect("the field's row");
    assert_eq!(
        (field.part.clone(), field.counts.reads),
        (Part::Field("config"), 1)
    );
    // A shard's counts join its type's one row, which names the shard.
    let shards = report.row("Sites").expect("the sharded type's row");
    assert_eq!(
        (shards.part.clone(), shards.counts.writes),
        (Part::Whole, 1)
    );
    let spread = shards
        .shards
        .expect("a sharded row says how its shards compare");
    assert_eq!((spread.shards, spread.busiest), (1, 3));
}

#[test]
fn every_value_of_a_site_shares_one_row() {
    let values: Vec<Guarded<u8, ReadMostly>> = (0..3)
        .map(|_| Guarded::read_mostly(0).labeled(SiteLabel::new("tests::Many")))
        .collect();
    for value in &values {
        let _ = *value.read();
    }
    let row = report().row("Many").cloned().expect("one row");
    assert_eq!(
        (row.locks, row.counts.reads, row.kind),
        (3, 3, Kind::ReadMostly)
    );
}

#[test]
fn a_dropped_lock_keeps_its_counts_in_its_sites_row_and_nothing_else() {
    for _ in 0..1_000 {
        let lock: Guarded<u64, Mutex> =
            Guarded::mutex(0).labeled(SiteLabel::new("tests::ShortLived"));
        *lock.write() += 1;
        let _ = *lock.read();
    }
    let report = report();
    let row = report
        .row("ShortLived")
        .expect("a row for the dropped locks");
    assert_eq!(row.locks, 1_000);
    assert_eq!((row.counts.reads, row.counts.writes), (1_000, 1_000));
    // The registry keeps no entry per dropped lock: one retired total per site.
    assert_eq!(
        super::registry::live_lock_count(|key| key.path == "tests::ShortLived"),
        0
    );
}

#[test]
fn callers_that_wait_for_an_initializer_are_counted_with_their_wait() {
    static SITE: OnceSite = OnceSite::new("Warm", "settings");
    let field: OnceField<u32> = OnceField::new();
    let (started_tx, started) = mpsc::channel();
    let (finish, finish_rx) = mpsc::channel::<()>();
    thread::scope(|s| {
        let field = &field;
        s.spawn(move || {
            field.get_or_init(&SITE, || {
                started_tx.send(()).unwrap();
                finish_rx.recv().unwrap();
                7
            });
        });
        started.recv().unwrap();
        let waiter = s.spawn(|| *field.get_or_init(&SITE, || 0));
        eventually("the second caller to wait", || field.waiters() == 1);
        // Not an assertion on time: the waiter is known to wait through this sleep, so its
        // recorded wait is at least this long.
        thread::sleep(Duration::from_millis(2));
        finish.send(()).unwrap();
        assert_eq!(waiter.join().unwrap(), 7);
    });
    let row = report()
        .row("Warm::settings")
        .cloned()
        .expect("the field's row");
    assert_eq!(row.kind, Kind::Lazy);
    assert!(row.counts.contended >= 1);
    assert!(row.counts.waited >= Duration::from_millis(2));
    assert!(row.advice.is_some(), "waited over 1 ms: warm it up");
}

/// A pooled type of this test's own: the report names a pool by its type.
#[derive(Default)]
struct ProfiledBuffer(Vec<u8>);

impl crate::pooled::Reset for ProfiledBuffer {
    fn reset(&mut self) {
        self.0.clear();
    }
}

#[test]
fn pools_report_their_own_counters() {
    static POOL: Pool<ProfiledBuffer> = Pool::new();
    drop(POOL.get());
    drop(POOL.get());
    let report = report();
    let row = report.row("ProfiledBuffer").expect("the pool's row");
    let stats = row.pool.expect("pool counters");
    assert_eq!((row.kind, stats.hits, stats.misses), (Kind::Pool, 1, 1));
}

#[test]
fn the_table_and_the_json_show_every_row() {
    let lock: Guarded<u8, Mutex> = Guarded::mutex(0).labeled(SiteLabel::new("tests::Shown"));
    drop(lock.read());
    let report = report();
    let table = report.to_string();
    assert!(table.starts_with("site"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("Shown ") && l.contains("mutex"))
    );
    let json = report.to_json();
    assert!(
        json.starts_with("{\"rows\":[") && json.ends_with("]}"),
        "{json}"
    );
    assert!(
        json.contains("\"site\":\"Shown\",\"path\":\"tests::Shown\""),
        "{json}"
    );
}

#[test]
fn a_condition_wait_is_counted_apart_from_lock_contention() {
    let lock: Guarded<u64, Mutex> = Guarded::mutex(0).labeled(SiteLabel::new("tests::Ready"));
    // Ready at once: an acquisition, no condition wait.
    drop(lock.write_when(|n| *n == 0));
    thread::scope(|s| {
        let lock = &lock;
        let waiter = s.spawn(move || *lock.write_when(|n| *n == 1));
        eventually("the waiter to sleep on its condition", || {
            lock.condition_waiters() == 1
        });
        // Not an assertion on time: the waiter waits through this sleep.
        thread::sleep(Duration::from_millis(2));
        *lock.write() = 1;
        assert_eq!(waiter.join().unwrap(), 1);
    });
    // A deadline that passes: a condition wait too, not an acquisition.
    assert!(
        lock.read_when_for(|n| *n == 2, Duration::from_millis(1))
            .is_none()
    );
    let row = report().row("Ready").cloned().expect("a row");
    assert_eq!(row.counts.condition_waits, 2, "{:?}", row.counts);
    assert!(row.counts.condition_waited >= Duration::from_millis(3));
    assert_eq!((row.counts.writes, row.counts.reads), (3, 0));
    assert_eq!(row.counts.contended, 0, "no wait for the lock itself");
    assert_eq!(row.counts.waited, Duration::ZERO);
}

/// An exclusive hold's sample rides in its lock's word (`guarded/core/waiters.rs`): every
/// way of ending the hold must end the sample too, with the lock's time, and leave the word
/// as it found it (a mark left behind would send every later release down the slow path and
/// time a hold that is not the sampled one).
#[test]
fn an_exclusive_hold_sample_ends_however_the_hold_ends() {
    use crate::guarded::{MappedWriteGuard, WriteGuard};

    fn sampled_once(path: &'static str, release: impl FnOnce(&Guarded<u64, Rw>)) {
        let lock: Guarded<u64, Rw> = Guarded::rw(0).labeled(SiteLabel::new(path));
        // The first write of a lock is the sampled one.
        release(&lock);
        assert_eq!(lock.waiters.load(), 0, "{path}: the mark is gone");
        let short = path.rsplit("::").next().unwrap();
        let row = report().row(short).cloned().expect("a row");
        assert_eq!(row.counts.hold_samples, 1, "{path}: {:?}", row.counts);
        assert!(row.counts.held >= Duration::from_millis(1), "{path}");
        // The next writes are not sampled, and release on the fast path.
        for _ in 0..3 {
            *lock.write() += 1;
            assert_eq!(lock.waiters.load(), 0);
        }
    }
    sampled_once("tests::SampledDrop", |lock| {
        let mut guard = lock.write();
        assert_ne!(lock.waiters.load(), 0, "a sampled hold is marked");
        thread::sleep(Duration::from_millis(1));
        *guard += 1;
    });
    sampled_once("tests::SampledDowngrade", |lock| {
        let guard = lock.write();
        thread::sleep(Duration::from_millis(1));
        let read = WriteGuard::downgrade(guard);
        assert_eq!(
            lock.waiters.load(),
            0,
            "the exclusive hold ended at the downgrade"
        );
        drop(read);
    });
    sampled_once("tests::SampledMapped", |lock| {
        let mut part = WriteGuard::map(lock.write(), |n| n);
        thread::sleep(Duration::from_millis(1));
        *part += 1;
        drop::<MappedWriteGuard<'_, u64, Rw>>(part);
    });
    sampled_once("tests::SampledWaitUntil", |lock| {
        thread::scope(|s| {
            let mut guard = lock.write();
            thread::sleep(Duration::from_millis(1));
            // The wait releases the lock: the sample ends there, and the writer below
            // (not sampled: the lock's second write) finds no mark.
            s.spawn(|| {
                eventually("the waiter to sleep", || lock.condition_waiters() == 1);
                *lock.write() = 7;
            });
            assert!(WriteGuard::wait_until(
                &mut guard,
                |n| *n == 7,
                Duration::from_secs(60)
            ));
        });
    });
}
