//! `profile::reset()` zeroes every row, so it has a test binary of its own: in
//! `tests/profile.rs` it would wipe the counts of the tests running beside it.
#![cfg(feature = "profile")]

use lockwise::guarded;
use lockwise::profile::{Counts, report};

#[guarded]
#[derive(Default)]
struct Phase {
    n: u64,
}

fn counts() -> Counts {
    report().row("Phase").expect("a row for Phase").counts
}

#[test]
fn reset_zeroes_the_counts_and_counting_goes_on() {
    let lock = Phase::default();
    lock.write().n += 1;
    let _ = lock.read().n;
    assert_eq!((counts().reads, counts().writes), (1, 1));
    lockwise::profile::reset();
    assert_eq!(counts().acquisitions(), 0);
    lock.write().n += 1;
    assert_eq!((counts().reads, counts().writes), (0, 1));
}
