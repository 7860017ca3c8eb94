//! Rules over the `#[sharded]` model, one function per rule.

use crate::sharded::ast::{Key, Model};
use crate::shared::ctxt::Errors;

pub fn check(model: &Model, errors: &mut Errors) {
    one_collection_or_a_key(model, errors);
    shard_name_differs_from_wrapper(model, errors);
}

/// The key comes from exactly one map or set field, or from `key = Type`.
fn one_collection_or_a_key(model: &Model, errors: &mut Errors) {
    match (&model.key, model.collections.as_slice()) {
        (Key::Missing, _) => errors.at(
            &model.header.ident,
            format!(
                "#[sharded] needs to know the key that picks a shard: give `{}` one map field \
                 (`HashMap<K, V>`, `BTreeMap<K, V>`, `lockwise::PrehashedMap<K, V>`) or set \
                 field (`HashSet<K>`, `BTreeSet<K>`), or name the key with `key = Type`",
                model.header.name()
            ),
        ),
        (Key::Written(_), _) => {}
        (_, [_, second, ..]) => {
            let names: Vec<String> = model
                .collections
                .iter()
                .map(|c| format!("`{}`", c.name()))
                .collect();
            errors.at(
                &second.member,
                format!(
                    "#[sharded] picks a shard by the key of the struct's one map or set, but \
                     {} each hold one, so the key is ambiguous: name it with \
                     `#[sharded(N, key = Type)]` (the map methods then are not generated; reach \
                     each map through `read(&key)`/`write(&key)`)",
                    names.join(" and ")
                ),
            );
        }
        _ => {}
    }
}

fn shard_name_differs_from_wrapper(model: &Model, errors: &mut Errors) {
    let wrapper = &model.header.ident;
    if let Some(shard) = model.shard_written.as_ref().filter(|s| *s == wrapper) {
        errors.at(
            shard,
            format!(
                "the shard state needs a name of its own: `shard = {wrapper}` is the \
                 thread-safe type's name. Pick another, or leave `shard` out to get `{}`",
                model.shard
            ),
        );
    }
}
