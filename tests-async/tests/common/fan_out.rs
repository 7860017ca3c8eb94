//! `fan_out_async` and `fan_out_async_limit` on a real runtime: input order, the first
//! error in time, the futures in flight dropped at that moment (a drop counter), items not
//! started never started, the limit (a high-water mark of the futures alive), borrowing,
//! `Send`, and real timers.

use std::future::pending;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use lockwise::{fan_out_async, fan_out_async_limit};

use super::{Runtime, yield_now};

/// Counts the futures alive (made by the task and not dropped yet), their high-water mark,
/// and how many were ever made and dropped.
#[derive(Default)]
pub struct Census {
    alive: AtomicUsize,
    most_alive: AtomicUsize,
    made: AtomicUsize,
    dropped: AtomicUsize,
}

impl Census {
    /// Called when the task makes a future; the future owns what it returns.
    fn enter(&self) -> Alive<'_> {
        self.made.fetch_add(1, SeqCst);
        let alive = self.alive.fetch_add(1, SeqCst) + 1;
        self.most_alive.fetch_max(alive, SeqCst);
        Alive(self)
    }
}

/// One future's membership in a [`Census`]: dropped with the future.
struct Alive<'a>(&'a Census);

impl Drop for Alive<'_> {
    fn drop(&mut self) {
        self.0.alive.fetch_sub(1, SeqCst);
        self.0.dropped.fetch_add(1, SeqCst);
    }
}

/// Gives way `times` times.
async fn yields(times: usize) {
    for _ in 0..times {
        yield_now().await;
    }
}

/// Results come back in input order, whichever future finished first (the later items
/// finish first here), with and without a limit; an empty input is an empty `Vec`.
pub fn results_come_in_input_order<R: Runtime>(rt: &R) {
    rt.block_on(async {
        let items: Vec<usize> = (0..20).collect();
        let doubled = |&i: &usize| async move {
            yields(20 - i).await;
            Ok::<_, String>(i * 2)
        };
        let expected: Vec<usize> = (0..20).map(|i| i * 2).collect();
        assert_eq!(fan_out_async(&items, doubled).await, Ok(expected.clone()));
        assert_eq!(
            fan_out_async_limit(3, &items, doubled).await,
            Ok(expected.clone())
        );
        assert_eq!(fan_out_async_limit(1, &items, doubled).await, Ok(expected));
        let none: Vec<usize> = Vec::new();
        assert_eq!(fan_out_async(&none, doubled).await, Ok(vec![]));
    });
}

/// The first error in time wins, not the first in input order: item 1 fails late, item 3
/// early.
pub fn the_first_error_in_time_wins<R: Runtime>(rt: &R) {
    rt.block_on(async {
        let outcome = fan_out_async(0..5, |i| async move {
            match i {
                1 => {
                    yields(10).await;
                    Err(format!("item {i}"))
                }
                3 => {
                    yields(2).await;
                    Err(format!("item {i}"))
                }
                _ => Ok(i),
            }
        })
        .await;
        assert_eq!(outcome, Err("item 3".to_owned()));
    });
}

/// At the first error the futures in flight are dropped before the call returns (each
/// still pending, forever otherwise), and the items not started are never started.
pub fn an_error_drops_the_futures_in_flight_and_starts_no_more<R: Runtime>(rt: &R) {
    rt.block_on(async {
        let census = Census::default();
        let outcome = fan_out_async_limit(3, 0..10, |i| {
            let alive = census.enter();
            async move {
                let _alive = alive;
                if i == 2 {
                    yields(3).await;
                    return Err(i);
                }
                pending::<()>().await;
                Ok(i)
            }
        })
        .await;
        assert_eq!(outcome, Err(2));
        assert_eq!(census.made.load(SeqCst), 3, "items 3.. never started");
        assert_eq!(census.dropped.load(SeqCst), 3, "items 0 and 1 dropped");

        let census = Census::default();
        let outcome = fan_out_async(0..5, |i| {
            let alive = census.enter();
            async move {
                let _alive = alive;
                if i == 4 {
                    yield_now().await;
                    return Err(i);
                }
                pending::<()>().await;
                Ok(i)
            }
        })
        .await;
        assert_eq!(outcome, Err(4));
        assert_eq!(census.made.load(SeqCst), 5);
        assert_eq!(census.alive.load(SeqCst), 0, "every future dropped");
    });
}

/// At most `limit` futures exist at once, and the limit is reached; `fan_out_async` has
/// every item in flight at once; a limit of 0 counts as 1.
pub fn at_most_limit_futures_are_in_flight<R: Runtime>(rt: &R) {
    rt.block_on(async {
        for (limit, expected_most) in [(3, 3), (0, 1), (1, 1), (64, 30)] {
            let census = Census::default();
            let outcome = fan_out_async_limit(limit, 0..30, |i| {
                let alive = census.enter();
                async move {
                    let _alive = alive;
                    yields(i % 5).await;
                    Ok::<_, ()>(i)
                }
            })
            .await;
            assert_eq!(outcome, Ok((0..30).collect::<Vec<_>>()));
            assert_eq!(
                census.most_alive.load(SeqCst),
                expected_most,
                "limit {limit}"
            );
            assert_eq!(census.alive.load(SeqCst), 0);
        }
        let census = Census::default();
        let all = fan_out_async(0..30, |i| {
            let alive = census.enter();
            async move {
                let _alive = alive;
                yield_now().await;
                Ok::<_, ()>(i)
            }
        });
        assert_eq!(all.await.map(|results| results.len()), Ok(30));
        assert_eq!(census.most_alive.load(SeqCst), 30);
    });
}

/// Real timers of the runtime wake the futures (no polling loop): sleeps of a few
/// milliseconds, 4 at a time, in input order; and the first error in time with timers.
pub fn timers_wake_the_futures<R: Runtime>(rt: &R) {
    rt.block_on(async {
        let sleeps: Vec<_> = (0..12u64)
            .map(|i| (i, rt.sleep(Duration::from_millis(1 + i % 4))))
            .collect();
        let outcome = fan_out_async_limit(4, sleeps, |(i, sleep)| async move {
            sleep.await;
            Ok::<_, ()>(i)
        });
        assert_eq!(outcome.await, Ok((0..12).collect::<Vec<_>>()));

        let timers = vec![
            (0, rt.sleep(Duration::from_millis(200))),
            (1, rt.sleep(Duration::from_millis(5))),
        ];
        let outcome = fan_out_async(timers, |(i, sleep)| async move {
            sleep.await;
            Err::<(), _>(i)
        });
        assert_eq!(outcome.await, Err(1));
    });
}

/// The call's future is `Send` when its parts are (`spawn` requires it: a compile-time
/// check), so it runs as a task of a multi-thread runtime, its futures borrowing the
/// task's own data.
pub fn the_call_is_send_and_its_futures_borrow<R: Runtime>(rt: &R) {
    let words = Arc::new(vec!["fan".to_owned(), "out".to_owned(), "async".to_owned()]);
    rt.block_on(async {
        let lengths = rt.spawn(async move {
            let suffix = String::from("!"); // borrowed by every future: nothing is spawned
            fan_out_async_limit(2, words.iter(), |word| {
                let suffix = &suffix;
                async move {
                    yield_now().await;
                    Ok::<_, ()>(format!("{word}{suffix}"))
                }
            })
            .await
        });
        assert_eq!(
            lengths.await,
            Ok(vec![
                "fan!".to_owned(),
                "out!".to_owned(),
                "async!".to_owned()
            ])
        );
    });
}
