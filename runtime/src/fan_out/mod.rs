//! [`fan_out`]: Go's `sync.WaitGroup` plus `errgroup.Group`, on scoped threads.
//!
//! How a call runs:
//! - The calling thread is the first worker. A worker takes the next item from the shared
//!   iterator ([`Source`], under a lock), and runs the task. Whoever takes the first item
//!   (the calling thread) starts the other workers, all at once: `limit - 1` of them, or
//!   fewer when the iterator's `size_hint` says fewer items are left. An empty input
//!   starts none.
//! - A worker keeps its results with their input index; the caller puts them back in input
//!   order once every worker is done ([`in_input_order`]).
//! - A task's error or panic is recorded ([`FirstFailure`] decides which one is reported)
//!   and flips [`Cancel`]. From then on no item is taken, an item already taken is dropped
//!   without running, and running tasks can see the flag.
//! - Every worker joins the workers it started before it ends (and, while still starting
//!   more, joins those already finished, so their stacks are reused). So when the calling
//!   thread has finished its own work and joined its helpers, every thread has exited,
//!   thread-locals destroyed included, whatever happened: `thread::scope` alone waits only
//!   for the closures. Only then does the caller drop what the failure made useless and
//!   return or re-raise the panic.

#[cfg(feature = "async")]
mod asynchronous;
mod cancel;
mod failure;
mod results;
mod source;

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::OnceLock;
use std::thread::{self, Scope, ScopedJoinHandle};

use parking_lot::Mutex;

#[cfg(feature = "async")]
pub use asynchronous::{fan_out_async, fan_out_async_limit};
pub use cancel::Cancel;
use failure::{Failure, FirstFailure};
use results::{Finished, in_input_order};
use source::Source;

/// Runs `task` on every item on scoped threads, at most
/// [`available_parallelism()`](std::thread::available_parallelism) at once, and returns
/// the results in input order, or the first error.
///
/// `fan_out(items, task)` is [`fan_out_limit`]`(available_parallelism(), items, task)` (1
/// where the parallelism cannot be determined; asked once per process, at the first call);
/// see there for the rules.
///
/// ```
/// use lockwise::fan_out;
///
/// let words = ["fan", "out", "in", "order"];
/// let prefix = String::from("len");  // borrowed by every task: the threads are scoped
/// let lengths: Result<Vec<String>, String> =
///     fan_out(&words, |word, _cancel| Ok(format!("{prefix}({word})={}", word.len())));
/// assert_eq!(lengths.unwrap(), ["len(fan)=3", "len(out)=3", "len(in)=2", "len(order)=5"]);
/// ```
///
/// # Panics
///
/// If a task or the iterator panics, after all other tasks have stopped, with the same
/// payload.
pub fn fan_out<I, F, R, E>(items: I, task: F) -> Result<Vec<R>, E>
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    F: Fn(I::Item, &Cancel) -> Result<R, E> + Sync,
    R: Send,
    E: Send,
{
    fan_out_limit(default_limit(), items, task)
}

/// Runs `task` on every item with at most `limit` tasks at once, and returns the results
/// in input order, or the first error.
///
/// - **Order.** `Ok` holds one result per item, in the order of `items`, however long
///   each task took.
/// - **First error wins.** The first task to return `Err` (first in time, not in input
///   order) decides the result. It flips [`Cancel::is_cancelled`] for the running tasks;
///   items not yet started are never started, and the iterator is not advanced again.
///   The results already computed, and the later errors, are dropped before
///   `fan_out_limit` returns.
/// - **Panics.** A panic in a task (or in the iterator's `next`) cancels the rest the
///   same way, and is re-raised here with its payload once every other task has stopped.
///   A panic wins over an error, even an earlier one: it is a bug, and must not hide
///   behind an error the caller may handle.
/// - **Threads.** The calling thread runs tasks too. Once it has taken the first item it
///   starts `limit - 1` more threads (fewer if the iterator's `size_hint` says fewer items
///   are left; none for an empty input), and all of them have exited when `fan_out_limit`
///   returns, in every outcome. A `limit` of 1 runs every task on the calling thread, one
///   at a time, in input order. A `limit` of 0 counts as 1.
/// - **Lazy.** Items are taken one at a time, when a worker is free: a long iterator is
///   never collected. It is shared by the workers (under a lock), so it must be `Send`.
/// - **Borrowing.** The threads are scoped: `items`, `task` and what it captures may
///   borrow from the caller's stack.
///
/// Tasks must not wait for each other: with a limit, the one waited for may never start.
///
/// ```
/// use lockwise::fan_out_limit;
///
/// // Parse at most 2 at a time; the first bad input is the answer.
/// let parsed: Result<Vec<u16>, _> = fan_out_limit(2, ["80", "443", "8080"], |s, _| s.parse());
/// assert_eq!(parsed, Ok(vec![80, 443, 8080]));
///
/// let failed = fan_out_limit(2, ["80", "http", "8080"], |s, _| s.parse::<u16>());
/// assert!(failed.is_err());
/// ```
///
/// # Panics
///
/// If a task or the iterator panics, after all other tasks have stopped, with the same
/// payload.
pub fn fan_out_limit<I, F, R, E>(limit: usize, items: I, task: F) -> Result<Vec<R>, E>
where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    F: Fn(I::Item, &Cancel) -> Result<R, E> + Sync,
    R: Send,
    E: Send,
{
    match run(limit.max(1), items.into_iter(), &task) {
        Outcome::Done(results) => Ok(results),
        Outcome::Failed(error) => Err(error),
        Outcome::Panicked(payload) => {
            // Nothing of ours is left to drop while unwinding.
            drop(task);
            resume_unwind(payload)
        }
    }
}

/// The default limit: the parallelism the OS grants this process, or 1 if it cannot tell
/// (rayon's fallback too). Asked once per process, as a thread pool would: on Linux the
/// question reads the cgroup files, measured at 25 µs a call, as much as starting a thread.
fn default_limit() -> usize {
    static LIMIT: OnceLock<usize> = OnceLock::new();
    *LIMIT.get_or_init(|| thread::available_parallelism().map_or(1, |n| n.get()))
}

/// How a fan-out ended, once every thread has exited and everything the outcome made
/// useless has been dropped.
enum Outcome<R, E> {
    Done(Vec<R>),
    Failed(E),
    Panicked(Box<dyn Any + Send>),
}

/// What the workers of one call share.
struct FanOut<'t, It: Iterator, F, R, E> {
    source: Source<It>,
    cancel: Cancel,
    failure: FirstFailure<E>,
    /// One entry per worker that has ended.
    finished: Mutex<Vec<Finished<R>>>,
    task: &'t F,
}

fn run<It, F, R, E>(limit: usize, items: It, task: &F) -> Outcome<R, E>
where
    It: Iterator + Send,
    It::Item: Send,
    F: Fn(It::Item, &Cancel) -> Result<R, E> + Sync,
    R: Send,
    E: Send,
{
    let fan_out = FanOut {
        source: Source::new(items, limit),
        cancel: Cancel::new(),
        failure: FirstFailure::new(),
        finished: Mutex::new(Vec::new()),
        task,
    };
    // `work` catches every panic and joins every thread it started, so the scope neither
    // panics nor has a thread left to wait for.
    thread::scope(|scope| fan_out.work(scope));
    let FanOut {
        source,
        failure,
        finished,
        ..
    } = fan_out;
    let finished = finished.into_inner();
    // The rest of the iterator goes first: if its `Drop` panics, the results and the
    // failure are dropped by the unwinding, as any locals would be.
    drop(source.into_inner());
    match failure.into_inner() {
        None => Outcome::Done(in_input_order(finished)),
        Some(Failure::Error(error)) => {
            drop(finished);
            Outcome::Failed(error)
        }
        Some(Failure::Panic(payload)) => {
            drop(finished);
            Outcome::Panicked(payload)
        }
    }
}

impl<It, F, R, E> FanOut<'_, It, F, R, E>
where
    It: Iterator + Send,
    It::Item: Send,
    F: Fn(It::Item, &Cancel) -> Result<R, E> + Sync,
    R: Send,
    E: Send,
{
    /// One worker: runs tasks until the items run out or the fan-out fails, then waits
    /// for the workers it started. Never panics (the user's code runs under
    /// `catch_unwind`), so the failure is always recorded here and never lost.
    fn work<'scope>(&'scope self, scope: &'scope Scope<'scope, '_>) {
        let mut done = Vec::new();
        let mut helpers = Vec::new();
        // Unwind safety: the tasks' shared state is the user's, as with
        // `std::thread::scope`; a panic is re-raised to the caller.
        let ran = catch_unwind(AssertUnwindSafe(|| {
            self.run_tasks(scope, &mut done, &mut helpers);
        }));
        if let Err(payload) = ran {
            self.fail(Failure::Panic(payload));
        }
        self.finished.lock().push(done);
        for helper in helpers {
            self.join(helper);
        }
    }

    /// Waits until `helper` has exited, thread-locals destroyed included (a scope alone
    /// waits only for its closure).
    fn join(&self, helper: ScopedJoinHandle<'_, ()>) {
        // A worker catches its tasks' panics, so this is only a panic in our own
        // bookkeeping (a losing panic payload's `Drop`): report it all the same.
        if let Err(payload) = helper.join() {
            self.fail(Failure::Panic(payload));
        }
    }

    /// Joins the helpers that have already finished, so that the threads still to be
    /// started can reuse their stacks: an exited thread keeps its stack until it is joined,
    /// and starting 100 threads was measured slower than by hand (detached threads) without
    /// this.
    fn join_finished(&self, helpers: &mut Vec<ScopedJoinHandle<'_, ()>>) {
        let mut i = 0;
        while i < helpers.len() {
            if helpers[i].is_finished() {
                self.join(helpers.swap_remove(i));
            } else {
                i += 1;
            }
        }
    }

    fn run_tasks<'scope>(
        &'scope self,
        scope: &'scope Scope<'scope, '_>,
        done: &mut Finished<R>,
        helpers: &mut Vec<ScopedJoinHandle<'scope, ()>>,
    ) {
        while let Some(pulled) = self.source.pull(&self.cancel) {
            for _ in 0..pulled.start_workers {
                self.join_finished(helpers);
                // A thread that cannot be started means fewer workers, not a failure.
                let helper = thread::Builder::new()
                    .name("lockwise::fan_out".to_owned())
                    .spawn_scoped(scope, move || self.work(scope));
                if let Ok(helper) = helper {
                    helpers.push(helper);
                }
            }
            if self.cancel.is_cancelled() {
                // Taken while another task failed, and not started: it never will be.
                return;
            }
            match (self.task)(pulled.item, &self.cancel) {
                Ok(result) => done.push((pulled.index, result)),
                Err(error) => {
                    self.fail(Failure::Error(error));
                    return;
                }
            }
        }
    }

    fn fail(&self, failure: Failure<E>) {
        let lost = self.failure.record(failure);
        self.cancel.cancel();
        drop(lost);
    }
}

#[cfg(all(test, feature = "async"))]
mod async_tests;
#[cfg(test)]
mod tests;
