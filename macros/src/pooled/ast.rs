//! The model of one `#[pooled]` struct: the header, and how its pool makes and keeps
//! objects, decided once.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{DeriveInput, ExprPath};

use crate::pooled::attr::Args;
use crate::shared::header::Header;

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
