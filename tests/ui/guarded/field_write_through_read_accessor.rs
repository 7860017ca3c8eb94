// `config()` is the read accessor; `config_mut()` writes.
use lockwise::guarded;

#[guarded]
struct Server {
    #[lock(rw)]
    config: String,
}

fn main() {
    let server = Server::new(ServerState { config: String::new() });
    server.config().push_str("debug");
}
