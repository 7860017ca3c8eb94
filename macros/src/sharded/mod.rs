//! `#[sharded(N)]`: the pipeline, and nothing else. Tokens -> parse (`attr`) -> model
//! (`ast`) -> rules (`valid`) -> generation (`expand`).

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;

use crate::shared::ctxt::Errors;
use crate::shared::fallback;
use crate::shared::header::Header;

pub use attr::SHARDED;

/// `#[sharded(args)] item`.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = attr::parse_args(args, &mut errors);
    let item = match syn::parse2::<syn::DeriveInput>(item.clone()) {
        Ok(item) => item,
        Err(_) => return fallback::not_a_struct(item, &SHARDED, errors),
    };
    let Some((mut header, body)) =
        Header::from_item(&item, &SHARDED, args.krate.as_ref(), &mut errors)
    else {
        return fallback::unchanged(&item, &SHARDED, errors);
    };
    header.require_sized_params(&mut errors);
    let model = ast::Model::new(header, &body, &args);
    valid::check(&model, &mut errors);
    let expanded = expand::expand(&model);
    let errors = errors.into_compile_errors();
    quote!(#expanded #errors)
}
