//! Whether a site's waits matter: by how many acquisitions waited, or by how long the waits
//! add up to. Counting alone misses the seed's own case, a few long waits behind a slow
//! holder (18 waits in 200,000 reads, 419 ms of waiting): so a site is contended by count
//! *or* by time, each with its numbers in `rules.rs`.

use core::fmt;
use core::time::Duration;

use crate::profile::counters::Counts;
use crate::profile::rules;

/// How much one site waited, and the numbers it is judged by. Carried by the
/// [`Advice`](crate::profile::Advice) it led to, so that the advice can say why.
///
/// ```
/// # #[cfg(feature = "profile")] {
/// use std::time::Duration;
/// use lockwise::profile::{Contention, Counts};
///
/// // 18 of 200,021 acquisitions waited, for 419 ms in all, over a 5 s run.
/// let counts = Counts {
///     reads: 200_001,
///     writes: 20,
///     contended: 18,
///     waited: Duration::from_millis(419),
///     observed: Duration::from_secs(5),
///     ..Counts::default()
/// };
/// let contention = Contention::of(&counts);
/// assert!(!contention.by_count());          // 0.009% waited: under 1%
/// assert!(contention.by_time());            // 419 ms is 8% of 5 s: over 1%
/// assert!(contention.is_contended());
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Contention {
    /// How many acquisitions waited.
    pub waits: u64,
    /// How many acquisitions there were.
    pub acquisitions: u64,
    /// The share of the acquisitions that waited, 0 to 1.
    pub waited_share: f64,
    /// The waits, added up.
    pub waited: Duration,
    /// How long the site was observed.
    pub observed: Duration,
    /// How long its locks were held, estimated from the sampled holds (if any was sampled).
    pub held: Option<Duration>,
}

impl Contention {
    /// The contention that `counts` show.
    pub fn of(counts: &Counts) -> Self {
        Contention {
            waits: counts.contended,
            acquisitions: counts.acquisitions(),
            waited_share: counts.share(counts.contended),
            waited: counts.waited,
            observed: counts.observed,
            held: counts.estimated_held(),
        }
    }

    /// The waits as a share of the time observed (0 when nothing was observed).
    pub fn share_of_observed(&self) -> f64 {
        ratio(self.waited, self.observed)
    }

    /// The waits as a share of the time the locks were held, if a hold was sampled.
    pub fn share_of_held(&self) -> Option<f64> {
        self.held.map(|held| ratio(self.waited, held))
    }

    /// Contended by count: at least [`CONTENDED_SHARE`](rules::CONTENDED_SHARE) of the
    /// acquisitions waited.
    pub fn by_count(&self) -> bool {
        self.waited_share >= rules::CONTENDED_SHARE
    }

    /// Contended by time: the waits add up to at least [`MIN_WAIT`](rules::MIN_WAIT), and
    /// to [`WAIT_SHARE_OF_OBSERVED`](rules::WAIT_SHARE_OF_OBSERVED) of the time observed
    /// or [`WAIT_SHARE_OF_HELD`](rules::WAIT_SHARE_OF_HELD) of the time held.
    pub fn by_time(&self) -> bool {
        self.waited >= rules::MIN_WAIT
            && (self.share_of_observed() >= rules::WAIT_SHARE_OF_OBSERVED
                || self
                    .share_of_held()
                    .is_some_and(|share| share >= rules::WAIT_SHARE_OF_HELD))
    }

    /// Contended, by count or by time: what the mode rules ask for.
    pub fn is_contended(&self) -> bool {
        self.by_count() || self.by_time()
    }

    /// So contended that one lock is the problem, whatever its mode: at least
    /// [`HOT_CONTENDED_SHARE`](rules::HOT_CONTENDED_SHARE) of the acquisitions waited, or
    /// the waits add up to [`HOT_WAIT_SHARE_OF_OBSERVED`](rules::HOT_WAIT_SHARE_OF_OBSERVED)
    /// of the time observed and it is [contended by count](Self::by_count).
    pub fn is_hot(&self) -> bool {
        self.waited_share >= rules::HOT_CONTENDED_SHARE
            || (self.by_count()
                && self.waited >= rules::MIN_WAIT
                && self.share_of_observed() >= rules::HOT_WAIT_SHARE_OF_OBSERVED)
    }
}

/// `part / whole`, 0 when `whole` is zero.
fn ratio(part: Duration, whole: Duration) -> f64 {
    if whole.is_zero() {
        0.0
    } else {
        part.as_secs_f64() / whole.as_secs_f64()
    }
}

/// What the advice says about the waits: how many, and how long in all
/// (`"18 of 200021 acquisitions waited (0.01%), 419.0ms in all (8% of the 5.0s observed)"`).
impl fmt::Display for Contention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} acquisitions waited ({})",
            self.waits,
            self.acquisitions,
            percent(self.waited_share)
        )?;
        if !self.waited.is_zero() {
            write!(
                f,
                ", {:.1?} in all ({} of the {:.1?} observed",
                self.waited,
                percent(self.share_of_observed()),
                self.observed
            )?;
            if let Some(share) = self.share_of_held() {
                write!(f, ", {} of the time held", percent(share))?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// A share as a percentage, with a decimal where a whole number would read as 0.
pub(crate) fn percent(share: f64) -> String {
    let pct = share * 100.0;
    if pct != 0.0 && pct < 1.0 {
        format!("{pct:.2}%")
    } else {
        format!("{pct:.0}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(acquisitions: u64, contended: u64, waited_ms: u64, observed_ms: u64) -> Counts {
        Counts {
            reads: acquisitions,
            contended,
            waited: Duration::from_millis(waited_ms),
            observed: Duration::from_millis(observed_ms),
            ..Counts::default()
        }
    }

    #[test]
    fn many_short_waits_are_contention_by_count() {
        let c = Contention::of(&counts(1_000, 20, 0, 1_000));
        assert!(c.by_count() && !c.by_time() && c.is_contended());
    }

    #[test]
    fn few_long_waits_are_contention_by_time() {
        // 18 waits in 200,021: 0.009%, yet 419 ms of a 5 s run.
        let c = Contention::of(&counts(200_021, 18, 419, 5_000));
        assert!(!c.by_count() && c.by_time());
        // Against the time held: 6 ms of waits for 10 ms of holds is 60%.
        let mut held = counts(1_000, 1, 6, 10_000);
        (held.held, held.hold_samples) = (Duration::from_micros(160), 16);
        let c = Contention::of(&held);
        assert_eq!(c.held, Some(Duration::from_millis(10)));
        assert!(c.share_of_observed() < rules::WAIT_SHARE_OF_OBSERVED && c.by_time());
    }

    #[test]
    fn waits_under_the_minimum_are_not_judged_by_time() {
        // Half a millisecond in a 10 ms run is 5%, but a short run's one wait is noise.
        let c = Contention::of(&counts(1_000, 1, 0, 10));
        assert!(!c.is_contended());
        let short = Counts {
            waited: Duration::from_micros(500),
            ..counts(1_000, 1, 0, 10)
        };
        assert!(!Contention::of(&short).is_contended());
    }

    #[test]
    fn a_hot_lock_waits_for_a_fifth_of_its_acquisitions_or_often_and_as_long_as_the_run() {
        assert!(Contention::of(&counts(1_000, 200, 0, 1_000)).is_hot());
        assert!(Contention::of(&counts(1_000, 20, 1_200, 1_000)).is_hot());
        assert!(!Contention::of(&counts(1_000, 50, 600, 1_000)).is_hot());
        // A few long stalls, however long: contended, not hot.
        let stalls = Contention::of(&counts(80_000, 4, 1_200, 1_000));
        assert!(stalls.is_contended() && !stalls.is_hot());
    }

    #[test]
    fn the_reason_reads_as_numbers() {
        let c = Contention::of(&counts(200_021, 18, 419, 5_000));
        assert_eq!(
            c.to_string(),
            "18 of 200021 acquisitions waited (0.01%), 419.0ms in all (8% of the 5.0s \
             observed)"
        );
        assert_eq!(percent(0.0), "0%");
    }
}
