// Field markers are read before `cfg` is evaluated, so one inside `cfg_attr` is one error
// that says so; the field still counts as marked.
use lockwise::guarded;

#[guarded]
struct Server {
    #[cfg_attr(all(), lock(rw))]
    config: u64,
    #[lock(mutex)]
    stats: u64,
}

fn main() {
    let server = Server::new(ServerState { config: 0, stats: 0 });
    let _ = *server.config() + *server.stats();
}
