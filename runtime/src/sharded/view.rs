//! What [`ShardedMap`](crate::sharded::ShardedMap) and
//! [`ShardedSet`](crate::sharded::ShardedSet) share: each is a [`Shards`](crate::sharded::Shards) with more methods,
//! and everything that is not those methods (construction, taking apart, `Deref` to the
//! `Shards` for the key guards, `Default`, `Debug`) is written once, here, as
//! `shards_view!`.

/// The construction and trait impls of `$view<S, M, N>`, a struct with one field
/// `shards: Shards<S, M, N>`. `$example` is a state type for the doc examples. The caller
/// imports `Shards`, `Acquire` and `Mode`.
macro_rules! shards_view {
    ($view:ident, $example:literal) => {
        impl<S, M: Acquire<S>, const N: usize> $view<S, M, N> {
            #[doc = concat!(
                "`N` shards, each in its `Default` state.\n\n```\n",
                "use lockwise::{mode::Mutex, sharded::", stringify!($view), "};\n\n",
                "let shards: ", stringify!($view), "<", $example, ", Mutex, 8> = ",
                stringify!($view), "::new();\n",
                "assert_eq!(shards.shard_count(), 8);\n```"
            )]
            #[inline]
            pub fn new() -> Self
            where
                S: Default,
            {
                Self { shards: Shards::new() }
            }

            #[doc = concat!(
                "`N` shards, shard `i` in the state `make(i)`, made in index order (to give ",
                "each map a capacity, say).\n\n```\n",
                "use lockwise::{mode::Rw, sharded::", stringify!($view), "};\n\n",
                "let shards: ", stringify!($view), "<", $example, ", Rw, 4> =\n    ",
                stringify!($view), "::from_fn(|_| Default::default());\n",
                "assert_eq!(shards.into_inner().len(), 4);\n```"
            )]
            #[inline]
            pub fn from_fn(make: impl FnMut(usize) -> S) -> Self {
                Self { shards: Shards::from_fn(make) }
            }

            /// Wraps `shards`: for constructors written in other files.
            #[inline]
            pub(crate) fn wrap(shards: Shards<S, M, N>) -> Self {
                Self { shards }
            }
        }

        impl<S, M: Mode, const N: usize> $view<S, M, N> {
            #[doc = concat!(
                "Names this value in debug-build messages (`module::Name`), as generated ",
                "code does: [`Shards::labeled`].\n\n```\n",
                "use lockwise::sharded::", stringify!($view), ";\n\n",
                "let shards: ", stringify!($view), "<", $example, "> = ",
                stringify!($view), "::new().labeled(\"app::Sessions\");\n",
                "assert_eq!(shards.shard_count(), 16);\n```"
            )]
            #[inline]
            pub fn labeled(self, path: &'static str) -> Self {
                Self { shards: self.shards.labeled(path) }
            }

            #[doc = concat!(
                "Every shard's state, without locking: `&mut self` proves no one else can ",
                "look.\n\n```\n",
                "use lockwise::sharded::", stringify!($view), ";\n\n",
                "let mut shards: ", stringify!($view), "<", $example, "> = ",
                stringify!($view), "::new();\n",
                "assert_eq!(shards.shards_mut().count(), 16);\n```"
            )]
            #[inline]
            pub fn shards_mut(&mut self) -> impl Iterator<Item = M::Exclusive<'_, S>>
            where
                M: Acquire<S>,
            {
                self.shards.shards_mut()
            }

            #[doc = concat!(
                "The shards' states, in index order, consuming the locks.\n\n```\n",
                "use lockwise::{mode::Rw, sharded::", stringify!($view), "};\n\n",
                "let shards: ", stringify!($view), "<", $example, ", Rw, 2> = ",
                stringify!($view), "::new();\n",
                "assert_eq!(shards.into_inner().len(), 2);\n```"
            )]
            #[inline]
            pub fn into_inner(self) -> Vec<S>
            where
                M: Acquire<S>,
            {
                self.shards.into_inner()
            }
        }

        // `Deref` only: `&mut` access is `shards_mut` above, so that rustdoc does not list
        // `Shards::shards_mut` among the methods a generated wrapper (which has no
        // `DerefMut`) reaches through this.
        impl<S, M: Mode, const N: usize> ::core::ops::Deref
            for $view<S, M, N>
        {
            type Target = Shards<S, M, N>;

            #[inline(always)]
            fn deref(&self) -> &Self::Target {
                &self.shards
            }
        }

        impl<S: Default, M: Acquire<S>, const N: usize> Default
            for $view<S, M, N>
        {
            #[inline]
            fn default() -> Self {
                Self::new()
            }
        }

        impl<S: ::core::fmt::Debug, M: Acquire<S>, const N: usize>
            ::core::fmt::Debug for $view<S, M, N>
        {
            /// Never waits: a shard a writer holds prints as `<locked>`.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                self.shards.fmt_named(stringify!($view), f)
            }
        }
    };
}

pub(crate) use shards_view;
