//! The model of one `#[guarded]` struct: the syn nodes it borrows, plus what the
//! attributes decided. Spans stay on the user's tokens so errors point at them.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{Attribute, Data, DeriveInput, Fields, Generics, Ident, Member, Type, Visibility};

use crate::attr::{self, Args, FieldAccess, ModeKind, ModeWord};
use crate::ctxt::Errors;

pub struct Input<'a> {
    pub attrs: &'a [Attribute],
    pub vis: &'a Visibility,
    /// The wrapper's name: the name the user wrote.
    pub ident: &'a Ident,
    /// The name of the generated state struct: `<Name>State` unless `state = ..`.
    pub state_ident: Ident,
    pub generics: &'a Generics,
    /// Where the runtime is: `::lockwise` unless `crate = ..`.
    pub krate: TokenStream,
    pub style: Style,
    pub fields: Vec<Field<'a>>,
    pub locking: Locking,
    /// The span that generated items point at when no user token fits better.
    pub span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Named,
    Tuple,
}

/// One lock around the whole struct, or one lock per field.
#[derive(Clone, Copy)]
pub enum Locking {
    Whole(ModeWord),
    PerField,
}

pub struct Field<'a> {
    pub attrs: &'a [Attribute],
    pub vis: &'a Visibility,
    pub member: Member,
    pub ty: &'a Type,
    /// `#[lock(..)]` / `#[unguarded]`; `None` when the field has neither.
    pub access: Option<FieldAccess>,
}

impl<'a> Input<'a> {
    /// Models `item`, or returns `None` (with the reason in `errors`) when it is not a
    /// struct with fields.
    pub fn from_syn(item: &'a DeriveInput, args: &Args, errors: &mut Errors) -> Option<Self> {
        let (fields, style) = match &item.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => (&named.named, Style::Named),
                Fields::Unnamed(unnamed) => (&unnamed.unnamed, Style::Tuple),
                Fields::Unit => {
                    errors.at(
                        &item.ident,
                        "#[guarded] needs a struct with fields: a unit struct has no state to \
                         guard. Add the fields the lock should protect",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                errors.push(syn::Error::new(
                    data.enum_token.span,
                    "#[guarded] goes on a struct, not an enum: put the enum in a struct field \
                     (`struct Phase { current: PhaseKind }`), or use `lockwise::Guarded<YourEnum>`",
                ));
                return None;
            }
            Data::Union(data) => {
                errors.push(syn::Error::new(
                    data.union_token.span,
                    "#[guarded] goes on a struct, not a union: a union's fields overlap, so \
                     there is nothing safe to lock field by field. Use a struct",
                ));
                return None;
            }
        };
        let fields: Vec<Field> = fields
            .iter()
            .enumerate()
            .map(|(index, field)| Field {
                attrs: &field.attrs,
                vis: &field.vis,
                member: match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(index.into()),
                },
                ty: &field.ty,
                access: attr::parse_field_access(&field.attrs, errors),
            })
            .collect();
        let any_marked = fields.iter().any(|f| f.access.is_some());
        let default_mode = ModeWord {
            kind: ModeKind::Mutex,
            span: item.ident.span(),
        };
        // Tuple structs cannot have per-field accessors (they need names); `valid.rs`
        // reports that, and the struct is then treated as a whole.
        let locking = if any_marked && style == Style::Named {
            Locking::PerField
        } else {
            Locking::Whole(args.mode.unwrap_or(default_mode))
        };
        Some(Input {
            attrs: &item.attrs,
            vis: &item.vis,
            ident: &item.ident,
            // A `state = ..` equal to the wrapper's name is reported by `valid.rs`; the
            // expansion then uses the default name, so the clash is the only error.
            state_ident: args
                .state
                .clone()
                .filter(|state| *state != item.ident)
                .unwrap_or_else(|| format_ident!("{}State", item.ident.unraw())),
            generics: &item.generics,
            krate: match &args.krate {
                Some(path) => quote!(#path),
                None => quote!(::lockwise),
            },
            style,
            fields,
            locking,
            span: item.ident.span(),
        })
    }

    /// The wrapper's name as text, for messages and `Debug`.
    pub fn name(&self) -> String {
        self.ident.unraw().to_string()
    }
}

impl Field<'_> {
    /// The field's name without `r#`, for messages and generated names.
    pub fn name(&self) -> String {
        match &self.member {
            Member::Named(ident) => ident.unraw().to_string(),
            Member::Unnamed(index) => index.index.to_string(),
        }
    }

    /// The mode of the field's own lock, or `None` for an `#[unguarded]` field. A field
    /// with no marker (an error, reported by `valid.rs`) counts as `#[lock(mutex)]`.
    pub fn lock_mode(&self) -> Option<ModeKind> {
        match self.access {
            Some(FieldAccess::Lock(word)) => Some(word.kind),
            Some(FieldAccess::Unguarded(_)) => None,
            None => Some(ModeKind::Mutex),
        }
    }

    /// The field's `#[cfg(..)]` attributes, which every generated item about it repeats.
    pub fn cfg_attrs(&self) -> impl Iterator<Item = &Attribute> {
        self.attrs.iter().filter(|a| a.path().is_ident("cfg"))
    }

    /// The attributes the state struct keeps: all but this macro's markers.
    pub fn kept_attrs(&self) -> impl Iterator<Item = &Attribute> {
        self.attrs.iter().filter(|a| !attr::is_field_marker(a))
    }
}
