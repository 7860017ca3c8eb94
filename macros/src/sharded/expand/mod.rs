//! Generation for `#[sharded(N)]`: the shard state (the struct as written, renamed), the
//! impls that tell the runtime what its key is (`Keyed`) and where its map or set is
//! (`MapField`/`SetField`), and a thin wrapper that dereferences to the runtime type that
//! fits: `ShardedMap` with a map field, `ShardedSet` with a set field, `Shards` with
//! `key = Type`. Every method with `&self` (the key guards, the map methods) is the
//! runtime's, reached through `Deref`, typed by the key there; generated are only what
//! needs the wrapper itself: `new`, `from_fn` and, for a map or set that reserves room,
//! `with_capacity` (associated functions), `shards_mut` (`&mut`) and `into_inner` (by
//! value), and the `Default`, `Debug` and never-copy impls.
//!
//! A map or set field under `#[cfg]` gives the key only in the builds that keep it, so
//! what depends on the key (the impls, the wrapper's storage field, its constructors and
//! `Deref`) is generated once per key choice of the model, each under that build's cfg.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Member;

use crate::sharded::ast::{Collection, Key, KeyChoice, Model, ShardMode};
use crate::shared::emit;

pub fn generate(model: &Model) -> TokenStream {
    let header = &model.header;
    let (vis, ident, generics) = (&header.vis, &header.ident, &header.generics);
    let where_clause = emit::where_clause(generics, &[]);
    let storage = &model.storage;
    let wrapper_attrs = emit::wrapper_attrs(header);
    let doc_break = emit::doc_break(header);
    let doc = wrapper_doc(model);
    let fields = model.keys.iter().map(|KeyChoice { when, key }| {
        let ty = storage_type(model, key);
        quote!(#when #storage: #ty,)
    });
    let items = [
        shard_struct(model),
        for_each_key(model, &|key| {
            vec![
                keyed_impl(model, key),
                collection_impl(model, key),
                key_assertion(model, key),
            ]
        }),
        quote! {
            #(#wrapper_attrs)*
            #doc_break
            #[doc = #doc]
            #[allow(deprecated)]
            #vis struct #ident #generics #where_clause {
                #(#fields)*
            }
        },
        for_each_key(model, &|key| {
            vec![constructors(model, key), deref(model, key)]
        }),
        default_impl(model),
        debug_impl(model),
        emit::never_copy(header),
    ];
    quote!(#(#items)*)
}

/// `items(key)` for each key choice, each item under that choice's cfg (one choice, and no
/// cfg, unless map or set fields are under `#[cfg]`).
fn for_each_key(model: &Model, items: &dyn Fn(&Key) -> Vec<TokenStream>) -> TokenStream {
    model
        .keys
        .iter()
        .map(|KeyChoice { when, key }| {
            // An empty item must not take the cfg: it would gate the item after it.
            let items = items(key).into_iter().filter(|item| !item.is_empty());
            quote!(#(#when #items)*)
        })
        .collect()
}

fn shard_type(model: &Model) -> TokenStream {
    let shard = &model.shard;
    let (_, ty_generics, _) = model.header.generics.split_for_impl();
    quote!(#shard #ty_generics)
}

/// What the wrapper stores and dereferences to: `ShardedMap`, `ShardedSet` or `Shards`,
/// `<State, Mode, N>`.
fn storage_type(model: &Model, key: &Key) -> TokenStream {
    let runtime = &model.runtime;
    let name = match key {
        Key::Map(_) => quote!(ShardedMap),
        Key::Set(_) => quote!(ShardedSet),
        Key::Written(_) | Key::Missing => quote!(Shards),
    };
    let mode = match model.mode {
        ShardMode::Rw => quote!(#runtime::Rw),
        ShardMode::Mutex => quote!(#runtime::Mutex),
    };
    let (shard, count) = (shard_type(model), model.shards as usize);
    quote!(#runtime::#name<#shard, #mode, #count>)
}

fn wrapper_doc(model: &Model) -> String {
    let lock = match model.mode {
        ShardMode::Rw => "reader-writer lock",
        ShardMode::Mutex => "mutex",
    };
    let target = match model.keys.as_slice() {
        [
            KeyChoice {
                key: Key::Map(_), ..
            },
        ] => "`ShardedMap`, whose map methods (`get`, `insert`, `update`, `entry`, `retain`, \
              ...) are listed below, and through it to `Shards`,"
            .to_owned(),
        [
            KeyChoice {
                key: Key::Set(_), ..
            },
        ] => "`ShardedSet`, whose set methods (`insert`, `contains`, `remove`, ...) are \
              listed below, and through it to `Shards`,"
            .to_owned(),
        [_] => "`Shards`,".to_owned(),
        _ => "the `lockwise::sharded` type that fits the map or set field this build keeps, \
              and through it to `Shards`,"
            .to_owned(),
    };
    format!(
        " Thread-safe, in {count} shards: {count} [`{shard}`]s, each behind its own \
         cache-padded {lock}. A key's shard is picked by a hash seeded per instance. It \
         dereferences to {target} whose key guards (`read(&key)`, `write(&key)`, their \
         `try_`/`with_` forms) take the key type or what it borrows as. Whole-map operations \
         lock one shard at a time, in index order, so they are not atomic across shards. \
         Never `Clone`: share it with `Arc` or a `static`. Generated by `#[sharded]`.",
        count = model.shards,
        shard = model.shard,
    )
}

/// The shard state: the struct as written, under the shard's name.
fn shard_struct(model: &Model) -> TokenStream {
    let header = &model.header;
    let (attrs, vis, generics) = (&header.attrs, &header.vis, &header.generics);
    let shard = &model.shard;
    let where_clause = &generics.where_clause;
    let fields = model.fields.iter().map(|field| {
        let (attrs, vis, ty) = (field.attrs, field.vis, field.ty);
        match &field.member {
            Member::Named(name) => quote!(#(#attrs)* #vis #name: #ty),
            Member::Unnamed(_) => quote!(#(#attrs)* #vis #ty),
        }
    });
    let doc = format!(
        " One shard's state of [`{}`]: a plain struct, reachable only through a shard's \
         guards. Methods written on it run with that shard's lock held.",
        header.name()
    );
    let doc_break = emit::doc_break(header);
    let body = if model.named {
        quote!(#where_clause { #(#fields,)* })
    } else {
        quote!(( #(#fields,)* ) #where_clause;)
    };
    quote! {
        #(#attrs)*
        #doc_break
        #[doc = #doc]
        #vis struct #shard #generics #body
    }
}

/// An impl of a runtime trait for the shard state, with the struct's generics and cfgs.
fn shard_impl(model: &Model, trait_name: TokenStream, items: TokenStream) -> TokenStream {
    let runtime = &model.runtime;
    let shard = &model.shard;
    let (impl_generics, ty_generics, _) = model.header.generics.split_for_impl();
    let where_clause = emit::where_clause(&model.header.generics, &[]);
    let cfgs = model.header.cfgs();
    quote! {
        #(#cfgs)*
        #[allow(deprecated)]
        impl #impl_generics #runtime::#trait_name for #shard #ty_generics #where_clause {
            #items
        }
    }
}

/// `Keyed` for the shard state: the key type its key guards take.
fn keyed_impl(model: &Model, key: &Key) -> TokenStream {
    if let Key::Missing = key {
        return TokenStream::new();
    }
    let ty = key.ty();
    shard_impl(model, quote!(Keyed), quote!(type Key = #ty;))
}

/// `MapField` or `SetField` for the shard state: where its map or set is. No
/// `Map: MapKind` bound here: the runtime's methods carry it, so a key that is not
/// `Hash + Eq` is one error (the key assertion's), not one more here.
fn collection_impl(model: &Model, key: &Key) -> TokenStream {
    let (trait_name, assoc, get, get_mut, collection) = match key {
        Key::Map(collection) => (
            quote!(MapField),
            quote!(Map),
            quote!(map),
            quote!(map_mut),
            collection,
        ),
        Key::Set(collection) => (
            quote!(SetField),
            quote!(Set),
            quote!(set),
            quote!(set_mut),
            collection,
        ),
        Key::Written(_) | Key::Missing => return TokenStream::new(),
    };
    let Collection { ty, member, .. } = collection;
    let items = quote! {
        type #assoc = #ty;

        #[inline(always)]
        fn #get(&self) -> &#ty {
            &self.#member
        }

        #[inline(always)]
        fn #get_mut(&mut self) -> &mut #ty {
            &mut self.#member
        }
    };
    shard_impl(model, trait_name, items)
}

/// A key type that is not `Hash + Eq` is one error, with advice, at the key as written
/// (for a struct without generics, whose key cannot name them).
fn key_assertion(model: &Model, key: &Key) -> TokenStream {
    if !model.header.generics.params.is_empty() || matches!(key, Key::Missing) {
        return TokenStream::new();
    }
    let runtime = &model.runtime;
    let cfgs = model.header.cfgs();
    let (span, key) = (key.span(model.header.span), key.ty());
    quote_spanned! {span=>
        #(#cfgs)*
        #[allow(deprecated)]
        const _: () = #runtime::assert_hash_and_eq_for_shard_key::<#key>();
    }
}

/// `where State: Trait` for an item that needs it: none when the state surely has it,
/// else deferred to the use (see `Model::has_default`).
fn state_bound(model: &Model, surely: bool, bound: TokenStream) -> Vec<TokenStream> {
    if surely {
        Vec::new()
    } else {
        vec![emit::deferred_bound(shard_type(model), bound)]
    }
}

/// What needs the wrapper itself: construction (associated functions), `shards_mut`
/// (`&mut self`: the wrapper has no `DerefMut`, so the storage cannot be swapped) and
/// `into_inner` (by value).
fn constructors(model: &Model, key: &Key) -> TokenStream {
    let vis = &model.header.vis;
    let storage = &model.storage;
    let (shard, ty) = (shard_type(model), storage_type(model, key));
    let path = {
        let name = format!("::{}", model.header.name());
        quote!(::core::concat!(::core::module_path!(), #name))
    };
    let make = emit::local("make");
    let default = state_bound(model, model.has_default, quote!(::core::default::Default));
    let with_capacity = with_capacity(model, key, &ty, &path, &default);
    let default = (!default.is_empty()).then(|| quote!(where #(#default)*));
    let items = quote! {
        /// Every shard in its `Default` state.
        #[inline]
        #vis fn new() -> Self #default {
            Self::from_fn(|_| ::core::default::Default::default())
        }

        /// Shard `i` in the state `make(i)`, made in index order.
        #[inline]
        #vis fn from_fn(#make: impl ::core::ops::FnMut(usize) -> #shard) -> Self {
            Self { #storage: <#ty>::from_fn(#make).labeled(#path) }
        }

        #with_capacity

        /// Every shard's state, without locking: `&mut self` proves no one else can look.
        #[inline]
        #vis fn shards_mut(&mut self) -> impl ::core::iter::Iterator<Item = &mut #shard> + '_ {
            self.#storage.shards_mut()
        }

        /// The shard states, in index order, taking the locks apart.
        #[inline]
        #vis fn into_inner(self) -> ::std::vec::Vec<#shard> {
            self.#storage.into_inner()
        }
    };
    emit::inherent_impl(&model.header, &[], items)
}

/// `with_capacity(n)`, for a map or set that reserves room: the runtime's, which gives each
/// shard `n / N` (rounded up) and the other fields their `Default`. Generated because it
/// builds the wrapper; the map's `Capacity` bound is deferred to the use, so a key that is
/// not `Hash + Eq` stays one error (the key assertion's).
fn with_capacity(
    model: &Model,
    key: &Key,
    storage_type: &TokenStream,
    path: &TokenStream,
    default: &[TokenStream],
) -> TokenStream {
    let (Key::Map(collection) | Key::Set(collection)) = key else {
        return TokenStream::new();
    };
    if !collection.has_capacity {
        return TokenStream::new();
    }
    let (vis, storage, runtime) = (&model.header.vis, &model.storage, &model.runtime);
    let capacity = emit::local("capacity");
    let room = emit::deferred_bound(&collection.ty, quote!(#runtime::Capacity));
    let doc = format!(
        " Room for `capacity` entries in all, allocated up front: each shard's `{}` gets \
         `capacity / {}` (rounded up); the other fields are `Default`.",
        collection.name(),
        model.shards,
    );
    quote! {
        #[doc = #doc]
        #[inline]
        #vis fn with_capacity(#capacity: usize) -> Self where #(#default,)* #room {
            Self { #storage: <#storage_type>::with_capacity(#capacity).labeled(#path) }
        }
    }
}

/// `Deref` to the storage: the key guards, and the map or set methods, are the runtime's.
fn deref(model: &Model, key: &Key) -> TokenStream {
    let storage = &model.storage;
    let ty = storage_type(model, key);
    emit::trait_impl(
        &model.header,
        quote!(::core::ops::Deref),
        &[],
        quote! {
            type Target = #ty;

            #[inline(always)]
            fn deref(&self) -> &Self::Target {
                &self.#storage
            }
        },
    )
}

fn default_impl(model: &Model) -> TokenStream {
    emit::trait_impl(
        &model.header,
        quote!(::core::default::Default),
        &state_bound(model, model.has_default, quote!(::core::default::Default)),
        quote! {
            #[inline]
            fn default() -> Self {
                Self::new()
            }
        },
    )
}

/// `Debug` under the wrapper's name; never waits (a shard a writer holds is `<locked>`).
fn debug_impl(model: &Model) -> TokenStream {
    let storage = &model.storage;
    let name = model.header.name();
    let f = emit::local("f");
    let debug = emit::trait_impl(
        &model.header,
        quote!(::core::fmt::Debug),
        &state_bound(model, model.has_debug, quote!(::core::fmt::Debug)),
        quote! {
            fn fmt(&self, #f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                self.#storage.fmt_named(#name, #f)
            }
        },
    );
    quote! {
        /// Never waits: a shard whose lock is held exclusively prints as `<locked>`.
        #debug
    }
}
