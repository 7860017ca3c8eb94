//! The seed's advice, as rules over one site's counts: which word of the attribute to
//! change. Each rule needs enough acquisitions to mean something, reads its numbers from
//! `rules.rs`, and says why; "contended" is `contention.rs`'s, by count or by time.

use core::fmt;
use core::time::Duration;

use crate::profile::contention::{Contention, percent};
use crate::profile::counters::Counts;
use crate::profile::rules;
use crate::profile::shards::ShardSpread;
use crate::vocabulary::{Kind, Part};

/// What to change, with the numbers that show why.
#[derive(Clone, Debug, PartialEq)]
pub enum Advice {
    /// A contended mutex taken mostly by `read()`: readers would overlap under `rw`.
    UseRw {
        /// The reads' share of the acquisitions, 0 to 1.
        read_share: f64,
        /// How much it waited.
        contention: Contention,
    },
    /// A contended `rw` lock with almost no writes: `read_mostly` readers never wait.
    UseReadMostly {
        /// The writes' share of the acquisitions, 0 to 1.
        write_share: f64,
        /// How much it waited.
        contention: Contention,
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
    /// One whole-struct lock that many threads fight over: stripe it, or split it by field.
    Split {
        /// How much it waited.
        contention: Contention,
    },
    /// A sharded type whose waits gather on one shard: a hot key, which more shards would
    /// not spread.
    HotShard {
        /// The busiest shard's index.
        shard: usize,
        /// Its share of the type's waits, 0 to 1.
        share: f64,
        /// How much the type waited, all shards together.
        contention: Contention,
    },
    /// A sharded type whose waits spread over its shards, and are many: more shards.
    MoreShards {
        /// How many shards were counted.
        shards: usize,
        /// How much the type waited, all shards together.
        contention: Contention,
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
    /// The advice for a site of `kind` and `part` with `counts` (and, for a sharded type,
    /// how its shards compare), if a rule applies. The first rule that applies wins.
    pub(crate) fn for_site(
        kind: Kind,
        part: &Part,
        shards: Option<&ShardSpread>,
        counts: &Counts,
    ) -> Option<Advice> {
        if kind == Kind::Lazy {
            return (counts.waited >= rules::LAZY_WAIT).then_some(Advice::WarmUp {
                waiters: counts.contended,
                waited: counts.waited,
            });
        }
        if counts.acquisitions() < rules::MIN_ACQUISITIONS {
            return None;
        }
        let contention = Contention::of(counts);
        if let Some(spread) = shards {
            if let Some(hot) = hot_shard(spread, &contention) {
                return Some(hot);
            }
        }
        let read_share = counts.share(counts.reads);
        let write_share = counts.share(counts.writes);
        let contended = contention.is_contended();
        match kind {
            Kind::Mutex if read_share >= rules::READ_SHARE_FOR_RW && contended => {
                return Some(Advice::UseRw {
                    read_share,
                    contention,
                });
            }
            // A sharded type has no read_mostly mode: for it, this rule stays quiet.
            Kind::Rw
                if shards.is_none()
                    && write_share <= rules::WRITE_SHARE_FOR_READ_MOSTLY
                    && contended =>
            {
                return Some(Advice::UseReadMostly {
                    write_share,
                    contention,
                });
            }
            Kind::Rw if write_share >= rules::WRITE_SHARE_FOR_MUTEX => {
                return Some(Advice::UseMutex { write_share });
            }
            Kind::ReadMostly if write_share >= rules::WRITE_SHARE_FOR_RW => {
                return Some(Advice::UseRwForWrites { write_share });
            }
            _ => {}
        }
        let lock = matches!(kind, Kind::Mutex | Kind::Rw);
        match shards {
            Some(spread) if lock && contention.is_hot() => Some(Advice::MoreShards {
                shards: spread.shards,
                contention,
            }),
            None if lock && *part == Part::Whole && contention.is_hot() => {
                Some(Advice::Split { contention })
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
            Advice::HotShard { .. } => "hot key",
            Advice::MoreShards { .. } => "more shards",
            Advice::WarmUp { .. } => "warm up at start",
        }
    }
}

/// A contended sharded type whose busiest shard took at least
/// [`HOT_SHARD_SHARE`](rules::HOT_SHARD_SHARE) of the waits and twice its fair share, with
/// more waits than an even spread would give it by chance
/// ([`HOT_SHARD_CHANCE`](rules::HOT_SHARD_CHANCE)).
fn hot_shard(spread: &ShardSpread, contention: &Contention) -> Option<Advice> {
    let fair = 1.0 / spread.shards.max(1) as f64;
    let hot = spread.shards >= 2
        && contention.is_contended()
        && spread.busiest_share >= rules::HOT_SHARD_SHARE.max(2.0 * fair)
        && spread.chance_if_even(contention.waits) <= rules::HOT_SHARD_CHANCE;
    hot.then_some(Advice::HotShard {
        shard: spread.busiest,
        share: spread.busiest_share,
        contention: *contention,
    })
}

impl fmt::Display for Advice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Advice::UseRw {
                read_share,
                contention,
            } => write!(
                f,
                "use `rw`: {} of acquisitions are reads, which a mutex serializes, and \
                 {contention}; under `rw` readers overlap",
                percent(*read_share)
            ),
            Advice::UseReadMostly {
                write_share,
                contention,
            } => write!(
                f,
                "use `read_mostly`: {} of acquisitions are writes, yet {contention}; \
                 `read_mostly` readers never wait (each write copies the state)",
                percent(*write_share)
            ),
            Advice::UseMutex { write_share } => write!(
                f,
                "use `mutex`: {} of acquisitions are writes, and a mutex is cheaper than \
                 an rw lock for those",
                percent(*write_share)
            ),
            Advice::UseRwForWrites { write_share } => write!(
                f,
                "use `rw`: {} of acquisitions are writes, and each `read_mostly` write \
                 copies the whole state",
                percent(*write_share)
            ),
            Advice::Split { contention } => write!(
                f,
                "split this lock: {contention}. One lock over many keys: `#[sharded(N)]`; \
                 independent fields: a `#[lock(..)]` per field"
            ),
            Advice::HotShard {
                shard,
                share,
                contention,
            } => write!(
                f,
                "a hot key: shard {shard} took {} of the waits ({contention}); more shards \
                 will not spread one key: give its value a lock of its own, or split it",
                percent(*share)
            ),
            Advice::MoreShards { shards, contention } => write!(
                f,
                "more shards: {contention}, spread over {shards} shards; try \
                 `#[sharded({})]`",
                (shards * 2).next_power_of_two().min(1024)
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
            observed: Duration::from_secs(1),
            ..Counts::default()
        }
    }

    /// `counts`, whose waits added up to `waited_ms` of the second observed.
    fn waited(mut counts: Counts, waited_ms: u64) -> Counts {
        counts.waited = Duration::from_millis(waited_ms);
        counts
    }

    fn advice(kind: Kind, part: Part, counts: Counts) -> Option<&'static str> {
        Advice::for_site(kind, &part, None, &counts).map(|a| a.change())
    }

    fn sharded(kind: Kind, spread: ShardSpread, counts: Counts) -> Option<&'static str> {
        Advice::for_site(kind, &Part::Whole, Some(&spread), &counts).map(|a| a.change())
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
    fn a_mutex_read_mostly_with_few_long_waits_should_be_rw() {
        // The seed's case: 18 waits in 200,021 (0.009%), 419 ms of a 1 s run.
        let few_long = waited(counts(200_001, 20, 18), 419);
        assert_eq!(advice(Kind::Mutex, Part::Whole, few_long), Some("use rw"));
        // The same few waits, short: under the minimum, and under 1% of the run.
        assert_eq!(
            advice(Kind::Mutex, Part::Whole, waited(counts(200_001, 20, 18), 0)),
            None
        );
        let balanced = waited(counts(100_000, 100_000, 18), 419);
        assert_ne!(advice(Kind::Mutex, Part::Whole, balanced), Some("use rw"));
    }

    #[test]
    fn an_rw_lock_almost_never_written_with_waiting_readers_should_be_read_mostly() {
        let advice = |c| advice(Kind::Rw, Part::Whole, c);
        assert_eq!(advice(counts(9_995, 5, 200)), Some("use read_mostly"));
        // By time: 52 waits of 100,010 (0.05%), 104 ms of the second.
        assert_eq!(
            advice(waited(counts(100_000, 10, 52), 104)),
            Some("use read_mostly")
        );
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
        // Hot by time: 2% waited, and threads waited, together, 1.2 s of the 1 s run.
        assert_eq!(
            advice(
                Kind::Mutex,
                Part::Whole,
                waited(counts(500, 500, 20), 1_200)
            ),
            Some("use sharded(N)")
        );
        // A few long stalls are not a hot lock.
        assert_eq!(
            advice(Kind::Mutex, Part::Whole, waited(counts(500, 500, 5), 1_200)),
            None
        );
        // A field is already split; a calm lock needs nothing.
        assert_eq!(advice(Kind::Mutex, Part::Field("stats"), hot), None);
        assert_eq!(advice(Kind::Mutex, Part::Whole, counts(500, 500, 10)), None);
    }

    #[test]
    fn a_sharded_type_whose_waits_gather_on_one_shard_has_a_hot_key() {
        let spread = |busiest_share| ShardSpread {
            shards: 16,
            busiest: 3,
            busiest_share,
            busiest_waits: 4,
        };
        let contended = waited(counts(600, 400, 5), 100);
        assert_eq!(sharded(Kind::Rw, spread(0.4), contended), Some("hot key"));
        // Spread out: no hot key; hot all over: more shards.
        assert_eq!(sharded(Kind::Rw, spread(0.1), contended), None);
        let hot = waited(counts(600, 400, 300), 1_100);
        assert_eq!(sharded(Kind::Rw, spread(0.1), hot), Some("more shards"));
        // A busiest shard whose waits could be chance: 2 of 5 over 16 shards.
        let unlucky = ShardSpread {
            busiest_waits: 2,
            ..spread(0.4)
        };
        assert_eq!(sharded(Kind::Rw, unlucky, contended), None);
        // Without contention a busy shard is just busy.
        assert_eq!(sharded(Kind::Rw, spread(1.0), counts(600, 400, 0)), None);
        // Of two shards, one takes a hot key's share only when it takes all the waits.
        let two = ShardSpread {
            shards: 2,
            busiest: 1,
            busiest_share: 0.7,
            busiest_waits: 4,
        };
        assert_eq!(sharded(Kind::Rw, two, contended), None);
        // read_mostly is no sharded mode: a sharded rw type is never told to use it.
        assert_eq!(sharded(Kind::Rw, spread(0.1), counts(9_995, 5, 200)), None);
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
        assert_eq!(
            advice(Kind::Mutex, Part::Whole, waited(counts(90, 0, 2), 900)),
            None
        );
    }

    #[test]
    fn the_advice_says_why_in_numbers() {
        let few_long = waited(counts(200_001, 20, 18), 419);
        let advice = Advice::for_site(Kind::Mutex, &Part::Whole, None, &few_long).unwrap();
        assert_eq!(
            advice.to_string(),
            "use `rw`: 100% of acquisitions are reads, which a mutex serializes, and 18 of \
             200021 acquisitions waited (0.01%), 419.0ms in all (42% of the 1.0s observed); \
             under `rw` readers overlap"
        );
    }
}
