// A `const` is not known to the macro, which reads the shard count before the code exists:
// one error at it, saying to write the number.
use std::collections::HashMap;

use lockwise::sharded;

const N: usize = 16;

#[sharded(N)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let _ = (N, Sessions::new().len());
}
