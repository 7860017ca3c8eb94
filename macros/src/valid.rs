//! Rules that span several attributes or fields, one function per rule. Each records its
//! errors and leaves the model usable, so the expansion can still be emitted.

use std::collections::HashMap;

use syn::Member;

use crate::ast::{Field, Input, Locking, Style};
use crate::attr::{Args, FieldAccess};
use crate::ctxt::Errors;

pub fn check(input: &Input, args: &Args, errors: &mut Errors) {
    mode_and_field_locks_exclude_each_other(input, args, errors);
    field_locks_need_named_fields(input, errors);
    every_field_says_how_it_is_shared(input, errors);
    state_name_differs_from_wrapper(input, args, errors);
    accessor_names_are_unique(input, errors);
}

fn mode_and_field_locks_exclude_each_other(input: &Input, args: &Args, errors: &mut Errors) {
    if let (Locking::PerField, Some(mode)) = (input.locking, args.mode) {
        errors.push(syn::Error::new(
            mode.span,
            format!(
                "`{}` would put one lock around the whole struct, but its fields have their own \
                 (#[lock] / #[unguarded]): remove `{}` from #[guarded], or remove the field \
                 attributes",
                mode.kind.word(),
                mode.kind.word()
            ),
        ));
    }
}

fn field_locks_need_named_fields(input: &Input, errors: &mut Errors) {
    if input.style != Style::Tuple {
        return;
    }
    // One error for the struct, at the first marker: the others say the same.
    if let Some(access) = input.fields.iter().find_map(|field| field.access) {
        let span = match access {
            FieldAccess::Lock(word) => word.span,
            FieldAccess::Unguarded(span) => span,
        };
        errors.push(syn::Error::new(
            span,
            "per-field locks need named fields: the accessors are named after them \
             (`config()`, `config_mut()`). Name the fields, or remove the field attributes \
             to put one lock around the whole tuple struct",
        ));
    }
}

fn every_field_says_how_it_is_shared(input: &Input, errors: &mut Errors) {
    if !matches!(input.locking, Locking::PerField) {
        return;
    }
    for field in input.fields.iter().filter(|f| f.access.is_none()) {
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

fn state_name_differs_from_wrapper(input: &Input, args: &Args, errors: &mut Errors) {
    if let Some(state) = args.state.as_ref().filter(|state| *state == input.ident) {
        errors.at(
            state,
            format!(
                "the state struct needs a name of its own: `state = {}` is the thread-safe \
                 type's name. Pick another, or leave `state` out to get `{}State`",
                input.ident,
                input.name()
            ),
        );
    }
}

/// Per-field accessors are named after the fields (`a`, `a_mut`, `try_a`, ...), so two
/// fields, or a field and a fixed method, can ask for the same name.
fn accessor_names_are_unique(input: &Input, errors: &mut Errors) {
    for (field, collision) in input.fields.iter().zip(accessor_collisions(input)) {
        if let Some(Collision { accessor, first }) = collision {
            errors.at(
                &field.member,
                format!(
                    "field `{}` needs the method name `{accessor}()`, which {first} already \
                     uses; rename the field",
                    field.name()
                ),
            );
        }
    }
}

/// A generated method name that an earlier field or a fixed method already has.
pub struct Collision {
    pub accessor: String,
    /// Who has the name: "field `a`" or "the generated `new()`".
    pub first: String,
}

/// For each field, its first accessor name that is already taken, if any. The expansion
/// leaves the accessors of such a field out, so the error above is the only one.
pub fn accessor_collisions(input: &Input) -> Vec<Option<Collision>> {
    if !matches!(input.locking, Locking::PerField) {
        return input.fields.iter().map(|_| None).collect();
    }
    let mut taken: HashMap<String, String> = FIXED_METHODS
        .iter()
        .map(|name| (name.to_string(), format!("the generated `{name}()`")))
        .chain(SHADOWED_TRAIT_METHODS.iter().map(|(name, call)| {
            let call = call.replace("Name", &input.name());
            (name.to_string(), call)
        }))
        .collect();
    input
        .fields
        .iter()
        .map(|field| {
            let names = accessor_names(field);
            if let Some(accessor) = names.iter().find(|name| taken.contains_key(*name)) {
                let first = taken[accessor].clone();
                return Some(Collision {
                    accessor: accessor.clone(),
                    first,
                });
            }
            let owner = format!("field `{}`", field.name());
            taken.extend(names.into_iter().map(|name| (name, owner.clone())));
            None
        })
        .collect()
}

/// The methods every per-field wrapper has, whatever its fields.
pub const FIXED_METHODS: [&str; 4] = ["new", "into_inner", "get_mut", "lock_all"];

/// Trait methods users call as `Server::default()`: an accessor of the same name, being
/// inherent, would be found first.
const SHADOWED_TRAIT_METHODS: [(&str, &str); 2] = [
    ("default", "`Name::default()` (from `Default`)"),
    ("from", "`Name::from(state)` (from `From`)"),
];

/// The accessor names generated for `field`.
pub fn accessor_names(field: &Field) -> Vec<String> {
    let name = match &field.member {
        Member::Named(_) => field.name(),
        Member::Unnamed(_) => return Vec::new(),
    };
    match field.lock_mode() {
        None => vec![name],
        Some(_) => vec![
            format!("{name}_mut"),
            format!("try_{name}"),
            format!("try_{name}_mut"),
            format!("with_{name}"),
            format!("with_{name}_mut"),
            name,
        ]
        .into_iter()
        .rev()
        .collect(),
    }
}
