// 0 shards cannot hold a key.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(0)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let _ = Sessions::new().len();
}
