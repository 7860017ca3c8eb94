// Each option once.
use lockwise::guarded;

#[guarded(rw, rw)]
struct Cache {
    hits: u64,
}

#[guarded(state = First, state = Second)]
struct Config {
    level: u8,
}

fn main() {
    let _ = Cache::new(CacheState { hits: 0 }).read().hits;
    let _ = Config::new(First { level: 0 }).read().level;
}
