//! Misuse is a compile error, and the error is advice: each file under `tests/ui/<macro>/`
//! is one misuse, with the compiler's output reviewed into the `.stderr` next to it. The
//! files under `pass/` must compile cleanly. `rust-toolchain.toml` pins the compiler so
//! the messages stay stable; regenerate with `TRYBUILD=overwrite` and read the diff.
//!
//! The `.stderr` files are the default features' messages: with `profile` on, the runtime
//! has more items, and rustc spells some type paths in full where it trimmed them, so
//! this file only runs without it.
//!
//! trybuild builds the cases in the dev profile whatever profile this test binary has, so a
//! `cargo test --release` (CI runs one, for the debug-only checks) would only repeat the
//! debug run's builds, word for word: this file runs in debug builds only.
#![cfg(all(debug_assertions, not(feature = "profile")))]

#[test]
fn guarded() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/guarded/*.rs");
    cases.pass("tests/ui/guarded/pass/*.rs");
}

#[test]
fn once_init() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/once_init/*.rs");
    cases.pass("tests/ui/once_init/pass/*.rs");
}

#[test]
fn pooled() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/pooled/*.rs");
    cases.pass("tests/ui/pooled/pass/*.rs");
}

#[test]
fn sharded() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/sharded/*.rs");
    cases.pass("tests/ui/sharded/pass/*.rs");
}
