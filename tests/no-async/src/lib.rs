//! Nothing to see here: this package exists for its test, `tests/ui.rs` (see `Cargo.toml`).
