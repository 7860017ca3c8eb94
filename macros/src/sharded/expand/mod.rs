//! Generation for `#[sharded(N)]`: the shard state (the struct as written, renamed), the
//! `MapField`/`SetField` impl that tells the runtime where the map is, and a wrapper around
//! `Shards<State, Mode, N>` whose methods forward one line each. The key-guard methods are
//! typed by the key (`K: Borrow<Q>`), so a key of another type cannot pick a shard; the map
//! methods are typed by the map (`Map: Lookup<Q>`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Member;

use crate::sharded::ast::{Collection, CollectionKind, Key, KeyChoice, Model, ShardMode};
use crate::shared::emit;

pub fn generate(model: &Model) -> TokenStream {
    let header = &model.header;
    let runtime = &model.runtime;
    let (vis, ident, generics) = (&header.vis, &header.ident, &header.generics);
    let where_clause = emit::where_clause(generics, &[]);
    let storage = &model.storage;
    let shards = shards_type(model);
    let wrapper_attrs = emit::wrapper_attrs(header);
    let doc_break = emit::doc_break(header);
    let doc = wrapper_doc(model);
    let default = emit::trait_impl(
        header,
        quote!(::core::default::Default),
        &[emit::deferred_bound(
            shard_type(model),
            quote!(::core::default::Default),
        )],
        quote! {
            #[inline]
            fn default() -> Self {
                Self::new()
            }
        },
    );
    let name = header.name();
    let f = emit::local("f");
    let debug = emit::trait_impl(
        header,
        quote!(::core::fmt::Debug),
        &[emit::deferred_bound(
            shard_type(model),
            quote!(::core::fmt::Debug),
        )],
        quote! {
            fn fmt(&self, #f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                self.#storage.fmt_named(#name, #f)
            }
        },
    );
    // What depends on the key, once per build's key (one, always, without `#[cfg]`-ed map
    // or set fields), each under that build's cfg.
    let for_each_key = |items: &dyn Fn(&Key) -> Vec<TokenStream>| -> TokenStream {
        model
            .keys
            .iter()
            .map(|KeyChoice { when, key }| {
                // An empty item must not take the cfg: it would gate the item after it.
                let items = items(key).into_iter().filter(|item| !item.is_empty());
                quote!(#(#when #items)*)
            })
            .collect()
    };
    let key_impls =
        for_each_key(&|key| vec![collection_impl(model, key), key_assertion(model, key)]);
    let methods = for_each_key(&|key| {
        let methods = [guard_methods(model, key), collection_methods(model, key)];
        vec![emit::inherent_impl(header, &[], quote!(#(#methods)*))]
    });
    let items = [
        shard_struct(model),
        key_impls,
        quote! {
            #(#wrapper_attrs)*
            #doc_break
            #[doc = #doc]
            #[allow(deprecated)]
            #vis struct #ident #generics #where_clause {
                #storage: #shards,
            }
        },
        methods,
        default,
        quote! {
            /// Never waits: a shard whose lock is held exclusively prints as `<locked>`.
            #debug
        },
        emit::never_copy(header),
    ];
    let _ = runtime;
    quote!(#(#items)*)
}

fn shard_type(model: &Model) -> TokenStream {
    let shard = &model.shard;
    let (_, ty_generics, _) = model.header.generics.split_for_impl();
    quote!(#shard #ty_generics)
}

fn mode_type(model: &Model) -> TokenStream {
    let runtime = &model.runtime;
    match model.mode {
        ShardMode::Rw => quote!(#runtime::Rw),
        ShardMode::Mutex => quote!(#runtime::Mutex),
    }
}

/// `Shards<State, Mode, N>`.
fn shards_type(model: &Model) -> TokenStream {
    let runtime = &model.runtime;
    let (shard, mode) = (shard_type(model), mode_type(model));
    let count = model.shards as usize;
    quote!(#runtime::Shards<#shard, #mode, #count>)
}

fn wrapper_doc(model: &Model) -> String {
    let lock = match model.mode {
        ShardMode::Rw => "reader-writer lock",
        ShardMode::Mutex => "mutex",
    };
    let methods = match model.keys.as_slice() {
        [
            KeyChoice {
                key: Key::Map(_), ..
            },
        ] => " and the map methods (`get`, `insert`, `update`, `retain`, ...)",
        [
            KeyChoice {
                key: Key::Set(_), ..
            },
        ] => " and the set methods (`insert`, `contains`, `remove`, ...)",
        [_] => "",
        _ => " and the methods of the map or set field this build keeps",
    };
    format!(
        " Thread-safe, in {count} shards: {count} [`{shard}`]s, each behind its own \
         cache-padded {lock}. A key's shard is picked by a hash seeded per instance; reach it \
         with `read(&key)`/`write(&key)`, their `try_`/`with_` forms{methods}. Whole-map \
         operations lock one shard at a time, in index order, so they are not atomic across \
         shards. Never `Clone`: share it with `Arc` or a `static`. Generated by `#[sharded]`.",
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

/// `MapField` or `SetField` for the shard state: where its map or set is.
fn collection_impl(model: &Model, key: &Key) -> TokenStream {
    let runtime = &model.runtime;
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
    let (ty, member) = (&collection.ty, &collection.member);
    let shard = &model.shard;
    let (impl_generics, ty_generics, _) = model.header.generics.split_for_impl();
    // No `Map: MapKind` bound here: the methods carry it, deferred, so a key that is not
    // `Hash + Eq` is one error (the key assertion's), not one per method.
    let where_clause = emit::where_clause(&model.header.generics, &[]);
    let cfgs = model.header.cfgs();
    quote! {
        #(#cfgs)*
        #[allow(deprecated)]
        impl #impl_generics #runtime::#trait_name for #shard #ty_generics #where_clause {
            type #assoc = #ty;

            #[inline(always)]
            fn #get(&self) -> &#ty {
                &self.#member
            }

            #[inline(always)]
            fn #get_mut(&mut self) -> &mut #ty {
                &mut self.#member
            }
        }
    }
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

/// Construction, the key guards, the whole-value operations.
fn guard_methods(model: &Model, key: &Key) -> TokenStream {
    let runtime = &model.runtime;
    let vis = &model.header.vis;
    let storage = &model.storage;
    let shard = shard_type(model);
    let shards = shards_type(model);
    let mode = mode_type(model);
    let key = key.ty();
    let path = {
        let name = format!("::{}", model.header.name());
        quote!(::core::concat!(::core::module_path!(), #name))
    };
    let (k, f, make, timeout) = (
        emit::local("key"),
        emit::local("f"),
        emit::local("make"),
        emit::local("timeout"),
    );
    let read_guard = quote!(#runtime::ReadGuard<'_, #shard, #mode>);
    let write_guard = quote!(#runtime::WriteGuard<'_, #shard, #mode>);
    let borrow = quote!(#key: ::core::borrow::Borrow<__Q>);
    let exclusive = match model.mode {
        ShardMode::Rw | ShardMode::Mutex => quote!(&mut #shard),
    };
    quote! {
        /// One empty shard state per shard (`Default`).
        #[inline]
        #vis fn new() -> Self
        where
            for<'__lw> #shard: ::core::default::Default,
        {
            Self { #storage: <#shards>::new().labeled(#path) }
        }

        /// The shard states made by `make(shard_index)`.
        #[inline]
        #vis fn from_fn(#make: impl ::core::ops::FnMut(usize) -> #shard) -> Self {
            Self { #storage: <#shards>::from_fn(#make).labeled(#path) }
        }

        /// The number of shards.
        #[inline]
        #vis const fn shard_count(&self) -> usize {
            self.#storage.shard_count()
        }

        /// The shard `key` belongs to (fixed for this value's lifetime).
        #[inline]
        #vis fn shard_index<__Q: ?Sized + ::core::hash::Hash>(&self, #k: &__Q) -> usize
        where
            #borrow,
        {
            self.#storage.shard_index(#k)
        }

        /// Shared access to `key`'s shard. Debug builds panic, instead of deadlocking, if this
        /// thread already holds that shard.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn read<__Q: ?Sized + ::core::hash::Hash>(&self, #k: &__Q) -> #read_guard
        where
            #borrow,
        {
            self.#storage.read(#k)
        }

        /// Exclusive access to `key`'s shard. Debug builds panic, instead of deadlocking, if
        /// this thread already holds that shard.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn write<__Q: ?Sized + ::core::hash::Hash>(&self, #k: &__Q) -> #write_guard
        where
            #borrow,
        {
            self.#storage.write(#k)
        }

        /// Like `read(&key)`, but `None` instead of waiting.
        #[inline]
        #vis fn try_read<__Q: ?Sized + ::core::hash::Hash>(
            &self,
            #k: &__Q,
        ) -> ::core::option::Option<#read_guard>
        where
            #borrow,
        {
            self.#storage.try_read(#k)
        }

        /// Like `write(&key)`, but `None` instead of waiting.
        #[inline]
        #vis fn try_write<__Q: ?Sized + ::core::hash::Hash>(
            &self,
            #k: &__Q,
        ) -> ::core::option::Option<#write_guard>
        where
            #borrow,
        {
            self.#storage.try_write(#k)
        }

        /// Like `read(&key)`, but gives up and returns `None` after `timeout`.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn try_read_for<__Q: ?Sized + ::core::hash::Hash>(
            &self,
            #k: &__Q,
            #timeout: ::core::time::Duration,
        ) -> ::core::option::Option<#read_guard>
        where
            #borrow,
        {
            self.#storage.try_read_for(#k, #timeout)
        }

        /// Like `write(&key)`, but gives up and returns `None` after `timeout`.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn try_write_for<__Q: ?Sized + ::core::hash::Hash>(
            &self,
            #k: &__Q,
            #timeout: ::core::time::Duration,
        ) -> ::core::option::Option<#write_guard>
        where
            #borrow,
        {
            self.#storage.try_write_for(#k, #timeout)
        }

        /// Runs `f` under `read(&key)`; the guard cannot escape.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn with_read<__Q: ?Sized + ::core::hash::Hash, __R>(
            &self,
            #k: &__Q,
            #f: impl ::core::ops::FnOnce(&#shard) -> __R,
        ) -> __R
        where
            #borrow,
        {
            self.#storage.with_read(#k, #f)
        }

        /// Runs `f` under `write(&key)`; the guard cannot escape.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn with_write<__Q: ?Sized + ::core::hash::Hash, __R>(
            &self,
            #k: &__Q,
            #f: impl ::core::ops::FnOnce(&mut #shard) -> __R,
        ) -> __R
        where
            #borrow,
        {
            self.#storage.with_write(#k, #f)
        }

        /// Runs `f` on every shard's state, one shard at a time in index order, under its
        /// read lock (never two at once).
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn for_each_shard(&self, #f: impl ::core::ops::FnMut(&#shard)) {
            self.#storage.for_each_shard(#f)
        }

        /// Runs `f` on every shard's state, one shard at a time in index order, under its
        /// write lock (never two at once).
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn for_each_shard_mut(&self, #f: impl ::core::ops::FnMut(&mut #shard)) {
            self.#storage.for_each_shard_mut(#f)
        }

        /// Every shard's state, without locking: `&mut self` proves no one else can look.
        #[inline]
        #vis fn shards_mut(&mut self) -> impl ::core::iter::Iterator<Item = #exclusive> + '_ {
            self.#storage.shards_mut()
        }

        /// The shard states, in index order, taking the locks apart.
        #[inline]
        #vis fn into_inner(self) -> ::std::vec::Vec<#shard> {
            self.#storage.into_inner()
        }
    }
}

/// The map or set methods, for a shard state with one map or set field.
fn collection_methods(model: &Model, key: &Key) -> TokenStream {
    match key {
        Key::Map(collection) => map_methods(model, collection),
        Key::Set(collection) => set_methods(model, collection),
        Key::Written(_) | Key::Missing => TokenStream::new(),
    }
}

fn map_methods(model: &Model, collection: &Collection) -> TokenStream {
    let CollectionKind::Map { key, value } = &collection.kind else {
        return TokenStream::new();
    };
    let runtime = &model.runtime;
    let vis = &model.header.vis;
    let storage = &model.storage;
    let map = &collection.ty;
    let (k, v, f, make, keep) = (
        emit::local("key"),
        emit::local("value"),
        emit::local("f"),
        emit::local("make"),
        emit::local("keep"),
    );
    let value_clone = emit::deferred_bound(value, quote!(::core::clone::Clone));
    let key_clone = emit::deferred_bound(key, quote!(::core::clone::Clone));
    let kind = emit::deferred_bound(map, quote!(#runtime::MapKind<Key = #key, Value = #value>));
    // The associated types are spelled out: with a `Lookup<Q>` where-clause in scope, rustc
    // normalizes `<Map as MapKind>::Value` through the where-clause, which does not say it
    // is `V` for a generic shard state.
    let lookup = quote!(#map: #runtime::Lookup<__Q>, #kind);
    quote! {
        /// A clone of the value of `key`, if it is there (under the shard's read lock).
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn get<__Q: ?Sized>(&self, #k: &__Q) -> ::core::option::Option<#value>
        where
            #lookup,
            #value_clone,
        {
            self.#storage.get(#k)
        }

        /// Runs `f` on the value of `key`, if it is there, under the shard's read lock: a
        /// lookup without a clone.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn get_with<__Q: ?Sized, __R>(
            &self,
            #k: &__Q,
            #f: impl ::core::ops::FnOnce(&#value) -> __R,
        ) -> ::core::option::Option<__R>
        where
            #lookup,
        {
            self.#storage.get_with(#k, #f)
        }

        /// Whether `key` is in the map.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn contains_key<__Q: ?Sized>(&self, #k: &__Q) -> bool
        where
            #lookup,
        {
            self.#storage.contains_key(#k)
        }

        /// Inserts `value` under `key`; the value it replaces, if any.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn insert(&self, #k: #key, #v: #value) -> ::core::option::Option<#value>
        where
            #kind,
        {
            self.#storage.insert(#k, #v)
        }

        /// Removes `key`; its value, if it was there.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn remove<__Q: ?Sized>(&self, #k: &__Q) -> ::core::option::Option<#value>
        where
            #lookup,
        {
            self.#storage.remove(#k)
        }

        /// Runs `f` on the value of `key`, if it is there, under the shard's write lock.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn update<__Q: ?Sized, __R>(
            &self,
            #k: &__Q,
            #f: impl ::core::ops::FnOnce(&mut #value) -> __R,
        ) -> ::core::option::Option<__R>
        where
            #lookup,
        {
            self.#storage.update(#k, #f)
        }

        /// Runs `f` on the value of `key`, inserting `make()` first if it is not there: one
        /// write lock of one shard, so no other thread sees the key half-made.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn get_or_insert_with<__R>(
            &self,
            #k: #key,
            #make: impl ::core::ops::FnOnce() -> #value,
            #f: impl ::core::ops::FnOnce(&mut #value) -> __R,
        ) -> __R
        where
            #kind,
        {
            self.#storage.get_or_insert_with(#k, #make, #f)
        }

        /// The number of entries, summed one shard at a time: exact when no one writes;
        /// under concurrent writes, every key present throughout is counted once.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn len(&self) -> usize
        where
            #kind,
        {
            self.#storage.len()
        }

        /// Whether every shard's map is empty, checked one shard at a time.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn is_empty(&self) -> bool
        where
            #kind,
        {
            self.#storage.is_empty()
        }

        /// Removes every entry, one shard at a time in index order.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn clear(&self)
        where
            #kind,
        {
            self.#storage.clear()
        }

        /// Keeps the entries for which `keep` returns `true`, one shard at a time.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn retain(&self, #keep: impl ::core::ops::FnMut(&#key, &mut #value) -> bool)
        where
            #kind,
        {
            self.#storage.retain(#keep)
        }

        /// Runs `f` on every entry, one shard at a time in index order.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn for_each(&self, #f: impl ::core::ops::FnMut(&#key, &#value))
        where
            #kind,
        {
            self.#storage.for_each(#f)
        }

        /// Clones of every entry, shard by shard (in no particular order).
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn to_vec(&self) -> ::std::vec::Vec<(#key, #value)>
        where
            #kind,
            #key_clone,
            #value_clone,
        {
            self.#storage.to_vec()
        }
    }
}

fn set_methods(model: &Model, collection: &Collection) -> TokenStream {
    let CollectionKind::Set { element } = &collection.kind else {
        return TokenStream::new();
    };
    let runtime = &model.runtime;
    let vis = &model.header.vis;
    let storage = &model.storage;
    let set = &collection.ty;
    let (e, f, keep) = (
        emit::local("element"),
        emit::local("f"),
        emit::local("keep"),
    );
    let methods = quote!(#runtime::SetMethods);
    let element_clone = emit::deferred_bound(element, quote!(::core::clone::Clone));
    let kind = emit::deferred_bound(set, quote!(#runtime::SetKind<Key = #element>));
    let lookup = quote!(#set: #runtime::SetLookup<__Q>, #kind);
    quote! {
        /// Adds `element`; `true` if it was not there.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn insert(&self, #e: #element) -> bool
        where
            #kind,
        {
            #methods::insert(&self.#storage, #e)
        }

        /// Whether `element` is in the set.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn contains<__Q: ?Sized>(&self, #e: &__Q) -> bool
        where
            #lookup,
        {
            #methods::contains(&self.#storage, #e)
        }

        /// Removes `element`; `true` if it was there.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn remove<__Q: ?Sized>(&self, #e: &__Q) -> bool
        where
            #lookup,
        {
            #methods::remove(&self.#storage, #e)
        }

        /// The number of elements, summed one shard at a time.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn len(&self) -> usize
        where
            #kind,
        {
            #methods::len(&self.#storage)
        }

        /// Whether every shard's set is empty.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn is_empty(&self) -> bool
        where
            #kind,
        {
            #methods::is_empty(&self.#storage)
        }

        /// Removes every element, one shard at a time in index order.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn clear(&self)
        where
            #kind,
        {
            #methods::clear(&self.#storage)
        }

        /// Keeps the elements for which `keep` returns `true`, one shard at a time.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn retain(&self, #keep: impl ::core::ops::FnMut(&#element) -> bool)
        where
            #kind,
        {
            #methods::retain(&self.#storage, #keep)
        }

        /// Runs `f` on every element, one shard at a time in index order.
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn for_each(&self, #f: impl ::core::ops::FnMut(&#element))
        where
            #kind,
        {
            #methods::for_each(&self.#storage, #f)
        }

        /// Clones of every element, shard by shard (in no particular order).
        #[inline]
        #[cfg_attr(debug_assertions, track_caller)]
        #vis fn to_vec(&self) -> ::std::vec::Vec<#element>
        where
            #kind,
            #element_clone,
        {
            #methods::to_vec(&self.#storage)
        }
    }
}
