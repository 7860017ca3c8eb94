//! `Serialize`/`Deserialize` for the wrappers `#[guarded]` generates, only when the `serde`
//! feature is on. The macro cannot see features, so it hands the names the impls need to
//! [`__lockwise_guarded_serde!`](crate::__lockwise_guarded_serde), which this crate defines
//! according to its own feature: the impls themselves, or nothing. Generated code names it
//! `__private::guarded::serde_impls!`, and it names the serde crate `__private::serde`.
//!
//! The impls are written here rather than generated: the macro's call is a few names, which
//! costs the macro (an unoptimised proc macro in a `dev` build) and rustc less than the
//! impls' hundred tokens would, for every struct of every build with the feature off, and
//! no more with it on (BENCHMARKS.md, "Compile cost").

/// `Serialize` under a read lock, and `Deserialize` through `new`, for a wrapper whose
/// `Guarded` is in `field`, with `serialize_where` and `deserialize_where` as their where
/// clauses (`$de` is the `Deserialize` lifetime, named by the caller so that its where clause
/// can name it). The lock leaves no trace in the format. Not public API: generated code
/// calls it as `lockwise::__private::guarded::serde_impls!`.
///
/// ```
/// use lockwise::{mode::Rw, Guarded};
///
/// pub struct Ports {
///     inner: Guarded<Vec<u16>, Rw>,
/// }
/// impl Ports {
///     fn new(ports: Vec<u16>) -> Self {
///         Ports { inner: Guarded::new(ports) }
///     }
/// }
/// lockwise::__private::guarded::serde_impls! {
///     impl [] for Ports, state Vec<u16>, field inner,
///     serialize where [],
///     deserialize<'de> where [],
/// }
/// let ports: Ports = serde_json::from_str("[80,443]").unwrap();
/// assert_eq!(serde_json::to_string(&ports).unwrap(), "[80,443]");
/// ```
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __lockwise_guarded_serde {
    (
        $(#[$attr:meta])*
        impl [$($params:tt)*] for $wrapper:ty, state $state:ty, field $field:ident,
        serialize where [$($serialize_where:tt)*],
        deserialize<$de:lifetime> where [$($deserialize_where:tt)*] $(,)?
    ) => {
        $(#[$attr])*
        impl<$($params)*> $crate::__private::serde::Serialize for $wrapper
        where
            $($serialize_where)*
        {
            fn serialize<__LockwiseSerializer>(
                &self,
                serializer: __LockwiseSerializer,
            ) -> ::core::result::Result<__LockwiseSerializer::Ok, __LockwiseSerializer::Error>
            where
                __LockwiseSerializer: $crate::__private::serde::Serializer,
            {
                $crate::__private::serde::Serialize::serialize(&self.$field, serializer)
            }
        }

        $(#[$attr])*
        impl<$de, $($params)*> $crate::__private::serde::Deserialize<$de> for $wrapper
        where
            $($deserialize_where)*
        {
            fn deserialize<__LockwiseDeserializer>(
                deserializer: __LockwiseDeserializer,
            ) -> ::core::result::Result<Self, __LockwiseDeserializer::Error>
            where
                __LockwiseDeserializer: $crate::__private::serde::Deserializer<$de>,
            {
                <$state as $crate::__private::serde::Deserialize<$de>>::deserialize(deserializer)
                    .map(Self::new)
            }
        }
    };
}

/// Without lockwise's `serde` feature (now): nothing. Not public API.
///
/// ```
/// lockwise::__private::guarded::serde_impls! { compile_error!("serde is off: dropped"); }
/// ```
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __lockwise_guarded_serde {
    ($($tokens:tt)*) => {};
}
