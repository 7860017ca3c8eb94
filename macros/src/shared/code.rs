//! Generated code written as text, with the user's tokens spliced in.
//!
//! A proc macro is built unoptimised in a `dev` build, and `quote!` builds its output one
//! token at a time, each crossing the bridge to the compiler: for `#[guarded]` that was
//! 1.7 ms of CPU per struct, the macro's largest cost. The same code as text crosses the
//! bridge once and is lexed by the compiler's own (optimised) lexer, with every token at
//! the call site, as `quote!` puts them (BENCHMARKS.md, "Compile cost"). What must keep its
//! own span (the user's name, attributes, generics, fields: what an error or a "go to
//! definition" points at) is spliced in as tokens.
//!
//! A stretch of text between two spliced token streams is lexed on its own, so it must
//! close every bracket it opens: splice only between items, or where an item's header
//! (generics, where clause) takes the user's tokens. Empty splices (a struct without
//! generics) do not break the text, so a plain struct's expansion is lexed in one piece.

use std::fmt;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// Generated code, as text and token streams in turn. Write text with `write!` or
/// [`Code::text`], splice tokens with [`Code::tokens`], and take the result with
/// [`Code::finish`].
#[derive(Default)]
pub struct Code {
    done: TokenStream,
    text: String,
}

impl Code {
    /// Appends Rust source.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends `tokens` as they are, spans included.
    pub fn tokens(&mut self, tokens: impl ToTokens) -> &mut Self {
        let tokens = tokens.into_token_stream();
        if !tokens.is_empty() {
            self.flush();
            self.done.extend(tokens);
        }
        self
    }

    /// The code written so far.
    pub fn finish(mut self) -> TokenStream {
        self.flush();
        self.done
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.done.extend(lex(&self.text));
            self.text.clear();
        }
    }
}

impl fmt::Write for Code {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.text.push_str(text);
        Ok(())
    }
}

/// `text` as tokens at the call site. In a macro expansion, by the compiler's lexer
/// (proc-macro2's `parse` would first check the text with its own lexer, unoptimised in
/// the macro); in the crate's tests, where there is no compiler, by proc-macro2's.
fn lex(text: &str) -> TokenStream {
    const GENERATED_CODE_LEXES: &str = "generated code is valid Rust tokens";
    if proc_macro::is_available() {
        let tokens: proc_macro::TokenStream = text.parse().expect(GENERATED_CODE_LEXES);
        tokens.into()
    } else {
        text.parse().expect(GENERATED_CODE_LEXES)
    }
}

/// `tokens` as text, for names that go into generated text: a path or type the user
/// wrote or the macro built, whose own span no error needs.
pub fn spelled(tokens: impl ToTokens) -> String {
    tokens.into_token_stream().to_string()
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use quote::quote;

    use super::*;

    #[test]
    fn text_and_tokens_come_out_in_order() {
        let mut code = Code::default();
        code.text("struct A;");
        code.tokens(quote!(
            struct B;
        ));
        code.tokens(TokenStream::new());
        let name = "C";
        write!(code, "/// C\nstruct {name};").unwrap();
        assert_eq!(
            code.finish().to_string(),
            quote!(
                struct A;
                struct B;
                #[doc = " C"]
                struct C;
            )
            .to_string()
        );
    }
}
