// A per-field struct has no whole-struct `read()`: each field has its own lock. rustc's
// help must lead to the generated methods (`read_all()`, the accessors), never to the
// storage behind them (it once suggested `server.__lockwise_config.read()`, which compiled
// and skipped the lock-order checks).
use lockwise::guarded;

#[guarded]
struct Server {
    #[lock(rw)]
    config: String,
    #[lock(mutex)]
    stats: u64,
}

fn main() {
    let server = Server::new(ServerState { config: String::new(), stats: 0 });
    let _ = server.read();
}
