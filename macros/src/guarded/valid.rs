//! Rules that span several attributes or fields, one function per rule. They read only the
//! model, record errors, and leave the model usable: the model already made the best guess
//! (an unmarked field counts as locked, colliding accessors are left out, a clashing
//! `state = ..` falls back to `<Name>State`), so the expansion is still emitted and each
//! mistake is one error.

use crate::guarded::ast::{FieldAccess, Locking, Model, Style};
use crate::shared::ctxt::Errors;

pub fn check(model: &Model, errors: &mut Errors) {
    mode_and_field_locks_exclude_each_other(model, errors);
    unguarded_needs_per_field_locks(model, errors);
    field_locks_need_named_fields(model, errors);
    every_field_says_how_it_is_shared(model, errors);
    state_name_differs_from_wrapper(model, errors);
    accessor_names_are_unique(model, errors);
}

fn mode_and_field_locks_exclude_each_other(model: &Model, errors: &mut Errors) {
    if let (Locking::PerField(_), Some(mode)) = (&model.locking, model.mode_written) {
        let word = mode.kind.word();
        errors.at_span(
            mode.span,
            format!(
                "`{word}` would put one lock around the whole struct, but its fields have their \
                 own (#[lock] / #[unguarded]): remove `{word}` from #[guarded], or remove the \
                 field attributes"
            ),
        );
    }
}

/// `#[guarded(rw)]` with an `#[unguarded]` field and no `#[lock]`: most likely "one rw lock
/// plus one atomic", which is written with per-field locks. One error, at the first marker.
fn unguarded_needs_per_field_locks(model: &Model, errors: &mut Errors) {
    let (Locking::Whole(mode), Style::Named) = (&model.locking, model.style) else {
        return;
    };
    if model.mode_written.is_none() {
        return;
    }
    let Some(span) = model.fields.iter().find_map(|field| match field.access {
        Some(FieldAccess::Unguarded(span)) => Some(span),
        _ => None,
    }) else {
        return;
    };
    let word = mode.kind.word();
    errors.at_span(
        span,
        format!(
            "`#[unguarded]` needs per-field locks, but `#[guarded({word})]` puts one lock around \
             the whole struct. To share this field without a lock and keep one `{word}` lock for \
             the rest, give the struct per-field locks: write `#[guarded]`, then \
             `#[lock({word})]` on each other field (or on one field holding them all) and \
             `#[unguarded]` here"
        ),
    );
}

fn field_locks_need_named_fields(model: &Model, errors: &mut Errors) {
    if model.style != Style::Tuple {
        return;
    }
    // One error for the struct, at the first marker: the others say the same.
    if let Some(access) = model.fields.iter().find_map(|field| field.access) {
        errors.at_span(
            access.span(),
            "per-field locks need named fields: the accessors are named after them \
             (`config()`, `config_mut()`). Name the fields, or remove the field attributes \
             to put one lock around the whole tuple struct",
        );
    }
}

/// In a per-field struct every field says how it is shared. When `#[guarded(mode)]` was
/// written too, that is the one error (`mode_and_field_locks_exclude_each_other`), and
/// unmarked fields take the mode.
fn every_field_says_how_it_is_shared(model: &Model, errors: &mut Errors) {
    if !matches!(model.locking, Locking::PerField(_)) || model.mode_written.is_some() {
        return;
    }
    for field in model.fields.iter().filter(|f| f.access.is_none()) {
        errors.at(
            &field.member,
            format!(
                "field `{name}` says neither `#[lock(..)]` nor `#[unguarded]`: in a struct with \
                 per-field locks every field chooses. Use `#[lock(mutex)]`, `#[lock(rw)]` or \
                 `#[lock(read_mostly)]` to give `{name}` its own lock, or `#[unguarded]` if its \
                 type is safe to share without one (an atomic, say)",
                name = field.name()
            ),
        );
    }
}

fn state_name_differs_from_wrapper(model: &Model, errors: &mut Errors) {
    let wrapper = &model.header.ident;
    if let Some(state) = model.state_written.as_ref().filter(|s| *s == wrapper) {
        errors.at(
            state,
            format!(
                "the state struct needs a name of its own: `state = {wrapper}` is the \
                 thread-safe type's name. Pick another, or leave `state` out to get `{}`",
                model.names.state
            ),
        );
    }
}

/// Per-field accessors are named after the fields (`a`, `a_mut`, `try_a`, ...), so two
/// fields, or a field and a fixed method, can ask for the same name. Each collision is
/// reported in the builds where it holds (fields under `#[cfg]` meet only where both are
/// kept); two fields of one name are left to rustc, which reports the field declared twice
/// where both exist.
fn accessor_names_are_unique(model: &Model, errors: &mut Errors) {
    for plan in model.plans() {
        let collisions = plan.api.as_ref().err().into_iter();
        for collision in collisions.chain(&plan.cfg_collisions) {
            if collision.same_field {
                continue;
            }
            errors.at_when(
                &collision.when,
                plan.ident,
                format!(
                    "field `{}` needs the method name `{}()`, which {} already uses; rename the \
                     field",
                    plan.name(),
                    collision.accessor,
                    collision.first
                ),
            );
        }
    }
}
