// A lock has one mode.
use lockwise::guarded;

#[guarded(rw, mutex)]
struct Cache {
    hits: u64,
}

fn main() {
    let _ = Cache::new(CacheState { hits: 0 }).read().hits;
}
