// The shard count is required: one error, and the struct still works (with 16 shards).
use std::collections::HashMap;

use lockwise::sharded;

#[sharded]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let sessions = Sessions::new();
    sessions.insert(1, "ada".into());
}
