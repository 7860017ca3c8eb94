//! What to emit when the input cannot be expanded: the item itself, minus the calling
//! macro's field markers, plus the errors. The item still exists, so code that names it
//! does not fail too: one mistake, one error.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Data, DeriveInput};

use crate::shared::ctxt::Errors;
use crate::shared::header::MacroSpec;
use crate::shared::markers;

/// The input parsed as a struct, enum or union, but is not one the macro can expand.
pub fn unchanged(item: &DeriveInput, spec: &MacroSpec, errors: Errors) -> TokenStream {
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
    // The markers are the macro's; left in, rustc would add "cannot find attribute" errors.
    for field in fields {
        field.attrs = markers::without_markers(&field.attrs, spec.markers);
    }
    let errors = errors.into_compile_errors();
    quote!(#item #errors)
}

/// The input is not a struct, enum or union at all (a function, say).
pub fn not_a_struct(item: TokenStream, spec: &MacroSpec, mut errors: Errors) -> TokenStream {
    errors.at_span(
        Span::call_site(),
        format!("#[{}] goes on a struct: {}", spec.name, spec.usage),
    );
    let errors = errors.into_compile_errors();
    quote!(#item #errors)
}
