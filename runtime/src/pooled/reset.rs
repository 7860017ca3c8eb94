//! [`Reset`]: what a pooled object does between two uses.

/// What a pooled object does before it is reused: the one trait a type needs to live in a
/// [`Pool`](crate::pooled::Pool) (and what `#[pooled]` requires).
///
/// A pool hands the same object to unrelated callers one after the other, so nothing of one
/// use may leak into the next: [`reset`](Self::reset) clears what the last user left, and
/// runs every time an object goes back to the pool, before anyone can take it again.
/// [`reusable`](Self::reusable) may refuse an object, which is then dropped instead of
/// kept: a buffer that one huge request grew to megabytes should not stay pinned in the
/// pool forever.
///
/// `reusable` is asked first, about the object as its last user left it, and `reset` runs
/// only on an object that will be kept. Neither may assume which thread calls it: an object
/// goes back on the thread that drops it.
///
/// ```
/// use lockwise::{Pool, Reset};
///
/// #[derive(Default)]
/// struct Scratch { buf: Vec<u8> }
///
/// impl Reset for Scratch {
///     fn reset(&mut self) { self.buf.clear() }                         // keeps the capacity
///     fn reusable(&self) -> bool { self.buf.capacity() <= 64 * 1024 }  // no huge buffers
/// }
///
/// let pool: Pool<Scratch> = Pool::new();
/// pool.get().buf.extend_from_slice(b"request 1");
/// assert!(pool.get().buf.is_empty()); // whichever object this is, it was reset
/// ```
#[diagnostic::on_unimplemented(
    message = "a pooled type must implement `lockwise::Reset`: `{Self}` does not",
    label = "`{Self}` is pooled, so it must say how to reset itself",
    note = "a pool hands the same object to one caller after another; `reset` runs every time \
            an object goes back, so that nothing of one use leaks into the next",
    note = "implement it: `impl lockwise::Reset for {Self} {{ fn reset(&mut self) {{ /* clear \
            what a user may have left, e.g. self.buf.clear() */ }} }}`"
)]
pub trait Reset {
    /// Clears what the last user left, so that the object can be handed to the next one.
    /// Runs when the object goes back to the pool, on the thread that drops it.
    ///
    /// ```
    /// use lockwise::Reset;
    ///
    /// struct Line(String);
    /// impl Reset for Line {
    ///     fn reset(&mut self) { self.0.clear() }
    /// }
    ///
    /// let mut line = Line("GET /".into());
    /// line.reset();
    /// assert!(line.0.is_empty());
    /// ```
    fn reset(&mut self);

    /// Whether the pool may keep this object; `false` drops it. Asked before
    /// [`reset`](Self::reset), about the object as its last user left it. Default: always.
    ///
    /// ```
    /// use lockwise::Reset;
    ///
    /// struct Buf(Vec<u8>);
    /// impl Reset for Buf {
    ///     fn reset(&mut self) { self.0.clear() }
    ///     fn reusable(&self) -> bool { self.0.capacity() <= 4096 }
    /// }
    ///
    /// assert!(Buf(Vec::with_capacity(16)).reusable());
    /// assert!(!Buf(Vec::with_capacity(1 << 20)).reusable());
    /// ```
    fn reusable(&self) -> bool {
        true
    }
}

/// Fails to compile, with [`Reset`]'s advice, unless `T: Reset`: what `#[pooled]` emits next
/// to the struct, so that a missing `impl Reset` is reported once, at the definition.
///
/// ```
/// struct Buf(Vec<u8>);
/// impl lockwise::Reset for Buf {
///     fn reset(&mut self) { self.0.clear() }
/// }
/// const _: () = lockwise::pooled::assert_reset::<Buf>();
/// ```
pub const fn assert_reset<T: Reset>() {}
