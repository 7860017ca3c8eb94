//! [`RefMut`]: a guard of one value of a [`ShardedMap`](crate::sharded::ShardedMap), what
//! the entry API and `get_mut` return (dashmap's `RefMut`).

use core::fmt;
use core::ops::{Deref, DerefMut};

use crate::guarded::MappedWriteGuard;
use crate::guarded::mode::MappedWrite;

/// A guard of one value in a sharded map: it dereferences mutably to the value and holds
/// the value's shard write-locked until it drops. What [`Entry::or_insert`] and its
/// siblings, [`OccupiedEntry::into_ref`], [`VacantEntry::insert`] and
/// [`ShardedMap::get_mut`] return; dashmap's `RefMut`, without `key()` (the key was moved
/// into the map, and the guard holds the value alone).
///
/// It is the shard's [`MappedWriteGuard`] under another name, for one difference: it is not
/// `#[must_use]`, so dashmap's and std's statement
/// `map.entry(k).and_modify(|v| ..).or_insert(v);` compiles without a warning (the shard is
/// released at the end of the statement). While it lives, this thread must not touch the
/// same shard: debug builds panic, naming the shard; release builds would deadlock.
///
/// ```
/// use std::collections::HashMap;
/// use lockwise::sharded::{RefMut, ShardedMap};
///
/// let scores: ShardedMap<HashMap<&str, u32>> = ShardedMap::new();
/// let mut ada: RefMut<'_, u32> = scores.entry("ada").or_insert(0);
/// *ada += 3;
/// drop(ada); // releases the shard
/// scores.entry("ada").and_modify(|s| *s += 1).or_insert(0);
/// assert_eq!(scores.get("ada"), Some(4));
/// ```
///
/// [`Entry::or_insert`]: crate::sharded::Entry::or_insert
/// [`OccupiedEntry::into_ref`]: crate::sharded::OccupiedEntry::into_ref
/// [`VacantEntry::insert`]: crate::sharded::VacantEntry::insert
/// [`ShardedMap::get_mut`]: crate::sharded::ShardedMap::get_mut
pub struct RefMut<'a, V: 'a, M: MappedWrite<V> = crate::guarded::mode::Rw> {
    guard: MappedWriteGuard<'a, V, M>,
}

impl<'a, V: 'a, M: MappedWrite<V>> RefMut<'a, V, M> {
    pub(crate) fn new(guard: MappedWriteGuard<'a, V, M>) -> Self {
        Self { guard }
    }
}

impl<'a, V: 'a, M: MappedWrite<V>> Deref for RefMut<'a, V, M> {
    type Target = V;

    #[inline]
    fn deref(&self) -> &V {
        &self.guard
    }
}

impl<'a, V: 'a, M: MappedWrite<V>> DerefMut for RefMut<'a, V, M> {
    #[inline]
    fn deref_mut(&mut self) -> &mut V {
        &mut self.guard
    }
}

impl<'a, V: fmt::Debug + 'a, M: MappedWrite<V>> fmt::Debug for RefMut<'a, V, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        V::fmt(self, f)
    }
}

impl<'a, V: fmt::Display + 'a, M: MappedWrite<V>> fmt::Display for RefMut<'a, V, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        V::fmt(self, f)
    }
}
