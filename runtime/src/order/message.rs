//! What the order checks say when they refuse an acquisition across values (debug
//! builds): a lock-order inversion found in the graph, and a condition wait while holding
//! another lock. The same-value messages (re-lock, field order, same shard) are
//! `site.rs`'s.

use super::graph::{Inversion, Level};
use super::site::LockSite;

/// How two locks are named so that a reader can tell them apart: `(held, taken)`.
fn pair_names(held: &LockSite, taken: &LockSite) -> (String, String) {
    if held.same_object(taken) {
        (held.lock_name(""), taken.lock_name("the same value of "))
    } else if held.same_type(taken) {
        (
            held.lock_name("one value of "),
            taken.lock_name("another value of "),
        )
    } else {
        (held.lock_name(""), taken.lock_name(""))
    }
}

/// The panic of an acquisition that would close a cycle in the order graph.
pub(crate) fn inversion(found: &Inversion) -> String {
    let (from, to) = (&found.step.from, &found.step.to);
    let (held, taken) = pair_names(&from.site, &to.site);
    let as_class = found.level == Level::Classes;
    let mut names: Vec<String> = found
        .path
        .iter()
        .map(|site| site.short_lock_name(as_class))
        .collect();
    // Two values of one type have one name: say which end is which.
    if !as_class && from.site.same_type(&to.site) && names.len() >= 2 {
        let last = names.len() - 1;
        names[0].push_str(" (the one taken now)");
        names[last].push_str(" (the one held)");
    }
    let path = names.join(" → ");
    let first_step = match (found.path.first(), found.path.get(1)) {
        (Some(a), Some(b)) => format!(
            "{} was held (taken at {}) while {} was taken (at {})",
            a.short_lock_name(as_class),
            found.first.from_at,
            b.short_lock_name(as_class),
            found.first.to_at,
        ),
        _ => String::new(),
    };
    let scope = match found.level {
        Level::Instances => "",
        Level::Classes => {
            " (on other values of these types: between different types the order is per \
             type, because two threads that meet on one pair of values deadlock)"
        }
    };
    let remedy = if from.site.same_object(&to.site) {
        // Two fields or two shards of one value: `write_both` is for two values.
        "take them in one order everywhere, or hold one at a time"
    } else if from.site.same_type(&to.site) {
        "take them in one order everywhere, or hold one at a time; for two values of one \
         type, `lockwise::write_both(&a, &b)` takes them in a stable order"
    } else {
        "take them in one order everywhere, or hold one at a time (for two values of one \
         type, `lockwise::write_both(&a, &b)` takes them in a stable order)"
    };
    format!(
        "lockwise: lock order inversion: this thread holds {held}, taken at {held_at}, and \
         is taking {taken} at {taken_at}; but the opposite order was recorded before{scope}: \
         {path}, where {first_step}. Two threads taking them in opposite orders wait for each \
         other forever, so this panics before waiting: {remedy}",
        held_at = from.at,
        taken_at = to.at,
    )
}

/// The panic of a condition wait on `site` while this thread holds `held` (another lock).
pub(crate) fn waits_holding(site: &LockSite, held: &LockSite) -> String {
    let (held, waited) = pair_names(held, site);
    format!(
        "lockwise: this thread waits for a condition on {waited} while it holds {held}; the \
         thread that would make the condition true may need that lock, and would wait for \
         this one forever: drop the other guard before waiting"
    )
}
