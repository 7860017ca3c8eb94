//! What to emit when the input cannot be expanded: the item itself, minus this macro's
//! field markers, plus the errors. The item still exists, so code that names it does not
//! fail too: one mistake, one error.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput};

use crate::attr;
use crate::ctxt::Errors;

/// The input parsed as a struct, enum or union, but is not one `#[guarded]` can expand.
pub fn unchanged(item: &DeriveInput, errors: Errors) -> TokenStream {
    let mut item = item.clone();
    let fields: Vec<&mut syn::Field> = match &mut item.data {
        Data::Struct(data) => data.fields.iter_mut().collect(),
        Data::Union(data) => data.fields.named.iter_mut().collect(),
        Data::Enum(data) => data
            .variants
            .iter_mut()
            .flat_map(|variant| variant.fields.iter_mut())
            .collect(),
    };
    // The markers are ours; left in, rustc would add "cannot find attribute" errors.
    for field in fields {
        field.attrs.retain(|a| !attr::is_field_marker(a));
    }
    let errors = errors.into_compile_errors();
    quote!(#item #errors)
}

/// The input is not a struct, enum or union at all (a function, say).
pub fn not_a_struct(item: TokenStream, mut errors: Errors) -> TokenStream {
    errors.push(syn::Error::new(
        proc_macro2::Span::call_site(),
        "#[guarded] goes on a struct: `#[guarded] struct Cache { items: Vec<Item> }`",
    ));
    let errors = errors.into_compile_errors();
    quote!(#item #errors)
}
