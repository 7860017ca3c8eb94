// An enum has no fields to move into a state struct: wrap it in a struct instead.
use lockwise::guarded;

#[guarded]
enum Phase {
    Starting,
    Running,
}

fn main() {
    let _ = Phase::Starting;
}
