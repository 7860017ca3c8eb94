//! Nothing to see here: this package exists for its tests (`tests/`), which run lockwise's
//! async lazy fields on two runtimes, tokio and `futures`' executors. See `Cargo.toml`.
