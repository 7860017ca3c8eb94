//! `OnceField`'s async methods (the `async` feature): the initializer is a future, and a
//! caller that finds another caller's initializer running awaits it instead of blocking
//! its thread. Same field, same protocol, same policies: a field may be initialized by a
//! task and read by a thread, or the other way round (`protocol.rs`, "Tasks").
//!
//! Each method is an `async fn` whose first step is the synchronous fast path (the
//! value's acquire load), so awaiting a ready field is that load and a branch; everything
//! else is in a separate slow path, as for the synchronous methods, awaited through
//! [`cold`]: its poll is a call that is never inlined, so the fast path's poll saves no
//! registers for it (inlined, it cost the first poll of a ready field 10 instructions, 33
//! against tokio's `OnceCell::get_or_init` at 23; `benches/once_async_instructions.rs`).
//! Generated accessors do the same around these methods (see `cold`).
//!
//! **Cancellation-safe.** The future of the caller that runs the initializer owns the
//! attempt (`Attempt`): dropping it between polls (a timeout, a `select!` that took
//! another branch) ends the attempt, the field is empty again, and the waiters are woken,
//! one of which runs the next attempt. Only a panic of the initializer itself (while it is
//! created or polled) poisons the field, under [`Cache`].

use core::convert::Infallible;
use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::{Context, Poll};

use super::OnceField;
use crate::once_init::policy::{Cache, CloneForThrottledRetry, Policy, Retry, ThrottledRetry};
use crate::once_init::protocol::{Attempt, Entry, Turn};
use crate::once_init::site::OnceSite;

impl<T, E, P: Policy> OnceField<T, E, P> {
    /// Waits out running attempts, as [`Protocol::enter`](crate::once_init::protocol)
    /// does, awaiting each: then the value is ready, the error is kept, the gate answered,
    /// or this caller claimed the next attempt.
    async fn entry_async<R>(
        &self,
        site: &'static OnceSite,
        mut gate: impl FnMut() -> Option<R>,
    ) -> Entry<'_, R> {
        loop {
            match self.protocol.enter_async(site, &mut gate) {
                Turn::Now(entry) => return entry,
                Turn::Wait(listener) => {
                    self.protocol.wait_for_attempt_async(site, listener).await;
                }
            }
        }
    }
}

/// Awaits `future`, polling it through a call that is never inlined: the slow path of a
/// fast-path `async fn`, whose poll then stays as small as a synchronous fast path (see the
/// module docs). Pinned in the caller's own future, so no allocation and no `unsafe`.
/// Generated accessors call it too (`__private::once_init::cold`), around this module's
/// methods: inlined into the accessor's poll, their fast path and their own `cold` call
/// made a ready field cost 30 instructions under the default policy and 33 under `retry`
/// (27 and 22 through `cold`). Not public API.
///
/// ```
/// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
/// #     let mut future = std::pin::pin!(future);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
/// # }
/// use lockwise::__private::once_init::cold;
///
/// assert_eq!(block_on(cold(async { 7 })), 7);
/// ```
pub async fn cold<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    poll_fn(|cx| poll_cold(future.as_mut(), cx)).await
}

#[cold]
#[inline(never)]
fn poll_cold<F: Future>(future: Pin<&mut F>, cx: &mut Context<'_>) -> Poll<F::Output> {
    future.poll(cx)
}

/// Runs a claimed attempt's initializer: creates its future and polls it to the end, each
/// poll recorded (this thread is the runner; a panic ends the attempt as the policy says).
/// Dropped between polls, it leaves the attempt to its owner, who abandons it.
async fn run<F: Future>(
    attempt: &mut Attempt<'_>,
    site: &'static OnceSite,
    poison_on_panic: bool,
    init: impl FnOnce() -> F,
) -> F::Output {
    let polling = attempt.polling(site, poison_on_panic);
    let future = init();
    polling.done();
    let mut future = pin!(future);
    poll_fn(|cx| {
        let polling = attempt.polling(site, poison_on_panic);
        let poll = future.as_mut().poll(cx);
        polling.done();
        poll
    })
    .await
}

impl<T, P: Policy> OnceField<T, Infallible, P> {
    /// [`get_or_init`](OnceField::get_or_init) for an `async` initializer: the value,
    /// running `init()` to completion first if no caller has yet; if another caller (task
    /// or thread) is running the initializer, awaits it without blocking the thread.
    ///
    /// Cancellation-safe: if this future is dropped while it runs the initializer, the
    /// attempt is abandoned and the next caller (a waiting one first) starts it again.
    ///
    /// # Panics
    ///
    /// As `get_or_init`: if `init`'s future panics (the panic propagates; under [`Cache`]
    /// the field is poisoned), if the field is poisoned, and if the initializer awaits its
    /// own field (found while it is polled on this thread; awaiting it from another task
    /// is not detected and never ends).
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite};
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     let mut future = std::pin::pin!(future);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
    /// # }
    ///
    /// let greeting: OnceField<String> = OnceField::new();
    /// let site = const { &OnceSite::new("Greeter", "greeting") };
    /// block_on(async {
    ///     let value = greeting.get_or_init_async(site, || async { "hello".to_owned() }).await;
    ///     assert_eq!(value, "hello");
    /// });
    /// ```
    #[inline]
    pub async fn get_or_init_async<F: Future<Output = T>>(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> F,
    ) -> &T {
        match self.value.get() {
            Some(value) => value,
            None => cold(self.init_infallible_async(site, init)).await,
        }
    }

    async fn init_infallible_async<F: Future<Output = T>>(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> F,
    ) -> &T {
        match self.entry_async(site, || None::<Infallible>).await {
            Entry::Run(mut attempt) => {
                let value = run(&mut attempt, site, P::POISON_ON_PANIC, init).await;
                self.publish(value, attempt)
            }
            Entry::Ready => self.ready(),
            Entry::Failed => unreachable!("lockwise: an infallible once field failed"),
            Entry::Refused(never) => match never {},
        }
    }
}

impl<T, E> OnceField<T, E, Cache> {
    /// [`get_or_try_init`](OnceField::get_or_try_init) (the default policy) for an
    /// `async` initializer: the value, or the error kept for good. Waits, cancellation and
    /// panics as [`get_or_init_async`](OnceField::get_or_init_async).
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite};
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     let mut future = std::pin::pin!(future);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
    /// # }
    ///
    /// let limit: OnceField<u32, String> = OnceField::new();
    /// let site = const { &OnceSite::new("Quota", "limit") };
    /// block_on(async {
    ///     let first = limit.get_or_try_init_async(site, || async { Err("down".to_owned()) }).await;
    ///     assert_eq!(first, Err(&"down".to_owned()));
    ///     // The error is kept: `init` does not run again.
    ///     let second = limit.get_or_try_init_async(site, || async { Ok(10) }).await;
    ///     assert_eq!(second, first);
    /// });
    /// ```
    #[inline]
    pub async fn get_or_try_init_async<F: Future<Output = Result<T, E>>>(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> F,
    ) -> Result<&T, &E> {
        match self.value.get() {
            Some(value) => Ok(value),
            None => cold(self.init_cached_async(site, init)).await,
        }
    }

    async fn init_cached_async<F: Future<Output = Result<T, E>>>(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> F,
    ) -> Result<&T, &E> {
        if let Some(error) = self.kept.get() {
            return Err(error);
        }
        match self.entry_async(site, || None::<Infallible>).await {
            Entry::Run(mut attempt) => {
                let outcome = run(&mut attempt, site, true, init).await;
                self.settle_cached(outcome, attempt)
            }
            Entry::Ready => Ok(self.ready()),
            Entry::Failed => Err(self.cached_error()),
            Entry::Refused(never) => match never {},
        }
    }
}

impl<T, E> OnceField<T, E, Retry> {
    /// [`get_or_try_init`](OnceField::get_or_try_init) under [`Retry`] for an `async`
    /// initializer: an error goes to this caller only, and the next caller (a waiting one
    /// first) runs `init` again. Waits, cancellation and panics as
    /// [`get_or_init_async`](OnceField::get_or_init_async).
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite, policy::Retry};
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     let mut future = std::pin::pin!(future);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
    /// # }
    ///
    /// let conn: OnceField<u32, &str, Retry> = OnceField::new();
    /// let site = const { &OnceSite::new("Pool", "conn") };
    /// block_on(async {
    ///     assert_eq!(conn.get_or_try_init_async(site, || async { Err("busy") }).await, Err("busy"));
    ///     assert_eq!(conn.get_or_try_init_async(site, || async { Ok(7) }).await, Ok(&7));
    /// });
    /// ```
    #[inline]
    pub async fn get_or_try_init_async<F: Future<Output = Result<T, E>>>(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> F,
    ) -> Result<&T, E> {
        match self.value.get() {
            Some(value) => Ok(value),
            None => cold(self.init_retry_async(site, init)).await,
        }
    }

    async fn init_retry_async<F: Future<Output = Result<T, E>>>(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> F,
    ) -> Result<&T, E> {
        match self.entry_async(site, || None::<Infallible>).await {
            Entry::Run(mut attempt) => {
                let outcome = run(&mut attempt, site, false, init).await;
                self.settle_retry(outcome, attempt)
            }
            Entry::Ready => Ok(self.ready()),
            Entry::Failed => unreachable!("lockwise: `Retry` stores no error"),
            Entry::Refused(never) => match never {},
        }
    }
}

impl<T, E: CloneForThrottledRetry, const MIN_INTERVAL_MS: u64>
    OnceField<T, E, ThrottledRetry<MIN_INTERVAL_MS>>
{
    /// [`get_or_try_init`](OnceField::get_or_try_init) under [`ThrottledRetry`] for an
    /// `async` initializer: for `MIN_INTERVAL_MS` after a failed attempt, every caller
    /// (the ones that waited for it included) gets a clone of its error at once. Waits,
    /// cancellation and panics as [`get_or_init_async`](OnceField::get_or_init_async); an
    /// abandoned attempt is no failure, so it starts no interval.
    ///
    /// ```
    /// use lockwise::once_init::{OnceField, OnceSite, policy::ThrottledRetry};
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     let mut future = std::pin::pin!(future);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
    /// # }
    ///
    /// // At most one attempt an hour.
    /// let feed: OnceField<String, String, ThrottledRetry<3_600_000>> = OnceField::new();
    /// let site = const { &OnceSite::new("Reader", "feed") };
    /// block_on(async {
    ///     let failed = feed.get_or_try_init_async(site, || async { Err("timeout".to_owned()) });
    ///     assert_eq!(failed.await, Err("timeout".to_owned()));
    ///     // Within the interval: the same error, without running `init`.
    ///     let again = feed.get_or_try_init_async(site, || async { Ok("items".to_owned()) });
    ///     assert_eq!(again.await, Err("timeout".to_owned()));
    /// });
    /// ```
    #[inline]
    pub async fn get_or_try_init_async<F: Future<Output = Result<T, E>>>(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> F,
    ) -> Result<&T, E> {
        match self.value.get() {
            Some(value) => Ok(value),
            None => cold(self.init_throttled_async(site, init)).await,
        }
    }

    async fn init_throttled_async<F: Future<Output = Result<T, E>>>(
        &self,
        site: &'static OnceSite,
        init: impl FnOnce() -> F,
    ) -> Result<&T, E> {
        match self.entry_async(site, || self.recent_failure()).await {
            Entry::Run(mut attempt) => {
                let outcome = run(&mut attempt, site, false, init).await;
                self.settle_throttled(outcome, attempt)
            }
            Entry::Refused(recent) => Err(recent),
            Entry::Ready => Ok(self.ready()),
            Entry::Failed => unreachable!("lockwise: `ThrottledRetry` stores no error"),
        }
    }
}
