// One lock around the whole struct, or one per field: not both.
use lockwise::guarded;

#[guarded(rw)]
struct Server {
    #[lock(rw)]
    config: String,
    #[lock(mutex)]
    stats: u64,
}

fn main() {}
