// A `#[derive]` written above `#[guarded]` applies to the thread-safe wrapper, whose
// fields are not the user's: the errors must lead to writing it below.
use lockwise::guarded;

#[derive(Default)]
#[guarded]
struct A {
    x: u8,
}

fn main() {}
