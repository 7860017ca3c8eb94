//! How each acquisition is counted for the `profile` feature. Without the feature every
//! function here is the plain acquisition and nothing else: the compiler sees through it.
//!
//! With it, a blocking acquisition first tries without waiting: if that fails, the
//! acquisition is counted as contended and its wait is timed. One in
//! [`HOLD_SAMPLE_EVERY`](crate::profile) acquisitions also times its hold: a shared one
//! in its guard's token; an exclusive one (every write, a mutex read) in the lock's
//! slow-path word, so that its guard is the unprofiled one (`core/waiters.rs`).
//!
//! What keeps a counted exclusive acquisition at about 1.7× the unprofiled one (measured
//! with `benches/guarded_instructions.rs --features profile`, from about 3×): its guard is
//! the unprofiled guard, so that the guard's drop is inlined as it is without the profile.
//! Three things had stopped that, each found with `-C remark=inline`: a sample in the guard
//! (now in the word); a cleanup path that dropped the guard if a panic unwound between the
//! acquisition and the drop (every call made there is `extern "C"` now, and `Fair`'s
//! "used after release" aborts: the outlined wait returns a `Fair` the compiler cannot see
//! is `Some`); and registration returning the counters' reference out of line (read again
//! inline instead, so one register holds it on both paths). The first attempt is the
//! mode's `try_*_first`, which for a mutex is as cheap as `lock`'s first step.
//!
//! A condition wait (`write_when`, `read_when`) is counted apart: its predicate is watched
//! by a [`ConditionClock`], which notes when it first returned `false`; the time from then
//! until it held is a condition wait, never lock contention. The lock acquisitions inside
//! a condition wait are not timed: the clock only starts once the lock is held and the
//! state is not ready, so what it measures is waiting for another thread to change it.

use core::time::Duration;

use crate::guarded::core::mode::Mode;
use crate::guarded::lock::Guarded;
use crate::order::{GuardSample, LockSite};

impl<T, M: Mode> Guarded<T, M> {
    /// A blocking acquisition: `wait()`, counted.
    #[inline(always)]
    pub(super) fn counted<G, S: GuardSample>(
        &self,
        site: &LockSite,
        write: bool,
        try_now: impl FnOnce() -> Option<G>,
        wait: impl FnOnce() -> G,
    ) -> (G, S) {
        #[cfg(feature = "profile")]
        {
            let counters = self.counters(site);
            let guard = match try_now() {
                Some(guard) => guard,
                None => timed(counters, wait),
            };
            (guard, self.sample(counters, write))
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write, try_now);
            (wait(), S::NONE)
        }
    }

    /// A timed acquisition: `wait_for(timeout)`, counted; one that gives up counts as
    /// contended, with its wait.
    #[inline(always)]
    pub(super) fn counted_for<G, S: GuardSample>(
        &self,
        site: &LockSite,
        write: bool,
        timeout: Duration,
        try_now: impl FnOnce() -> Option<G>,
        wait_for: impl FnOnce(Duration) -> Option<G>,
    ) -> Option<(G, S)> {
        #[cfg(feature = "profile")]
        {
            let counters = self.counters(site);
            let guard = match try_now() {
                Some(guard) => guard,
                None => timed(counters, || wait_for(timeout))?,
            };
            Some((guard, self.sample(counters, write)))
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write, try_now);
            wait_for(timeout).map(|guard| (guard, S::NONE))
        }
    }

    /// An acquisition that never waits (`try_*`, a `read_mostly` read, a condition that
    /// held at once): counted; a `try_` that fails counts as contended, with no wait.
    #[inline(always)]
    pub(super) fn counted_now<G, S: GuardSample>(
        &self,
        site: &LockSite,
        write: bool,
        try_now: impl FnOnce() -> Option<G>,
    ) -> Option<(G, S)> {
        #[cfg(feature = "profile")]
        {
            let counters = self.counters(site);
            match try_now() {
                Some(guard) => Some((guard, self.sample(counters, write))),
                None => {
                    counters.waited(Duration::ZERO);
                    None
                }
            }
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write);
            try_now().map(|guard| (guard, S::NONE))
        }
    }

    /// An acquisition that never waits and always succeeds (a `read_mostly` read): counted.
    #[inline(always)]
    pub(super) fn counted_unwaited<G, S: GuardSample>(
        &self,
        site: &LockSite,
        write: bool,
        acquire: impl FnOnce() -> G,
    ) -> (G, S) {
        #[cfg(feature = "profile")]
        {
            let guard = acquire();
            let sample = self.sample(self.counters(site), write);
            (guard, sample)
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write);
            (acquire(), S::NONE)
        }
    }

    /// An acquisition through a condition wait (`M::write_when`, `M::read_when`), whose
    /// predicate `clock` watched: counted as an acquisition, and, if the predicate was false
    /// at first, as one condition wait for as long as it took. `None` (the deadline passed):
    /// a condition wait if the predicate ran, else an acquisition that gave up on the lock.
    #[inline(always)]
    pub(super) fn counted_condition<G, S: GuardSample>(
        &self,
        site: &LockSite,
        write: bool,
        clock: ConditionClock,
        acquired: Option<G>,
    ) -> Option<(G, S)> {
        #[cfg(feature = "profile")]
        {
            let counters = self.counters(site);
            let waited = clock.waited();
            if let Some(waited) = waited {
                counters.waited_for_condition(waited);
            }
            match acquired {
                Some(guard) => Some((guard, self.sample(counters, write))),
                None => {
                    if waited.is_none() {
                        counters.waited(Duration::ZERO);
                    }
                    None
                }
            }
        }
        #[cfg(not(feature = "profile"))]
        {
            let _ = (site, write, clock);
            acquired.map(|guard| (guard, S::NONE))
        }
    }

    /// Counts an acquisition that now holds the lock, and starts timing one hold in 64:
    /// a shared hold in its guard (`S` is a sample); an exclusive one (`S` is `()`: a
    /// write, a mutex read) through the lock's word, whose release ends it, so that its
    /// guard is the unprofiled one.
    #[cfg(feature = "profile")]
    #[inline(always)]
    fn sample<S: GuardSample>(
        &self,
        counters: &std::sync::Arc<crate::profile::LockCounters>,
        write: bool,
    ) -> S {
        if S::IN_GUARD {
            S::start(counters, write)
        } else {
            if counters.acquired(write) {
                self.waiters.begin_sampled_hold(counters);
            }
            S::NONE
        }
    }

    /// This lock's counters, registered under `site` (its type, field or shard, and mode)
    /// on the first acquisition.
    #[cfg(feature = "profile")]
    #[inline(always)]
    fn counters(&self, site: &LockSite) -> &std::sync::Arc<crate::profile::LockCounters> {
        match self.waiters.profile.get() {
            Some(counters) => counters,
            None => {
                self.register(*site);
                // Read again inline rather than returned by `register`: a reference that an
                // out-of-line function returns is one the compiler cannot tell is the same
                // as the fast path's, so both would live in registers of their own (a saved
                // register, +3 instructions on every counted exclusive acquisition).
                match self.waiters.profile.get() {
                    Some(counters) => counters,
                    None => not_registered(),
                }
            }
        }
    }

    /// The first acquisition's registration, out of line: the site is only built in memory
    /// on this path, not on every acquisition.
    #[cfg(feature = "profile")]
    #[cold]
    #[inline(never)]
    fn register(&self, site: LockSite) {
        self.waiters
            .profile
            .get_or_init(|| crate::profile::register_lock(site.profile_key(M::KIND)));
    }
}

/// `register` returned and the counters are not there: impossible (`OnceLock::get_or_init`
/// returns only once they are). Cannot unwind, so that the caller needs no cleanup path.
#[cfg(feature = "profile")]
#[cold]
#[inline(never)]
extern "C" fn not_registered() -> ! {
    panic!("lockwise: a lock's profile counters were not registered (a bug in lockwise)")
}

/// Watches a condition wait's predicate: when it first said `false` (with the `profile`
/// feature; without it, nothing, and [`check`](Self::check) is the predicate's answer).
#[derive(Default)]
pub(super) struct ConditionClock {
    #[cfg(feature = "profile")]
    not_ready_since: Option<std::time::Instant>,
}

impl ConditionClock {
    /// Passes on the predicate's answer `ready`, noting the first `false`.
    #[inline(always)]
    pub(super) fn check(&mut self, ready: bool) -> bool {
        #[cfg(feature = "profile")]
        if !ready && self.not_ready_since.is_none() {
            self.not_ready_since = Some(std::time::Instant::now());
        }
        ready
    }

    /// How long the condition wait lasted, if the predicate ever said `false`.
    #[cfg(feature = "profile")]
    fn waited(&self) -> Option<Duration> {
        self.not_ready_since.map(|since| since.elapsed())
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
