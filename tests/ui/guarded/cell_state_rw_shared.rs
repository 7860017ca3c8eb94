// An `rw` lock lets several threads read at once, so the state must be `Sync`: a `Cell`
// changed through `&` by two readers would race. (A `mutex` state needs only `Send`.)
use std::cell::Cell;
use std::sync::Arc;

use lockwise::guarded;

#[guarded(rw)]
struct Hits {
    count: Cell<u64>,
}

fn main() {
    let hits = Arc::new(Hits::new(HitsState { count: Cell::new(0) }));
    std::thread::spawn(move || hits.read().count.get());
}
