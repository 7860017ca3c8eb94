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

/// Whether `$ty: $trait`, as a `const bool` (as in `tests/send_sync.rs`).
macro_rules! implements {
    ($ty:ty: $trait:path) => {{
        #[allow(dead_code)]
        trait Fallback {
            const IMPLEMENTS: bool = false;
        }
        struct Probe<T: ?Sized>(std::marker::PhantomData<T>);
        impl<T: ?Sized> Fallback for Probe<T> {}
        #[allow(dead_code)]
        impl<T: ?Sized + $trait> Probe<T> {
            const IMPLEMENTS: bool = true;
        }
        <Probe<$ty>>::IMPLEMENTS
    }};
}

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
// What `#[guarded]` is to generate for `read_arc`/`write_arc` and the serde impls, written
// out by hand for a generic whole-struct wrapper, so the shape is known to compile (with
// and without the `serde` feature).
// ---------------------------------------------------------------------------------------

mod generated_shape {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    #[derive(Debug, Default, Clone, PartialEq)]
    pub struct ShelfState<K: Ord> {
        pub items: BTreeMap<K, u32>,
    }

    // The state's own impls, as a user's `#[derive(Serialize, Deserialize)]` would give.
    ::lockwise::__private::if_serde! {
        use ::lockwise::__private::serde::{Deserialize, Deserializer, Serialize, Serializer};

        impl<K: Ord + Serialize> Serialize for ShelfState<K> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.items.serialize(s)
            }
        }

        impl<'de, K: Ord + Deserialize<'de>> Deserialize<'de> for ShelfState<K> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                BTreeMap::deserialize(d).map(|items| ShelfState { items })
            }
        }
    }

    pub struct Shelf<K: Ord> {
        use_new_read_or_write: ::lockwise::__private::guarded::Guarded<
            ShelfState<K>,
            ::lockwise::__private::guarded::Rw,
        >,
    }

    impl<K: Ord> Shelf<K> {
        pub const fn new(state: ShelfState<K>) -> Self {
            Self {
                use_new_read_or_write: ::lockwise::__private::guarded::Guarded::rw(state),
            }
        }
    }

    #[allow(dead_code, deprecated)]
    impl<K: Ord> Shelf<K> {
        #[inline]
        pub fn read_arc(
            self: &::std::sync::Arc<Self>,
        ) -> ::lockwise::__private::guarded::ArcReadGuard<
            ShelfState<K>,
            ::lockwise::__private::guarded::Rw,
        >
        where
            Self: 'static,
        {
            ::lockwise::__private::guarded::ArcReadGuard::read(
                ::std::sync::Arc::clone(self),
                |__lockwise_this: &Self| &__lockwise_this.use_new_read_or_write,
            )
        }

        #[inline]
        pub fn write_arc(
            self: &::std::sync::Arc<Self>,
        ) -> ::lockwise::__private::guarded::ArcWriteGuard<
            ShelfState<K>,
            ::lockwise::__private::guarded::Rw,
        >
        where
            Self: 'static,
        {
            ::lockwise::__private::guarded::ArcWriteGuard::write(
                ::std::sync::Arc::clone(self),
                |__lockwise_this: &Self| &__lockwise_this.use_new_read_or_write,
            )
        }
    }

    ::lockwise::__private::if_serde! {
        #[allow(deprecated)]
        impl<K: Ord> ::lockwise::__private::serde::Serialize for Shelf<K>
        where
            for<'__lw> ShelfState<K>: ::lockwise::__private::serde::Serialize,
        {
            fn serialize<__S>(
                &self,
                __serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: ::lockwise::__private::serde::Serializer,
            {
                ::lockwise::__private::serde::Serialize::serialize(
                    &self.use_new_read_or_write,
                    __serializer,
                )
            }
        }

        #[allow(deprecated)]
        impl<'__lockwise_de, K: Ord> ::lockwise::__private::serde::Deserialize<'__lockwise_de>
            for Shelf<K>
        where
            ShelfState<K>: ::lockwise::__private::serde::Deserialize<'__lockwise_de>,
        {
            fn deserialize<__D>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: ::lockwise::__private::serde::Deserializer<'__lockwise_de>,
            {
                <ShelfState<K> as ::lockwise::__private::serde::Deserialize<'__lockwise_de>>::deserialize(
                    __deserializer,
                )
                .map(Self::new)
            }
        }
    }

    #[test]
    fn the_generated_shape_works() {
        let shelf = Arc::new(Shelf::new(ShelfState::<String>::default()));
        shelf.write_arc().items.insert("a".into(), 1);
        let guard = shelf.read_arc();
        drop(shelf);
        assert_eq!(guard.items["a"], 1);
        ::lockwise::__private::if_serde! {
            fn serde_both_ways<T>()
            where
                T: ::lockwise::__private::serde::Serialize
                    + ::lockwise::__private::serde::de::DeserializeOwned,
            {
            }
            serde_both_ways::<Shelf<String>>();
        }
    }
}
