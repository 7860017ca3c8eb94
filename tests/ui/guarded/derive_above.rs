// A `#[derive]` written above `#[guarded]` applies to the thread-safe wrapper, whose
// fields are not the user's: one error, saying to write it below.
use lockwise::guarded;

#[derive(Default)]
#[guarded]
struct A {
    x: u8,
}

fn main() {}
