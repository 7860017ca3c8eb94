//! The futures of `write_when_async` and `read_when_async` (see `mod.rs`).

use core::future::Future;
use core::panic::Location;

use crate::guarded::core::condition::tasks::Listening;
use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mode::Acquire;
use crate::guarded::lock::Guarded;
use crate::order::{self, LockSite};

/// Where a future was made: what a debug-build record of its lock names (its polls are
/// the executor's code, not the caller's).
type MadeAt = &'static Location<'static>;

impl<T, M: Acquire<T>> Guarded<T, M> {
    /// Awaits until `ready` returns true for the state, then returns the write guard that
    /// [`write_when`](Self::write_when) returns, without blocking a thread while it waits
    /// (feature `async`). Each poll takes the lock briefly, as `write_when` does, and checks
    /// `ready` under it; while pending, the future holds no lock: it is woken by the next
    /// release of a write guard (or a read_mostly publish), the same releases that wake
    /// threads, and checks again. Nobody calls `notify`.
    ///
    /// Dropping the pending future (a timeout, a `select!`) cancels the wait and leaves
    /// nothing behind. There is no `_for` form: wrap it in your runtime's timeout.
    ///
    /// The guard is `!Send`, like every lockwise guard: use it and drop it before the next
    /// `.await`. Debug builds panic if the polling thread holds a lockwise lock, as
    /// `write_when` does.
    ///
    /// ```
    /// use lockwise::{mode::Mutex, Guarded};
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     let mut future = std::pin::pin!(future);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
    /// # }
    ///
    /// let jobs: Guarded<Vec<u32>, Mutex> = Guarded::new(vec![]);
    /// std::thread::scope(|s| {
    ///     s.spawn(|| jobs.write().push(7)); // no notify
    ///     block_on(async {
    ///         let mut queue = jobs.write_when_async(|q| !q.is_empty()).await;
    ///         assert_eq!(queue.pop(), Some(7));
    ///     });
    /// });
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write_when_async<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
    ) -> impl Future<Output = WriteGuard<'_, T, M>> {
        self.write_when_async_at(ready, self.site())
    }

    /// Awaits until `ready` returns true for the state, then returns the read guard that
    /// [`read_when`](Self::read_when) returns, without blocking a thread while it waits
    /// (feature `async`); see [`write_when_async`](Self::write_when_async). In read_mostly
    /// mode a condition that already holds takes no lock at all.
    ///
    /// ```
    /// use lockwise::{mode::Rw, Guarded};
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     let mut future = std::pin::pin!(future);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
    /// # }
    ///
    /// let version: Guarded<u32, Rw> = Guarded::new(1);
    /// std::thread::scope(|s| {
    ///     s.spawn(|| *version.write() = 2);
    ///     block_on(async {
    ///         assert_eq!(*version.read_when_async(|v| *v >= 2).await, 2);
    ///     });
    /// });
    /// ```
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read_when_async<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
    ) -> impl Future<Output = ReadGuard<'_, T, M>> {
        self.read_when_async_at(ready, self.site())
    }
}

/// The same with an explicit [`LockSite`] (generated per-field code; see `lock_at.rs`).
#[doc(hidden)]
impl<T, M: Acquire<T>> Guarded<T, M> {
    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn write_when_async_at<F: FnMut(&T) -> bool>(
        &self,
        mut ready: F,
        site: LockSite,
    ) -> impl Future<Output = WriteGuard<'_, T, M>> {
        let site = self.given(site);
        let at = Location::caller();
        async move {
            loop {
                // The guard, or a registration to await: never both, and no lock held
                // across the `.await` (nor this thread's record of one).
                let listening = match self.try_write_when(&mut ready, site, at) {
                    Ok(guard) => return guard,
                    Err(listening) => listening,
                };
                listening.await;
            }
        }
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read_when_async_at<F: FnMut(&T) -> bool>(
        &self,
        mut ready: F,
        site: LockSite,
    ) -> impl Future<Output = ReadGuard<'_, T, M>> {
        let site = self.given(site);
        let at = Location::caller();
        async move {
            loop {
                let listening = match self.try_read_when(&mut ready, site, at) {
                    Ok(guard) => return guard,
                    Err(listening) => listening,
                };
                listening.await;
            }
        }
    }

    /// One poll's try of `write_when_async`: the checks and records of `write_when`, on the
    /// polling thread.
    fn try_write_when(
        &self,
        ready: &mut impl FnMut(&T) -> bool,
        site: LockSite,
        at: MadeAt,
    ) -> Result<WriteGuard<'_, T, M>, Listening<'_>> {
        let checked = order::check_alone(&site);
        // Recorded while the predicate runs, as for `write_when`.
        let held = order::hold_at(site, &self.order, at);
        let inner = M::write_when_or_listen(&self.lock, &self.waiters, checked, ready)?;
        // Counted once, when it completes: a condition wait is not lock contention.
        let (inner, sample) = self.counted_unwaited(&site, true, || inner);
        Ok(WriteGuard::new(inner, held.sampled(sample)))
    }

    /// One poll's try of `read_when_async` (see `try_write_when`).
    fn try_read_when(
        &self,
        ready: &mut impl FnMut(&T) -> bool,
        site: LockSite,
        at: MadeAt,
    ) -> Result<ReadGuard<'_, T, M>, Listening<'_>> {
        let checked = order::check_alone(&site);
        let held = order::hold_at(site, &self.order, at);
        let inner = M::read_when_or_listen(&self.lock, &self.waiters, checked, ready)?;
        let (inner, sample) = self.counted_unwaited(&site, false, || inner);
        // A read_mostly read holds nothing once the predicate has run.
        let held = if M::READ_CAN_BLOCK {
            held
        } else {
            // `Held` has a `Drop` in debug builds only (the record to remove).
            #[allow(clippy::drop_non_drop)]
            drop(held);
            order::Held::NONE
        };
        Ok(ReadGuard::new(inner, held.sampled(sample)))
    }
}
