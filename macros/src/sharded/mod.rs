//! `#[sharded(N)]`: its stages as a [`Macro`], run by the shared driver. Tokens -> parse
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

/// `#[sharded(N)]` and `#[sharded(N, mode, shard = Name, key = Type, crate = path)]`.
pub struct Sharded;

impl Macro for Sharded {
    const SPEC: &'static MacroSpec = &attr::SHARDED;
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
        _: &mut Errors,
    ) -> ast::Model<'a> {
        ast::Model::new(header, body, &args)
    }

    fn check(model: &ast::Model<'_>, errors: &mut Errors) {
        valid::check(model, errors);
    }

    fn generate(model: &ast::Model<'_>) -> TokenStream {
        expand::generate(model)
    }
}
