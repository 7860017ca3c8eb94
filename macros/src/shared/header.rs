//! The part of a struct every lockwise macro models the same way: its name, visibility,
//! generics, attributes and derives, where the runtime is, and the errors about its shape
//! ("goes on a struct, not an enum") in the words of the macro that was called.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Data, DeriveInput, Field, Fields, GenericParam, Generics, Ident, Path, Token,
    TypeParamBound, Visibility, WherePredicate,
};

use crate::shared::ctxt::Errors;
use crate::shared::derives_above;
use crate::shared::driver::Registry;
use crate::shared::krate;
use crate::shared::options::OptionTable;

/// What the shared toolkit needs to know about one macro.
pub struct MacroSpec {
    /// The attribute's name: `guarded`.
    pub name: &'static str,
    /// Its arguments.
    pub options: &'static OptionTable,
    /// The field attributes it consumes (`lock`, `unguarded`): the fallback strips them, so
    /// that rustc does not add "cannot find attribute" to the macro's own error.
    pub markers: &'static [&'static str],
    /// A one-line example of correct use, for "goes on a struct" errors.
    pub usage: &'static str,
    /// Advice when the item is an enum, a union, or a unit struct.
    pub on_enum: &'static str,
    pub on_union: &'static str,
    pub on_unit: &'static str,
    /// Whether a unit struct, though reported (`on_unit`), is still expanded, as a struct
    /// without fields. A macro whose expansion does not depend on the fields (`#[pooled]`)
    /// then still generates what the call sites use, so the mistake is one error instead of
    /// one more at every call; the others emit the struct unchanged.
    pub expands_unit: bool,
    /// For a macro that gives the struct's name to a wrapper with other fields: where a
    /// derive belongs, said after "write derives below #[name], ..". A derive written above
    /// the attribute would apply to the wrapper (see `derives_above`); it is then one error,
    /// and the struct is emitted unchanged so that the derive's impls compile. `None` for a
    /// macro that keeps the struct's name and fields, where a derive above works as well as
    /// one below.
    pub on_derive_above: Option<&'static str>,
}

/// The struct as every macro models it. Owns what it repairs (a repeated attribute removed,
/// a `?Sized` bound dropped), so generation never sees the mistake again.
pub struct Header {
    pub spec: &'static MacroSpec,
    /// The struct's attributes, minus a second lockwise attribute.
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    /// The name the user wrote.
    pub ident: Ident,
    pub generics: Generics,
    /// `::lockwise::__private`, or the `crate = ..` path to it.
    pub private: TokenStream,
    /// Where generated items point when no user token fits better: the struct's name.
    pub span: Span,
}

/// A struct's fields, by kind.
pub enum Body<'a> {
    Named(Vec<NamedField<'a>>),
    Tuple(Vec<&'a Field>),
}

/// A field of a struct with named fields, with its name at hand.
#[derive(Clone, Copy)]
pub struct NamedField<'a> {
    pub field: &'a Field,
    pub ident: &'a Ident,
}

impl<'a> Body<'a> {
    /// Every field, named or not, in declaration order.
    pub fn fields(&self) -> Vec<&'a Field> {
        match self {
            Body::Named(fields) => fields.iter().map(|named| named.field).collect(),
            Body::Tuple(fields) => fields.clone(),
        }
    }
}

impl Header {
    /// Models `item`, or returns `None` (with the reason in `errors`) when it is not a
    /// struct with fields. `macros` is every lockwise macro: another one's attribute on the
    /// struct is a mistake.
    pub fn from_item<'a>(
        item: &'a DeriveInput,
        spec: &'static MacroSpec,
        macros: &Registry,
        krate: Option<&Path>,
        errors: &mut Errors,
    ) -> Option<(Header, Body<'a>)> {
        let name = spec.name;
        let body = match &item.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => Body::Named(
                    named
                        .named
                        .iter()
                        .filter_map(|field| {
                            Some(NamedField {
                                field,
                                ident: field.ident.as_ref()?,
                            })
                        })
                        .collect(),
                ),
                Fields::Unnamed(unnamed) => Body::Tuple(unnamed.unnamed.iter().collect()),
                Fields::Unit => {
                    errors.at(&item.ident, format!("#[{name}] {}", spec.on_unit));
                    if !spec.expands_unit {
                        return None;
                    }
                    Body::Named(Vec::new())
                }
            },
            Data::Enum(data) => {
                errors.at(data.enum_token, format!("#[{name}] {}", spec.on_enum));
                return None;
            }
            Data::Union(data) => {
                errors.at(data.union_token, format!("#[{name}] {}", spec.on_union));
                return None;
            }
        };
        if let Some(advice) = spec.on_derive_above {
            let derives = derives_above::written_above(Span::call_site());
            if !derives.is_empty() {
                let ident = &item.ident;
                errors.at_span(
                    Span::call_site(),
                    format!(
                        "`{}` above #[{name}] would apply to the thread-safe `{ident}`, which \
                         does not have the fields written here: write derives below \
                         #[{name}], {advice}",
                        derives.join(" ")
                    ),
                );
                return None;
            }
        }
        let header = Header {
            spec,
            attrs: without_repeated_attribute(item, spec, macros, errors),
            vis: item.vis.clone(),
            ident: item.ident.clone(),
            generics: item.generics.clone(),
            private: krate::private_path(krate),
            span: item.ident.span(),
        };
        Some((header, body))
    }

    /// The name as text, without `r#`, for messages and generated names.
    pub fn name(&self) -> String {
        self.ident.unraw().to_string()
    }

    /// The struct's `#[cfg(..)]`s: every generated item repeats them.
    pub fn cfgs(&self) -> impl Iterator<Item = &Attribute> + Clone {
        self.attrs.iter().filter(|a| a.path().is_ident("cfg"))
    }

    pub fn has_docs(&self) -> bool {
        self.attrs.iter().any(|a| a.path().is_ident("doc"))
    }

    /// The traits among `names` that the struct implements wherever it exists, as far as
    /// its attributes tell: it has no generic parameters and a plain `#[derive(..)]` (not
    /// one under `cfg_attr`) names the trait, by its last segment (`Debug`, `fmt::Debug`,
    /// `derive_more::Debug` all implement `core::fmt::Debug`). Generated impls can then go
    /// without a deferred bound, which every impl that has one pays for in compile time.
    pub fn derives<const N: usize>(&self, names: [&str; N]) -> [bool; N] {
        let mut found = [false; N];
        if !self.generics.params.is_empty() {
            return found;
        }
        let derived = self
            .attrs
            .iter()
            .filter(|attr| attr.path().is_ident("derive"))
            .filter_map(|attr| {
                attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                    .ok()
            })
            .flatten();
        for path in derived {
            if let Some(last) = path.segments.last() {
                for (name, found) in names.iter().zip(&mut found) {
                    *found |= last.ident == name;
                }
            }
        }
        found
    }

    /// Drops every `?Sized` bound, reporting each: the macro stores the struct's fields in
    /// place, so every type parameter must be sized. Without the bound the expansion
    /// compiles, so the error at `?Sized` is the only one.
    pub fn require_sized_params(&mut self, errors: &mut Errors) {
        let name = self.spec.name;
        let mut report = |param: &str, bound: &TypeParamBound| {
            errors.at(
                bound,
                format!(
                    "#[{name}] stores the struct's fields in place, so `{param}` must be sized: \
                     remove `?Sized`, and hold an unsized value through a pointer, such as \
                     `Box<{param}>` or `Arc<{param}>`"
                ),
            );
        };
        for param in &mut self.generics.params {
            if let GenericParam::Type(param) = param {
                let ident = param.ident.to_string();
                param.bounds = strip_maybe_sized(&param.bounds, |b| report(&ident, b));
            }
        }
        if let Some(where_clause) = &mut self.generics.where_clause {
            for predicate in &mut where_clause.predicates {
                if let WherePredicate::Type(predicate) = predicate {
                    let bounded = &predicate.bounded_ty;
                    let text = quote::quote!(#bounded).to_string().replace(' ', "");
                    predicate.bounds = strip_maybe_sized(&predicate.bounds, |b| report(&text, b));
                }
            }
        }
    }
}

fn strip_maybe_sized(
    bounds: &Punctuated<TypeParamBound, Token![+]>,
    mut report: impl FnMut(&TypeParamBound),
) -> Punctuated<TypeParamBound, Token![+]> {
    bounds
        .iter()
        .filter(|bound| {
            let maybe_sized = matches!(bound, TypeParamBound::Trait(t)
                if t.maybe.is_some()
                    && t.path.segments.last().is_some_and(|s| s.ident == "Sized"));
            if maybe_sized {
                report(bound);
            }
            !maybe_sized
        })
        .cloned()
        .collect()
}

/// The struct's attributes without another lockwise attribute: `#[guarded]` written twice
/// would put a lock around a lock, and two different ones cannot both shape the struct.
/// The second is reported and dropped, so it is never expanded.
fn without_repeated_attribute(
    item: &DeriveInput,
    spec: &MacroSpec,
    macros: &Registry,
    errors: &mut Errors,
) -> Vec<Attribute> {
    let name = spec.name;
    let ident = &item.ident;
    item.attrs
        .iter()
        .filter(|attr| {
            let Some(other) = macros.find(attr).map(|row| row.spec.name) else {
                return true;
            };
            if other == name {
                errors.at(
                    attr,
                    format!(
                        "#[{name}] appears twice on `{ident}`: once is enough (a second would \
                         put a lock around the lock); remove this one"
                    ),
                );
            } else {
                errors.at(
                    attr,
                    format!(
                        "#[{name}] and #[{other}] are both on `{ident}`: a struct takes one \
                         lockwise attribute; keep the one that fits"
                    ),
                );
            }
            false
        })
        .cloned()
        .collect()
}
