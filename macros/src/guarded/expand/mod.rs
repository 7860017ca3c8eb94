//! Generation for `#[guarded]`, a file per shape: `whole` (one lock around the struct) and
//! `per_field` (a lock per field), with what both emit the same way in `common`. Reads
//! only the model.

mod common;
mod per_field;
mod whole;

use proc_macro2::TokenStream;

use crate::guarded::ast::{Locking, Model};

/// The code for `model`, in the shape its locking asks for.
pub fn generate(model: &Model) -> TokenStream {
    match &model.locking {
        Locking::Whole(mode) => whole::generate(model, *mode),
        Locking::PerField(plans) => per_field::generate(model, plans),
    }
}
