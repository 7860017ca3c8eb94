//! `Send` and `Sync` follow the contents, positive and negative (a matrix like tokio's).
//! lockwise writes no `unsafe impl`: these are the auto traits of what it generates.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::AtomicU64;

use lockwise::{Guarded, ReadGuard, WriteGuard, guarded, mode};

#[macro_use]
#[path = "common/implements.rs"]
mod implements;

/// `(Send, Sync)` of a type.
macro_rules! traits {
    ($ty:ty) => {
        (implements!($ty: Send), implements!($ty: Sync))
    };
}

/// Not `Send`, but `Sync`: like a `MutexGuard`.
struct NotSend(std::marker::PhantomData<std::sync::MutexGuard<'static, ()>>);

// The probes look at types only; nothing constructs or reads these.
#[allow(dead_code)]
#[guarded]
struct MutexOf<T> {
    value: T,
}

#[allow(dead_code)]
#[guarded(rw)]
struct RwOf<T> {
    value: T,
}

#[allow(dead_code)]
#[guarded(read_mostly)]
#[derive(Clone)]
struct ReadMostlyOf<T: Clone> {
    value: T,
}

#[allow(dead_code)]
#[guarded]
struct Fields<L, U> {
    #[lock(mutex)]
    locked: L,
    #[unguarded]
    shared: U,
}

#[test]
fn the_probe_itself_works() {
    assert_eq!(traits!(u64), (true, true));
    assert_eq!(traits!(Rc<u64>), (false, false));
    assert_eq!(traits!(Cell<u64>), (true, false));
    assert_eq!(traits!(NotSend), (false, true));
}

#[test]
fn mutex_needs_send_only() {
    assert_eq!(traits!(MutexOf<u64>), (true, true));
    // A mutex hands `&T` to one thread at a time: a `Cell` inside is fine.
    assert_eq!(traits!(MutexOf<Cell<u64>>), (true, true));
    assert_eq!(traits!(MutexOf<Rc<u64>>), (false, false));
    assert_eq!(traits!(MutexOf<NotSend>), (false, false));
    assert_eq!(traits!(Guarded<Cell<u64>, mode::Mutex>), (true, true));
}

#[test]
fn rw_needs_send_and_sync_to_be_shared() {
    assert_eq!(traits!(RwOf<u64>), (true, true));
    // Readers share `&T` at once: a `Cell` would race.
    assert_eq!(traits!(RwOf<Cell<u64>>), (true, false));
    assert_eq!(traits!(RwOf<Rc<u64>>), (false, false));
    assert_eq!(traits!(RwOf<NotSend>), (false, false));
}

#[test]
fn read_mostly_needs_send_and_sync() {
    assert_eq!(traits!(ReadMostlyOf<u64>), (true, true));
    // Versions are shared between readers and dropped by whichever thread is last.
    assert_eq!(traits!(ReadMostlyOf<Cell<u64>>), (false, false));
    assert_eq!(traits!(ReadMostlyOf<Rc<u64>>), (false, false));
}

#[test]
fn per_field_locks_follow_each_field() {
    assert_eq!(traits!(Fields<u64, AtomicU64>), (true, true));
    // A locked `Cell` is fine (mutex); an unguarded one is shared bare.
    assert_eq!(traits!(Fields<Cell<u64>, AtomicU64>), (true, true));
    assert_eq!(traits!(Fields<u64, Cell<u64>>), (true, false));
    assert_eq!(traits!(Fields<Rc<u64>, AtomicU64>), (false, false));
}

#[test]
fn guards_stay_on_their_thread() {
    // A lock must be released by the thread that took it: guards are never `Send` (even
    // if a dependency turns on parking_lot's `send_guard`), so one cannot be held across an
    // `.await` in a `Send` future either. They are `Sync` when the state is: scoped threads
    // may share one guard's `&T`.
    assert_eq!(traits!(ReadGuard<'static, u64, mode::Mutex>), (false, true));
    assert_eq!(
        traits!(WriteGuard<'static, u64, mode::Mutex>),
        (false, true)
    );
    assert_eq!(traits!(ReadGuard<'static, u64, mode::Rw>), (false, true));
    assert_eq!(traits!(WriteGuard<'static, u64, mode::Rw>), (false, true));
    assert_eq!(
        traits!(WriteGuard<'static, u64, mode::ReadMostly>),
        (false, true)
    );
    assert!(!implements!(ReadGuard<'static, Cell<u64>, mode::Rw>: Sync));
}
