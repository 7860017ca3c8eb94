//! `#[guarded]`: its stages as a [`Macro`], run by the shared driver. Tokens -> parse
//! (`attr`) -> model (`ast`) -> rules (`valid`) -> generation (`expand/`: `whole` or
//! `per_field`).

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use syn::{DeriveInput, Path};

use crate::shared::ctxt::Errors;
use crate::shared::driver::Macro;
use crate::shared::header::{Body, Header, MacroSpec};

/// `#[guarded]` and `#[guarded(mode, state = Name, crate = path)]`.
pub struct Guarded;

impl Macro for Guarded {
    const SPEC: &'static MacroSpec = &attr::GUARDED;
    const SIZED_PARAMS: bool = true;
    type Args = ast::Args;
    type Model<'a> = ast::Model<'a>;

    fn parse_args(tokens: TokenStream, errors: &mut Errors) -> ast::Args {
        attr::parse_args(tokens, errors)
    }

    fn krate(args: &ast::Args) -> Option<&Path> {
        args.krate.as_ref()
    }

    fn model<'a>(
        header: Header,
        _: &'a DeriveInput,
        body: &Body<'a>,
        args: ast::Args,
        errors: &mut Errors,
    ) -> ast::Model<'a> {
        let markers = attr::parse_field_markers(body, errors);
        ast::Model::new(header, body, &args, markers)
    }

    fn check(model: &ast::Model<'_>, errors: &mut Errors) {
        valid::check(model, errors);
    }

    fn generate(model: &ast::Model<'_>) -> TokenStream {
        expand::generate(model)
    }
}
