//! [`write_both`] and [`read_both`]: two values of one type held together, taken in a
//! stable order, so that two threads moving money between the same two accounts in
//! opposite directions cannot deadlock.
//!
//! With `std::sync` this is hand-rolled: compare the two addresses (or ids) and lock the
//! smaller first, remembering to hand the guards back in the caller's order. Here it is
//! one call, and the order agrees with the debug-build order graph: by the values' order
//! ids in debug builds (an id stays with its value when it moves, so the order of a pair
//! never changes under the graph), by address in release builds, which is stable for as
//! long as both are borrowed, and that is all another thread taking the same pair can see.

use crate::guarded::core::guard::{ReadGuard, WriteGuard};
use crate::guarded::core::mode::Acquire;
use crate::guarded::lock::Guarded;

/// Exclusive access to two values of one type at once, taken in a stable order: what a
/// transfer between two accounts needs. The guards come back in argument order, whatever
/// order the locks were taken in, so `write_both(&a, &b)` on one thread and
/// `write_both(&b, &a)` on another never deadlock.
///
/// Works through `#[guarded]` wrappers too (`write_both(&from, &to)` with `from, to:
/// Account`): they dereference to their `Guarded`.
///
/// # Panics
///
/// If `a` and `b` are the same value: taking its lock twice would deadlock.
///
/// ```
/// use lockwise::{guarded, write_both};
///
/// #[guarded]
/// struct Account {
///     balance: i64,
/// }
///
/// fn transfer(from: &Account, to: &Account, amount: i64) {
///     let (mut from, mut to) = write_both(from, to);
///     from.balance -= amount;
///     to.balance += amount;
/// }
///
/// let (a, b) = (Account::new(AccountState { balance: 100 }), Account::new(AccountState { balance: 0 }));
/// std::thread::scope(|s| {
///     s.spawn(|| (0..100).for_each(|_| transfer(&a, &b, 1)));
///     s.spawn(|| (0..100).for_each(|_| transfer(&b, &a, 1)));
/// });
/// // Both at once: in the same stable order (`a.read().balance + b.read().balance` would
/// // hold both guards to the end of the statement, in whatever order it names them).
/// let (a, b) = lockwise::read_both(&a, &b);
/// assert_eq!(a.balance + b.balance, 100);
/// ```
#[cfg_attr(debug_assertions, track_caller)]
pub fn write_both<'a, T, M: Acquire<T>>(
    a: &'a Guarded<T, M>,
    b: &'a Guarded<T, M>,
) -> (WriteGuard<'a, T, M>, WriteGuard<'a, T, M>) {
    if a_goes_first(a, b, "write_both") {
        let first = a.write();
        (first, b.write())
    } else {
        let first = b.write();
        (a.write(), first)
    }
}

/// Shared access to two values of one type at once, taken in the same stable order as
/// [`write_both`]. In rw mode readers share a lock, but a waiting writer keeps new readers
/// out, so two threads reading a pair in opposite orders can deadlock too; in mutex mode a
/// read is exclusive anyway.
///
/// # Panics
///
/// If `a` and `b` are the same value: in mutex mode taking its lock twice would deadlock,
/// and a read while holding a read can wait behind a writer in rw mode.
///
/// ```
/// use lockwise::{mode::Rw, read_both, Guarded};
///
/// let (left, right): (Guarded<u32, Rw>, Guarded<u32, Rw>) = (Guarded::new(1), Guarded::new(2));
/// let (l, r) = read_both(&left, &right);
/// assert_eq!(*l + *r, 3);
/// ```
#[cfg_attr(debug_assertions, track_caller)]
pub fn read_both<'a, T, M: Acquire<T>>(
    a: &'a Guarded<T, M>,
    b: &'a Guarded<T, M>,
) -> (ReadGuard<'a, T, M>, ReadGuard<'a, T, M>) {
    if a_goes_first(a, b, "read_both") {
        let first = a.read();
        (first, b.read())
    } else {
        let first = b.read();
        (a.read(), first)
    }
}

/// Whether `a` is taken before `b`; panics if they are one value.
#[cfg_attr(debug_assertions, track_caller)]
fn a_goes_first<T, M: Acquire<T>>(a: &Guarded<T, M>, b: &Guarded<T, M>, what: &str) -> bool {
    assert!(
        !core::ptr::eq(a, b),
        "lockwise: {what} got the same value twice; taking its lock twice would deadlock: \
         pass two different values (a transfer from an account to itself has nothing to do)"
    );
    a.order_key() < b.order_key()
}

impl<T, M: Acquire<T>> Guarded<T, M> {
    /// What [`write_both`] orders values by: the order id in debug builds, the address in
    /// release builds (see the module docs).
    #[inline]
    fn order_key(&self) -> u64 {
        #[cfg(debug_assertions)]
        return self.order.id();
        #[cfg(not(debug_assertions))]
        return core::ptr::from_ref(self).addr() as u64;
    }
}
