// `#[unguarded]` takes no arguments.
use std::sync::atomic::AtomicU64;

use lockwise::guarded;

#[guarded]
struct Server {
    #[unguarded(atomic)]
    requests: AtomicU64,
}

fn main() {}
