//! [`Padded<T>`]: a value alone on its cache line(s), so that two shards' locks never share
//! one and a write to one shard does not slow the readers of its neighbour (false sharing).

use core::ops::{Deref, DerefMut};

/// `T`, aligned (and so padded) to the unit of false sharing of the target: 128 bytes on
/// x86_64 (the spatial prefetcher pulls cache lines in pairs), aarch64 and powerpc64, 256 on
/// s390x, 32 on 32-bit arm/mips/sparc/hexagon, 64 elsewhere: crossbeam-utils'
/// `CachePadded` table, written out here so the runtime needs neither the crate nor
/// `unsafe`.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "arm64ec",
        target_arch = "powerpc64",
    ),
    repr(align(128))
)]
#[cfg_attr(
    any(
        target_arch = "arm",
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6",
        target_arch = "sparc",
        target_arch = "hexagon",
    ),
    repr(align(32))
)]
#[cfg_attr(target_arch = "s390x", repr(align(256)))]
#[cfg_attr(
    not(any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "arm64ec",
        target_arch = "powerpc64",
        target_arch = "arm",
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6",
        target_arch = "sparc",
        target_arch = "hexagon",
        target_arch = "s390x",
    )),
    repr(align(64))
)]
#[derive(Default)]
pub(crate) struct Padded<T>(T);

impl<T> Padded<T> {
    #[inline]
    pub(crate) const fn new(value: T) -> Self {
        Self(value)
    }

    #[inline]
    pub(crate) fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Padded<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Padded<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Padded;

    #[test]
    fn neighbours_never_share_a_cache_line() {
        let pair = [Padded::new(0u8), Padded::new(1u8)];
        let gap = core::ptr::addr_of!(pair[1]) as usize - core::ptr::addr_of!(pair[0]) as usize;
        assert!(gap >= 32 && gap.is_power_of_two(), "{gap}");
        #[cfg(target_arch = "x86_64")]
        assert_eq!(gap, 128);
        assert_eq!(*pair[1], 1);
    }
}
