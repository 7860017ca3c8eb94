//! Without lockwise's `async` feature, an `async` lazy field is one compile error that names
//! the feature, at the field's `async`; the calls to its accessor add none. A call to
//! `write_when_async` (whole struct) or a field's `_mut_when_async` is one error each, at
//! the call, naming the feature; the struct and its other methods compile. (Why this is a
//! package of its own: `Cargo.toml`.) The `.stderr` is rustc 1.95's, the pinned toolchain
//! of the repository (`rust-toolchain.toml` applies here too); regenerate with
//! `TRYBUILD=overwrite` and read the diff.

#[test]
fn async_code_without_the_feature_is_one_error_naming_it() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
