// An enum has no fields to move into a state struct: wrap it in a struct instead.
use lockwise::guarded;

#[guarded]
enum Phase {
    Starting,
    Running {
        #[lock(mutex)]
        since: u64,
    },
}

fn main() {
    let _ = Phase::Starting;
}
