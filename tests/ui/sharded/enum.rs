// #[sharded] goes on a struct: one shard's state.
use lockwise::sharded;

#[sharded(16)]
enum Sessions {
    Empty,
}

fn main() {
    let _ = Sessions::Empty;
}
