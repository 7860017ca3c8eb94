// Accessor names come from field names: `a` gets `a_mut()`, which a field `a_mut` would
// also get; a field `new` would clash with the constructor, and a field `default` would
// shadow `Pair::default()`.
use lockwise::guarded;

#[guarded]
struct Pair {
    #[lock(mutex)]
    a: u64,
    #[lock(mutex)]
    a_mut: u64,
    #[unguarded]
    new: u64,
    #[lock(rw)]
    default: u64,
}

fn main() {}
