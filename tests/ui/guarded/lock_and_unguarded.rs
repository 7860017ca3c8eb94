// A field is locked or unguarded, not both.
use std::sync::atomic::AtomicU64;

use lockwise::guarded;

#[guarded]
struct Server {
    #[lock(mutex)]
    #[unguarded]
    requests: AtomicU64,
}

fn main() {}
