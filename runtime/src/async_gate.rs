//! What `#[once_init]` needs to generate async accessors (`#[once(init = .., async)]`)
//! only when the `async` feature is on: the macro cannot see features, so it wraps a
//! struct's async accessors in [`__lockwise_if_async!`](crate::__lockwise_if_async), which
//! this crate defines according to its own feature, as `serde_gate.rs` does for serde.
//!
//! With the feature off, the gate expands to the error the macro wrote for this case (a
//! `compile_error!` that names the feature, spanned at the user's first `async` marker, so
//! that rustc reports it there), and to the accessors' signatures with bodies that never
//! run (the crate does not compile, so nothing runs): the user's calls to them still
//! type-check, so that error is the only one. With the feature on, the error is dropped.
//!
//! Input: `[the error]`, then accessors written `#[attrs] vis async fn name(&self) ->
//! Returns [where clause] { body }`: the where clause in brackets (possibly empty), so that
//! the feature-off arm can tell it from the body.

/// Expands to the async accessors when lockwise's `async` feature is on (now: on), without
/// the error in front of them. Not public API: generated code calls it as
/// `lockwise::__private::if_async!`.
///
/// ```
/// struct Answer;
/// impl Answer {
///     lockwise::__private::if_async! { [compile_error!("the async feature is off")]
///         async fn get(&self) -> u32 [] { 42 }
///     }
/// }
/// # let _ = Answer.get();
/// ```
#[cfg(feature = "async")]
#[doc(hidden)]
#[macro_export]
macro_rules! __lockwise_if_async {
    ([$($error:tt)*] $(
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident $params:tt -> $returns:ty [$($bounds:tt)*] $body:block
    )*) => {$(
        $(#[$attr])*
        $vis async fn $name $params -> $returns $($bounds)* $body
    )*};
}

/// Expands to the error in front of the async accessors, and their signatures, when
/// lockwise's `async` feature is off (now: off). Not public API.
///
/// ```compile_fail
/// struct Answer;
/// impl Answer {
///     lockwise::__private::if_async! { [compile_error!("the async feature is off")]
///         async fn get(&self) -> u32 [] { 42 }
///     }
/// }
/// ```
#[cfg(not(feature = "async"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __lockwise_if_async {
    ([$($error:tt)*] $(
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident $params:tt -> $returns:ty [$($bounds:tt)*] $body:block
    )*) => {
        $($error)*
        $(
            $(#[$attr])*
            #[allow(unused_variables)]
            $vis async fn $name $params -> $returns {
                ::core::unreachable!("lockwise's \"async\" feature is off")
            }
        )*
    };
}
