// The macro reads the shard count before the code exists, so an expression cannot be the
// count: one error at it, saying to write an integer literal.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(1 << 4)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let _ = Sessions::new().len();
}
