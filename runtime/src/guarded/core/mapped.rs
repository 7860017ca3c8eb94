//! Mapped guards, as parking_lot's: `ReadGuard::map(guard, |s| &s.items)` narrows a guard to
//! a part of the state and keeps the lock (or the snapshot) it came from.
//!
//! `map` and `try_map` are associated functions, never methods, so they cannot shadow a
//! method of the state (`guard.map(..)` is still the state's own `map`).
//!
//! This file is the mode-independent half: the guards, the traits a mode implements to map
//! (`MapRead`, `MapWrite`), and the erased read projection two modes share. Each mode's
//! file implements the traits. How each mode maps, and why:
//!
//! | mode | [`MappedReadGuard`] | [`MappedWriteGuard`] |
//! | --- | --- | --- |
//! | `Mutex` | the guard erased to `dyn Any` and the reference, in one allocation | parking_lot's `MappedMutexGuard` |
//! | `Rw` | parking_lot's `MappedRwLockReadGuard` | parking_lot's `MappedRwLockWriteGuard` |
//! | `ReadMostly` | the snapshot's `Arc` and the reference, in one allocation | the copy (boxed) and the reference, in one allocation (two in all) |
//!
//! parking_lot maps what it can lend mutably: a mutex guard maps only through `&mut T`, so
//! the read-only mutex guard, and read_mostly's snapshot and copy (which parking_lot does not
//! hold), are kept in a small self-referential cell instead (`erased.rs`, and
//! [`ProjectedReadGuard`] here; read_mostly's mapped write is its own). Those targets
//! must be `'static` and sized (map to `String`, not `str`); parking_lot's own mapped guards
//! take any `U: ?Sized`. The lock is released (and the copy published) exactly as the guard
//! mapped from would: a mapped write guard still releases fairly and wakes `*_when` waiters.
//!
//! A mapped guard keeps the debug-build record of the lock it holds, so re-locking while it
//! lives panics as with the original guard. Like every guard it is `!Send`; the ones kept in a
//! cell are also `!Sync` (their erased owner is a `dyn Any`), parking_lot's are `Sync` when
//! `U` is.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

use crate::guarded::core::erased::{AnyRead, Erase, ProjectedRead, downcast_ref};
use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mode::{Acquire, Mode};
use crate::order::Held;

/// A read guard narrowed to a part `U` of the state: what [`ReadGuard::map`] and
/// [`ReadGuard::try_map`] return. It holds what the read guard held (the lock, or in
/// read_mostly mode the snapshot) and releases it when it drops.
///
/// ```
/// use lockwise::{mode::Rw, Guarded, MappedReadGuard, ReadGuard};
///
/// struct Inventory { items: Vec<&'static str>, hits: u64 }
/// let inv: Guarded<Inventory, Rw> = Guarded::new(Inventory { items: vec!["a"], hits: 0 });
/// let items: MappedReadGuard<'_, Vec<&str>, Rw> = ReadGuard::map(inv.read(), |i| &i.items);
/// assert_eq!(*items, ["a"]);
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct MappedReadGuard<'a, U: ?Sized + 'a, M: MappedRead<U>> {
    inner: M::Inner<'a>,
    // After `inner`: the lock is released before the record of holding it is removed.
    _held: Held<'a>,
    _sample: M::ReadSample,
}

/// A write guard narrowed to a part `U` of the state: what [`WriteGuard::map`] and
/// [`WriteGuard::try_map`] return. Dropping it does what dropping the write guard does:
/// releases the lock (fairly when a waiter starves, waking `*_when` waiters), and in
/// read_mostly mode publishes the whole copy first.
///
/// ```
/// use lockwise::{mode::Mutex, Guarded, MappedWriteGuard, WriteGuard};
///
/// struct Inventory { items: Vec<&'static str>, hits: u64 }
/// let inv: Guarded<Inventory, Mutex> = Guarded::new(Inventory { items: vec![], hits: 0 });
/// let mut items: MappedWriteGuard<'_, Vec<&str>, Mutex> =
///     WriteGuard::map(inv.write(), |i| &mut i.items);
/// items.push("b");
/// drop(items);
/// assert_eq!(inv.read().items, ["b"]);
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct MappedWriteGuard<'a, U: ?Sized + 'a, M: MappedWrite<U>> {
    inner: M::Inner<'a>,
    _held: Held<'a>,
}

/// What a mode's [`MappedReadGuard`] to a `U` holds. Sealed (through [`Mode`]).
///
/// ```
/// use lockwise::mode::{MappedRead, Rw};
///
/// fn mappable<U: ?Sized, M: MappedRead<U>>() {}
/// mappable::<str, Rw>(); // parking_lot maps rw read guards to anything
/// ```
pub trait MappedRead<U: ?Sized>: Mode {
    /// The mapped guard's inside.
    #[doc(hidden)]
    type Inner<'a>: Deref<Target = U>
    where
        U: 'a;
}

/// What a mode's [`MappedWriteGuard`] to a `U` holds. Sealed (through [`Mode`]).
///
/// ```
/// use lockwise::mode::{MappedWrite, Mutex};
///
/// fn mappable<U: ?Sized, M: MappedWrite<U>>() {}
/// mappable::<str, Mutex>(); // parking_lot maps mutex guards to anything
/// ```
pub trait MappedWrite<U: ?Sized>: Mode {
    /// The mapped guard's inside.
    #[doc(hidden)]
    type Inner<'a>: DerefMut<Target = U>
    where
        U: 'a;
}

/// Mapping a read guard of a `T` to a `U`. Sealed.
///
/// ```
/// use lockwise::mode::{MapRead, Mutex, ReadMostly, Rw};
///
/// fn mappable<T, U: ?Sized, M: MapRead<T, U>>() {}
/// mappable::<(u8, String), String, Mutex>();
/// mappable::<(u8, String), String, ReadMostly>();
/// mappable::<(u8, String), str, Rw>();
/// ```
pub trait MapRead<T, U: ?Sized>: Acquire<T> + MappedRead<U> {
    #[doc(hidden)]
    fn map<'a>(
        inner: Self::ReadInner<'a, T>,
        f: impl FnOnce(&T) -> &U,
    ) -> <Self as MappedRead<U>>::Inner<'a>
    where
        T: 'a,
        U: 'a;

    #[doc(hidden)]
    fn try_map<'a>(
        inner: Self::ReadInner<'a, T>,
        f: impl FnMut(&T) -> Option<&U>,
    ) -> Result<<Self as MappedRead<U>>::Inner<'a>, Self::ReadInner<'a, T>>
    where
        T: 'a,
        U: 'a;
}

/// Mapping a write guard of a `T` to a `U`. Sealed.
///
/// ```
/// use lockwise::mode::{MapWrite, Mutex, ReadMostly, Rw};
///
/// fn mappable<T, U: ?Sized, M: MapWrite<T, U>>() {}
/// mappable::<(u8, String), str, Mutex>();
/// mappable::<(u8, String), str, Rw>();
/// mappable::<(u8, String), String, ReadMostly>();
/// ```
pub trait MapWrite<T, U: ?Sized>: Acquire<T> + MappedWrite<U> {
    #[doc(hidden)]
    fn map<'a>(
        inner: Self::WriteInner<'a, T>,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> <Self as MappedWrite<U>>::Inner<'a>
    where
        T: 'a,
        U: 'a;

    #[doc(hidden)]
    fn try_map<'a>(
        inner: Self::WriteInner<'a, T>,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<<Self as MappedWrite<U>>::Inner<'a>, Self::WriteInner<'a, T>>
    where
        T: 'a,
        U: 'a;
}

impl<'a, T: 'a, M: Mode> ReadGuard<'a, T, M> {
    /// Narrows the guard to a part of the state, keeping the lock (parking_lot's
    /// `RwLockReadGuard::map`). An associated function, `ReadGuard::map(guard, f)`, so that
    /// it never shadows a method of the state.
    ///
    /// In mutex and read_mostly modes `U` must be `'static` and sized (map to `String`, not
    /// `str`), and mapping costs one allocation; see [`MappedReadGuard`].
    ///
    /// ```
    /// use lockwise::{mode::Mutex, Guarded, ReadGuard};
    ///
    /// let pair: Guarded<(u8, String), Mutex> = Guarded::new((1, "one".into()));
    /// let name = ReadGuard::map(pair.read(), |p| &p.1);
    /// assert_eq!(name.len(), 3);
    /// assert!(pair.try_write().is_none()); // the mapped guard holds the lock
    /// ```
    #[inline]
    pub fn map<U: ?Sized + 'a, F>(this: Self, f: F) -> MappedReadGuard<'a, U, M>
    where
        M: MapRead<T, U>,
        F: FnOnce(&T) -> &U,
    {
        let (inner, held, sample) = this.into_parts();
        MappedReadGuard {
            inner: M::map(inner, f),
            _held: held,
            _sample: sample,
        }
    }

    /// Like [`map`](Self::map), if `f` finds the part: `Err(guard)` gives the original
    /// guard back, still held, when `f` returns `None`.
    ///
    /// `f` is `FnMut`, not parking_lot's `FnOnce`: in mutex and read_mostly modes it is
    /// called twice when it finds the part (a check, then the mapping kept in the guard),
    /// both times on the same state, so it must give the same answer for the same state.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::{mode::Rw, Guarded, ReadGuard};
    ///
    /// let users: Guarded<HashMap<u32, String>, Rw> =
    ///     Guarded::new(HashMap::from([(1, "ada".to_owned())]));
    /// let ada = ReadGuard::try_map(users.read(), |u| u.get(&1)).ok().unwrap();
    /// assert_eq!(*ada, "ada");
    /// drop(ada);
    /// let nobody = ReadGuard::try_map(users.read(), |u| u.get(&2)).unwrap_err();
    /// assert_eq!(nobody.len(), 1); // the original guard
    /// ```
    #[inline]
    pub fn try_map<U: ?Sized + 'a, F>(this: Self, f: F) -> Result<MappedReadGuard<'a, U, M>, Self>
    where
        M: MapRead<T, U>,
        F: FnMut(&T) -> Option<&U>,
    {
        let (inner, held, sample) = this.into_parts();
        match M::try_map(inner, f) {
            Ok(inner) => Ok(MappedReadGuard {
                inner,
                _held: held,
                _sample: sample,
            }),
            Err(inner) => Err(Self::new(inner, held, sample)),
        }
    }
}

impl<'a, T: 'a, M: Mode> WriteGuard<'a, T, M> {
    /// Narrows the guard to a part of the state, keeping the lock (parking_lot's
    /// `MutexGuard::map`). An associated function, `WriteGuard::map(guard, f)`, so that it
    /// never shadows a method of the state. Dropping the mapped guard releases the lock as
    /// the write guard would (in read_mostly mode: publishes the whole copy).
    ///
    /// In read_mostly mode `U` must be `'static` and sized; see [`MappedWriteGuard`].
    ///
    /// ```
    /// use lockwise::{mode::ReadMostly, Guarded, WriteGuard};
    ///
    /// let pair: Guarded<(u8, Vec<u8>), ReadMostly> = Guarded::new((1, vec![]));
    /// let mut list = WriteGuard::map(pair.write(), |p| &mut p.1);
    /// list.push(9);
    /// drop(list); // publishes (1, [9])
    /// assert_eq!(*pair.read(), (1, vec![9]));
    /// ```
    #[inline]
    pub fn map<U: ?Sized + 'a, F>(this: Self, f: F) -> MappedWriteGuard<'a, U, M>
    where
        M: MapWrite<T, U>,
        F: FnOnce(&mut T) -> &mut U,
    {
        let (inner, held) = this.into_parts();
        MappedWriteGuard {
            inner: M::map(inner, f),
            _held: held,
        }
    }

    /// Like [`map`](Self::map), if `f` finds the part: `Err(guard)` gives the original
    /// guard back, still held, when `f` returns `None`.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use lockwise::{mode::Mutex, Guarded, WriteGuard};
    ///
    /// let stock: Guarded<HashMap<&str, u32>, Mutex> = Guarded::new(HashMap::from([("a", 1)]));
    /// if let Ok(mut n) = WriteGuard::try_map(stock.write(), |s| s.get_mut("a")) {
    ///     *n += 1;
    /// }
    /// let mut guard = WriteGuard::try_map(stock.write(), |s| s.get_mut("b")).unwrap_err();
    /// guard.insert("b", 1); // the original guard, still held
    /// drop(guard);
    /// let stock = stock.read(); // one guard: mutex mode's read() is exclusive
    /// assert_eq!((stock["a"], stock["b"]), (2, 1));
    /// ```
    #[inline]
    pub fn try_map<U: ?Sized + 'a, F>(this: Self, f: F) -> Result<MappedWriteGuard<'a, U, M>, Self>
    where
        M: MapWrite<T, U>,
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let (inner, held) = this.into_parts();
        match M::try_map(inner, f) {
            Ok(inner) => Ok(MappedWriteGuard { inner, _held: held }),
            Err(inner) => Err(Self::new(inner, held)),
        }
    }
}

/// A read guard (erased) and the reference `f` found in it: the inside of a
/// [`MappedReadGuard`] where parking_lot cannot map (mutex mode's read-only guard,
/// read_mostly's snapshot).
pub struct ProjectedReadGuard<'a, U> {
    cell: ProjectedRead<'a>,
    _target: PhantomData<fn() -> U>,
}

impl<'a, U: 'static> ProjectedReadGuard<'a, U> {
    /// Erases `guard` and keeps what `f` finds in it, or gives `guard` back: a mode's
    /// `MapRead::try_map`.
    pub(crate) fn new<T: 'static, M: Erase<T>>(
        guard: M::ReadInner<'a, T>,
        mut f: impl FnMut(&T) -> Option<&U>,
    ) -> Result<Self, M::ReadInner<'a, T>> {
        // Checked on the guard as it is, so that a miss can hand it back unchanged: an
        // erased guard cannot be turned back into the mode's type.
        if f(&guard).is_none() {
            return Err(guard);
        }
        Ok(Self::erase::<T, M>(guard, move |t| match f(t) {
            Some(target) => target,
            None => panic!(
                "lockwise: the closure given to `ReadGuard::try_map` found the part, then did \
                 not find it in the same state; it must give the same answer each time"
            ),
        }))
    }

    /// Erases `guard` and keeps what `f` finds in it: a mode's `MapRead::map`.
    pub(crate) fn erase<T: 'static, M: Erase<T>>(
        guard: M::ReadInner<'a, T>,
        f: impl FnOnce(&T) -> &U,
    ) -> Self {
        let owner: AnyRead<'a> = M::erase_read(guard);
        Self {
            cell: ProjectedRead::new(owner, |owner| f(downcast_ref::<T>(owner.get()))),
            _target: PhantomData,
        }
    }
}

impl<U: 'static> Deref for ProjectedReadGuard<'_, U> {
    type Target = U;

    #[inline]
    fn deref(&self) -> &U {
        downcast_ref(*self.cell.borrow_dependent())
    }
}

impl<'a, U: ?Sized + 'a, M: MappedRead<U>> Deref for MappedReadGuard<'a, U, M> {
    type Target = U;

    #[inline]
    fn deref(&self) -> &U {
        &self.inner
    }
}

impl<'a, U: ?Sized + 'a, M: MappedWrite<U>> Deref for MappedWriteGuard<'a, U, M> {
    type Target = U;

    #[inline]
    fn deref(&self) -> &U {
        &self.inner
    }
}

impl<'a, U: ?Sized + 'a, M: MappedWrite<U>> DerefMut for MappedWriteGuard<'a, U, M> {
    #[inline]
    fn deref_mut(&mut self) -> &mut U {
        &mut self.inner
    }
}

impl<'a, U: ?Sized + fmt::Debug + 'a, M: MappedRead<U>> fmt::Debug for MappedReadGuard<'a, U, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        U::fmt(self, f)
    }
}

impl<'a, U: ?Sized + fmt::Display + 'a, M: MappedRead<U>> fmt::Display
    for MappedReadGuard<'a, U, M>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        U::fmt(self, f)
    }
}

impl<'a, U: ?Sized + fmt::Debug + 'a, M: MappedWrite<U>> fmt::Debug for MappedWriteGuard<'a, U, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        U::fmt(self, f)
    }
}

impl<'a, U: ?Sized + fmt::Display + 'a, M: MappedWrite<U>> fmt::Display
    for MappedWriteGuard<'a, U, M>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        U::fmt(self, f)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use crate::guarded::mode::{Acquire, MapRead, MapWrite, Mutex, ReadMostly, Rw};
    use crate::{Guarded, MappedWriteGuard, ReadGuard, WriteGuard};

    const BOUND: Duration = Duration::from_secs(30);

    #[derive(Clone, Debug, Default, PartialEq)]
    struct State {
        items: BTreeMap<u32, String>,
        hits: u64,
    }

    fn state() -> State {
        State {
            items: BTreeMap::from([(1, "one".to_owned())]),
            hits: 0,
        }
    }

    /// Reads through a mapped read guard, and through a found and a missed `try_map`.
    fn mapped_reads<M>()
    where
        M: MapRead<State, BTreeMap<u32, String>> + MapRead<State, String>,
    {
        let g: Guarded<State, M> = Guarded::new(state());
        let items = ReadGuard::map(g.read(), |s| &s.items);
        assert_eq!(items.len(), 1);
        drop(items);
        let one = ReadGuard::try_map(g.read(), |s| s.items.get(&1));
        assert_eq!(one.ok().as_deref().map(String::as_str), Some("one"));
        let back = ReadGuard::try_map(g.read(), |s| s.items.get(&2));
        let Err(original) = back else {
            panic!("nothing to find")
        };
        assert_eq!(original.hits, 0);
    }

    #[test]
    fn read_guards_map_in_every_mode() {
        mapped_reads::<Mutex>();
        mapped_reads::<Rw>();
        mapped_reads::<ReadMostly>();
    }

    /// Writes through a mapped write guard, and through a found and a missed `try_map`;
    /// the missed one hands back the guard with the changes made before it.
    fn mapped_writes<M>()
    where
        M: MapWrite<State, BTreeMap<u32, String>> + MapWrite<State, String>,
    {
        let g: Guarded<State, M> = Guarded::new(state());
        WriteGuard::map(g.write(), |s| &mut s.items).insert(2, "two".into());
        if let Ok(mut one) = WriteGuard::try_map(g.write(), |s| s.items.get_mut(&1)) {
            one.push('!');
        }
        let mut guard = g.write();
        guard.hits = 5;
        let mut guard = match WriteGuard::try_map(guard, |s| s.items.get_mut(&9)) {
            Ok(_) => panic!("there is no item 9"),
            Err(guard) => guard,
        };
        guard.hits += 1;
        drop(guard);
        let s = g.read();
        assert_eq!(
            (s.items[&1].as_str(), s.items[&2].as_str(), s.hits),
            ("one!", "two", 6)
        );
    }

    #[test]
    fn write_guards_map_in_every_mode() {
        mapped_writes::<Mutex>();
        mapped_writes::<Rw>();
        mapped_writes::<ReadMostly>();
    }

    #[test]
    fn mapped_guards_hold_the_lock_until_they_drop() {
        let m: Guarded<State, Mutex> = Guarded::new(state());
        let items = ReadGuard::map(m.read(), |s| &s.items);
        assert!(m.try_write().is_none());
        drop(items);
        assert!(m.try_write().is_some());

        let r: Guarded<State, Rw> = Guarded::new(state());
        let hits = WriteGuard::map(r.write(), |s| &mut s.hits);
        assert!(r.try_read().is_none());
        drop(hits);
        let items = ReadGuard::map(r.read(), |s| &s.items);
        assert!(r.try_write().is_none());
        drop(items);
        assert!(r.try_write().is_some());

        let rm: Guarded<State, ReadMostly> = Guarded::new(state());
        let hits = WriteGuard::map(rm.write(), |s| &mut s.hits);
        assert!(rm.try_write().is_none(), "the writer lock is held");
        drop(hits);
        assert!(rm.try_write().is_some());
    }

    #[test]
    fn a_read_mostly_mapped_write_publishes_the_whole_copy_on_drop() {
        let g: Guarded<State, ReadMostly> = Guarded::new(state());
        let snapshot = ReadGuard::map(g.read(), |s| &s.hits);
        let mut hits = WriteGuard::map(g.write(), |s| &mut s.hits);
        *hits = 3;
        assert_eq!(g.read().hits, 0, "published before the drop");
        drop(hits);
        assert_eq!(*g.read(), State { hits: 3, ..state() });
        assert_eq!(*snapshot, 0, "a mapped snapshot keeps its version");
    }

    #[test]
    fn a_read_mostly_mapped_write_discards_its_copy_on_panic() {
        let g: Guarded<State, ReadMostly> = Guarded::new(state());
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut hits = WriteGuard::map(g.write(), |s| &mut s.hits);
            *hits = 9;
            panic!("half-way");
        }));
        assert!(result.is_err());
        assert_eq!(g.read().hits, 0);
        assert!(g.try_write().is_some(), "the writer lock stayed held");
    }

    #[test]
    fn parking_lot_maps_to_unsized_parts() {
        let g: Guarded<String, Rw> = Guarded::new("abc".into());
        let text = ReadGuard::map(g.read(), String::as_str);
        assert_eq!(&*text, "abc");
        drop(text);
        let m: Guarded<String, Mutex> = Guarded::new("abc".into());
        let mut text: MappedWriteGuard<'_, str, Mutex> =
            WriteGuard::map(m.write(), String::as_mut_str);
        text.make_ascii_uppercase();
        drop(text);
        assert_eq!(*m.read(), "ABC");
    }

    /// A mapped write guard's drop wakes a thread waiting in `write_when`, as a write
    /// guard's does.
    fn mapped_write_wakes_waiters<M>()
    where
        M: MapWrite<State, u64> + Acquire<State>,
        Guarded<State, M>: Sync,
    {
        let g: Guarded<State, M> = Guarded::new(state());
        let g = &g;
        thread::scope(|s| {
            let (tx, rx) = mpsc::channel();
            s.spawn(move || tx.send(g.write_when(|s| s.hits == 1).hits).unwrap());
            let mut polls = 0;
            while g.condition_waiters() == 0 {
                assert!(polls < 1_000_000, "the waiter never started waiting");
                polls += 1;
                thread::yield_now();
            }
            *WriteGuard::map(g.write(), |s| &mut s.hits) = 1;
            assert_eq!(rx.recv_timeout(BOUND), Ok(1));
        });
    }

    #[test]
    fn mapped_write_guards_wake_condition_waiters_in_every_mode() {
        mapped_write_wakes_waiters::<Mutex>();
        mapped_write_wakes_waiters::<Rw>();
        mapped_write_wakes_waiters::<ReadMostly>();
    }

    #[test]
    #[should_panic(expected = "must give the same answer")]
    fn a_try_map_that_changes_its_mind_panics() {
        let g: Guarded<State, Mutex> = Guarded::new(state());
        let mut calls = 0;
        let _ = ReadGuard::try_map(g.read(), |s| {
            calls += 1;
            if calls == 1 { s.items.get(&1) } else { None }
        });
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "already holds the lock")]
    fn a_mapped_guard_keeps_the_debug_record() {
        let g: Guarded<State, Mutex> = Guarded::new(state());
        let _items = WriteGuard::map(g.write(), |s| &mut s.items);
        let _again = g.read();
    }
}
