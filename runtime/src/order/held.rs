//! Per-thread tracking: the locks this thread holds, in the order it took them (debug
//! builds), and the checks that read that list: against the same value (re-lock, field
//! order, same shard) and, across values, against the order graph (`graph.rs`). Release
//! builds keep no list: every function here is empty and inlined away.

use core::marker::PhantomData;

/// How many locks one thread's record holds at once; beyond that, locks are not checked.
#[cfg(debug_assertions)]
pub(crate) const CAPACITY: usize = 64;

/// What keeps a guard from crossing threads: rustc names this trait when a guard is held
/// across an `.await` in a future that must be `Send` ("the trait `Send` is not
/// implemented for `dyn GuardHeldAcrossAwaitDropItFirst`"), and the name is the advice:
/// copy what you need out of the guard and drop it before the `.await`.
///
/// Every lockwise guard is `!Send` (and `Sync`), in every build and whatever parking_lot's
/// features: a lock is released by the thread that took it, the records here are per
/// thread, and a guard held across an `.await` would keep its lock while the task sleeps
/// and could be released on another thread. (parking_lot's own guards are `Send` when any
/// crate enables its `send_guard` feature.) A trait object without `+ Send` is not `Send`;
/// `Sync` is a supertrait, so the object, and the guard, stay `Sync`.
///
/// ```compile_fail
/// fn send<T: Send>(_: T) {}
/// let v: lockwise::Guarded<u8> = lockwise::Guarded::new(1);
/// send(v.write()); // error: `dyn GuardHeldAcrossAwaitDropItFirst` cannot be sent
/// ```
///
/// ```
/// fn share<T: Sync>(_: &T) {}
/// let v: lockwise::Guarded<u8> = lockwise::Guarded::new(1);
/// share(&v.write()); // a guard can be shared with scoped threads
/// ```
pub trait GuardHeldAcrossAwaitDropItFirst: Sync {}

/// Makes a guard `!Send` and leaves it `Sync` (see [`GuardHeldAcrossAwaitDropItFirst`]).
pub(super) type StaysHere = PhantomData<dyn GuardHeldAcrossAwaitDropItFirst>;

#[cfg(debug_assertions)]
mod tracking {
    use super::{CAPACITY, StaysHere};
    use crate::order::cache;
    use crate::order::graph::{self, At, End, NodeId, Step};
    use crate::order::message;
    use crate::order::node::OrderNode;
    use crate::order::site::LockSite;
    use core::cell::RefCell;
    use core::marker::PhantomData;
    use std::panic::Location;

    /// One lock this thread holds.
    #[derive(Clone, Copy)]
    struct Entry {
        site: LockSite,
        node: NodeId,
        at: At,
        /// An edge from this lock was recorded while it was held: its node must leave
        /// the graph when it drops (set on release, `Record`'s drop).
        source: bool,
    }

    /// The locks one thread holds, in the order it took them. A fixed array of `Copy`
    /// records, so the thread-local has no destructor and is never gone.
    struct HeldList {
        entries: [Option<Entry>; CAPACITY],
        len: usize,
    }

    impl HeldList {
        fn iter(&self) -> impl Iterator<Item = &Entry> {
            self.entries[..self.len].iter().flatten()
        }
    }

    std::thread_local! {
        static HELD: RefCell<HeldList> = const {
            RefCell::new(HeldList { entries: [None; CAPACITY], len: 0 })
        };
    }

    /// Panics if taking `site` (whose node is `node`) could deadlock with a lock this
    /// thread holds: the same value's checks first (their messages name fields and
    /// shards), then the order graph. Called before every acquisition that can wait.
    #[track_caller]
    pub(crate) fn check(site: &LockSite, node: &OrderNode) {
        check_against_others(site, node, false);
    }

    /// [`check`]; for an `upgrade`, against every lock but this one, which the upgrading
    /// guard holds already.
    #[track_caller]
    fn check_against_others(site: &LockSite, node: &OrderNode, upgrade: bool) {
        // Read here: inside the closure below it would name the closure, not the caller.
        let at = Location::caller();
        let id = node.id();
        let mut missing: Vec<Step> = Vec::new();
        let conflict = HELD.with(|held| {
            let held = held.borrow();
            // The common case, holding nothing else: nothing to check, nothing to record.
            if held.len == 0 {
                return None;
            }
            // One plain pass (this runs unoptimized in a debug build, where iterator
            // adapters cost a call each): the same value's conflicts, and whether any edge
            // is one this thread has not seen (seen ones are in the graph already).
            let mut unseen = false;
            for entry in &held.entries[..held.len] {
                let Some(entry) = entry else { continue };
                if upgrade && entry.node == id {
                    continue;
                }
                if let Some(message) = site.conflict_with(&entry.site) {
                    return Some(message);
                }
                unseen |= entry.node != id && !cache::knows(entry.node, id);
            }
            if unseen {
                let to = End {
                    node: id,
                    site: *site,
                    at,
                };
                missing.extend(
                    held.iter()
                        .filter(|h| h.node != id && !cache::knows(h.node, id))
                        .map(|h| Step {
                            from: End {
                                node: h.node,
                                site: h.site,
                                at: h.at,
                            },
                            to,
                        }),
                );
            }
            None
        });
        if let Some(message) = conflict {
            panic!("{message}");
        }
        if !missing.is_empty() {
            record(&missing, node);
        }
    }

    /// The slow path of [`check`]: edges this thread has not seen, recorded or refused.
    #[cold]
    #[inline(never)]
    #[track_caller]
    fn record(steps: &[Step], node: &OrderNode) {
        if let Err(inversion) = graph::with_graph(|graph| graph.record(steps)) {
            // The graph's mutex is released: the message is built and the panic raised
            // outside it.
            panic!("{}", message::inversion(&inversion));
        }
        node.mark_in_graph();
        let taken = steps[0].to.node;
        let _ = HELD.try_with(|held| {
            let mut held = held.borrow_mut();
            let len = held.len;
            for entry in held.entries[..len].iter_mut().flatten() {
                if steps.iter().any(|s| s.from.node == entry.node) {
                    entry.source = true;
                }
            }
        });
        for step in steps {
            cache::learn(step.from.node, taken);
        }
    }

    /// Panics if this thread holds any lock (tracked, other than `own`): it is about to
    /// wait for a condition on `site`, and the thread that would make the condition true
    /// may need the lock it holds.
    #[track_caller]
    pub(crate) fn check_alone(site: &LockSite, own: Option<&LockSite>) {
        let held = HELD.with(|held| {
            held.borrow()
                .iter()
                .find(|h| own.is_none_or(|own| !h.site.same_lock(own)))
                .map(|h| h.site)
        });
        let Some(held) = held else { return };
        if let Some(relock) = site.conflict_with(&held) {
            panic!("{relock}");
        }
        panic!("{}", crate::order::message::waits_holding(site, &held));
    }

    /// Records that this thread now holds `site`'s lock, until the returned token drops.
    #[track_caller]
    pub(crate) fn hold<'a>(site: LockSite, node: &'a OrderNode) -> Record<'a> {
        hold_at(site, node, Location::caller())
    }

    /// [`hold`], taken at `at`: a future's acquisition, whose caller is its executor, says
    /// where the future was made instead.
    pub(crate) fn hold_at<'a>(site: LockSite, node: &'a OrderNode, at: At) -> Record<'a> {
        let id = node.id();
        let entry = Entry {
            site,
            node: id,
            at,
            source: false,
        };
        let recorded = HELD.with(|held| {
            let mut held = held.borrow_mut();
            let len = held.len;
            if len == CAPACITY {
                return false;
            }
            held.entries[len] = Some(entry);
            held.len += 1;
            true
        });
        Record(recorded.then_some((site, node)), PhantomData)
    }

    /// A guard's record in this thread's list of held locks. Not `Send` (see `StaysHere`).
    #[derive(Debug)]
    pub(crate) struct Record<'a>(Option<(LockSite, &'a OrderNode)>, StaysHere);

    impl Record<'_> {
        pub(crate) const NONE: Self = Self(None, PhantomData);

        /// Panics if this thread holds another lock than this guard's: it is about to wait
        /// for a condition, releasing only this one (see [`check_alone`]).
        #[track_caller]
        pub(crate) fn check_waits_alone(&self) {
            if let Some((site, _)) = &self.0 {
                check_alone(site, Some(site));
            }
        }

        /// Panics if an upgrade of this guard's lock could deadlock: this thread holds the
        /// lock through another guard too (an upgrade waits for every other reader to
        /// leave, this thread included), or the upgrade, a wait for this lock while holding
        /// the others this thread took since, inverts the order graph.
        #[track_caller]
        pub(crate) fn check_upgrade(&self) {
            let Some((site, node)) = self.0 else { return };
            let holders = HELD.with(|held| {
                held.borrow()
                    .iter()
                    .filter(|h| h.site.same_lock(&site))
                    .count()
            });
            if holders > 1 {
                panic!(
                    "lockwise: upgrading the lock of this {} waits for every other reader to \
                     leave, but this thread holds another guard of it too, so the upgrade would \
                     deadlock; drop that guard first",
                    site.owner_name()
                );
            }
            check_against_others(&site, node, true);
        }
    }

    impl Drop for Record<'_> {
        fn drop(&mut self) {
            let Some((_, node)) = self.0 else { return };
            let id = node.id();
            // Guards can drop in any order; remove the latest record of this lock.
            let source = HELD.try_with(|held| {
                let mut held = held.borrow_mut();
                let len = held.len;
                let found = held.entries[..len]
                    .iter()
                    .rposition(|h| h.is_some_and(|h| h.node == id))?;
                let source = held.entries[found].is_some_and(|h| h.source);
                held.entries.copy_within(found + 1..len, found);
                held.entries[len - 1] = None;
                held.len -= 1;
                Some(source)
            });
            if let Ok(Some(true)) = source {
                node.mark_in_graph();
            }
        }
    }
}

#[cfg(not(debug_assertions))]
mod tracking {
    use super::StaysHere;
    use crate::order::node::OrderNode;
    use crate::order::site::LockSite;
    use core::marker::PhantomData;

    #[inline(always)]
    pub(crate) fn check(_site: &LockSite, _node: &OrderNode) {}

    #[inline(always)]
    pub(crate) fn check_alone(_site: &LockSite, _own: Option<&LockSite>) {}

    #[inline(always)]
    pub(crate) fn hold<'a>(_site: LockSite, _node: &'a OrderNode) -> Record<'a> {
        Record(PhantomData, PhantomData)
    }

    #[cfg(feature = "async")]
    #[inline(always)]
    pub(crate) fn hold_at<'a>(
        _site: LockSite,
        _node: &'a OrderNode,
        _at: &'static core::panic::Location<'static>,
    ) -> Record<'a> {
        Record(PhantomData, PhantomData)
    }

    /// Release builds keep no record: a zero-sized token without `Drop`.
    #[derive(Debug)]
    pub(crate) struct Record<'a>(PhantomData<&'a OrderNode>, StaysHere);

    impl Record<'_> {
        pub(crate) const NONE: Self = Self(PhantomData, PhantomData);

        #[inline(always)]
        pub(crate) fn check_upgrade(&self) {}

        #[inline(always)]
        pub(crate) fn check_waits_alone(&self) {}
    }
}

#[cfg(feature = "async")]
pub(super) use tracking::hold_at;
pub(super) use tracking::{Record, check, check_alone, hold};
