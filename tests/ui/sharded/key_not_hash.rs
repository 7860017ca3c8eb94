// A key that is not `Hash + Eq` cannot pick a shard: the error says why, at the key.
use std::collections::BTreeMap;

use lockwise::sharded;

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct UserId(u64);

#[sharded(16)]
#[derive(Default)]
struct Sessions {
    map: BTreeMap<UserId, String>,
}

fn main() {
    let _ = Sessions::new().shard_count();
}
