//! What both shapes emit the same way: the state struct (the user's struct under the
//! state's name), the impls every wrapper has (`From<State>`, `Default` when derived, the
//! never-`Clone` marker), and the names both use (a mode's runtime marker type, the type's
//! path in debug-build messages).

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Member;

use crate::guarded::ast::{ModeKind, Model, Style};
use crate::shared::code::{Code, spelled};
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

/// The names the generated text repeats, spelled once.
pub struct Spelled {
    /// `::lockwise::__private`, or where `crate = ..` says.
    pub private: String,
    /// `{private}::guarded`: the runtime types of this macro.
    pub runtime: String,
    /// The name without `r#`, for messages.
    pub name: String,
    /// The state's type: `CacheState<K>`.
    pub state: String,
    /// The wrapper's visibility, for its methods.
    pub vis: String,
    /// The whole-struct wrapper's one field.
    pub storage: String,
}

impl Spelled {
    pub fn of(model: &Model) -> Self {
        let header = &model.header;
        let private = spelled(&header.private);
        let state_ident = &model.names.state;
        let (_, ty_generics, _) = header.generics.split_for_impl();
        Spelled {
            runtime: format!("{private}::guarded"),
            private,
            name: header.name(),
            state: spelled(quote!(#state_ident #ty_generics)),
            vis: spelled(&header.vis),
            storage: model.names.storage.to_string(),
        }
    }
}

/// An impl header of the wrapper, `{attrs} impl<..> {what} Name<..> where ..`, for the
/// caller to write the body after. The struct's `cfg`s, generics and where clause are the
/// user's tokens; `bounds` (text) join the where clause.
pub fn impl_header(code: &mut Code, model: &Model, attrs: &str, what: &str, bounds: &[String]) {
    let header = &model.header;
    let (impl_generics, ty_generics, where_clause) = header.generics.split_for_impl();
    let cfgs = header.cfgs();
    code.tokens(quote!(#(#cfgs)*));
    let _ = write!(code, "{attrs} impl");
    code.tokens(impl_generics);
    let _ = write!(code, " {what} ");
    // The user's name keeps its span: an error about the impl (a conflicting hand-written
    // `Debug`) points at it.
    code.tokens(&header.ident);
    code.tokens(ty_generics);
    let predicates = where_clause.iter().flat_map(|w| w.predicates.iter());
    let written = quote!(#(#predicates,)*);
    if !written.is_empty() {
        code.tokens(quote!(where #written));
    } else if !bounds.is_empty() {
        code.text(" where ");
    }
    for bound in bounds {
        let _ = write!(code, "{bound},");
    }
}

/// `From<State>`, `Default` when the state has it, and the marker that makes a
/// hand-written `impl Clone` conflict: the same for both shapes.
pub fn common_impls(code: &mut Code, model: &Model, names: &Spelled) {
    let state = &names.state;
    impl_header(
        code,
        model,
        "#[allow(deprecated)]",
        &format!("::core::convert::From<{state}> for"),
        &[],
    );
    code.text(
        "{
            #[inline]
            fn from(__lockwise_state: ",
    );
    let _ = write!(
        code,
        "{state}) -> Self {{
                Self::new(__lockwise_state)
            }}
        }}"
    );
    // `Default` whenever the state is `Default`, derived or written by hand (as for
    // `Mutex<T>`); the bound is deferred, so a state without it simply has no `default()`.
    // A state known to derive it needs no bound.
    let bounds: Vec<String> = (!model.state_impls.default)
        .then(|| format!("for<'__lw> {state}: ::core::default::Default"))
        .into_iter()
        .collect();
    impl_header(
        code,
        model,
        "#[allow(deprecated)]",
        "::core::default::Default for",
        &bounds,
    );
    code.text(
        "{
            #[inline]
            fn default() -> Self {
                Self::new(::core::default::Default::default())
            }
        }",
    );
    code.tokens(emit::never_copy(&model.header));
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
