//! What the runtimes' test files share: the cases, written once against [`Runtime`], and
//! the helpers they use. `tokio.rs` and `smol.rs` run every case with `every_case!`.

// Each test binary uses every case, but not every helper through every path.
#![allow(dead_code)]

pub mod fan_out;
pub mod once;
pub mod runtimes;

use std::future::{Future, poll_fn};
use std::panic::resume_unwind;
use std::sync::mpsc;
use std::task::Poll;
use std::thread;
use std::time::Duration;

use futures::future::{Either, select};

pub use runtimes::{BoxFuture, Runtime};

/// How long a case may take before the watchdog calls it hung: far more than any case
/// needs, so only a task that nobody wakes (a lost wake-up) gets there.
const WATCHDOG: Duration = Duration::from_secs(60);

/// Runs `case` on a thread of its own and fails, naming it, if it has not finished within
/// [`WATCHDOG`]: a task left pending forever would otherwise hang the test binary instead
/// of failing it. A panic of the case is the test's.
pub fn watchdog(name: &str, case: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel::<()>();
    let runner = thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            case();
            let _ = done.send(());
        })
        .expect("a thread for the case");
    match finished.recv_timeout(WATCHDOG) {
        Ok(()) => runner.join().expect("the case finished"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => resume_unwind(panic),
            Ok(()) => unreachable!("the case ended without reporting"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("`{name}` did not finish within {WATCHDOG:?}: a task was never woken")
        }
    }
}

/// Gives way once: pending, with its own wake-up already sent, as tokio's and smol's
/// `yield_now` do (written here so the cases need neither).
pub async fn yield_now() {
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

/// `future`'s output, or `None` if `timer` ends first, in which case `future` is dropped
/// before this returns: a timeout as `tokio::time::timeout` or a `select!` gives one.
pub async fn within<F: Future>(timer: BoxFuture<()>, future: F) -> Option<F::Output> {
    let future = std::pin::pin!(future);
    match select(future, timer).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(((), _)) => None,
    }
}

/// A panic's message.
pub fn message(panic: Box<dyn std::any::Any + Send>) -> String {
    match panic.downcast::<String>() {
        Ok(text) => *text,
        Err(panic) => panic
            .downcast_ref::<&str>()
            .map_or_else(|| "<not a string>".to_owned(), |text| (*text).to_owned()),
    }
}

/// Every case, one `#[test]` each, on the runtime `$runtime` builds: what each runtime's
/// test file says, so that the two run the same list.
#[macro_export]
macro_rules! every_case {
    ($runtime:expr) => {
        $crate::cases! { $runtime =>
            once::every_policy_returns_what_the_sync_accessor_does,
            once::two_callers_joined_on_one_thread_both_complete,
            once::a_cancelled_caller_abandons_and_the_next_restarts,
            once::an_initializer_awaiting_its_own_field_panics_naming_it,
            once::the_accessors_futures_are_send,
            once::many_tasks_run_one_initializer_and_none_is_left_waiting,
            once::many_tasks_some_cancelled_finish_one_initializer,
            fan_out::results_come_in_input_order,
            fan_out::the_first_error_in_time_wins,
            fan_out::an_error_drops_the_futures_in_flight_and_starts_no_more,
            fan_out::at_most_limit_futures_are_in_flight,
            fan_out::timers_wake_the_futures,
            fan_out::the_call_is_send_and_its_futures_borrow,
        }
    };
}

/// One `#[test]` per case, each on the runtime `$runtime` builds and under the watchdog.
#[macro_export]
macro_rules! cases {
    ($runtime:expr => $($module:ident :: $case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            $crate::common::watchdog(stringify!($case), || {
                $crate::common::$module::$case(&$runtime)
            });
        }
    )*};
}
