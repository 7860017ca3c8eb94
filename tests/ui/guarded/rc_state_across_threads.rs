// `Send` and `Sync` follow the state: an `Rc` cannot leave its thread, so neither can a
// `#[guarded]` type that holds one. Use `Arc`.
use std::rc::Rc;
use std::sync::Arc;

use lockwise::guarded;

#[guarded]
struct Names {
    shared: Rc<Vec<String>>,
}

fn main() {
    let names = Arc::new(Names::new(NamesState { shared: Rc::new(vec![]) }));
    std::thread::spawn(move || names.read().shared.len());
}
