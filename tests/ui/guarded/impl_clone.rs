// Go's copylocks rule: a lock must never be copied. Cloning the wrapper would give two
// locks over two copies of the data, and updates to one would silently miss the other.
// Share it with `Arc<Counter>` or a `static` instead.
use lockwise::guarded;

#[guarded]
struct Counter {
    hits: u64,
}

impl Clone for Counter {
    fn clone(&self) -> Self {
        Counter::new(CounterState { hits: self.read().hits })
    }
}

fn main() {}
