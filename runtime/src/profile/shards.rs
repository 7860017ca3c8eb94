//! One row per sharded type: its shards' counts summed under the user's type name, with
//! the busiest shard named and its share of the waits. Sixteen rows of `Sessions shard N`
//! hid the one fact a reader needs: whether the waits spread over the shards (more shards
//! help) or gather on one (a hot key, which more shards do not spread).

use std::collections::BTreeMap;

use crate::profile::counters::Counts;
use crate::profile::key::SiteKey;
use crate::vocabulary::Part;

/// How a sharded type's waits spread over its shards: the part of its [`Row`](crate::profile::Row)
/// that the other rows do not have.
///
/// ```
/// # #[cfg(feature = "profile")] {
/// use std::collections::HashMap;
/// use lockwise::sharded;
///
/// #[sharded(4)]
/// #[derive(Default)]
/// struct Visits { map: HashMap<u64, u64> }
///
/// let visits = Visits::new();
/// for page in 0..100 {
///     visits.insert(page, 1);
/// }
/// let report = lockwise::profile::report();
/// let row = report.row("Visits").expect("one row for the type, not one per shard");
/// let spread = row.shards.expect("a sharded type's row");
/// assert_eq!(row.counts.writes, 100);                    // every shard's, summed
/// assert!(spread.shards <= 4 && spread.busiest < 4);
/// assert_eq!(spread.busiest_share, 0.0);                 // nothing waited
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShardSpread {
    /// How many of its shards were counted (used at least once).
    pub shards: usize,
    /// The index of the busiest shard: the one whose callers waited longest (with no time
    /// waited, most often; with no waits at all, the most used).
    pub busiest: usize,
    /// The busiest shard's share of the type's waits, 0 to 1: of the time waited, or of the
    /// number of waits when none took time; 0 when nothing waited.
    pub busiest_share: f64,
    /// How many of the type's waits were the busiest shard's.
    pub busiest_waits: u64,
}

impl ShardSpread {
    /// The chance that, were `waits` waits spread evenly at random over these shards, some
    /// shard would get [`busiest_waits`](Self::busiest_waits) or more of them (a union bound:
    /// shards × P(Binomial(waits, 1/shards) ≥ busiest_waits)), 0 to 1. Small: the busiest
    /// shard's waits are no accident.
    ///
    /// ```
    /// # #[cfg(feature = "profile")] {
    /// use lockwise::profile::ShardSpread;
    ///
    /// let spread = ShardSpread { shards: 8, busiest: 3, busiest_share: 1.0, busiest_waits: 4 };
    /// // Four waits, all on one of 8 shards: 8 × (1/8)^4, about 0.2%.
    /// assert!((spread.chance_if_even(4) - 8.0 / 4096.0).abs() < 1e-12);
    /// # }
    /// ```
    pub fn chance_if_even(&self, waits: u64) -> f64 {
        let busiest = self.busiest_waits;
        if self.shards < 2 || busiest == 0 {
            return 1.0;
        }
        // Past this many waits, a share of twice the fair one is never chance; the sum below
        // would only take longer.
        if waits > 100_000 {
            return 0.0;
        }
        let p = 1.0 / self.shards as f64;
        let (k, step) = (waits as f64, (p / (1.0 - p)).ln());
        // log P(X = i), from i = 0 up: P(0) = (1-p)^k, P(i+1) = P(i) (k-i)/(i+1) p/(1-p).
        let mut log_pmf = k * (1.0 - p).ln();
        let mut tail = 0.0;
        for i in 0..=waits {
            if i >= busiest {
                tail += log_pmf.exp();
            }
            let i = i as f64;
            log_pmf += ((k - i) / (i + 1.0)).ln() + step;
        }
        (self.shards as f64 * tail).min(1.0)
    }
}

/// A site of the report: its key (a sharded type's with [`Part::Whole`]), how many locks it
/// counted, what they counted, and for a sharded type how its shards compare.
pub(crate) type Folded = (SiteKey, usize, Counts, Option<ShardSpread>);

/// Folds every `Part::Shard` site of one type and mode into one site; the rest pass through.
pub(crate) fn fold(sites: BTreeMap<SiteKey, (usize, Counts)>) -> Vec<Folded> {
    let mut folded = Vec::new();
    let mut sharded: BTreeMap<SiteKey, Vec<(usize, usize, Counts)>> = BTreeMap::new();
    for (key, (locks, counts)) in sites {
        match key.part {
            Part::Shard(index) => {
                let whole = SiteKey {
                    part: Part::Whole,
                    ..key
                };
                sharded
                    .entry(whole)
                    .or_default()
                    .push((index, locks, counts));
            }
            _ => folded.push((key, locks, counts, None)),
        }
    }
    for (key, shards) in sharded {
        let mut total = Counts::default();
        let mut locks = 0;
        for (_, n, counts) in &shards {
            locks += n;
            total.add(*counts);
        }
        let spread = spread(&shards, &total);
        folded.push((key, locks, total, Some(spread)));
    }
    folded
}

/// Which shard was busiest, and by how much.
fn spread(shards: &[(usize, usize, Counts)], total: &Counts) -> ShardSpread {
    let weight = |c: &Counts| (c.waited, c.contended, c.acquisitions());
    let busiest = shards
        .iter()
        .max_by(|a, b| weight(&a.2).cmp(&weight(&b.2)).then(b.0.cmp(&a.0)))
        .map_or((0, Counts::default()), |(index, _, counts)| {
            (*index, *counts)
        });
    let busiest_share = if !total.waited.is_zero() {
        busiest.1.waited.as_secs_f64() / total.waited.as_secs_f64()
    } else if total.contended > 0 {
        busiest.1.contended as f64 / total.contended as f64
    } else {
        0.0
    };
    ShardSpread {
        shards: shards.len(),
        busiest: busiest.0,
        busiest_share,
        busiest_waits: busiest.1.contended,
    }
}

#[cfg(test)]
mod tests {
    use core::time::Duration;

    use super::*;
    use crate::vocabulary::Kind;

    fn key(part: Part) -> SiteKey {
        SiteKey {
            path: "app::Sessions",
            part,
            kind: Kind::Rw,
        }
    }

    fn waited(ms: u64, contended: u64) -> Counts {
        Counts {
            reads: 10,
            contended,
            waited: Duration::from_millis(ms),
            ..Counts::default()
        }
    }

    #[test]
    fn the_shards_of_a_type_are_one_site_with_the_busiest_named() {
        let mut sites = BTreeMap::new();
        sites.insert(key(Part::Shard(0)), (1, waited(10, 1)));
        sites.insert(key(Part::Shard(3)), (2, waited(40, 2)));
        sites.insert(key(Part::Shard(5)), (1, waited(50, 1)));
        sites.insert(key(Part::Field("other")), (1, waited(0, 0)));
        let folded = fold(sites);
        assert_eq!(folded.len(), 2);
        let (site, locks, counts, spread) = folded
            .iter()
            .find(|f| f.3.is_some())
            .expect("the sharded type's site");
        assert_eq!((&site.part, *locks), (&Part::Whole, 4));
        assert_eq!((counts.reads, counts.contended), (30, 4));
        assert_eq!(counts.waited, Duration::from_millis(100));
        let spread = spread.expect("a spread");
        assert_eq!((spread.shards, spread.busiest), (3, 5));
        assert!((spread.busiest_share - 0.5).abs() < 1e-9);
        assert_eq!(spread.busiest_waits, 1);
    }

    #[test]
    fn the_chance_of_an_even_spread_falls_with_the_busiest_shards_waits() {
        let spread = |shards, busiest_waits| ShardSpread {
            shards,
            busiest: 0,
            busiest_share: 1.0,
            busiest_waits,
        };
        // All 3 waits on one of 8 shards: 8 × (1/8)^3 = 1/64.
        assert!((spread(8, 3).chance_if_even(3) - 1.0 / 64.0).abs() < 1e-12);
        // 3 of 8 waits on one of 16 shards happens often; 10 of 20 does not.
        assert!(spread(16, 3).chance_if_even(8) > 0.1);
        assert!(spread(16, 10).chance_if_even(20) < 1e-4);
        // At least 0 waits is certain; a lone shard has no spread.
        assert_eq!(spread(16, 0).chance_if_even(20), 1.0);
        assert_eq!(spread(1, 5).chance_if_even(5), 1.0);
        assert_eq!(spread(16, 60_000).chance_if_even(200_000), 0.0);
    }

    #[test]
    fn without_wait_time_the_busiest_is_by_waits_then_by_use() {
        let counts = [
            (0, 1, waited(0, 1)),
            (1, 1, waited(0, 3)),
            (2, 1, waited(0, 0)),
        ];
        let total = counts.iter().fold(Counts::default(), |mut t, c| {
            t.add(c.2);
            t
        });
        let spread = spread(&counts, &total);
        assert_eq!(spread.busiest, 1);
        assert!((spread.busiest_share - 0.75).abs() < 1e-9);
        let calm = [(0, 1, Counts::default()), (1, 1, waited(0, 0))];
        let spread = super::spread(&calm, &waited(0, 0));
        assert_eq!((spread.busiest, spread.busiest_share), (1, 0.0));
    }
}
