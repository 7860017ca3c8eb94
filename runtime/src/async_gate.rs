//! What `#[once_init]` needs to generate async accessors (`#[once(init = .., async)]`)
//! only when the `async` feature is on: the macro cannot see features, so it wraps a
//! struct's async accessors in [`__lockwise_if_async!`](crate::__lockwise_if_async), which
//! this crate defines according to its own feature, as `serde_gate.rs` does for serde.
//!
//! With the feature off, the gate is one `compile_error!` that names the feature, and the
//! accessors' signatures with bodies that never run (the crate does not compile, so nothing
//! runs): the user's calls to them still type-check, so the error is the only one.
//! Generated code spans the gate's invocation at the user's `async` marker, where rustc
//! then reports the error.
//!
//! Input: a leading `async` token (the marker, for its span), then accessors written
//! `#[attrs] vis async fn name(&self) -> Returns [where clause] { body }`: the where clause
//! in brackets (possibly empty), so that the feature-off arm can tell it from the body.

/// Expands to the async accessors when lockwise's `async` feature is on. Not public API:
/// generated code calls it as `lockwise::__private::if_async!`.
///
/// ```
/// struct Answer;
/// impl Answer {
///     lockwise::__private::if_async! { async
///         async fn get(&self) -> u32 [] { 42 }
///     }
/// }
/// # let _ = Answer.get();
/// ```
#[cfg(feature = "async")]
#[doc(hidden)]
#[macro_export]
macro_rules! __lockwise_if_async {
    ($marker:tt $(
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident $params:tt -> $returns:ty [$($bounds:tt)*] $body:block
    )*) => {$(
        $(#[$attr])*
        $vis async fn $name $params -> $returns $($bounds)* $body
    )*};
}

/// Expands to one `compile_error!` naming the `async` feature (now: off), and the async
/// accessors' signatures. Not public API.
///
/// ```compile_fail
/// struct Answer;
/// impl Answer {
///     lockwise::__private::if_async! { async
///         async fn get(&self) -> u32 [] { 42 }
///     }
/// }
/// ```
#[cfg(not(feature = "async"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __lockwise_if_async {
    ($marker:tt $(
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident $params:tt -> $returns:ty [$($bounds:tt)*] $body:block
    )*) => {
        ::core::compile_error! {
            "`#[once(.., async)]` needs lockwise's \"async\" feature, which is off: enable it \
             in Cargo.toml, `lockwise = { version = \"0.1\", features = [\"async\"] }`"
        }
        $(
            $(#[$attr])*
            #[allow(unused_variables)]
            $vis async fn $name $params -> $returns {
                ::core::unreachable!("lockwise's \"async\" feature is off")
            }
        )*
    };
}

#[cfg(all(test, not(loom)))]
mod tests {
    /// The message names the version users write in Cargo.toml: this crate's `major.minor`
    /// (lockwise's three crates share one version).
    #[test]
    fn the_message_names_this_version() {
        let source = include_str!("async_gate.rs");
        let mut parts = env!("CARGO_PKG_VERSION").split('.');
        let (major, minor) = (parts.next().unwrap(), parts.next().unwrap());
        let expected = format!("version = \\\"{major}.{minor}\\\"");
        assert!(source.contains(&expected), "{expected}");
    }
}
