// The fields live in `CounterState`, behind the lock: the wrapper has none to read.
use lockwise::guarded;

#[guarded]
struct Counter {
    hits: u64,
}

fn main() {
    let counter = Counter::new(CounterState { hits: 0 });
    let _ = counter.hits; // needs `counter.read().hits`
}
