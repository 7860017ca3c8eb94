//! What `#[pooled(max_idle = 8, new = Scratch::with_page)]` is to expand to, pasted by hand:
//! the contract between the runtime and the macro (the `pooled` module docs, "What
//! `#[pooled]` generates"). If this stops compiling, the macro's expansion must change
//! with it.

use lockwise::{Pooled, Reset};

pub struct Scratch {
    pub buf: Vec<u8>,
}

impl Scratch {
    fn with_page() -> Self {
        Self {
            buf: Vec::with_capacity(4096),
        }
    }
}

impl Reset for Scratch {
    fn reset(&mut self) {
        self.buf.clear();
    }
    fn reusable(&self) -> bool {
        self.buf.capacity() <= 64 * 1024
    }
}

// ---- the expansion ----
const _: () = ::lockwise::__private::pooled::assert_reset::<Scratch>();

impl Scratch {
    /// The pool of `Scratch` objects: `trim()`, `stats()`.
    #[inline]
    pub fn pool() -> &'static ::lockwise::__private::pooled::Pool<Scratch> {
        static __LOCKWISE_POOL: ::lockwise::__private::pooled::Pool<Scratch> =
            ::lockwise::__private::pooled::Pool::from_fn_with_max_idle(Scratch::with_page, 8);
        &__LOCKWISE_POOL
    }

    /// A `Scratch` from the pool, reset; it goes back to the pool when dropped.
    #[inline]
    pub fn pooled() -> ::lockwise::__private::pooled::Pooled<'static, Scratch>
    where
        for<'__lw> Self: ::lockwise::__private::pooled::Reset,
    {
        Self::pool().get()
    }
}
// ---- end of the expansion ----

/// The same with the defaults: `#[pooled]` on a `Default` type.
#[derive(Default)]
pub struct Line(String);

impl Reset for Line {
    fn reset(&mut self) {
        self.0.clear();
    }
}

const _: () = ::lockwise::__private::pooled::assert_reset::<Line>();

impl Line {
    #[inline]
    pub fn pool() -> &'static ::lockwise::__private::pooled::Pool<Line> {
        static __LOCKWISE_POOL: ::lockwise::__private::pooled::Pool<Line> =
            ::lockwise::__private::pooled::Pool::from_fn_with_max_idle(
                <Line as ::core::default::Default>::default,
                ::lockwise::__private::pooled::Pool::<Line>::DEFAULT_MAX_IDLE,
            );
        &__LOCKWISE_POOL
    }

    #[inline]
    pub fn pooled() -> ::lockwise::__private::pooled::Pooled<'static, Line>
    where
        for<'__lw> Self: ::lockwise::__private::pooled::Reset,
    {
        Self::pool().get()
    }
}

#[test]
fn the_expansion_works_as_documented() {
    {
        let mut s: Pooled<'static, Scratch> = Scratch::pooled();
        assert!(s.buf.capacity() >= 4096, "made by `new = path`");
        s.buf.extend_from_slice(b"event");
    }
    assert!(Scratch::pooled().buf.is_empty(), "reset before reuse");
    assert_eq!(Scratch::pool().max_idle(), 8);
    let stats = Scratch::pool().stats();
    assert_eq!((stats.hits, stats.misses), (1, 1));
    Scratch::pool().trim();
    assert_eq!(Scratch::pool().stats().idle, 0);

    Line::pooled().0.push('x');
    assert!(Line::pooled().0.is_empty());
    assert_eq!(Line::pool().max_idle(), 32);

    // A pooled object can go back from another thread.
    fn is_send<T: Send>(_: &T) {}
    let mut s = Scratch::pooled();
    s.buf.push(1);
    is_send(&s);
    std::thread::spawn(move || drop(s)).join().unwrap();
    assert!(
        Scratch::pool().stats().idle >= 1,
        "the other thread's cache moved to the stack"
    );
}
