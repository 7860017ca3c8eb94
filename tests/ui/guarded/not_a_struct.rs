// `#[guarded]` goes on a struct.
use lockwise::guarded;

#[guarded]
fn handler() {}

fn main() {
    handler();
}
