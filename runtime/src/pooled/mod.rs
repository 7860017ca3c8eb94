//! Go's `sync.Pool`: temporary objects reused on hot paths, never a cache. The runtime of
//! `#[pooled]`, usable by hand.
//!
//! - [`Pool<T>`]: the pool; `const`-constructible, so it can be a `static`.
//! - [`Pooled`]: an object out of the pool; derefs to it and goes back, reset, on drop.
//! - [`Reset`]: what a pooled type implements: how to clear it, and whether to keep it.
//! - [`PoolStats`]: hits, misses, discarded and idle objects.
//!
//! Files: `reset.rs` (the trait), `pool.rs` (the public pool, and the fast path of `get`),
//! `guard.rs` (the guard, `Pooled`, and the fast path of a give-back), `shared.rs` (the
//! shared stack, the slow paths, and the parts both fast paths use), `local.rs` (per-thread
//! caches, their bounded stacks, and thread exit), `stats.rs` (per-thread counters;
//! [`PoolStats`], what they sum to, is in the crate's `vocabulary.rs`, which the profile
//! reads too).
//!
//! ```
//! use lockwise::{Pool, Reset};
//!
//! #[derive(Default)]
//! struct Scratch { buf: Vec<u8> }
//! impl Reset for Scratch {
//!     fn reset(&mut self) { self.buf.clear() }
//! }
//!
//! static SCRATCH: Pool<Scratch> = Pool::with_max_idle(64);
//!
//! let mut s = SCRATCH.get();
//! s.buf.extend_from_slice(b"..");
//! ```
//!
//! # What `#[pooled]` generates
//!
//! For `#[pooled(max_idle = N, new = path)] struct Scratch { .. }` (the struct itself
//! unchanged; `pub` = the struct's visibility; without `new`, `NEW` is
//! `::lockwise::__private::pooled::default_for_pooled::<Scratch>`, which names `Default` in
//! its error; without `max_idle`, `N` is
//! `::lockwise::__private::pooled::Pool::<Scratch>::DEFAULT_MAX_IDLE`), the contract that
//! `tests/pooled_expansion.rs` pastes by hand (the expansion snapshot,
//! `macros/tests/expand/pooled.expanded.rs`, is the generated text itself):
//!
//! ```text
//! impl Scratch {
//!     /// The pool of `Scratch`: `trim()`, `stats()`.
//!     #[inline]
//!     pub fn pool() -> &'static ::lockwise::__private::pooled::Pool<Self> {
//!         static __LOCKWISE_POOL: ::lockwise::__private::pooled::Pool<Scratch> =
//!             ::lockwise::__private::pooled::Pool::from_fn_with_max_idle(NEW, N);
//!         &__LOCKWISE_POOL
//!     }
//!
//!     /// A `Scratch` from the pool, reset; it goes back to the pool when dropped.
//!     #[inline]
//!     pub fn pooled() -> ::lockwise::__private::pooled::Pooled<'static, Self>
//!     where
//!         for<'__lw> Self: ::lockwise::__private::pooled::Reset,
//!     {
//!         Self::pool().get()
//!     }
//! }
//! const _: () = ::lockwise::__private::pooled::assert_reset::<Scratch>();
//! ```
//!
//! (The trivially-true `for<'__lw>` bound defers `Reset` to the call, so a missing impl is
//! one error at the `assert_reset` line, not one more at every `pooled()`.)
//!
//! No `thread_local!` per type: every `Pool<T>` finds its per-thread caches through a
//! `thread_local::ThreadLocal` it owns (`local.rs`), which was measured faster than a
//! `thread_local!` per pooled type (9.9–10.4 ns against 15.6–16.1 ns for a take, a 64-byte
//! write and a give-back of a 4 KiB buffer; `benches/pool.rs`, BENCHMARKS.md).

mod guard;
mod local;
mod pool;
mod reset;
mod shared;
mod stats;
#[cfg(test)]
mod tests;

pub use guard::Pooled;
pub use pool::Pool;
pub use reset::{Reset, assert_reset};
// Defined with the words every layer shares, so that the profile can read it without
// importing the pool.
pub use crate::vocabulary::PoolStats;

/// `Vec<u8>` (and any `Vec`) clears itself and keeps its capacity: the common pooled buffer.
///
/// ```
/// use lockwise::Reset;
///
/// let mut v = vec![1, 2, 3];
/// v.reset();
/// assert!(v.is_empty() && v.capacity() >= 3);
/// ```
impl<T> Reset for Vec<T> {
    fn reset(&mut self) {
        self.clear();
    }
}

/// A `String` clears itself and keeps its capacity.
///
/// ```
/// use lockwise::Reset;
///
/// let mut s = String::from("abc");
/// s.reset();
/// assert!(s.is_empty());
/// ```
impl Reset for String {
    fn reset(&mut self) {
        self.clear();
    }
}
