//! Who runs a field's initializer, who waits, and what the waiters see: the coordination
//! protocol of `OnceField`, apart from where the value is stored.
//!
//! A field is in one [`Phase`]. `Empty` → `Running` when a caller claims the attempt;
//! `Running` → `Ready`, `Failed` (the error is kept, default policy), `Poisoned` (the
//! initializer panicked, default policy) or back to `Empty` (retry policies) when the
//! attempt ends. Through `&self`, `Ready`, `Failed` and `Poisoned` are final.
//!
//! Two more transitions. `set(value)` claims the attempt only if the field is `Empty`
//! (`claim_now`: no waiting, no gate) and ends it `Ready` with the value stored, so it is
//! one more runner of an attempt, under the same lock, and every argument below holds for
//! it. `take` goes from any phase to `Empty` (`reset`), but through `&mut self`: the
//! borrow checker proves that no caller is in the protocol then (an attempt, a waiter and
//! a `&T` handed out all borrow the field), so the finality that callers rely on, that a
//! `&T` they hold stays valid, is never in question: the next `&self` caller finds an
//! empty field, as a new one.
//!
//! Every transition happens with `inner` locked; a caller that finds an attempt running
//! waits on `turn` under that same lock, and the runner notifies `turn` in the critical
//! section that ends its attempt. That is the whole no-lost-wakeup argument: a waiter
//! checks the phase and starts waiting atomically with respect to the runner's change of
//! it, so it is either woken by the change or sees it before it would wait. The waiter
//! count lets the runner skip the notification (a system call on Linux) when no one waits.
//!
//! Exactly once: only the caller that moves the field `Empty` → `Running` runs the
//! initializer (or, for `set`, stores its value), only the runner stores the value, and
//! nothing leaves `Ready` through `&self`. The runner
//! stores the value before it takes the lock to set `Ready`, so whoever sees `Ready` under
//! the lock also sees the value (and the fast path sees it through `OnceLock`'s own
//! release/acquire).
//!
//! Waiters re-check the phase in a loop: a wake-up may be spurious, and under a retry
//! policy one of them claims the next attempt while the others wait again. A panicking
//! initializer unwinds through the attempt's guard, which ends the attempt (`Poisoned`
//! under `Cache`, `Empty` under retry) and wakes the waiters. Every wait for another
//! caller's initializer happens in one function (`wait_for_attempt`), which is where the
//! `profile` feature counts waiters and times their wait.
//!
//! The protocol runs on std's `Mutex` and `Condvar`, not parking_lot's: their constructors
//! are `const` (a field in a `static`, a `const fn new`), and loom mirrors their API (the
//! model is `loom.rs`). Poisoning is ignored: the state is consistent at every unlock, and
//! the initializer never runs under the lock.
//!
//! The phase is also mirrored in an atomic, written only under the lock, so that `Debug`
//! can report it without waiting.
//!
//! # Tasks (the `async` feature)
//!
//! An async caller goes through the same phases, under the same lock, with two differences:
//!
//! - **It waits without blocking.** Finding `Running`, it registers a listener on `tasks`
//!   (an `event_listener::Event`) *under the lock*, and awaits it with the lock released.
//!   The end of an attempt sets the phase under the lock and then notifies `tasks`, with
//!   the lock released (a waker is user code: it must not run under this lock). No lost
//!   wake-up, as for threads: a listener registered before the attempt ended is in the list
//!   when `notify` runs, and one registered after saw the new phase instead (or a newer
//!   attempt, whose end notifies it in turn; a wake-up meant for an older one is a spurious
//!   wake-up, and the caller re-checks the phase).
//! - **Its runner is whoever polls it.** An attempt claimed by a task has no thread: the
//!   task may move between threads between polls. While a thread polls the initializer
//!   (`Attempt::polling`), it is the attempt's `runner` and this thread's reentrancy record
//!   names the field, exactly as for a synchronous attempt, so an initializer that awaits
//!   its own field finds itself as the runner and panics. Between polls the runner is
//!   `None` (and any cycle edge pointing at the last poller is removed, as when an attempt
//!   ends): a task that awaits the field on another task cannot be told from a slow
//!   initializer, so it waits (a real await across tasks is not detected).
//!
//! **Cancellation.** An async attempt is owned by the future that claimed it; dropping that
//! future between polls drops the `Attempt`, which ends it `Empty`, so the next caller (a
//! woken waiter) claims a new one: nobody waits for an initializer that nobody polls. An
//! attempt ends `Poisoned` (under `Cache`) only if it is dropped while its initializer is
//! being polled or created, that is, by the initializer's own panic.

use core::mem::ManuallyDrop;

#[cfg(feature = "async")]
use event_listener::{Event, EventListener};

use super::cycle;
use super::reentrancy::{self, ThreadKey};
use super::site::OnceSite;
use crate::sync::{AtomicU8, Condvar, Mutex, MutexGuard, Ordering, const_unless_loom, lock};

/// Where a field stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Phase {
    /// No value, no attempt running: the next caller runs one.
    Empty = 0,
    /// A caller is running the initializer; others wait.
    Running = 1,
    /// The value is stored. Final.
    Ready = 2,
    /// The error is stored (default policy). Final.
    Failed = 3,
    /// The initializer panicked (default policy). Final.
    Poisoned = 4,
}

impl Phase {
    fn from_u8(raw: u8) -> Self {
        match raw {
            1 => Self::Running,
            2 => Self::Ready,
            3 => Self::Failed,
            4 => Self::Poisoned,
            _ => Self::Empty,
        }
    }
}

/// What a caller who did not find the value must do.
pub(crate) enum Entry<'a, R> {
    /// The value is stored: read it.
    Ready,
    /// The error is stored: return it.
    Failed,
    /// The policy's gate answered instead of an attempt (a throttled retry).
    Refused(R),
    /// Run the initializer, then end the attempt.
    Run(Attempt<'a>),
}

pub(crate) struct Protocol {
    /// The [`Phase`], written only with `inner` locked.
    phase: AtomicU8,
    inner: Mutex<Inner>,
    /// Notified when an attempt ends.
    turn: Condvar,
    /// Tasks waiting for an attempt (the `async` feature), notified when it ends.
    #[cfg(feature = "async")]
    tasks: Event,
    /// The profile's counters of this field: initializer runs and waits for another
    /// caller's initializer (registered by the first of them; a ready field's fast path
    /// counts nothing).
    #[cfg(feature = "profile")]
    profile: std::sync::OnceLock<std::sync::Arc<crate::profile::LockCounters>>,
}

struct Inner {
    /// The thread running the attempt, while `Running` (`None` if it is unknown).
    runner: Option<ThreadKey>,
    /// Callers waiting on `turn`.
    waiters: u32,
    /// Edges of the cross-thread cycle list that point at this field (see `cycle`).
    cycle_edges: u32,
}

impl Protocol {
    const_unless_loom! {
        pub(crate) fn new() -> Self {
            Self {
                phase: AtomicU8::new(Phase::Empty as u8),
                inner: Mutex::new(Inner {
                    runner: None,
                    waiters: 0,
                    cycle_edges: 0,
                }),
                turn: Condvar::new(),
                #[cfg(feature = "async")]
                tasks: Event::new(),
                #[cfg(feature = "profile")]
                profile: std::sync::OnceLock::new(),
            }
        }
    }

    /// The phase, without waiting; it may change right after.
    pub(crate) fn phase(&self) -> Phase {
        Phase::from_u8(self.phase.load(Ordering::Acquire))
    }

    /// Waits out any running attempt. Then: a final phase is reported (or, `Poisoned`,
    /// panics); an empty field is offered to `gate` (the policy's throttle), and, unless
    /// the gate answers, claimed: this caller runs the next attempt. `poison_on_panic`
    /// says how the claimed attempt ends if its initializer panics.
    ///
    /// Panics instead of waiting for this thread itself (reentrancy) or for a thread that
    /// waits for this one (a cross-thread cycle).
    #[track_caller]
    pub(crate) fn enter<R>(
        &self,
        site: &'static OnceSite,
        poison_on_panic: bool,
        gate: impl FnOnce() -> Option<R>,
    ) -> Entry<'_, R> {
        let me = reentrancy::this_thread();
        let mut inner = lock(&self.inner);
        loop {
            match Phase::from_u8(self.phase.load(Ordering::Relaxed)) {
                Phase::Ready => return Entry::Ready,
                Phase::Failed => return Entry::Failed,
                Phase::Poisoned => {
                    drop(inner);
                    poisoned(site);
                }
                Phase::Running => {
                    if me.is_some() && inner.runner == me {
                        drop(inner);
                        panic!("{}", reentrancy::reentrant(site));
                    }
                    inner = self.wait_for_attempt(inner, site, me);
                }
                Phase::Empty => {
                    if let Some(answer) = gate() {
                        return Entry::Refused(answer);
                    }
                    inner.runner = me;
                    self.set_phase(Phase::Running);
                    drop(inner);
                    // The profile counts each attempt as a write (an initializer run).
                    #[cfg(feature = "profile")]
                    self.profile_counters(site).acquired(true);
                    return Entry::Run(Attempt {
                        protocol: self,
                        poison_on_panic,
                        outer: Some(reentrancy::enter(site)),
                    });
                }
            }
        }
    }

    /// Claims an attempt for a value given from outside (`set`): at once if the field is
    /// `Empty`, else `None`; never waits and asks no gate (a throttle holds back
    /// initializers, not a value the owner hands in). The attempt runs no user code (it
    /// stores the value and ends), so it is not recorded as this thread initializing the
    /// field, and has no runner: nothing can wait for this thread from inside it, so it can
    /// be on no cycle.
    pub(crate) fn claim_now(&self) -> Option<Attempt<'_>> {
        let inner = lock(&self.inner);
        if Phase::from_u8(self.phase.load(Ordering::Relaxed)) != Phase::Empty {
            return None;
        }
        debug_assert!(inner.runner.is_none(), "an empty field has no runner");
        self.set_phase(Phase::Running);
        drop(inner);
        Some(Attempt {
            protocol: self,
            poison_on_panic: false,
            outer: None,
        })
    }

    /// [`enter`](Self::enter) for a task: the same answers, except that finding an attempt
    /// running it returns a listener to await (registered under the lock, so the attempt's
    /// end notifies it) instead of blocking, and the attempt it claims has no runner until
    /// it is polled (`Attempt::polling`) and, between polls, cannot poison the field.
    ///
    /// Panics, as `enter`, if the field is poisoned, or if this thread is polling the
    /// running attempt's initializer right now (an initializer awaiting its own field).
    #[cfg(feature = "async")]
    pub(crate) fn enter_async<R>(
        &self,
        site: &'static OnceSite,
        gate: impl FnOnce() -> Option<R>,
    ) -> Turn<'_, R> {
        let me = reentrancy::this_thread();
        let mut inner = lock(&self.inner);
        Turn::Now(match Phase::from_u8(self.phase.load(Ordering::Relaxed)) {
            Phase::Ready => Entry::Ready,
            Phase::Failed => Entry::Failed,
            Phase::Poisoned => {
                drop(inner);
                poisoned(site);
            }
            Phase::Running => {
                if me.is_some() && inner.runner == me {
                    drop(inner);
                    panic!("{}", reentrancy::reentrant(site));
                }
                return Turn::Wait(self.tasks.listen());
            }
            Phase::Empty => {
                if let Some(answer) = gate() {
                    return Turn::Now(Entry::Refused(answer));
                }
                inner.runner = None;
                self.set_phase(Phase::Running);
                drop(inner);
                #[cfg(feature = "profile")]
                self.profile_counters(site).acquired(true);
                Entry::Run(Attempt {
                    protocol: self,
                    poison_on_panic: false,
                    outer: None,
                })
            }
        })
    }

    /// Awaits the end of the running attempt (or a spurious wake-up): the task's
    /// [`wait_for_attempt`](Self::wait_for_attempt), where the `profile` feature counts it.
    #[cfg(feature = "async")]
    pub(crate) async fn wait_for_attempt_async(
        &self,
        site: &'static OnceSite,
        listener: EventListener,
    ) {
        #[cfg(feature = "profile")]
        let started = std::time::Instant::now();
        listener.await;
        #[cfg(feature = "profile")]
        self.profile_counters(site).waited(started.elapsed());
        #[cfg(not(feature = "profile"))]
        let _ = site;
    }

    /// Makes the field `Empty` again, whatever its phase (`take`). `&mut self`: no caller
    /// is inside the protocol, so no attempt runs and no one waits (an attempt borrows the
    /// field until it ends, even by unwinding); the records are reset all the same.
    pub(crate) fn reset(&mut self) {
        let id = self.id();
        let inner = self
            .inner
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if inner.cycle_edges > 0 {
            cycle::forget_field(id);
        }
        *inner = Inner {
            runner: None,
            waiters: 0,
            cycle_edges: 0,
        };
        self.set_phase(Phase::Empty);
    }

    /// This field's profile counters, registered on the first attempt or wait.
    #[cfg(feature = "profile")]
    fn profile_counters(&self, site: &'static OnceSite) -> &crate::profile::LockCounters {
        self.profile.get_or_init(|| {
            crate::profile::register_lock(crate::profile::SiteKey {
                path: site.type_name,
                part: crate::profile::Part::Field(site.field),
                kind: crate::profile::Kind::Lazy,
            })
        })
    }

    /// Waits until the running attempt ends (or a spurious wake-up).
    ///
    /// Every wait for another caller's initializer happens here and nowhere else: this is
    /// where the `profile` feature (issue 13) counts waiters and the time they waited.
    #[track_caller]
    fn wait_for_attempt<'a>(
        &'a self,
        mut inner: MutexGuard<'a, Inner>,
        site: &'static OnceSite,
        me: Option<ThreadKey>,
    ) -> MutexGuard<'a, Inner> {
        // Only a thread that is itself initializing something can be on a cycle.
        let edge = match (me, inner.runner, reentrancy::initializing()) {
            (Some(waiter), Some(runner), Some(_)) => Some(cycle::Edge {
                waiter,
                field: self.id(),
                field_site: site,
                runner,
            }),
            _ => None,
        };
        if let Some(edge) = edge {
            if let Err(message) = cycle::wait_for(edge) {
                drop(inner);
                panic!("{message}");
            }
            inner.cycle_edges += 1;
        }
        inner.waiters += 1;
        #[cfg(feature = "profile")]
        let started = std::time::Instant::now();
        let mut inner = self
            .turn
            .wait(inner)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.waiters -= 1;
        #[cfg(feature = "profile")]
        self.profile_counters(site).waited(started.elapsed());
        // Still there after a spurious wake-up; an ended attempt removed it already.
        if edge.is_some_and(|edge| cycle::forget_waiter(edge.waiter)) {
            inner.cycle_edges -= 1;
        }
        inner
    }

    /// The attempt has no runner any more (it ended, or a poll of it returned): the cycle
    /// edges that pointed at the runner go with it.
    fn release_runner(&self, inner: &mut Inner) {
        inner.runner = None;
        if inner.cycle_edges > 0 {
            cycle::forget_field(self.id());
            inner.cycle_edges = 0;
        }
    }

    fn set_phase(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Release);
    }

    /// This field, in the cycle list: its address, unique while a caller borrows it.
    fn id(&self) -> usize {
        core::ptr::from_ref(self).addr()
    }

    /// Callers waiting for an attempt right now (tests synchronize on it).
    #[cfg(all(test, not(loom)))]
    pub(crate) fn waiters(&self) -> u32 {
        lock(&self.inner).waiters
    }
}

/// What a task that did not find the value must do now.
#[cfg(feature = "async")]
pub(crate) enum Turn<'a, R> {
    /// What a thread would have done after waiting.
    Now(Entry<'a, R>),
    /// Await this listener (an attempt is running), then ask again.
    Wait(EventListener),
}

/// The panic of every call to a poisoned field.
#[track_caller]
fn poisoned(site: &'static OnceSite) -> ! {
    panic!(
        "lockwise: the initializer of `{site}` panicked earlier, so `{site}` is poisoned: \
         every call to it panics. (With `#[once_init(retry)]`, a panic leaves the field \
         empty and the next call tries again.)"
    );
}

/// A claimed attempt. [`finish`](Self::finish) ends it with the initializer's outcome;
/// dropped without that (the initializer panicked), it ends as `Poisoned` or `Empty`,
/// per the policy. Either way the waiters are woken.
pub(crate) struct Attempt<'a> {
    protocol: &'a Protocol,
    poison_on_panic: bool,
    /// What this thread was initializing before this attempt, to restore when it ends;
    /// `None` for an attempt that was not recorded (`set`'s, which runs no initializer).
    outer: Option<Option<&'static OnceSite>>,
}

impl<'a> Attempt<'a> {
    /// Ends the attempt in `phase`: `Ready` (the value is stored), `Failed` (the error is
    /// stored) or `Empty` (retry).
    pub(crate) fn finish(self, phase: Phase) {
        let this = ManuallyDrop::new(self);
        this.end(phase);
    }

    fn end(&self, phase: Phase) {
        if let Some(outer) = self.outer {
            reentrancy::leave(outer);
        }
        let protocol = self.protocol;
        let mut inner = lock(&protocol.inner);
        protocol.release_runner(&mut inner);
        protocol.set_phase(phase);
        if inner.waiters > 0 {
            protocol.turn.notify_all();
        }
        drop(inner);
        // After the lock: a waker may run code that asks for this field.
        #[cfg(feature = "async")]
        protocol.tasks.notify(usize::MAX);
    }

    /// Records that this thread polls the attempt's initializer (or creates its future),
    /// until [`Polling::done`]: this thread is the attempt's runner and this thread's
    /// reentrancy record names `site`, and if the poll panics (the `Polling` is dropped
    /// without `done`), the attempt ends as a panicking synchronous one does
    /// (`poison_on_panic`).
    #[cfg(feature = "async")]
    pub(crate) fn polling(
        &mut self,
        site: &'static OnceSite,
        poison_on_panic: bool,
    ) -> Polling<'_, 'a> {
        let outer = reentrancy::enter(site);
        lock(&self.protocol.inner).runner = reentrancy::this_thread();
        self.poison_on_panic = poison_on_panic;
        Polling {
            attempt: self,
            outer,
        }
    }
}

/// One poll of an async attempt's initializer, in progress (see [`Attempt::polling`]).
#[cfg(feature = "async")]
pub(crate) struct Polling<'p, 'a> {
    attempt: &'p mut Attempt<'a>,
    /// What this thread was initializing before this poll.
    outer: Option<&'static OnceSite>,
}

#[cfg(feature = "async")]
impl Polling<'_, '_> {
    /// The poll returned: the attempt goes on (or ends by the caller's `finish`), and
    /// dropping it from now on abandons it.
    pub(crate) fn done(self) {
        self.attempt.poison_on_panic = false;
    }
}

#[cfg(feature = "async")]
impl Drop for Polling<'_, '_> {
    /// After the poll, or while its panic unwinds: this thread no longer runs the attempt.
    fn drop(&mut self) {
        reentrancy::leave(self.outer);
        let protocol = self.attempt.protocol;
        protocol.release_runner(&mut lock(&protocol.inner));
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        self.end(if self.poison_on_panic {
            Phase::Poisoned
        } else {
            Phase::Empty
        });
    }
}
