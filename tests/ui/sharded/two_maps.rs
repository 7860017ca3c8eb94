// Two map fields make the key ambiguous: one error naming both, suggesting `key = Type`.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(16)]
#[derive(Default)]
struct Sessions {
    by_id: HashMap<u64, String>,
    by_name: HashMap<String, u64>,
}

fn main() {
    let _ = Sessions::new().shard_count();
}
