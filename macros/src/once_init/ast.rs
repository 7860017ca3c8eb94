//! The model of one `#[once_init]` struct, and its vocabulary: the failure policy, the
//! arguments and field markers as written (which `attr.rs` produces). Decided once: its
//! plain fields, its lazy fields with what each returns and how it is initialized, and the
//! generated names. The rules (`valid.rs`) and the generation (`expand/`) read this and
//! nothing else.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{Attribute, ExprPath, GenericArgument, Ident, Path, PathArguments, Type, Visibility};

use crate::shared::cfg::Presence;
use crate::shared::header::{Body, Header};
use crate::shared::markers;
use crate::shared::method_names::{Claim, Clash, MethodNames};

/// What a failed initialization does, as written.
#[derive(Clone, Copy)]
pub enum PolicyWord {
    /// No word: the first error is cached.
    Cache,
    /// `retry`: a failure is not kept; the next caller tries again.
    Retry,
    /// `retry(min_interval_ms = N)`: within N ms of a failure, callers get its error.
    Throttled { span: Span, min_interval_ms: u64 },
}

/// The arguments of `#[once_init(..)]`, as written: what `attr.rs` parses, and the model is
/// built from.
pub struct Args {
    pub policy: PolicyWord,
    /// `min_interval_ms = N` written outside `retry(..)`.
    pub stray_interval: Option<Span>,
    pub krate: Option<Path>,
}

/// A field's `#[once(..)]` marker, as written.
pub enum Marker {
    /// `#[once(init = path)]`, or with `async`: the span of that word.
    Init {
        path: ExprPath,
        asynchronous: Option<Span>,
    },
    /// `#[once]` or `#[once(..)]` without a usable `init`, already reported.
    Broken,
}

pub struct Model<'a> {
    pub header: Header,
    /// `<crate>::__private::once_init`.
    pub runtime: TokenStream,
    pub policy: PolicyWord,
    /// `min_interval_ms = N` written outside `retry(..)`.
    pub stray_interval: Option<Span>,
    /// Whether the struct has named fields (lazy fields need names for their methods).
    pub named: bool,
    pub fields: Vec<Field<'a>>,
}

/// A field as the expansion emits it.
pub struct Field<'a> {
    /// `None` in a tuple struct, which cannot have lazy fields (reported).
    pub ident: Option<&'a Ident>,
    pub vis: &'a Visibility,
    /// The attributes kept on the field: all but `#[once(..)]`.
    pub attrs: Vec<Attribute>,
    pub ty: &'a Type,
    /// The builds that keep the field (its `#[cfg]`s).
    pub presence: Presence,
    /// `Some` for a field marked `#[once(..)]`.
    pub lazy: Option<Lazy<'a>>,
}

/// What a lazy field is and gets.
pub struct Lazy<'a> {
    /// The function that computes it, from `#[once(init = path)]`; `None` when the marker
    /// was broken (reported), and then the field gets no methods.
    pub init: Option<ExprPath>,
    /// `Some` (the span of the word) for `#[once(init = path, async)]`: the initializer is
    /// an `async fn`, and `<field>()` is `async` too.
    pub asynchronous: Option<Span>,
    pub kind: Kind<'a>,
    /// Its methods, or the collision (in every build) that leaves them out.
    pub api: Result<Accessors, Collision>,
    /// Collisions in some builds only, with fields under `#[cfg]`: the methods are left out
    /// of the builds where one holds, and `valid.rs` reports it there.
    pub cfg_collisions: Vec<Collision>,
    /// The builds that get its methods: those that keep the field, minus those where a
    /// name collides.
    pub accessors_when: Presence,
}

/// The declared type, split into the value and the error.
pub enum Kind<'a> {
    /// `T`: the initializer cannot fail.
    Infallible,
    /// `Result<T, E>`, written with both arguments.
    Fallible { value: &'a Type, error: &'a Type },
    /// `io::Result<T>`-style: a one-argument `Result`, whose error type is hidden (an
    /// error, reported by `valid.rs`; the field is then treated as infallible).
    HiddenError { value: &'a Type, span: Span },
}

/// The methods named after a lazy field.
pub struct Accessors {
    /// `<field>()`: the value, initialized on first use.
    pub get: Ident,
    /// `<field>_if_ready()`.
    pub if_ready: Ident,
    /// `set_<field>(value)`: fills it from outside.
    pub set: Ident,
    /// `take_<field>()`: empties it (`&mut self`).
    pub take: Ident,
    /// `<field>_mut()`: the value, mutable (`&mut self`).
    pub get_mut: Ident,
}

/// A method name that an earlier field or a fixed method already has.
pub struct Collision {
    pub method: String,
    pub first: String,
    /// The builds where both exist.
    pub when: Presence,
    /// Whether the first is a field of the same name (under other cfgs): rustc reports a
    /// field declared twice itself.
    pub same_field: bool,
}

impl From<Clash> for Collision {
    fn from(clash: Clash) -> Self {
        Collision {
            method: clash.method,
            first: clash.first,
            when: clash.when,
            same_field: clash.same_owner,
        }
    }
}

impl<'a> Model<'a> {
    /// The model of `body`, from its arguments and each field's marker (in declaration
    /// order), as `attr.rs` parsed them.
    pub fn new(
        header: Header,
        body: &Body<'a>,
        args: &Args,
        field_markers: Vec<Option<Marker>>,
    ) -> Self {
        let named = matches!(body, Body::Named(_));
        let mut fields: Vec<Field<'a>> = body
            .fields()
            .into_iter()
            .zip(field_markers)
            .map(|(field, marker)| {
                let attrs = markers::without_markers(&field.attrs, header.spec.markers);
                let presence = Presence::of(&attrs);
                let lazy = marker.map(|marker| {
                    let (init, asynchronous) = match marker {
                        Marker::Init { path, asynchronous } => (Some(path), asynchronous),
                        Marker::Broken => (None, None),
                    };
                    Lazy {
                        init,
                        asynchronous,
                        kind: Kind::of(&field.ty),
                        api: Ok(Accessors::for_field(field.ident.as_ref())),
                        cfg_collisions: Vec::new(),
                        accessors_when: presence.clone(),
                    }
                });
                Field {
                    ident: field.ident.as_ref(),
                    vis: &field.vis,
                    attrs,
                    ty: &field.ty,
                    presence,
                    lazy,
                }
            })
            .collect();
        find_collisions(&mut fields);
        let private = &header.private;
        Model {
            runtime: quote!(#private::once_init),
            policy: args.policy,
            stray_interval: args.stray_interval,
            named,
            header,
            fields,
        }
    }

    /// The lazy fields that get methods: named, with an initializer, no collision.
    pub fn lazy_fields(&self) -> impl Iterator<Item = (&Field<'a>, &Lazy<'a>)> {
        self.fields
            .iter()
            .filter_map(|field| Some((field, field.lazy.as_ref()?)))
    }
}

impl Field<'_> {
    /// The field's name without `r#`, for messages and generated names.
    pub fn name(&self) -> String {
        self.ident
            .map_or_else(String::new, |ident| ident.unraw().to_string())
    }

    /// The field's `#[cfg(..)]`s, which every generated item about it repeats.
    pub fn cfg_attrs(&self) -> impl Iterator<Item = &Attribute> + Clone {
        self.attrs.iter().filter(|a| a.path().is_ident("cfg"))
    }
}

impl<'a> Kind<'a> {
    /// Splits `Result<T, E>` (any path ending in `Result` with two type arguments).
    fn of(ty: &'a Type) -> Self {
        let infallible = Kind::Infallible;
        let Type::Path(path) = ty else {
            return infallible;
        };
        let Some(last) = path.path.segments.last() else {
            return infallible;
        };
        if last.ident != "Result" {
            return infallible;
        }
        let PathArguments::AngleBracketed(arguments) = &last.arguments else {
            return infallible;
        };
        let types: Vec<&Type> = arguments
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect();
        match types.as_slice() {
            [value, error] => Kind::Fallible { value, error },
            [value] => Kind::HiddenError {
                value,
                span: last.ident.span(),
            },
            _ => infallible,
        }
    }
}

impl Accessors {
    fn for_field(ident: Option<&Ident>) -> Self {
        let name = ident.map_or_else(|| "field".to_owned(), |ident| ident.unraw().to_string());
        let get = match ident {
            Some(ident) => ident.clone(),
            None => format_ident!("{}", name),
        };
        Accessors {
            if_ready: format_ident!("{}_if_ready", name),
            set: format_ident!("set_{}", name),
            take: format_ident!("take_{}", name),
            get_mut: format_ident!("{}_mut", name),
            get,
        }
    }

    /// Every name, as a caller writes it (without `r#`).
    fn names(&self) -> Vec<String> {
        [
            &self.get,
            &self.if_ready,
            &self.set,
            &self.take,
            &self.get_mut,
        ]
        .iter()
        .map(|ident| ident.unraw().to_string())
        .collect()
    }
}

/// The methods every `#[once_init]` struct has, whatever its fields.
const FIXED_METHODS: [&str; 1] = ["new"];

/// Marks each lazy field whose method names an earlier field or `new` already has: in
/// every build (no methods, reported), or, for fields under `#[cfg]`, in the builds where
/// both exist (the methods are left out of those, and the collision is reported there).
fn find_collisions(fields: &mut [Field]) {
    let mut taken = MethodNames::new(
        FIXED_METHODS
            .iter()
            .map(|name| (name.to_string(), format!("the generated `{name}()`"))),
    );
    for field in fields {
        let who = format!("field `{}`", field.name());
        let Some(lazy) = &mut field.lazy else {
            continue;
        };
        let Ok(accessors) = &lazy.api else {
            continue;
        };
        match taken.claim(accessors.names(), who, &field.presence) {
            Claim::Refused(clash) => lazy.api = Err(clash.into()),
            Claim::Granted { when, clashes } => {
                lazy.accessors_when = when;
                lazy.cfg_collisions = clashes.into_iter().map(Collision::from).collect();
            }
        }
    }
}
