// Fields removed by `#[cfg]` do not count. The macro runs before the cfgs are evaluated,
// so every map or set field is a candidate for the key, each under its cfgs: a build in
// which exactly one of them exists compiles, with that one's key and methods.
#![deny(warnings)]

use std::collections::{BTreeMap, HashMap, HashSet};

use lockwise::sharded;

// Two maps under mutually exclusive cfgs, with different key types: the one compiled in
// (`by_id`) gives the key.
#[sharded(4)]
#[derive(Default)]
struct Sessions {
    #[cfg(all())]
    by_id: HashMap<u64, String>,
    #[cfg(any())]
    by_name: HashMap<String, u64>,
    evictions: u64,
}

// The same field name, with the map type chosen by a cfg (as a feature would).
#[sharded(2, mutex)]
#[derive(Default)]
struct Ordered {
    #[cfg(any())]
    map: HashMap<u32, u32>,
    #[cfg(all())]
    map: BTreeMap<u32, u32>,
}

// One map that is always there, and a second one removed by its cfg.
#[sharded(8)]
#[derive(Default)]
struct Cache {
    map: HashMap<u64, u64>,
    #[cfg(any())]
    index: HashMap<String, u64>,
}

// A set beside a map that is removed by its cfg.
#[sharded(2)]
#[derive(Default)]
struct Seen {
    #[cfg(any())]
    map: HashMap<u64, u64>,
    set: HashSet<u64>,
}

fn main() {
    let sessions = Sessions::new();
    assert_eq!(sessions.insert(7, "seven".to_owned()), None);
    assert_eq!(sessions.get(&7).as_deref(), Some("seven"));
    sessions.with_write(&7, |shard| shard.evictions += 1);
    assert_eq!(sessions.with_read(&7, |shard| shard.evictions), 1);

    let ordered = Ordered::new();
    ordered.insert(2, 20);
    ordered.insert(1, 10);
    assert_eq!(ordered.to_vec().len(), 2);
    assert_eq!(ordered.read(&1).map.keys().next(), Some(&1));

    let cache = Cache::default();
    cache.insert(1, 2);
    assert_eq!(cache.update(&1, |v| *v * 10), Some(20));

    let seen = Seen::new();
    assert!(seen.insert(3));
    assert!(seen.contains(&3));
    assert_eq!(seen.len(), 1);
}
