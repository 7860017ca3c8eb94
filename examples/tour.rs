//! Runs every example, each under a line that names the Go `sync` lesson it shows.
//!
//! Run it with `cargo run --example tour`; run one example alone with
//! `cargo run --example <name>`. With `--features profile` it ends with the contention
//! report of everything it ran.

// Each example is a standalone program whose `main` is `pub`, so it can also be included
// here as a module and run from the table below.
#[path = "advice.rs"]
mod advice;
#[path = "async_service.rs"]
mod async_service;
#[path = "buffers.rs"]
mod buffers;
#[path = "cache.rs"]
mod cache;
#[path = "db_client.rs"]
mod db_client;
#[path = "fan_out.rs"]
mod fan_out;
#[path = "metrics.rs"]
mod metrics;
#[path = "registry.rs"]
mod registry;
#[path = "server.rs"]
mod server;
#[path = "sessions.rs"]
mod sessions;
#[path = "work_queue.rs"]
mod work_queue;

/// One stop of the tour.
struct Stop {
    example: &'static str,
    /// The Go `sync` lesson the example shows.
    lesson: &'static str,
    /// How lockwise spells it.
    answer: &'static str,
    run: fn(),
}

const TOUR: [Stop; 11] = [
    Stop {
        example: "metrics",
        lesson: "a Mutex for exclusive access",
        answer: "#[guarded]",
        run: metrics::main,
    },
    Stop {
        example: "cache",
        lesson: "an RWMutex for read-heavy state",
        answer: "#[guarded(rw)]",
        run: cache::main,
    },
    Stop {
        example: "server",
        lesson: "split a hot lock: one lock per piece of state",
        answer: "#[lock(..)] and #[unguarded] fields",
        run: server::main,
    },
    Stop {
        example: "sessions",
        lesson: "stripe a hot lock over many keys",
        answer: "#[sharded(16)]",
        run: sessions::main,
    },
    Stop {
        example: "registry",
        lesson: "sync.Map only for write-once, read-many registries",
        answer: "#[guarded(read_mostly)]",
        run: registry::main,
    },
    Stop {
        example: "db_client",
        lesson: "sync.Once for one-time init, and when to retry it",
        answer: "#[once_init] / #[once_init(retry)]",
        run: db_client::main,
    },
    Stop {
        example: "buffers",
        lesson: "sync.Pool for temporary buffers, never a cache",
        answer: "#[pooled]",
        run: buffers::main,
    },
    Stop {
        example: "fan_out",
        lesson: "WaitGroup + errgroup: wait for all, first error wins",
        answer: "lockwise::fan_out",
        run: fan_out::main,
    },
    Stop {
        example: "work_queue",
        lesson: "sync.Cond: wait for a state, and signal every change",
        answer: "write_when(|s| ..): a condition in the lock, no notify",
        run: work_queue::main,
    },
    Stop {
        example: "async_service",
        lesson: "goroutines are tasks: Once, errgroup and Cond in async code",
        answer: "#[once(init = .., async)], fan_out_async_limit, write_when_async",
        run: async_service::main,
    },
    Stop {
        example: "advice",
        lesson: "measure before you pick a lock (Go's mutex profile)",
        answer: "--features profile: lockwise::profile::report() says which word to change",
        run: advice::main,
    },
];

fn main() {
    for (i, stop) in TOUR.iter().enumerate() {
        if i > 0 {
            println!();
        }
        println!("=== {}: {} -> {}", stop.example, stop.lesson, stop.answer);
        (stop.run)();
    }

    // With `--features profile`, every lock above counted itself: the report of the whole
    // tour, busiest first, with the advice of each rule that applies.
    #[cfg(feature = "profile")]
    {
        println!();
        println!("=== profile of the whole tour (most time waited first)");
        print!("{}", lockwise::profile::report());
    }
}
