//! The runtime of `#[guarded]`: [`Guarded<T, M>`](Guarded), its modes and its guards.

mod condition;
mod erased;
pub mod fair;
pub(crate) mod guard;
pub(crate) mod lock;
mod mapped;
pub mod mode;
mod owned;
mod profiled;
pub mod read_mostly;
#[cfg(feature = "serde")]
mod serde;
mod slot;
mod swap;
mod unguarded;

pub use guard::{ReadGuard, UpgradableReadGuard, WriteGuard};
pub use lock::Guarded;
pub use mapped::{MappedReadGuard, MappedWriteGuard};
pub use owned::{ArcReadGuard, ArcWriteGuard};
pub use slot::FieldSlot;
pub use unguarded::Unguarded;
