//! What the debug-build order checks cost one uncontended acquisition: DESIGN.md §9's
//! "debug builds: one uncontended acquisition with the order checks".
//!
//! Meant for the dev profile, where the checks exist (in a release build they compile
//! away, which `benches/guarded_instructions.rs` shows):
//!
//! ```text
//! cargo bench -p lockwise-runtime --bench debug_acquisition --profile dev
//! ```
//!
//! prints nanoseconds per acquisition (best of several rounds) for each case. For
//! instruction counts, run one case under callgrind twice, with two iteration counts, and
//! divide the difference of the totals by the difference of the counts (so start-up and the
//! first, id-assigning acquisition cancel out):
//!
//! ```text
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/debug/deps/debug_acquisition-<hash> nested 100000
//! ```
//!
//! Cases: `alone` (a `write()` holding nothing else: the per-thread list and the node id,
//! no graph), `nested` (a `write()` while holding another lock: an edge, found in the
//! thread's cache after the first time), `read` (an rw `read()` while holding another lock).

use std::hint::black_box;
use std::time::Instant;

use lockwise::{Guarded, mode};

fn alone(iterations: u64) {
    let lock: Guarded<u64, mode::Mutex> = Guarded::new(0);
    for _ in 0..iterations {
        *black_box(&lock).write() += 1;
    }
    black_box(lock.into_inner());
}

fn nested(iterations: u64) {
    let outer: Guarded<u64, mode::Mutex> = Guarded::new(0);
    let inner: Guarded<u32, mode::Mutex> = Guarded::new(0);
    let _outer = outer.write();
    for _ in 0..iterations {
        *black_box(&inner).write() += 1;
    }
}

fn read(iterations: u64) {
    let outer: Guarded<u64, mode::Mutex> = Guarded::new(0);
    let inner: Guarded<u32, mode::Rw> = Guarded::new(0);
    let _outer = outer.write();
    for _ in 0..iterations {
        black_box(*black_box(&inner).read());
    }
}

/// A case: its name, and the function that runs it for a number of iterations.
type Case = (&'static str, fn(u64));

const CASES: [Case; 3] = [("alone", alone), ("nested", nested), ("read", read)];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; a case name and a count run that case once (callgrind).
    let named: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if let [name, count] = named.as_slice() {
        let count: u64 = count.parse().expect("an iteration count");
        let (_, case) = CASES
            .iter()
            .find(|(case, _)| case == name)
            .expect("a case: alone, nested or read");
        case(count);
        return;
    }
    const ITERATIONS: u64 = 1_000_000;
    println!(
        "one uncontended acquisition, {} build",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    for (name, case) in CASES {
        let best = (0..5)
            .map(|_| {
                let started = Instant::now();
                case(ITERATIONS);
                started.elapsed().as_nanos() as f64 / ITERATIONS as f64
            })
            .fold(f64::INFINITY, f64::min);
        println!("{name:>8}: {best:.1} ns");
    }
}
