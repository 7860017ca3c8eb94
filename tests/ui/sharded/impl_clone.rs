// A sharded type holds locks: it must never be copied.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(16)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

impl Clone for Sessions {
    fn clone(&self) -> Self {
        Sessions::new()
    }
}

fn main() {}
