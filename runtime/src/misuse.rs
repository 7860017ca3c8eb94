//! Traits that exist only to turn misuse into a compile error that reads like advice.
//!
//! You never implement or name these: the code lockwise generates does. They are public so
//! that the compiler's messages name them (`ALockMustNeverBeCopied`, `CloneForReadMostly`)
//! and so that this page can say why the error happened and what to do.

/// Go's `go vet` copylocks check, as a trait conflict (the trick pin-project uses for
/// `Drop`): every `Clone` type implements this trait, and `#[guarded]` implements it for the
/// wrapper it generates, so a hand-written `impl Clone` for that wrapper conflicts:
///
/// ```text
/// error[E0119]: conflicting implementations of trait
///               `ALockMustNeverBeCopied<ShareItWithArcOrAStatic>` for type `Cache`
/// ```
///
/// ```
/// use lockwise::misuse::{ALockMustNeverBeCopied, ShareItWithArcOrAStatic};
///
/// struct Wrapper; // not Clone, so this impl is accepted
/// impl ALockMustNeverBeCopied<ShareItWithArcOrAStatic> for Wrapper {}
/// ```
pub trait ALockMustNeverBeCopied<Advice> {}

/// The advice that [`ALockMustNeverBeCopied`] carries into the error message.
///
/// ```
/// let _ = lockwise::misuse::ShareItWithArcOrAStatic;
/// ```
pub struct ShareItWithArcOrAStatic;

impl<T: Clone> ALockMustNeverBeCopied<ShareItWithArcOrAStatic> for T {}

/// The bound `#[guarded(read_mostly)]` puts on the state, so that a state without `Clone`
/// gets an error that says why a copy is needed.
///
/// ```
/// fn ok<T: lockwise::misuse::CloneForReadMostly>() {}
/// ok::<Vec<u8>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`read_mostly` needs `{Self}: Clone`: every write works on a copy of the state",
    label = "each write copies this, so it must be `Clone`",
    note = "readers of a `read_mostly` value never wait because a writer never touches what \
            they read: it clones the state, changes the clone and publishes it",
    note = "derive or implement `Clone` for the state, or use `#[guarded(rw)]` if copying it \
            on every write is too expensive"
)]
pub trait CloneForReadMostly: Clone {}

impl<T: Clone> CloneForReadMostly for T {}

/// Fails to compile, with [`CloneForReadMostly`]'s message, unless `T: Clone`.
///
/// ```
/// const _: () = lockwise::misuse::assert_clone_for_read_mostly::<String>();
/// ```
pub const fn assert_clone_for_read_mostly<T: CloneForReadMostly>() {}

/// The bound `#[pooled]` puts on a type that gives no `new = path`: its pool makes new
/// objects with `Default`, and a type without it gets an error that says so.
///
/// ```
/// fn ok<T: lockwise::misuse::DefaultForPooled>() {}
/// ok::<Vec<u8>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`#[pooled]` makes new `{Self}` objects with `Default::default`, which `{Self}` \
               does not implement",
    label = "the pool makes these when none is idle",
    note = "derive or implement `Default`, or name a function that makes one: \
            `#[pooled(new = {Self}::new)]`"
)]
pub trait DefaultForPooled: Default {}

impl<T: Default> DefaultForPooled for T {}

/// `T::default()`, behind [`DefaultForPooled`]'s advice: what a pool made by `#[pooled]`
/// without `new = path` makes objects with.
///
/// ```
/// let empty: Vec<u8> = lockwise::misuse::default_for_pooled();
/// assert!(empty.is_empty());
/// ```
pub fn default_for_pooled<T: DefaultForPooled>() -> T {
    T::default()
}

// What makes every guard `!Send`, defined with the per-thread records that need it (a
// guard is released by the thread that took it) and shown on this page.
pub use crate::order::GuardHeldAcrossAwaitDropItFirst;

// The bound of `Guarded::lock`, defined with mutex mode (the bound's one user and its one
// implementor) and shown on this page: this module sits above the shapes and only names
// their traits, so no shape imports it.
pub use crate::guarded::mode::mutex::LockIsWriteInMutexMode;

// The bound of `write_when_async`/`read_when_async`, defined with them (every mode has it
// with the `async` feature, none without) and shown on this page.
pub use crate::guarded::WhenAsyncNeedsTheAsyncFeature;

/// The bound `#[once(init = path, async)]` puts on what the initializer returns: a future
/// of the field's declared type, so that a synchronous initializer marked `async` gets an
/// error that says which of the two to change (feature `async`).
///
/// ```
/// fn ok<F: lockwise::misuse::AsyncInitializer<u32>>(_: F) {}
/// ok(async { 7 });
/// ```
#[cfg(feature = "async")]
#[diagnostic::on_unimplemented(
    message = "`#[once(.., async)]` awaits its initializer, but this one returns `{Self}`, not a \
               future of `{D}`",
    label = "not an `async fn`",
    note = "make the initializer `async fn ..(&self) -> {D}`, or drop `async` from \
            `#[once(..)]` to keep it synchronous (and the accessor with it)"
)]
pub trait AsyncInitializer<D>: core::future::Future<Output = D> {}

#[cfg(feature = "async")]
impl<D, F: core::future::Future<Output = D>> AsyncInitializer<D> for F {}

/// `future`, behind [`AsyncInitializer`]'s advice: what the accessor of an `async` lazy
/// field passes the initializer's future through (feature `async`).
///
/// ```
/// let future = lockwise::misuse::async_initializer::<u32, _>(async { 7 });
/// # let _ = future;
/// ```
#[cfg(feature = "async")]
pub fn async_initializer<D, F: AsyncInitializer<D>>(future: F) -> F {
    future
}
