//! The three lock modes of [`Guarded`](crate::Guarded), as zero-sized type markers.
//!
//! A mode decides which primitive stores the value and what the guards are. The
//! API on top ([`Guarded::read`](crate::Guarded::read), `write`, `with_read`, ...)
//! is the same for all three, so switching is a one-word change:
//!
//! | mode | primitive | `read()` | `write()` | pick it when |
//! | --- | --- | --- | --- | --- |
//! | [`Mutex`] | `parking_lot::Mutex` | exclusive lock, read-only guard | exclusive lock | writes are common, or critical sections are tiny |
//! | [`Rw`] | `parking_lot::RwLock` | shared lock | exclusive lock | reads dominate and readers overlap |
//! | [`ReadMostly`] | `arc-swap` + a writer lock | a snapshot; never waits | copies the state, publishes on drop | written at startup, read per request |
//!
//! ```
//! use lockwise::{mode, Guarded};
//!
//! let hits: Guarded<u64, mode::Rw> = Guarded::new(0);
//! *hits.write() += 1;
//! assert_eq!(*hits.read(), 1);
//! ```
//!
//! # Waiting: what each mode guarantees
//!
//! No waiter starves, in any mode, with any parking_lot version (Go's starvation mode):
//!
//! | mode | a blocked acquisition | who waits for whom |
//! | --- | --- | --- |
//! | [`Mutex`] | gets the lock within a bounded time: after waiting about 1 ms it marks the lock starving, and every release then hands the lock to the thread first in line | `read()` and `write()` both wait for any holder |
//! | [`Rw`] | the same for `write()`, `read()` and `upgradable_read()` | writer preference: a waiting writer keeps new readers out, so overlapping readers cannot starve it; a stream of writers cannot starve a reader either (the handoff) |
//! | [`ReadMostly`] | `write()` waits for the writer before it, with the same handoff | `read()` never waits, for anyone |
//!
//! The handoff costs nothing until a thread has waited 1 ms; then throughput under that
//! contention drops to one lock transfer per critical section, the price of fairness.
//! The timed forms (`try_write_for`, ...) take part too: after 1 ms they mark the lock
//! starving for the rest of their timeout. Waiting for a condition (`write_when`,
//! `read_when`) is bounded only by the condition: it proceeds once a writer makes it true.

// One file per mode, each holding everything of its mode: the marker and its docs, the
// `Mode` and `Acquire` impls over its primitive, how its guards are mapped and erased
// (`MapRead`, `MapWrite`, `Erase`), and what only it has (rw's upgradable read and
// downgrade, read_mostly's read-copy-update cell). The core (`guarded/core/`) never names a
// mode. Adding a mode: a file here and its two lines below, a `Kind` for the profile
// (`vocabulary.rs`), and, only if its guards are none of the erased forms the core knows
// (`core/erased.rs`), a form there. `Guarded::new` and the whole API come with `Acquire`;
// a `const` constructor or a method of its own on `Guarded` (`Guarded::rw`,
// `upgradable_read`, read_mostly's `store`) goes above the modes, in `lock.rs` or a file
// beside it (`swap.rs`), since `Guarded` names the modes and not the other way round.

pub(crate) mod mutex;
pub(crate) mod read_mostly;
pub(crate) mod rw;

pub use mutex::Mutex;
pub use read_mostly::ReadMostly;
pub use rw::Rw;

// What code that is generic over modes names: the core's traits.
pub use crate::guarded::core::erased::Erase;
pub use crate::guarded::core::mapped::{MapRead, MapWrite, MappedRead, MappedWrite};
pub use crate::guarded::core::mode::{Acquire, Mode};

#[cfg(test)]
mod tests {
    use super::{Mode, Mutex, ReadMostly, Rw};

    /// A mode's attribute word and the profile's kind of its locks name the same mode.
    #[test]
    fn every_mode_names_its_kind_by_its_word() {
        fn word_of_kind<M: Mode>() -> (&'static str, &'static str) {
            (M::NAME, M::KIND.word())
        }
        for (name, kind) in [
            word_of_kind::<Mutex>(),
            word_of_kind::<Rw>(),
            word_of_kind::<ReadMostly>(),
        ] {
            assert_eq!(name, kind);
        }
    }
}
