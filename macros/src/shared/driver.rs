//! The one pipeline every macro runs, and the table of macros it runs them from. A macro is
//! a [`Macro`] impl: its stages, in order. [`run`] calls them, with what every macro does
//! the same way in between (the item parsed as a struct, its [`Header`], the fallback when
//! it is not one, the errors emitted after the code).
//!
//! Tokens -> parse (`Macro::parse_args`) -> model (`Macro::model`) -> rules (`Macro::check`)
//! -> generation (`Macro::generate`). Each stage sees only what the one before it produced.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, DeriveInput, Path};

use crate::shared::ctxt::Errors;
use crate::shared::fallback;
use crate::shared::header::{Body, Header, MacroSpec};

/// One macro's stages. The impl is the macro's `mod.rs`; each stage forwards to the file
/// of that stage (`attr.rs`, `ast.rs`, `valid.rs`, `expand/`).
pub trait Macro {
    /// Its name, options, field markers and "goes on a struct" messages.
    const SPEC: &'static MacroSpec;
    /// Whether every type parameter must be sized, because the struct's fields are stored
    /// inside a runtime type (`Guarded<State, Mode>`); a `?Sized` bound is then reported
    /// and dropped before the model is built.
    const SIZED_PARAMS: bool;
    /// Its arguments, parsed.
    type Args;
    /// The model of one struct, borrowing from the parsed item.
    type Model<'a>;

    /// Parses the tokens inside `#[name(..)]`.
    fn parse_args(tokens: TokenStream, errors: &mut Errors) -> Self::Args;
    /// The `crate = path` among the arguments, if written: the header needs it.
    fn krate(args: &Self::Args) -> Option<&Path>;
    /// Builds the model: reads the fields' markers, decides every derived fact.
    fn model<'a>(
        header: Header,
        item: &'a DeriveInput,
        body: &Body<'a>,
        args: Self::Args,
        errors: &mut Errors,
    ) -> Self::Model<'a>;
    /// Records every broken rule; the model stays usable.
    fn check(model: &Self::Model<'_>, errors: &mut Errors);
    /// The code, from the model alone.
    fn generate(model: &Self::Model<'_>) -> TokenStream;
}

/// Runs `M` on `#[name(args)] item`. `macros` is every lockwise macro, so that a second
/// lockwise attribute on the struct is recognized.
pub fn run<M: Macro>(macros: &Registry, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = M::parse_args(args, &mut errors);
    let item = match syn::parse2::<DeriveInput>(item.clone()) {
        Ok(item) => item,
        Err(_) => return fallback::not_a_struct(item, M::SPEC, errors),
    };
    let Some((mut header, body)) =
        Header::from_item(&item, M::SPEC, macros, M::krate(&args), &mut errors)
    else {
        return fallback::unchanged(&item, M::SPEC, errors);
    };
    if M::SIZED_PARAMS {
        header.require_sized_params(&mut errors);
    }
    let model = M::model(header, &item, &body, args, &mut errors);
    M::check(&model, &mut errors);
    let expanded = M::generate(&model);
    let errors = errors.into_compile_errors();
    quote!(#expanded #errors)
}

/// Every lockwise macro, one [`Registered`] row each: the crate's one table of macros
/// (`MACROS` in `lib.rs`).
pub struct Registry(pub &'static [Registered]);

/// One macro in the [`Registry`]: its spec, and its pipeline with the type erased, so that
/// every macro fits one table.
#[derive(Clone, Copy)]
pub struct Registered {
    pub spec: &'static MacroSpec,
    pipeline: fn(&Registry, TokenStream, TokenStream) -> TokenStream,
}

impl Registered {
    /// The row of `M`.
    pub const fn of<M: Macro>() -> Self {
        Registered {
            spec: M::SPEC,
            pipeline: run::<M>,
        }
    }
}

impl Registry {
    /// Runs the macro of `row` on `#[name(args)] item`.
    pub fn run(&self, row: &Registered, args: TokenStream, item: TokenStream) -> TokenStream {
        (row.pipeline)(self, args, item)
    }

    /// The macro `attr` is (`#[guarded]`, `#[lockwise::guarded]`), if it is a lockwise one.
    pub fn find(&self, attr: &Attribute) -> Option<&Registered> {
        let path = attr.path();
        let last = path.segments.last()?;
        let plain = path.segments.len() == 1
            || path.segments.first().is_some_and(|s| s.ident == "lockwise");
        if !plain {
            return None;
        }
        self.0.iter().find(|row| last.ident == row.spec.name)
    }
}
