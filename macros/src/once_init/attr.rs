//! `#[once_init(..)]`'s arguments and its field marker, `#[once(init = path)]` or
//! `#[once(init = path, async)]`, parsed into the model's vocabulary (`ast::Args`,
//! `ast::Marker`).

use syn::{Attribute, ExprPath, LitInt, Meta};

use crate::once_init::ast::{Args, Marker, PolicyWord};
use crate::shared::ctxt::Errors;
use crate::shared::header::{Body, MacroSpec};
use crate::shared::options::{
    self, ArgValue, CRATE_OPTION, Form, Meant, OptionSpec, OptionTable, Parsed,
};

pub static ONCE_INIT: MacroSpec = MacroSpec {
    name: "once_init",
    options: &ONCE_INIT_OPTIONS,
    markers: &[ONCE],
    usage: "`#[once_init] struct Client { url: String, #[once(init = Self::connect)] db: Db }`",
    on_enum: "goes on a struct, not an enum: lazy fields are fields of a struct. Put the enum \
              in a field, or use `lockwise::OnceField` by hand",
    on_union: "goes on a struct, not a union: a union's fields overlap, so one cannot be \
               initialized while another is read. Use a struct",
    on_unit: "needs a struct with fields: mark the lazy ones `#[once(init = path)]`",
    expands_unit: false,
    on_derive_above: None,
};

/// The field marker of a lazy field.
const ONCE: &str = "once";

/// The marker's word for an `async fn` initializer.
const ASYNC: &str = "async";

static ONCE_INIT_OPTIONS: OptionTable = OptionTable {
    attribute: "once_init",
    noun: "option",
    options: &[
        OptionSpec {
            name: "retry",
            form: Form::WordOrList("retry(min_interval_ms = N)"),
        },
        // Only inside `retry(..)`; at the top it is a mistake `valid.rs` explains.
        MIN_INTERVAL,
        CRATE_OPTION,
    ],
    listing: "The options are `retry` (a failed init is tried again; by default its error \
              is cached), `retry(min_interval_ms = N)` or `crate = path`",
    positional: None,
    synonyms: &[
        ("retries", Meant::Option("retry")),
        ("retrying", Meant::Option("retry")),
        ("tryagain", Meant::Option("retry")),
        ("again", Meant::Option("retry")),
        ("throttle", Meant::Option("retry")),
        ("backoff", Meant::Option("retry")),
        ("mininterval", Meant::Option("min_interval_ms")),
        ("interval", Meant::Option("min_interval_ms")),
        ("krate", Meant::Option("crate")),
    ],
};

const MIN_INTERVAL: OptionSpec = OptionSpec {
    name: "min_interval_ms",
    form: Form::Value("N"),
};

static RETRY_OPTIONS: OptionTable = OptionTable {
    attribute: "once_init(retry(..))",
    noun: "retry option",
    options: &[MIN_INTERVAL],
    listing: "The option is `min_interval_ms = N`: after a failure, callers within N ms get \
              that error at once instead of another attempt",
    positional: None,
    synonyms: &[
        ("interval", Meant::Option("min_interval_ms")),
        ("mininterval", Meant::Option("min_interval_ms")),
        ("intervalms", Meant::Option("min_interval_ms")),
        ("minintervalms", Meant::Option("min_interval_ms")),
    ],
};

static ONCE_OPTIONS: OptionTable = OptionTable {
    attribute: ONCE,
    noun: "option",
    options: &[
        OptionSpec {
            name: "init",
            form: Form::Value("path"),
        },
        OptionSpec {
            name: ASYNC,
            form: Form::Word(None),
        },
    ],
    listing: "The options are `init = path` (the function that computes the field from \
              `&self`) and `async` (that function is an `async fn`: the accessor is `async` \
              too)",
    positional: None,
    synonyms: &[
        ("asynchronous", Meant::Option(ASYNC)),
        ("await", Meant::Option(ASYNC)),
        ("awaited", Meant::Option(ASYNC)),
        ("future", Meant::Option(ASYNC)),
        ("with", Meant::Option("init")),
        ("initializer", Meant::Option("init")),
        ("default", Meant::Option("init")),
        ("fn", Meant::Option("init")),
        ("function", Meant::Option("init")),
        ("load", Meant::Option("init")),
    ],
};

/// Parses the tokens inside `#[once_init(..)]`.
pub fn parse_args(tokens: proc_macro2::TokenStream, errors: &mut Errors) -> Args {
    let parsed = ONCE_INIT.options.parse(tokens, errors);
    Args {
        policy: policy(&parsed, errors),
        stray_interval: parsed.get(MIN_INTERVAL.name).map(|arg| arg.key.span()),
        krate: options::crate_path(&parsed, errors),
    }
}

fn policy(parsed: &Parsed, errors: &mut Errors) -> PolicyWord {
    let Some(retry) = parsed.get_or_guess("retry") else {
        return PolicyWord::Cache;
    };
    let span = retry.key.span();
    let ArgValue::List(list) = &retry.value else {
        return PolicyWord::Retry;
    };
    let inner = RETRY_OPTIONS.parse(list.stream(), errors);
    match inner.get(MIN_INTERVAL.name).map(|arg| &arg.value) {
        Some(ArgValue::Value(value)) => {
            let expected = "`min_interval_ms = N` takes a number of milliseconds, like \
                            `min_interval_ms = 100`";
            match value.parse::<LitInt>(expected, errors) {
                Some(literal) => match literal.base10_parse::<u64>() {
                    Ok(min_interval_ms) => PolicyWord::Throttled {
                        span,
                        min_interval_ms,
                    },
                    Err(error) => {
                        errors.at_span(literal.span(), format!("{error}: {expected}"));
                        PolicyWord::Retry
                    }
                },
                None => PolicyWord::Retry,
            }
        }
        _ => PolicyWord::Retry,
    }
}

/// Each field's `#[once(..)]`, in declaration order; `None` for a plain field.
pub fn parse_field_markers(body: &Body, errors: &mut Errors) -> Vec<Option<Marker>> {
    body.fields()
        .into_iter()
        .map(|field| parse_marker(&field.attrs, errors))
        .collect()
}

/// Reads a field's `#[once(..)]`; `None` for a plain field.
fn parse_marker(attrs: &[Attribute], errors: &mut Errors) -> Option<Marker> {
    let mut markers = attrs.iter().filter(|attr| attr.path().is_ident(ONCE));
    let first = markers.next()?;
    for extra in markers {
        errors.at(
            extra,
            "duplicate #[once] on this field: a field has one initializer; keep one",
        );
    }
    let Meta::List(list) = &first.meta else {
        errors.at(
            first,
            "#[once] needs `init = path`: the function that computes the field from `&self`, \
             like `#[once(init = Self::connect)]`",
        );
        return Some(Marker::Broken);
    };
    let before = errors.count();
    let parsed = ONCE_OPTIONS.parse(list.tokens.clone(), errors);
    let init = match parsed.get("init").map(|arg| &arg.value) {
        Some(ArgValue::Value(value)) => value.parse::<ExprPath>(
            "`init = path` takes the path of a function that computes the field from `&self`, \
             like `init = Self::connect`",
            errors,
        ),
        _ => None,
    };
    let asynchronous = parsed.get_or_guess(ASYNC).map(|arg| arg.key.span());
    match init {
        Some(path) => Some(Marker::Init { path, asynchronous }),
        None => {
            if errors.count() == before {
                errors.at(
                    first,
                    "#[once(..)] needs `init = path`: the function that computes the field from \
                     `&self`, like `#[once(init = Self::connect)]`",
                );
            }
            Some(Marker::Broken)
        }
    }
}
