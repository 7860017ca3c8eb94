// `new = path` must make the pooled type: the error points at the path.
use lockwise::{Reset, pooled};

#[pooled(new = Self::with_capacity)]
struct Scratch {
    buf: Vec<u8>,
}

impl Scratch {
    fn with_capacity(capacity: usize) -> Self {
        Scratch { buf: Vec::with_capacity(capacity) }
    }
}

impl Reset for Scratch {
    fn reset(&mut self) {
        self.buf.clear();
    }
}

fn main() {
    drop(Scratch::pooled());
}
