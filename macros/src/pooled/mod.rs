//! `#[pooled]`: the pipeline, and nothing else. Tokens -> parse (`attr`) -> model (`ast`)
//! -> rules (`valid`) -> generation (`expand`).

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;

use crate::shared::ctxt::Errors;
use crate::shared::fallback;
use crate::shared::header::Header;

pub use attr::POOLED;

/// `#[pooled(args)] item`.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = attr::parse_args(args, &mut errors);
    let item = match syn::parse2::<syn::DeriveInput>(item.clone()) {
        Ok(item) => item,
        Err(_) => return fallback::not_a_struct(item, &POOLED, errors),
    };
    let Some((header, _)) = Header::from_item(&item, &POOLED, args.krate.as_ref(), &mut errors)
    else {
        return fallback::unchanged(&item, &POOLED, errors);
    };
    let model = ast::Model::new(header, &item, args);
    valid::check(&model, &mut errors);
    let expanded = expand::expand(&model);
    let errors = errors.into_compile_errors();
    quote!(#expanded #errors)
}
