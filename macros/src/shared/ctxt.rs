//! Collects every error found in one input, so the user sees all of them in one build
//! instead of fixing one, rebuilding, and meeting the next (serde_derive's `Ctxt`).

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Records an error pointing at `tokens`.
    pub fn at(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error pointing at `span`.
    pub fn at_span(&mut self, span: Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// How many errors are recorded: a parser compares counts to tell whether a step it
    /// called already reported a problem.
    pub fn count(&self) -> usize {
        self.errors.len()
    }

    /// One `compile_error!` per recorded error.
    pub fn into_compile_errors(self) -> TokenStream {
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}
