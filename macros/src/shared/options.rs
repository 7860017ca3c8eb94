//! The arguments of an attribute, `#[guarded(rw, state = Name)]` or `#[lock(mutex)]`, read
//! against a per-attribute [`OptionTable`]. Everything every macro's options have in common
//! is decided here: unknown options (with a suggestion), duplicates, modes that exclude each
//! other, and an option written in the wrong form (`rw = true`, `state` without a value).
//! What an option's value means is left to the macro's own `attr.rs`.
//!
//! Every problem is recorded in [`Errors`] and parsing goes on with the next option, so one
//! build shows every mistake, and a mistake is one error: a misspelt `rwlock` still selects
//! `rw` (as a [guess](Parsed::guesses)), so code calling `rw`'s methods does not fail too.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{LitStr, Path};

use crate::shared::ctxt::Errors;
use crate::shared::suggest;

/// What one attribute accepts.
pub struct OptionTable {
    /// The attribute's name, without `#[..]`: `guarded`, `lock`.
    pub attribute: &'static str,
    /// What messages call one option: "option", "lock mode".
    pub noun: &'static str,
    /// Every option, in the order the listing names them.
    pub options: &'static [OptionSpec],
    /// The sentence that lists them, for messages: "The options are `mutex` (the default), ...".
    pub listing: &'static str,
    /// What a value written without a name means (`#[sharded(16)]`: "shard count"), if the
    /// attribute takes one.
    pub positional: Option<&'static str>,
    /// Words users bring from std, parking_lot or Go, and what they most likely meant.
    pub synonyms: &'static [(&'static str, Meant)],
}

/// One option of an [`OptionTable`].
#[derive(Clone, Copy)]
pub struct OptionSpec {
    pub name: &'static str,
    pub form: Form,
}

/// How an option is written.
#[derive(Clone, Copy)]
pub enum Form {
    /// A bare word, `rw`. Words of one group exclude each other.
    Word(Option<&'static WordGroup>),
    /// `name = value`; the text is how messages show the value: `Name` in `state = Name`.
    Value(&'static str),
    /// A bare word, or the word with arguments; the text shows the long form:
    /// `retry(min_interval_ms = N)`.
    WordOrList(&'static str),
}

/// Words that exclude each other, like a lock's modes.
pub struct WordGroup {
    /// What messages call them: "lock modes".
    pub what: &'static str,
    /// Why only one may be written: "a lock has one mode".
    pub why: &'static str,
}

/// What a user most likely meant by an unknown word.
#[derive(Clone, Copy)]
pub enum Meant {
    /// An option of this attribute.
    Option(&'static str),
    /// Another attribute altogether, as it is written: `#[sharded(N)]`.
    Attribute(&'static str),
}

/// An option as written, matched to its [`OptionSpec`].
#[derive(Clone)]
pub struct Arg {
    /// The option's name from the table.
    pub name: &'static str,
    /// The word as written, for spans.
    pub key: Ident,
    pub value: ArgValue,
    spec: &'static OptionSpec,
}

/// What follows an option's name.
#[derive(Clone)]
pub enum ArgValue {
    /// Nothing: a bare word.
    None,
    /// `= value`.
    Value(Value),
    /// `(..)`: the arguments inside the parentheses.
    List(Group),
}

/// The tokens after `=`, parsed by the macro that knows what they mean.
#[derive(Clone)]
pub struct Value {
    tokens: TokenStream,
    /// The `=`, where an error points when the value is missing.
    eq_span: Span,
}

impl Value {
    /// The value parsed as `T`, or `None` with an error saying what the option expects.
    pub fn parse<T: Parse>(&self, expected: &str, errors: &mut Errors) -> Option<T> {
        self.parse_with(T::parse, expected, errors)
    }

    /// The value parsed by `parser`, or `None` with an error saying what the option expects.
    pub fn parse_with<P: Parser>(
        &self,
        parser: P,
        expected: &str,
        errors: &mut Errors,
    ) -> Option<P::Output> {
        if self.tokens.is_empty() {
            errors.at_span(
                self.eq_span,
                format!("a value is missing after `=`: {expected}"),
            );
            return None;
        }
        match parser.parse2(self.tokens.clone()) {
            Ok(value) => Some(value),
            Err(error) => {
                errors.at_span(error.span(), format!("{error}: {expected}"));
                None
            }
        }
    }
}

impl Value {
    /// The value as one of the words in `choices` (keywords too: `order = type`), or `None`
    /// with an error that lists them and, for a near miss, suggests one. `option` names the
    /// option in the message.
    pub fn word_of(
        &self,
        option: &str,
        choices: &[&'static str],
        errors: &mut Errors,
    ) -> Option<&'static str> {
        let listing = choices
            .iter()
            .map(|choice| format!("`{option} = {choice}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        let word = self.parse_with(syn::Ident::parse_any, &format!("write {listing}"), errors)?;
        let written = word.to_string();
        let written = written.strip_prefix("r#").unwrap_or(&written);
        if let Some(choice) = choices.iter().find(|choice| **choice == written) {
            return Some(choice);
        }
        let hint = suggest::closest(written, choices.iter().copied())
            .map_or_else(String::new, |near| format!("did you mean `{near}`? "));
        errors.at(
            &word,
            format!("unknown value `{written}` for `{option}`: {hint}write {listing}"),
        );
        None
    }
}

impl ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.tokens.to_tokens(tokens);
    }
}

/// `crate = path`, which every macro takes: where lockwise is, for a user who renamed the
/// dependency or reaches it through another crate.
pub const CRATE_OPTION: OptionSpec = OptionSpec {
    name: "crate",
    form: Form::Value("path"),
};

/// The path of `crate = path` (or `crate = "path"`), if written.
pub fn crate_path(parsed: &Parsed, errors: &mut Errors) -> Option<Path> {
    let ArgValue::Value(value) = &parsed.get(CRATE_OPTION.name)?.value else {
        return None;
    };
    let path = |input: ParseStream| {
        if input.peek(LitStr) {
            input.parse::<LitStr>()?.parse::<Path>()
        } else {
            input.call(Path::parse_mod_style)
        }
    };
    value.parse_with(
        path,
        "`crate = path` takes the path lockwise is reachable at, like `crate = ::lockwise`",
        errors,
    )
}

/// Everything read from one attribute.
#[derive(Default)]
pub struct Parsed {
    /// The options written correctly, each once.
    pub args: Vec<Arg>,
    /// Words that were not options but most likely meant one (`rwlock` for `rw`), already
    /// reported. A macro uses a guess only where the user wrote nothing better, so that the
    /// misspelling is the only error.
    pub guesses: Vec<Arg>,
    /// The value written without a name (`#[sharded(16)]`), when the table takes one.
    pub positional: Option<Positional>,
}

/// A value written without a name, where the attribute takes one (`#[sharded(16)]`).
pub enum Positional {
    /// A literal, alone: `16`.
    Literal(syn::Lit),
    /// Anything else that is not an option: `1 << 4`, `N`, `-1`, `consts::N`. What it should
    /// have been is the macro's to say, so the parser reports nothing about it.
    Other(TokenStream),
}

impl Positional {
    fn of(tokens: Vec<TokenTree>) -> Self {
        match tokens.as_slice() {
            [TokenTree::Literal(literal)] => Positional::Literal(syn::Lit::new(literal.clone())),
            _ => Positional::Other(tokens.into_iter().collect()),
        }
    }
}

impl ToTokens for Positional {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Positional::Literal(literal) => literal.to_tokens(tokens),
            Positional::Other(other) => other.to_tokens(tokens),
        }
    }
}

impl Parsed {
    /// The option `name`, if it was written.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|arg| arg.name == name)
    }

    /// The option `name` if it was written, else if a misspelt word most likely meant it.
    pub fn get_or_guess(&self, name: &str) -> Option<&Arg> {
        self.get(name)
            .or_else(|| self.guesses.iter().find(|arg| arg.name == name))
    }

    /// The word of `group` that was written, else the one guessed, if any.
    pub fn word_of(&self, group: &WordGroup) -> Option<&Arg> {
        let in_group = |arg: &&Arg| arg.group().is_some_and(|g| std::ptr::eq(g, group));
        self.args
            .iter()
            .find(in_group)
            .or_else(|| self.guesses.iter().find(in_group))
    }
}

impl Arg {
    fn group(&self) -> Option<&'static WordGroup> {
        match self.spec.form {
            Form::Word(group) => group,
            Form::Value(_) | Form::WordOrList(_) => None,
        }
    }
}

impl OptionTable {
    /// Reads `tokens`, the inside of `#[attribute(..)]`.
    pub fn parse(&'static self, tokens: TokenStream, errors: &mut Errors) -> Parsed {
        let mut parsed = Parsed::default();
        for chunk in split_on_commas(tokens) {
            self.parse_one(chunk, &mut parsed, errors);
        }
        parsed
    }

    fn parse_one(&'static self, chunk: Chunk, parsed: &mut Parsed, errors: &mut Errors) {
        if let Some(meaning) = self.positional {
            if self.is_positional(&chunk.tokens) {
                let positional = Positional::of(chunk.tokens);
                if parsed.positional.is_some() {
                    errors.at(
                        &positional,
                        format!("one {meaning} is enough; remove this one"),
                    );
                } else {
                    parsed.positional = Some(positional);
                }
                return;
            }
        }
        let mut tokens = chunk.tokens.into_iter();
        let key = match tokens.next() {
            None => {
                let span = chunk.comma.unwrap_or_else(Span::call_site);
                errors.at_span(span, "an empty option between two commas; remove one comma");
                return;
            }
            Some(TokenTree::Ident(ident)) => ident,
            Some(TokenTree::Literal(literal)) => {
                let literal = syn::Lit::new(literal);
                self.unknown(&literal.to_token_stream().to_string(), &literal, errors);
                return;
            }
            Some(other) => {
                errors.at(
                    &other,
                    format!("expected an {} here. {}", self.noun, self.listing),
                );
                return;
            }
        };
        let rest: Vec<TokenTree> = tokens.collect();
        let value = match rest.split_first() {
            None => ArgValue::None,
            Some((TokenTree::Punct(eq), value)) if eq.as_char() == '=' => ArgValue::Value(Value {
                tokens: value.iter().cloned().collect(),
                eq_span: eq.span(),
            }),
            Some((TokenTree::Group(group), [])) if group.delimiter() == Delimiter::Parenthesis => {
                ArgValue::List(group.clone())
            }
            Some((first, _)) => {
                // `a::b`, `a b`: not an option of any form.
                let written: TokenStream = std::iter::once(TokenTree::Ident(key.clone()))
                    .chain(rest.iter().cloned())
                    .collect();
                let name = written.to_string().replace(' ', "");
                match self.spec(&key.to_string()) {
                    Some(_) => errors.at(
                        first,
                        format!("expected `,` after `{key}`. {}", self.listing),
                    ),
                    None => self.unknown(&name, &written, errors),
                }
                return;
            }
        };
        let Some(spec) = self.spec(&key.to_string()) else {
            let name = key.to_string();
            self.unknown(&name, &key, errors);
            if let Some(Meant::Option(meant)) = self.suggestion(&name) {
                if let Some(spec) = self.spec(meant) {
                    if matches!(spec.form, Form::Word(_) | Form::WordOrList(_)) {
                        parsed.guesses.push(Arg {
                            name: spec.name,
                            key,
                            value: ArgValue::None,
                            spec,
                        });
                    }
                }
            }
            return;
        };
        let arg = Arg {
            name: spec.name,
            key,
            value,
            spec,
        };
        if self.form_is_right(&arg, spec, errors) {
            self.add(arg, parsed, errors);
        }
    }

    /// Checks that `arg` is written in its option's form. A word given a value still counts
    /// as the word (the value is the one mistake); an option that needs a value and has none
    /// does not count.
    fn form_is_right(&self, arg: &Arg, spec: &OptionSpec, errors: &mut Errors) -> bool {
        let name = spec.name;
        let attribute = self.attribute;
        match (spec.form, &arg.value) {
            (Form::Word(_), ArgValue::None)
            | (Form::Value(_), ArgValue::Value(_))
            | (Form::WordOrList(_), ArgValue::None | ArgValue::List(_)) => true,
            (Form::Word(group), ArgValue::Value(_) | ArgValue::List(_)) => {
                let what = group.map_or("words like this", |g| g.what);
                errors.at(
                    arg.written(),
                    format!(
                        "`{name}` takes no value: {what} are bare words. Write \
                         `#[{attribute}({name})]`"
                    ),
                );
                true
            }
            (Form::Value(placeholder), ArgValue::None | ArgValue::List(_)) => {
                errors.at(
                    arg.written(),
                    format!("`{name}` needs a value: write `{name} = {placeholder}`"),
                );
                false
            }
            (Form::WordOrList(long), ArgValue::Value(_)) => {
                errors.at(
                    arg.written(),
                    format!("`{name}` takes no `= value`: write `{name}` or `{long}`"),
                );
                false
            }
        }
    }

    /// Records `arg`, unless it repeats an option or conflicts with a word of its group.
    fn add(&self, arg: Arg, parsed: &mut Parsed, errors: &mut Errors) {
        let attribute = self.attribute;
        if parsed.get(arg.name).is_some() {
            match &arg.value {
                ArgValue::Value(value) => errors.at(
                    value,
                    format!(
                        "duplicate option `{}` in #[{attribute}]; keep one",
                        arg.name
                    ),
                ),
                ArgValue::None | ArgValue::List(_) => errors.at(
                    &arg.key,
                    format!(
                        "duplicate option `{}` in #[{attribute}]; remove one",
                        arg.name
                    ),
                ),
            }
            return;
        }
        if let Some(group) = arg.group() {
            if let Some(first) = parsed
                .args
                .iter()
                .find(|a| a.group().is_some_and(|g| std::ptr::eq(g, group)))
            {
                errors.at(
                    &arg.key,
                    format!(
                        "conflicting {} `{}` and `{}` in #[{attribute}]: {}; keep one",
                        group.what, first.name, arg.name, group.why
                    ),
                );
                return;
            }
        }
        parsed.args.push(arg);
    }

    /// Whether `tokens` are the value written without a name rather than an option: a
    /// literal (`16`, `1 << 4`), something no option starts with (`-1`, `(16)`), an
    /// expression (`N * 2`, `consts::N`), or a word that is no option and is written like a
    /// constant (`N`, `SHARDS`). A word that resembles an option stays a misspelt option.
    fn is_positional(&'static self, tokens: &[TokenTree]) -> bool {
        let Some((first, rest)) = tokens.split_first() else {
            return false;
        };
        let TokenTree::Ident(word) = first else {
            return true;
        };
        let name = word.to_string();
        let named = match rest.first() {
            Some(TokenTree::Punct(eq)) => eq.as_char() == '=',
            Some(TokenTree::Group(group)) => group.delimiter() == Delimiter::Parenthesis,
            _ => false,
        };
        if named || self.spec(&name).is_some() || self.suggestion(&name).is_some() {
            return false;
        }
        !rest.is_empty() || is_constant_case(&name)
    }

    fn spec(&'static self, name: &str) -> Option<&'static OptionSpec> {
        self.options.iter().find(|spec| spec.name == name)
    }

    fn unknown(&self, name: &str, at: &dyn ToTokens, errors: &mut Errors) {
        let hint = match self.suggestion(name) {
            Some(Meant::Option(option)) => format!("; did you mean `{option}`?"),
            Some(Meant::Attribute(attribute)) => {
                format!("; did you mean the attribute `{attribute}`?")
            }
            None => ".".to_owned(),
        };
        errors.at(
            at,
            format!(
                "unknown {} `{name}` for #[{}]{hint} {}",
                self.noun, self.attribute, self.listing
            ),
        );
    }

    /// What `written` most likely meant: a known synonym first, then an option within two
    /// edits.
    fn suggestion(&self, written: &str) -> Option<Meant> {
        let folded = suggest::fold(written);
        self.options
            .iter()
            .find(|spec| suggest::fold(spec.name) == folded)
            .map(|spec| Meant::Option(spec.name))
            .or_else(|| {
                self.synonyms
                    .iter()
                    .find(|(synonym, _)| *synonym == folded)
                    .map(|&(_, meant)| meant)
            })
            .or_else(|| {
                suggest::closest(written, self.options.iter().map(|spec| spec.name))
                    .map(Meant::Option)
            })
    }
}

impl Arg {
    /// The option as written, name and value, for errors about its form.
    fn written(&self) -> TokenStream {
        let mut tokens = self.key.to_token_stream();
        match &self.value {
            ArgValue::None => {}
            ArgValue::Value(value) => {
                tokens.extend(quote::quote!(=));
                value.to_tokens(&mut tokens);
            }
            ArgValue::List(group) => group.to_tokens(&mut tokens),
        }
        tokens
    }
}

/// `N`, `SHARDS`, `MAX_2`: how Rust spells a constant.
fn is_constant_case(word: &str) -> bool {
    let word = word.strip_prefix("r#").unwrap_or(word);
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The tokens of one option, and the comma before it (where an empty option is reported).
struct Chunk {
    tokens: Vec<TokenTree>,
    comma: Option<Span>,
}

/// Splits at the top-level commas; commas inside `(..)` belong to a group. A trailing comma
/// is fine.
fn split_on_commas(tokens: TokenStream) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current = Chunk {
        tokens: Vec::new(),
        comma: None,
    };
    for token in tokens {
        match token {
            TokenTree::Punct(punct) if punct.as_char() == ',' => {
                let next = Chunk {
                    tokens: Vec::new(),
                    comma: Some(punct.span()),
                };
                chunks.push(std::mem::replace(&mut current, next));
            }
            other => current.tokens.push(other),
        }
    }
    if !current.tokens.is_empty() {
        chunks.push(current);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    static TABLE: OptionTable = OptionTable {
        attribute: "striped",
        noun: "option",
        options: &[
            OptionSpec {
                name: "rw",
                form: Form::Word(None),
            },
            OptionSpec {
                name: "key",
                form: Form::Value("Type"),
            },
        ],
        listing: "The options are the count, `rw` or `key = Type`",
        positional: Some("count"),
        synonyms: &[("rwlock", Meant::Option("rw"))],
    };

    fn parse(tokens: TokenStream) -> (Parsed, usize) {
        let mut errors = Errors::default();
        let parsed = TABLE.parse(tokens, &mut errors);
        (parsed, errors.count())
    }

    fn written(parsed: &Parsed) -> Option<String> {
        parsed
            .positional
            .as_ref()
            .map(|p| p.to_token_stream().to_string())
    }

    #[test]
    fn a_value_without_a_name_is_the_positional_one_without_an_error() {
        for tokens in [
            quote!(16),
            quote!(1 << 4),
            quote!(-1),
            quote!(N),
            quote!(SHARDS_2),
            quote!(consts::N),
            quote!(N * 2),
            quote!((16)),
        ] {
            let text = tokens.to_string();
            let (parsed, errors) = parse(quote!(#tokens, rw));
            assert_eq!(written(&parsed), Some(text), "{tokens}");
            assert_eq!(errors, 0, "{tokens}");
            assert!(parsed.get("rw").is_some(), "{tokens}");
        }
    }

    #[test]
    fn a_value_from_a_list_of_words_takes_keywords_and_suggests_near_misses() {
        let word = |tokens: TokenStream| {
            let (parsed, _) = parse(tokens);
            let Some(ArgValue::Value(value)) = parsed.get("key").map(|arg| &arg.value) else {
                panic!("a value");
            };
            let mut errors = Errors::default();
            let word = value.word_of("key", &["type", "instance"], &mut errors);
            (word, errors.count())
        };
        assert_eq!(word(quote!(key = type)), (Some("type"), 0));
        assert_eq!(word(quote!(key = instance)), (Some("instance"), 0));
        assert_eq!(word(quote!(key = instnce)), (None, 1));
        assert_eq!(word(quote!(key = "instance")), (None, 1));
    }

    #[test]
    fn words_that_resemble_options_stay_options() {
        // Misspelt or shouted options are reported as options (with a suggestion), not
        // taken for a constant.
        for tokens in [quote!(RW), quote!(rwlock), quote!(kye = u8), quote!(other)] {
            let (parsed, errors) = parse(tokens.clone());
            assert!(parsed.positional.is_none(), "{tokens}");
            assert_eq!(errors, 1, "{tokens}");
        }
        let (parsed, _) = parse(quote!(RW));
        assert!(parsed.get_or_guess("rw").is_some());
    }

    #[test]
    fn a_second_positional_value_is_one_error() {
        let (parsed, errors) = parse(quote!(16, N));
        assert_eq!(written(&parsed).as_deref(), Some("16"));
        assert_eq!(errors, 1);
    }

    #[test]
    fn constant_case_is_upper_case_digits_and_underscores() {
        assert!(is_constant_case("N"));
        assert!(is_constant_case("MAX_2"));
        assert!(is_constant_case("r#N"));
        assert!(!is_constant_case("n"));
        assert!(!is_constant_case("Sessions"));
        assert!(!is_constant_case("_N"));
    }
}
