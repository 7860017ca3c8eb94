// The shard count is a power of two: the error says so and names the nearest one.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(3)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let _ = Sessions::new().len();
}
