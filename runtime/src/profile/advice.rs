//! The seed's advice, as rules over one site's counts: which word of the attribute to
//! change. Each rule needs enough acquisitions to mean something, and says why.

use core::fmt;
use core::time::Duration;

use crate::profile::counters::Counts;
use crate::vocabulary::{Kind, Part};

/// Below this many acquisitions a site gets no advice: too few to tell a pattern.
pub const MIN_ACQUISITIONS: u64 = 100;

/// What to change, with the numbers that show why.
#[derive(Clone, Debug, PartialEq)]
pub enum Advice {
    /// A mutex taken mostly by `read()`: readers would overlap under `rw`.
    UseRw {
        /// The reads' share of the acquisitions, 0 to 1.
        read_share: f64,
    },
    /// An `rw` lock with contended readers and almost no writes: `read_mostly` readers
    /// never wait.
    UseReadMostly {
        /// The writes' share of the acquisitions, 0 to 1.
        write_share: f64,
        /// The share of the acquisitions that waited, 0 to 1.
        contended_share: f64,
    },
    /// An `rw` lock that is mostly written: `mutex` is cheaper.
    UseMutex {
        /// The writes' share of the acquisitions, 0 to 1.
        write_share: f64,
    },
    /// A `read_mostly` value written often: each write copies it.
    UseRwForWrites {
        /// The writes' share of the acquisitions, 0 to 1.
        write_share: f64,
    },
    /// One lock that many threads fight over: stripe it, or split it by field.
    Split {
        /// The share of the acquisitions that waited, 0 to 1.
        contended_share: f64,
    },
    /// Callers waited for a lazy field's initializer: run it at startup.
    WarmUp {
        /// How many callers waited for the initializer.
        waiters: u64,
        /// How long they waited, in all.
        waited: Duration,
    },
}

impl Advice {
    /// The advice for a site of `kind` and `part` with `counts`, if any applies.
    pub(crate) fn for_site(kind: Kind, part: &Part, counts: &Counts) -> Option<Advice> {
        if kind == Kind::Lazy {
            return (counts.waited >= Duration::from_millis(1)).then_some(Advice::WarmUp {
                waiters: counts.contended,
                waited: counts.waited,
            });
        }
        if counts.acquisitions() < MIN_ACQUISITIONS {
            return None;
        }
        let read_share = counts.share(counts.reads);
        let write_share = counts.share(counts.writes);
        let contended_share = counts.share(counts.contended);
        match kind {
            Kind::Mutex if read_share >= 0.8 && contended_share >= 0.01 => {
                Some(Advice::UseRw { read_share })
            }
            Kind::Rw if write_share <= 0.01 && contended_share >= 0.01 => {
                Some(Advice::UseReadMostly {
                    write_share,
                    contended_share,
                })
            }
            Kind::Rw if write_share >= 0.8 => Some(Advice::UseMutex { write_share }),
            Kind::ReadMostly if write_share >= 0.1 => Some(Advice::UseRwForWrites { write_share }),
            Kind::Mutex | Kind::Rw if *part == Part::Whole && contended_share >= 0.2 => {
                Some(Advice::Split { contended_share })
            }
            _ => None,
        }
    }

    /// The attribute to write, in a word or two: what a table column shows.
    pub fn change(&self) -> &'static str {
        match self {
            Advice::UseRw { .. } => "use rw",
            Advice::UseReadMostly { .. } => "use read_mostly",
            Advice::UseMutex { .. } => "use mutex",
            Advice::UseRwForWrites { .. } => "use rw",
            Advice::Split { .. } => "use sharded(N)",
            Advice::WarmUp { .. } => "warm up at start",
        }
    }
}

impl fmt::Display for Advice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |share: f64| share * 100.0;
        match self {
            Advice::UseRw { read_share } => write!(
                f,
                "use `rw`: {:.0}% of acquisitions are reads, which a mutex serializes; under \
                 `rw` they overlap",
                pct(*read_share)
            ),
            Advice::UseReadMostly {
                write_share,
                contended_share,
            } => write!(
                f,
                "use `read_mostly`: {:.1}% of acquisitions are writes, yet {:.0}% waited; \
                 `read_mostly` readers never wait (each write copies the state)",
                pct(*write_share),
                pct(*contended_share)
            ),
            Advice::UseMutex { write_share } => write!(
                f,
                "use `mutex`: {:.0}% of acquisitions are writes, and a mutex is cheaper than \
                 an rw lock for those",
                pct(*write_share)
            ),
            Advice::UseRwForWrites { write_share } => write!(
                f,
                "use `rw`: {:.0}% of acquisitions are writes, and each `read_mostly` write \
                 copies the whole state",
                pct(*write_share)
            ),
            Advice::Split { contended_share } => write!(
                f,
                "split this lock: {:.0}% of acquisitions waited. One lock over many keys: \
                 `#[sharded(N)]`; independent fields: a `#[lock(..)]` per field",
                pct(*contended_share)
            ),
            Advice::WarmUp { waiters, waited } => write!(
                f,
                "warm it up at start: {waiters} caller(s) waited {waited:?} in all for its \
                 initializer; call it once during startup"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(reads: u64, writes: u64, contended: u64) -> Counts {
        Counts {
            reads,
            writes,
            contended,
            ..Counts::default()
        }
    }

    fn advice(kind: Kind, part: Part, counts: Counts) -> Option<&'static str> {
        Advice::for_site(kind, &part, &counts).map(|a| a.change())
    }

    #[test]
    fn a_mutex_read_mostly_under_contention_should_be_rw() {
        assert_eq!(
            advice(Kind::Mutex, Part::Whole, counts(950, 50, 30)),
            Some("use rw")
        );
        // Its opposite: balanced, or without contention (rw would not help).
        assert_eq!(advice(Kind::Mutex, Part::Whole, counts(500, 500, 30)), None);
        assert_eq!(advice(Kind::Mutex, Part::Whole, counts(950, 50, 0)), None);
    }

    #[test]
    fn an_rw_lock_almost_never_written_with_waiting_readers_should_be_read_mostly() {
        let advice = |c| advice(Kind::Rw, Part::Whole, c);
        assert_eq!(advice(counts(9_995, 5, 200)), Some("use read_mostly"));
        assert_eq!(advice(counts(9_000, 1_000, 200)), None);
        assert_eq!(advice(counts(9_995, 5, 0)), None);
    }

    #[test]
    fn an_rw_lock_mostly_written_should_be_a_mutex() {
        assert_eq!(
            advice(Kind::Rw, Part::Field("log"), counts(100, 900, 0)),
            Some("use mutex")
        );
        assert_eq!(
            advice(Kind::Rw, Part::Field("log"), counts(500, 500, 0)),
            None
        );
    }

    #[test]
    fn a_read_mostly_value_written_often_should_be_rw() {
        assert_eq!(
            advice(Kind::ReadMostly, Part::Whole, counts(800, 200, 0)),
            Some("use rw")
        );
        assert_eq!(
            advice(Kind::ReadMostly, Part::Whole, counts(999, 1, 0)),
            None
        );
    }

    #[test]
    fn one_hot_lock_should_be_split() {
        let hot = counts(500, 500, 300);
        assert_eq!(
            advice(Kind::Mutex, Part::Whole, hot),
            Some("use sharded(N)")
        );
        // A field or a shard is already split; a calm lock needs nothing.
        assert_eq!(advice(Kind::Mutex, Part::Shard(3), hot), None);
        assert_eq!(advice(Kind::Mutex, Part::Whole, counts(500, 500, 10)), None);
    }

    #[test]
    fn a_lazy_field_waited_for_should_be_warmed_up() {
        let waited = Counts {
            contended: 3,
            waited: Duration::from_millis(5),
            ..Counts::default()
        };
        assert_eq!(
            advice(Kind::Lazy, Part::Field("db"), waited),
            Some("warm up at start")
        );
        assert_eq!(
            advice(Kind::Lazy, Part::Field("db"), Counts::default()),
            None
        );
    }

    #[test]
    fn too_few_acquisitions_get_no_advice() {
        assert_eq!(advice(Kind::Mutex, Part::Whole, counts(90, 0, 9)), None);
    }
}
