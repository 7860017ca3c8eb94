//! Generation for `#[once_init]`: the struct as written with each lazy field stored in a
//! `OnceField`, `new(<plain fields>)`, and per lazy field `<field>()`, `<field>_if_ready()`,
//! `set_<field>(value)`, `take_<field>()` and `<field>_mut()`, each forwarding to the
//! field's `OnceField`. The `<field>()` of an `async` field is an `async fn`, and every such
//! accessor of the struct goes into one `__private::if_async! { .. }`, which is the
//! accessors with the `async` feature on and one error naming it with the feature off
//! (the macro cannot see features). Reads only the model.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use crate::once_init::ast::{Accessors, Field, Kind, Lazy, Model, PolicyWord};
use crate::shared::emit;

pub fn generate(model: &Model) -> TokenStream {
    let constructor = constructor(model);
    let mut accessors = Vec::new();
    let mut async_accessors = Vec::new();
    let mut async_marker: Option<Span> = None;
    for (field, lazy) in model.lazy_fields() {
        let Some(methods) = accessors_of(model, field, lazy) else {
            continue;
        };
        // `<field>()` first, as rustdoc then lists it; an async one goes in the gate.
        match methods.get {
            Get::Sync(get) => accessors.push(get),
            Get::Async { get, marker } => {
                async_marker.get_or_insert(marker);
                async_accessors.push(get);
            }
        }
        accessors.push(methods.owner);
    }
    let gate = async_marker.map(|span| {
        let private = &model.header.private;
        let error = quote_spanned! {span=> ::core::compile_error!(#FEATURE_OFF); };
        quote!(#private::if_async! { [#error] #(#async_accessors)* })
    });
    let items = [
        the_struct(model),
        emit::inherent_impl(
            &model.header,
            &[],
            quote!(#constructor #(#accessors)* #gate),
        ),
        throttle_assertions(model),
    ];
    quote!(#(#items)*)
}

/// The error of a struct with `async` fields in a crate without lockwise's `async` feature:
/// `if_async!` (which knows the feature) keeps it, at the first `async` marker, or drops it.
/// The version is this crate's, which is lockwise's (the three crates share one).
const FEATURE_OFF: &str = concat!(
    "`#[once(.., async)]` needs lockwise's \"async\" feature, which is off: enable it in ",
    "Cargo.toml, `lockwise = { version = \"",
    env!("CARGO_PKG_VERSION_MAJOR"),
    ".",
    env!("CARGO_PKG_VERSION_MINOR"),
    "\", features = [\"async\"] }`"
);

/// A lazy field's methods: `<field>()`, and the ones that read or fill it from outside.
struct Methods {
    get: Get,
    /// `<field>_if_ready()`, `set_<field>()`, `take_<field>()`, `<field>_mut()`: the same
    /// for an `async` field, since none of them waits.
    owner: TokenStream,
}

/// `<field>()`: a plain method, or an `async fn` written as `if_async!` takes it (its
/// where clause in brackets), with the span of the field's `async` marker.
enum Get {
    Sync(TokenStream),
    Async { get: TokenStream, marker: Span },
}

/// What a lazy field stores and returns, by how its type was declared.
struct Shape<'a> {
    /// What `<field>()` hands out a reference to.
    value: &'a Type,
    /// The error type; `Infallible` for an initializer that cannot fail.
    error: TokenStream,
    /// What the initializer returns: the declared type.
    declared: &'a Type,
    fallible: bool,
}

fn shape<'a>(field: &Field<'a>, lazy: &Lazy<'a>) -> Shape<'a> {
    match &lazy.kind {
        Kind::Fallible { value, error } => Shape {
            value,
            error: quote!(#error),
            declared: field.ty,
            fallible: true,
        },
        // An `io::Result<T>`-style field (an error, reported) is stored whole, as if its
        // initializer could not fail, so the mistake does not cascade.
        Kind::Infallible | Kind::HiddenError { .. } => Shape {
            value: field.ty,
            error: quote!(::core::convert::Infallible),
            declared: field.ty,
            fallible: false,
        },
    }
}

/// The struct as written, with each lazy field's type replaced by its `OnceField` (and made
/// private: it is reached through its methods).
fn the_struct(model: &Model) -> TokenStream {
    let header = &model.header;
    let (attrs, vis, ident, generics) =
        (&header.attrs, &header.vis, &header.ident, &header.generics);
    let where_clause = &generics.where_clause;
    let runtime = &model.runtime;
    let policy = policy_type(model);
    let fields = model.fields.iter().map(|field| {
        let attrs = &field.attrs;
        let (vis, ty) = match &field.lazy {
            Some(lazy) => {
                let Shape { value, error, .. } = shape(field, lazy);
                (
                    quote!(),
                    quote!(#runtime::OnceField<#value, #error, #policy>),
                )
            }
            None => {
                let (vis, ty) = (field.vis, field.ty);
                (quote!(#vis), quote!(#ty))
            }
        };
        match field.ident {
            Some(name) => quote!(#(#attrs)* #vis #name: #ty),
            None => quote!(#(#attrs)* #vis #ty),
        }
    });
    let body = if model.named {
        quote!(#where_clause { #(#fields,)* })
    } else {
        quote!(( #(#fields,)* ) #where_clause;)
    };
    quote! {
        #(#attrs)*
        #vis struct #ident #generics #body
    }
}

fn policy_type(model: &Model) -> TokenStream {
    let runtime = &model.runtime;
    match model.policy {
        PolicyWord::Cache => quote!(#runtime::Cache),
        PolicyWord::Retry => quote!(#runtime::Retry),
        PolicyWord::Throttled {
            min_interval_ms, ..
        } => quote!(#runtime::ThrottledRetry<#min_interval_ms>),
    }
}

/// `new(<plain fields in declaration order>)`: `const`, so the struct can live in a
/// `static`; every lazy field starts empty.
fn constructor(model: &Model) -> TokenStream {
    let runtime = &model.runtime;
    let vis = &model.header.vis;
    let mut params = Vec::new();
    let mut values = Vec::new();
    for (index, field) in model.fields.iter().enumerate() {
        let cfgs: Vec<_> = field.cfg_attrs().collect();
        let value = match &field.lazy {
            Some(_) => quote!(#runtime::OnceField::new()),
            None => {
                let param = emit::local(&match field.ident {
                    Some(_) => field.name(),
                    None => index.to_string(),
                });
                let ty = field.ty;
                params.push(quote!(#(#cfgs)* #param: #ty));
                quote!(#param)
            }
        };
        values.push(match field.ident {
            Some(name) => quote!(#(#cfgs)* #name: #value),
            None => quote!(#(#cfgs)* #value),
        });
    }
    let mut lazy: Vec<String> = Vec::new();
    for (field, _) in model.lazy_fields() {
        // Two fields of one name under exclusive cfgs are one name to the reader.
        let name = format!("`{}`", field.name());
        if !lazy.contains(&name) {
            lazy.push(name);
        }
    }
    let doc = format!(
        " Takes the plain fields in declaration order; the lazy ones ({}) start empty and are \
         computed on first use. `const`, so the value can live in a `static`.",
        lazy.join(", ")
    );
    let body = if model.named {
        quote!(Self { #(#values,)* })
    } else {
        quote!(Self( #(#values,)* ))
    };
    quote! {
        #[doc = #doc]
        #[inline]
        #vis const fn new(#(#params),*) -> Self {
            #body
        }
    }
}

/// `<field>()`, `<field>_if_ready()`, `set_<field>()`, `take_<field>()` and
/// `<field>_mut()`; nothing when the field has no name, no initializer, or colliding
/// method names (each reported).
fn accessors_of(model: &Model, field: &Field, lazy: &Lazy) -> Option<Methods> {
    let (
        Some(ident),
        Some(init),
        Ok(Accessors {
            get,
            if_ready,
            set,
            take,
            get_mut,
        }),
    ) = (field.ident, &lazy.init, &lazy.api)
    else {
        return None;
    };
    let runtime = &model.runtime;
    let vis = field.vis;
    let when = &lazy.accessors_when;
    let Shape {
        value,
        error,
        declared,
        fallible,
    } = shape(field, lazy);
    let (method, returns) = match (fallible, model.policy) {
        (false, _) => (quote!(get_or_init), quote!(&#value)),
        (true, PolicyWord::Cache) => (
            quote!(get_or_try_init),
            quote!(::core::result::Result<&#value, &#error>),
        ),
        (true, PolicyWord::Retry | PolicyWord::Throttled { .. }) => (
            quote!(get_or_try_init),
            quote!(::core::result::Result<&#value, #error>),
        ),
    };
    let type_name = model.header.name();
    let field_name = field.name();
    // The initializer becomes a `fn(&Self) -> Declared` at its own span, so a function with
    // the wrong signature is one error, at the user's `init = ..` path. It is made inside
    // the closure, which then captures only `self`: a captured `fn` pointer cost the fast
    // path two instructions.
    let init_fn = emit::local("init");
    let call_init = quote_spanned! {init.span()=>
        let #init_fn: fn(&Self) -> #declared = #init;
        #init_fn(self)
    };
    // An `async fn`'s future type cannot be written, so the future goes through
    // `async_initializer::<Declared, _>`, at the user's path: a function that is not
    // `async` is one error there, whose advice names both fixes.
    let call_init_async = quote_spanned! {init.span()=>
        #runtime::async_initializer::<#declared, _>(#init(self))
    };
    let get_doc = accessor_doc(
        model,
        &field_name,
        init,
        fallible,
        lazy.asynchronous.is_some(),
    );
    // Throttled retry needs a `Clone` error; without it the method does not exist (a
    // deferred bound), so the assertion's error, with its advice, is the only one.
    let where_clone = match (fallible, model.policy) {
        (true, PolicyWord::Throttled { .. }) => {
            let bound = emit::deferred_bound(&error, quote!(#runtime::CloneForThrottledRetry));
            quote!(where #bound)
        }
        _ => TokenStream::new(),
    };
    let if_ready_doc =
        format!(" `{field_name}` if it is ready: never waits and never starts the initializer.");
    let (set_doc, take_doc) = owner_docs(model, &field_name, init, fallible);
    let get_mut_doc = format!(
        " `{field_name}`, mutable, if it is ready: never starts the initializer (`&mut self`)."
    );
    let value_param = emit::local("value");
    let site = quote!(const { &#runtime::OnceSite::new(#type_name, #field_name) });
    let get = match lazy.asynchronous {
        None => Get::Sync(quote! {
            #when
            #[doc = #get_doc]
            #[inline]
            #vis fn #get(&self) -> #returns #where_clone {
                self.#ident.#method(#site, || { #call_init })
            }
        }),
        Some(marker) => {
            let method = format_ident!("{}_async", method.to_string());
            // The fast path is this future's own first step, before the runtime's future
            // exists: awaiting that future at once made the first poll of a ready field
            // build it (its captures) first, 7 instructions more than tokio's
            // `OnceCell::get_or_init`. The slow path goes through `cold`, whose poll is
            // never inlined, so this poll keeps few registers: 3 to 11 fewer instructions
            // (benches/once_async_instructions.rs).
            let ready = emit::local("ready");
            let ready_value = if fallible {
                quote!(::core::result::Result::Ok(#ready))
            } else {
                quote!(#ready)
            };
            Get::Async {
                get: quote! {
                    #when
                    #[doc = #get_doc]
                    #[inline]
                    #vis async fn #get(&self) -> #returns [#where_clone] {
                        match self.#ident.get() {
                            ::core::option::Option::Some(#ready) => #ready_value,
                            ::core::option::Option::None => {
                                #runtime::cold(self.#ident.#method(#site, || #call_init_async)).await
                            }
                        }
                    }
                },
                marker,
            }
        }
    };
    let owner = quote! {
        #when
        #[doc = #if_ready_doc]
        #[inline]
        #vis fn #if_ready(&self) -> ::core::option::Option<&#value> {
            self.#ident.get()
        }

        #when
        #[doc = #set_doc]
        #[inline]
        #vis fn #set(&self, #value_param: #value) -> ::core::result::Result<(), #value> {
            self.#ident.set(#value_param)
        }

        #when
        #[doc = #take_doc]
        #[inline]
        #vis fn #take(&mut self) -> ::core::option::Option<#value> {
            self.#ident.take()
        }

        #when
        #[doc = #get_mut_doc]
        #[inline]
        #vis fn #get_mut(&mut self) -> ::core::option::Option<&mut #value> {
            self.#ident.get_mut()
        }
    };
    Some(Methods { get, owner })
}

fn accessor_doc(
    model: &Model,
    field: &str,
    init: &syn::ExprPath,
    fallible: bool,
    asynchronous: bool,
) -> String {
    let init = quote!(#init).to_string().replace(' ', "");
    let failure = match (fallible, model.policy) {
        (false, _) => String::new(),
        (true, PolicyWord::Cache) => {
            " If it fails, the error is kept and every later call returns it.".to_owned()
        }
        (true, PolicyWord::Retry) => " If it fails, the error goes to this caller and the \
                                          next call tries again."
            .to_owned(),
        (
            true,
            PolicyWord::Throttled {
                min_interval_ms, ..
            },
        ) => format!(
            " If it fails, the error goes to this caller; for {min_interval_ms} ms after a \
             failure, calls return a copy of it without trying again, then the next call \
             tries again."
        ),
    };
    let poison = match model.policy {
        PolicyWord::Cache => " Panics if the initializer panicked earlier (the field is poisoned).",
        PolicyWord::Retry | PolicyWord::Throttled { .. } => "",
    };
    if asynchronous {
        return format!(
            " `{field}`, computed by awaiting `{init}` on the first call; later calls return \
             it at the cost of one load. Callers that come while it is being computed await \
             that one computation, without blocking their thread; if the caller computing it \
             is dropped (cancelled), the next caller starts it again.{failure}{poison} Panics \
             instead of deadlocking if computing `{field}` awaits `{field}` itself."
        );
    }
    format!(
        " `{field}`, computed by `{init}` on the first call; later calls return it at the cost \
         of one load. Callers that come while it is being computed wait for that one \
         computation.{failure}{poison} Panics instead of deadlocking if computing `{field}` \
         needs `{field}` itself."
    )
}

/// The docs of `set_<field>` and `take_<field>`, which name the states the policy has.
fn owner_docs(
    model: &Model,
    field: &str,
    init: &syn::ExprPath,
    fallible: bool,
) -> (String, String) {
    let init = quote!(#init).to_string().replace(' ', "");
    let (refused, cleared) = match (model.policy, fallible) {
        (PolicyWord::Cache, true) => (
            "is set, is being initialized (no waiting), holds the kept error or is poisoned",
            " The kept error or the poison is cleared too.",
        ),
        (PolicyWord::Cache, false) => (
            "is set, is being initialized (no waiting) or is poisoned",
            " A poison is cleared too.",
        ),
        (PolicyWord::Retry, _) => ("is set or is being initialized (no waiting)", ""),
        (PolicyWord::Throttled { .. }, _) => (
            "is set or is being initialized (no waiting); after a failure it is empty, \
             throttled or not, and takes the value",
            " The throttle after a failure is cleared too: the next call tries at once.",
        ),
    };
    let set = format!(
        " Fills `{field}` from outside, before its first use: `Ok` if it was empty, and \
         `{init}` never runs. Otherwise the value comes back, at once: `{field}` {refused}."
    );
    let take = format!(
        " Empties `{field}` and returns its value, if it had one: the next call to \
         `{field}()` runs `{init}` again.{cleared} `&mut self`: for the owner (set-up, \
         tests); a value shared across threads that must be replaced belongs in a \
         `read_mostly` value (its `store` swaps it) or behind an `Arc`."
    );
    (set, take)
}

/// Throttled retry hands each caller a copy of the last error, so the error must be
/// `Clone`: one error with advice at `retry`, for a struct without generics (whose error
/// type cannot name them).
fn throttle_assertions(model: &Model) -> TokenStream {
    let PolicyWord::Throttled { span, .. } = model.policy else {
        return TokenStream::new();
    };
    if !model.header.generics.params.is_empty() {
        return TokenStream::new();
    }
    let runtime = &model.runtime;
    let cfgs = model.header.cfgs();
    let errors = model
        .lazy_fields()
        .filter_map(|(field, lazy)| match &lazy.kind {
            Kind::Fallible { error, .. } => {
                let field_cfgs = field.cfg_attrs();
                let cfgs = cfgs.clone();
                Some(quote_spanned! {span=>
                    #(#cfgs)*
                    #(#field_cfgs)*
                    const _: () = #runtime::assert_clone_for_throttled_retry::<#error>();
                })
            }
            Kind::Infallible | Kind::HiddenError { .. } => None,
        });
    quote!(#(#errors)*)
}
