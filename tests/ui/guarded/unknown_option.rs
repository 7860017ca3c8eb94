// A misspelt or unknown option is named, with the closest valid one and the full list.
// The misspelt mode still selects `rw`, so `upgradable_read` below is not a second error.
use lockwise::guarded;

#[guarded(rwlock)]
struct Cache {
    hits: u64,
}

#[guarded(shards = 16)]
struct Sessions {
    count: u64,
}

fn main() {
    let cache = Cache::new(CacheState { hits: 0 });
    let _ = cache.upgradable_read().hits;
    let _ = Sessions::new(SessionsState { count: 0 }).read().count;
}
