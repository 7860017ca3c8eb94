// The only map field is removed by its cfg: in that build the key is missing, which is one
// error (as for a struct without a map), and code using the key-guard methods still compiles.
use lockwise::sharded;

#[sharded(16)]
#[derive(Default)]
struct Sessions {
    #[cfg(any())]
    map: std::collections::HashMap<u64, String>,
    hits: u64,
}

fn main() {
    let sessions = Sessions::new();
    let _ = sessions.shard_count();
    sessions.for_each_shard(|shard| assert_eq!(shard.hits, 0));
}
