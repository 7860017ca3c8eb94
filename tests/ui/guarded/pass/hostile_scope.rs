// Generated code must expand cleanly whatever the user's scope holds: std names shadowed,
// strict lints, generics of every kind, `#[cfg]` on fields, a renamed crate path.
#![deny(warnings, missing_docs, unused_qualifications)]
#![forbid(unsafe_code)]
//! A crate that shadows everything generated code could lean on.

#[allow(dead_code)]
mod shadows {
    pub struct Result;
    pub struct Option;
    pub struct Some;
    pub struct Ok;
    pub struct Err;
    pub struct Default;
    pub struct Clone;
    pub struct Debug;
    pub struct From;
    pub struct Send;
    pub struct Sync;
    pub struct Box;
    pub struct Vec;
    pub struct String;
    pub mod core {}
    pub mod std {}
    pub trait FnOnce {}
}
#[allow(unused_imports)]
use shadows::*;

/// lockwise under another path, as after `lockwise = { package = .. }` renames.
pub mod vendored {
    pub use lockwise;
}

use ::std::sync::atomic::AtomicU64;

use lockwise::guarded;

/// Whole struct, mutex, with lifetimes, a type parameter with a bound and a default, a
/// const parameter, a where clause and a cfg'd field.
#[guarded]
#[derive(::core::fmt::Debug, ::core::clone::Clone)]
pub struct Window<'a, T: ::core::clone::Clone = u8, const N: usize = 4>
where
    T: ::core::marker::Send,
{
    /// The name.
    pub name: &'a str,
    /// The values.
    pub values: [T; N],
    /// Only on some builds.
    #[cfg(any())]
    pub never: u8,
    /// Always there.
    #[cfg(all())]
    pub always: u8,
}

/// A tuple struct, rw, with a custom state name.
#[guarded(rw, state = PairData)]
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::default::Default, PartialEq)]
pub struct Pair(pub u32, pub u32);

/// read_mostly through a renamed crate path.
#[guarded(read_mostly, crate = vendored::lockwise)]
#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::default::Default)]
pub struct Routes {
    /// The routes.
    pub paths: ::std::vec::Vec<&'static str>,
}

/// Per-field locks, generic, with an unguarded atomic and a cfg'd field.
#[guarded]
#[derive(::core::fmt::Debug, ::core::default::Default)]
pub struct Server<C: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync> {
    /// Read-heavy.
    #[lock(rw)]
    pub config: C,
    /// Written per request.
    #[lock(mutex)]
    pub stats: u64,
    /// Rarely written.
    #[lock(read_mostly)]
    pub routes: ::std::vec::Vec<u8>,
    /// Shared as it is.
    #[unguarded]
    pub requests: AtomicU64,
    /// Never compiled.
    #[cfg(any())]
    #[lock(mutex)]
    pub never: u8,
}

static PAIR: Pair = Pair::new(PairData(1, 2));

fn main() {
    let window: Window<'_> = Window::new(WindowState { name: "w", values: [0; 4], always: 0 });
    assert_eq!(window.read().values.len(), 4);
    assert_eq!(window.snapshot().always, 0);
    assert_eq!(PAIR.with_read(|p| p.0 + p.1), 3);
    assert_eq!(PAIR.snapshot(), PairData(1, 2));
    let routes = Routes::default();
    routes.write().paths.push("/");
    assert_eq!(routes.read().paths.len(), 1);
    let server: Server<::std::string::String> = Server::default();
    server.config_mut().push('x');
    *server.stats_mut() += 1;
    server.routes_mut().push(1);
    let _ = ::std::format!("{server:?} {window:?} {routes:?}");
    assert_eq!(server.into_inner().stats, 1);
}
