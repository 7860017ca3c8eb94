// Two map fields whose cfgs both hold are as ambiguous as two without cfgs: one error, in
// the build where both exist, naming both.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(16)]
#[derive(Default)]
struct Sessions {
    #[cfg(all())]
    by_id: HashMap<u64, String>,
    #[cfg(not(any()))]
    by_name: HashMap<String, u64>,
}

fn main() {
    let _ = Sessions::new().shard_count();
}
