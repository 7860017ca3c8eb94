//! ARCHITECTURE.md stays true of the tree it maps: every repository path it writes exists,
//! every BENCHMARKS.md section it points to exists, and it stays a map (at most
//! [`MAX_LINES`] lines), not a second copy of the module docs.
//!
//! What counts as a path: a token without spaces that contains `/` or ends in `.rs`, `.md`
//! or `.toml`, and is not Rust (`::`), a flag (`-`) or an assignment (`=`). In prose it is
//! an inline code span, resolved from the repository root. In a fenced block it is any
//! such word; a line that starts (unindented) with a folder (`macros/src/shared/`) also
//! names the folder that the other words of that line, and of the indented lines after it,
//! may be resolved from (`driver.rs` there means `macros/src/shared/driver.rs`).
//! `<name>` and `*` match any run of characters within one path segment
//! (`tests/ui/<macro>/`, `macros/tests/expand/*.expanded.rs`).
//!
//! Here in the facade because the file maps the whole repository, whose root is this
//! package's directory; std only, like `macros/tests/layout.rs` and
//! `runtime/tests/layers.rs`, which check what the map says about imports.

use std::fs;
use std::path::{Path, PathBuf};

/// The most lines ARCHITECTURE.md may have (issue 20): the arguments belong in the module
/// docs of the code they justify, and measured figures in BENCHMARKS.md.
const MAX_LINES: usize = 400;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Whether `word` is written as a repository path.
fn is_path(word: &str) -> bool {
    !word.is_empty()
        && !word.contains(char::is_whitespace)
        && !word.contains("::")
        && !word.contains('=')
        && !word.starts_with('-')
        && (word.contains('/') || [".rs", ".md", ".toml"].iter().any(|e| word.ends_with(e)))
}

/// A path segment as written against a name on disk: `<anything>` and `*` match any run of
/// characters.
fn segment_matches(pattern: &str, name: &str) -> bool {
    let mut literal = Vec::new();
    let mut rest = pattern;
    let mut current = String::new();
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '*' => literal.push(std::mem::take(&mut current)),
            '<' if rest.contains('>') => {
                literal.push(std::mem::take(&mut current));
                rest = &rest[rest.find('>').unwrap() + 1..];
            }
            _ => current.push(c),
        }
    }
    literal.push(current);
    // literal[0] is a prefix, the last a suffix, the ones between appear in order.
    let (first, last) = (&literal[0], &literal[literal.len() - 1]);
    if literal.len() == 1 {
        return name == first;
    }
    if !name.starts_with(first.as_str()) || name.len() < first.len() + last.len() {
        return false;
    }
    let mut middle = &name[first.len()..name.len() - last.len()];
    for part in &literal[1..literal.len() - 1] {
        match middle.find(part.as_str()) {
            Some(at) => middle = &middle[at + part.len()..],
            None => return false,
        }
    }
    name.ends_with(last.as_str())
}

/// Whether `path` (segments separated by `/`, a trailing `/` for a folder) exists under `dir`.
fn exists(dir: &Path, path: &str) -> bool {
    let folder = path.ends_with('/');
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut candidates = vec![dir.to_path_buf()];
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let mut next = Vec::new();
        for candidate in &candidates {
            let Ok(entries) = fs::read_dir(candidate) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let is_dir = entry.path().is_dir();
                if segment_matches(segment, &name) && (is_dir || (last && !folder)) {
                    next.push(entry.path());
                }
            }
        }
        candidates = next;
    }
    !segments.is_empty() && !candidates.is_empty()
}

/// The inline code spans of a line of prose.
fn code_spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// A word of a fenced block without the punctuation around it.
fn trimmed(word: &str) -> &str {
    word.trim_start_matches(['(', '"', '\''])
        .trim_end_matches([')', ',', ';', ':', '.', '"', '\''])
}

/// Every path `text` writes that does not exist, as `line N: path`.
fn missing_paths(text: &str, root: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let mut in_fence = false;
    let mut folder = String::new();
    for (n, line) in text.lines().enumerate() {
        let mut report = |path: &str| missing.push(format!("line {}: `{path}`", n + 1));
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            folder.clear();
            continue;
        }
        if !in_fence {
            for span in code_spans(line).into_iter().filter(|s| is_path(s)) {
                if !exists(root, span) {
                    report(span);
                }
            }
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().map(trimmed).collect();
        let indented = line.starts_with(char::is_whitespace);
        let starts_with_path = !indented && words.first().is_some_and(|w| is_path(w));
        if starts_with_path {
            let first = words[0];
            folder = if first.ends_with('/') {
                first.to_string()
            } else {
                String::new()
            };
        }
        for (i, word) in words.iter().enumerate().filter(|(_, w)| is_path(w)) {
            let own_line_start = i == 0 && starts_with_path;
            let beside = !folder.is_empty() && !own_line_start && exists(&root.join(&folder), word);
            if !beside && !exists(root, word) {
                report(word);
            }
        }
    }
    missing
}

/// Every `BENCHMARKS.md, "Section"` that `text` points to and `benchmarks` has no heading
/// for.
fn missing_sections(text: &str, benchmarks: &str) -> Vec<String> {
    let headings: Vec<&str> = benchmarks.lines().filter(|l| l.starts_with('#')).collect();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut missing = Vec::new();
    for (at, _) in flat.match_indices("BENCHMARKS.md") {
        let after = flat[at + "BENCHMARKS.md".len()..].trim_start_matches('`');
        let Some(quoted) = after.strip_prefix(", \"") else {
            continue;
        };
        let section = quoted.split('"').next().unwrap_or_default();
        if !headings.iter().any(|h| h.contains(section)) {
            missing.push(format!("BENCHMARKS.md, \"{section}\""));
        }
    }
    missing
}

#[test]
fn every_path_in_architecture_md_exists() {
    let missing = missing_paths(&read("ARCHITECTURE.md"), &root());
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist (moved? update the map):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_benchmarks_section_it_points_to_exists() {
    let missing = missing_sections(&read("ARCHITECTURE.md"), &read("BENCHMARKS.md"));
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md points to BENCHMARKS.md sections that do not exist:\n{}",
        missing.join("\n")
    );
}

#[test]
fn architecture_md_stays_a_map() {
    let lines = read("ARCHITECTURE.md").lines().count();
    assert!(
        lines <= MAX_LINES,
        "ARCHITECTURE.md has {lines} lines, over {MAX_LINES}: move the argument into the \
         module doc of the code it justifies, and the figures into BENCHMARKS.md"
    );
}

// The scanner itself, on text written out: each rule above must be able to fail.

#[test]
fn the_scanner_finds_missing_paths_and_only_those() {
    let root = root();
    let prose = "`macros/src/lib.rs`, `tests/ui/<macro>/pass/`, `macros/tests/expand/*.expanded.rs`, \
                 `Cargo.toml`, `__private::guarded`, `Guarded<T, M>`, `a = b/c`, `--cfg`";
    assert_eq!(missing_paths(prose, &root), Vec::<String>::new());
    let prose = "`macros/src/nothing.rs` and `tests/ui/<macro>/nothing/` and `src/lib.rs/`";
    assert_eq!(missing_paths(prose, &root).len(), 3, "{prose}");

    let block = "```\nmacros/src/shared/   driver.rs (the driver), header.rs,\n\
                 \x20                    options.rs\nsrc/lib.rs  the facade: lib.rs\n```";
    assert_eq!(missing_paths(block, &root), vec!["line 4: `lib.rs`"]);
    let block = "```\nmacros/src/shared/   driver.rs, nothing.rs\n\
                 runtime/src/nothing/  sync.rs\nCARGO_TARGET_DIR=target/loom cargo test\n```";
    assert_eq!(
        missing_paths(block, &root),
        vec![
            "line 2: `nothing.rs`",
            "line 3: `runtime/src/nothing/`",
            "line 3: `sync.rs`"
        ]
    );
}

#[test]
fn the_scanner_finds_missing_sections() {
    let benchmarks = "# Benchmarks\n## Compile cost (`benches/compile_cost/run.sh`)\n## sharded\n";
    let text =
        "(BENCHMARKS.md, \"Compile\ncost\") and (`BENCHMARKS.md`, \"sharded\"), BENCHMARKS.md";
    assert!(missing_sections(text, benchmarks).is_empty());
    let text = "BENCHMARKS.md, \"pooled\"";
    assert_eq!(
        missing_sections(text, benchmarks),
        vec!["BENCHMARKS.md, \"pooled\""]
    );
}
