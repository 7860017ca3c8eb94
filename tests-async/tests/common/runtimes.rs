//! The two runtimes the cases run on, behind one small trait, so that each case is written
//! once: tokio (a multi-thread runtime, and a current-thread one) and smol (an executor
//! run by a few threads, and its single-threaded `block_on`).

use std::future::Future;
use std::panic::resume_unwind;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::Duration;

/// A boxed `Send` future: what spawning and sleeping return, whatever the runtime.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// How many threads each multi-thread runtime runs tasks on (the machine may have fewer
/// CPUs: they still interleave, which is what the cases need).
const WORKERS: usize = 4;

/// What a case needs from a runtime.
pub trait Runtime: Sync {
    /// Runs `future` on this thread while the runtime's worker threads run spawned tasks.
    fn block_on<F: Future>(&self, future: F) -> F::Output;
    /// Runs `future` on this thread alone: nothing else runs while it is pending.
    fn block_on_one_thread<F: Future>(&self, future: F) -> F::Output;
    /// Runs `future` as a task of its own on the worker threads; the returned future is its
    /// output (a panic of the task resumes in whoever awaits it).
    fn spawn<F>(&self, future: F) -> BoxFuture<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;
    /// A timer. Created inside a `block_on` (tokio's timers need its context).
    fn sleep(&self, duration: Duration) -> BoxFuture<()>;
}

/// tokio: one multi-thread runtime for every test of the binary (they run in parallel, as
/// a service's tasks do), and a fresh current-thread runtime per `block_on_one_thread`.
pub struct Tokio(&'static tokio::runtime::Runtime);

impl Tokio {
    pub fn new() -> Self {
        static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
        Self(RUNTIME.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(WORKERS)
                .enable_all()
                .build()
                .expect("a tokio runtime")
        }))
    }
}

impl Runtime for Tokio {
    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.0.block_on(future)
    }

    fn block_on_one_thread<F: Future>(&self, future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
            .block_on(future)
    }

    fn spawn<F>(&self, future: F) -> BoxFuture<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let task = self.0.spawn(future);
        Box::pin(async move {
            match task.await {
                Ok(output) => output,
                Err(error) => resume_unwind(error.into_panic()),
            }
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// smol: one executor for every test of the binary, run by `WORKERS` threads that live as
/// long as the process; `block_on` helps run it from the calling thread.
pub struct Smol(&'static smol::Executor<'static>);

impl Smol {
    pub fn new() -> Self {
        static EXECUTOR: OnceLock<Arc<smol::Executor<'static>>> = OnceLock::new();
        let executor = EXECUTOR.get_or_init(|| {
            let executor = Arc::new(smol::Executor::new());
            for _ in 0..WORKERS {
                let executor = executor.clone();
                thread::spawn(move || smol::block_on(executor.run(smol::future::pending::<()>())));
            }
            executor
        });
        Self(executor)
    }
}

impl Runtime for Smol {
    fn block_on<F: Future>(&self, future: F) -> F::Output {
        smol::block_on(self.0.run(future))
    }

    fn block_on_one_thread<F: Future>(&self, future: F) -> F::Output {
        smol::block_on(future)
    }

    fn spawn<F>(&self, future: F) -> BoxFuture<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // async-executor's tasks resume their panic in whoever awaits them.
        Box::pin(self.0.spawn(future))
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<()> {
        let timer = smol::Timer::after(duration);
        Box::pin(async move {
            timer.await;
        })
    }
}
