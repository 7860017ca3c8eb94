//! The `serde` feature through the macro: a `#[guarded]` wrapper serializes as its state
//! (under a read lock: the lock leaves no trace in the format) and deserializes through
//! `new`, in every mode, as parking_lot's and dashmap's `serde` features do.
//!
//! Run with `cargo test --features serde --test serde` (`.ci/run` does).
#![cfg(feature = "serde")]

use std::collections::BTreeMap;

use lockwise::guarded;
use serde::{Deserialize, Serialize};

#[guarded]
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Limits {
    per_user: BTreeMap<String, u32>,
    default: u32,
}

#[guarded(rw)]
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Catalog {
    items: Vec<String>,
}

#[guarded(read_mostly)]
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
struct Routes {
    paths: BTreeMap<String, u16>,
}

#[guarded(rw)]
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Shelf<K: Ord> {
    items: BTreeMap<K, u32>,
}

#[test]
fn a_mutex_wrapper_round_trips_through_json_as_its_state() {
    let limits = Limits::default();
    limits.with_write(|l| {
        l.per_user.insert("ann".into(), 10);
        l.default = 3;
    });
    let json = serde_json::to_string(&limits).unwrap();
    assert_eq!(
        json, r#"{"per_user":{"ann":10},"default":3}"#,
        "no trace of the lock"
    );
    let back: Limits = serde_json::from_str(&json).unwrap();
    assert_eq!(back.into_inner(), limits.into_inner());
}

#[test]
fn rw_read_mostly_and_generic_wrappers_round_trip() {
    let catalog = Catalog::new(CatalogState {
        items: vec!["a".into(), "b".into()],
    });
    let back: Catalog = serde_json::from_str(&serde_json::to_string(&catalog).unwrap()).unwrap();
    assert_eq!(back.read().items, ["a", "b"]);

    let routes = Routes::default();
    routes.write().paths.insert("/".into(), 200);
    let json = serde_json::to_string(&routes).unwrap();
    assert_eq!(json, r#"{"paths":{"/":200}}"#);
    let back: Routes = serde_json::from_str(&json).unwrap();
    assert_eq!(back.read().paths["/"], 200);

    let shelf = Shelf::<String>::default();
    shelf.write().items.insert("x".into(), 7);
    let back: Shelf<String> =
        serde_json::from_str(&serde_json::to_string(&shelf).unwrap()).unwrap();
    assert_eq!(back.read().items["x"], 7);
}

#[test]
fn serializing_reads_under_the_lock_and_a_held_write_guard_makes_it_wait() {
    let catalog = std::sync::Arc::new(Catalog::default());
    let writer = catalog.write_arc();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = {
        let catalog = std::sync::Arc::clone(&catalog);
        std::thread::spawn(move || tx.send(serde_json::to_string(&*catalog).unwrap()).unwrap())
    };
    // While the write guard is held, the serializer cannot finish.
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(50))
            .is_err()
    );
    let mut writer = writer;
    writer.items.push("late".into());
    drop(writer);
    let json = rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
    assert_eq!(
        json, r#"{"items":["late"]}"#,
        "it saw the write, not a torn state"
    );
    reader.join().unwrap();
}
