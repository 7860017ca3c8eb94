//! How each acquisition is counted for the `profile` feature. Without the feature every
//! function here is the plain acquisition and nothing else: the compiler sees through it.
//!
//! With it, a blocking acquisition first tries without waiting: if that fails, the
//! acquisition is counted as contended and its wait is timed. One in
//! [`HOLD_SAMPLE_EVERY`](crate::profile) acquisitions also times its hold (the guard's
//! token carries the start).

use core::time::Duration;

use crate::guarded::core::mode::Mode;
use crate::guarded::lock::Guarded;
use crate::order::{LockSite, Sample};

impl<T, M: Mode> Guarded<T, M> {
    /// A blocking acquisition: `wait()`, counted.
    #[inline(always)]
    pub(super) fn counted<G>(
        &self,
        site: &LockSite,
        write: bool,
        try_now: impl FnOnce() -> Option<G>,
        wait: impl FnOnce() -> G,
    ) -> (G, Sample) {
        #[cfg(feature = "profile")]
        {
            let counters = self.counters(site);
            let guard = match try_now() {
                Some(guard) => guard,
                None => timed(counters, wait),
            };
            (guard, Sample::start(counters, write))
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write, try_now);
            (wait(), ())
        }
    }

    /// A timed acquisition: `wait_for(timeout)`, counted; one that gives up counts as
    /// contended, with its wait.
    #[inline(always)]
    pub(super) fn counted_for<G>(
        &self,
        site: &LockSite,
        write: bool,
        timeout: Duration,
        try_now: impl FnOnce() -> Option<G>,
        wait_for: impl FnOnce(Duration) -> Option<G>,
    ) -> Option<(G, Sample)> {
        #[cfg(feature = "profile")]
        {
            let counters = self.counters(site);
            let guard = match try_now() {
                Some(guard) => guard,
                None => timed(counters, || wait_for(timeout))?,
            };
            Some((guard, Sample::start(counters, write)))
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write, try_now);
            wait_for(timeout).map(|guard| (guard, ()))
        }
    }

    /// An acquisition that never waits (`try_*`, a `read_mostly` read, a condition that
    /// held at once): counted; a `try_` that fails counts as contended, with no wait.
    #[inline(always)]
    pub(super) fn counted_now<G>(
        &self,
        site: &LockSite,
        write: bool,
        try_now: impl FnOnce() -> Option<G>,
    ) -> Option<(G, Sample)> {
        #[cfg(feature = "profile")]
        {
            let counters = self.counters(site);
            match try_now() {
                Some(guard) => Some((guard, Sample::start(counters, write))),
                None => {
                    counters.waited(Duration::ZERO);
                    None
                }
            }
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write);
            try_now().map(|guard| (guard, ()))
        }
    }

    /// An acquisition that never waits and always succeeds (a `read_mostly` read): counted.
    #[inline(always)]
    pub(super) fn counted_unwaited<G>(
        &self,
        site: &LockSite,
        write: bool,
        acquire: impl FnOnce() -> G,
    ) -> (G, Sample) {
        #[cfg(feature = "profile")]
        {
            let guard = acquire();
            let sample = Sample::start(self.counters(site), write);
            (guard, sample)
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write);
            (acquire(), ())
        }
    }

    /// This lock's counters, registered under `site` (its type, field or shard, and mode)
    /// on the first acquisition.
    #[cfg(feature = "profile")]
    #[inline(always)]
    fn counters(&self, site: &LockSite) -> &std::sync::Arc<crate::profile::LockCounters> {
        match self.profile.get() {
            Some(counters) => counters,
            None => self.register(*site),
        }
    }

    /// The first acquisition's registration, out of line: the site is only built in memory
    /// on this path, not on every acquisition.
    #[cfg(feature = "profile")]
    #[cold]
    #[inline(never)]
    fn register(&self, site: LockSite) -> &std::sync::Arc<crate::profile::LockCounters> {
        self.profile
            .get_or_init(|| crate::profile::register_lock(site.profile_key(M::KIND)))
    }
}

/// A wait after a failed first try, timed into `counters`: out of line, so the uncontended
/// path carries none of it.
#[cfg(feature = "profile")]
#[cold]
#[inline(never)]
fn timed<G>(counters: &crate::profile::LockCounters, wait: impl FnOnce() -> G) -> G {
    let started = std::time::Instant::now();
    let guard = wait();
    counters.waited(started.elapsed());
    guard
}
