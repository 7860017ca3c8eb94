//! `#[pooled(..)]`'s arguments, `max_idle = N`, `new = path` and `crate = path`, parsed into
//! `ast::Args`.

use syn::{ExprPath, LitInt};

use crate::pooled::ast::Args;
use crate::shared::ctxt::Errors;
use crate::shared::header::MacroSpec;
use crate::shared::options::{self, ArgValue, CRATE_OPTION, Form, Meant, OptionSpec, OptionTable};

pub static POOLED: MacroSpec = MacroSpec {
    name: "pooled",
    options: &POOLED_OPTIONS,
    markers: &[],
    usage: "`#[pooled] #[derive(Default)] struct Scratch { buf: Vec<u8> }` with \
            `impl lockwise::Reset for Scratch`",
    on_enum: "goes on a struct, not an enum: pool a struct that holds it, or use a \
              `lockwise::Pool<YourEnum>` by hand",
    on_union: "goes on a struct, not a union. Use a struct",
    on_unit: "needs a struct with fields: a unit struct holds nothing worth reusing",
    expands_unit: true,
    on_derive_above: None,
};

static POOLED_OPTIONS: OptionTable = OptionTable {
    attribute: "pooled",
    noun: "option",
    options: &[
        OptionSpec {
            name: "max_idle",
            form: Form::Value("N"),
        },
        OptionSpec {
            name: "new",
            form: Form::Value("path"),
        },
        CRATE_OPTION,
    ],
    listing: "The options are `max_idle = N` (idle objects kept per thread and shared; \
              default 32), `new = path` (makes objects; default `Default::default`) or \
              `crate = path`",
    positional: None,
    synonyms: &[
        ("maxidle", Meant::Option("max_idle")),
        ("max", Meant::Option("max_idle")),
        ("capacity", Meant::Option("max_idle")),
        ("size", Meant::Option("max_idle")),
        ("limit", Meant::Option("max_idle")),
        ("idle", Meant::Option("max_idle")),
        ("init", Meant::Option("new")),
        ("default", Meant::Option("new")),
        ("constructor", Meant::Option("new")),
        ("with", Meant::Option("new")),
        ("make", Meant::Option("new")),
        ("krate", Meant::Option("crate")),
    ],
};

/// Parses the tokens inside `#[pooled(..)]`.
pub fn parse_args(tokens: proc_macro2::TokenStream, errors: &mut Errors) -> Args {
    let parsed = POOLED.options.parse(tokens, errors);
    let max_idle = match parsed.get("max_idle").map(|arg| &arg.value) {
        Some(ArgValue::Value(value)) => {
            let expected = "`max_idle = N` takes how many idle objects to keep, like \
                            `max_idle = 64`";
            value.parse::<LitInt>(expected, errors).and_then(|literal| {
                match literal.base10_parse::<usize>() {
                    Ok(n) => Some((n, literal.span())),
                    Err(error) => {
                        errors.at_span(literal.span(), format!("{error}: {expected}"));
                        None
                    }
                }
            })
        }
        _ => None,
    };
    let new = match parsed.get("new").map(|arg| &arg.value) {
        Some(ArgValue::Value(value)) => value.parse::<ExprPath>(
            "`new = path` takes the path of a function that makes an object, like \
             `new = Scratch::with_capacity_4k`",
            errors,
        ),
        _ => None,
    };
    Args {
        max_idle,
        new,
        krate: options::crate_path(&parsed, errors),
    }
}
