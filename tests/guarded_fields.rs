//! Per-field locks (`#[lock(..)]` / `#[unguarded]`): fields lock independently, lock order is
//! declaration order, and debug builds catch a violation before it can deadlock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::hold_elsewhere;
use lockwise::guarded;

mod common;

#[derive(Debug, Default, Clone, PartialEq)]
struct Config {
    timeout_ms: u64,
    version: u64,
}

#[derive(Debug, Default, PartialEq)]
struct Stats {
    served: u64,
    failed: u64,
}

#[guarded]
#[derive(Debug, Default)]
struct Server {
    #[lock(rw)]
    config: Config,
    #[lock(mutex)]
    stats: Stats,
    #[lock(read_mostly)]
    routes: Vec<String>,
    #[lock(mutex)]
    log: Vec<String>,
    #[unguarded]
    requests: AtomicU64,
}

#[test]
fn fields_lock_independently() {
    let server = Server::default();
    thread::scope(|s| {
        let release = hold_elsewhere(s, || server.stats_mut());
        // `stats` is held elsewhere; every other field is free.
        assert!(server.try_stats().is_none());
        assert!(server.try_stats_mut().is_none());
        server.config_mut().timeout_ms = 100;
        server.log_mut().push("still works".into());
        server.routes_mut().push("/".into());
        server.requests().fetch_add(1, Ordering::Relaxed);
        release.send(()).unwrap();
    });
    assert_eq!(server.config().timeout_ms, 100);
    assert!(server.try_stats_mut().is_some());
}

#[test]
fn many_threads_on_different_fields_lose_no_update() {
    const ROUNDS: u64 = 1_000;
    let server = Server::default();
    thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..ROUNDS {
                server.with_config_mut(|c| {
                    c.version += 1;
                    c.timeout_ms = c.version * 2;
                });
            }
        });
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..ROUNDS {
                    server.with_stats_mut(|st| st.served += 1);
                    server.requests().fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        s.spawn(|| {
            for i in 0..ROUNDS {
                server.log_mut().push(i.to_string());
                let config = server.config();
                assert_eq!(config.timeout_ms, config.version * 2, "torn config");
            }
        });
        s.spawn(|| {
            for _ in 0..ROUNDS {
                // Several fields at once, in order, through lock_all.
                let all = server.lock_all();
                assert_eq!(all.config.timeout_ms, all.config.version * 2);
                drop(all);
            }
        });
    });
    let state = server.into_inner();
    assert_eq!(state.config.version, ROUNDS);
    assert_eq!(state.stats.served, 2 * ROUNDS);
    assert_eq!(state.log.len() as u64, ROUNDS);
    assert_eq!(state.requests.into_inner(), 2 * ROUNDS);
}

#[test]
fn try_accessors_never_block() {
    let server = Server::default();
    thread::scope(|s| {
        let release = hold_elsewhere(s, || server.lock_all());
        let started = Instant::now();
        assert!(server.try_config().is_none());
        assert!(server.try_config_mut().is_none());
        assert!(server.try_stats().is_none());
        assert!(server.try_stats_mut().is_none());
        assert!(server.try_log().is_none());
        assert!(server.try_routes_mut().is_none());
        // A read_mostly field is read from a snapshot: held writers do not stop it.
        assert!(server.try_routes().is_some());
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "try_ returned instead of waiting for the holder"
        );
        release.send(()).unwrap();
    });
}

#[test]
fn taking_fields_in_declaration_order_is_fine() {
    let server = Server::default();
    let config = server.config();
    let mut stats = server.stats_mut();
    let routes = server.routes();
    let mut log = server.log_mut();
    stats.served = config.timeout_ms + routes.len() as u64;
    log.push("ordered".into());
    drop((config, stats, routes, log));
    // Out of order but without waiting: `try_` never panics.
    let _log = server.log_mut();
    assert!(server.try_config_mut().is_some());
}

#[test]
fn lock_all_and_the_other_whole_struct_methods() {
    let mut server = Server::new(ServerState {
        config: Config {
            timeout_ms: 5,
            version: 1,
        },
        stats: Stats::default(),
        routes: vec!["/".into()],
        log: Vec::new(),
        requests: AtomicU64::new(3),
    });
    {
        let mut all = server.lock_all();
        all.stats.served += all.requests.load(Ordering::Relaxed);
        all.log.push(format!("{} routes", all.routes.len()));
        all.routes.push("/health".into());
    }
    assert_eq!(server.stats().served, 3);
    assert_eq!(*server.routes(), ["/", "/health"]);

    let mut parts = server.get_mut(); // no locks: `&mut` proves exclusivity
    parts.config.version = 2;
    parts.routes.push("/metrics".into());
    *parts.requests.get_mut() += 1;
    drop(parts); // publishes the read_mostly field's copy
    assert_eq!(server.config().version, 2);
    assert_eq!(server.routes().len(), 3);

    let state = server.into_inner();
    assert_eq!(state.requests.into_inner(), 4);
    assert_eq!(state.log, ["1 routes"]);

    let from: Server = ServerState::default().into();
    assert_eq!(*from.stats(), Stats::default());
}

#[test]
fn debug_prints_each_field_and_never_waits() {
    let server = Server::default();
    let held = server.stats_mut();
    let text = thread::scope(|s| s.spawn(|| format!("{server:?}")).join().unwrap());
    drop(held);
    assert_eq!(
        text,
        "Server { config: Config { timeout_ms: 0, version: 0 }, stats: <locked>, routes: [], \
         log: [], requests: 0 }"
    );
}

/// The panic message of `f`, which must panic.
#[cfg(debug_assertions)]
fn panic_message(f: impl FnOnce()) -> String {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_else(|| payload.downcast_ref::<&str>().unwrap().to_string())
}

#[cfg(debug_assertions)]
#[test]
fn out_of_order_lock_panics_naming_both_fields_and_the_object_stays_usable() {
    let server = Server::default();
    let message = panic_message(|| {
        let _log = server.log_mut();
        let _config = server.config(); // `config` is declared before `log`
    });
    assert!(
        message.contains("lock order violation in `Server`"),
        "{message}"
    );
    assert!(message.contains("holds `log`"), "{message}");
    assert!(message.contains("taking `config`"), "{message}");

    // Every kind of blocking access is checked: write, closure, lock_all.
    let stats = server.stats_mut();
    assert!(panic_message(|| drop(server.config_mut())).contains("holds `stats`"));
    assert!(panic_message(|| server.with_config(|_| ())).contains("taking `config`"));
    assert!(panic_message(|| drop(server.lock_all())).contains("holds `stats`"));
    drop(stats);

    // Taking the same field twice is caught too.
    let message = panic_message(|| {
        let _first = server.stats();
        let _second = server.stats();
    });
    assert!(message.contains("`Server::stats`"), "{message}");

    // After all that unwinding no lock is left held, and nothing is recorded as held.
    thread::scope(|s| {
        s.spawn(|| assert!(server.try_stats_mut().is_some()));
    });
    let _all = server.lock_all();
}

#[cfg(debug_assertions)]
#[test]
fn locks_of_two_objects_do_not_order_each_other() {
    let (a, b) = (Server::default(), Server::default());
    let _a_log = a.log_mut();
    let _b_config = b.config_mut(); // another object: no order between them
    // read_mostly reads wait for no one, so they are never out of order.
    let _a_routes = a.routes();
}

/// `read_all()` takes a read guard of every field in declaration order: a consistent view
/// of several fields without copying any, which readers of an rw field share.
#[test]
fn read_all_reads_every_field_at_once_without_copies() {
    let server = Server::default();
    {
        let mut all = server.lock_all();
        all.config.version = 2;
        all.stats.served = 5;
        all.routes.push("/".into());
    }
    let reads = server.read_all();
    assert_eq!(
        (reads.config.version, reads.stats.served, reads.routes.len()),
        (2, 5, 1)
    );
    thread::scope(|s| {
        // Another reader of the rw field shares it; the mutex field is taken.
        s.spawn(|| assert_eq!(server.try_config().map(|c| c.version), Some(2)));
        s.spawn(|| assert!(server.try_config_mut().is_none()));
        s.spawn(|| assert!(server.try_stats().is_none()));
    });
    drop(reads);
    assert!(server.try_stats_mut().is_some());
}

#[cfg(debug_assertions)]
#[test]
fn read_all_is_checked_like_every_acquisition() {
    let server = Server::default();
    let log = server.log_mut();
    let message = panic_message(|| drop(server.read_all()));
    assert!(message.contains("holds `log`"), "{message}");
    drop(log);
    drop(server.read_all());
}

/// A field's lock is a condition too: `<field>_mut_when` waits for the field's state, and a
/// write guard of that field wakes it (no notify); a write to another field does not
/// disturb it.
#[guarded]
#[derive(Default)]
struct Jobs {
    #[lock(mutex)]
    queue: Vec<u32>,
    #[lock(rw)]
    closed: bool,
}

#[test]
fn a_field_can_be_waited_on_and_a_write_guard_of_it_wakes_the_waiter() {
    let jobs = Jobs::default();
    assert!(
        jobs.queue_mut_when_for(|q| !q.is_empty(), Duration::from_millis(10))
            .is_none(),
        "nothing queued: the wait times out"
    );
    assert!(
        jobs.closed_when_for(|closed| *closed, Duration::from_millis(10))
            .is_none()
    );
    const PRODUCERS: u32 = 2;
    const EACH: u32 = 500;
    const CAPACITY: usize = 4;
    let taken = AtomicU64::new(0);
    let jobs = &jobs;
    thread::scope(|s| {
        // Consumers wait for a job; producers wait for room: every wake-up comes from a
        // write guard of `queue` dropping.
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut sum = 0u64;
                    loop {
                        let mut queue = jobs.queue_mut_when(|q| !q.is_empty() || *jobs.closed());
                        match queue.pop() {
                            Some(job) => sum += u64::from(job),
                            None => return sum,
                        }
                    }
                })
            })
            .collect();
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                s.spawn(move || {
                    for i in 0..EACH {
                        jobs.queue_mut_when(|q| q.len() < CAPACITY)
                            .push(p * EACH + i);
                    }
                })
            })
            .collect();
        for producer in producers {
            producer.join().unwrap();
        }
        // Wait (for the state, not the lock) until the consumers drained the queue.
        let drained = jobs.queue_when(|q| q.is_empty());
        drop(drained);
        *jobs.closed_mut() = true;
        // `closed` is another field: its write does not wake `queue`'s waiters, so poke
        // them with a write guard of `queue`.
        drop(jobs.queue_mut());
        for consumer in consumers {
            taken.fetch_add(consumer.join().unwrap(), Ordering::Relaxed);
        }
    });
    let all = u64::from(PRODUCERS * EACH);
    assert_eq!(
        taken.load(Ordering::Relaxed),
        all * (all - 1) / 2,
        "every job taken once"
    );
}
