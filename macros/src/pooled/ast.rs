//! The model of one `#[pooled]` struct, and the arguments as written (which `attr.rs`
//! produces): the header, and how its pool makes and keeps objects, decided once. The rules
//! (`valid.rs`) and the generation (`expand/`) read this and nothing else.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{DeriveInput, ExprPath, Path};

use crate::shared::header::Header;

/// The arguments of `#[pooled(..)]`, as written: what `attr.rs` parses, and the model is
/// built from.
pub struct Args {
    /// `max_idle = N`, with the span of `N`.
    pub max_idle: Option<(usize, Span)>,
    /// `new = path`.
    pub new: Option<ExprPath>,
    pub krate: Option<Path>,
}

pub struct Model {
    pub header: Header,
    /// The struct as written (minus a repeated lockwise attribute): `#[pooled]` leaves it
    /// unchanged.
    pub item: DeriveInput,
    /// `<crate>::__private::pooled`.
    pub runtime: TokenStream,
    /// `max_idle = N`; `None` for the runtime's default.
    pub max_idle: Option<usize>,
    /// `new = path`; `None` for `Default::default`.
    pub new: Option<ExprPath>,
    /// The span of the first generic parameter, if any: a `static` pool has one type.
    pub generic: Option<Span>,
}

impl Model {
    pub fn new(header: Header, item: &DeriveInput, args: Args) -> Self {
        let private = &header.private;
        let mut item = item.clone();
        item.attrs.clone_from(&header.attrs);
        Model {
            item,
            runtime: quote!(#private::pooled),
            max_idle: args.max_idle.map(|(n, _)| n),
            new: args.new,
            generic: header
                .generics
                .params
                .first()
                .map(syn::spanned::Spanned::span),
            header,
        }
    }
}
