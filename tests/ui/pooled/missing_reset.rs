// A pooled type must say how to reset itself: one error, at the struct, with the impl to
// write.
use lockwise::pooled;

#[pooled]
#[derive(Default)]
struct Scratch {
    buf: Vec<u8>,
}

fn main() {
    let _ = Scratch::default().buf.len();
}
