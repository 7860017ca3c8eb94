// A `static` pool has one type: a generic struct is one error, pointing to `Pool<T>`.
use lockwise::{Reset, pooled};

#[pooled]
#[derive(Default)]
struct Buffer<T> {
    items: Vec<T>,
}

impl<T> Reset for Buffer<T> {
    fn reset(&mut self) {
        self.items.clear();
    }
}

fn main() {
    let _ = Buffer::<u8> { items: vec![] };
}
