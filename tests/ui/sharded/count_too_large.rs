// At most 1024 shards.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(4096)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let _ = Sessions::new().len();
}
