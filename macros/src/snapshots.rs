//! Expansion snapshots, as pin-project keeps them: each `tests/expand/<case>.rs` holds
//! structs under lockwise attributes, and `tests/expand/<case>.expanded.rs` what they expand
//! to, printed by prettyplease. A change to the generated code shows up as a diff here, to be
//! read like any other code. `LOCKWISE_BLESS=1 cargo test -p lockwise-macros` rewrites the
//! snapshots. Each attribute's macro is found in the crate's table of macros (`MACROS` in
//! `lib.rs`), so a new macro needs only its case files here.

use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::ToTokens;

use crate::MACROS;

fn expand_file(source: &str) -> String {
    let mut file: syn::File = syn::parse_str(source).expect("the case parses");
    let mut output: syn::File = syn::parse_str("").expect("an empty file parses");
    for item in file.items.drain(..) {
        let syn::Item::Struct(mut item) = item else {
            output.items.push(item);
            continue;
        };
        let (at, row) = item
            .attrs
            .iter()
            .enumerate()
            .find_map(|(at, attr)| Some((at, MACROS.find(attr)?)))
            .expect("each struct in a case carries a lockwise attribute");
        let attr = item.attrs.remove(at);
        let args = match attr.meta {
            syn::Meta::Path(_) => TokenStream::new(),
            syn::Meta::List(list) => list.tokens,
            syn::Meta::NameValue(_) => panic!("`#[attribute = ..]` is not a form any macro takes"),
        };
        let expanded = MACROS.run(row, args, item.into_token_stream());
        let expanded: syn::File = syn::parse2(expanded).expect("the expansion parses");
        output.items.extend(expanded.items);
    }
    prettyplease::unparse(&output)
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/expand exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension().is_some_and(|e| e == "rs")
                && !path.to_string_lossy().ends_with(".expanded.rs")
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn expansions_match_their_snapshots() {
    let bless = std::env::var_os("LOCKWISE_BLESS").is_some();
    let cases = cases();
    assert!(!cases.is_empty());
    let mut stale = Vec::new();
    for case in cases {
        let expanded = expand_file(&fs::read_to_string(&case).unwrap());
        let snapshot = case.with_extension("expanded.rs");
        let current = fs::read_to_string(&snapshot).unwrap_or_default();
        if current != expanded {
            if bless {
                fs::write(&snapshot, &expanded).unwrap();
            } else {
                stale.push(snapshot.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "the expansion changed; read the diff, then rerun with LOCKWISE_BLESS=1 to accept it: {stale:?}"
    );
}
