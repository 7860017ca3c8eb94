//! Generation for `#[once_init]`: the struct as written with each lazy field stored in a
//! `OnceField`, `new(<plain fields>)`, and per lazy field `<field>()`, `<field>_if_ready()`,
//! `set_<field>(value)`, `take_<field>()` and `<field>_mut()`, each forwarding to the
//! field's `OnceField`. Reads only the model.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use crate::once_init::ast::{Accessors, Field, Kind, Lazy, Model, PolicyWord};
use crate::shared::emit;

pub fn generate(model: &Model) -> TokenStream {
    let constructor = constructor(model);
    let accessors = model
        .lazy_fields()
        .filter_map(|(field, lazy)| accessors(model, field, lazy));
    let items = [
        the_struct(model),
        emit::inherent_impl(&model.header, &[], quote!(#constructor #(#accessors)*)),
        throttle_assertions(model),
    ];
    quote!(#(#items)*)
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
fn accessors(model: &Model, field: &Field, lazy: &Lazy) -> Option<TokenStream> {
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
    let get_doc = accessor_doc(model, &field_name, init, fallible);
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
    Some(quote! {
        #when
        #[doc = #get_doc]
        #[inline]
        #vis fn #get(&self) -> #returns #where_clone {
            self.#ident.#method(
                const { &#runtime::OnceSite::new(#type_name, #field_name) },
                || { #call_init },
            )
        }

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
    })
}

fn accessor_doc(model: &Model, field: &str, init: &syn::ExprPath, fallible: bool) -> String {
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
