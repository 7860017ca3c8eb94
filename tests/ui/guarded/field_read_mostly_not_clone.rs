// A `#[lock(read_mostly)]` field is copied on every write, so its type must be `Clone`.
use lockwise::guarded;

struct Routes;

#[guarded]
struct Server {
    #[lock(read_mostly)]
    routes: Routes,
    #[lock(mutex)]
    stats: u64,
}

fn main() {}
