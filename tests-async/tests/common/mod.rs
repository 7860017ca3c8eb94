//! What the runtimes' test files share: the cases, written once against [`Runtime`], and
//! the helpers they use. `tokio.rs` and `smol.rs` run every case with `cases!`.

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
