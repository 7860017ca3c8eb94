// `#[pooled]` leaves the struct as written, so a derive above it applies to that struct, as
// one below does: both compile, and neither is reported.
#![deny(warnings)]

use lockwise::{Reset, pooled};

#[derive(Debug, Default)]
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
    let mut scratch = Scratch::pooled();
    scratch.buf.push(1);
    assert_eq!(format!("{:?}", *scratch), "Scratch { buf: [1] }");
}
