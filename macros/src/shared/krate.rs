//! Where the runtime is: `::lockwise::__private`, or under the name the user gave it.
//!
//! A user who renamed the dependency (`lw = { package = "lockwise", .. }`) can say so with
//! `crate = lw`. Where the rename can be read from the crate's own `Cargo.toml`, it is
//! found without that: a renamed dependency is common (a workspace that vendors or
//! versions crates) and the alternative is rustc's bare "cannot find `lockwise`". What
//! cannot be found this way (a rename inherited from the workspace, a re-export through
//! another crate) needs `crate = path`; the guide's troubleshooting section says so.

use std::collections::HashMap;
use std::sync::Mutex;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Ident, Path};

/// `<crate>::__private`: `written` if the user gave `crate = ..`, else the name the crate's
/// manifest gives lockwise, else `::lockwise`.
pub fn private_path(written: Option<&Path>) -> TokenStream {
    if let Some(path) = written {
        return quote!(#path::__private);
    }
    match renamed_dependency() {
        Some(name) => {
            let name = Ident::new(&name, Span::call_site());
            quote!(::#name::__private)
        }
        None => quote!(::lockwise::__private),
    }
}

/// The name lockwise has in the manifest of the crate being compiled, if it is renamed.
/// Read once per manifest: a proc-macro server (rust-analyzer's) expands many crates.
fn renamed_dependency() -> Option<String> {
    static SEEN: Mutex<Option<HashMap<String, Option<String>>>> = Mutex::new(None);
    let dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let mut seen = SEEN.lock().ok()?;
    let seen = seen.get_or_insert_with(HashMap::new);
    seen.entry(dir.clone())
        .or_insert_with(|| {
            let manifest = std::fs::read_to_string(std::path::Path::new(&dir).join("Cargo.toml"));
            manifest.ok().and_then(|text| renamed_in(&text))
        })
        .clone()
}

/// The key under which `manifest` depends on the package `lockwise`, as a crate name, when
/// that key is not `lockwise` itself and no dependency is plainly called `lockwise`.
/// Handles `lw = { package = "lockwise", .. }` in any dependency table and
/// `[dependencies.lw]` tables with `package = "lockwise"`.
fn renamed_in(manifest: &str) -> Option<String> {
    let mut renamed = None;
    let mut plain = false;
    // Inside `[dependencies]` (or dev-, build-, target-specific), or inside
    // `[dependencies.<key>]`, with the key.
    let mut in_dependencies = false;
    let mut subtable_key: Option<String> = None;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_end_matches(']').trim();
            in_dependencies = is_dependency_table(header);
            subtable_key = header
                .rsplit_once('.')
                .filter(|(table, _)| is_dependency_table(table))
                .map(|(_, key)| unquote(key));
            if subtable_key.as_deref() == Some("lockwise") {
                plain = true;
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = unquote(key);
        if let Some(table_key) = &subtable_key {
            if key == "package" && unquote(value) == "lockwise" {
                renamed = Some(table_key.clone());
            }
        } else if in_dependencies {
            if key == "lockwise" {
                plain = true;
            } else if names_package(value, "lockwise") {
                renamed = Some(key);
            }
        }
    }
    renamed.filter(|_| !plain).map(|key| key.replace('-', "_"))
}

fn is_dependency_table(header: &str) -> bool {
    let last = header.rsplit('.').next().unwrap_or(header);
    matches!(
        unquote(last).as_str(),
        "dependencies" | "dev-dependencies" | "build-dependencies"
    )
}

/// Whether an inline table says `package = "<package>"`.
fn names_package(value: &str, package: &str) -> bool {
    value
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .split(',')
        .filter_map(|entry| entry.split_once('='))
        .any(|(key, value)| unquote(key) == "package" && unquote(value) == package)
}

fn unquote(text: &str) -> String {
    text.trim().trim_matches(['"', '\'']).to_owned()
}

#[cfg(test)]
mod tests {
    use super::renamed_in;

    #[test]
    fn an_inline_rename_is_found() {
        let manifest = r#"
            [package]
            name = "app"

            [dependencies]
            serde = "1"
            lw = { package = "lockwise", version = "0.1" }
        "#;
        assert_eq!(renamed_in(manifest).as_deref(), Some("lw"));
    }

    #[test]
    fn a_rename_in_its_own_table_is_found_and_dashes_become_underscores() {
        let manifest = r#"
            [target.'cfg(unix)'.dependencies.lock-wise]
            version = "0.1"
            package = "lockwise"
        "#;
        assert_eq!(renamed_in(manifest).as_deref(), Some("lock_wise"));
    }

    #[test]
    fn a_plain_dependency_wins() {
        let manifest = r#"
            [dependencies]
            lockwise = "0.1"

            [dev-dependencies]
            lw = { package = "lockwise", path = ".." }
        "#;
        assert_eq!(renamed_in(manifest), None);
    }

    #[test]
    fn other_packages_and_other_tables_are_not_renames() {
        let manifest = r#"
            [package]
            name = "lockwise-app"
            # package = "lockwise"
            [dependencies]
            pl = { package = "parking_lot", version = "0.12" }
            [features]
            lw = []
        "#;
        assert_eq!(renamed_in(manifest), None);
    }
}
