//! Rules over the `#[once_init]` model, one function per rule. Each records errors and
//! changes nothing: the model already made the best guess, so the struct is still emitted.

use crate::once_init::ast::{Kind, Model};
use crate::shared::ctxt::Errors;

pub fn check(model: &Model, errors: &mut Errors) {
    has_a_lazy_field(model, errors);
    lazy_fields_need_names(model, errors);
    interval_belongs_to_retry(model, errors);
    error_types_are_written_out(model, errors);
    method_names_are_unique(model, errors);
}

fn has_a_lazy_field(model: &Model, errors: &mut Errors) {
    if model.fields.iter().all(|field| field.lazy.is_none()) {
        errors.at(
            &model.header.ident,
            format!(
                "#[once_init] needs a lazy field: mark the field to compute on first use with \
                 `#[once(init = path)]`, like `#[once(init = Self::connect)] db: Db`. A \
                 struct without one needs no #[once_init] ({} has none)",
                model.header.name()
            ),
        );
    }
}

fn lazy_fields_need_names(model: &Model, errors: &mut Errors) {
    if model.named {
        return;
    }
    if let Some(field) = model.fields.iter().find(|field| field.lazy.is_some()) {
        errors.at(
            field.ty,
            "lazy fields need names: each gets methods named after it (`db()`, \
             `db_if_ready()`). Name the fields",
        );
    }
}

fn interval_belongs_to_retry(model: &Model, errors: &mut Errors) {
    if let Some(span) = model.stray_interval {
        errors.at_span(
            span,
            "`min_interval_ms` throttles retries, and the default policy never retries (it \
             caches the first error): write `#[once_init(retry(min_interval_ms = N))]`",
        );
    }
}

/// `io::Result<T>` hides the error type the policy needs to see.
fn error_types_are_written_out(model: &Model, errors: &mut Errors) {
    for (field, lazy) in model.lazy_fields() {
        if let Kind::HiddenError { value, span } = &lazy.kind {
            let value = quote::quote!(#value).to_string();
            errors.at_span(
                *span,
                format!(
                    "`{}` is a `Result` whose error type is hidden (`io::Result<T>`-style): \
                     #[once_init] must see the error to cache or retry it. Write both types, \
                     `Result<{value}, E>` (for `io::Result`, `E` is `std::io::Error`)",
                    field.name()
                ),
            );
        }
    }
}

/// Each collision in the builds where it holds; none for two fields of one name, which
/// rustc reports where both exist.
fn method_names_are_unique(model: &Model, errors: &mut Errors) {
    for (field, lazy) in model.lazy_fields() {
        let Some(ident) = field.ident else {
            continue;
        };
        let collisions = lazy.api.as_ref().err().into_iter();
        for collision in collisions.chain(&lazy.cfg_collisions) {
            if collision.same_field {
                continue;
            }
            errors.at_when(
                &collision.when,
                ident,
                format!(
                    "field `{}` needs the method name `{}()`, which {} already uses; rename the \
                     field",
                    field.name(),
                    collision.method,
                    collision.first
                ),
            );
        }
    }
}
