//! Which failure a fan-out reports: the first error in time, unless a task panicked.

use std::any::Any;

use parking_lot::Mutex;

/// Why a fan-out stopped early.
pub(super) enum Failure<E> {
    /// A task returned `Err`.
    Error(E),
    /// A task (or the iterator) panicked, with this payload.
    Panic(Box<dyn Any + Send>),
}

/// The failure a fan-out will report, decided as failures arrive.
///
/// The first error in time wins over later errors. A panic wins over any error, earlier or
/// later, and the first panic over later ones: a panic is a bug, and hiding it behind an
/// ordinary error (which the caller may well handle and move on from) would lose it, while
/// `std::thread::scope` and rayon re-raise panics too.
pub(super) struct FirstFailure<E> {
    slot: Mutex<Option<Failure<E>>>,
}

impl<E> FirstFailure<E> {
    pub(super) const fn new() -> Self {
        Self {
            slot: Mutex::new(None),
        }
    }

    /// Keeps `failure` if it wins, and returns the loser, for the caller to drop after the
    /// lock is released (a user's `Drop` never runs under it).
    #[must_use = "the losing failure is returned so that it is dropped outside the lock"]
    pub(super) fn record(&self, failure: Failure<E>) -> Option<Failure<E>> {
        let mut slot = self.slot.lock();
        let wins = match (&*slot, &failure) {
            (None, _) => true,
            (Some(Failure::Error(_)), Failure::Panic(_)) => true,
            (Some(_), _) => false,
        };
        if wins {
            slot.replace(failure)
        } else {
            Some(failure)
        }
    }

    pub(super) fn into_inner(self) -> Option<Failure<E>> {
        self.slot.into_inner()
    }
}
