// With per-field locks, every field says how it is shared.
use lockwise::guarded;

#[guarded]
struct Server {
    #[lock(rw)]
    config: String,
    stats: u64,
}

fn main() {
    let server = Server::new(ServerState { config: String::new(), stats: 0 });
    let _ = server.config().len() as u64 + *server.stats();
}
