// A unit struct holds nothing worth reusing: one error, at it. The pool is still generated,
// so each call of `Token::pooled()` is not one more error.
use lockwise::{Reset, pooled};

#[pooled]
#[derive(Default)]
struct Token;

impl Reset for Token {
    fn reset(&mut self) {}
}

fn main() {
    let _first = Token::pooled();
    let _second = Token::pooled();
    let _ = Token::pool().stats();
}
