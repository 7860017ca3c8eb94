//! `#[guarded]`: the pipeline, and nothing else. Tokens -> parse (`attr`, `ast::parse_item`)
//! -> model (`ast`) -> rules (`valid`) -> generation (`whole` or `per_field`).

mod ast;
mod attr;
mod per_field;
mod state;
mod valid;
mod whole;

use proc_macro2::TokenStream;
use quote::quote;

use crate::shared::ctxt::Errors;
use crate::shared::fallback;
use crate::shared::header::Header;

pub use attr::GUARDED;

/// `#[guarded(args)] item`.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = attr::parse_args(args, &mut errors);
    let item = match syn::parse2::<syn::DeriveInput>(item.clone()) {
        Ok(item) => item,
        Err(_) => return fallback::not_a_struct(item, &GUARDED, errors),
    };
    let Some((mut header, body)) =
        Header::from_item(&item, &GUARDED, args.krate.as_ref(), &mut errors)
    else {
        return fallback::unchanged(&item, &GUARDED, errors);
    };
    header.require_sized_params(&mut errors);
    let model = ast::Model::new(header, &body, &args, &mut errors);
    valid::check(&model, &mut errors);
    let expanded = match &model.locking {
        ast::Locking::Whole(mode) => whole::expand(&model, *mode),
        ast::Locking::PerField(plans) => per_field::expand(&model, plans),
    };
    let errors = errors.into_compile_errors();
    quote!(#expanded #errors)
}
