//! [`Unguarded<T, Field>`]: how a per-field struct stores an `#[unguarded]` field.

use core::marker::PhantomData;

/// An `#[unguarded]` field: the value as it is, with no lock. `Field` is a marker type that
/// generated code names after the field (`Server_requests`), so that when the field's type
/// is not `Sync` and the struct is shared across threads, the compiler's note
/// "required because it appears within the type `Unguarded<Cell<u64>, Server_requests>`"
/// leads to the field.
///
/// ```
/// use lockwise::Unguarded;
///
/// #[allow(non_camel_case_types)]
/// enum Server_requests {}
/// let requests: Unguarded<u64, Server_requests> = Unguarded::new(3);
/// assert_eq!(*requests.get(), 3);
/// ```
pub struct Unguarded<T, Field> {
    value: T,
    // `fn() -> Field`: the marker never affects `Send`/`Sync`, which follow `T` alone.
    _field: PhantomData<fn() -> Field>,
}

impl<T, Field> Unguarded<T, Field> {
    /// Stores `value`.
    #[inline]
    pub const fn new(value: T) -> Self {
        Self {
            value,
            _field: PhantomData,
        }
    }

    /// The value.
    #[inline]
    pub fn get(&self) -> &T {
        &self.value
    }

    /// The value, mutably.
    #[inline]
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.value
    }

    /// The value, taken out.
    #[inline]
    pub fn into_inner(self) -> T {
        self.value
    }
}
