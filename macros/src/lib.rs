//! The attribute macros of [lockwise](https://docs.rs/lockwise). Depend on `lockwise`,
//! which re-exports them next to the runtime they expand to; this crate alone is not
//! useful.
//!
//! One folder per macro, each a pipeline of small stages as in thiserror-impl and
//! serde_derive: `attr` (its arguments and field markers), `ast` (the model, with every
//! derived fact decided once), `valid` (rules over the model), and generation files that
//! read only the model. What every macro shares (error collection, option parsing with
//! suggestions, the struct header, emission helpers, the fallback) is in `shared`.
#![forbid(unsafe_code)]

mod guarded;
mod once_init;
mod pooled;
mod sharded;
mod shared;

use proc_macro::TokenStream;

/// Makes a struct thread-safe: its fields move into a `<Name>State` struct that is
/// reachable only through a lock. The lockwise crate's documentation of `guarded` is the
/// guide, with examples; this item is re-exported there.
#[proc_macro_attribute]
pub fn guarded(args: TokenStream, item: TokenStream) -> TokenStream {
    guarded::expand(args.into(), item.into()).into()
}

/// Makes fields lazy: each field marked `#[once(init = path)]` is computed on first use,
/// exactly once, with an explicit failure policy (`retry`). The lockwise crate's
/// documentation of `once_init` is the guide; this item is re-exported there.
#[proc_macro_attribute]
pub fn once_init(args: TokenStream, item: TokenStream) -> TokenStream {
    once_init::expand(args.into(), item.into()).into()
}

/// Gives a struct a pool: `Type::pooled()` hands out an object, reset, that goes back to the
/// pool on drop (Go's `sync.Pool`). The lockwise crate's documentation of `pooled` is the
/// guide; this item is re-exported there.
#[proc_macro_attribute]
pub fn pooled(args: TokenStream, item: TokenStream) -> TokenStream {
    pooled::expand(args.into(), item.into()).into()
}

/// Lock striping: the struct is one shard's state, and the type holds N of them, each behind
/// its own lock, a key's shard picked by its hash. The lockwise crate's documentation of
/// `sharded` is the guide; this item is re-exported there.
#[proc_macro_attribute]
pub fn sharded(args: TokenStream, item: TokenStream) -> TokenStream {
    sharded::expand(args.into(), item.into()).into()
}
