//! read_mostly as a full arc-swap replacement: whole versions in and out of a
//! [`Guarded<T, ReadMostly>`], without copying the state.
//!
//! - [`load_full`](Guarded::load_full): the current version as an `Arc<T>` of its own, which
//!   is `Send` and `'static` (when `T` is) and can be cloned into other threads.
//!   `read()`'s snapshot borrows the `Guarded` and stays on its thread.
//! - [`store`](Guarded::store), [`replace`](Guarded::replace): publish a new version; the old
//!   one is dropped, or handed back, never copied.
//! - [`update`](Guarded::update): publish `f(&current)`, and return what was published.
//!
//! All three writes take the writer lock, as `write()` does: they queue behind a `write()`
//! guard (so neither loses the other's update), take part in bounded waiting, and wake the
//! threads waiting in `write_when`/`read_when` as a `write()` guard's publish does. Debug
//! builds check them for re-locking like every acquisition: `store` inside your own
//! `write()` would wait for itself, and panics instead.

use std::sync::Arc;

use crate::guarded::core::fair::{Fair, WriterLock};
use crate::guarded::lock::Guarded;
use crate::guarded::mode::ReadMostly;
use crate::order::Held;

impl<T> Guarded<T, ReadMostly> {
    /// The current version as an `Arc` of its own: a reference count, no copy, never waits
    /// (arc-swap's `load_full`). Unlike [`read()`](Guarded::read)'s snapshot it does not
    /// borrow the `Guarded`: it is `Send + 'static` when `T: Send + Sync + 'static`, can be
    /// cloned into threads, and keeps its version alive after the `Guarded` is gone.
    ///
    /// Prefer `read()` for a short look: it costs no reference count.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lockwise::{mode::ReadMostly, Guarded};
    ///
    /// let routes: Guarded<Vec<String>, ReadMostly> = Guarded::new(vec!["/".into()]);
    /// let version: Arc<Vec<String>> = routes.load_full();
    /// let worker = std::thread::spawn(move || version.len()); // moves into the thread
    /// routes.store(vec![]); // the worker keeps the version it was given
    /// assert_eq!(worker.join().unwrap(), 1);
    /// ```
    #[inline]
    pub fn load_full(&self) -> Arc<T> {
        self.lock.load_full()
    }

    /// Publishes `value` as the new version; the previous one is dropped once no snapshot
    /// holds it. Takes the writer lock, so it waits for a `write()` guard (or `update`) in
    /// progress and then replaces what that published: serialized, no update lost.
    /// Wakes `write_when`/`read_when` waiters, like any write.
    ///
    /// ```
    /// use lockwise::{mode::ReadMostly, Guarded};
    ///
    /// let level: Guarded<String, ReadMostly> = Guarded::new("info".into());
    /// level.store("debug".into());
    /// assert_eq!(*level.read(), "debug");
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn store(&self, value: T) {
        drop(self.replace(value));
    }

    /// Publishes `value` and returns the version it replaced: the previous state itself,
    /// not a copy (snapshots still reading it keep it alive too). Serialized with writers
    /// and waking waiters, as [`store`](Self::store).
    ///
    /// ```
    /// use lockwise::{mode::ReadMostly, Guarded};
    ///
    /// let config: Guarded<Vec<u8>, ReadMostly> = Guarded::new(vec![1]);
    /// let old = config.replace(vec![2]);
    /// assert_eq!((old.to_vec(), config.read().to_vec()), (vec![1], vec![2]));
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn replace(&self, value: T) -> Arc<T> {
        let new = Arc::new(value);
        let _writer = self.lock_writers();
        self.lock.swap(new)
    }

    /// Publishes `f(&current)` and returns **what it published** (an `Arc` of the new
    /// version). `f` runs once, under the writer lock, on the current version: no writer
    /// can publish between the read and the publish, so no update is lost, and `f` needs
    /// no retry loop.
    ///
    /// arc-swap's `rcu` differs on both counts: it returns the *previous* value, and it
    /// may call its closure several times (it retries when another writer got in first).
    /// For the previous value here, keep it from inside `f` or use
    /// [`replace`](Self::replace).
    ///
    /// Debug builds panic if `f` takes this lock's `write()` (it would wait for itself);
    /// reading inside `f` is fine.
    ///
    /// ```
    /// use lockwise::{mode::ReadMostly, Guarded};
    ///
    /// let hosts: Guarded<Vec<&str>, ReadMostly> = Guarded::new(vec!["a"]);
    /// let published = hosts.update(|h| {
    ///     let mut next = h.clone();
    ///     next.push("b");
    ///     next
    /// });
    /// assert_eq!(*published, ["a", "b"]); // what was published, not the old ["a"]
    /// assert_eq!(*hosts.read(), ["a", "b"]);
    /// ```
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn update(&self, f: impl FnOnce(&T) -> T) -> Arc<T> {
        let _writer = self.lock_writers();
        let new = Arc::new(f(&self.lock.load()));
        drop(self.lock.swap(Arc::clone(&new)));
        new
    }

    /// The writer lock, as `write()` takes it (the debug-build check, bounded waiting, a
    /// record while it is held), without staging a copy. Released fairly when dropped,
    /// after the caller's publish, waking condition waiters.
    #[cfg_attr(debug_assertions, track_caller)]
    fn lock_writers(&self) -> PublishLock<'_> {
        let site = self.site();
        let _checked = self.check(&site);
        // Counted by the profile as a write, like `write()`.
        let (writer, ()) = self.counted(
            &site,
            true,
            || self.lock.try_lock_writers(),
            || match self.lock.lock_writers(&self.waiters, None) {
                Some(writer) => writer,
                None => unreachable!("an acquisition without a deadline always succeeds"),
            },
        );
        PublishLock {
            _writer: Fair::new(writer, &self.waiters),
            _held: self.hold(site),
        }
    }
}

/// The writer lock held by `store`/`replace`/`update` while they publish.
struct PublishLock<'a> {
    // Released (waking waiters) before the record of holding it is removed.
    _writer: WriterLock<'a>,
    _held: Held<'a>,
}

#[cfg(all(test, not(loom)))]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use crate::{Guarded, mode::ReadMostly};

    const BOUND: Duration = Duration::from_secs(30);

    #[test]
    fn load_full_is_an_owned_version_that_outlives_later_publishes() {
        let v: Guarded<Vec<u32>, ReadMostly> = Guarded::new(vec![1]);
        let first = v.load_full();
        v.store(vec![2]);
        assert_eq!((first.to_vec(), v.read().clone()), (vec![1], vec![2]));
        drop(v);
        assert_eq!(*first, [1]); // the Arc owns its version
    }

    /// Counts its clones, to show that a write path copies nothing.
    struct Counted(u32);
    static CLONES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    impl Clone for Counted {
        fn clone(&self) -> Self {
            CLONES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Self(self.0)
        }
    }

    #[test]
    fn replace_hands_back_the_previous_version_itself_and_nothing_is_copied() {
        let v: Guarded<Counted, ReadMostly> = Guarded::new(Counted(1));
        let before = v.load_full();
        let old = v.replace(Counted(2));
        assert!(
            Arc::ptr_eq(&before, &old),
            "replace did not return the old version"
        );
        v.store(Counted(3));
        let published = v.update(|c| Counted(c.0 + 1));
        assert_eq!((old.0, published.0, v.read().0), (1, 4, 4));
        assert_eq!(CLONES.load(std::sync::atomic::Ordering::Relaxed), 0);
    }

    #[test]
    fn update_returns_what_it_published_and_runs_once() {
        let v: Guarded<u32, ReadMostly> = Guarded::new(1);
        let mut calls = 0;
        let published = v.update(|n| {
            calls += 1;
            n + 1
        });
        assert_eq!((*published, calls), (2, 1));
        assert!(Arc::ptr_eq(&published, &v.load_full()));
        assert_eq!(*v.read(), 2);
    }

    #[test]
    fn a_panicking_update_publishes_nothing_and_frees_the_lock() {
        let v: Guarded<u32, ReadMostly> = Guarded::new(1);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            v.update(|_| panic!("boom"));
        }));
        assert!(panicked.is_err());
        assert_eq!(*v.read(), 1);
        assert!(v.try_write().is_some(), "the writer lock stayed held");
    }

    #[test]
    fn store_waits_for_a_write_guard_and_loses_nothing() {
        let v: Guarded<Vec<u32>, ReadMostly> = Guarded::new(vec![]);
        let v = &v;
        thread::scope(|s| {
            let mut w = v.write();
            let (tx, rx) = mpsc::channel();
            s.spawn(move || {
                v.update(|xs| {
                    let mut next = xs.clone();
                    next.push(2);
                    next
                });
                tx.send(()).unwrap();
            });
            // The update cannot get in while the write guard holds the writer lock.
            assert!(rx.recv_timeout(Duration::from_millis(20)).is_err());
            w.push(1);
            drop(w);
            rx.recv_timeout(BOUND).expect("the update never ran");
        });
        assert_eq!(*v.read(), [1, 2]);
    }

    #[test]
    fn store_wakes_a_write_when_waiter() {
        let v: Guarded<u32, ReadMostly> = Guarded::new(0);
        let v = &v;
        thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            s.spawn(move || {
                let g = v.write_when(|n| *n == 7);
                tx.send(*g).unwrap();
            });
            let mut polls = 0;
            while v.condition_waiters() == 0 {
                assert!(polls < 1_000_000, "the waiter never started waiting");
                polls += 1;
                thread::yield_now();
            }
            v.store(7);
            assert_eq!(rx.recv_timeout(BOUND), Ok(7));
        });
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "already holds the lock")]
    fn store_inside_own_write_panics_in_debug_builds() {
        let v: Guarded<u32, ReadMostly> = Guarded::new(0);
        let _w = v.write();
        v.store(1);
    }
}
