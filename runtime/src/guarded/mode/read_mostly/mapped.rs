//! How read_mostly's guards are erased and mapped: a snapshot becomes its `Arc<dyn Any>`;
//! a staged copy becomes an erased `AnyStaged` (the copy boxed), which the cell takes back
//! (`Republish`) to publish exactly as the `Staged` guard would. A mapped read is the
//! erased snapshot and the reference in a cell (`ProjectedReadGuard`); a mapped write is
//! the erased copy and the mutable reference in a cell ([`ProjectedWriteGuard`]): two
//! allocations. Targets must be `'static` and sized.

use core::any::Any;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

use self_cell::MutBorrow;

use super::ReadMostly;
use super::rcu::{RcuCell, Staged, StagedParts};
use crate::guarded::core::erased::{
    AnyRead, AnyStaged, AnyWrite, Erase, ProjectedWrite, Republish, downcast_box, downcast_mut,
    downcast_ref,
};
use crate::guarded::core::fair::WriterLock;
use crate::guarded::core::mapped::{
    MapRead, MapWrite, MappedRead, MappedWrite, ProjectedReadGuard,
};

impl<T: 'static> Republish for RcuCell<T> {
    fn restage_and_drop<'a>(
        &'a self,
        copy: Box<dyn Any>,
        panicking_at_start: bool,
        writer: Option<WriterLock<'a>>,
    ) {
        drop(Staged::from_parts(StagedParts {
            copy: downcast_box(copy),
            cell: self,
            panicking_at_start,
            writer,
        }));
    }
}

/// `staged` with its copy erased.
fn erase_staged<T: 'static>(staged: Staged<'_, T>) -> AnyStaged<'_> {
    let parts = staged.into_parts();
    AnyStaged::new(
        Box::new(parts.copy),
        parts.cell,
        parts.panicking_at_start,
        parts.writer,
    )
}

/// The `Staged` copy again (`try_map` giving the original back). `cell` is the cell it was
/// staged for.
fn unerase_staged<'a, T: 'static>(staged: AnyStaged<'a>, cell: &'a RcuCell<T>) -> Staged<'a, T> {
    let (copy, panicking_at_start, writer) = staged.into_parts();
    Staged::from_parts(StagedParts {
        copy: downcast_box(copy),
        cell,
        panicking_at_start,
        writer,
    })
}

impl<T: Clone + 'static> Erase<T> for ReadMostly {
    #[inline]
    fn erase_read(inner: Self::ReadInner<'_, T>) -> AnyRead<'_> {
        AnyRead::Snapshot(inner.into_arc())
    }

    #[inline]
    fn erase_write(inner: Self::WriteInner<'_, T>) -> AnyWrite<'_> {
        AnyWrite::Staged(erase_staged(inner))
    }
}

impl<U: 'static> MappedRead<U> for ReadMostly {
    type Inner<'a>
        = ProjectedReadGuard<'a, U>
    where
        U: 'a;
}

impl<T: Clone + 'static, U: 'static> MapRead<T, U> for ReadMostly {
    #[inline]
    fn map<'a>(inner: Self::ReadInner<'a, T>, f: impl FnOnce(&T) -> &U) -> ProjectedReadGuard<'a, U>
    where
        T: 'a,
        U: 'a,
    {
        ProjectedReadGuard::erase::<T, Self>(inner, f)
    }

    #[inline]
    fn try_map<'a>(
        inner: Self::ReadInner<'a, T>,
        f: impl FnMut(&T) -> Option<&U>,
    ) -> Result<ProjectedReadGuard<'a, U>, Self::ReadInner<'a, T>>
    where
        T: 'a,
        U: 'a,
    {
        ProjectedReadGuard::new::<T, Self>(inner, f)
    }
}

/// A read_mostly write guard's copy (erased) and the reference `f` found in it: the inside
/// of a read_mostly [`MappedWriteGuard`]. Dropping it publishes the whole copy.
pub struct ProjectedWriteGuard<'a, U> {
    cell: ProjectedWrite<'a>,
    _target: PhantomData<fn() -> U>,
}

impl<U: 'static> Deref for ProjectedWriteGuard<'_, U> {
    type Target = U;

    #[inline]
    fn deref(&self) -> &U {
        downcast_ref(&**self.cell.borrow_dependent())
    }
}

impl<U: 'static> DerefMut for ProjectedWriteGuard<'_, U> {
    #[inline]
    fn deref_mut(&mut self) -> &mut U {
        downcast_mut(self.cell.get_mut())
    }
}

impl<U: 'static> MappedWrite<U> for ReadMostly {
    type Inner<'a>
        = ProjectedWriteGuard<'a, U>
    where
        U: 'a;
}

impl<T: Clone + 'static, U: 'static> MapWrite<T, U> for ReadMostly {
    fn map<'a>(
        inner: Self::WriteInner<'a, T>,
        f: impl FnOnce(&mut T) -> &mut U,
    ) -> ProjectedWriteGuard<'a, U>
    where
        T: 'a,
        U: 'a,
    {
        match <Self as MapWrite<T, U>>::try_map(inner, |t| Some(f(t))) {
            Ok(mapped) => mapped,
            Err(_) => unreachable!("the projection always finds its part"),
        }
    }

    fn try_map<'a>(
        inner: Self::WriteInner<'a, T>,
        f: impl FnOnce(&mut T) -> Option<&mut U>,
    ) -> Result<ProjectedWriteGuard<'a, U>, Self::WriteInner<'a, T>>
    where
        T: 'a,
        U: 'a,
    {
        let cell = inner.cell();
        let owner = MutBorrow::new(erase_staged(inner));
        let projected = ProjectedWrite::try_new_or_recover(owner, |owner| {
            let copy = downcast_mut::<T>(owner.borrow_mut().get_mut());
            f(copy).map(|target| target as &mut dyn Any).ok_or(())
        });
        match projected {
            Ok(cell) => Ok(ProjectedWriteGuard {
                cell,
                _target: PhantomData,
            }),
            // The copy goes back, unchanged, with the writer lock still held.
            Err((owner, ())) => Err(unerase_staged(owner.into_inner(), cell)),
        }
    }
}
