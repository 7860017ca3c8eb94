//! The runtime on its own, without the macros: every mode of `Guarded<T, M>`, under
//! threads. Small enough to run under Miri (`cargo +nightly miri test -p lockwise-runtime
//! --lib --tests`), which checks the runtime and what it builds on (parking_lot, arc-swap)
//! for undefined behaviour and data races.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use lockwise_runtime::mode::{Acquire, Mutex, ReadMostly, Rw};
use lockwise_runtime::{Guarded, UpgradableReadGuard, WriteGuard};

const THREADS: usize = 3;
const ROUNDS: usize = if cfg!(miri) { 20 } else { 2_000 };

/// Every mode, the same code: writers on several threads, each read checks an invariant.
fn no_lost_update<M: Acquire<(usize, usize)>>(lock: Guarded<(usize, usize), M>)
where
    Guarded<(usize, usize), M>: Sync,
{
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..ROUNDS {
                    lock.with_write(|(a, b)| {
                        *a += 1;
                        *b += 1;
                    });
                    let (a, b) = *lock.read();
                    assert_eq!(a, b, "a reader saw half an update");
                }
            });
        }
    });
    assert_eq!(lock.into_inner(), (THREADS * ROUNDS, THREADS * ROUNDS));
}

#[test]
fn every_mode_loses_no_update() {
    no_lost_update::<Mutex>(Guarded::mutex((0, 0)));
    no_lost_update::<Rw>(Guarded::rw((0, 0)));
    no_lost_update::<ReadMostly>(Guarded::read_mostly((0, 0)));
}

#[test]
fn rw_upgrade_and_downgrade_keep_writers_out() {
    let lock = Guarded::rw(Vec::new());
    thread::scope(|s| {
        for t in 0..THREADS {
            let lock = &lock;
            s.spawn(move || {
                for _ in 0..ROUNDS / 10 + 1 {
                    let guard = lock.upgradable_read();
                    let len = guard.len();
                    let mut write = UpgradableReadGuard::upgrade(guard);
                    // Nobody got in between the read and the upgrade.
                    assert_eq!(write.len(), len);
                    write.push(t);
                    let read = WriteGuard::downgrade(write);
                    assert_eq!(read.len(), len + 1);
                }
            });
        }
    });
    assert_eq!(lock.read().len(), THREADS * (ROUNDS / 10 + 1));
}

/// Counts live values, to see every version of a read_mostly state dropped exactly once.
#[derive(Debug)]
struct Live(Arc<AtomicUsize>, usize);

impl Live {
    fn new(count: &Arc<AtomicUsize>, value: usize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Live(Arc::clone(count), value)
    }
}

impl Clone for Live {
    fn clone(&self) -> Self {
        Live::new(&self.0, self.1)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[test]
fn read_mostly_versions_are_reclaimed_while_snapshots_stay_valid() {
    let live = Arc::new(AtomicUsize::new(0));
    let lock: Guarded<Live, ReadMostly> = Guarded::new(Live::new(&live, 0));
    thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..ROUNDS {
                lock.write().1 += 1;
            }
        });
        s.spawn(|| {
            for _ in 0..ROUNDS {
                let snapshot = lock.read();
                let seen = snapshot.1;
                thread::yield_now();
                assert_eq!(snapshot.1, seen, "a snapshot changed under its reader");
            }
        });
    });
    assert_eq!(lock.read().1, ROUNDS);
    // Only the current version is alive once the readers are gone.
    assert_eq!(live.load(Ordering::SeqCst), 1);
    drop(lock);
    assert_eq!(live.load(Ordering::SeqCst), 0);
}

#[test]
fn read_mostly_get_mut_copies_once_and_into_inner_not_at_all() {
    let live = Arc::new(AtomicUsize::new(0));
    let mut lock: Guarded<Live, ReadMostly> = Guarded::new(Live::new(&live, 1));
    let mut copy = lock.get_mut();
    copy.1 = 2;
    assert_eq!(live.load(Ordering::SeqCst), 2, "get_mut works on a copy");
    drop(copy);
    assert_eq!(
        live.load(Ordering::SeqCst),
        1,
        "publishing dropped the old version"
    );
    assert_eq!(lock.read().1, 2);
    let value = lock.into_inner();
    assert_eq!((value.1, live.load(Ordering::SeqCst)), (2, 1));
}

#[test]
fn read_mostly_panicking_writer_discards_its_copy_and_frees_the_writer_lock() {
    let live = Arc::new(AtomicUsize::new(0));
    let lock: Guarded<Live, ReadMostly> = Guarded::new(Live::new(&live, 1));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut staged = lock.write();
        staged.1 = 99;
        panic!("writer fails");
    }));
    assert!(result.is_err());
    assert_eq!(lock.read().1, 1);
    assert_eq!(
        live.load(Ordering::SeqCst),
        1,
        "the discarded copy was dropped"
    );
    assert!(lock.try_write().is_some());
}

#[test]
fn mutex_and_rw_release_on_panic() {
    let mutex = Guarded::mutex(0);
    let rw = Guarded::rw(0);
    let _ = catch_unwind(AssertUnwindSafe(|| {
        mutex.with_write(|_| panic!("in a closure"))
    }));
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let _guard = rw.write();
        panic!("holding a guard");
    }));
    thread::scope(|s| {
        s.spawn(|| assert!(mutex.try_write().is_some() && rw.try_write().is_some()));
    });
}

#[test]
fn debug_and_default_and_from() {
    let lock: Guarded<Vec<u8>, Rw> = Guarded::default();
    assert_eq!(format!("{lock:?}"), "Guarded { data: [] }");
    let writer = lock.write();
    thread::scope(|s| {
        s.spawn(|| assert_eq!(format!("{lock:?}"), "Guarded { data: <locked> }"));
    });
    drop(writer);
    let lock: Guarded<u8, Mutex> = 5.into();
    assert_eq!(lock.snapshot(), 5);
}
