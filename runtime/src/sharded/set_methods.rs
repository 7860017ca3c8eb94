//! The set methods of [`Shards`] whose state has one set ([`SetField`]), as the trait
//! [`SetMethods`]: a set's `insert`, `remove`, `len`, ... share their names with the map
//! methods, and two inherent impls of one type cannot both define them.

use crate::guarded::mode::Acquire;
use crate::sharded::hasher::shard_of;
use crate::sharded::kinds::{Hashed, SetField, SetKind, SetLookup};
use crate::sharded::shards::Shards;

/// The element type of a [`SetMethods`] implementor's set.
type Element<T> = <<T as SetMethods>::Set as SetKind>::Key;

/// The set methods of a [`Shards`] whose shard state holds one set ([`SetField`]): bring
/// the trait into scope (`use lockwise::sharded::SetMethods`) and call them as methods.
/// `#[sharded]` types with a set field have them as inherent methods.
///
/// Whole-set operations (`len`, `is_empty`, `clear`, `retain`, `for_each`, `to_vec`) lock
/// one shard at a time in index order, as the map's do, and are not atomic across shards.
///
/// ```
/// use std::collections::HashSet;
/// use lockwise::sharded::{SetMethods, Shards};
///
/// let seen: Shards<HashSet<String>> = Shards::new();
/// assert!(seen.insert("a".into()));
/// assert!(!seen.insert("a".into()));
/// assert!(seen.contains("a"));
/// assert_eq!(seen.len(), 1);
/// assert!(seen.remove("a"));
/// assert!(seen.is_empty());
/// (0..10).for_each(|i| { seen.insert(i.to_string()); });
/// seen.retain(|e| e != "3");
/// let mut count = 0;
/// seen.for_each(|_| count += 1);
/// assert_eq!((count, seen.to_vec().len()), (9, 9));
/// seen.clear();
/// assert_eq!(seen.len(), 0);
/// ```
pub trait SetMethods {
    /// The set each shard holds.
    type Set: SetKind;

    /// Adds `element`; `true` if it was not there.
    fn insert(&self, element: Element<Self>) -> bool;

    /// Whether `element` is in the set.
    fn contains<Q: ?Sized>(&self, element: &Q) -> bool
    where
        Self::Set: SetLookup<Q>;

    /// Removes `element`; `true` if it was there.
    fn remove<Q: ?Sized>(&self, element: &Q) -> bool
    where
        Self::Set: SetLookup<Q>;

    /// The number of elements: the sum of the shards' sizes, each read under its lock in
    /// turn (under concurrent writes, what the map's `len` says).
    fn len(&self) -> usize;

    /// Whether every shard's set is empty, checked one shard at a time.
    fn is_empty(&self) -> bool;

    /// Removes every element, one shard at a time in index order.
    fn clear(&self);

    /// Keeps only the elements for which `keep` returns `true`, one shard at a time.
    fn retain(&self, keep: impl FnMut(&Element<Self>) -> bool);

    /// Runs `f` on every element, one shard at a time in index order.
    fn for_each(&self, f: impl FnMut(&Element<Self>));

    /// Clones of every element, shard by shard (in no particular order).
    fn to_vec(&self) -> Vec<Element<Self>>
    where
        Element<Self>: Clone;
}

impl<S: SetField, M: Acquire<S>, const N: usize> SetMethods for Shards<S, M, N>
where
    S::Set: SetKind,
{
    type Set = S::Set;

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn insert(&self, element: Element<Self>) -> bool {
        let hash = S::Set::hash_key(&self.hasher, &element);
        let mut shard = self.write_shard(shard_of::<N>(hash));
        let at = Hashed {
            hash,
            hasher: &self.hasher,
        };
        shard.set_mut().insert(at, element)
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn contains<Q: ?Sized>(&self, element: &Q) -> bool
    where
        Self::Set: SetLookup<Q>,
    {
        let hash = <S::Set as SetLookup<Q>>::hash(&self.hasher, element);
        let shard = self.read_shard(shard_of::<N>(hash));
        let at = Hashed {
            hash,
            hasher: &self.hasher,
        };
        shard.set().contains(at, element)
    }

    #[inline]
    #[cfg_attr(debug_assertions, track_caller)]
    fn remove<Q: ?Sized>(&self, element: &Q) -> bool
    where
        Self::Set: SetLookup<Q>,
    {
        let hash = <S::Set as SetLookup<Q>>::hash(&self.hasher, element);
        let mut shard = self.write_shard(shard_of::<N>(hash));
        let at = Hashed {
            hash,
            hasher: &self.hasher,
        };
        shard.set_mut().remove(at, element)
    }

    #[cfg_attr(debug_assertions, track_caller)]
    fn len(&self) -> usize {
        let mut total = 0;
        self.for_each_shard(|shard| total += shard.set().len());
        total
    }

    #[cfg_attr(debug_assertions, track_caller)]
    fn is_empty(&self) -> bool {
        (0..N).all(|index| self.read_shard(index).set().len() == 0)
    }

    #[cfg_attr(debug_assertions, track_caller)]
    fn clear(&self) {
        self.for_each_shard_mut(|shard| shard.set_mut().clear());
    }

    #[cfg_attr(debug_assertions, track_caller)]
    fn retain(&self, mut keep: impl FnMut(&Element<Self>) -> bool) {
        self.for_each_shard_mut(|shard| shard.set_mut().retain(&mut keep));
    }

    #[cfg_attr(debug_assertions, track_caller)]
    fn for_each(&self, mut f: impl FnMut(&Element<Self>)) {
        self.for_each_shard(|shard| shard.set().for_each(&mut f));
    }

    #[cfg_attr(debug_assertions, track_caller)]
    fn to_vec(&self) -> Vec<Element<Self>>
    where
        Element<Self>: Clone,
    {
        let mut elements = Vec::new();
        self.for_each_shard(|shard| {
            let set = shard.set();
            elements.reserve(set.len());
            set.for_each(|k| elements.push(k.clone()));
        });
        elements
    }
}
