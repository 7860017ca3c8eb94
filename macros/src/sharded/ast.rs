//! The model of one `#[sharded]` struct, and its vocabulary: the shard lock's mode and the
//! arguments as written (which `attr.rs` produces). Decided once: the shard state (the
//! struct as written, renamed), the shard count and lock, and where the key comes from (a
//! map field, a set field, or `key = Type`) in each build: a map or set field under
//! `#[cfg]` gives the key only in the builds that keep it. The rules (`valid.rs`) and the
//! generation (`expand/`) read this and nothing else.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{
    Attribute, GenericArgument, Ident, Member, Path, PathArguments, Token, Type, Visibility,
};

use crate::shared::cfg::Presence;
use crate::shared::header::{Body, Header};

/// The lock of every shard.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ShardMode {
    Rw,
    Mutex,
}

/// The arguments of `#[sharded(..)]`, as written (the count repaired: see `shards`): what
/// `attr.rs` parses, and the model is built from.
pub struct Args {
    /// The shard count: as written when valid, else the nearest valid one (the mistake is
    /// reported), so that the expansion still compiles.
    pub shards: u64,
    pub mode: ShardMode,
    /// `shard = Name`: the shard state's name.
    pub shard: Option<Ident>,
    /// `key = Type`: the key type, when no single map field gives it.
    pub key: Option<Type>,
    pub krate: Option<Path>,
}

pub struct Model<'a> {
    pub header: Header,
    /// `<crate>::__private::sharded`.
    pub runtime: TokenStream,
    /// `<Name>Shard`, or `shard = Name` unless that is the wrapper's own name (an error).
    pub shard: Ident,
    /// The `shard = ..` the user wrote, for the rule that it differs from the wrapper.
    pub shard_written: Option<Ident>,
    /// The wrapper's one field. Its name is advice, as for `#[guarded]`: rustc's "no field
    /// `map` on type `Sessions`" ends with "available field is: `use_key_or_map_methods`".
    pub storage: Ident,
    pub shards: u64,
    pub mode: ShardMode,
    pub named: bool,
    pub fields: Vec<Field<'a>>,
    /// The key in each build. One choice, always, unless map or set fields are under
    /// `#[cfg]`: then the first of them that a build keeps gives the key there, and a build
    /// that keeps none has no key.
    pub keys: Vec<KeyChoice>,
    /// Every field that holds a map or a set, for the rule that there is one.
    pub collections: Vec<Collection>,
    /// Whether the shard state surely implements `Default` and `Debug`: derived, on a
    /// struct without generics. Then the wrapper's `new`, `Default` and `Debug` need no
    /// bound on it (rustdoc shows the bound as written, `for<'__lw> SessionsShard: Default`);
    /// otherwise the bound is deferred to the use, so a state without them still compiles.
    pub has_default: bool,
    pub has_debug: bool,
}

/// The key in the builds where `when` holds. The generated items that depend on the key
/// (the key-guard and map methods, the `MapField` impl) carry `when`.
pub struct KeyChoice {
    pub when: Presence,
    pub key: Key,
}

/// A field of the shard state, as written.
pub struct Field<'a> {
    pub attrs: &'a [Attribute],
    pub vis: &'a Visibility,
    pub member: Member,
    pub ty: &'a Type,
}

/// A map or set field.
#[derive(Clone)]
pub struct Collection {
    pub member: Member,
    /// The field's type, with `Self` (the shard state) spelled out.
    pub ty: TokenStream,
    pub kind: CollectionKind,
    /// Whether the map or set reserves room (`HashMap`, `HashSet`, `PrehashedMap`; not the
    /// B-trees): then the wrapper gets `with_capacity(n)`.
    pub has_capacity: bool,
    /// The builds that keep the field.
    pub presence: Presence,
}

#[derive(Clone)]
pub enum CollectionKind {
    /// A map: its key type (the value type is the runtime's to know).
    Map {
        key: TokenStream,
    },
    Set {
        element: TokenStream,
    },
}

/// Where the key type comes from, and which methods the wrapper gets.
pub enum Key {
    /// One map field: its key, and the map methods.
    Map(Collection),
    /// One set field: its element, and the set methods.
    Set(Collection),
    /// `key = Type`: only the key-guard methods.
    Written(Box<Type>),
    /// No key at all (reported): the key-guard methods take `()`.
    Missing,
}

/// The maps and sets a shard field may hold, by the last segment of the type's path.
const MAPS: [&str; 3] = ["HashMap", "BTreeMap", "PrehashedMap"];
const SETS: [&str; 2] = ["HashSet", "BTreeSet"];
/// Those of them that reserve room (the runtime's `Capacity`).
const WITH_CAPACITY: [&str; 3] = ["HashMap", "HashSet", "PrehashedMap"];

impl<'a> Model<'a> {
    pub fn new(header: Header, body: &Body<'a>, args: &Args) -> Self {
        let shard = args
            .shard
            .clone()
            .filter(|shard| *shard != header.ident)
            .unwrap_or_else(|| format_ident!("{}Shard", header.ident.unraw()));
        let shard_type = {
            let (_, ty_generics, _) = header.generics.split_for_impl();
            quote!(#shard #ty_generics)
        };
        let fields: Vec<Field<'a>> = body
            .fields()
            .into_iter()
            .enumerate()
            .map(|(index, field)| Field {
                attrs: &field.attrs,
                vis: &field.vis,
                member: match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(index.into()),
                },
                ty: &field.ty,
            })
            .collect();
        let collections: Vec<Collection> = fields
            .iter()
            .filter_map(|field| collection(field, &shard_type))
            .collect();
        let keys = key_choices(args.key.as_ref(), &collections);
        let private = &header.private;
        let surely_derives =
            |name: &str| header.generics.params.is_empty() && derives(&header.attrs, name);
        Model {
            runtime: quote!(#private::sharded),
            shard,
            shard_written: args.shard.clone(),
            storage: format_ident!("use_key_or_map_methods"),
            shards: args.shards,
            mode: args.mode,
            named: matches!(body, Body::Named(_)),
            fields,
            keys,
            collections,
            has_default: surely_derives("Default"),
            has_debug: surely_derives("Debug"),
            header,
        }
    }
}

/// The key in each build: `key = Type` if written; else each map or set field, in the
/// builds where it is the first one kept (with two, reported, the first stands in, so that
/// code written for it is not a second error); else none.
fn key_choices(written: Option<&Type>, collections: &[Collection]) -> Vec<KeyChoice> {
    if let Some(key) = written {
        return vec![KeyChoice {
            when: Presence::Always,
            key: Key::Written(Box::new(key.clone())),
        }];
    }
    let presences = || collections.iter().map(|c| &c.presence);
    let mut choices: Vec<KeyChoice> = collections
        .iter()
        .enumerate()
        .filter_map(|(index, collection)| {
            let when = collection.presence.and_none_of(presences().take(index))?;
            let key = match collection.kind {
                CollectionKind::Map { .. } => Key::Map(collection.clone()),
                CollectionKind::Set { .. } => Key::Set(collection.clone()),
            };
            Some(KeyChoice { when, key })
        })
        .collect();
    if let Some(when) = Presence::Always.and_none_of(presences()) {
        choices.push(KeyChoice {
            when,
            key: Key::Missing,
        });
    }
    choices
}

/// Whether one of `attrs` is a `#[derive(..)]` that names `name` (`Default`,
/// `std::default::Default`). A derive inside `cfg_attr` does not count: it may be off.
fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .filter_map(|attr| {
            attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .any(|path| path.segments.last().is_some_and(|last| last.ident == name))
}

impl Key {
    /// The key type, as the key-guard methods bound it.
    pub fn ty(&self) -> TokenStream {
        match self {
            Key::Map(Collection {
                kind: CollectionKind::Map { key, .. },
                ..
            }) => key.clone(),
            Key::Set(Collection {
                kind: CollectionKind::Set { element },
                ..
            }) => element.clone(),
            Key::Written(ty) => ty.to_token_stream(),
            Key::Map(_) | Key::Set(_) | Key::Missing => quote!(()),
        }
    }

    /// The span the key is reported at: the key type as written, else `fallback`.
    pub fn span(&self, fallback: Span) -> Span {
        match self {
            Key::Written(ty) => syn::spanned::Spanned::span(&**ty),
            Key::Map(collection) | Key::Set(collection) => {
                syn::spanned::Spanned::span(&collection.ty)
            }
            Key::Missing => fallback,
        }
    }
}

/// The field as a map or set, if its type's path ends in one with its type arguments.
fn collection(field: &Field, shard_type: &TokenStream) -> Option<Collection> {
    let Type::Path(path) = field.ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    let types: Vec<TokenStream> = arguments
        .args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(crate::shared::emit::replace_self(
                ty.to_token_stream(),
                shard_type,
            )),
            _ => None,
        })
        .collect();
    let name = last.ident.to_string();
    let kind = if MAPS.contains(&name.as_str()) && types.len() >= 2 {
        CollectionKind::Map {
            key: types[0].clone(),
        }
    } else if SETS.contains(&name.as_str()) && !types.is_empty() {
        CollectionKind::Set {
            element: types[0].clone(),
        }
    } else {
        return None;
    };
    Some(Collection {
        member: field.member.clone(),
        ty: crate::shared::emit::replace_self(field.ty.to_token_stream(), shard_type),
        kind,
        has_capacity: WITH_CAPACITY.contains(&name.as_str()),
        presence: Presence::of(field.attrs),
    })
}

impl Collection {
    /// The field's name, for messages.
    pub fn name(&self) -> String {
        match &self.member {
            Member::Named(ident) => ident.unraw().to_string(),
            Member::Unnamed(index) => index.index.to_string(),
        }
    }
}
