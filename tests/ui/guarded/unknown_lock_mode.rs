// Lock modes are `mutex`, `rw` and `read_mostly`.
use lockwise::guarded;

#[guarded]
struct Server {
    #[lock(rwlock)]
    config: String,
    #[lock(spin)]
    stats: u64,
}

fn main() {}
