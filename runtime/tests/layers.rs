//! The runtime's layers, checked by reading its source: which module may import which.
//!
//! ```text
//! layer 0   vocabulary, sync, *_gate        import nothing of the crate
//! sinks     profile                         layer 0
//!           order                           layer 0, profile
//! shapes    guarded                         layer 0, the sinks
//!           once_init, pooled, fan_out      layer 0, the sinks
//!           sharded                         layer 0, the sinks, guarded (its core and modes)
//! page      misuse                          anything: it only shows the shapes' traits;
//!                                           nothing imports it
//! ```
//!
//! Inside `guarded/`: `core/` imports nothing of `guarded/` outside `core/`, and its files
//! form a ladder (a file imports only files above it in [`CORE_LADDER`]; so `condition/`
//! never imports `fair.rs`, which wakes its waiters); a mode (`mode/<name>`) imports the
//! core and nothing of another mode or of `Guarded`. And nowhere in `runtime/src` do the
//! imports between files form a cycle.
//!
//! An import is any path the code names: a `use` (re-exports included) or a
//! `crate::`/`super::`/`self::` path in an expression or a type, resolved through
//! re-exports to the file that defines the item. Comments (doc links included), string
//! literals and test code (modules declared under `#[cfg(..test..)]`, inline or in a file of
//! their own) are not read. std only, on purpose: this must run where the crate builds.
//! Not under Miri, which isolates the file system (and looks for undefined behaviour, of
//! which text has none).
#![cfg(not(miri))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What each top-level module may import (besides itself); `None`: anything.
const LAYERS: &[(&str, Option<&[&str]>)] = &[
    ("vocabulary", Some(&[])),
    ("sync", Some(&[])),
    ("serde_gate", Some(&[])),
    ("profile", Some(&["vocabulary", "sync"])),
    ("order", Some(&["vocabulary", "sync", "profile"])),
    ("guarded", Some(&["vocabulary", "sync", "profile", "order"])),
    (
        "once_init",
        Some(&["vocabulary", "sync", "profile", "order"]),
    ),
    ("pooled", Some(&["vocabulary", "sync", "profile", "order"])),
    ("fan_out", Some(&["vocabulary", "sync", "profile", "order"])),
    (
        "sharded",
        Some(&["vocabulary", "sync", "profile", "order", "guarded"]),
    ),
    ("misuse", None),
];

/// The files of `guarded/core/`, top to bottom: each imports only files above it.
const CORE_LADDER: &[&str] = &[
    "waiters",
    "condition",
    "fair",
    "when",
    "mode",
    "guard",
    "erased",
    "mapped",
];

/// Crates the runtime names by their own name (paths that start with one are not ours).
const EXTERNAL: &[&str] = &[
    "std",
    "core",
    "alloc",
    "parking_lot",
    "arc_swap",
    "thread_local",
    "foldhash",
    "hashbrown",
    "serde",
    "self_cell",
    "event_listener",
    "futures_util",
    "loom",
    "event_listener",
];

type ModPath = Vec<String>;

/// A path a `use` names, and the name it binds there (none for `_` and globs).
type UsePath = (Vec<String>, Option<String>);

/// One module: a file, or an inline `mod name { .. }` inside one.
#[derive(Default)]
struct Module {
    /// The file that holds it (for an inline module, its file's module).
    file: ModPath,
    /// Child modules, by name.
    children: BTreeSet<String>,
    /// Names brought in by `use` (and what they point at, from the crate root).
    imports: BTreeMap<String, ModPath>,
    /// Modules whose items a glob import (`use x::*`) brings in.
    globs: Vec<ModPath>,
    /// Items defined here (they shadow a glob import).
    items: BTreeSet<String>,
    /// Every path the module names, from the crate root, unresolved.
    uses: Vec<ModPath>,
}

struct Crate {
    modules: BTreeMap<ModPath, Module>,
}

fn split_path(s: &str) -> ModPath {
    s.split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The source with comments, string and char literals blanked out (newlines kept).
fn strip(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"..", r#".."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                out.push(blank(chars[j]));
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\''), or a lifetime ('a), which stays.
            if next == Some('\\') {
                let mut j = i + 2;
                j += 1;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                out.push_str("' '");
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                out.push_str("' '");
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `pub`, `pub(crate)`, `pub(super)`, `pub(in ..)` at the start of `s`: its length.
fn visibility_len(s: &str) -> usize {
    let Some(rest) = s.strip_prefix("pub") else {
        return 0;
    };
    if rest.starts_with(|c: char| is_ident_char(c)) {
        return 0;
    }
    let trimmed = rest.trim_start();
    let skipped = rest.len() - trimmed.len();
    if trimmed.starts_with('(') {
        let close = trimmed.find(')').expect("a closed visibility");
        3 + skipped + close + 1
    } else {
        3
    }
}

/// The module a path written in `module` starts from, and the rest of the path; `None` for
/// a path into another crate.
fn absolute(krate: &Crate, module: &ModPath, path: &[String]) -> Option<ModPath> {
    let (first, rest) = path.split_first()?;
    match first.as_str() {
        "crate" => Some(rest.to_vec()),
        "self" => Some(module.iter().chain(rest).cloned().collect()),
        "super" => {
            let mut base = module.clone();
            let mut rest = rest;
            base.pop();
            while let Some((next, more)) = rest.split_first() {
                if next != "super" {
                    break;
                }
                base.pop();
                rest = more;
            }
            Some(base.into_iter().chain(rest.iter().cloned()).collect())
        }
        "" => None,
        name => {
            // As rustc: a child module, else a crate, else a name imported here (`use
            // self_cell::self_cell` binds a macro named like its crate).
            let here = krate.modules.get(module)?;
            if here.children.contains(name) {
                Some(module.iter().chain(path).cloned().collect())
            } else if EXTERNAL.contains(&name) {
                None
            } else if here.imports.contains_key(name) {
                Some(module.iter().chain(path).cloned().collect())
            } else {
                assert!(
                    name.starts_with(char::is_uppercase),
                    "`{}` in `{}`: neither a module nor an import there, nor a known crate; \
                     add the crate to EXTERNAL in tests/layers.rs",
                    path.join("::"),
                    module.join("::"),
                );
                None
            }
        }
    }
}

/// The module whose file defines what `path` (from the crate root) names: children are
/// followed, imports and re-exports are resolved to their targets.
fn resolve(krate: &Crate, path: &[String], depth: usize) -> ModPath {
    assert!(depth < 32, "a re-export loop at `{}`", path.join("::"));
    let mut at: ModPath = Vec::new();
    for (i, segment) in path.iter().enumerate() {
        let module = &krate.modules[&at];
        if module.children.contains(segment) {
            at.push(segment.clone());
        } else if module.items.contains(segment) {
            return at;
        } else if let Some(target) = module.imports.get(segment) {
            let full: ModPath = target.iter().chain(&path[i + 1..]).cloned().collect();
            // `<external>`: another crate's; a `use` of a name defined right here (a
            // `macro_rules!` made importable): this module's.
            let here: ModPath = at.iter().chain([segment]).cloned().collect();
            if full.first().is_some_and(|f| f == "<external>") || *target == here {
                return at;
            }
            return resolve(krate, &full, depth + 1);
        } else {
            for glob in &module.globs {
                let full: ModPath = glob.iter().chain(&path[i..]).cloned().collect();
                let found = resolve(krate, &full, depth + 1);
                if found != *glob {
                    return found;
                }
            }
            return at;
        }
    }
    at
}

/// Splits a `use` tree (`a::{b, c::d as e, f::*}`) into its paths: (path, bound name).
fn use_paths(tree: &str) -> Vec<UsePath> {
    fn walk(prefix: &[String], tree: &str, out: &mut Vec<UsePath>) {
        let tree = tree.trim();
        if tree.is_empty() {
            return;
        }
        if let Some(open) = tree.find('{') {
            let head: Vec<String> = split_path(tree[..open].trim().trim_end_matches("::"));
            let inner = &tree[open + 1..tree.rfind('}').expect("a closed use group")];
            let prefix: Vec<String> = prefix.iter().cloned().chain(head).collect();
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        walk(&prefix, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            walk(&prefix, &inner[start..], out);
            return;
        }
        let (path, alias) = match tree.split_once(" as ") {
            Some((path, alias)) => (path.trim(), Some(alias.trim().to_owned())),
            None => (tree, None),
        };
        let mut full: Vec<String> = prefix.to_vec();
        let segments = split_path(path);
        if segments == ["self"] {
            let name = alias.or_else(|| full.last().cloned());
            out.push((full, name));
            return;
        }
        full.extend(segments);
        let name = match alias {
            Some(alias) if alias == "_" => None,
            Some(alias) => Some(alias),
            None => full.last().filter(|last| *last != "*").cloned(),
        };
        out.push((full, name));
    }
    let mut out = Vec::new();
    let leading_colons = tree.trim_start().starts_with("::");
    walk(&[], tree, &mut out);
    if leading_colons {
        for (path, _) in &mut out {
            path.insert(0, String::new());
        }
    }
    out
}

/// The names of the items `code` defines (`fn`, `struct`, `trait`, `macro_rules!`, ...).
fn items(code: &str) -> BTreeSet<String> {
    const KEYWORDS: &[&str] = &[
        "fn",
        "struct",
        "enum",
        "trait",
        "type",
        "const",
        "static",
        "union",
        "macro_rules!",
    ];
    let words: Vec<&str> = code
        .split(|c: char| !is_ident_char(c) && c != '!')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter(|pair| KEYWORDS.contains(&pair[0]))
        .map(|pair| pair[1].to_owned())
        .filter(|name| !KEYWORDS.contains(&name.as_str()) && name != "mut")
        .collect()
}

/// Every `crate::..`, `super::..`, `self::..` path in `code` (outside `use` items).
fn inline_paths(code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_ident_char(bytes[i - 1]) && bytes[i - 1] != '$';
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        let root = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|root| rest.starts_with(root));
        if let (true, Some(root)) = (starts_word, root) {
            let mut path = vec![root.trim_end_matches("::").to_owned()];
            let mut j = i + root.len();
            loop {
                let start = j;
                while j < bytes.len() && is_ident_char(bytes[j]) {
                    j += 1;
                }
                if start == j {
                    break;
                }
                path.push(bytes[start..j].iter().collect());
                if bytes.get(j) == Some(&':') && bytes.get(j + 1) == Some(&':') {
                    j += 2;
                } else {
                    break;
                }
            }
            found.push(path);
            i = j;
        } else {
            i += 1;
        }
    }
    found
}

/// Reads the crate from `lib.rs`, following `mod` declarations.
fn read_crate(src: &Path) -> Crate {
    let mut krate = Crate {
        modules: BTreeMap::new(),
    };
    // Each module's code (test code left out), to parse once every module is known.
    let mut code: Vec<(ModPath, String)> = Vec::new();
    let mut files: Vec<(ModPath, PathBuf, PathBuf)> =
        vec![(Vec::new(), src.join("lib.rs"), src.to_path_buf())];
    while let Some((path, file, dir)) = files.pop() {
        let source = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        let stripped = strip(&source);
        krate.modules.entry(path.clone()).or_default().file = path.clone();
        // Inline modules open here: (module path, brace depth outside it, test code).
        let mut stack: Vec<(ModPath, i32, bool)> = vec![(path.clone(), -1, false)];
        let mut depth = 0;
        let mut attributes = String::new();
        // Brackets of an attribute still open (`#[cfg_attr(` over several lines).
        let mut open_brackets = 0;
        for line in stripped.lines() {
            let trimmed = line.trim();
            let (current, _, in_test) = stack.last().cloned().expect("the file's module");
            if open_brackets > 0 || trimmed.starts_with("#[") || trimmed.starts_with("#![") {
                attributes.push_str(trimmed);
                open_brackets += trimmed.matches('[').count() as i32;
                open_brackets -= trimmed.matches(']').count() as i32;
            } else if !trimmed.is_empty() {
                let is_test_attr = attributes.contains("cfg(")
                    && attributes
                        .split(|c: char| !is_ident_char(c))
                        .any(|word| word == "test");
                let after_vis = &trimmed[visibility_len(trimmed)..].trim_start();
                if let Some(decl) = after_vis.strip_prefix("mod ") {
                    let name: String = decl.chars().take_while(|&c| is_ident_char(c)).collect();
                    let rest = decl[name.len()..].trim_start();
                    let child: ModPath = current.iter().cloned().chain([name.clone()]).collect();
                    let test = in_test || is_test_attr;
                    if !test {
                        krate
                            .modules
                            .entry(current.clone())
                            .or_default()
                            .children
                            .insert(name.clone());
                    }
                    if rest.starts_with(';') && !test {
                        let file_dir = if file.ends_with("mod.rs") || file.ends_with("lib.rs") {
                            dir.clone()
                        } else {
                            dir.join(file.file_stem().expect("a file name"))
                        };
                        let (child_file, child_dir) =
                            if file_dir.join(format!("{name}.rs")).exists() {
                                (file_dir.join(format!("{name}.rs")), file_dir.clone())
                            } else {
                                (file_dir.join(&name).join("mod.rs"), file_dir.join(&name))
                            };
                        files.push((child, child_file, child_dir));
                    } else if rest.starts_with('{') {
                        if !test {
                            krate.modules.entry(child.clone()).or_default().file = path.clone();
                        }
                        stack.push((child, depth, test));
                    }
                }
                attributes.clear();
            }
            let (current, _, in_test) = stack.last().cloned().expect("the file's module");
            if !in_test {
                code.push((current.clone(), format!("{line}\n")));
            }
            for c in line.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if stack
                            .last()
                            .is_some_and(|(_, outside, _)| *outside == depth)
                        {
                            stack.pop();
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    // Join each module's lines, then read its `use` items and its inline paths.
    let mut by_module: BTreeMap<ModPath, String> = BTreeMap::new();
    for (module, line) in code {
        by_module.entry(module).or_default().push_str(&line);
    }
    let mut uses_of: BTreeMap<ModPath, Vec<UsePath>> = BTreeMap::new();
    let mut rest_of: BTreeMap<ModPath, String> = BTreeMap::new();
    for (module, text) in &by_module {
        let mut rest = String::new();
        let mut remaining = text.as_str();
        while let Some(at) = find_use(remaining) {
            rest.push_str(&remaining[..at]);
            let item = &remaining[at..];
            let item = &item[visibility_len(item)..];
            let item = item.trim_start().strip_prefix("use").expect("a use item");
            let end = item.find(';').expect("a use item ends");
            uses_of
                .entry(module.clone())
                .or_default()
                .extend(use_paths(&item[..end]));
            remaining = &item[end + 1..];
        }
        rest.push_str(remaining);
        rest_of.insert(module.clone(), rest);
    }
    // Every module's imported names first, so that a relative path can be told from a
    // crate's whatever order the modules are read in.
    for (module, uses) in &uses_of {
        let imports = &mut krate.modules.get_mut(module).expect("a module").imports;
        for name in uses.iter().filter_map(|(_, name)| name.clone()) {
            imports.insert(name, vec!["<pending>".to_owned()]);
        }
    }
    for (module, uses) in &uses_of {
        for (path, name) in uses {
            let target = absolute(&krate, module, path);
            let entry = krate.modules.get_mut(module).expect("a module");
            match (&target, name) {
                (Some(target), Some(name)) => {
                    entry.imports.insert(name.clone(), target.clone());
                }
                (None, Some(name)) => {
                    entry
                        .imports
                        .insert(name.clone(), vec!["<external>".to_owned()]);
                }
                (Some(target), None) if path.last().is_some_and(|l| l == "*") => {
                    entry.globs.push(target[..target.len() - 1].to_vec());
                }
                _ => {}
            }
            if let Some(target) = target {
                let target = if target.last().is_some_and(|l| l == "*") {
                    target[..target.len() - 1].to_vec()
                } else {
                    target
                };
                entry.uses.push(target);
            }
        }
    }
    for (module, rest) in &rest_of {
        krate.modules.get_mut(module).expect("a module").items = items(rest);
        for path in inline_paths(rest) {
            if let Some(target) = absolute(&krate, module, &path) {
                krate
                    .modules
                    .get_mut(module)
                    .expect("a module")
                    .uses
                    .push(target);
            }
        }
    }
    krate
}

/// Where the next `use` item starts in `text` (with its visibility), if any.
fn find_use(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("use ") {
        let at = from + found;
        let before = text[..at].trim_end();
        let starts_item = before.is_empty()
            || before.ends_with([';', '{', '}', ']'])
            || before.ends_with("pub")
            || before.ends_with(')') && {
                let open = before.rfind("pub(").unwrap_or(usize::MAX);
                open != usize::MAX && !before[open..].contains(['{', ';'])
            };
        if starts_item && (at == 0 || !is_ident_char(text[..at].chars().last().unwrap_or(' '))) {
            let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            let vis = text[line_start..at].trim();
            return Some(
                if vis.starts_with("pub") && visibility_len(vis) == vis.len() {
                    line_start + text[line_start..].find("pub").expect("pub")
                } else {
                    at
                },
            );
        }
        from = at + 4;
    }
    None
}

/// The deepest module a path goes through as written, re-exports not followed:
/// `crate::pooled::PoolStats` names `pooled`, wherever `PoolStats` is defined.
fn named(krate: &Crate, path: &[String]) -> ModPath {
    let mut at: ModPath = Vec::new();
    for segment in path {
        if !krate.modules[&at].children.contains(segment) {
            break;
        }
        at.push(segment.clone());
    }
    at
}

/// Every import between files: (importing file, imported file) -> one example path. A path
/// imports the file that defines what it names, and every module it goes through as
/// written (naming `crate::pooled::PoolStats` depends on `pooled` re-exporting it).
fn file_edges(krate: &Crate) -> BTreeMap<(ModPath, ModPath), String> {
    let mut edges = BTreeMap::new();
    for module in krate.modules.values() {
        for path in &module.uses {
            for target in [resolve(krate, path, 0), named(krate, path)] {
                let Some(target) = krate.modules.get(&target) else {
                    continue;
                };
                let (from, to) = (module.file.clone(), target.file.clone());
                // A file may use what its own folder's `mod.rs` (or any ancestor) defines: a
                // folder is one unit, whose `mod.rs` is its face.
                if from != to && !to.is_empty() && !from.starts_with(&to) {
                    edges
                        .entry((from, to))
                        .or_insert_with(|| format!("crate::{}", path.join("::")));
                }
            }
        }
    }
    edges
}

fn name(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".to_owned()
    } else {
        path.join("::")
    }
}

/// Why each import breaks a rule, one line per import.
fn violations(edges: &BTreeMap<(ModPath, ModPath), String>) -> Vec<String> {
    let mut found = Vec::new();
    for ((from, to), example) in edges {
        let (Some(from_top), Some(to_top)) = (from.first(), to.first()) else {
            continue;
        };
        let why = |rule: &str| format!("{} imports {} ({example}): {rule}", name(from), name(to));
        if from_top != to_top {
            let allowed = LAYERS
                .iter()
                .find(|(module, _)| module == from_top)
                .unwrap_or_else(|| panic!("`{from_top}` has no layer: add it to LAYERS"))
                .1;
            if to_top == "misuse" {
                found.push(why("misuse sits above the shapes; nothing imports it"));
            } else if allowed.is_some_and(|allowed| !allowed.contains(&to_top.as_str())) {
                found.push(why(&format!(
                    "`{from_top}` may import only {:?}",
                    allowed.unwrap_or_default()
                )));
            }
        }
        if from_top == "guarded" && to_top == "guarded" {
            let part = |p: &ModPath| p.get(1).cloned().unwrap_or_default();
            let (from_part, to_part) = (part(from), part(to));
            if from_part == "core" && to_part != "core" {
                found.push(why("guarded's core names no mode and nothing built on it"));
            }
            if from_part == "core" && to_part == "core" {
                let rank = |p: &ModPath| {
                    let file = p.get(2).cloned().unwrap_or_default();
                    CORE_LADDER.iter().position(|f| *f == file)
                };
                match (rank(from), rank(to)) {
                    (Some(from_rank), Some(to_rank)) if to_rank >= from_rank => found.push(why(
                        "a core file imports only the files above it in CORE_LADDER",
                    )),
                    (None, _) | (_, None) if from.len() > 2 && to.len() > 2 => found.push(why(
                        "every file of guarded's core has its rung in CORE_LADDER",
                    )),
                    _ => {}
                }
            }
            if from_part == "mode" && from.len() > 2 {
                let mode = &from[2];
                let same_mode = to.len() > 2 && to[1] == "mode" && to[2] == *mode;
                if to_part != "core" && !same_mode {
                    found.push(why(
                        "a mode imports the core and its own files, nothing else",
                    ));
                }
            }
        }
    }
    found
}

/// Every cycle of imports between files, as the files on it.
fn cycles(edges: &BTreeMap<(ModPath, ModPath), String>) -> Vec<Vec<ModPath>> {
    let mut next: BTreeMap<&ModPath, Vec<&ModPath>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    // Depth-first search; a file reached again while it is on the stack closes a cycle.
    fn visit<'a>(
        at: &'a ModPath,
        next: &BTreeMap<&'a ModPath, Vec<&'a ModPath>>,
        stack: &mut Vec<&'a ModPath>,
        done: &mut BTreeSet<&'a ModPath>,
        found: &mut Vec<Vec<ModPath>>,
    ) {
        if let Some(start) = stack.iter().position(|m| *m == at) {
            found.push(stack[start..].iter().map(|m| (*m).clone()).collect());
            return;
        }
        if !done.insert(at) {
            return;
        }
        stack.push(at);
        for to in next.get(at).into_iter().flatten() {
            visit(to, next, stack, done, found);
        }
        stack.pop();
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for from in next.keys() {
        visit(from, &next, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

fn runtime() -> (Crate, BTreeMap<(ModPath, ModPath), String>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let krate = read_crate(&src);
    let edges = file_edges(&krate);
    (krate, edges)
}

#[test]
fn every_import_follows_the_layers() {
    let (_, edges) = runtime();
    let found = violations(&edges);
    assert!(
        found.is_empty(),
        "imports against the runtime's layers (see tests/layers.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let (_, edges) = runtime();
    let found: Vec<String> = cycles(&edges)
        .iter()
        .map(|cycle| {
            let mut names: Vec<String> = cycle.iter().map(name).collect();
            names.push(names[0].clone());
            names.join(" -> ")
        })
        .collect();
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

/// The reader itself: it sees the imports this file's rules are about, so a rule that
/// passes is not a rule that was never checked.
#[test]
fn the_reader_sees_the_imports_the_rules_are_about() {
    let (krate, edges) = runtime();
    let edge = |from: &str, to: &str| edges.contains_key(&(split_path(from), split_path(to)));
    // A `use` through a re-export resolves to the defining file.
    assert!(edge("sharded::shards", "guarded::lock"));
    // An inline path in an expression (`crate::profile::register_pool(..)`).
    assert!(edge("pooled::pool", "profile::registry"));
    // `super::` from a file.
    assert!(edge("once_init::protocol", "once_init::cycle"));
    // Test code is not read: profile's tests import every shape.
    assert!(
        !edges
            .keys()
            .any(|(from, _)| from.starts_with(&split_path("profile::tests")))
    );
    assert!(!krate.modules.contains_key(&split_path("profile::tests")));
    // The rules fire on a made-up import from a sink to a shape, and on a made-up cycle.
    let mut broken = edges.clone();
    broken.insert(
        (split_path("profile::report"), split_path("pooled::pool")),
        "crate::pooled::Pool".to_owned(),
    );
    broken.insert(
        (
            split_path("guarded::core::condition"),
            split_path("guarded::core::fair"),
        ),
        "crate::guarded::core::fair::Fair".to_owned(),
    );
    let found = violations(&broken);
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("profile::report imports pooled::pool"))
    );
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("guarded::core::condition imports guarded::core::fair"))
    );
    assert!(!cycles(&broken).is_empty());
}
