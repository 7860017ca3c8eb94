//! Every case of `common/` on smol (the same cases run on tokio: `tokio.rs`).

mod common;

every_case!(common::runtimes::Smol::new());
