//! The guard API a parking_lot, arc-swap or dashmap user reaches for (issue 14), through
//! the facade and on `#[guarded]` types: mapped guards in every mode, owned guards that
//! leave their scope, and read_mostly's arc-swap surface (`load_full`, `store`, `replace`,
//! `update`) under concurrent writers.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use lockwise::{ArcReadGuard, ArcWriteGuard, Guarded, ReadGuard, WriteGuard, guarded, mode};

/// How long a test waits for a thread that should be quick (a hang fails instead).
const BOUND: Duration = Duration::from_secs(30);

#[guarded]
#[derive(Debug, Default, Clone)]
struct Inventory {
    items: BTreeMap<String, u32>,
    hits: u64,
}

#[guarded(rw)]
#[derive(Debug, Default, Clone)]
struct Catalog {
    items: BTreeMap<String, u32>,
    hits: u64,
}

#[guarded(read_mostly)]
#[derive(Debug, Default, Clone)]
struct Routes {
    items: BTreeMap<String, u32>,
    hits: u64,
}

/// Spins until `lock` counts a condition waiter, within a bound.
fn until_waiting<T, M: mode::Acquire<T>>(lock: &Guarded<T, M>) {
    let mut polls = 0;
    while lock.condition_waiters() == 0 {
        assert!(polls < 10_000_000, "the waiter never started waiting");
        polls += 1;
        thread::yield_now();
    }
}

// ---------------------------------------------------------------------------------------
// Mapped guards, on #[guarded] types (the wrapper derefs to its Guarded).
// ---------------------------------------------------------------------------------------

#[test]
fn mapped_guards_on_a_mutex_type() {
    let inv = Inventory::default();
    WriteGuard::map(inv.write(), |s| &mut s.items).insert("apple".into(), 3);
    let items = ReadGuard::map(inv.read(), |s| &s.items);
    assert_eq!(items["apple"], 3);
    assert!(
        inv.try_write().is_none(),
        "the mapped read guard holds the mutex"
    );
    drop(items);
    let missing = ReadGuard::try_map(inv.read(), |s| s.items.get("pear"));
    let original = missing.expect_err("there is no pear");
    assert_eq!(original.items.len(), 1); // the original guard, still held
    assert!(inv.try_write().is_none());
    drop(original);
    *WriteGuard::map(inv.write(), |s| &mut s.hits) += 1;
    assert_eq!(inv.read().hits, 1);
}

#[test]
fn mapped_guards_on_an_rw_type() {
    let cat = Catalog::default();
    *WriteGuard::map(cat.write(), |s| &mut s.hits) += 2;
    let hits = ReadGuard::map(cat.read(), |s| &s.hits);
    // Other readers still get in beside a mapped read guard; writers do not.
    thread::scope(|s| {
        s.spawn(|| assert_eq!(cat.read().hits, 2)).join().unwrap();
        s.spawn(|| assert!(cat.try_write().is_none()))
            .join()
            .unwrap();
    });
    assert_eq!(*hits, 2);
}

#[test]
fn mapped_guards_on_a_read_mostly_type() {
    let routes = Routes::default();
    let before = ReadGuard::map(routes.read(), |s| &s.items);
    let mut items = WriteGuard::map(routes.write(), |s| &mut s.items);
    items.insert("/health".into(), 200);
    assert!(
        routes.read().items.is_empty(),
        "published before the mapped guard dropped"
    );
    drop(items);
    assert_eq!(routes.read().items["/health"], 200);
    assert!(before.is_empty(), "a mapped snapshot keeps its version");
    let found = WriteGuard::try_map(routes.write(), |s| s.items.get_mut("/health"));
    let Ok(mut found) = found else {
        panic!("the route exists")
    };
    *found = 204;
    drop(found);
    assert_eq!(routes.read().items["/health"], 204);
}

// ---------------------------------------------------------------------------------------
// Owned guards.
// ---------------------------------------------------------------------------------------

/// A job that keeps its input locked for as long as it lives: no lifetime to thread through.
struct Job {
    input: ArcReadGuard<CatalogState, mode::Rw>,
}

#[test]
fn owned_guards_move_into_a_struct_a_closure_and_another_scope() {
    let catalog = Arc::new(Catalog::default());
    let mut w = ArcWriteGuard::write(Arc::clone(&catalog), |c: &Catalog| &**c);
    w.items.insert("a".into(), 1);
    let finish = move || {
        let mut w = w;
        w.hits += 1;
    };
    finish(); // the guard moved in and dropped there
    let job = {
        let catalog = Arc::clone(&catalog);
        Job {
            input: ArcReadGuard::read(catalog, |c: &Catalog| &**c),
        } // the scope that took it ends; the guard lives on
    };
    assert!(catalog.try_write().is_none());
    assert_eq!((job.input.items["a"], job.input.hits), (1, 1));
    drop(job);
    assert!(catalog.try_write().is_some());
}

#[test]
fn owned_guards_of_an_arc_guarded_in_every_mode() {
    fn check<M: mode::Erase<Vec<u8>>>() {
        let shared: Arc<Guarded<Vec<u8>, M>> = Arc::new(Guarded::new(vec![]));
        shared.write_arc().push(1);
        let guard = shared.read_arc();
        let weak = Arc::downgrade(&shared);
        drop(shared); // only the guard keeps it now
        assert_eq!(*guard, [1]);
        drop(guard);
        assert!(weak.upgrade().is_none());
    }
    check::<mode::Mutex>();
    check::<mode::Rw>();
    check::<mode::ReadMostly>();
}

// ---------------------------------------------------------------------------------------
// read_mostly's arc-swap surface.
// ---------------------------------------------------------------------------------------

#[test]
fn load_full_moves_into_a_thread() {
    let routes = Routes::default();
    routes.write().items.insert("/".into(), 1);
    let version = routes.load_full(); // Arc<RoutesState>: Send + 'static
    let clone = Arc::clone(&version);
    let worker = thread::spawn(move || clone.items["/"]);
    routes.store(RoutesState::default());
    assert_eq!(worker.join().unwrap(), 1);
    assert_eq!(version.items.len(), 1);
    assert!(routes.read().items.is_empty());
}

#[test]
fn update_returns_what_it_published() {
    let counter: Guarded<u64, mode::ReadMostly> = Guarded::new(1);
    let published = counter.update(|n| n * 10);
    assert_eq!(*published, 10);
    assert!(Arc::ptr_eq(&published, &counter.load_full()));
    let previous = counter.replace(20);
    assert_eq!((*previous, *counter.read()), (10, 20));
}

#[test]
fn store_replace_update_and_write_lose_no_update_under_concurrent_writers() {
    const ROUNDS: u64 = 200;
    let counter: Guarded<u64, mode::ReadMostly> = Guarded::new(0);
    let start = Barrier::new(3);
    thread::scope(|s| {
        s.spawn(|| {
            start.wait();
            for _ in 0..ROUNDS {
                counter.update(|n| n + 1);
            }
        });
        s.spawn(|| {
            start.wait();
            for _ in 0..ROUNDS {
                *counter.write() += 1;
            }
        });
        s.spawn(|| {
            start.wait();
            for _ in 0..ROUNDS {
                counter.with_write(|n| *n += 1);
            }
        });
    });
    assert_eq!(*counter.read(), 3 * ROUNDS);
    // store and replace queue behind a held write guard and go after it: neither the
    // write nor the replace is lost.
    let counter = &counter;
    thread::scope(|s| {
        let mut w = counter.write();
        let (tx, rx) = mpsc::channel();
        s.spawn(move || {
            let before = counter.replace(0);
            tx.send(*before).unwrap();
        });
        assert!(
            rx.recv_timeout(Duration::from_millis(20)).is_err(),
            "replace got past a writer"
        );
        *w += 1;
        drop(w);
        assert_eq!(
            rx.recv_timeout(BOUND),
            Ok(3 * ROUNDS + 1),
            "replace missed the write"
        );
    });
    assert_eq!(*counter.read(), 0);
}

#[test]
fn store_and_update_wake_a_write_when_waiter() {
    let routes = Routes::default();
    thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        let waiter = {
            let routes = &routes;
            s.spawn(move || {
                let g = routes.write_when(|r| r.hits >= 1);
                tx.send(g.hits).unwrap();
                drop(g);
                let g = routes.read_when(|r| r.hits >= 5);
                tx.send(g.hits).unwrap();
            })
        };
        until_waiting(&routes);
        routes.store(RoutesState {
            hits: 1,
            ..RoutesState::default()
        });
        assert_eq!(rx.recv_timeout(BOUND), Ok(1));
        until_waiting(&routes);
        routes.update(|r| RoutesState {
            hits: r.hits + 4,
            ..r.clone()
        });
        assert_eq!(rx.recv_timeout(BOUND), Ok(5));
        waiter.join().unwrap();
    });
}

// ---------------------------------------------------------------------------------------
// Every new guard stays on its thread.
// ---------------------------------------------------------------------------------------

#[macro_use]
#[path = "common/implements.rs"]
mod implements;

#[test]
fn mapped_and_owned_guards_are_never_send() {
    use lockwise::{MappedReadGuard, MappedWriteGuard};
    use mode::{Mutex, ReadMostly, Rw};

    assert!(!implements!(MappedReadGuard<'static, u64, Mutex>: Send));
    assert!(!implements!(MappedReadGuard<'static, u64, Rw>: Send));
    assert!(!implements!(MappedReadGuard<'static, u64, ReadMostly>: Send));
    assert!(!implements!(MappedWriteGuard<'static, u64, Mutex>: Send));
    assert!(!implements!(MappedWriteGuard<'static, u64, Rw>: Send));
    assert!(!implements!(MappedWriteGuard<'static, u64, ReadMostly>: Send));
    assert!(!implements!(ArcReadGuard<u64, Rw>: Send));
    assert!(!implements!(ArcWriteGuard<u64, Mutex>: Send));
    // parking_lot's mapped guards are shared like the guards they came from.
    assert!(implements!(MappedReadGuard<'static, u64, Rw>: Sync));
    assert!(implements!(MappedWriteGuard<'static, u64, Mutex>: Sync));
    // What `load_full` returns is what crosses threads.
    assert!(implements!(Arc<RoutesState>: Send));
}

// ---------------------------------------------------------------------------------------
// read_arc/write_arc generated on #[guarded] wrappers: `self: &Arc<Self>`, guards that own
// the Arc.
// ---------------------------------------------------------------------------------------

#[test]
fn generated_read_arc_and_write_arc_in_every_mode() {
    let inventory = Arc::new(Inventory::default());
    inventory.write_arc().hits += 1;
    let catalog = Arc::new(Catalog::default());
    catalog.write_arc().hits += 1;
    let routes = Arc::new(Routes::default());
    routes.write_arc().hits += 1; // published when it drops

    // Each read guard outlives the caller's Arc: it owns a clone.
    let (inventory_weak, catalog_weak) = (Arc::downgrade(&inventory), Arc::downgrade(&catalog));
    let (inventory_read, catalog_read, routes_read) =
        (inventory.read_arc(), catalog.read_arc(), routes.read_arc());
    assert!(
        inventory.try_write().is_none(),
        "the owned guard holds the lock"
    );
    drop((inventory, catalog, routes));
    assert_eq!(
        (inventory_read.hits, catalog_read.hits, routes_read.hits),
        (1, 1, 1)
    );
    assert!(
        inventory_weak.upgrade().is_some(),
        "kept alive by its guard"
    );
    drop((inventory_read, catalog_read));
    assert!(inventory_weak.upgrade().is_none() && catalog_weak.upgrade().is_none());
}

/// A generic wrapper gets them too (`Self: 'static` where the guards erase the owner).
#[guarded(rw)]
#[derive(Default)]
struct Shelf<K: Ord> {
    items: BTreeMap<K, u32>,
}

#[test]
fn generated_owned_guards_on_a_generic_wrapper() {
    let shelf = Arc::new(Shelf::<String>::default());
    shelf.write_arc().items.insert("a".into(), 1);
    let guard = shelf.read_arc();
    drop(shelf);
    assert_eq!(guard.items["a"], 1);
}
