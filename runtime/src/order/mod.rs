//! Deadlocks found before they happen, in debug builds.
//!
//! - Taking a lock this thread already holds blocks forever (a mutex), or until a queued
//!   writer gives up, which it never does (a reader-writer lock; Go's `RWMutex` forbids
//!   recursive read locking for the same reason). This covers every lockwise lock: a whole
//!   struct's, a field's, a shard's.
//! - Two threads that take the same two locks in opposite orders can deadlock. For a
//!   struct whose fields each have a lock, lockwise fixes the order: the order the fields
//!   are declared in.
//!
//! In debug builds every thread keeps a short list of the locks it holds. An acquisition
//! that can wait (whatever its name: `read`, `write`, `try_read_for`, `upgrade`, ...) first
//! [`check`]s the list, and panics at once, naming the lock, if the thread holds that lock,
//! or a later-declared field lock of the same object. Acquisitions that cannot wait
//! (`try_read`, `try_write`) are not checked, but what they take is recorded.
//!
//! The list lives in a `const`-initialized thread-local without a destructor, so it stays
//! readable while the thread's other thread-locals are destroyed: a lock re-taken in a
//! thread-local's destructor panics as anywhere else, instead of hanging. It holds
//! `held::CAPACITY` (64) locks; the ones a thread takes beyond that are not checked.
//!
//! Release builds compile all of this away: [`Held`] is a zero-sized type without `Drop`,
//! and the check is an empty inline function.
//!
//! An object is identified by its address and its full type name (`type_name::<O>()`):
//! sound while any of its guards is alive (the guard borrows it, so it cannot move), and
//! two objects at one address (one nested at offset 0 of the other) differ in type. A
//! guard leaked with `mem::forget` leaves its record behind, as it leaves its lock locked;
//! a later value at the same address may then be reported as held.
//!
//! # Files
//!
//! - `site.rs`: a lock's identity ([`LockSite`]: the object, which of its locks, how
//!   messages name it; [`SiteLabel`]) and why two sites conflict.
//! - `held.rs`: per-thread tracking, the list of locks this thread holds.
//! - `token.rs`: what an acquisition gets: the [`Held`] token a guard carries (its record
//!   in the list, and the profile's hold sample) and the [`Checked`] proof that the check
//!   ran before a wait.
//!
//! A sink: `order` knows no shape. The shapes hand it sites and keep its tokens; it imports
//! only the crate's vocabulary (`Part`) and, with the `profile` feature, the profile's
//! sample that rides in a token.

#[cfg(debug_assertions)]
mod cache;
#[cfg(debug_assertions)]
mod graph;
mod held;
#[cfg(debug_assertions)]
mod message;
mod node;
mod site;
mod token;

#[cfg(test)]
mod tests;

#[cfg(debug_assertions)]
pub use graph::GraphSize;
pub use held::GuardHeldAcrossAwaitDropItFirst;
pub(crate) use node::OrderNode;
pub use site::{LockSite, SiteLabel};
pub(crate) use token::{Checked, Held, Sample, check, check_alone, check_waits_alone, hold};

/// The size of the process's order graph (debug builds; tests check it stays bounded).
///
/// ```
/// # #[cfg(debug_assertions)] {
/// let size = lockwise::__private::order_graph_size();
/// assert!(size.class_nodes <= size.class_edges * 2 || size.class_edges == 0);
/// # }
/// ```
#[cfg(debug_assertions)]
pub fn graph_size() -> GraphSize {
    graph::size()
}
