// An unknown option, with a suggestion.
use lockwise::{Reset, pooled};

#[pooled(capacity = 64)]
#[derive(Default)]
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
