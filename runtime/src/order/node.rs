//! A lock's identity in the order graph: an [`OrderNode`] that lives in the lock's
//! `Guarded`, debug builds only.
//!
//! Why not the address (what `LockSite` compares for the checks within one value): a value
//! that moves would change identity, and a dropped value would leave its edges to whatever
//! is allocated at its address next. So the identity lives in the value, and ends with it:
//!
//! - **An id assigned on first use.** `Guarded::new` is a `const fn`, so the node starts at
//!   0 and takes the next number of a global counter the first time its lock is taken or
//!   tried. Ids are 63-bit and never reused, so anything keyed by an id (a thread's cache of
//!   edges, `cache.rs`) can go stale but never be wrong.
//! - **A `Drop` that removes it.** The top bit says the id was put into the graph (as the
//!   target of an edge when it was taken, or as the source of one when its guard was
//!   released); only then does dropping the node lock the graph and remove the node and its
//!   edges. A value that was never locked together with another costs its drop nothing.
//!   `into_inner(self)` takes `Guarded` apart, so the node drops there too.
//!
//! Release builds have no graph: the node is a zero-sized type without `Drop`, so a
//! `Guarded` is exactly as large, and drops exactly as before.

#[cfg(debug_assertions)]
use core::sync::atomic::{AtomicU64, Ordering};

#[cfg(debug_assertions)]
use super::graph::{self, NodeId};

/// The bit of a node's word that says its id is in the graph.
#[cfg(debug_assertions)]
const IN_GRAPH: u64 = 1 << 63;

/// The next id to hand out.
#[cfg(debug_assertions)]
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A lock's node in the debug-build order graph (see the module docs). Zero-sized in
/// release builds.
#[derive(Debug)]
pub(crate) struct OrderNode {
    /// The id (0 until assigned) and the [`IN_GRAPH`] bit.
    #[cfg(debug_assertions)]
    word: AtomicU64,
}

impl OrderNode {
    /// A node without an id yet.
    #[inline(always)]
    pub(crate) const fn new() -> Self {
        Self {
            #[cfg(debug_assertions)]
            word: AtomicU64::new(0),
        }
    }
}

#[cfg(debug_assertions)]
impl OrderNode {
    /// This node's id, assigned now if it has none.
    #[inline]
    pub(crate) fn id(&self) -> NodeId {
        match self.word.load(Ordering::Relaxed) & !IN_GRAPH {
            0 => self.assign(),
            id => id,
        }
    }

    /// The first use: the next id, unless another thread's first use won.
    #[cold]
    #[inline(never)]
    fn assign(&self) -> NodeId {
        let fresh = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        match self
            .word
            .compare_exchange(0, fresh, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => fresh,
            Err(current) => current & !IN_GRAPH,
        }
    }

    /// Notes that this node's id is in the graph, so that its drop removes it. Called
    /// while the lock is borrowed (being taken, or a guard of it being released), so
    /// before any drop.
    #[inline]
    pub(crate) fn mark_in_graph(&self) {
        if self.word.load(Ordering::Relaxed) & IN_GRAPH == 0 {
            self.word.fetch_or(IN_GRAPH, Ordering::Relaxed);
        }
    }
}

#[cfg(debug_assertions)]
impl Drop for OrderNode {
    fn drop(&mut self) {
        let word = *self.word.get_mut();
        if word & IN_GRAPH != 0 {
            graph::forget(word & !IN_GRAPH);
        }
    }
}
