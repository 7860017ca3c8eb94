//! Rules over the `#[pooled]` model, one function per rule.

use crate::pooled::ast::Model;
use crate::shared::ctxt::Errors;

pub fn check(model: &Model, errors: &mut Errors) {
    no_generic_parameters(model, errors);
}

/// The pool is a `static`, and a `static` has one type: a generic struct would need one
/// pool per instantiation.
fn no_generic_parameters(model: &Model, errors: &mut Errors) {
    if let Some(span) = model.generic {
        let name = model.header.name();
        errors.at_span(
            span,
            format!(
                "#[pooled] needs a struct without generic parameters: its pool is a `static`, \
                 and a `static` has one type. Make a pool by hand for each type you use, \
                 `static POOL: lockwise::Pool<{name}<u8>> = lockwise::Pool::new();` (see \
                 `lockwise::Pool`)"
            ),
        );
    }
}
