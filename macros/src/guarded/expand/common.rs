//! What both shapes emit the same way: the state struct (the user's struct under the
//! state's name), the impls every wrapper has (`From<State>`, `Default` when derived, the
//! never-`Clone` marker), and the names both use (a mode's runtime marker type, the type's
//! path in debug-build messages).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Member;

use crate::guarded::ast::{ModeKind, Model, Style};
use crate::shared::emit;

/// The state struct: the user's struct under the state's name, with all its attributes,
/// docs and derives, minus this macro's field markers.
pub fn state_struct(model: &Model) -> TokenStream {
    let header = &model.header;
    let (attrs, vis, generics) = (&header.attrs, &header.vis, &header.generics);
    let state = &model.names.state;
    let where_clause = &generics.where_clause;
    let fields = model.fields.iter().map(|field| {
        let attrs = &field.kept_attrs;
        let (vis, ty) = (field.vis, field.ty);
        match &field.member {
            Member::Named(name) => quote!(#(#attrs)* #vis #name: #ty),
            Member::Unnamed(_) => quote!(#(#attrs)* #vis #ty),
        }
    });
    let doc = format!(
        " The state of [`{wrapper}`]: a plain struct, reachable in a `{wrapper}` only through \
         its guards. Methods written on it run with the lock held.",
        wrapper = header.name()
    );
    let doc_break = emit::doc_break(header);
    let body = match model.style {
        Style::Named => quote!(#where_clause { #(#fields,)* }),
        Style::Tuple => quote!(( #(#fields,)* ) #where_clause;),
    };
    quote! {
        #(#attrs)*
        #doc_break
        #[doc = #doc]
        #vis struct #state #generics #body
    }
}

/// `From<State>`, `Default` when the input derives it, and the marker that makes a
/// hand-written `impl Clone` conflict: the same for both shapes.
pub fn common_impls(model: &Model) -> TokenStream {
    let header = &model.header;
    let state_ident = &model.names.state;
    let (_, ty_generics, _) = header.generics.split_for_impl();
    let state = quote!(#state_ident #ty_generics);
    let value = emit::local("state");
    let from = emit::trait_impl(
        header,
        quote!(::core::convert::From<#state>),
        &[],
        quote! {
            #[inline]
            fn from(#value: #state) -> Self {
                Self::new(#value)
            }
        },
    );
    // `Default` whenever the state is `Default`, derived or written by hand (as for
    // `Mutex<T>`); the bound is deferred, so a state without it simply has no `default()`.
    // A state known to derive it needs no bound.
    let default_bound = (!model.state_impls.default)
        .then(|| emit::deferred_bound(&state, quote!(::core::default::Default)));
    let default = {
        emit::trait_impl(
            header,
            quote!(::core::default::Default),
            default_bound.as_slice(),
            quote! {
                #[inline]
                fn default() -> Self {
                    Self::new(::core::default::Default::default())
                }
            },
        )
    };
    let never_copy = emit::never_copy(header);
    quote! {
        #from
        #default
        #never_copy
    }
}

/// `module_path!()` + `::Name`: how debug-build messages name the user's type, with the
/// path that tells two types of one name apart.
pub fn type_path(model: &Model) -> TokenStream {
    let name = format!("::{}", model.header.name());
    quote!(::core::concat!(::core::module_path!(), #name))
}

/// The runtime's marker type for `mode`.
pub fn mode_marker(model: &Model, mode: ModeKind) -> TokenStream {
    let runtime = &model.runtime;
    let name = format_ident!("{}", mode_type_name(mode));
    quote!(#runtime::#name)
}

/// The name of the runtime's marker type for `mode`.
pub fn mode_type_name(mode: ModeKind) -> &'static str {
    match mode {
        ModeKind::Mutex => "Mutex",
        ModeKind::Rw => "Rw",
        ModeKind::ReadMostly => "ReadMostly",
    }
}
