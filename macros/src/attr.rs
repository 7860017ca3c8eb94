//! Parsing of the attribute arguments: `#[guarded(..)]` on the struct and
//! `#[lock(..)]` / `#[unguarded]` on its fields. Every problem is recorded in [`Errors`]
//! and parsing goes on with a best guess, so one build shows every mistake.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Attribute, Ident, LitStr, Path, Token};

use crate::ctxt::Errors;

/// The lock behind a whole struct or behind one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeKind {
    Mutex,
    Rw,
    ReadMostly,
}

impl ModeKind {
    pub const ALL: [ModeKind; 3] = [ModeKind::Mutex, ModeKind::Rw, ModeKind::ReadMostly];

    /// The word that selects the mode in `#[guarded(..)]` and `#[lock(..)]`.
    pub fn word(self) -> &'static str {
        match self {
            ModeKind::Mutex => "mutex",
            ModeKind::Rw => "rw",
            ModeKind::ReadMostly => "read_mostly",
        }
    }

    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|mode| mode.word() == word)
    }
}

/// A mode as the user wrote it, with the span of the word for error messages.
#[derive(Clone, Copy, Debug)]
pub struct ModeWord {
    pub kind: ModeKind,
    pub span: Span,
}

/// The arguments of `#[guarded(..)]`.
#[derive(Default)]
pub struct Args {
    /// `mutex`, `rw` or `read_mostly`; `None` when not written (mutex, or per-field locks).
    pub mode: Option<ModeWord>,
    /// `state = Name`: the name of the generated state struct.
    pub state: Option<Ident>,
    /// `crate = path`: where lockwise is, for users who renamed the dependency.
    pub krate: Option<Path>,
}

const STRUCT_OPTIONS: &str =
    "`mutex` (the default), `rw`, `read_mostly`, `state = Name` or `crate = path`";
const MODE_OPTIONS: &str = "`mutex`, `rw` or `read_mostly`";

/// Parses the tokens inside `#[guarded(..)]`.
pub fn parse_args(tokens: TokenStream, errors: &mut Errors) -> Args {
    let mut args = Args::default();
    // A misspelt mode still selects the mode it most likely meant, so that code calling
    // that mode's methods does not fail too.
    let mut guessed_mode = None;
    let parser = syn::meta::parser(|meta| {
        if let Some(word) = mode_word(&meta) {
            set_mode(&mut args.mode, word, "#[guarded]", errors);
        } else if meta.path.is_ident("state") {
            match meta.value().and_then(|value| value.parse::<Ident>()) {
                Ok(name) => set_once(&mut args.state, name, "state", errors),
                Err(error) => recover(&meta, error, "`state = Name` takes a struct name", errors)?,
            }
        } else if meta.path.is_ident("crate") {
            match meta.value().and_then(|value| {
                if value.peek(LitStr) {
                    value.parse::<LitStr>()?.parse::<Path>()
                } else {
                    value.call(Path::parse_mod_style)
                }
            }) {
                Ok(path) => set_once(&mut args.krate, path, "crate", errors),
                Err(error) => recover(
                    &meta,
                    error,
                    "`crate = path` takes the path lockwise is reachable at, like `crate = ::lockwise`",
                    errors,
                )?,
            }
        } else {
            let name = path_text(&meta.path);
            let suggested = suggestion(&name);
            if let Some(kind) = suggested.and_then(ModeKind::from_word) {
                guessed_mode.get_or_insert(ModeWord {
                    kind,
                    span: meta.path.segments[0].ident.span(),
                });
            }
            let hint = suggested.map_or_else(|| ".".into(), |s| format!("; did you mean `{s}`?"));
            errors.at(
                &meta.path,
                format!(
                    "unknown option `{name}` for #[guarded]{hint} The options are {STRUCT_OPTIONS}"
                ),
            );
            skip_value(&meta)?;
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(tokens) {
        errors.push(error);
    }
    args.mode = args.mode.or(guessed_mode);
    args
}

/// How one field of a struct with per-field locks is shared.
#[derive(Clone, Copy, Debug)]
pub enum FieldAccess {
    /// `#[lock(mode)]`: the field has its own lock.
    Lock(ModeWord),
    /// `#[unguarded]`: the field is shared as it is (it must be `Sync` on its own).
    Unguarded(Span),
}

/// Whether `attr` is one of the field attributes this macro consumes.
pub fn is_field_marker(attr: &Attribute) -> bool {
    attr.path().is_ident("lock") || attr.path().is_ident("unguarded")
}

/// Reads `#[lock(..)]` / `#[unguarded]` from a field's attributes.
pub fn parse_field_access(attrs: &[Attribute], errors: &mut Errors) -> Option<FieldAccess> {
    let mut access: Option<FieldAccess> = None;
    for attr in attrs.iter().filter(|a| is_field_marker(a)) {
        let parsed = parse_marker(attr, errors);
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

fn parse_marker(attr: &Attribute, errors: &mut Errors) -> FieldAccess {
    if attr.path().is_ident("unguarded") {
        if attr.meta.require_path_only().is_err() {
            errors.at(
                attr,
                "#[unguarded] takes no arguments: write `#[unguarded]`",
            );
        }
        return FieldAccess::Unguarded(span_of(attr));
    }
    // After an error the field still counts as locked (with a guess at the mode), so
    // that the mistake does not also surface as "field has no lock".
    let mut guess = ModeWord {
        kind: ModeKind::Mutex,
        span: span_of(attr),
    };
    if attr.meta.require_list().is_err() {
        errors.at(
            attr,
            format!("#[lock] needs a mode: write #[lock(mode)] with mode one of {MODE_OPTIONS}"),
        );
        return FieldAccess::Lock(guess);
    }
    let mut mode = None;
    let mut reported = false;
    let parsed = attr.parse_nested_meta(|meta| {
        match mode_word(&meta) {
            Some(word) => set_mode(&mut mode, word, "#[lock]", errors),
            None => {
                let name = path_text(&meta.path);
                let suggested = suggestion(&name).and_then(ModeKind::from_word);
                if let Some(kind) = suggested {
                    guess.kind = kind;
                }
                let hint = suggested.map_or_else(
                    || ".".into(),
                    |kind| format!("; did you mean `{}`?", kind.word()),
                );
                errors.at(
                    &meta.path,
                    format!("unknown lock mode `{name}`{hint} The modes are {MODE_OPTIONS}"),
                );
                reported = true;
                skip_value(&meta)?;
            }
        }
        Ok(())
    });
    if let Err(error) = parsed {
        errors.push(error);
        reported = true;
    }
    if mode.is_none() && !reported {
        errors.at(
            attr,
            format!("#[lock()] needs a mode: one of {MODE_OPTIONS}"),
        );
    }
    FieldAccess::Lock(mode.unwrap_or(guess))
}

/// Whether the attributes contain `#[derive(.., Name, ..)]`.
pub fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .filter_map(|attr| {
            attr.parse_args_with(syn::punctuated::Punctuated::<Path, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .any(|path| path.segments.last().is_some_and(|s| s.ident == name))
}

fn mode_word(meta: &ParseNestedMeta) -> Option<ModeWord> {
    let ident = meta.path.get_ident()?;
    let kind = ModeKind::from_word(&ident.to_string())?;
    Some(ModeWord {
        kind,
        span: ident.span(),
    })
}

fn set_mode(slot: &mut Option<ModeWord>, word: ModeWord, attr: &str, errors: &mut Errors) {
    match slot {
        None => *slot = Some(word),
        Some(first) if first.kind == word.kind => errors.push(syn::Error::new(
            word.span,
            format!(
                "duplicate option `{}` in {attr}; remove one",
                word.kind.word()
            ),
        )),
        Some(first) => errors.push(syn::Error::new(
            word.span,
            format!(
                "conflicting lock modes `{}` and `{}` in {attr}: a lock has one mode; keep one",
                first.kind.word(),
                word.kind.word()
            ),
        )),
    }
}

fn set_once<T: quote::ToTokens>(slot: &mut Option<T>, value: T, name: &str, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(
            &value,
            format!("duplicate option `{name}` in #[guarded]; keep one"),
        );
    } else {
        *slot = Some(value);
    }
}

/// Records a malformed option value, with what the option expects, and skips to the next
/// option, so that the options after it still count.
fn recover(
    meta: &ParseNestedMeta,
    error: syn::Error,
    expected: &str,
    errors: &mut Errors,
) -> syn::Result<()> {
    errors.push(syn::Error::new(
        error.span(),
        format!("{error}: {expected}"),
    ));
    while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        meta.input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// Skips `= value` or `(..)` after an unknown option, so parsing can go on with the next.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    let input = meta.input;
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        while !input.is_empty() && !input.peek(Token![,]) {
            input.parse::<proc_macro2::TokenTree>()?;
        }
    } else if input.peek(syn::token::Paren) {
        input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

fn path_text(path: &Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}

fn span_of(attr: &Attribute) -> Span {
    attr.path()
        .segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span())
}

/// The option a user most likely meant: names from std/parking_lot/Go first, then typos.
fn suggestion(written: &str) -> Option<&'static str> {
    let lower = written.to_ascii_lowercase().replace(['_', '-'], "");
    let synonym = match lower.as_str() {
        "lock" | "exclusive" | "mtx" => Some("mutex"),
        "rwlock" | "rwmutex" | "readwrite" | "shared" | "rwl" => Some("rw"),
        "rcu" | "arcswap" | "readonly" | "readmostly" | "syncmap" | "cow" | "copyonwrite" => {
            Some("read_mostly")
        }
        "statename" | "name" => Some("state"),
        "krate" | "cratepath" | "path" => Some("crate"),
        _ => None,
    };
    synonym.or_else(|| {
        ["mutex", "rw", "read_mostly", "state", "crate"]
            .into_iter()
            .map(|option| (edit_distance(written, option), option))
            .filter(|&(distance, option)| distance <= 2 && distance < option.len())
            .min()
            .map(|(_, option)| option)
    })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_cover_synonyms_and_typos() {
        assert_eq!(suggestion("RwLock"), Some("rw"));
        assert_eq!(suggestion("rwlock"), Some("rw"));
        assert_eq!(suggestion("mutx"), Some("mutex"));
        assert_eq!(suggestion("read_mosty"), Some("read_mostly"));
        assert_eq!(suggestion("rcu"), Some("read_mostly"));
        assert_eq!(suggestion("sharded"), None);
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("rw", "rw"), 0);
        assert_eq!(edit_distance("mutx", "mutex"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
