//! `#[guarded(..)]`'s arguments and its field markers, `#[lock(..)]` and `#[unguarded]`,
//! parsed into the model's vocabulary (`ast::Args`, `ast::FieldAccess`). The option tables
//! drive the shared parser; this file says what the options mean.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, Meta, Token};

use crate::guarded::ast::{Args, FieldAccess, ModeKind, ModeWord};
use crate::shared::ctxt::Errors;
use crate::shared::header::{Body, MacroSpec};
use crate::shared::options::{
    self, ArgValue, CRATE_OPTION, Form, Meant, OptionSpec, OptionTable, Parsed, WordGroup,
};

pub static GUARDED: MacroSpec = MacroSpec {
    name: "guarded",
    options: &GUARDED_OPTIONS,
    markers: &[LOCK, UNGUARDED],
    usage: "`#[guarded] struct Cache { items: Vec<Item> }`",
    on_enum: "goes on a struct, not an enum: put the enum in a struct field \
              (`struct Phase { current: PhaseKind }`), or use `lockwise::Guarded<YourEnum>`",
    on_union: "goes on a struct, not a union: a union's fields overlap, so there is nothing \
               safe to lock field by field. Use a struct",
    on_unit: "needs a struct with fields: a unit struct has no state to guard. Add the fields \
              the lock should protect",
    expands_unit: false,
    on_derive_above: Some(
        "where they apply to the state behind the lock (the wrapper has `Debug` and \
         `Default` when the state has them)",
    ),
};

/// How this type's locks are ordered against other types' in debug builds.
const ORDER: &str = "order";

/// The values of `order = ..`: per type (the default) or per value.
const ORDER_VALUES: [&str; 2] = ["type", "instance"];

/// The field marker that gives a field its own lock.
const LOCK: &str = "lock";
/// The field marker that shares a field without a lock.
const UNGUARDED: &str = "unguarded";

static MODES: WordGroup = WordGroup {
    what: "lock modes",
    why: "a lock has one mode",
};

const MODE_OPTIONS: [OptionSpec; 3] = [
    OptionSpec {
        name: "mutex",
        form: Form::Word(Some(&MODES)),
    },
    OptionSpec {
        name: "rw",
        form: Form::Word(Some(&MODES)),
    },
    OptionSpec {
        name: "read_mostly",
        form: Form::Word(Some(&MODES)),
    },
];

/// Words for a mode that users bring from std, parking_lot, arc-swap and Go.
const MODE_SYNONYMS: [(&str, Meant); 15] = [
    ("lock", Meant::Option("mutex")),
    ("exclusive", Meant::Option("mutex")),
    ("mtx", Meant::Option("mutex")),
    ("rwlock", Meant::Option("rw")),
    ("rwmutex", Meant::Option("rw")),
    ("readwrite", Meant::Option("rw")),
    ("shared", Meant::Option("rw")),
    ("rwl", Meant::Option("rw")),
    ("rcu", Meant::Option("read_mostly")),
    ("arcswap", Meant::Option("read_mostly")),
    ("readonly", Meant::Option("read_mostly")),
    ("readmostly", Meant::Option("read_mostly")),
    ("syncmap", Meant::Option("read_mostly")),
    ("cow", Meant::Option("read_mostly")),
    ("copyonwrite", Meant::Option("read_mostly")),
];

static GUARDED_OPTIONS: OptionTable = OptionTable {
    attribute: "guarded",
    noun: "option",
    options: &[
        MODE_OPTIONS[0],
        MODE_OPTIONS[1],
        MODE_OPTIONS[2],
        OptionSpec {
            name: "state",
            form: Form::Value("Name"),
        },
        OptionSpec {
            name: ORDER,
            form: Form::Value("instance"),
        },
        CRATE_OPTION,
    ],
    listing: "The options are `mutex` (the default), `rw`, `read_mostly`, `state = Name`, \
              `order = instance` or `crate = path`",
    positional: None,
    synonyms: &[
        MODE_SYNONYMS[0],
        MODE_SYNONYMS[1],
        MODE_SYNONYMS[2],
        MODE_SYNONYMS[3],
        MODE_SYNONYMS[4],
        MODE_SYNONYMS[5],
        MODE_SYNONYMS[6],
        MODE_SYNONYMS[7],
        MODE_SYNONYMS[8],
        MODE_SYNONYMS[9],
        MODE_SYNONYMS[10],
        MODE_SYNONYMS[11],
        MODE_SYNONYMS[12],
        MODE_SYNONYMS[13],
        MODE_SYNONYMS[14],
        ("statename", Meant::Option("state")),
        ("name", Meant::Option("state")),
        ("ordering", Meant::Option("order")),
        ("lockorder", Meant::Option("order")),
        ("krate", Meant::Option("crate")),
        ("cratepath", Meant::Option("crate")),
        ("path", Meant::Option("crate")),
        ("sharded", Meant::Attribute("#[sharded(N)]")),
        ("shards", Meant::Attribute("#[sharded(N)]")),
        ("shard", Meant::Attribute("#[sharded(N)]")),
        ("striped", Meant::Attribute("#[sharded(N)]")),
        ("dashmap", Meant::Attribute("#[sharded(N)]")),
        ("once", Meant::Attribute("#[once_init]")),
        ("lazy", Meant::Attribute("#[once_init]")),
        ("pool", Meant::Attribute("#[pooled]")),
        ("pooled", Meant::Attribute("#[pooled]")),
    ],
};

static LOCK_OPTIONS: OptionTable = OptionTable {
    attribute: LOCK,
    noun: "lock mode",
    options: &MODE_OPTIONS,
    listing: "The modes are `mutex`, `rw` or `read_mostly`",
    positional: None,
    synonyms: &MODE_SYNONYMS,
};

/// Parses the tokens inside `#[guarded(..)]`.
pub fn parse_args(tokens: proc_macro2::TokenStream, errors: &mut Errors) -> Args {
    let parsed = GUARDED.options.parse(tokens, errors);
    let state = match parsed.get("state").map(|arg| &arg.value) {
        Some(ArgValue::Value(value)) => {
            value.parse::<Ident>("`state = Name` takes a struct name", errors)
        }
        _ => None,
    };
    let per_instance = match parsed.get(ORDER).map(|arg| &arg.value) {
        Some(ArgValue::Value(value)) => {
            value.word_of(ORDER, &ORDER_VALUES, errors) == Some("instance")
        }
        _ => false,
    };
    Args {
        mode: mode_of(&parsed),
        state,
        per_instance,
        krate: options::crate_path(&parsed, errors),
    }
}

/// The mode written, or the one a misspelt word most likely meant.
fn mode_of(parsed: &Parsed) -> Option<ModeWord> {
    let arg = parsed.word_of(&MODES)?;
    Some(ModeWord {
        kind: ModeKind::from_word(arg.name)?,
        span: arg.key.span(),
    })
}

/// Each field's `#[lock(..)]` / `#[unguarded]`, in declaration order; `None` for a field
/// with neither.
pub fn parse_field_markers(body: &Body, errors: &mut Errors) -> Vec<Option<FieldAccess>> {
    body.fields()
        .into_iter()
        .map(|field| parse_field_access(&field.attrs, errors))
        .collect()
}

/// Whether `attr` is one of the field markers `#[guarded]` consumes.
fn is_field_marker(attr: &Attribute) -> bool {
    GUARDED
        .markers
        .iter()
        .any(|marker| attr.path().is_ident(marker))
}

/// Reads `#[lock(..)]` / `#[unguarded]` from a field's attributes; `None` when it has
/// neither.
fn parse_field_access(attrs: &[Attribute], errors: &mut Errors) -> Option<FieldAccess> {
    let mut access: Option<FieldAccess> = None;
    for (attr, marker) in markers(attrs, errors) {
        let parsed = parse_marker(&marker, attr, errors);
        match (access, parsed) {
            (None, _) => access = Some(parsed),
            (Some(FieldAccess::Lock(_)), FieldAccess::Lock(_)) => errors.at(
                attr,
                "duplicate #[lock] on this field: a field has one lock; keep one of them",
            ),
            (Some(FieldAccess::Unguarded(_)), FieldAccess::Unguarded(_)) => {
                errors.at(attr, "duplicate #[unguarded] on this field; remove one")
            }
            (Some(_), _) => errors.at(
                attr,
                "a field is either locked or unguarded, not both: keep `#[lock(..)]` to put \
                 the field behind its own lock, or `#[unguarded]` if its type is safe to share \
                 without one (an atomic, say)",
            ),
        }
    }
    access
}

/// The field's markers, with the attribute each came from: written plainly, or inside a
/// `cfg_attr`, which is reported (the struct's shape is decided before `cfg` is evaluated)
/// and then read as if written plainly, so that the report is the only error.
fn markers<'a>(attrs: &'a [Attribute], errors: &mut Errors) -> Vec<(&'a Attribute, Meta)> {
    let mut found = Vec::new();
    for attr in attrs {
        if is_field_marker(attr) {
            found.push((attr, attr.meta.clone()));
        } else if attr.path().is_ident("cfg_attr") {
            let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                continue;
            };
            for meta in metas.into_iter().skip(1) {
                if GUARDED
                    .markers
                    .iter()
                    .any(|marker| meta.path().is_ident(marker))
                {
                    errors.at(
                        &meta,
                        "#[guarded] cannot see a field marker inside `cfg_attr`: it decides each \
                         field's lock before `cfg` is evaluated. Write the marker directly \
                         (`#[lock(rw)]`); to vary a field by configuration, write the field \
                         twice, each with its own `#[cfg(..)]` and marker",
                    );
                    found.push((attr, meta));
                }
            }
        }
    }
    found
}

fn parse_marker(marker: &Meta, attr: &Attribute, errors: &mut Errors) -> FieldAccess {
    let span = marker
        .path()
        .segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span());
    if marker.path().is_ident(UNGUARDED) {
        if marker.require_path_only().is_err() {
            errors.at(
                attr,
                "#[unguarded] takes no arguments: write `#[unguarded]`",
            );
        }
        return FieldAccess::Unguarded(span);
    }
    // After an error the field still counts as locked (with a guess at the mode), so
    // that the mistake does not also surface as "field has no lock".
    let guess = ModeWord {
        kind: ModeKind::Mutex,
        span,
    };
    let Meta::List(list) = marker else {
        errors.at(
            attr,
            "#[lock] needs a mode: write #[lock(mode)] with mode one of `mutex`, `rw` or \
             `read_mostly`",
        );
        return FieldAccess::Lock(guess);
    };
    let before = errors.count();
    let parsed = LOCK_OPTIONS.parse(list.tokens.clone(), errors);
    let mode = mode_of(&parsed);
    if mode.is_none() && errors.count() == before {
        errors.at(
            attr,
            "#[lock()] needs a mode: one of `mutex`, `rw` or `read_mostly`",
        );
    }
    FieldAccess::Lock(mode.unwrap_or(guess))
}
