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

/// The graph itself, on a graph of the test's own (the process's is shared by every test).
#[cfg(debug_assertions)]
mod graph {
    use std::panic::Location;

    use crate::order::graph::{End, Graph, Level, Step};
    use crate::order::site::{LockSite, SiteLabel};

    struct Account;
    struct Ledger;

    fn end<O>(owner: &O, node: u64, path: &'static str) -> End {
        End {
            node,
            site: LockSite::whole::<_, u8>(owner, Some(path)),
            at: Location::caller(),
        }
    }

    /// Three values of one type, nodes 1, 2 and 3.
    fn accounts(owners: &[Account; 3]) -> [End; 3] {
        [1, 2, 3].map(|n| end(&owners[n as usize - 1], n, "app::Account"))
    }

    fn step(from: End, to: End) -> Step {
        Step { from, to }
    }

    #[test]
    fn the_reverse_of_a_recorded_edge_is_refused_and_not_recorded() {
        let (a, b) = (Account, Account);
        let (x, y) = (end(&a, 1, "app::Account"), end(&b, 2, "app::Account"));
        let mut graph = Graph::default();
        assert!(graph.record(&[step(x, y)]).is_ok());
        let refused = graph
            .record(&[step(y, x)])
            .expect_err("y → x inverts x → y");
        assert_eq!(refused.level, Level::Instances);
        assert_eq!(refused.path.len(), 2);
        // Nothing of the refused acquisition was recorded: x → y is still the only edge.
        assert_eq!(graph.size().instance_edges, 1);
        assert!(graph.record(&[step(x, y)]).is_ok());
        assert_eq!(graph.size().instance_edges, 1);
    }

    #[test]
    fn a_longer_path_is_found_and_reported_whole() {
        let owners = [Account, Account, Account, Account];
        let ends: Vec<End> = owners
            .iter()
            .enumerate()
            .map(|(i, o)| end(o, i as u64 + 1, "app::Account"))
            .collect();
        let mut graph = Graph::default();
        for pair in ends.windows(2) {
            assert!(graph.record(&[step(pair[0], pair[1])]).is_ok());
        }
        let refused = graph
            .record(&[step(ends[3], ends[0])])
            .expect_err("4 → 1 closes 1 → 2 → 3 → 4");
        assert_eq!(refused.path.len(), 4);
    }

    #[test]
    fn one_refused_step_refuses_the_whole_acquisition() {
        let owners = [Account, Account, Account];
        let [x, y, z] = accounts(&owners);
        let mut graph = Graph::default();
        assert!(graph.record(&[step(z, x)]).is_ok());
        // Holding y and x, taking z: y → z alone would be fine, x → z inverts z → x.
        assert!(graph.record(&[step(y, z), step(x, z)]).is_err());
        assert_eq!(
            graph.size().instance_edges,
            1,
            "y → z was not recorded either"
        );
    }

    #[test]
    fn different_types_are_ordered_per_class_and_one_type_per_value() {
        let (a1, l1, a2, l2) = (Account, Ledger, Account, Ledger);
        let mut graph = Graph::default();
        let account = |o: &Account, n| end(o, n, "app::Account");
        let ledger = |o: &Ledger, n| end(o, n, "app::Ledger");
        assert!(
            graph
                .record(&[step(account(&a1, 1), ledger(&l1, 2))])
                .is_ok()
        );
        let refused = graph
            .record(&[step(ledger(&l2, 4), account(&a2, 3))])
            .expect_err("Ledger → Account inverts Account → Ledger on other values");
        assert_eq!(refused.level, Level::Classes);
        let size = graph.size();
        assert_eq!((size.class_nodes, size.class_edges), (2, 1));
        // Two values of one type: per value only, no class edge, no refusal.
        let mut graph = Graph::default();
        assert!(
            graph
                .record(&[step(account(&a1, 1), account(&a2, 3))])
                .is_ok()
        );
        assert_eq!(graph.size().class_edges, 0);
    }

    #[test]
    fn a_type_ordered_per_value_never_enters_the_class_graph() {
        let (a1, l1, a2, l2) = (Account, Ledger, Account, Ledger);
        let per_value = SiteLabel::per_instance("app::Ledger");
        let ledger = |o: &Ledger, n| End {
            site: LockSite::whole::<_, u8>(o, Some("app::Ledger")).ordered_by(per_value),
            ..end(o, n, "app::Ledger")
        };
        let mut graph = Graph::default();
        assert!(
            graph
                .record(&[step(end(&a1, 1, "app::Account"), ledger(&l1, 2))])
                .is_ok()
        );
        assert!(
            graph
                .record(&[step(ledger(&l2, 4), end(&a2, 3, "app::Account"))])
                .is_ok()
        );
        assert_eq!(graph.size().class_edges, 0);
    }

    #[test]
    fn a_forgotten_node_takes_its_edges_and_bare_neighbours_with_it() {
        let owners = [Account, Account, Account];
        let [x, y, z] = accounts(&owners);
        let mut graph = Graph::default();
        assert!(graph.record(&[step(x, y)]).is_ok());
        assert!(graph.record(&[step(y, z)]).is_ok());
        graph.forget(2);
        let size = graph.size();
        assert_eq!((size.instance_nodes, size.instance_edges), (0, 0));
        // With y gone, z → x is no inversion.
        assert!(graph.record(&[step(z, x)]).is_ok());
    }
}

/// The process's graph through real locks: a node leaves it when its value drops.
#[cfg(debug_assertions)]
#[test]
fn a_dropped_lock_leaves_the_graph() {
    use crate::{Guarded, mode::Mutex};

    let keeper: Guarded<u16, Mutex> = Guarded::new(0);
    let _keeper = keeper.write();
    // Another value of the same type each time: per value, so no class edge either.
    let rounds = if cfg!(miri) { 3 } else { 1000 };
    let before = super::graph::size();
    for i in 0..rounds {
        let value: Guarded<u16, Mutex> = Guarded::new(i);
        drop(value.write());
    }
    let after = super::graph::size();
    // Other tests run beside this one; a leak would be `rounds` nodes.
    assert!(
        after.instance_nodes < before.instance_nodes + rounds as usize / 2 + 2,
        "{before:?} → {after:?}"
    );
}
