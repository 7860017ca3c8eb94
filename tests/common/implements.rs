//! `implements!(Type: Trait)`: whether a type implements a trait, as a `const bool`, for
//! tests of auto traits (`Send`, `Sync`) that must hold or must not. The inherent constant
//! exists only when the bound holds; otherwise the trait's default (`false`) is found.

macro_rules! implements {
    ($ty:ty: $trait:path) => {{
        #[allow(dead_code)]
        trait Fallback {
            const IMPLEMENTS: bool = false;
        }
        struct Probe<T: ?Sized>(std::marker::PhantomData<T>);
        impl<T: ?Sized> Fallback for Probe<T> {}
        #[allow(dead_code)]
        impl<T: ?Sized + $trait> Probe<T> {
            const IMPLEMENTS: bool = true;
        }
        <Probe<$ty>>::IMPLEMENTS
    }};
}
