//! Every case of `common/` on tokio (the same cases run on smol: `smol.rs`).

mod common;

every_case!(common::runtimes::Tokio::new());
