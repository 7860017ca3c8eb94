//! Which thread is asking, and which lazy field it is initializing: what turns a
//! reentrant initialization into a panic instead of a thread waiting for itself.
//!
//! A field's protocol records the thread that runs its initializer. A caller that finds
//! the field being initialized by its own thread is inside that initializer (directly, or
//! through other fields' initializers): waiting would never end, so it panics.
//!
//! The record is one thread-local, `const`-initialized and without a destructor, so it
//! stays readable while the thread's other thread-locals are destroyed: an initializer run
//! from a thread-local's `Drop` is checked like any other (issue 8, item 2). It holds the
//! innermost field this thread is initializing, for the messages, and its address is the
//! thread's identity: unique among live threads, and needing no `std::thread::current()`
//! (which allocates a handle on first use and may be gone during thread exit).

use core::cell::Cell;
use core::num::NonZeroUsize;

use super::site::OnceSite;

/// A live thread: the address of its slot below. Two live threads never share one; a slot
/// may be reused once its thread has exited, when no record of the old one is left (a
/// thread leaves every initializer it entered, by return or by unwinding, before it exits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ThreadKey(NonZeroUsize);

#[cfg(all(test, not(loom)))]
impl ThreadKey {
    /// A made-up thread, for tests of the records alone.
    pub(crate) fn for_test(n: usize) -> Self {
        Self(NonZeroUsize::new(n).expect("a key is not zero"))
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// The innermost lazy field this thread is initializing, if any.
    static INITIALIZING: Cell<Option<&'static OnceSite>> = const { Cell::new(None) };
}

#[cfg(loom)]
loom::thread_local! {
    static INITIALIZING: Cell<Option<&'static OnceSite>> = Cell::new(None);
}

/// This thread, or `None` where thread-locals cannot be reached at all (not on the
/// platforms Rust's std supports with native thread-locals, where a `const` slot without
/// a destructor is always reachable). An unknown thread is never taken for the runner, so
/// the checks stay silent rather than wrong.
pub(crate) fn this_thread() -> Option<ThreadKey> {
    INITIALIZING
        .try_with(|slot| NonZeroUsize::new(core::ptr::from_ref(slot).addr()))
        .ok()
        .flatten()
        .map(ThreadKey)
}

/// The innermost field this thread is initializing.
pub(crate) fn initializing() -> Option<&'static OnceSite> {
    INITIALIZING.try_with(Cell::get).ok().flatten()
}

/// Records that this thread starts initializing `site`; returns what to restore after.
pub(crate) fn enter(site: &'static OnceSite) -> Option<&'static OnceSite> {
    INITIALIZING
        .try_with(|slot| slot.replace(Some(site)))
        .ok()
        .flatten()
}

/// Undoes [`enter`]: `outer` is what it returned.
pub(crate) fn leave(outer: Option<&'static OnceSite>) {
    let _ = INITIALIZING.try_with(|slot| slot.set(outer));
}

/// The panic for a thread asking for `asked`, which this same thread is initializing.
pub(crate) fn reentrant(asked: &OnceSite) -> String {
    match initializing() {
        Some(inner) if inner != asked => format!(
            "lockwise: initialization cycle on one thread: the initializer of `{inner}` asked \
             for `{asked}`, which this thread is already initializing (the initializers of \
             `{asked}` and `{inner}` ask for each other, directly or through other lazy \
             fields); waiting would never end. Break the cycle: an initializer may read only \
             lazy fields that do not, in turn, need it"
        ),
        _ => format!(
            "lockwise: reentrant initialization: the initializer of `{asked}` asked for \
             `{asked}` itself; waiting for itself would never end. An initializer must not \
             read its own field"
        ),
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    const A: OnceSite = OnceSite::new("Client", "a");
    const B: OnceSite = OnceSite::new("Client", "b");

    #[test]
    fn the_record_nests_and_restores() {
        assert_eq!(initializing(), None);
        let outer = enter(&A);
        assert_eq!((outer, initializing()), (None, Some(&A)));
        let inner = enter(&B);
        assert_eq!((inner, initializing()), (Some(&A), Some(&B)));
        leave(inner);
        assert_eq!(initializing(), Some(&A));
        leave(outer);
        assert_eq!(initializing(), None);
    }

    #[test]
    fn threads_have_distinct_keys() {
        let here = this_thread().expect("a key");
        let there = std::thread::spawn(|| this_thread().expect("a key"))
            .join()
            .expect("no panic");
        assert_ne!(here, there);
        assert_eq!(this_thread(), Some(here));
    }

    #[test]
    fn messages_name_the_fields() {
        let direct = reentrant(&A);
        assert!(direct.contains("initializer of `Client::a` asked for `Client::a` itself"));
        let outer = enter(&B);
        let mutual = reentrant(&A);
        leave(outer);
        assert!(mutual.contains("initializer of `Client::b` asked for `Client::a`"));
        assert!(mutual.contains("cycle"));
    }
}
