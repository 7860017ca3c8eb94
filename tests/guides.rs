//! The guides in `docs/` (each a module's rustdoc page) open with an example a reader can
//! copy: the first Rust block has no hidden lines (rustdoc hides `# ` lines from the page,
//! so a block that needs them does not compile once copied; issue 22 found the once_init
//! guide's first example 10 errors short). The examples themselves run as doc tests.

use std::fs;
use std::path::{Path, PathBuf};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

/// The 1-based numbers of the hidden lines in the first Rust code block of `text`, or `None`
/// when it has no Rust code block. A fence with no language, `rust`, or rustdoc's
/// attributes (`no_run`, `should_panic`, ...) opens Rust; `text`, `toml` and the like do not.
fn hidden_lines_of_first_example(text: &str) -> Option<Vec<usize>> {
    let mut lines = text.lines().enumerate();
    let is_rust = |info: &str| {
        info.split(',').map(str::trim).all(|word| {
            [
                "",
                "rust",
                "no_run",
                "should_panic",
                "compile_fail",
                "edition2024",
            ]
            .contains(&word)
        })
    };
    // Skip to the first fence that opens a Rust block, stepping over whole non-Rust blocks
    // (their closing fence has no language, like a Rust opener's).
    loop {
        let (_, line) = lines.next()?;
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        if is_rust(info) {
            break;
        }
        lines.find(|(_, line)| line.starts_with("```"))?;
    }
    let hidden = lines
        .take_while(|(_, line)| !line.starts_with("```"))
        .filter(|(_, line)| {
            let line = line.trim_start();
            line == "#" || line.starts_with("# ")
        })
        .map(|(index, _)| index + 1)
        .collect();
    Some(hidden)
}

#[test]
fn every_guide_opens_with_an_example_that_compiles_as_shown() {
    let mut guides = 0;
    for entry in fs::read_dir(docs()).expect("docs/") {
        let path = entry.expect("docs/ entry").path();
        if path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        guides += 1;
        let text = fs::read_to_string(&path).expect("a guide");
        let name = path.display();
        let hidden = hidden_lines_of_first_example(&text)
            .unwrap_or_else(|| panic!("{name}: no Rust example"));
        assert!(
            hidden.is_empty(),
            "{name}: the first example hides lines {hidden:?}; write them out, so that a \
             reader copying it gets a program that compiles"
        );
    }
    assert!(guides >= 5, "found {guides} guides in docs/");
}

#[test]
fn the_scanner_sees_hidden_lines_only_in_the_first_rust_block() {
    let guide = "Intro\n```text\n# not rust\n```\n```\nuse a;\n# hidden\n#[attr]\n  #\n```\n```\n# later\n```\n";
    assert_eq!(hidden_lines_of_first_example(guide), Some(vec![7, 9]));
    assert_eq!(
        hidden_lines_of_first_example("```no_run\nok\n```"),
        Some(vec![])
    );
    assert_eq!(hidden_lines_of_first_example("```toml\n# x\n```"), None);
}
