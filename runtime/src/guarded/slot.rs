//! [`FieldSlot`]: how a per-field struct stores a locked field.

/// The storage of one locked field of a per-field `#[guarded]` struct: the field's
/// `Guarded`, in a newtype whose field is private to this crate and whose methods have
/// names no user calls.
///
/// Why: when a user calls `server.read()` on a per-field struct, rustc looks through the
/// struct's fields (and theirs) for a `read` method it could suggest, and with a plain
/// `Guarded` it suggested `server.__lockwise_config.read()`, which compiles and walks
/// around the accessors and their lock-order checks. Behind a private field there is
/// nothing to suggest; the accessors stay the way in. It costs nothing: the methods are
/// `#[inline(always)]` field accesses.
#[doc(hidden)]
pub struct FieldSlot<L>(L);

#[doc(hidden)]
impl<L> FieldSlot<L> {
    #[inline(always)]
    pub const fn __lockwise_new(lock: L) -> Self {
        FieldSlot(lock)
    }

    #[inline(always)]
    pub fn __lockwise_lock(&self) -> &L {
        &self.0
    }

    #[inline(always)]
    pub fn __lockwise_lock_mut(&mut self) -> &mut L {
        &mut self.0
    }

    #[inline(always)]
    pub fn __lockwise_into_lock(self) -> L {
        self.0
    }
}
