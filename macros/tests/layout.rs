//! The macro crate's layout, checked (issue 20): every macro folder has the same skeleton
//! and is in the table of macros, data flows one way through a macro's stages (no file but
//! the macro's `mod.rs` imports its parse stage, `attr`), `shared/` names no macro, and no
//! function shares its name with a sibling module. Plain text scanning of `src/`, comments
//! left out, so a broken rule fails here with its name instead of surviving as an arrow in
//! the import graph.

use std::fs;
use std::path::{Path, PathBuf};

/// The files every macro folder has, one per stage.
const SKELETON: [&str; 5] = ["mod.rs", "attr.rs", "ast.rs", "valid.rs", "expand/mod.rs"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The macro folders: every folder of `src/` but `shared/`.
fn macro_folders() -> Vec<String> {
    let mut folders: Vec<String> = fs::read_dir(src())
        .expect("src/ exists")
        .map(|entry| entry.expect("src/ is readable").path())
        .filter(|path| path.is_dir())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "shared")
        .collect();
    folders.sort();
    folders
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("the folder exists") {
        let path = entry.expect("the folder is readable").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// `path` relative to `src/`, for messages.
fn shown(path: &Path) -> String {
    let relative = path.strip_prefix(src()).unwrap_or(path);
    format!("src/{}", relative.display())
}

/// The file's code: each line up to its `//` (docs and comments may name anything).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| line.find("//").map_or(line, |at| &line[..at]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The 1-based lines where `segment` is used as a path segment: a whole identifier next to
/// `::` (`crate::guarded::attr::Args`, `attr::parse_args`), or inside a `use` statement
/// (`use crate::guarded::{ast, attr};`).
fn path_uses(code: &str, segment: &str) -> Vec<usize> {
    let in_use = use_statements(code);
    let mut lines = Vec::new();
    for (at, _) in code.match_indices(segment) {
        let before = &code[..at];
        let after = &code[at + segment.len()..];
        let whole = !before.chars().next_back().is_some_and(is_ident_char)
            && !after.chars().next().is_some_and(is_ident_char);
        let beside_path = before.trim_end().ends_with("::") || after.trim_start().starts_with("::");
        let imported = in_use.iter().any(|range| range.contains(&at));
        if whole && (beside_path || imported) {
            lines.push(before.matches('\n').count() + 1);
        }
    }
    lines.dedup();
    lines
}

/// The byte ranges of the `use` statements in `code`: from a line that starts with `use`
/// (or `pub use`, `pub(crate) use`) to its `;`.
fn use_statements(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut line_start = 0;
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let statement = trimmed
            .strip_prefix("pub")
            .map(|rest| match rest.strip_prefix('(') {
                Some(restricted) => restricted.split_once(')').map_or("", |(_, rest)| rest),
                None => rest,
            })
            .unwrap_or(trimmed);
        if statement.trim_start().starts_with("use ") {
            let start = line_start + (line.len() - trimmed.len());
            if let Some(end) = code[start..].find(';') {
                ranges.push(start..start + end);
            }
        }
        line_start += line.len();
    }
    ranges
}

/// The string literals in `code` that are exactly one of `words`, by line.
fn string_literals(code: &str, words: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for word in words {
        let literal = format!("\"{word}\"");
        for (at, _) in code.match_indices(&literal) {
            found.push((code[..at].matches('\n').count() + 1, word.clone()));
        }
    }
    found
}

/// The rule broken by each file of a macro folder, other than `mod.rs` and `attr.rs`
/// itself, that imports the parse stage: the model, the rules and the generation read
/// only the model (`ast.rs`), which `attr.rs` produces.
fn attr_imports(files: &[(String, String)]) -> Vec<String> {
    let mut broken = Vec::new();
    for (name, text) in files {
        for line in path_uses(&code(text), "attr") {
            broken.push(format!(
                "{name}:{line} imports the parse stage (`attr`): only the macro's mod.rs \
                 does; decide the fact in the model (ast.rs) and read it from there"
            ));
        }
    }
    broken
}

/// The rule broken by each file of `shared/` that names a macro: by path (`crate::guarded`,
/// `super::super::sharded`, `use crate::{pooled, ..}`) or by a string literal outside its
/// tests (a list of macro names belongs in lib.rs's table).
fn macro_names_in_shared(files: &[(String, String)], macros: &[String]) -> Vec<String> {
    let mut broken = Vec::new();
    for (name, text) in files {
        let code = code(text);
        for macro_name in macros {
            for line in path_uses(&code, macro_name) {
                broken.push(format!(
                    "{name}:{line} names the macro folder `{macro_name}`: shared/ knows no \
                     macro; take what it needs through MacroSpec, the Macro trait or the table \
                     of macros in lib.rs"
                ));
            }
        }
        let before_tests = code.split("#[cfg(test)]").next().unwrap_or_default();
        for (line, macro_name) in string_literals(before_tests, macros) {
            broken.push(format!(
                "{name}:{line} names the macro `{macro_name}` in a string: shared/ knows no \
                 macro; the names are in lib.rs's table of macros"
            ));
        }
    }
    broken
}

/// The rule broken by each file that declares `mod name;` beside a `fn name`: a reader (or
/// a tool) cannot tell `expand::expand` from `expand(..)`. A proc-macro entry point is the
/// exception: it is named after its attribute, and so is its macro's folder.
fn functions_named_like_modules(files: &[(String, String)]) -> Vec<String> {
    let mut broken = Vec::new();
    for (name, text) in files {
        let code = code(text);
        let modules = code.lines().filter_map(|line| {
            let line = line.trim().strip_prefix("pub ").unwrap_or(line.trim());
            line.strip_prefix("mod ")?.strip_suffix(';')
        });
        for module in modules {
            let function = format!("fn {module}");
            let shares = code.match_indices(&function).any(|(at, _)| {
                let whole = !code[at + function.len()..]
                    .chars()
                    .next()
                    .is_some_and(is_ident_char);
                let entry_point = code[..at]
                    .lines()
                    .rev()
                    .map(str::trim)
                    .find(|line| !line.is_empty() && *line != "pub")
                    .is_some_and(|line| line.starts_with("#[proc_macro"));
                whole && !entry_point
            });
            if shares {
                broken.push(format!(
                    "{name} declares both `mod {module}` and `fn {module}`: rename the function"
                ));
            }
        }
    }
    broken
}

/// Every file under `dir`, as `(src/.. path, text)`.
fn read_all(dir: &Path) -> Vec<(String, String)> {
    rust_files(dir)
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).expect("a source file is readable");
            (shown(&path), text)
        })
        .collect()
}

fn assert_none_broken(broken: Vec<String>) {
    assert!(broken.is_empty(), "\n{}\n", broken.join("\n"));
}

#[test]
fn every_macro_folder_has_the_skeleton_and_a_row_in_the_table() {
    let macros = macro_folders();
    assert!(!macros.is_empty(), "src/ has macro folders");
    let lib = code(&fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs exists"));
    let table = lib
        .split_once("static MACROS")
        .and_then(|(_, rest)| rest.split_once("]);"))
        .map_or("", |(table, _)| table);
    let mut broken = Vec::new();
    for name in &macros {
        let folder = src().join(name);
        for file in SKELETON {
            if !folder.join(file).is_file() {
                broken.push(format!(
                    "src/{name}/{file} is missing: every macro folder has {SKELETON:?}"
                ));
            }
        }
        let module = fs::read_to_string(folder.join("mod.rs")).unwrap_or_default();
        if !code(&module).contains("impl Macro for") {
            broken.push(format!(
                "src/{name}/mod.rs has no `impl Macro for ..`: the driver runs that"
            ));
        }
        let row = name.to_uppercase();
        if !lib.contains(&format!(
            "const {row}: Registered = Registered::of::<{name}::"
        )) {
            broken.push(format!(
                "src/lib.rs has no row `const {row}: Registered = Registered::of::<{name}::..>()`"
            ));
        }
        if !table
            .split(|c: char| !is_ident_char(c))
            .any(|word| word == row)
        {
            broken.push(format!(
                "src/lib.rs lists no `{row}` in `static MACROS`, the table of macros"
            ));
        }
    }
    assert_none_broken(broken);
}

#[test]
fn only_a_macros_mod_rs_imports_its_parse_stage() {
    let mut broken = Vec::new();
    for name in macro_folders() {
        let files: Vec<(String, String)> = read_all(&src().join(&name))
            .into_iter()
            .filter(|(path, _)| {
                path != &format!("src/{name}/mod.rs") && path != &format!("src/{name}/attr.rs")
            })
            .collect();
        broken.extend(attr_imports(&files));
    }
    assert_none_broken(broken);
}

#[test]
fn shared_names_no_macro() {
    let files = read_all(&src().join("shared"));
    assert!(!files.is_empty(), "src/shared/ has files");
    assert_none_broken(macro_names_in_shared(&files, &macro_folders()));
}

#[test]
fn no_function_shares_its_name_with_a_sibling_module() {
    assert_none_broken(functions_named_like_modules(&read_all(&src())));
}

// The scanner itself, on violations written out: each rule above must be able to fail.

fn file(text: &str) -> Vec<(String, String)> {
    vec![("src/m/x.rs".to_owned(), text.to_owned())]
}

#[test]
fn the_scanner_finds_an_attr_import_in_every_form() {
    let macros = ["guarded".to_owned()];
    for text in [
        "use crate::guarded::attr::ModeKind;",
        "use crate::guarded::{ast, attr};",
        "use crate::guarded::{\n    ast::Model,\n    attr::ModeKind,\n};",
        "use super::attr;",
        "pub(crate) use super::super::attr::Args;",
        "fn f() { let m = crate::guarded::attr::ModeKind::Rw; }",
        "fn f() { attr::parse_args(tokens, errors) }",
    ] {
        assert_eq!(attr_imports(&file(text)).len(), 1, "missed in {text:?}");
    }
    for text in [
        "// use crate::guarded::attr;",
        "/// reads nothing of [`attr`] but `attr::X` in a doc",
        "fn f(attr: &syn::Attribute) -> bool { attr.path().is_ident(\"cfg\") }",
        "use syn::{Attribute, Meta};",
        "let attrs = field.attrs.iter();",
    ] {
        assert!(
            attr_imports(&file(text)).is_empty(),
            "false alarm in {text:?}"
        );
    }
    for text in [
        "use crate::guarded::ast::Model;",
        "use crate::{guarded, shared};",
        "fn f() { super::super::guarded::expand(a, b) }",
        "const NAMES: [&str; 1] = [\"guarded\"];",
    ] {
        assert_eq!(
            macro_names_in_shared(&file(text), &macros).len(),
            1,
            "missed in {text:?}"
        );
    }
    for text in [
        "//! Nothing here knows `#[guarded]` or `crate::guarded`.",
        "let guarded_by = 1;",
        "#[cfg(test)]\nmod tests { const WORD: &str = \"guarded\"; }",
    ] {
        assert!(
            macro_names_in_shared(&file(text), &macros).is_empty(),
            "false alarm in {text:?}"
        );
    }
    assert_eq!(
        functions_named_like_modules(&file("mod expand;\npub fn expand() {}")).len(),
        1
    );
    assert!(functions_named_like_modules(&file("mod expand;\npub fn expanded() {}")).is_empty());
    let entry_point = "mod guarded;\n/// Docs.\n#[proc_macro_attribute]\npub fn guarded() {}";
    assert!(functions_named_like_modules(&file(entry_point)).is_empty());
}
