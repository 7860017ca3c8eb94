//! Without the `async` feature: the signatures of `write_when_async` and `read_when_async`
//! behind [`WhenAsyncNeedsTheAsyncFeature`], which no mode implements then, so a call is
//! one error naming the feature (see `mod.rs`). Nothing here can be called.

use core::future::Future;

use super::WhenAsyncNeedsTheAsyncFeature;
use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mode::Acquire;
use crate::guarded::lock::Guarded;
use crate::order::LockSite;

/// The async condition waits, which need the `async` feature (off in this build).
impl<T, M: Acquire<T> + WhenAsyncNeedsTheAsyncFeature> Guarded<T, M> {
    /// Needs lockwise's `async` feature: awaits a condition (see `write_when`).
    ///
    /// ```compile_fail
    /// let v: lockwise::Guarded<u8> = lockwise::Guarded::new(1);
    /// let _ = v.write_when_async(|v| *v > 0); // error: needs the "async" feature
    /// ```
    pub fn write_when_async<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
    ) -> impl Future<Output = WriteGuard<'_, T, M>> {
        self.write_when_async_at(ready, self.site())
    }

    /// Needs lockwise's `async` feature: awaits a condition (see `read_when`).
    ///
    /// ```compile_fail
    /// let v: lockwise::Guarded<u8> = lockwise::Guarded::new(1);
    /// let _ = v.read_when_async(|v| *v > 0); // error: needs the "async" feature
    /// ```
    pub fn read_when_async<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
    ) -> impl Future<Output = ReadGuard<'_, T, M>> {
        self.read_when_async_at(ready, self.site())
    }

    #[doc(hidden)]
    pub fn write_when_async_at<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
        site: LockSite,
    ) -> impl Future<Output = WriteGuard<'_, T, M>> {
        let _ = (ready, site);
        core::future::pending()
    }

    #[doc(hidden)]
    pub fn read_when_async_at<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
        site: LockSite,
    ) -> impl Future<Output = ReadGuard<'_, T, M>> {
        let _ = (ready, site);
        core::future::pending()
    }
}
