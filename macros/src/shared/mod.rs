//! What every macro shares: error collection, option parsing, the struct header, emission
//! helpers and the fallback. A macro's own folder holds only what is its own.

pub mod ctxt;
pub mod driver;
pub mod emit;
pub mod fallback;
pub mod header;
pub mod krate;
pub mod markers;
pub mod options;
pub mod suggest;
