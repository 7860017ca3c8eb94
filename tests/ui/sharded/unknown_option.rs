// An unknown option, with a suggestion; `rwlock` still selects `rw`.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(16, rwlock)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {
    let _ = Sessions::new().len();
}
