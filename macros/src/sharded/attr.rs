//! `#[sharded(N, ..)]`'s arguments, parsed into `ast::Args`: the shard count (repaired to
//! the nearest valid one when wrong), the lock mode, `shard = Name`, `key = Type` and
//! `crate = path`.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Ident, LitInt, Type};

use crate::sharded::ast::{Args, ShardMode};
use crate::shared::ctxt::Errors;
use crate::shared::header::MacroSpec;
use crate::shared::options::{
    self, ArgValue, CRATE_OPTION, Form, Meant, OptionSpec, OptionTable, Parsed, Positional,
    WordGroup,
};

pub static SHARDED: MacroSpec = MacroSpec {
    name: "sharded",
    options: &SHARDED_OPTIONS,
    markers: &[],
    usage: "`#[sharded(16)] struct Sessions { map: HashMap<SessionId, Session> }`",
    on_enum: "goes on a struct, not an enum: the struct is one shard's state. Put the enum in \
              a field of it",
    on_union: "goes on a struct, not a union. Use a struct",
    on_unit: "needs a struct with fields: the struct is one shard's state, usually one map \
              field (`map: HashMap<K, V>`)",
    expands_unit: false,
    on_derive_above: Some(
        "where they apply to each shard's state (the wrapper has `Debug` and `Default` when \
         the shard state has them)",
    ),
};

static MODES: WordGroup = WordGroup {
    what: "lock modes",
    why: "every shard has the same lock",
};

static SHARDED_OPTIONS: OptionTable = OptionTable {
    attribute: "sharded",
    noun: "option",
    options: &[
        OptionSpec {
            name: "rw",
            form: Form::Word(Some(&MODES)),
        },
        OptionSpec {
            name: "mutex",
            form: Form::Word(Some(&MODES)),
        },
        OptionSpec {
            name: "shard",
            form: Form::Value("Name"),
        },
        OptionSpec {
            name: "key",
            form: Form::Value("Type"),
        },
        CRATE_OPTION,
    ],
    listing: "The options are the shard count (a power of two from 1 to 1024, first), `rw` \
              (the default) or `mutex`, `shard = Name`, `key = Type` or `crate = path`",
    positional: Some("shard count"),
    synonyms: &[
        ("rwlock", Meant::Option("rw")),
        ("rwmutex", Meant::Option("rw")),
        ("lock", Meant::Option("mutex")),
        ("exclusive", Meant::Option("mutex")),
        ("readmostly", Meant::Attribute("#[guarded(read_mostly)]")),
        ("rcu", Meant::Attribute("#[guarded(read_mostly)]")),
        ("shards", Meant::Option("shard")),
        ("shardname", Meant::Option("shard")),
        ("state", Meant::Option("shard")),
        ("keytype", Meant::Option("key")),
        ("hasher", Meant::Option("key")),
        ("krate", Meant::Option("crate")),
    ],
};

/// The largest shard count: more locks than this cost memory and whole-map operations
/// without spreading contention further on any machine lockwise targets.
pub const MAX_SHARDS: u64 = 1024;

/// Parses the tokens inside `#[sharded(..)]`.
pub fn parse_args(tokens: proc_macro2::TokenStream, errors: &mut Errors) -> Args {
    let parsed = SHARDED.options.parse(tokens, errors);
    let shard = match parsed.get("shard").map(|arg| &arg.value) {
        Some(ArgValue::Value(value)) => {
            value.parse::<Ident>("`shard = Name` takes a struct name", errors)
        }
        _ => None,
    };
    let key = match parsed.get("key").map(|arg| &arg.value) {
        Some(ArgValue::Value(value)) => value.parse::<Type>(
            "`key = Type` takes the key type, like `key = UserId`",
            errors,
        ),
        _ => None,
    };
    Args {
        shards: shard_count(&parsed, errors),
        mode: match parsed.word_of(&MODES).map(|arg| arg.name) {
            Some("mutex") => ShardMode::Mutex,
            _ => ShardMode::Rw,
        },
        shard,
        key,
        krate: options::crate_path(&parsed, errors),
    }
}

/// The shard count: a power of two from 1 to [`MAX_SHARDS`], written as an integer literal.
/// A missing or wrong one is one error at the count, and the nearest valid count (or 16)
/// stands in for it, so that the struct is still emitted and its uses compile.
fn shard_count(parsed: &Parsed, errors: &mut Errors) -> u64 {
    const FORM: &str = "a power of two from 1 to 1024, like `#[sharded(16)]` (16 shards suit \
                        most servers; more than twice the number of cores rarely helps)";
    const STAND_IN: u64 = 16;
    let literal = match &parsed.positional {
        None => {
            errors.at_span(
                Span::call_site(),
                format!("#[sharded] needs the number of shards: {FORM}"),
            );
            return STAND_IN;
        }
        Some(Positional::Literal(syn::Lit::Int(literal))) => literal,
        Some(Positional::Literal(other)) => {
            errors.at(other, format!("the shard count is a number: {FORM}"));
            return STAND_IN;
        }
        Some(Positional::Other(written)) => {
            return match negative(written) {
                Some(literal) => {
                    let problem = format!("-{literal} shards cannot hold a key");
                    report(written, &problem, 1, FORM, errors);
                    1
                }
                None => {
                    errors.at(
                        written,
                        "the shard count must be an integer literal, a power of two from 1 to \
                         1024, like `#[sharded(16)]`: the macro checks it before the code \
                         exists, so a const or an expression cannot be used",
                    );
                    STAND_IN
                }
            };
        }
    };
    let count = match literal.base10_parse::<u64>() {
        Ok(count) => count,
        Err(error) => {
            errors.at(literal, format!("{error}: the shard count is {FORM}"));
            return STAND_IN;
        }
    };
    let problem = if count == 0 {
        Some("0 shards cannot hold a key".to_owned())
    } else if count > MAX_SHARDS {
        Some(format!(
            "{count} shards is more than the 1024 lockwise allows"
        ))
    } else if !count.is_power_of_two() {
        Some(format!(
            "{count} is not a power of two (the shard is picked by masking bits of the key's hash)"
        ))
    } else {
        None
    };
    match problem {
        None => count,
        Some(problem) => {
            let nearest = nearest_valid(count);
            report(literal, &problem, nearest, FORM, errors);
            nearest
        }
    }
}

/// The integer literal of `-N`, if that is what `written` is.
fn negative(written: &TokenStream) -> Option<LitInt> {
    let mut tokens = written.clone().into_iter();
    match (tokens.next(), tokens.next(), tokens.next()) {
        (Some(TokenTree::Punct(minus)), Some(TokenTree::Literal(literal)), None)
            if minus.as_char() == '-' =>
        {
            match syn::Lit::new(literal) {
                syn::Lit::Int(literal) => Some(literal),
                _ => None,
            }
        }
        _ => None,
    }
}

fn report(written: &dyn ToTokens, problem: &str, nearest: u64, form: &str, errors: &mut Errors) {
    errors.at(
        written,
        format!("{problem}: the shard count is {form}; `{nearest}` is the nearest"),
    );
}

/// The power of two in `1..=MAX_SHARDS` nearest to `count` (the larger on a tie).
fn nearest_valid(count: u64) -> u64 {
    if count == 0 {
        return 1;
    }
    if count >= MAX_SHARDS {
        return MAX_SHARDS;
    }
    let above = count.next_power_of_two();
    let below = above / 2;
    if count - below < above - count {
        below
    } else {
        above
    }
}

#[cfg(test)]
mod tests {
    use super::nearest_valid;

    #[test]
    fn the_nearest_valid_count_is_a_power_of_two_in_range() {
        assert_eq!(nearest_valid(0), 1);
        assert_eq!(nearest_valid(3), 4);
        assert_eq!(nearest_valid(5), 4);
        assert_eq!(nearest_valid(6), 8);
        assert_eq!(nearest_valid(100), 128);
        assert_eq!(nearest_valid(4096), 1024);
    }
}
