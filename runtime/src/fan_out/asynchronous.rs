//! [`fan_out_async`] and [`fan_out_async_limit`] (the `async` feature): the rules of
//! [`fan_out`](super::fan_out) over futures, which run concurrently on the caller's task.
//!
//! How a call runs: the futures in flight are a `FuturesUnordered` (futures-util), each
//! tagged with its item's index. The call's future fills it up to the limit (calling the
//! task on the next items), awaits the next future to finish, stores its result at its
//! index, and fills again; the first `Err` to come out returns at once, and returning drops
//! the set, so every future still in flight is dropped at that moment (Rust's
//! cancellation), and the iterator with the items never taken.
//!
//! Why `FuturesUnordered` and not a loop over a `Vec` of futures: each future in it has
//! its own waker, so a wake-up polls the future that was woken, not all of them. With
//! every item in flight (`fan_out_async`), polling them all on every wake-up is quadratic
//! in the number of items; tokio's `JoinSet` and futures' `buffered` are built the same way
//! (`buffered` on this very type), so this is the structure the peers are measured with.
//! Spawning is never an option: no runtime is a dependency, and the futures may borrow.

use core::future::{Future, poll_fn};
use core::pin::Pin;

use futures_util::FutureExt;
use futures_util::stream::{FuturesUnordered, Stream};

/// Runs `task` on every item, all at once, on the caller's task, and returns the results
/// in input order, or the first error.
///
/// `fan_out_async(items, task)` is [`fan_out_async_limit`]`(usize::MAX, items, task)`;
/// see there for the rules. For CPU work or blocking calls use
/// [`fan_out`](crate::fan_out), which runs tasks on threads: here they share one.
///
/// ```
/// # // The facade re-exports this only with its own `async` feature, which a test of
/// # // this crate alone (`-p lockwise-runtime --features async`) does not turn on.
/// # extern crate lockwise_runtime as lockwise;
/// use lockwise::fan_out_async;
/// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
/// #     let mut future = std::pin::pin!(future);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
/// # }
///
/// async fn fetch(url: &str) -> Result<usize, String> {
///     url.strip_prefix("https://").map(str::len).ok_or(format!("{url}: not https"))
/// }
///
/// let urls = ["https://a.example", "https://bb.example"];
/// block_on(async {
///     let sizes = fan_out_async(urls, |url| async move { fetch(url).await }).await;
///     assert_eq!(sizes, Ok(vec![9, 10])); // input order
///     let failed = fan_out_async(["https://a.example", "ftp://b"], fetch).await;
///     assert_eq!(failed, Err("ftp://b: not https".to_owned()));
/// });
/// ```
pub async fn fan_out_async<I, F, Fut, R, E>(items: I, task: F) -> Result<Vec<R>, E>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = Result<R, E>>,
{
    fan_out_async_limit(usize::MAX, items, task).await
}

/// Runs `task` on every item with at most `limit` of its futures in flight at once, all
/// on the caller's task, and returns the results in input order, or the first error.
///
/// - **Order.** `Ok` holds one result per item, in the order of `items`, whichever
///   finished first.
/// - **First error wins.** The first future to return `Err` (first in time, not in input
///   order) is the answer. The futures still in flight are dropped at that moment, which
///   is how Rust cancels a future: each stops at the `.await` it was pending on. Items not
///   started are never started (`task` is not called on them, and the iterator is not
///   advanced again). The results already computed are dropped before this returns.
/// - **Limit.** `task` is called on the next item when a future finishes, so at most
///   `limit` futures exist at once (a `limit` of 0 counts as 1, as for
///   [`fan_out_limit`](crate::fan_out_limit)). Items are taken one at a time: a long
///   iterator is never collected.
/// - **One task, no spawning.** The futures are polled by this call's future, on
///   whichever executor polls it, so no runtime is needed, nothing has to be `'static`,
///   and `items`, `task` and the futures may borrow from the caller. The futures run
///   concurrently, not in parallel: use [`fan_out`](crate::fan_out) for CPU work. The
///   returned future is `Send` when the iterator, `task`, the futures and the results are.
/// - **Cancellation.** A task gets no `Cancel`: dropping its future is the cancellation,
///   and dropping this call's future drops every future in flight.
///
/// Tasks must not wait for each other: with a limit, the one waited for may never start.
///
/// ```
/// # // The facade re-exports this only with its own `async` feature, which a test of
/// # // this crate alone (`-p lockwise-runtime --features async`) does not turn on.
/// # extern crate lockwise_runtime as lockwise;
/// use lockwise::fan_out_async_limit;
/// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
/// #     let mut future = std::pin::pin!(future);
/// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
/// #     loop { if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) { return out } }
/// # }
///
/// let ports = vec!["80".to_owned(), "443".to_owned(), "8080".to_owned()];
/// let base = 10_000; // borrowed by every future: nothing is spawned
/// block_on(async {
///     // At most 2 in flight; the first bad input is the answer.
///     let parsed = fan_out_async_limit(2, &ports, |port| async move {
///         port.parse::<u32>().map(|port| port + base)
///     });
///     assert_eq!(parsed.await, Ok(vec![10_080, 10_443, 18_080]));
///
///     let failed = fan_out_async_limit(2, ["80", "http"], |s| async move { s.parse::<u16>() });
///     assert!(failed.await.is_err());
/// });
/// ```
pub async fn fan_out_async_limit<I, F, Fut, R, E>(
    limit: usize,
    items: I,
    mut task: F,
) -> Result<Vec<R>, E>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = Result<R, E>>,
{
    let limit = limit.max(1);
    let mut items = items.into_iter().enumerate();
    let mut in_flight = FuturesUnordered::new();
    // Grown as items start, not reserved from the iterator's size: an early error would
    // otherwise pay for a slot per item (10,000 items failing at the 100th: 2.8x the time
    // of futures' `buffered`, which reserves nothing).
    let mut results: Vec<Option<R>> = Vec::new();
    loop {
        while in_flight.len() < limit {
            let Some((index, item)) = items.next() else {
                break;
            };
            results.push(None);
            in_flight.push(task(item).map(move |outcome| (index, outcome)));
        }
        let mut in_flight = Pin::new(&mut in_flight);
        match poll_fn(|cx| in_flight.as_mut().poll_next(cx)).await {
            Some((index, Ok(result))) => results[index] = Some(result),
            // Returning drops the futures in flight, then the items never taken.
            Some((_, Err(error))) => return Err(error),
            None => break,
        }
    }
    // Every item taken has finished with `Ok`: each slot is filled. (`map` over the
    // `Vec`'s own iterator collects in place, in the same allocation.)
    Ok(results
        .into_iter()
        .map(|slot| slot.expect("every item taken finished with `Ok`"))
        .collect())
}
