// A guarded state is stored in place, so its type parameters must be sized: one error at
// `?Sized`, with the fix.
use lockwise::guarded;

#[guarded]
struct Holder<T: ?Sized> {
    value: Box<T>,
}

#[guarded(rw)]
struct Other<T>
where
    T: ?Sized + Send,
{
    value: Box<T>,
}

fn main() {
    let holder = Holder::new(HolderState { value: Box::new(1u8) });
    let other = Other::new(OtherState { value: Box::new(2u8) });
    assert_eq!(*holder.read().value + *other.read().value, 3);
}
