// Per-field accessors are named after the fields, so per-field locks need names.
use lockwise::guarded;

#[guarded]
struct Pair(#[lock(mutex)] u64, #[lock(rw)] String);

fn main() {}
