//! The attribute macros of [lockwise](https://docs.rs/lockwise). Depend on `lockwise`,
//! which re-exports them next to the runtime they expand to; this crate alone is not
//! useful.
//!
//! The crate is a pipeline, one file per stage, as in thiserror-impl and serde_derive:
//! `attr` parses the attribute arguments, `ast` models the struct, `valid` checks
//! rules that span several attributes, `expand` generates code, and `fallback` emits
//! the struct as written when it cannot be expanded. `ctxt` collects every error of one
//! input so they are reported together.
#![forbid(unsafe_code)]

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
#[cfg(test)]
mod snapshots;
mod valid;

use proc_macro::TokenStream;

/// Makes a struct thread-safe: its fields move into a `<Name>State` struct that is
/// reachable only through a lock. The lockwise crate's documentation of `guarded` is the
/// guide, with examples; this item is re-exported there.
#[proc_macro_attribute]
pub fn guarded(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::guarded(args.into(), item.into()).into()
}
