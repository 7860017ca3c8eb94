// Without `new = path`, the pool makes objects with `Default`: a type without it gets
// advice naming both fixes.
use lockwise::{Reset, pooled};

#[pooled]
struct Scratch {
    buf: Vec<u8>,
}

impl Reset for Scratch {
    fn reset(&mut self) {
        self.buf.clear();
    }
}

fn main() {
    drop(Scratch::pooled());
}
