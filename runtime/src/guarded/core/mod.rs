//! The lock core: everything a mode builds on, naming no mode. Each file imports only the
//! ones listed before it:
//!
//! - `waiters.rs`: the slow-path word of one lock, and `Unlock` (a fair release).
//! - `condition/`: waiting for a predicate over a lock's state, woken by writers.
//! - `fair.rs`: bounded waiting (no waiter starves) and the fair release, which wakes
//!   condition waiters; `Fair`, the exclusive guard released through it.
//! - `when.rs`: the loop of every `*_when`, and `wait_until` in place.
//! - `mode.rs`: the contract a mode implements, `Mode` and `Acquire`.
//! - `guard.rs`: `ReadGuard` and `WriteGuard`, the same in every mode.
//! - `erased.rs`: guards with the state's type erased, and the cells built on them.
//! - `mapped.rs`: mapped guards, and the traits a mode implements to map.

pub(crate) mod condition;
pub(crate) mod erased;
pub(crate) mod fair;
pub(crate) mod guard;
pub(crate) mod mapped;
pub(crate) mod mode;
pub(crate) mod waiters;
pub(crate) mod when;
