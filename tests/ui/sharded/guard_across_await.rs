// A shard guard held across `.await` makes the future `!Send`.
use std::collections::HashMap;

use lockwise::sharded;

#[sharded(16)]
#[derive(Default)]
struct Sessions {
    map: HashMap<u64, String>,
}

async fn tick() {}

async fn touch(sessions: &Sessions) {
    let guard = sessions.write(&1u64);
    tick().await;
    drop(guard);
}

fn require_send<F: std::future::Future + Send>(_: F) {}

fn main() {
    let sessions = Sessions::new();
    require_send(touch(&sessions));
}
