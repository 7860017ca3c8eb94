//! Guards with the state's type erased to `dyn Any`, and the self-referential cells built on
//! them: the machinery under the mapped guards that parking_lot cannot map for us
//! (`mapped.rs` and the modes' files) and under the owned guards (`guarded/owned.rs`).
//!
//! A guard that must live next to what it borrows from (a mapped reference into the guard's
//! own copy, a lock guard next to the `Arc` that keeps the lock alive) is a self-referential
//! struct. `self_cell` builds one without `unsafe` in this crate, but its structs cannot be
//! generic (its issue #44). So the generic parts are erased first, at no cost: a parking_lot
//! guard is mapped to `dyn Any` (`MutexGuard::map(g, |t| t as &mut dyn Any)`: the same two
//! pointers, one of them now fat), a snapshot becomes an `Arc<dyn Any>`, a read_mostly copy
//! a `Box<dyn Any>`. Reading through one costs a `downcast_ref` (a type-id comparison);
//! building one costs `self_cell`'s allocation. Erasing needs the state to be `'static`.
//!
//! Why `self_cell`: no `unsafe` in this crate (its macro's `unsafe` is in an external
//! macro, so `#![forbid(unsafe_code)]` holds), no dependencies, no proc-macro, Miri-tested,
//! 0.2 s to compile. ouroboros would bring syn's "full" feature into every user's build;
//! yoke only carries types that implement its `unsafe trait Yokeable` (a lock guard cannot,
//! without `unsafe impl`); owning_ref is unsound.
//!
//! Every conversion keeps the guard's `Held` record as it is, so a mapped or owned guard
//! keeps the debug-build re-lock check and releases exactly like the guard it came from.
//! The price, measured (`benches/guard_api_instructions.rs`): an owned guard costs about
//! ten parking_lot `arc_lock`s (about half of it `malloc`/`free`); a plain `read()` or
//! `write()` pays nothing for any of this.
//!
//! The erased forms are the core's, named after what they hold, not after a mode: a fair
//! parking_lot mutex guard, a parking_lot rw guard, a snapshot's `Arc`, a staged copy that
//! a [`Republish`] target takes back. Each mode's file says which of them its guards become
//! ([`Erase`]); a mode whose guards are none of these adds a form here.

use core::any::Any;
use std::sync::Arc;

use parking_lot::{MappedMutexGuard, MappedRwLockReadGuard, MappedRwLockWriteGuard};
use self_cell::{MutBorrow, self_cell};

use crate::guarded::core::fair::{Fair, WriterLock};
use crate::guarded::core::mode::Acquire;
use crate::order::{Held, Sample};

/// A read guard of any mode, its state's type erased. Dropping it releases what the mode's
/// read guard releases, the same way.
pub enum AnyRead<'a> {
    #[doc(hidden)]
    Mutex(Fair<'a, MappedMutexGuard<'a, dyn Any>, false>),
    #[doc(hidden)]
    Rw(MappedRwLockReadGuard<'a, dyn Any>),
    #[doc(hidden)]
    Snapshot(Arc<dyn Any>),
}

impl AnyRead<'_> {
    #[inline]
    pub(crate) fn get(&self) -> &dyn Any {
        match self {
            Self::Mutex(guard) => &**guard,
            Self::Rw(guard) => &**guard,
            Self::Snapshot(version) => &**version,
        }
    }
}

/// A write guard of any mode, its state's type erased. Dropping it releases the lock through
/// `Waiters::release` (fair when a waiter starves, waking condition waiters), and in
/// read_mostly mode publishes the copy first: what the mode's write guard does.
pub enum AnyWrite<'a> {
    #[doc(hidden)]
    Mutex(Fair<'a, MappedMutexGuard<'a, dyn Any>, true>),
    #[doc(hidden)]
    Rw(Fair<'a, MappedRwLockWriteGuard<'a, dyn Any>, true>),
    #[doc(hidden)]
    Staged(AnyStaged<'a>),
}

impl AnyWrite<'_> {
    #[inline]
    pub(crate) fn get(&self) -> &dyn Any {
        match self {
            Self::Mutex(guard) => &**guard,
            Self::Rw(guard) => &**guard,
            Self::Staged(staged) => staged.get(),
        }
    }

    #[inline]
    pub(crate) fn get_mut(&mut self) -> &mut dyn Any {
        match self {
            Self::Mutex(guard) => &mut **guard,
            Self::Rw(guard) => &mut **guard,
            Self::Staged(staged) => staged.get_mut(),
        }
    }
}

/// A staged copy (read_mostly's `Staged`) with its type erased: the copy (boxed), the cell
/// to publish it to, and the writer lock. Dropping it hands the parts back to the cell,
/// which rebuilds its own guard and drops that, so the publish (or the discard after a
/// panic) and the release happen in one place, the mode's.
pub struct AnyStaged<'a> {
    /// `Some` until dropped or taken back apart.
    copy: Option<Box<dyn Any>>,
    cell: &'a dyn Republish,
    panicking_at_start: bool,
    writer: Option<WriterLock<'a>>,
}

/// A cell that can take an erased copy back: read_mostly's `RcuCell`.
pub(crate) trait Republish {
    /// Drops a staged guard rebuilt from the parts: publishes `copy` (unless a panic started
    /// while it was held), then releases `writer`.
    fn restage_and_drop<'a>(
        &'a self,
        copy: Box<dyn Any>,
        panicking_at_start: bool,
        writer: Option<WriterLock<'a>>,
    );
}

impl<'a> AnyStaged<'a> {
    /// A staged copy's parts, the copy erased.
    #[inline]
    pub(crate) fn new(
        copy: Box<dyn Any>,
        cell: &'a dyn Republish,
        panicking_at_start: bool,
        writer: Option<WriterLock<'a>>,
    ) -> Self {
        Self {
            copy: Some(copy),
            cell,
            panicking_at_start,
            writer,
        }
    }

    /// The parts again, to rebuild the staged copy (`try_map` giving the original back):
    /// the copy, the panic flag and the writer lock. Dropping what is left does nothing.
    pub(crate) fn into_parts(mut self) -> (Box<dyn Any>, bool, Option<WriterLock<'a>>) {
        (
            self.take_copy(),
            self.panicking_at_start,
            self.writer.take(),
        )
    }

    fn take_copy(&mut self) -> Box<dyn Any> {
        match self.copy.take() {
            Some(copy) => copy,
            None => unreachable!("the copy is taken only once"),
        }
    }

    #[inline]
    pub(crate) fn get(&self) -> &dyn Any {
        match &self.copy {
            Some(copy) => &**copy,
            None => unreachable!("the copy is taken only in drop"),
        }
    }

    #[inline]
    pub(crate) fn get_mut(&mut self) -> &mut dyn Any {
        match &mut self.copy {
            Some(copy) => &mut **copy,
            None => unreachable!("the copy is taken only in drop"),
        }
    }
}

impl Drop for AnyStaged<'_> {
    fn drop(&mut self) {
        if let Some(copy) = self.copy.take() {
            self.cell
                .restage_and_drop(copy, self.panicking_at_start, self.writer.take());
        }
    }
}

/// `value`, which this module erased from a `T`.
#[inline]
pub(crate) fn downcast_ref<T: 'static>(value: &dyn Any) -> &T {
    match value.downcast_ref() {
        Some(value) => value,
        None => unreachable!("erased guards are read as the type they were made from"),
    }
}

#[inline]
pub(crate) fn downcast_mut<T: 'static>(value: &mut dyn Any) -> &mut T {
    match value.downcast_mut() {
        Some(value) => value,
        None => unreachable!("erased guards are read as the type they were made from"),
    }
}

/// `value`, which a mode erased from a `T`.
pub(crate) fn downcast_box<T: 'static>(value: Box<dyn Any>) -> T {
    match value.downcast() {
        Ok(value) => *value,
        Err(_) => unreachable!("erased copies are taken back as the type they were made from"),
    }
}

/// Erasing a mode's guards to `dyn Any`. Implemented by every mode, in its own file; sealed
/// (through [`Acquire`]).
///
/// ```
/// use lockwise::mode::{Erase, Mutex};
///
/// fn ownable<T: 'static, M: Erase<T>>() {}
/// ownable::<Vec<u8>, Mutex>();
/// ```
pub trait Erase<T: 'static>: Acquire<T> {
    #[doc(hidden)]
    fn erase_read(inner: Self::ReadInner<'_, T>) -> AnyRead<'_>;
    #[doc(hidden)]
    fn erase_write(inner: Self::WriteInner<'_, T>) -> AnyWrite<'_>;
}

/// What a projection returns, erased (the dependents of the cells below).
type AnyRef<'q> = &'q dyn Any;
type AnyMut<'q> = &'q mut dyn Any;

self_cell!(
    /// A read guard and a reference into what it guards: a mapped read guard where
    /// parking_lot has none (mutex mode's read-only one, read_mostly's snapshot).
    pub(crate) struct ProjectedRead<'a> {
        owner: AnyRead<'a>,

        #[covariant]
        dependent: AnyRef,
    }
);

self_cell!(
    /// A staged copy (erased) and a mutable reference into it: read_mostly's mapped write
    /// guard.
    pub(crate) struct ProjectedWrite<'a> {
        owner: MutBorrow<AnyStaged<'a>>,

        #[covariant]
        dependent: AnyMut,
    }
);

/// An erased read guard with its record in this thread's list of held locks (the guard is
/// released first).
pub(crate) struct HeldRead<'a> {
    pub(crate) guard: AnyRead<'a>,
    pub(crate) _held: Held<'a>,
    /// The profile's sample of a shared hold, erased as the guard is.
    pub(crate) _sample: Sample,
}

/// An erased write guard with its record.
pub(crate) struct HeldWrite<'a> {
    pub(crate) guard: AnyWrite<'a>,
    pub(crate) _held: Held<'a>,
}

self_cell!(
    /// A read guard next to the `Arc` that keeps its lock alive (the owned guards).
    pub(crate) struct OwnedRead {
        owner: Arc<dyn Any>,

        #[covariant]
        dependent: HeldRead,
    }
);

self_cell!(
    /// A write guard next to the `Arc` that keeps its lock alive.
    pub(crate) struct OwnedWrite {
        owner: Arc<dyn Any>,

        #[covariant]
        dependent: HeldWrite,
    }
);

impl ProjectedWrite<'_> {
    /// The projected reference, for `DerefMut`.
    #[inline]
    pub(crate) fn get_mut(&mut self) -> &mut dyn Any {
        self.with_dependent_mut(|_, target| &mut **target)
    }
}

impl OwnedWrite {
    /// The erased state, for `DerefMut`.
    #[inline]
    pub(crate) fn get_mut(&mut self) -> &mut dyn Any {
        self.with_dependent_mut(|_, held| held.guard.get_mut())
    }
}
