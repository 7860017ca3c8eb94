//! The order checks' messages, and the per-thread list under drops in any order and past
//! its capacity.

use super::site::LockSite;
#[cfg(debug_assertions)]
use super::{
    held::CAPACITY,
    node::OrderNode,
    token::{Held, check, hold},
};

static FIELDS: &[&str] = &["config", "stats", "log"];

#[test]
fn declaration_order_has_no_conflict() {
    let owner = 0u8;
    let first = LockSite::field(&owner, "app::Server", FIELDS, 0);
    let second = LockSite::field(&owner, "app::Server", FIELDS, 1);
    assert_eq!(second.conflict_with(&first), None);
}

#[test]
fn reverse_order_names_both_fields_and_the_type_once() {
    let owner = 0u8;
    let config = LockSite::field(&owner, "app::Server", FIELDS, 0);
    let log = LockSite::field(&owner, "app::Server", FIELDS, 2);
    let message = config.conflict_with(&log).expect("a conflict");
    assert!(
        message.contains("lock order violation in `Server` (app::Server)"),
        "{message}"
    );
    assert!(message.contains("holds `log`"), "{message}");
    assert!(message.contains("taking `config`"), "{message}");
    assert!(message.contains("config → stats → log"), "{message}");
}

#[test]
fn same_field_again_is_a_conflict() {
    let owner = 0u8;
    let stats = LockSite::field(&owner, "app::Server", FIELDS, 1);
    let message = stats.conflict_with(&stats).expect("a conflict");
    assert!(message.contains("already holds"), "{message}");
    assert!(message.contains("`Server::stats`"), "{message}");
}

#[test]
fn whole_lock_taken_again_names_the_users_type() {
    let owner = 0u8;
    let site = LockSite::whole::<_, u8>(&owner, Some("app::cache::Cache"));
    let message = site.conflict_with(&site).expect("a conflict");
    assert!(message.contains("`Cache` (app::cache::Cache)"), "{message}");
    assert!(message.contains("already holds"), "{message}");
    let other = 1u8;
    let elsewhere = LockSite::whole::<_, u8>(&other, Some("app::cache::Cache"));
    assert_eq!(elsewhere.conflict_with(&site), None);
    // A `Guarded` made by hand is named by what it guards.
    let by_hand = LockSite::whole::<_, Vec<u8>>(&owner, None);
    let message = by_hand.conflict_with(&by_hand).expect("a conflict");
    assert!(
        message.contains("`Guarded<alloc::vec::Vec<u8>>`"),
        "{message}"
    );
}

#[test]
fn the_same_shard_conflicts_and_other_shards_do_not() {
    let owner = 0u8;
    let three = LockSite::shard(&owner, "app::Sessions", 3);
    let five = LockSite::shard(&owner, "app::Sessions", 5);
    let message = three.conflict_with(&three).expect("a conflict");
    assert!(
        message.contains("`Sessions` (app::Sessions) shard 3 is already held"),
        "{message}"
    );
    assert_eq!(three.conflict_with(&five), None);
    assert_eq!(five.conflict_with(&three), None);
}

#[test]
fn other_objects_never_conflict() {
    let (a, b) = (0u8, 0u8);
    let a_log = LockSite::field(&a, "Server", FIELDS, 2);
    let b_config = LockSite::field(&b, "Server", FIELDS, 0);
    assert_eq!(b_config.conflict_with(&a_log), None);
    // Same address, different types, even with the same short name: a struct nested at
    // offset 0 of another.
    struct Outer {
        inner: u8,
    }
    let outer = Outer { inner: 0 };
    let inner_log = LockSite::field(&outer.inner, "Server", FIELDS, 2);
    let outer_config = LockSite::field(&outer, "Server", FIELDS, 0);
    assert_eq!(outer.inner, 0);
    assert_eq!(outer_config.conflict_with(&inner_log), None);
}

#[cfg(debug_assertions)]
#[test]
fn held_records_are_removed_in_any_drop_order() {
    let owner = 0u8;
    let (config_node, stats_node) = (OrderNode::new(), OrderNode::new());
    let first = hold(LockSite::field(&owner, "Server", FIELDS, 0), &config_node);
    let second = hold(LockSite::field(&owner, "Server", FIELDS, 1), &stats_node);
    drop(first);
    // `config` is free again; `stats` is still held, so `config` conflicts.
    let config = LockSite::field(&owner, "Server", FIELDS, 0);
    assert!(std::panic::catch_unwind(|| check(&config, &config_node)).is_err());
    drop(second);
    let _ = check(&config, &config_node);
}

#[cfg(debug_assertions)]
#[test]
fn locks_beyond_the_capacity_are_not_recorded_and_leave_the_rest_intact() {
    let owners = [0u8; CAPACITY + 2];
    let nodes: Vec<OrderNode> = owners.iter().map(|_| OrderNode::new()).collect();
    let held: Vec<Held<'_>> = owners
        .iter()
        .zip(&nodes)
        .map(|(owner, node)| hold(LockSite::whole::<_, u8>(owner, Some("app::Cache")), node))
        .collect();
    // The first is recorded, the last was not (the list was full).
    let first = LockSite::whole::<_, u8>(&owners[0], Some("app::Cache"));
    let last = LockSite::whole::<_, u8>(&owners[CAPACITY + 1], Some("app::Cache"));
    assert!(std::panic::catch_unwind(|| check(&first, &nodes[0])).is_err());
    let _ = check(&last, &nodes[CAPACITY + 1]);
    drop(held);
    let _ = check(&first, &nodes[0]);
}
