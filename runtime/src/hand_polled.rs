//! A future polled by hand, step by step, for the async unit tests (`once_init`'s and the
//! condition waits'): no runtime, so Miri runs them, and each step of an interleaving is a
//! line of the test. Its waker counts its wake-ups, which shows who was woken.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Wake;

/// A waker that counts how often it was woken.
#[derive(Default)]
struct Counting(AtomicUsize);

impl Wake for Counting {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A task's future, polled by the test, with the waker it polls with.
pub(crate) struct Polled<'a, T> {
    future: Pin<Box<dyn Future<Output = T> + 'a>>,
    woken: Arc<Counting>,
}

impl<'a, T> Polled<'a, T> {
    pub(crate) fn new(future: impl Future<Output = T> + 'a) -> Self {
        Self {
            future: Box::pin(future),
            woken: Arc::default(),
        }
    }

    pub(crate) fn poll(&mut self) -> Poll<T> {
        let waker = Waker::from(self.woken.clone());
        self.future.as_mut().poll(&mut Context::from_waker(&waker))
    }

    /// Polls, expecting the task to wait still.
    pub(crate) fn pending(&mut self) {
        assert!(self.poll().is_pending(), "the task should still wait");
    }

    /// Polls, expecting the task to be done.
    pub(crate) fn ready(&mut self) -> T {
        match self.poll() {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("the task is still pending"),
        }
    }

    /// Polls, expecting a panic; returns its message.
    pub(crate) fn panics(&mut self) -> String {
        match catch_unwind(AssertUnwindSafe(|| self.poll())) {
            Ok(_) => panic!("expected a panic"),
            Err(payload) => match payload.downcast::<String>() {
                Ok(text) => *text,
                Err(payload) => payload
                    .downcast::<&str>()
                    .map(|text| (*text).to_owned())
                    .unwrap_or_default(),
            },
        }
    }

    /// How often its waker was woken so far.
    pub(crate) fn woken(&self) -> usize {
        self.woken.0.load(Ordering::SeqCst)
    }

    /// Its waker's count, to read after the future is dropped.
    pub(crate) fn wakes(&self) -> Wakes {
        Wakes(self.woken.clone())
    }
}

/// A [`Polled`] future's count of wake-ups, which outlives the future.
pub(crate) struct Wakes(Arc<Counting>);

impl Wakes {
    pub(crate) fn count(&self) -> usize {
        self.0.0.load(Ordering::SeqCst)
    }
}
