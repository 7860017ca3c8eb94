// Fields removed by `#[cfg]` do not count: two fields of one name under mutually exclusive
// cfgs (the type chosen by a feature, say) are not an accessor collision. The macro runs
// before the cfgs are evaluated, so each field's accessors carry its cfgs.
#![deny(warnings)]

use std::sync::atomic::{AtomicU64, Ordering};

use lockwise::guarded;

#[guarded]
#[derive(Default)]
struct Server {
    #[cfg(all())]
    #[lock(rw)]
    config: String,
    #[cfg(any())]
    #[lock(mutex)]
    config: u32,
    #[unguarded]
    hits: AtomicU64,
}

fn main() {
    let server = Server::default();
    server.config_mut().push_str("on");
    server.hits().fetch_add(1, Ordering::Relaxed);
    assert_eq!(server.config().as_str(), "on");
    assert_eq!(server.with_config(|config| config.len()), 2);
    assert_eq!(server.hits().load(Ordering::Relaxed), 1);
}
