//! The order graph (debug builds): which lock has been held while which was taken, over
//! every lock lockwise generates, and the refusal of the acquisition that would close a
//! cycle, before it waits.
//!
//! # Two graphs, one mutex
//!
//! - **Instances.** A node per lock (its `OrderNode` id: a whole value's lock, a field's,
//!   a shard's, a read_mostly writer lock). A thread that holds X and takes Y records
//!   X → Y at these exact locks (tracing-mutex's semantics).
//! - **Classes.** A node per (owner type, part: `lock` | field name | `shard`). An edge
//!   between locks of *different* types is recorded between their classes too, unless
//!   either type opted into per-value order (`order = instance`). Pairs of one type (a
//!   transfer between two accounts, a chain locked parent → child, two shards of one map,
//!   fields of two values) stay in the instance graph only: their order is per value.
//!
//! An acquisition that would add an edge whose reverse path exists, in either graph, is
//! refused: the thread panics before it waits, and none of the acquisition's edges is
//! recorded. So both graphs stay acyclic, and one reported inversion does not poison the
//! graph for the rest of the program. Everything happens under one mutex, so the check
//! and the insert are atomic with respect to other threads.
//!
//! # What it finds
//!
//! A deadlock is a cycle of threads, each holding a lock the next one waits for: threads
//! T1..Tn, where Ti holds Li and waits for L(i+1), and Tn waits for L1. Each wait came with
//! an edge Li → L(i+1) at those exact locks, recorded before the wait began. So the last
//! thread to start waiting would have closed a cycle in the instance graph, and was
//! refused instead: **every deadlock among lockwise's locks is reported before the last
//! thread blocks.** The class graph adds reports for inversions that have not deadlocked
//! yet: `Accounts` → `Ledger` on one pair of values and `Ledger` → `Accounts` on another
//! deadlock as soon as two threads meet on one pair, so the second order is refused even
//! though these values never met (lockdep's per-class rule).
//!
//! Where it stops: a cycle that mixes a same-type step (two fields, two values of one
//! type, a type ordered per value) with class edges over *different* values is reported
//! only once the exact locks repeat (the instance graph), not earlier. Locks that are not
//! lockwise's are not in the graph at all.
//!
//! # Cost
//!
//! A lock's node leaves the graph when its value drops (`node.rs`), so the instance graph
//! holds live locks only; the class graph is bounded by types × parts. The graph is
//! consulted only for an edge the thread has not seen before: each thread keeps a cache of
//! edges known to be in the graph (`cache.rs`), checked before this mutex is taken.

use std::collections::{HashMap, HashSet};
use std::panic::Location;
use std::sync::{Mutex, PoisonError};

use super::site::LockSite;

/// A lock's id in the instance graph (its `OrderNode`'s): never 0, never reused.
pub(crate) type NodeId = u64;

/// Where a lock was taken: the caller of a lockwise acquisition (`#[track_caller]`).
pub(crate) type At = &'static Location<'static>;

/// One lock of a proposed edge: its node, its site (for classes and messages), and where
/// it was taken.
#[derive(Clone, Copy, Debug)]
pub(crate) struct End {
    pub(crate) node: NodeId,
    pub(crate) site: LockSite,
    pub(crate) at: At,
}

/// A proposed edge: `from` is held while `to` is taken.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Step {
    pub(crate) from: End,
    pub(crate) to: End,
}

/// Where an edge was first seen: where its source was taken, and its target.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Seen {
    pub(crate) from_at: At,
    pub(crate) to_at: At,
}

/// Which graph a cycle was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    /// At the exact locks.
    Instances,
    /// Between the types (and parts) of the locks.
    Classes,
}

/// An acquisition refused: `step` would close a cycle with `path`, which leads from
/// `step.to` back to `step.from` (both ends included), first seen as `first`.
#[derive(Debug)]
pub(crate) struct Inversion {
    pub(crate) step: Step,
    pub(crate) level: Level,
    /// The locks (or representatives of the classes) along the path, `step.to` first.
    pub(crate) path: Vec<LockSite>,
    /// The first edge of the path.
    pub(crate) first: Seen,
}

struct Vertex {
    /// How messages name this node (for a class: the first lock of it seen).
    site: LockSite,
    out: HashMap<u64, Seen>,
    ins: HashSet<u64>,
}

/// A directed graph over ids, kept acyclic by its one caller.
#[derive(Default)]
struct Digraph {
    vertices: HashMap<u64, Vertex>,
}

impl Digraph {
    fn has_edge(&self, from: u64, to: u64) -> bool {
        self.vertices
            .get(&from)
            .is_some_and(|v| v.out.contains_key(&to))
    }

    /// A path `from` ⇝ `to` (both included), if there is one: a depth-first search.
    fn path(&self, from: u64, to: u64) -> Option<Vec<u64>> {
        let mut parent: HashMap<u64, u64> = HashMap::new();
        let mut stack = vec![from];
        let mut seen = HashSet::from([from]);
        while let Some(at) = stack.pop() {
            if at == to {
                let mut path = vec![to];
                let mut current = to;
                while let Some(&before) = parent.get(&current) {
                    path.push(before);
                    current = before;
                }
                path.reverse();
                return Some(path);
            }
            let Some(vertex) = self.vertices.get(&at) else {
                continue;
            };
            for &next in vertex.out.keys() {
                if seen.insert(next) {
                    parent.insert(next, at);
                    stack.push(next);
                }
            }
        }
        None
    }

    fn site(&self, id: u64) -> Option<LockSite> {
        self.vertices.get(&id).map(|v| v.site)
    }

    fn seen(&self, from: u64, to: u64) -> Option<Seen> {
        self.vertices.get(&from)?.out.get(&to).copied()
    }

    fn vertex(&mut self, id: u64, site: LockSite) -> &mut Vertex {
        self.vertices.entry(id).or_insert_with(|| Vertex {
            site,
            out: HashMap::new(),
            ins: HashSet::new(),
        })
    }

    fn add(&mut self, from: (u64, LockSite), to: (u64, LockSite), seen: Seen) {
        self.vertex(from.0, from.1).out.entry(to.0).or_insert(seen);
        self.vertex(to.0, to.1).ins.insert(from.0);
    }

    /// Removes `id` and its edges, and the neighbours left without any.
    fn remove(&mut self, id: u64) {
        let Some(vertex) = self.vertices.remove(&id) else {
            return;
        };
        for to in vertex.out.keys() {
            if let Some(target) = self.vertices.get_mut(to) {
                target.ins.remove(&id);
            }
            self.drop_if_bare(*to);
        }
        for from in &vertex.ins {
            if let Some(source) = self.vertices.get_mut(from) {
                source.out.remove(&id);
            }
            self.drop_if_bare(*from);
        }
    }

    fn drop_if_bare(&mut self, id: u64) {
        if self
            .vertices
            .get(&id)
            .is_some_and(|v| v.out.is_empty() && v.ins.is_empty())
        {
            self.vertices.remove(&id);
        }
    }

    fn edges(&self) -> usize {
        self.vertices.values().map(|v| v.out.len()).sum()
    }

    /// The path `ids` as sites, and its first edge.
    fn describe(&self, ids: &[u64]) -> (Vec<LockSite>, Option<Seen>) {
        let sites = ids.iter().filter_map(|&id| self.site(id)).collect();
        let first = match ids {
            [a, b, ..] => self.seen(*a, *b),
            _ => None,
        };
        (sites, first)
    }
}

/// Both graphs, and the class ids.
#[derive(Default)]
pub(crate) struct Graph {
    instances: Digraph,
    classes: Digraph,
    class_ids: HashMap<(&'static str, &'static str), u64>,
}

impl Graph {
    /// Records every edge of `steps`, or, if one of them would close a cycle in either
    /// graph, none, and says which.
    pub(crate) fn record(&mut self, steps: &[Step]) -> Result<(), Box<Inversion>> {
        let mut classes = Vec::with_capacity(steps.len());
        for step in steps {
            let (from, to) = (step.from.node, step.to.node);
            if !self.instances.has_edge(from, to) {
                if let Some(path) = self.instances.path(to, from) {
                    return Err(self.inversion(*step, Level::Instances, &path));
                }
            }
            if step.from.site.ordered_by_class_with(&step.to.site) {
                let from = self.class_id(&step.from.site);
                let to = self.class_id(&step.to.site);
                if !self.classes.has_edge(from, to) {
                    // Different types: different classes, so `path` is never trivial.
                    if let Some(path) = self.classes.path(to, from) {
                        return Err(self.inversion(*step, Level::Classes, &path));
                    }
                }
                classes.push((from, to));
            } else {
                classes.push((0, 0));
            }
        }
        for (step, (from_class, to_class)) in steps.iter().zip(classes) {
            let seen = Seen {
                from_at: step.from.at,
                to_at: step.to.at,
            };
            self.instances.add(
                (step.from.node, step.from.site),
                (step.to.node, step.to.site),
                seen,
            );
            if from_class != 0 {
                self.classes
                    .add((from_class, step.from.site), (to_class, step.to.site), seen);
            }
        }
        Ok(())
    }

    fn inversion(&self, step: Step, level: Level, path: &[u64]) -> Box<Inversion> {
        let graph = match level {
            Level::Instances => &self.instances,
            Level::Classes => &self.classes,
        };
        let (path, first) = graph.describe(path);
        Box::new(Inversion {
            step,
            level,
            path,
            first: first.unwrap_or(Seen {
                from_at: step.to.at,
                to_at: step.from.at,
            }),
        })
    }

    /// The id of `site`'s class, interned on first sight (from 1; 0 is "none").
    fn class_id(&mut self, site: &LockSite) -> u64 {
        let next = self.class_ids.len() as u64 + 1;
        *self.class_ids.entry(site.class()).or_insert(next)
    }

    /// Removes a dropped lock's node and its edges.
    pub(crate) fn forget(&mut self, node: NodeId) {
        self.instances.remove(node);
    }

    /// How many nodes and edges the instance graph holds, and how many the class graph.
    pub(crate) fn size(&self) -> GraphSize {
        GraphSize {
            instance_nodes: self.instances.vertices.len(),
            instance_edges: self.instances.edges(),
            class_nodes: self.classes.vertices.len(),
            class_edges: self.classes.edges(),
        }
    }
}

/// The size of the order graph (tests: it stays bounded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GraphSize {
    /// Locks in the instance graph.
    pub instance_nodes: usize,
    /// Edges between them.
    pub instance_edges: usize,
    /// Classes (type and part) in the class graph.
    pub class_nodes: usize,
    /// Edges between them.
    pub class_edges: usize,
}

/// The process's graph. `std`'s mutex, poison-tolerant: no user code runs under it, and a
/// panic never starts while it is held (a refusal builds its message, then unlocks).
static GRAPH: Mutex<Option<Graph>> = Mutex::new(None);

/// Runs `f` on the process's graph, under its mutex.
pub(crate) fn with_graph<R>(f: impl FnOnce(&mut Graph) -> R) -> R {
    let mut graph = GRAPH.lock().unwrap_or_else(PoisonError::into_inner);
    f(graph.get_or_insert_with(Graph::default))
}

/// Removes a dropped lock's node (`OrderNode`'s drop).
pub(crate) fn forget(node: NodeId) {
    with_graph(|graph| graph.forget(node));
}

/// The size of the process's graph.
pub(crate) fn size() -> GraphSize {
    with_graph(|graph| graph.size())
}
