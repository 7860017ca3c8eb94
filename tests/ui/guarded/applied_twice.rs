// `#[guarded]` twice would put a lock around the lock: one error, and the struct works as
// with one attribute.
use lockwise::guarded;

#[guarded]
#[guarded]
struct Cache {
    hits: u64,
}

fn main() {
    let cache = Cache::new(CacheState { hits: 0 });
    cache.write().hits += 1;
}
