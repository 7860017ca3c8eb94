//! Without the `async` feature: the signatures of `write_when_async` and `read_when_async`
//! behind [`WhenAsyncNeedsTheAsyncFeature`], which no mode implements then, so a call is
//! one error naming the feature (see `mod.rs`). Nothing here can be called, so nothing here
//! ever waits.

use core::panic::Location;
use core::task::{Context, Poll};

use super::{ReadWhenAsync, Wait, WhenAsyncNeedsTheAsyncFeature, WriteWhenAsync};
use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mode::Acquire;
use crate::guarded::lock::Guarded;
use crate::order::LockSite;

/// The async condition waits, which need the `async` feature (off in this build).
impl<T, M: Acquire<T>> Guarded<T, M> {
    /// Needs lockwise's `async` feature: awaits a condition (see `write_when`).
    ///
    /// ```compile_fail
    /// let v: lockwise::Guarded<u8> = lockwise::Guarded::new(1);
    /// let _ = v.write_when_async(|v| *v > 0); // error: needs the "async" feature
    /// ```
    #[track_caller]
    pub fn write_when_async<F: FnMut(&T) -> bool>(&self, ready: F) -> WriteWhenAsync<'_, T, M, F>
    where
        M: WhenAsyncNeedsTheAsyncFeature,
    {
        self.write_when_async_at(ready, self.site())
    }

    /// Needs lockwise's `async` feature: awaits a condition (see `read_when`).
    ///
    /// ```compile_fail
    /// let v: lockwise::Guarded<u8> = lockwise::Guarded::new(1);
    /// let _ = v.read_when_async(|v| *v > 0); // error: needs the "async" feature
    /// ```
    #[track_caller]
    pub fn read_when_async<F: FnMut(&T) -> bool>(&self, ready: F) -> ReadWhenAsync<'_, T, M, F>
    where
        M: WhenAsyncNeedsTheAsyncFeature,
    {
        self.read_when_async_at(ready, self.site())
    }

    #[doc(hidden)]
    #[track_caller]
    pub fn write_when_async_at<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
        site: LockSite,
    ) -> WriteWhenAsync<'_, T, M, F>
    where
        M: WhenAsyncNeedsTheAsyncFeature,
    {
        WriteWhenAsync(Wait::new(self, ready, site, Location::caller()))
    }

    #[doc(hidden)]
    #[track_caller]
    pub fn read_when_async_at<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
        site: LockSite,
    ) -> ReadWhenAsync<'_, T, M, F>
    where
        M: WhenAsyncNeedsTheAsyncFeature,
    {
        ReadWhenAsync(Wait::new(self, ready, site, Location::caller()))
    }
}

impl<'a, T, M: Acquire<T>, F> Wait<'a, T, M, F> {
    pub(super) fn poll_write(&mut self, _: &mut Context<'_>) -> Poll<WriteGuard<'a, T, M>> {
        let _ = (self.guarded, &self.ready, self.site, self.at);
        Poll::Pending
    }

    pub(super) fn poll_read(&mut self, _: &mut Context<'_>) -> Poll<ReadGuard<'a, T, M>> {
        Poll::Pending
    }
}
