//! Helpers shared by the integration tests.

use std::sync::mpsc;
use std::thread;

/// Runs `hold` on another thread of `scope` and keeps what it returns (a guard) alive
/// until the returned sender is used or dropped. Returns once the guard is taken, so the
/// caller can test what a held lock allows.
pub fn hold_elsewhere<'a, G>(
    scope: &'a thread::Scope<'a, '_>,
    hold: impl FnOnce() -> G + Send + 'a,
) -> mpsc::Sender<()> {
    let (taken_tx, taken_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    scope.spawn(move || {
        let _held = hold();
        taken_tx.send(()).unwrap();
        let _ = release_rx.recv();
    });
    taken_rx.recv().unwrap();
    release_tx
}
