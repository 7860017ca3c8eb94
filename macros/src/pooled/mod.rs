//! `#[pooled]`: its stages as a [`Macro`], run by the shared driver. Tokens -> parse
//! (`attr`) -> model (`ast`) -> rules (`valid`) -> generation (`expand`).

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use syn::{DeriveInput, Path};

use crate::shared::ctxt::Errors;
use crate::shared::driver::Macro;
use crate::shared::header::{Body, Header, MacroSpec};

/// `#[pooled]` and `#[pooled(max_idle = N, new = path, crate = path)]`.
pub struct Pooled;

impl Macro for Pooled {
    const SPEC: &'static MacroSpec = &attr::POOLED;
    const SIZED_PARAMS: bool = false;
    type Args = ast::Args;
    type Model<'a> = ast::Model;

    fn parse_args(tokens: TokenStream, errors: &mut Errors) -> ast::Args {
        attr::parse_args(tokens, errors)
    }

    fn krate(args: &ast::Args) -> Option<&Path> {
        args.krate.as_ref()
    }

    fn model(
        header: Header,
        item: &DeriveInput,
        _: &Body<'_>,
        args: ast::Args,
        _: &mut Errors,
    ) -> ast::Model {
        ast::Model::new(header, item, args)
    }

    fn check(model: &ast::Model, errors: &mut Errors) {
        valid::check(model, errors);
    }

    fn generate(model: &ast::Model) -> TokenStream {
        expand::generate(model)
    }
}
