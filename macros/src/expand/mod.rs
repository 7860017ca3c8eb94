//! Code generation: the entry point and the pieces both shapes share.
//!
//! Generated code declares types and forwards to `lockwise::__private` (the runtime's
//! `Guarded<T, Mode>` and its guards); it names std items by absolute paths, contains no
//! `unsafe`, and implements no `Send`/`Sync`: thread safety follows the fields.

mod fields;
mod guarded;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::{Attribute, DeriveInput, Generics};

use crate::ast::{Input, Locking, Style};
use crate::attr::{self, ModeKind};
use crate::ctxt::Errors;
use crate::{fallback, valid};

/// `#[guarded(args)] item`.
pub fn guarded(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = attr::parse_args(args, &mut errors);
    let parsed: DeriveInput = match syn::parse2(item.clone()) {
        Ok(parsed) => parsed,
        Err(_) => return fallback::not_a_struct(item, errors),
    };
    let Some(input) = Input::from_syn(&parsed, &args, &mut errors) else {
        return fallback::unchanged(&parsed, errors);
    };
    valid::check(&input, &args, &mut errors);
    let expanded = match input.locking {
        Locking::Whole(mode) => guarded::expand(&input, mode.kind),
        Locking::PerField => fields::expand(&input),
    };
    let errors = errors.into_compile_errors();
    quote!(#expanded #errors)
}

/// `lockwise::__private`, or the user's `crate = ..` path to it.
fn private(input: &Input) -> TokenStream {
    let krate = &input.krate;
    quote!(#krate::__private)
}

/// The runtime's marker type for `mode`.
fn mode_marker(input: &Input, mode: ModeKind) -> TokenStream {
    let private = private(input);
    match mode {
        ModeKind::Mutex => quote!(#private::Mutex),
        ModeKind::Rw => quote!(#private::Rw),
        ModeKind::ReadMostly => quote!(#private::ReadMostly),
    }
}

/// The state struct: the user's struct under the state's name, with all its attributes,
/// docs and derives, minus this macro's field markers.
fn state_struct(input: &Input) -> TokenStream {
    let Input {
        attrs,
        vis,
        state_ident,
        generics,
        ..
    } = input;
    let where_clause = &generics.where_clause;
    let fields = input.fields.iter().map(|field| {
        let attrs = field.kept_attrs();
        let (vis, ty) = (field.vis, field.ty);
        match &field.member {
            syn::Member::Named(name) => quote!(#(#attrs)* #vis #name: #ty),
            syn::Member::Unnamed(_) => quote!(#(#attrs)* #vis #ty),
        }
    });
    let doc = format!(
        " The state of [`{wrapper}`]: a plain struct, reachable in a `{wrapper}` only through \
         its guards. Methods written on it run with the lock held.",
        wrapper = input.name()
    );
    let doc_break = blank_doc_line_if(has_docs(attrs));
    let body = match input.style {
        Style::Named => quote!(#where_clause { #(#fields,)* }),
        Style::Tuple => quote!(( #(#fields,)* ) #where_clause;),
    };
    quote! {
        #(#attrs)*
        #doc_break
        #[doc = #doc]
        #vis struct #state_ident #generics #body
    }
}

/// The attributes the wrapper copies from the input: docs, `cfg`s, `deprecated`,
/// `must_use` and lint levels, which are about the type users name. Derives, `repr` and
/// the rest describe the data, so they stay on the state. (`expect` stays too: the lint it
/// expects fires on one of the two, not both.)
fn wrapper_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
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
    attrs
        .iter()
        .filter(|a| COPIED.iter().any(|name| a.path().is_ident(name)))
}

/// The wrapper's inherent impl. `methods` get `mode_bounds` (read_mostly's deferred `Clone`);
/// `new` does not need them, so with bounds it gets an impl of its own and stays usable when
/// the `Clone` is missing: that is one error (the assertion's), not one per constructor call.
fn inherent_impls(
    input: &Input,
    mode_bounds: &[TokenStream],
    constructor: TokenStream,
    methods: TokenStream,
) -> TokenStream {
    let Input {
        ident, generics, ..
    } = input;
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let cfgs: Vec<_> = cfg_attrs(input.attrs).collect();
    let where_plain = where_clause(generics, &[]);
    if mode_bounds.is_empty() {
        return quote! {
            #(#cfgs)*
            #[allow(dead_code, deprecated)]
            impl #impl_generics #ident #ty_generics #where_plain {
                #constructor
                #methods
            }
        };
    }
    let where_mode = where_clause(generics, mode_bounds);
    quote! {
        #(#cfgs)*
        #[allow(dead_code, deprecated)]
        impl #impl_generics #ident #ty_generics #where_plain {
            #constructor
        }

        #(#cfgs)*
        #[allow(dead_code, deprecated)]
        impl #impl_generics #ident #ty_generics #where_mode {
            #methods
        }
    }
}

/// `From<State>`, `Default` when the input derives it, and the marker that makes a
/// hand-written `impl Clone` conflict: the same for both shapes.
fn common_impls(input: &Input) -> TokenStream {
    let p = private(input);
    let Input {
        ident,
        generics,
        state_ident,
        ..
    } = input;
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let state = quote!(#state_ident #ty_generics);
    let cfgs: Vec<_> = cfg_attrs(input.attrs).collect();
    let where_plain = where_clause(generics, &[]);
    // A hand-written `impl Default` for the wrapper must stay possible, so the impl exists
    // only when the input derives `Default` (DESIGN §2); the bound is for generic states.
    let default = if attr::derives(input.attrs, "Default") {
        let where_default = where_clause(
            generics,
            &[deferred_bound(
                state.clone(),
                quote!(::core::default::Default),
            )],
        );
        quote! {
            #(#cfgs)*
            #[allow(deprecated)]
            impl #impl_generics ::core::default::Default for #ident #ty_generics #where_default {
                #[inline]
                fn default() -> Self {
                    Self::new(::core::default::Default::default())
                }
            }
        }
    } else {
        TokenStream::new()
    };
    // Spanned at the struct's name: the conflict error points there.
    let never_copy = quote_spanned! {input.span=>
        #(#cfgs)*
        #[allow(deprecated)]
        impl #impl_generics #p::ALockMustNeverBeCopied<#p::ShareItWithArcOrAStatic>
            for #ident #ty_generics #where_plain {}
    };
    quote! {
        #(#cfgs)*
        #[allow(deprecated)]
        impl #impl_generics ::core::convert::From<#state> for #ident #ty_generics #where_plain {
            #[inline]
            fn from(state: #state) -> Self {
                Self::new(state)
            }
        }

        #default
        #never_copy
    }
}

/// The input's `#[cfg]`s: every generated item repeats them.
fn cfg_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> + Clone {
    attrs.iter().filter(|a| a.path().is_ident("cfg"))
}

fn has_docs(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

/// An empty doc line, so a generated paragraph does not run into the user's last one.
fn blank_doc_line_if(condition: bool) -> TokenStream {
    if condition {
        quote!(#[doc = ""])
    } else {
        TokenStream::new()
    }
}

/// `where` + the input's predicates + `extra`, or nothing when both are empty.
fn where_clause(generics: &Generics, extra: &[TokenStream]) -> TokenStream {
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
/// `for<'__lw>` keeps a bound on a concrete type (`CacheState: Clone`) from being
/// rejected at the definition when it does not hold (rustc's `trivial_bounds` rule).
/// The generated method or impl then simply does not apply.
fn deferred_bound(ty: TokenStream, bound: TokenStream) -> TokenStream {
    quote!(for<'__lw> #ty: #bound)
}
