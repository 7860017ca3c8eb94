//! The report as JSON, written by hand: strings and numbers only, so a serializer
//! dependency would buy nothing.

use core::fmt::Write as _;

use crate::profile::report::{Report, Row};
use crate::vocabulary::Part;

impl Report {
    /// The report as JSON: `{"rows": [{"site": .., "path": .., "kind": .., ..}]}`, with
    /// durations in nanoseconds and `null` where a row has no pool, no shards or no advice.
    pub fn to_json(&self) -> String {
        report(self)
    }
}

fn report(report: &Report) -> String {
    let mut out = String::from("{\"rows\":[");
    for (i, row) in report.rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_row(&mut out, row);
    }
    out.push_str("]}");
    out
}

fn write_row(out: &mut String, row: &Row) {
    let c = &row.counts;
    out.push('{');
    field(out, "site", &string(&row.site()));
    field(out, "path", &string(row.path));
    let part = match &row.part {
        Part::Whole => "null".to_owned(),
        Part::Field(name) => format!("{{\"field\":{}}}", string(name)),
        Part::Shard(index) => format!("{{\"shard\":{index}}}"),
    };
    field(out, "part", &part);
    field(out, "kind", &string(row.kind.word()));
    field(out, "locks", &row.locks.to_string());
    field(out, "reads", &c.reads.to_string());
    field(out, "writes", &c.writes.to_string());
    field(out, "contended", &c.contended.to_string());
    field(out, "waited_ns", &c.waited.as_nanos().to_string());
    field(out, "max_wait_ns", &c.max_wait.as_nanos().to_string());
    field(out, "held_ns", &c.held.as_nanos().to_string());
    field(out, "hold_samples", &c.hold_samples.to_string());
    field(out, "condition_waits", &c.condition_waits.to_string());
    field(
        out,
        "condition_waited_ns",
        &c.condition_waited.as_nanos().to_string(),
    );
    field(out, "observed_ns", &c.observed.as_nanos().to_string());
    let shards = match &row.shards {
        Some(s) => format!(
            "{{\"shards\":{},\"busiest\":{},\"busiest_share\":{}}}",
            s.shards, s.busiest, s.busiest_share
        ),
        None => "null".to_owned(),
    };
    field(out, "shards", &shards);
    let pool = match &row.pool {
        Some(p) => format!(
            "{{\"hits\":{},\"misses\":{},\"discarded\":{},\"idle\":{}}}",
            p.hits, p.misses, p.discarded, p.idle
        ),
        None => "null".to_owned(),
    };
    field(out, "pool", &pool);
    let advice = match &row.advice {
        Some(advice) => format!(
            "{{\"change\":{},\"why\":{}}}",
            string(advice.change()),
            string(&advice.to_string())
        ),
        None => "null".to_owned(),
    };
    let _ = write!(out, "\"advice\":{advice}");
    out.push('}');
}

fn field(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, "\"{name}\":{value},");
}

/// `text` as a JSON string: quoted, with `"`, `\` and control characters escaped.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
        assert_eq!(string("`Cache` (app::Cache)"), "\"`Cache` (app::Cache)\"");
    }
}
