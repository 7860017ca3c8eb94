//! The lockwise types the benches measure, and their hand-written twins: one definition for
//! `guarded_wall.rs` and `guarded_instructions.rs`, so both measure the same code. Each
//! bench uses some of them.
#![allow(dead_code)]

use std::collections::HashMap;

use lockwise::guarded;

/// One lock around the whole state: `parking_lot::Mutex<CounterState>`.
#[guarded]
pub struct Counter {
    pub hits: u64,
    pub misses: u64,
}

/// One reader-writer lock around the whole state: `parking_lot::RwLock<TableState>`.
#[guarded(rw)]
pub struct Table {
    pub hits: u64,
    pub misses: u64,
}

#[derive(Default)]
pub struct Config {
    pub timeout_ms: u64,
}

#[derive(Default)]
pub struct Stats {
    pub served: u64,
}

/// One lock per field.
#[guarded]
pub struct Server {
    #[lock(rw)]
    pub config: Config,
    #[lock(mutex)]
    pub stats: Stats,
}

/// What `Server` is, written by hand.
pub struct HandServer {
    pub config: parking_lot::RwLock<Config>,
    pub stats: parking_lot::Mutex<Stats>,
}

/// Copy-on-write state, read per request.
#[guarded(read_mostly)]
#[derive(Clone)]
pub struct Registry {
    pub entries: HashMap<String, u64>,
    pub version: u64,
}
