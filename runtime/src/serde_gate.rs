//! What `#[guarded]` needs to implement `Serialize`/`Deserialize` for the types it generates
//! only when the `serde` feature is on: the macro cannot see features, so it wraps those
//! impls in [`__lockwise_if_serde!`](crate::__lockwise_if_serde), which this crate defines
//! according to its own feature. Generated code names it `__private::if_serde!` and the
//! serde crate `__private::serde`.

/// Expands to its input when lockwise's `serde` feature is on, and to nothing when it is
/// off. Not public API: generated code calls it as `lockwise::__private::if_serde!`.
///
/// ```
/// lockwise::__private::if_serde! {
///     fn only_with_serde() -> bool { true }
/// }
/// // Without the feature the function does not exist; this compiles either way:
/// lockwise::__private::if_serde! { assert!(only_with_serde()); }
/// ```
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __lockwise_if_serde {
    ($($tokens:tt)*) => { $($tokens)* };
}

/// Expands to its input when lockwise's `serde` feature is on, and to nothing when it is
/// off (now: off). Not public API.
///
/// ```
/// lockwise::__private::if_serde! { compile_error!("serde is off: this is dropped"); }
/// ```
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __lockwise_if_serde {
    ($($tokens:tt)*) => {};
}
