//! Collects every error found in one input, so the user sees all of them in one build
//! instead of fixing one, rebuilding, and meeting the next (serde_derive's `Ctxt`).

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};

use crate::shared::cfg::Presence;

#[derive(Default)]
pub struct Errors {
    /// Each error, with the builds it holds in: most hold always; one about a field under
    /// `#[cfg]` may hold only where that field exists.
    errors: Vec<(Presence, syn::Error)>,
}

impl Errors {
    /// Records an error pointing at `tokens`.
    pub fn at(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.at_when(&Presence::Always, tokens, message);
    }

    /// Records an error pointing at `tokens` that holds only in the builds where `when`
    /// exists: the macro cannot evaluate cfgs, so the error carries its own `#[cfg]`.
    pub fn at_when(&mut self, when: &Presence, tokens: impl ToTokens, message: impl Display) {
        self.errors
            .push((when.clone(), syn::Error::new_spanned(tokens, message)));
    }

    /// Records an error pointing at `span`.
    pub fn at_span(&mut self, span: Span, message: impl Display) {
        self.errors
            .push((Presence::Always, syn::Error::new(span, message)));
    }

    /// How many errors are recorded: a parser compares counts to tell whether a step it
    /// called already reported a problem.
    pub fn count(&self) -> usize {
        self.errors.len()
    }

    /// One `compile_error!` per recorded error, under its `#[cfg]` if it has one.
    pub fn into_compile_errors(self) -> TokenStream {
        self.errors
            .iter()
            .map(|(when, error)| {
                let error = error.to_compile_error();
                quote!(#when #error)
            })
            .collect()
    }
}
