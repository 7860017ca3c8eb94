//! [`Cancel`]: the flag a task polls to learn that the fan-out has failed.

use core::sync::atomic::{AtomicBool, Ordering};

/// Tells a running [`fan_out`](crate::fan_out) task that it may stop: another task has
/// returned an error or panicked, so the result of this one will be thrown away.
///
/// Each task gets `&Cancel` next to its item. Polling it is optional and cheap (one atomic
/// load): a task that never looks simply runs to its end, and its result is dropped.
/// Tasks that have not started yet are never started, whatever they would do.
///
/// A `Cancel` is only ever made by `fan_out`; a task cannot cancel the others except by
/// returning an error.
///
/// ```
/// use std::time::Duration;
/// use lockwise::{fan_out_limit, Cancel};
///
/// /// Waits for a job in small steps, giving up as soon as the fan-out has failed.
/// fn wait_for(job: u32, cancel: &Cancel) -> Result<u32, String> {
///     for _ in 0..1_000 {
///         if cancel.is_cancelled() {
///             return Err(format!("job {job} gave up")); // lost to the first error anyway
///         }
///         std::thread::sleep(Duration::from_millis(5));
///     }
///     Ok(job)
/// }
///
/// let result = fan_out_limit(2, [1, 2], |job, cancel| match job {
///     1 => wait_for(job, cancel),
///     _ => Err(format!("job {job} failed")),
/// });
/// // Job 2's error came first; job 1 saw the cancellation and stopped early.
/// assert_eq!(result, Err("job 2 failed".to_owned()));
/// ```
#[derive(Debug)]
pub struct Cancel {
    cancelled: AtomicBool,
}

impl Cancel {
    pub(super) const fn new() -> Self {
        Self {
            cancelled: AtomicBool::new(false),
        }
    }

    /// Whether the fan-out has failed (a task returned an error or panicked), so that
    /// whatever this task still computes will be dropped.
    ///
    /// Once `true`, it stays `true`. See the [type's documentation](Cancel) for an example.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        // Acquire pairs with the Release in `cancel`; the failure itself is handed over
        // under a lock, so this flag is only ever a hint to stop early.
        self.cancelled.load(Ordering::Acquire)
    }

    pub(super) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
    }
}
