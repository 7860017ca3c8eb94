// "One rw lock plus one atomic" written with a whole-struct mode: one error, at the marker,
// showing the per-field form.
use std::sync::atomic::AtomicU64;

use lockwise::guarded;

#[guarded(rw)]
struct Cache {
    items: Vec<String>,
    names: Vec<String>,
    #[unguarded]
    hits: AtomicU64,
}

fn main() {
    let cache = Cache::new(CacheState { items: vec![], names: vec![], hits: AtomicU64::new(0) });
    let _ = cache.upgradable_read().items.len();
}
