//! The futures of `write_when_async` and `read_when_async` (see `mod.rs`): the methods that
//! make them, and how they poll.

use core::future::Future;
use core::panic::Location;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::{ReadWhenAsync, Wait, WriteWhenAsync};
use crate::guarded::core::condition::tasks::Listening;
use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mode::Acquire;
use crate::guarded::lock::Guarded;
use crate::guarded::profiled::ConditionClock;
use crate::order::{self, GuardSample, Held, LockSite};

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
    pub fn write_when_async<F: FnMut(&T) -> bool>(&self, ready: F) -> WriteWhenAsync<'_, T, M, F> {
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
    pub fn read_when_async<F: FnMut(&T) -> bool>(&self, ready: F) -> ReadWhenAsync<'_, T, M, F> {
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
        ready: F,
        site: LockSite,
    ) -> WriteWhenAsync<'_, T, M, F> {
        WriteWhenAsync(Wait::new(self, ready, self.given(site), Location::caller()))
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    pub fn read_when_async_at<F: FnMut(&T) -> bool>(
        &self,
        ready: F,
        site: LockSite,
    ) -> ReadWhenAsync<'_, T, M, F> {
        ReadWhenAsync(Wait::new(self, ready, self.given(site), Location::caller()))
    }
}

impl<'a, T, M: Acquire<T>, F: FnMut(&T) -> bool> Wait<'a, T, M, F> {
    /// `WriteWhenAsync`'s poll: the loop of `write_when`, where a wait is a `Pending`.
    pub(super) fn poll_write(&mut self, cx: &mut Context<'_>) -> Poll<WriteGuard<'a, T, M>> {
        let Self {
            guarded,
            ready,
            site,
            at,
            listening,
            clock,
        } = self;
        poll_until(listening, cx, || {
            let (checked, held) = start(guarded, site, at);
            let mut ready = |state: &T| clock.check(ready(state));
            let inner =
                M::write_when_or_listen(&guarded.lock, &guarded.waiters, checked, &mut ready)?;
            // Counted once, when it completes: the time since the predicate's first `false`
            // is a condition wait, as `write_when`'s, never lock contention.
            let (inner, ()) = counted(guarded, site, true, clock, inner);
            Ok(WriteGuard::new(inner, held))
        })
    }

    /// `ReadWhenAsync`'s poll (see `poll_write`).
    pub(super) fn poll_read(&mut self, cx: &mut Context<'_>) -> Poll<ReadGuard<'a, T, M>> {
        let Self {
            guarded,
            ready,
            site,
            at,
            listening,
            clock,
        } = self;
        poll_until(listening, cx, || {
            let (checked, held) = start(guarded, site, at);
            let mut ready = |state: &T| clock.check(ready(state));
            let inner =
                M::read_when_or_listen(&guarded.lock, &guarded.waiters, checked, &mut ready)?;
            let (inner, sample) = counted(guarded, site, false, clock, inner);
            let held = Guarded::<T, M>::kept_by_read(held);
            Ok(ReadGuard::new(inner, held, sample))
        })
    }
}

/// Counts a completed wait: an acquisition, and the time since the predicate first said
/// `false` (if it did, in any poll) as a condition wait. The clock is left reset.
fn counted<T, M: Acquire<T>, G, S: GuardSample>(
    guarded: &Guarded<T, M>,
    site: &LockSite,
    write: bool,
    clock: &mut ConditionClock,
    inner: G,
) -> (G, S) {
    match guarded.counted_condition(site, write, core::mem::take(clock), Some(inner)) {
        Some(counted) => counted,
        None => unreachable!("an acquired guard is counted as acquired"),
    }
}

/// The checks and record of a `*_when` call, on the polling thread: panics (debug builds) if
/// it holds a lockwise lock, and records this lock as held while the predicate runs.
fn start<'a, T, M: Acquire<T>>(
    guarded: &'a Guarded<T, M>,
    site: &LockSite,
    at: &'static Location<'static>,
) -> (order::Checked, Held<'a>) {
    let checked = order::check_alone(site);
    (checked, order::hold_at(*site, &guarded.order, at))
}

/// Awaits the registration, if any, then tries again; until a try returns the guard. A try
/// that registers is followed by a poll of its listener, which stores the waker (or finds
/// the listener notified already, and tries again).
fn poll_until<'a, G>(
    listening: &mut Option<Listening<'a>>,
    cx: &mut Context<'_>,
    mut try_now: impl FnMut() -> Result<G, Listening<'a>>,
) -> Poll<G> {
    loop {
        if let Some(registered) = listening {
            if Pin::new(registered).poll(cx).is_pending() {
                return Poll::Pending;
            }
            // Woken: uncounted before the next try, which counts it again if it must wait.
            *listening = None;
        }
        match try_now() {
            Ok(guard) => return Poll::Ready(guard),
            Err(registered) => *listening = Some(registered),
        }
    }
}
