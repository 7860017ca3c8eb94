// Modes and markers are bare words, and `state` needs a name: each mistake is one error
// at the word, saying the form to write.
use lockwise::guarded;

#[guarded(rw = true)]
struct A {
    hits: u64,
}

#[guarded(mutex())]
struct B {
    hits: u64,
}

#[guarded]
struct C {
    #[lock(rw = 1)]
    config: u64,
    #[lock(mutex(x))]
    stats: u64,
}

#[guarded(state)]
struct D {
    hits: u64,
}

fn main() {
    // The modes still count, so these compile: `upgradable_read` is rw's.
    let _ = A::new(AState { hits: 0 }).upgradable_read().hits;
    let _ = B::new(BState { hits: 0 }).read().hits;
    let c = C::new(CState { config: 0, stats: 0 });
    let _ = *c.config() + *c.stats();
    let _ = D::new(DState { hits: 0 }).read().hits;
}
