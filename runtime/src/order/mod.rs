//! Deadlocks found before they happen, in debug builds.
//!
//! - Taking a lock this thread already holds blocks forever (a mutex), or until a queued
//!   writer gives up, which it never does (a reader-writer lock; Go's `RWMutex` forbids
//!   recursive read locking for the same reason). This covers every lockwise lock: a whole
//!   struct's, a field's, a shard's.
//! - Two threads that take the same two locks in opposite orders can deadlock. For a
//!   struct whose fields each have a lock, lockwise fixes the order: the order the fields
//!   are declared in. Across values, the order graph (`graph.rs`) remembers every order
//!   seen, lockdep-style, and refuses its inversion.
//!
//! In debug builds every thread keeps a short list of the locks it holds. An acquisition
//! that can wait (whatever its name: `read`, `write`, `try_read_for`, `upgrade`, ...) first
//! [`check`]s the list, and panics at once, naming the lock, if the thread holds that lock,
//! or a later-declared field lock of the same object. Then, for every other lock the thread
//! holds, it records the edge held → taken in the order graph, and panics instead if the
//! opposite order was recorded before. Acquisitions that cannot wait (`try_read`,
//! `try_write`) are not checked and record no edge, but what they take is recorded as held.
//! A read_mostly `read()` takes no lock at all: it is neither checked nor recorded
//! (`guarded/lock_at.rs`).
//!
//! The list lives in a `const`-initialized thread-local without a destructor, so it stays
//! readable while the thread's other thread-locals are destroyed: a lock re-taken in a
//! thread-local's destructor panics as anywhere else, instead of hanging. It holds
//! `held::CAPACITY` (64) locks; the ones a thread takes beyond that are not checked.
//!
//! Release builds compile all of this away: [`Held`] is a zero-sized type without `Drop`,
//! the check is an empty inline function, and a lock's [`OrderNode`] is zero-sized.
//!
//! Within one value, an object is identified by its address and its full type name
//! (`type_name::<O>()`): sound while any of its guards is alive (the guard borrows it, so it
//! cannot move), and two objects at one address (one nested at offset 0 of the other)
//! differ in type. Across values, a lock is its [`OrderNode`], an id that moves with the
//! value and leaves the graph when it drops (`node.rs`). A guard leaked with `mem::forget`
//! leaves its record behind, as it leaves its lock locked; a later value at the same address
//! may then be reported as held.
//!
//! # Files
//!
//! - `site.rs`: a lock's identity within its object ([`LockSite`]: the object, which of its
//!   locks, how messages name it, its class; [`SiteLabel`], which also carries `order =
//!   instance`) and why two sites of one object conflict.
//! - `held.rs`: per-thread tracking, the list of locks this thread holds, and the checks
//!   that read it; the marker that keeps guards on their thread.
//! - `node.rs`: a lock's node in the order graph ([`OrderNode`]): its id, and its removal
//!   when the value drops.
//! - `graph.rs`: the order graph, per lock and per type, behind one mutex (debug builds).
//! - `cache.rs`: each thread's cache of edges known to be in the graph (debug builds).
//! - `message.rs`: what a refusal across values says (debug builds).
//! - `token.rs`: what an acquisition gets: the [`Held`] token a guard carries (its record
//!   in the list, and the profile's hold sample) and the [`Checked`] proof that the check
//!   ran before a wait.
//!
//! A sink: `order` knows no shape. The shapes hand it sites and nodes and keep its tokens;
//! it imports only the crate's vocabulary (`Part`) and, with the `profile` feature, the
//! profile's sample that rides in a token.

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
pub use token::GuardSample;
#[cfg(feature = "async")]
pub(crate) use token::hold_at;
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
