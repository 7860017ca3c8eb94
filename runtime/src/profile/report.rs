//! The report: one row per site (one per sharded type, `shards.rs`), sorted by the time
//! its callers waited for the lock, each with its advice; `Display` prints an aligned
//! table, [`Report::to_json`] a machine-readable copy.

use core::fmt;
use core::time::Duration;
use std::collections::BTreeMap;

use crate::profile::advice::Advice;
use crate::profile::contention::percent;
use crate::profile::counters::Counts;
use crate::profile::key::SiteKey;
use crate::profile::registry;
use crate::profile::shards::{self, ShardSpread};
use crate::vocabulary::{Kind, Part, PoolStats};

/// What every lockwise lock, lazy field and pool counted, per site. See the
/// [module](crate::profile) for what is counted and how to read it.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The rows, most time waited first.
    pub rows: Vec<Row>,
}

/// One site: a type (and field), every value of it counted together; a sharded type's
/// shards are one row.
#[derive(Clone, Debug)]
pub struct Row {
    /// The type's path: `app::cache::Cache`.
    pub path: &'static str,
    /// Which of its locks: the whole struct's or a field's. A sharded type's row is
    /// [`Part::Whole`], its shards summed, with [`shards`](Self::shards) set.
    pub part: Part,
    /// The lock's mode, a lazy field, or a pool.
    pub kind: Kind,
    /// How many locks (values) of this site were counted, the dropped ones included.
    pub locks: usize,
    /// What they counted, summed (all zero for a pool).
    pub counts: Counts,
    /// A pool's own counters.
    pub pool: Option<PoolStats>,
    /// For a sharded type: how many shards were counted, the busiest, its share of waits.
    pub shards: Option<ShardSpread>,
    /// What to change, if a rule applies.
    pub advice: Option<Advice>,
}

impl Report {
    /// Reads every registered site's counters now.
    pub(crate) fn collect() -> Self {
        let registry::Snapshot { locks, pools } = registry::snapshot();
        let mut sites: BTreeMap<SiteKey, (usize, Counts)> = BTreeMap::new();
        for (key, n, counts) in locks {
            let (all, total) = sites.entry(key).or_default();
            *all += n;
            total.add(counts);
        }
        let mut pooled: BTreeMap<SiteKey, PoolStats> = BTreeMap::new();
        for (key, stats) in pools {
            let total = pooled.entry(key).or_default();
            total.hits += stats.hits;
            total.misses += stats.misses;
            total.discarded += stats.discarded;
            total.idle += stats.idle;
        }
        let mut rows: Vec<Row> = shards::fold(sites)
            .into_iter()
            .map(|(key, locks, counts, shards)| Row {
                advice: Advice::for_site(key.kind, &key.part, shards.as_ref(), &counts),
                path: key.path,
                part: key.part,
                kind: key.kind,
                locks,
                counts,
                pool: None,
                shards,
            })
            .chain(pooled.into_iter().map(|(key, stats)| Row {
                path: key.path,
                part: key.part,
                kind: key.kind,
                locks: 1,
                counts: Counts::default(),
                pool: Some(stats),
                shards: None,
                advice: None,
            }))
            .collect();
        // Busiest first: the row a reader looks at first is the one that waited longest,
        // which is also the one the time rules judge most likely to be contended.
        rows.sort_by(|a, b| {
            b.counts
                .waited
                .cmp(&a.counts.waited)
                .then(b.counts.acquisitions().cmp(&a.counts.acquisitions()))
                .then(a.site().cmp(&b.site()))
        });
        Report { rows }
    }

    /// The row of the site named `site` (as [`Row::site`] prints it), if any.
    pub fn row(&self, site: &str) -> Option<&Row> {
        self.rows.iter().find(|row| row.site() == site)
    }
}

impl Row {
    /// The site as the table names it: `Cache`, `Server::config`, `Sessions` (a sharded
    /// type: all its shards).
    pub fn site(&self) -> String {
        let short = self.path.rsplit("::").next().unwrap_or(self.path);
        match &self.part {
            Part::Whole => short.to_owned(),
            Part::Field(field) => format!("{short}::{field}"),
            Part::Shard(index) => format!("{short} shard {index}"),
        }
    }
}

/// `1.234ms`-style, short.
fn duration(d: Duration) -> String {
    if d.is_zero() {
        "0".to_owned()
    } else {
        format!("{d:.1?}")
    }
}

/// The table's columns, in order. Lock contention ("waited", "wait time", "max wait") and
/// condition waits ("cond waits", "cond time") have columns of their own: they never mix.
const HEADER: [&str; 13] = [
    "site",
    "kind",
    "locks",
    "reads",
    "writes",
    "waited",
    "wait time",
    "max wait",
    "mean hold",
    "cond waits",
    "cond time",
    "busiest shard",
    "advice",
];

/// One row's cells, as [`HEADER`] names them.
fn cells(row: &Row) -> [String; 13] {
    let c = &row.counts;
    let (reads, writes, contended) = match &row.pool {
        Some(pool) => (
            format!("{} hit", pool.hits),
            format!("{} miss", pool.misses),
            format!("{} drop", pool.discarded),
        ),
        None => (
            c.reads.to_string(),
            c.writes.to_string(),
            c.contended.to_string(),
        ),
    };
    let busiest = match &row.shards {
        Some(spread) if spread.busiest_share > 0.0 => format!(
            "{} of {}: {}",
            spread.busiest,
            spread.shards,
            percent(spread.busiest_share)
        ),
        Some(spread) => format!("- of {}", spread.shards),
        None => String::new(),
    };
    [
        row.site(),
        row.kind.word().to_owned(),
        row.locks.to_string(),
        reads,
        writes,
        contended,
        duration(c.waited),
        duration(c.max_wait),
        c.mean_hold().map_or_else(|| "-".to_owned(), duration),
        c.condition_waits.to_string(),
        duration(c.condition_waited),
        busiest,
        row.advice.as_ref().map_or("", Advice::change).to_owned(),
    ]
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cells: Vec<[String; 13]> = self.rows.iter().map(cells).collect();
        let mut widths = HEADER.map(str::len);
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let last = HEADER.len() - 1;
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
                // Names left, numbers right; the advice column is last and not padded.
                match i {
                    0 | 1 => write!(f, "{cell:<width$}  ")?,
                    i if i == last => write!(f, "{cell}")?,
                    _ => write!(f, "{cell:>width$}  ")?,
                }
            }
            writeln!(f)
        };
        line(f, &HEADER.map(str::to_owned))?;
        for row in &cells {
            line(f, row)?;
        }
        // In the table's order: the busiest row's advice first.
        let advice: Vec<&Row> = self.rows.iter().filter(|r| r.advice.is_some()).collect();
        if !advice.is_empty() {
            writeln!(f)?;
            for row in advice {
                if let Some(advice) = &row.advice {
                    writeln!(f, "{} ({}): {advice}", row.site(), row.path)?;
                }
            }
        }
        Ok(())
    }
}
