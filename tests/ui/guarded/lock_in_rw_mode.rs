// `lock()` is mutex mode's `write()`; an rw lock has two kinds of access, so it asks which.
use lockwise::{mode, Guarded};

fn main() {
    let table: Guarded<Vec<u8>, mode::Rw> = Guarded::new(vec![]);
    table.lock().push(1);
    let routes: Guarded<Vec<u8>, mode::ReadMostly> = Guarded::new(vec![]);
    let _ = routes.lock();
}
