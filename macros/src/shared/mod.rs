//! What every macro shares: the driver that runs a macro's stages, error collection, option
//! parsing, the struct header (with the derives written above the attribute), fields under
//! `#[cfg]` and the method names made from fields, emission helpers and the fallback. A macro's own folder holds only what is its own, and
//! nothing here names a macro: what the toolkit needs to know about one comes in its
//! `MacroSpec`, and the list of macros comes from `lib.rs`.

pub mod cfg;
pub mod code;
pub mod ctxt;
pub mod derives_above;
pub mod driver;
pub mod emit;
pub mod fallback;
pub mod header;
pub mod krate;
pub mod markers;
pub mod method_names;
pub mod options;
pub mod suggest;
