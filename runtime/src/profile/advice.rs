//! The seed's advice, as rules over one site's counts: which word of the attribute to
//! change. Each rule needs enough acquisitions to mean something, and says why.

use core::fmt;
use core::time::Duration;

use crate::profile::counters::Counts;
use crate::profile::registry::{Kind, Part};

/// Below this many acquisitions a site gets no advice: too few to tell a pattern.
pub const MIN_ACQUISITIONS: u64 = 100;

/// What to change, with the numbers that show why.
#[derive(Clone, Debug, PartialEq)]
pub enum Advice {
    /// A mutex taken mostly by `read()`: readers would overlap under `rw`.
    UseRw { read_share: f64 },
    /// An `rw` lock with contended readers and almost no writes: `read_mostly` readers
    /// never wait.
    UseReadMostly {
        write_share: f64,
        contended_share: f64,
    },
    /// An `rw` lock that is mostly written: `mutex` is cheaper.
    UseMutex { write_share: f64 },
    /// A `read_mostly` value written often: each write copies it.
    UseRwForWrites { write_share: f64 },
    /// One lock that many threads fight over: stripe it, or split it by field.
    Split { contended_share: f64 },
    /// Callers waited for a lazy field's initializer: run it at startup.
    WarmUp { waiters: u64, waited: Duration },
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
