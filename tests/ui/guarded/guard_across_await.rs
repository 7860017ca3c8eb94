// A guard held across `.await` keeps the lock while the task sleeps, and may be released
// on another thread: a future that must be `Send` (for a multi-threaded executor) cannot
// hold one. Copy what you need out of the guard, drop it, then await.
// (Two errors, one per reason the guard is not `Send`: parking_lot's guard (`*mut ()`), and
// lockwise's own marker, named for the advice (`GuardHeldAcrossAwaitDropItFirst`), which keeps
// guards on their thread even if a dependency turns on parking_lot's `send_guard` feature.)
use std::future::Future;

use lockwise::guarded;

#[guarded]
struct Counter {
    hits: u64,
}

fn spawn<F: Future + Send + 'static>(future: F) -> F {
    future
}

async fn flush() {}

static COUNTER: Counter = Counter::new(CounterState { hits: 0 });

fn main() {
    spawn(async {
        let guard = COUNTER.write();
        flush().await;
        drop(guard);
    });
}
