// `#[lock]` needs a mode.
use lockwise::guarded;

#[guarded]
struct Server {
    #[lock]
    stats: u64,
}

fn main() {}
