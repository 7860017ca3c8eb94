//! The `serde` feature: a [`Guarded<T, M>`] serializes as its state, under a read lock, and
//! deserializes into a new lock around the state, whenever `T` implements the trait. The
//! format is the state's own (the lock leaves no trace), as for parking_lot's and dashmap's
//! `serde` features.
//!
//! Serializing takes `read()`: in mutex mode that is the exclusive lock, so a debug build
//! panics if this thread already holds it, and other threads wait while it serializes.
//!
//! `#[guarded]` types get the same two impls through
//! [`__lockwise_guarded_serde!`](crate::__lockwise_guarded_serde), which writes them only when
//! this feature is on (the macro cannot see features).

use ::serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::guarded::core::mode::Acquire;
use crate::guarded::lock::Guarded;

/// Serializes the state under a read guard, released before this returns.
///
/// ```
/// use lockwise::{mode::Rw, Guarded};
///
/// let ports: Guarded<Vec<u16>, Rw> = Guarded::new(vec![80, 443]);
/// assert_eq!(serde_json::to_string(&ports).unwrap(), "[80,443]");
/// ```
impl<T: Serialize, M: Acquire<T>> Serialize for Guarded<T, M> {
    #[cfg_attr(debug_assertions, track_caller)]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        T::serialize(&self.read(), serializer)
    }
}

/// Deserializes the state and puts it behind a new lock ([`Guarded::new`]).
///
/// ```
/// use lockwise::{mode::ReadMostly, Guarded};
///
/// let ports: Guarded<Vec<u16>, ReadMostly> = serde_json::from_str("[80,443]").unwrap();
/// assert_eq!(*ports.read(), [80, 443]);
/// ```
impl<'de, T: Deserialize<'de>, M: Acquire<T>> Deserialize<'de> for Guarded<T, M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use std::collections::BTreeMap;

    use crate::Guarded;
    use crate::guarded::mode::{Acquire, Mutex, ReadMostly, Rw};

    fn round_trip<M: Acquire<BTreeMap<String, u32>>>() {
        let original: Guarded<BTreeMap<String, u32>, M> =
            Guarded::new(BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]));
        let json = serde_json::to_string(&original).unwrap();
        assert_eq!(
            json, r#"{"a":1,"b":2}"#,
            "the lock must not show in the format"
        );
        let back: Guarded<BTreeMap<String, u32>, M> = serde_json::from_str(&json).unwrap();
        assert_eq!(*back.read(), *original.read());
    }

    #[test]
    fn round_trips_through_json_in_every_mode() {
        round_trip::<Mutex>();
        round_trip::<Rw>();
        round_trip::<ReadMostly>();
    }

    #[test]
    fn a_deserialized_value_is_a_working_lock() {
        let v: Guarded<Vec<u8>, Rw> = serde_json::from_str("[1]").unwrap();
        v.write().push(2);
        assert_eq!(serde_json::to_string(&v).unwrap(), "[1,2]");
    }

    #[test]
    fn a_bad_document_is_the_states_error() {
        let err = serde_json::from_str::<Guarded<u8, Mutex>>("300").unwrap_err();
        assert!(err.to_string().contains("300"), "{err}");
    }

    #[test]
    fn serializing_does_not_keep_the_lock() {
        let v: Guarded<u8, Mutex> = Guarded::new(1);
        serde_json::to_string(&v).unwrap();
        assert!(v.try_write().is_some());
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "already holds the lock")]
    fn serializing_a_mutex_this_thread_holds_panics_in_debug_builds() {
        let v: Guarded<u8, Mutex> = Guarded::new(1);
        let _held = v.write();
        let _ = serde_json::to_string(&v);
    }
}
