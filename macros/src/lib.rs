//! The attribute macros of [lockwise](https://docs.rs/lockwise): `#[guarded]`,
//! `#[sharded(N)]`, `#[once_init]` and `#[pooled]`. Depend on `lockwise`, which re-exports
//! them next to the runtime they expand to; this crate alone is not useful.
//!
//! This file holds the entry points and `MACROS`, the one table of macros. Each macro is a
//! folder with the same files, the stages of one pipeline as in thiserror-impl and
//! serde_derive: `mod.rs` (its `Macro` impl: the stages in order), `attr.rs` (its arguments
//! and field markers, parsed), `ast.rs` (the model and its vocabulary, every derived fact
//! decided once), `valid.rs` (rules over the model, one function per rule) and `expand/`
//! (generation, a file per shape, from the model alone). Data flows one way: tokens ->
//! `attr` -> `ast` -> `valid` -> `expand`, in the model's types: `attr` produces them, and
//! no file but the macro's `mod.rs` imports `attr` (`tests/layout.rs` checks it).
//!
//! `shared/` is what every macro uses and names none of them: the driver that runs a
//! `Macro` (`driver.rs`), error collection, option parsing with suggestions, the struct
//! header, emission helpers, and the fallback for input that cannot be expanded.
//! `snapshots.rs` compares each macro's expansion of `tests/expand/*.rs` with its snapshot.
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
