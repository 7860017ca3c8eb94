//! `fan_out_async` polled by hand: no runtime, so Miri runs these (`cargo +nightly miri
//! test -p lockwise-runtime --features async --lib fan_out::async_tests`). The same rules on
//! tokio and smol, with real timers and tasks, are the `tests-async` package's.

use core::future::{Future, pending, poll_fn};
use core::pin::pin;
use core::task::{Context, Poll, Waker};
use std::cell::Cell;

use super::{fan_out_async, fan_out_async_limit};

/// Polls `future` until it is ready. Every future here that is pending has already woken
/// itself (`yield_now`) or never will be ready (and is dropped by then), so a no-op
/// waker and a loop are an executor enough.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

async fn yields(times: usize) {
    for _ in 0..times {
        let mut yielded = false;
        poll_fn(|cx| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await;
    }
}

/// Counts the futures alive, and their high-water mark, on one thread.
#[derive(Default)]
struct Census {
    alive: Cell<usize>,
    most: Cell<usize>,
    made: Cell<usize>,
}

struct Alive<'a>(&'a Census);

impl Census {
    fn enter(&self) -> Alive<'_> {
        self.made.set(self.made.get() + 1);
        self.alive.set(self.alive.get() + 1);
        self.most.set(self.most.get().max(self.alive.get()));
        Alive(self)
    }
}

impl Drop for Alive<'_> {
    fn drop(&mut self) {
        self.0.alive.set(self.0.alive.get() - 1);
    }
}

#[test]
fn results_come_in_input_order_whichever_finishes_first() {
    let out = block_on(fan_out_async(0..8, |i| async move {
        yields(8 - i).await;
        Ok::<_, ()>(i * 10)
    }));
    assert_eq!(out, Ok(vec![0, 10, 20, 30, 40, 50, 60, 70]));
    let empty = block_on(fan_out_async_limit(2, Vec::<u8>::new(), |i| async move {
        Ok::<_, ()>(i)
    }));
    assert_eq!(empty, Ok(vec![]));
}

#[test]
fn the_first_error_in_time_drops_the_rest_and_starts_no_more() {
    let census = Census::default();
    let out = block_on(fan_out_async_limit(3, 0..10, |i| {
        let alive = census.enter();
        async move {
            let _alive = alive;
            match i {
                0 => {
                    yields(5).await;
                    Err(format!("late {i}"))
                }
                2 => {
                    yields(1).await;
                    Err(format!("early {i}"))
                }
                _ => pending().await,
            }
        }
    }));
    assert_eq!(out, Err::<Vec<()>, _>("early 2".to_owned()));
    assert_eq!(
        census.made.get(),
        3,
        "no item after the first three started"
    );
    assert_eq!(census.alive.get(), 0, "the futures in flight were dropped");
}

#[test]
fn at_most_limit_futures_exist_at_once() {
    for (limit, most) in [(0, 1), (1, 1), (4, 4), (100, 12)] {
        let census = Census::default();
        let out = block_on(fan_out_async_limit(limit, 0..12, |i| {
            let alive = census.enter();
            async move {
                let _alive = alive;
                yields(i % 3).await;
                Ok::<_, ()>(i)
            }
        }));
        assert_eq!(out, Ok((0..12).collect::<Vec<_>>()));
        assert_eq!(census.most.get(), most, "limit {limit}");
    }
}
