// An `#[unguarded]` field is shared without a lock, so a `Cell` there makes the whole
// struct non-`Sync`: sharing it across threads fails, and the error leads to the field.
use std::cell::Cell;
use std::sync::Arc;

use lockwise::guarded;

#[guarded]
struct Server {
    #[lock(mutex)]
    stats: u64,
    #[unguarded]
    requests: Cell<u64>,
}

fn main() {
    let server = Arc::new(Server::new(ServerState { stats: 0, requests: Cell::new(0) }));
    std::thread::spawn(move || server.requests().set(1));
}
