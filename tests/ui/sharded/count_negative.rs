// A negative shard count is one error at it, naming the nearest valid count.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(-1)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let _ = Sessions::new().len();
}
