// A malformed option value is one error; the options after it still count (`rw` below),
// so `upgradable_read` is not a second error.
use lockwise::guarded;

#[guarded(state = 1, rw)]
struct Cache {
    hits: u64,
}

fn main() {
    let cache = Cache::new(CacheState { hits: 0 });
    let _ = cache.upgradable_read().hits;
}
