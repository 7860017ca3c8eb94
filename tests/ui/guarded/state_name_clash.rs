// The state struct needs a name of its own.
use lockwise::guarded;

#[guarded(state = Cache)]
struct Cache {
    hits: u64,
}

fn main() {}
