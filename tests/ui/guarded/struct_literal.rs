// The wrapper is built with `new(State { .. })`, and its fields are reached through a
// guard: a struct literal or a field access reads as advice.
use lockwise::guarded;

#[guarded]
struct A {
    x: u8,
}

fn main() {
    let a = A { x: 1 };
    let _ = a.x;
}
