//! Each thread's cache of edges known to be in the order graph (debug builds), so that an
//! acquisition whose edges were all seen before takes no global lock.
//!
//! Direct-mapped: [`SLOTS`] pairs of node ids, each pair in the slot its hash picks, a
//! newer pair replacing an older one. A hit means the edge `held → taken` (and its class
//! edge, if the pair has one) was recorded by this thread or found recorded: an edge
//! leaves the graph only when one of its locks is dropped, and neither can be while this
//! thread holds one and takes the other. Ids are never reused, so a pair of a dropped lock
//! is merely stale: no live lock will ask for it again. The class edge is keyed by the
//! pair too: a lock's class never changes, and class edges are never removed.
//!
//! `const`-initialized, without a destructor (like the held list): usable while the
//! thread's other thread-locals are destroyed.

use core::cell::Cell;

use super::graph::NodeId;

/// How many pairs one thread remembers.
const SLOTS: usize = 256;

std::thread_local! {
    /// `(held, taken)` per slot; `(0, 0)` is empty (ids are never 0). Cells, not a
    /// `RefCell`: a look-up is a load and a compare, with no borrow flag to maintain.
    static CACHE: [Cell<(NodeId, NodeId)>; SLOTS] = const { [const { Cell::new((0, 0)) }; SLOTS] };
}

/// The slot of a pair: a multiplicative hash of both ids (consecutive ids are common).
fn slot(held: NodeId, taken: NodeId) -> usize {
    let mixed =
        (held.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ taken).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    (mixed >> 56) as usize % SLOTS
}

/// Whether this thread knows the edge `held → taken` to be recorded.
pub(crate) fn knows(held: NodeId, taken: NodeId) -> bool {
    CACHE.with(|cache| cache[slot(held, taken)].get() == (held, taken))
}

/// Remembers that the edge `held → taken` is recorded.
pub(crate) fn learn(held: NodeId, taken: NodeId) {
    CACHE.with(|cache| cache[slot(held, taken)].set((held, taken)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_learned_pair_is_known_until_a_colliding_one_replaces_it() {
        // Ids far above any the tests hand out, so no other test's pairs interfere (the
        // cache is per thread anyway).
        let (a, b) = (1 << 60, (1 << 60) + 1);
        assert!(!knows(a, b));
        learn(a, b);
        assert!(knows(a, b));
        assert!(!knows(b, a), "the reverse edge is another pair");
        let colliding = (2u64 << 60..)
            .find(|&c| slot(c, b) == slot(a, b))
            .expect("some id collides");
        learn(colliding, b);
        assert!(knows(colliding, b));
        assert!(!knows(a, b), "the slot holds the newer pair");
    }
}
