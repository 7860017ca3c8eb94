// A unit struct has no state to guard.
use lockwise::guarded;

#[guarded]
struct Marker;

fn main() {}
