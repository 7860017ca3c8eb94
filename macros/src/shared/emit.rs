//! Emission helpers every macro shares. They take the [`Header`] (never attributes or
//! arguments as written), so generation reads only the model.
//!
//! Generated code names the runtime through `<crate>::__private`, std items by absolute
//! paths, contains no `unsafe`, and implements no `Send`/`Sync`: thread safety follows the
//! fields. Names it binds are `__lockwise_`-prefixed or mixed-site hygienic, so a user's
//! `const state` or `struct f;` cannot capture them.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::{Attribute, Generics, Ident};

use crate::shared::header::Header;

/// The attributes a generated wrapper copies from the input: docs, `cfg`s, `deprecated`,
/// `must_use` and lint levels, which are about the type users name. Derives, `repr` and
/// the rest describe the data, so they stay on the state. (`expect` stays too: the lint it
/// expects fires on one of the two, not both.)
pub fn wrapper_attrs(header: &Header) -> impl Iterator<Item = &Attribute> {
    const COPIED: [&str; 8] = [
        "doc",
        "cfg",
        "deprecated",
        "must_use",
        "allow",
        "warn",
        "deny",
        "forbid",
    ];
    header
        .attrs
        .iter()
        .filter(|a| COPIED.iter().any(|name| a.path().is_ident(name)))
}

/// An empty doc line, so a generated paragraph does not run into the user's last one.
pub fn doc_break(header: &Header) -> TokenStream {
    if header.has_docs() {
        quote!(#[doc = ""])
    } else {
        TokenStream::new()
    }
}

/// `where` + the input's predicates + `extra`, or nothing when both are empty.
pub fn where_clause(generics: &Generics, extra: &[TokenStream]) -> TokenStream {
    let existing = generics
        .where_clause
        .iter()
        .flat_map(|w| w.predicates.iter())
        .map(ToTokens::to_token_stream);
    let predicates: Vec<TokenStream> = existing.chain(extra.iter().cloned()).collect();
    if predicates.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #(#predicates,)*)
    }
}

/// A bound the compiler checks where the item is used, not where it is defined:
/// `for<'__lw> State: Clone` keeps a bound on a concrete type from being rejected at the
/// definition when it does not hold (rustc's `trivial_bounds` rule). The generated method
/// or impl then simply does not apply.
pub fn deferred_bound(ty: impl ToTokens, bound: TokenStream) -> TokenStream {
    quote!(for<'__lw> #ty: #bound)
}

/// An inherent impl of the wrapper holding `items`, with the struct's `cfg`s and `extra`
/// where-predicates. Generated items allow `deprecated`: a deprecated struct must not warn
/// inside its own expansion.
pub fn inherent_impl(header: &Header, extra: &[TokenStream], items: TokenStream) -> TokenStream {
    let ident = &header.ident;
    let (impl_generics, ty_generics, _) = header.generics.split_for_impl();
    let where_clause = where_clause(&header.generics, extra);
    let cfgs = header.cfgs();
    quote! {
        #(#cfgs)*
        #[allow(dead_code, deprecated)]
        impl #impl_generics #ident #ty_generics #where_clause {
            #items
        }
    }
}

/// `impl Trait for Wrapper` with the struct's generics, `cfg`s and `extra` predicates.
pub fn trait_impl(
    header: &Header,
    trait_path: TokenStream,
    extra: &[TokenStream],
    items: TokenStream,
) -> TokenStream {
    let ident = &header.ident;
    let (impl_generics, ty_generics, _) = header.generics.split_for_impl();
    let where_clause = where_clause(&header.generics, extra);
    let cfgs = header.cfgs();
    quote! {
        #(#cfgs)*
        #[allow(deprecated)]
        impl #impl_generics #trait_path for #ident #ty_generics #where_clause {
            #items
        }
    }
}

/// The marker that makes a hand-written `impl Clone` for the wrapper conflict (E0119), with
/// the advice in the trait's name: Go's `go vet` copylocks check. Spanned at the struct's
/// name, where the conflict error points.
pub fn never_copy(header: &Header) -> TokenStream {
    let p = &header.private;
    let ident = &header.ident;
    let (impl_generics, ty_generics, _) = header.generics.split_for_impl();
    let where_clause = where_clause(&header.generics, &[]);
    let cfgs = header.cfgs();
    quote_spanned! {header.span=>
        #(#cfgs)*
        #[allow(deprecated)]
        impl #impl_generics #p::ALockMustNeverBeCopied<#p::ShareItWithArcOrAStatic>
            for #ident #ty_generics #where_clause {}
    }
}

/// A name bound in generated code (a parameter, a local) that no item of the user's can
/// capture. Hygiene alone does not do it: a binding `state` next to the user's
/// `const state` (or `struct state;`) is read as a pattern against that item, whatever its
/// span. So the name is `__lockwise_`-prefixed, a prefix users do not define, and
/// mixed-site.
pub fn local(name: &str) -> Ident {
    Ident::new(&format!("__lockwise_{name}"), Span::mixed_site())
}

/// `tokens` with every `Self` replaced by `replacement`: a field type that says `Self`
/// means the state in the state struct, but the expansion repeats field types where `Self`
/// would mean the wrapper or a generated struct.
pub fn replace_self(tokens: TokenStream, replacement: &TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "Self" => replacement.clone(),
            TokenTree::Group(group) => {
                let mut replaced = proc_macro2::Group::new(
                    group.delimiter(),
                    replace_self(group.stream(), replacement),
                );
                replaced.set_span(group.span());
                TokenTree::Group(replaced).into()
            }
            other => other.into(),
        })
        .collect()
}

/// "1st", "2nd", ... for docs.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
