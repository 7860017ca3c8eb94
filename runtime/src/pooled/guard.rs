//! [`Pooled`]: an object out of a pool, given back on drop.

use core::fmt;
use core::mem::ManuallyDrop;
use core::ops::{Deref, DerefMut};

use super::local::Slot;
use super::reset::Reset;
use super::shared::Shared;

/// An object taken from a [`Pool`](super::Pool): derefs to it, and gives it back to the
/// pool when dropped, [reset](Reset::reset) first.
///
/// On drop the object is kept (reset, into the dropping thread's cache or the shared
/// stack) unless [`Reset::reusable`] refuses it, the pool is full (`max_idle`), or the
/// thread is unwinding from a panic that started while the object was out. Then it is
/// dropped. A `Pooled` made while its thread was already unwinding (in a `Drop`, say) is
/// given back as usual.
///
/// `Send` when `T` is: it may be dropped on another thread, and joins that thread's cache
/// (`Sync` when `T` is).
/// [`Pooled::detach`] keeps the object instead.
///
/// ```
/// use lockwise::{Pool, Pooled};
///
/// static POOL: Pool<Vec<u8>> = Pool::new();
///
/// let mut buf: Pooled<'static, Vec<u8>> = POOL.get();
/// buf.push(1);
/// let sent = std::thread::spawn(move || buf.len()).join().unwrap(); // dropped there
/// assert_eq!(sent, 1);
/// ```
pub struct Pooled<'a, T: Reset + Send + 'static> {
    /// `Some` until `drop` or `detach` takes it. `ManuallyDrop` because the guard's `Drop`
    /// always takes the object out (to keep it or to drop it), first thing after its one
    /// call: the field needs no drop glue of its own, which would test the `Option` a
    /// second time on every give-back. (A guard that is never dropped leaks its object, as
    /// any value does.)
    object: ManuallyDrop<Option<T>>,
    pool: &'a Shared<T>,
    /// A guard made while unwinding gives its object back; only a panic that starts while
    /// the object is out discards it (std's poison flag makes the same distinction).
    panicking_at_start: bool,
}

impl<'a, T: Reset + Send + 'static> Pooled<'a, T> {
    /// `panicking_at_start`: `std::thread::panicking()` when the object was taken (the
    /// caller reads it where it costs least).
    #[inline]
    pub(crate) fn new(object: T, pool: &'a Shared<T>, panicking_at_start: bool) -> Self {
        Self {
            object: ManuallyDrop::new(Some(object)),
            pool,
            panicking_at_start,
        }
    }

    /// Takes the object out of the pool for good: it is not reset and never goes back.
    /// An associated function (`Pooled::detach(p)`), so that it cannot shadow a method of
    /// `T`.
    ///
    /// ```
    /// use lockwise::{Pool, Pooled};
    ///
    /// let pool: Pool<String> = Pool::new();
    /// let mut s = pool.get();
    /// s.push_str("kept");
    /// let owned: String = Pooled::detach(s);
    /// assert_eq!(owned, "kept");
    /// assert_eq!(pool.stats().idle, 0);
    /// ```
    pub fn detach(mut this: Self) -> T {
        match this.object.take() {
            Some(object) => object,
            None => unreachable!("the object is taken only by drop and detach"),
        }
    }
}

impl<T: Reset + Send + 'static> Deref for Pooled<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        match &*self.object {
            Some(object) => object,
            None => unreachable!("the object is taken only by drop and detach"),
        }
    }
}

impl<T: Reset + Send + 'static> DerefMut for Pooled<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        match &mut *self.object {
            Some(object) => object,
            None => unreachable!("the object is taken only by drop and detach"),
        }
    }
}

impl<T: Reset + Send + 'static> Drop for Pooled<'_, T> {
    /// Gives the object back, unless [`detach`](Pooled::detach) took it: dropped (counted
    /// as discarded) if the thread is unwinding from a panic that started while it was
    /// out, or [`Reset::reusable`] refuses it; else reset and kept.
    #[inline]
    fn drop(&mut self) {
        // The fast path is for a thread that is not unwinding and has its slot: the
        // unwinding test first (its slow branch is a call, before anything is live across
        // it), then the slot lookup (only the guard's address is live across its call).
        // Anything else goes to `give_back_cold`.
        if std::thread::panicking() {
            return self.give_back_cold();
        }
        let pool = self.pool;
        match pool.slot() {
            Some(slot) => self.give_back(Some(slot), false),
            None => self.give_back_cold(),
        }
    }
}

impl<'a, T: Reset + Send + 'static> Pooled<'a, T> {
    /// The rules of a give-back, `slot` being this thread's slot (if it has one) and
    /// `panicked_while_out` whether the thread unwinds from a panic that started while
    /// the object was out.
    ///
    /// The object comes out of the guard before `reusable` and `reset`, so that if either
    /// panics, unwinding drops it (it is never kept half-reset); the cache is borrowed only
    /// after `reset`, so that no user code runs while it is.
    #[inline(always)]
    fn give_back(&mut self, slot: Option<&'a Slot<T>>, panicked_while_out: bool) {
        let Some(mut object) = self.object.take() else {
            return; // detached
        };
        if panicked_while_out || !object.reusable() {
            return self.pool.discard(object);
        }
        object.reset();
        self.pool.keep(slot, object);
    }

    /// A give-back off the fast path: while unwinding, or on a thread that has no slot for
    /// this pool (yet, or any more: it is exiting).
    #[cold]
    #[inline(never)]
    fn give_back_cold(&mut self) {
        let panicked_while_out = std::thread::panicking() && !self.panicking_at_start;
        let pool = self.pool;
        self.give_back(pool.slot(), panicked_while_out);
    }
}

impl<T: Reset + Send + 'static + fmt::Debug> fmt::Debug for Pooled<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::fmt(self, f)
    }
}
