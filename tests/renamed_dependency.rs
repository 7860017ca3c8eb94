//! A crate that renames the dependency (`lw = { package = "lockwise", .. }`) can use the
//! macros without `crate = lw`: the macros read the rename from the crate's `Cargo.toml`.
//! trybuild cannot rename a dependency, so this builds a small crate with cargo itself
//! (offline, from the packages already downloaded for this workspace).

use std::path::Path;
use std::process::Command;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_renamed_dependency_is_found_without_the_crate_option() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let krate = tmp.join("renamed_dependency");
    let lockwise = env!("CARGO_MANIFEST_DIR");
    write(
        &krate.join("Cargo.toml"),
        &format!(
            r#"[package]
name = "renamed_dependency"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
lw = {{ package = "lockwise", path = {lockwise:?} }}

[workspace]
"#
        ),
    );
    write(
        &krate.join("src/lib.rs"),
        r#"
use std::sync::atomic::AtomicU64;

#[lw::guarded(rw)]
#[derive(Default)]
pub struct Cache {
    pub hits: u64,
}

#[lw::guarded]
pub struct Server {
    #[lock(mutex)]
    pub stats: u64,
    #[unguarded]
    pub requests: AtomicU64,
}

pub fn hits(cache: &Cache, server: &Server) -> u64 {
    cache.read().hits + *server.stats()
}
"#,
    );
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(&krate)
        // Shared between runs, so only the first builds the dependencies.
        .env("CARGO_TARGET_DIR", tmp.join("renamed_dependency_target"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the renamed dependency was not found:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
