//! Rules over the `#[sharded]` model, one function per rule.

use crate::sharded::ast::{Key, Model};
use crate::shared::cfg::Presence;
use crate::shared::ctxt::Errors;

pub fn check(model: &Model, errors: &mut Errors) {
    one_collection_or_a_key(model, errors);
    shard_name_differs_from_wrapper(model, errors);
}

/// The key comes from `key = Type`, or from the one map or set field of each build. A field
/// under `#[cfg]` counts only in the builds that keep it, so each error holds in the builds
/// where the rule is broken: a build with no key, a build with two candidates.
fn one_collection_or_a_key(model: &Model, errors: &mut Errors) {
    for choice in &model.keys {
        if let Key::Missing = choice.key {
            errors.at_when(
                &choice.when,
                &model.header.ident,
                format!(
                    "#[sharded] needs to know the key that picks a shard: give `{}` one map \
                     field (`HashMap<K, V>`, `BTreeMap<K, V>`, `lockwise::PrehashedMap<K, V>`) \
                     or set field (`HashSet<K>`, `BTreeSet<K>`), or name the key with \
                     `key = Type`",
                    model.header.name()
                ),
            );
        }
    }
    if model
        .keys
        .iter()
        .any(|choice| matches!(choice.key, Key::Written(_)))
    {
        return;
    }
    let presences: Vec<Presence> = model
        .collections
        .iter()
        .map(|c| c.presence.clone())
        .collect();
    let (Some(when), [_, second, ..]) =
        (Presence::two_of(&presences), model.collections.as_slice())
    else {
        return;
    };
    let names: Vec<String> = model
        .collections
        .iter()
        .map(|c| format!("`{}`", c.name()))
        .collect();
    errors.at_when(
        &when,
        &second.member,
        format!(
            "#[sharded] picks a shard by the key of the struct's one map or set, but {} each \
             hold one, so the key is ambiguous: name it with `#[sharded(N, key = Type)]` (the \
             map methods then are not generated; reach each map through \
             `read(&key)`/`write(&key)`)",
            names.join(" and ")
        ),
    );
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
