//! The runtime of `#[guarded]`: [`Guarded<T, M>`](Guarded), its modes and its guards.
//!
//! Three layers, each importing only the ones before it:
//!
//! - `core/`: the lock core, which names no mode. The slow-path word of a lock
//!   (`waiters.rs`), conditions (`condition/`), bounded waiting and the fair release
//!   (`fair.rs`), the `*_when` loop (`when.rs`), the contract a mode implements (`mode.rs`:
//!   `Mode`, `Acquire`), the guards every mode shares (`guard.rs`), mapped guards
//!   (`mapped.rs`) and erased guards (`erased.rs`).
//! - `mode/`: one file per mode (`mutex.rs`, `rw.rs`, `read_mostly/`), each with everything
//!   of its mode; `mode/mod.rs` is the public `mode` module and registers them.
//! - `Guarded` and what is built on it: the public API (`lock.rs`), the hidden `_at`
//!   plumbing that generated code calls (`lock_at.rs`), the profile's counting
//!   (`profiled.rs`), owned guards (`owned.rs`), read_mostly's arc-swap surface
//!   (`swap.rs`), two values of one type in a stable order (`both.rs`: `write_both`,
//!   `read_both`), serde (`serde.rs`), the storage of per-field structs (`slot.rs`,
//!   `unguarded.rs`), and the conditions that await (`when_async/`, feature `async`).

mod core;
pub mod mode;

mod both;
mod lock;
mod lock_at;
mod owned;
mod profiled;
#[cfg(feature = "serde")]
mod serde;
mod slot;
mod swap;
mod unguarded;
mod when_async;

/// The storage and guards of read_mostly mode: the crate's public `read_mostly` module.
pub use mode::read_mostly::rcu as read_mostly;

pub use self::core::guard::{ReadGuard, WriteGuard};
pub use self::core::mapped::{MappedReadGuard, MappedWriteGuard};
pub use both::{read_both, write_both};
pub use lock::Guarded;
pub use mode::rw::UpgradableReadGuard;
pub use owned::{ArcReadGuard, ArcWriteGuard, read_arc_of, write_arc_of};
pub use slot::FieldSlot;
pub use unguarded::Unguarded;
pub use when_async::{ReadWhenAsync, WhenAsyncNeedsTheAsyncFeature, WriteWhenAsync};
