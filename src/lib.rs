#![forbid(unsafe_code)]
pub use lockwise_macros::guarded;
pub use lockwise_runtime::{Guarded, ReadGuard, UpgradableReadGuard, WriteGuard, mode};
#[doc(hidden)]
pub mod __private {
    pub use lockwise_runtime::__private::*;
}
