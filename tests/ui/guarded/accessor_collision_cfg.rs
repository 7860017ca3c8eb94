// Accessors of fields under cfgs collide only in a build where both fields exist; here
// both cfgs hold, so the collision is one error, at the second field.
use lockwise::guarded;

#[guarded]
struct Pair {
    #[cfg(all())]
    #[lock(mutex)]
    a: u64,
    #[cfg(not(any()))]
    #[lock(mutex)]
    a_mut: u64,
}

fn main() {
    let pair = Pair::new(PairState { a: 1, a_mut: 2 });
    let _ = *pair.a();
}
