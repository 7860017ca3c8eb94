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
#[cfg(test)]
mod snapshots;

use proc_macro::TokenStream;

use crate::shared::driver::{Registered, Registry};

/// The one table of macros, a row each. Each entry point below runs its row through it;
/// the check that a struct carries one lockwise attribute knows every attribute from it;
/// the expansion snapshots (`snapshots.rs`) find each attribute's row in it.
static MACROS: Registry = Registry(&[GUARDED, ONCE_INIT, POOLED, SHARDED]);

const GUARDED: Registered = Registered::of::<guarded::Guarded>();
const ONCE_INIT: Registered = Registered::of::<once_init::OnceInit>();
const POOLED: Registered = Registered::of::<pooled::Pooled>();
const SHARDED: Registered = Registered::of::<sharded::Sharded>();

/// Makes a struct thread-safe: its fields move into a `<Name>State` struct that is
/// reachable only through a lock. The lockwise crate's documentation of `guarded` is the
/// guide, with examples; this item is re-exported there.
#[proc_macro_attribute]
pub fn guarded(args: TokenStream, item: TokenStream) -> TokenStream {
    MACROS.run(&GUARDED, args.into(), item.into()).into()
}

/// Makes fields lazy: each field marked `#[once(init = path)]` is computed on first use,
/// exactly once, with an explicit failure policy (`retry`). The lockwise crate's
/// documentation of `once_init` is the guide; this item is re-exported there.
#[proc_macro_attribute]
pub fn once_init(args: TokenStream, item: TokenStream) -> TokenStream {
    MACROS.run(&ONCE_INIT, args.into(), item.into()).into()
}

/// Gives a struct a pool: `Type::pooled()` hands out an object, reset, that goes back to the
/// pool on drop (Go's `sync.Pool`). The lockwise crate's documentation of `pooled` is the
/// guide; this item is re-exported there.
#[proc_macro_attribute]
pub fn pooled(args: TokenStream, item: TokenStream) -> TokenStream {
    MACROS.run(&POOLED, args.into(), item.into()).into()
}

/// Lock striping: the struct is one shard's state, and the type holds N of them, each behind
/// its own lock, a key's shard picked by its hash. The lockwise crate's documentation of
/// `sharded` is the guide; this item is re-exported there.
#[proc_macro_attribute]
pub fn sharded(args: TokenStream, item: TokenStream) -> TokenStream {
    MACROS.run(&SHARDED, args.into(), item.into()).into()
}
