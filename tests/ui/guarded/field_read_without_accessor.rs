// A per-field struct's fields are reached through their accessors, which lock.
use lockwise::guarded;

#[guarded]
struct Server {
    #[lock(rw)]
    config: String,
}

fn main() {
    let server = Server::new(ServerState { config: String::new() });
    let _ = server.config.len();
}
