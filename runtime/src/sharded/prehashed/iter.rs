//! [`PrehashedMap`]'s iterators and the std traits it implements.

use core::borrow::Borrow;
use core::fmt;
use core::hash::Hash;
use core::ops::Index;

use hashbrown::hash_table;

use crate::sharded::prehashed::PrehashedMap;

/// The entries of a [`PrehashedMap`], by reference: what [`PrehashedMap::iter`] returns.
///
/// ```
/// let map: lockwise::sharded::PrehashedMap<u8, u8> = [(1, 2)].into_iter().collect();
/// assert_eq!(map.iter().next(), Some((&1, &2)));
/// ```
pub struct Iter<'a, K, V>(hash_table::Iter<'a, (K, V)>);

impl<'a, K, V> Iter<'a, K, V> {
    pub(super) fn new(inner: hash_table::Iter<'a, (K, V)>) -> Self {
        Self(inner)
    }
}

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

/// The entries of a [`PrehashedMap`], values mutable: what [`PrehashedMap::iter_mut`]
/// returns.
///
/// ```
/// let mut map: lockwise::sharded::PrehashedMap<u8, u8> = [(1, 2)].into_iter().collect();
/// for (_, v) in map.iter_mut() { *v = 3; }
/// assert_eq!(map.get(&1), Some(&3));
/// ```
pub struct IterMut<'a, K, V>(hash_table::IterMut<'a, (K, V)>);

impl<'a, K, V> IterMut<'a, K, V> {
    pub(super) fn new(inner: hash_table::IterMut<'a, (K, V)>) -> Self {
        Self(inner)
    }
}

impl<'a, K, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> ExactSizeIterator for IterMut<'_, K, V> {}

/// The entries of a [`PrehashedMap`], by value.
///
/// ```
/// let map: lockwise::sharded::PrehashedMap<u8, u8> = [(1, 2)].into_iter().collect();
/// assert_eq!(map.into_iter().collect::<Vec<_>>(), [(1, 2)]);
/// ```
pub struct IntoIter<K, V>(hash_table::IntoIter<(K, V)>);

impl<K, V> Iterator for IntoIter<K, V> {
    type Item = (K, V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> ExactSizeIterator for IntoIter<K, V> {}

impl<K, V> IntoIterator for PrehashedMap<K, V> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V>;

    fn into_iter(self) -> Self::IntoIter {
        IntoIter(self.table.into_iter())
    }
}

impl<'a, K, V> IntoIterator for &'a PrehashedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut PrehashedMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<K, V> Default for PrehashedMap<K, V> {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Clone, V: Clone> Clone for PrehashedMap<K, V> {
    /// A copy with the same hasher.
    fn clone(&self) -> Self {
        Self {
            table: self.table.clone(),
            hasher: self.hasher.clone(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for PrehashedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Hash + Eq, V: PartialEq> PartialEq for PrehashedMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl<K: Hash + Eq, V: Eq> Eq for PrehashedMap<K, V> {}

impl<K: Hash + Eq, V> FromIterator<(K, V)> for PrehashedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        map.extend(iter);
        map
    }
}

impl<K: Hash + Eq, V> Extend<(K, V)> for PrehashedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        iter.for_each(|(k, v)| {
            self.insert(k, v);
        });
    }
}

impl<K, V, Q> Index<&Q> for PrehashedMap<K, V>
where
    K: Hash + Eq + Borrow<Q>,
    Q: Hash + Eq + ?Sized,
{
    type Output = V;

    /// The value of `key`; panics if it is not there, as std's maps do.
    fn index(&self, key: &Q) -> &V {
        self.get(key)
            .expect("no entry for this key in the PrehashedMap")
    }
}
