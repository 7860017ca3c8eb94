// The key guards take the map's key type (or what it borrows as), so a key of another
// type cannot pick a shard by a different hash.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(16)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let sessions = Sessions::new();
    let _ = sessions.read(&1u32);
}
