// `read_mostly` never lets a writer touch what readers see: each write clones the state.
// The definition fails once, pointing at `read_mostly`; `new` still works, and each use of
// a locking method repeats the same advice (derive `Clone`).
use lockwise::guarded;

struct Handler;

#[guarded(read_mostly)]
struct Registry {
    handlers: Vec<Handler>,
}

fn main() {
    let registry = Registry::new(RegistryState { handlers: vec![] });
    let _ = registry.read().handlers.len();
}
