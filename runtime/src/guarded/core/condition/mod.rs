//! Conditions without condition variables: waiting until a predicate over a lock's state
//! holds, with no `notify` for anyone to forget (Abseil's `Mutex::LockWhen`/`Await`).
//!
//! # The protocol
//!
//! - A waiter evaluates its predicate while holding the lock `L` (any side of it). If it is
//!   false, still holding `L`, it counts itself in `L`'s [`Waiters`] word (`fetch_add`) and
//!   locks the slot mutex `S` of `L` (a static table of 64 mutex + condition variable
//!   pairs, 128-byte aligned, chosen by a Fibonacci hash of the word's address). Then it
//!   releases `L`, counts itself asleep in `S`'s own count, and sleeps on the slot's
//!   condition variable, which releases `S`. When woken (or timed out) it uncounts itself
//!   asleep, releases `S`, uncounts itself from the word, takes `L` again (with bounded
//!   waiting) and re-evaluates.
//! - A thread that releases `L` after it may have changed the state reads the word while
//!   it still holds `L`; if a waiter is counted, after releasing `L` it locks `S` and, if a
//!   thread is counted asleep there, wakes every waiter of the slot (`notify_all` is a
//!   system call even with no one to wake, and the word's waiters may all be tasks). Values that share a slot only cost each other a spurious
//!   re-check.
//!
//! # No lost wake-up
//!
//! Let waiter `W` find its predicate false in a critical section `C_W` of `L`, and writer
//! `X` change the state in a critical section `C_X`. `L` orders them. If `C_X` comes first,
//! `W` evaluated the predicate after `X`'s change: nothing to miss. If `C_W` comes first:
//! `W` incremented the word inside `C_W`, so the increment happens-before `X`'s load of the
//! word inside `C_X` (through `L`'s release/acquire), and by coherence that load returns a
//! value that includes `W`'s increment, unless `W` already decremented it, which it does
//! only after waking up, when it re-takes `L` and re-evaluates after `C_X` anyway. So `X`
//! sees a waiter and will lock `S` after releasing `L`. `W` locked `S` before releasing `L`,
//! that is, before `C_X` began, and holds it until the condition variable releases it
//! atomically with going to sleep. So `X` gets `S` only once `W` sleeps (or has already
//! left), with `W` counted asleep under `S`, and its `notify_all` wakes `W`.
//!
//! Every count is an atomic read-modify-write, so the count is exact in modification order:
//! a decrement never hides another waiter's increment. Relaxed ordering suffices; the
//! orders used are `L`'s and `S`'s. No thread holds `S` while taking any `L` (waiters
//! release `S` before re-taking `L`; writers take `S` after releasing `L`), so the slot
//! mutexes add no lock-order cycle.
//!
//! - *read_mostly*: readers take no lock, but a publish happens under the writer lock. So
//!   `read_when` first checks the current snapshot without any lock (a condition that
//!   holds costs a read), and otherwise runs the same protocol with `L` = the writer lock:
//!   it re-checks and counts itself under it, and a publish (`Staged`'s drop) loads the
//!   word under it after storing the new version. The same argument applies, with no
//!   SeqCst pair needed. `write_when` checks the published version and copies it only once
//!   the condition holds.
//! - *Who wakes*: every write guard's release (also when unwinding from a panic: there is
//!   no poisoning, so the change stands; read_mostly publishes nothing then, and the
//!   waiters re-check in vain), an upgraded read (it is a write guard), a downgrade (it
//!   loads the word before downgrading and notifies after), a read_mostly publish, and
//!   `wait_until` itself (it releases a write guard). Read guards and upgradable reads never
//!   wake anyone: shared state cannot change under them. A `*_when` that finds its
//!   condition false releases its lock without waking anyone (it changed nothing).
//! - *Timeouts*: a waiter woken by its deadline takes the lock once more and checks, so a
//!   condition that became true just in time counts; otherwise it gives up, uncounted.
//!   `wait_until` returns with the guard holding the lock in every case.
//! - *Debug check* (`order::check_alone`): `*_when` panics if the thread holds any lockwise
//!   lock (the thread that would make the condition true may need it), at the call, not
//!   only when it would wait, so the mistake shows deterministically. `wait_until` allows
//!   the guard's own lock. The lock is recorded as held from before the predicate first
//!   runs (`guarded/lock_at.rs`), in read_mostly mode too (its predicate runs under the
//!   writer lock): a predicate that takes it again, or an earlier field, panics as that
//!   code would outside a predicate, and a lock it takes is ordered after this one.
//! - *std, not parking_lot, for the slots*: loom mirrors std's API (the crate's `sync.rs`),
//!   so the model runs this very code; no user code runs under a slot mutex, so poisoning
//!   is ignored.
//!
//! - *Tasks* (feature `async`): `*_when_async` waits the same way without a thread to put
//!   to sleep: counted in the same word, it listens on the slot's `event_listener::Event`
//!   instead of the condition variable, and [`notify`] notifies both (`tasks.rs`, with the
//!   argument that no wake-up is lost there either).
//!
//! # Where it lives
//!
//! This module is the protocol's two halves, [`wait`] and [`notify`], over the word
//! (`waiters.rs`) and nothing else; `tasks.rs` is the half a task waits with. The loop of every `*_when` is `when.rs`; the releases
//! that call [`notify`] are `fair.rs`'s. `loom.rs` runs that production code in every
//! interleaving under loom (one slot: every value collides); `tests.rs` runs it under real
//! threads, small enough for Miri.

use std::time::Instant;

use crate::guarded::core::waiters::{Unlock, Waiters};
use crate::sync::{self, Condvar, Mutex, MutexGuard};

#[cfg(all(test, loom))]
mod loom;
#[cfg(all(test, loom, feature = "async"))]
mod loom_tasks;
#[cfg(feature = "async")]
pub(crate) mod tasks;
#[cfg(all(test, not(loom), feature = "async"))]
mod tasks_tests;
#[cfg(all(test, not(loom)))]
mod tests;

/// How many mutex + condition variable pairs all locks share. Under loom, one: every value
/// collides, the case that is hardest to get right.
#[cfg(not(loom))]
const SLOTS: usize = 64;
#[cfg(loom)]
const SLOTS: usize = 1;

/// One slot: the mutex that makes "count myself, release the lock, sleep" atomic with
/// respect to a waking writer, the condition variable the waiting threads sleep on, and
/// (feature `async`) the event the waiting tasks listen on (`tasks.rs`).
// A cache line each, so that waiters of unrelated values do not share one.
#[repr(align(128))]
struct Slot {
    /// How many threads sleep on `condvar`, counted under this mutex: a notification with
    /// none asleep (only tasks wait) skips `notify_all`, which is a system call even then.
    mutex: Mutex<usize>,
    condvar: Condvar,
    #[cfg(feature = "async")]
    tasks: tasks::Tasks,
}

impl Slot {
    sync::const_unless_loom! {
        fn new() -> Self {
            Self {
                mutex: Mutex::new(0),
                condvar: Condvar::new(),
                #[cfg(feature = "async")]
                tasks: tasks::Tasks::new(),
            }
        }
    }

    /// Sleeps until notified; with a deadline, until then at the latest. Returns `false`
    /// if it timed out. Consumes (releases) the slot guard; counted asleep meanwhile.
    fn sleep(&self, mut asleep: MutexGuard<'_, usize>, deadline: Option<Instant>) -> bool {
        let Some(deadline) = deadline else {
            *asleep += 1;
            let mut asleep = self
                .condvar
                .wait(asleep)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *asleep -= 1;
            return true;
        };
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            return false;
        };
        *asleep += 1;
        let (mut asleep, result) = self
            .condvar
            .wait_timeout(asleep, left)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *asleep -= 1;
        !result.timed_out()
    }
}

#[cfg(not(loom))]
static TABLE: [Slot; SLOTS] = [const { Slot::new() }; SLOTS];

#[cfg(loom)]
::loom::lazy_static! {
    static ref TABLE: Vec<Slot> = (0..SLOTS).map(|_| Slot::new()).collect();
}

/// The slot of the lock whose word is `waiters`: a multiplicative hash of its address.
fn slot_of(waiters: &Waiters) -> &'static Slot {
    &TABLE[slot_index(waiters)]
}

/// Which slot the lock whose word is `waiters` uses (tests find colliding values with it).
pub(crate) fn slot_index(waiters: &Waiters) -> usize {
    let address = core::ptr::from_ref(waiters).addr() as u64;
    // Fibonacci hashing: the top bits of address × 2^64/φ spread neighbouring addresses.
    let mixed = address.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // `SLOTS` is a power of two (one under loom).
    (mixed >> 32) as usize & (SLOTS - 1)
}

/// Wakes every thread (and, feature `async`, every task) waiting for a condition in
/// `waiters`' slot. Called after releasing the lock by a thread that read a non-zero waiter
/// count while holding it.
#[cold]
#[inline(never)]
pub(crate) fn notify(waiters: &Waiters) {
    let slot = slot_of(waiters);
    {
        let asleep = sync::lock(&slot.mutex);
        if *asleep > 0 {
            slot.condvar.notify_all();
        }
    }
    // With no lock held: a waker is the executor's code.
    #[cfg(feature = "async")]
    slot.tasks.notify();
}

/// Waits for a notification of `waiters`' lock, which this thread holds through `guard`:
/// counts this thread as a waiter, releases the lock (fairly if a thread is starving for
/// it; waking the other waiters if `writes`, since the holder may have changed the state),
/// and sleeps until woken or `deadline`. The lock is not held on return. Returns `false`
/// if the deadline passed.
pub(crate) fn wait<G: Unlock>(
    waiters: &Waiters,
    guard: G,
    writes: bool,
    deadline: Option<Instant>,
) -> bool {
    // Counted while holding the lock: a writer that takes the lock after this sees it.
    let before = waiters.register();
    let slot = slot_of(waiters);
    // Taken before the lock is released: a writer that saw the count can only notify once
    // this thread sleeps (the condition variable releases the slot mutex atomically).
    let slot_guard = sync::lock(&slot.mutex);
    let wakes = writes && Waiters::has_condition_waiters(before);
    if wakes && *slot_guard > 0 {
        // This thread releases a write lock too: the others' conditions may hold now. It
        // holds the slot mutex already, so it notifies here instead of in `release`.
        slot.condvar.notify_all();
    }
    // A sampled hold ends here, while the lock is still held (`waiters.rs`).
    waiters.end_sampled_hold(before);
    guard.unlock(Waiters::is_starving(before));
    // Tasks listen without the slot mutex; they are woken once the lock is released (a
    // waker is the executor's code, and must not run under the user's lock).
    #[cfg(feature = "async")]
    if wakes {
        slot.tasks.notify();
    }
    let woken = slot.sleep(slot_guard, deadline);
    waiters.unregister();
    woken
}
