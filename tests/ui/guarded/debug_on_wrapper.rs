// `Debug` and `Default` follow the state, as for `Mutex<T>`: a hand-written impl for the
// thread-safe type conflicts with them. Write it on the state instead.
use std::fmt;

use lockwise::guarded;

#[guarded]
#[derive(Default)]
struct Settings {
    secret: String,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Settings")
    }
}

fn main() {
    let _ = Settings::default().read().secret.len();
}
