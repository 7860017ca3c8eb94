// `read()` hands out a guard that only reads: take `write()` to change the state.
use lockwise::guarded;

#[guarded(rw)]
struct Counter {
    hits: u64,
}

fn main() {
    let counter = Counter::new(CounterState { hits: 0 });
    counter.read().hits += 1;
}
