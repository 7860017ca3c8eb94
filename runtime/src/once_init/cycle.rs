//! Initialization cycles across threads, found before they hang.
//!
//! Thread 1 initializes `a`, whose initializer asks for `b`; meanwhile thread 2
//! initializes `b`, whose initializer asks for `a`. Each waits for the other forever.
//!
//! A thread about to wait for a field that another thread is initializing records an edge
//! "I wait for field F, which thread R runs" in one process-wide list, then follows the
//! edges from R: R waits for a field that R2 runs, R2 for one that R3 runs, ... If the
//! chain comes back to this thread, waiting would close a cycle, and this thread panics
//! instead (the last thread to close a cycle is the one that sees it whole).
//!
//! Cheap because it is rare: only a thread that is itself running an initializer records
//! an edge (a thread that runs none cannot be waited for, so it cannot be on a cycle), and
//! only a runner that had such waiters touches the list when it finishes. Plain callers
//! waiting for an initializer, the common contended case, never touch it, and the fast
//! path never sees any of this.
//!
//! Sound, with no false alarm: an edge `(F, R)` is added while holding F's protocol lock
//! and seeing R as F's runner, and R removes every edge on F, under F's lock, in the same
//! critical section in which it ends its attempt. So an edge exists exactly while its
//! waiter really waits for R's attempt. Locks nest one way only: a field's protocol lock,
//! then this list's lock; nothing is locked while holding this list's lock.
//!
//! Not detected: a cycle through anything but lazy fields, e.g. an initializer that waits on
//! a lock held by a thread that waits for this field, or on a channel (`docs/guarded.md`,
//! "Where it stops", says the same for lockwise's locks).

use super::reentrancy::ThreadKey;
use super::site::OnceSite;
use crate::sync::lock;

/// "`waiter` waits for `field`, whose initializer `runner` is running".
#[derive(Clone, Copy, Debug)]
pub(crate) struct Edge {
    pub(crate) waiter: ThreadKey,
    pub(crate) field: usize,
    pub(crate) field_site: &'static OnceSite,
    pub(crate) runner: ThreadKey,
}

#[cfg(not(loom))]
static WAITS: crate::sync::Mutex<Vec<Edge>> = crate::sync::Mutex::new(Vec::new());

#[cfg(loom)]
loom::lazy_static! {
    static ref WAITS: crate::sync::Mutex<Vec<Edge>> = crate::sync::Mutex::new(Vec::new());
}

/// Records `edge`, unless following the waits from its runner leads back to its waiter:
/// then nothing is recorded and the panic message is returned.
pub(crate) fn wait_for(edge: Edge) -> Result<(), String> {
    let mut waits = lock(&WAITS);
    let mut chain = vec![edge.field_site];
    let mut runner = edge.runner;
    // Each thread has at most one edge, so a chain longer than the list has looped
    // without this thread on it, which the threads on that loop would have reported.
    for _ in 0..=waits.len() {
        if runner == edge.waiter {
            return Err(message(&chain));
        }
        match waits.iter().find(|e| e.waiter == runner) {
            Some(next) => {
                chain.push(next.field_site);
                runner = next.runner;
            }
            None => break,
        }
    }
    waits.push(edge);
    Ok(())
}

/// Removes `waiter`'s edge; says whether it was still there (its runner removes it when
/// the attempt ends, so after a real wake-up it is gone).
pub(crate) fn forget_waiter(waiter: ThreadKey) -> bool {
    let mut waits = lock(&WAITS);
    match waits.iter().position(|e| e.waiter == waiter) {
        Some(at) => {
            waits.swap_remove(at);
            true
        }
        None => false,
    }
}

/// Removes every edge on `field`: its attempt has ended.
pub(crate) fn forget_field(field: usize) {
    lock(&WAITS).retain(|e| e.field != field);
}

/// `chain[0]` is what this thread is about to wait for; each next entry is what the
/// previous one's runner waits for; this thread runs the last one.
fn message(chain: &[&OnceSite]) -> String {
    let (first, rest) = chain.split_first().expect("a chain has a first field");
    let mut text = format!(
        "lockwise: initialization cycle across threads: this thread is about to wait for \
         `{first}`"
    );
    for site in rest {
        text.push_str(&format!(
            ", whose initializer (on another thread) waits for `{site}`"
        ));
    }
    let last = chain.last().expect("a chain has a last field");
    text.push_str(&format!(
        ", which this thread is initializing. No initializer could ever finish; the \
         initializers of lazy fields must not ask for each other (here through `{last}`)"
    ));
    text
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn key(n: usize) -> ThreadKey {
        // Keys come from thread-local addresses, never this small.
        ThreadKey::for_test(n)
    }

    const A: OnceSite = OnceSite::new("Pair", "a");
    const B: OnceSite = OnceSite::new("Pair", "b");
    const C: OnceSite = OnceSite::new("Pair", "c");

    fn edge(waiter: usize, field: usize, site: &'static OnceSite, runner: usize) -> Edge {
        Edge {
            waiter: key(waiter),
            field,
            field_site: site,
            runner: key(runner),
        }
    }

    // The list is process-wide: each test uses its own field ids and thread keys.

    #[test]
    fn a_two_thread_cycle_is_reported_to_the_thread_that_closes_it() {
        // Thread 1 runs a (field 10) and waits for b (field 11), which thread 2 runs.
        assert_eq!(wait_for(edge(1, 11, &B, 2)), Ok(()));
        // Thread 2, running b, now asks for a.
        let message = wait_for(edge(2, 10, &A, 1)).expect_err("a cycle");
        assert!(message.contains("wait for `Pair::a`"), "{message}");
        assert!(message.contains("waits for `Pair::b`"), "{message}");
        assert!(
            message.contains("which this thread is initializing"),
            "{message}"
        );
        assert!(forget_waiter(key(1)));
        assert!(!forget_waiter(key(2)), "a refused edge is not recorded");
    }

    #[test]
    fn a_chain_without_this_thread_is_no_cycle() {
        assert_eq!(wait_for(edge(21, 31, &B, 22)), Ok(()));
        assert_eq!(wait_for(edge(22, 32, &C, 23)), Ok(()));
        assert_eq!(wait_for(edge(24, 31, &B, 22)), Ok(()));
        forget_field(31);
        forget_field(32);
        assert!(!forget_waiter(key(21)) && !forget_waiter(key(22)) && !forget_waiter(key(24)));
    }

    #[test]
    fn a_three_thread_cycle_names_every_field() {
        assert_eq!(wait_for(edge(41, 52, &B, 42)), Ok(()));
        assert_eq!(wait_for(edge(42, 53, &C, 43)), Ok(()));
        let message = wait_for(edge(43, 51, &A, 41)).expect_err("a cycle");
        let order = ["`Pair::a`", "`Pair::b`", "`Pair::c`"].map(|s| message.find(s));
        assert!(order.iter().all(Option::is_some), "{message}");
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{message}");
        forget_field(52);
        forget_field(53);
    }
}
