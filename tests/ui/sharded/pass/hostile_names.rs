// Names the user has in scope never capture a name the expansion binds: constants and unit
// structs named like every parameter and local a sharded expansion could bind, and every
// generated method called so that each body is type-checked.
//
// Hygiene alone does not protect a parameter: with `from_fn`'s parameter named `make` at
// `Span::mixed_site()`, the `const make` below turns the parameter into a constant pattern
// ("expected a `FnMut(usize)` closure, found `u8`"), and `struct f;` does the same to
// `Debug::fmt`'s `f` (tried when the expansion was thinned; the items resolve at the call
// site). So the generated parameters keep the `__lockwise_` prefix.
#![deny(warnings)]
#![allow(non_upper_case_globals, non_camel_case_types, dead_code)]

use std::collections::{HashMap, HashSet};
use std::time::Duration;

mod constants {
    use super::*;
    use lockwise::sharded;

    const key: u8 = 0;
    const value: u8 = 0;
    const f: u8 = 0;
    const keep: u8 = 0;
    const shard: u8 = 0;
    const index: u8 = 0;
    const hash: u8 = 0;
    const state: u8 = 0;
    const make: u8 = 0;
    const timeout: u8 = 0;
    const capacity: u8 = 0;

    #[sharded(4)]
    #[derive(Debug, Default)]
    pub struct Sessions {
        map: HashMap<u64, String>,
        evicted: u64,
    }

    pub fn exercise() {
        let sessions = Sessions::default();
        assert_eq!(sessions.insert(1, "a".to_owned()), None);
        assert_eq!(sessions.get(&1).as_deref(), Some("a"));
        assert_eq!(sessions.get_with(&1, |s| s.len()), Some(1));
        assert!(sessions.contains_key(&1));
        assert_eq!(sessions.update(&1, |s| s.push('b')), Some(()));
        let _ = sessions.get_or_insert_with(2, || "c".to_owned(), |s| s.clone());
        sessions.for_each(|_, _| {});
        sessions.retain(|k, _| *k != 2);
        assert_eq!(sessions.to_vec().len(), 1);
        assert_eq!(sessions.remove(&1).as_deref(), Some("ab"));
        assert!(sessions.is_empty() && sessions.len() == 0);
        sessions.for_each_shard(|s| assert_eq!(s.evicted, 0));
        let _ = sessions.write(&3).evicted;
        let _ = sessions.read(&3).evicted;
        assert!(sessions.try_write_for(&3, Duration::from_millis(1)).is_some());
        assert!(sessions.try_read_for(&3, Duration::from_millis(1)).is_some());
        sessions.with_write(&3, |s| s.evicted += 1);
        assert_eq!(sessions.with_read(&3, |s| s.evicted), 1);
        sessions.clear();
        let _ = format!("{sessions:?}");
        sessions.for_each_shard_mut(|s| s.evicted = 0);
        assert_eq!(sessions.into_inner().len(), 4);

        let mut made = Sessions::from_fn(|i| SessionsShard {
            map: HashMap::new(),
            evicted: i as u64,
        });
        assert_eq!(made.shards_mut().map(|s| s.evicted).sum::<u64>(), 6);
        let _ = format!("{made:?}");

        let sized = Sessions::with_capacity(8);
        *sized.entry(1).or_default() += "x";
        sized.entry(1).and_modify(|s| s.push('y')).or_insert_with(String::new);
        sized.get_mut(&1).unwrap().push('z');
        assert_eq!(sized.remove_if(&1, |_, s| s == "xyz").as_deref(), Some("xyz"));
        sized.shrink_to_fit();

        let seen = Seen::with_capacity(4);
        assert!(seen.insert(1) && seen.contains(&1));
        assert_eq!(Seen::from_fn(|_| SeenShard::default()).into_inner().len(), 2);

        let mut counters = Counters::from_fn(|_| CountersShard { hits: 0 });
        counters.write("a").hits += 1;
        assert_eq!(counters.shards_mut().map(|s| s.hits).sum::<u64>(), 1);
        let _ = format!("{:?}", Counters::default());
    }

    #[sharded(2)]
    #[derive(Debug, Default)]
    pub struct Seen {
        set: HashSet<u64>,
    }

    #[sharded(2, key = String)]
    #[derive(Debug, Default)]
    pub struct Counters {
        hits: u64,
    }
}

mod unit_structs {
    use super::*;
    use lockwise::sharded;

    struct key;
    struct value;
    struct f;
    struct make;
    struct shard;
    struct capacity;
    struct __R;
    struct __Q;

    #[sharded(2, mutex)]
    #[derive(Default)]
    pub struct Tokens {
        map: HashMap<String, u32>,
    }

    pub fn exercise() {
        let tokens = Tokens::default();
        tokens.insert("a".to_owned(), 1);
        assert_eq!(tokens.get("a"), Some(1));
        assert_eq!(tokens.update("a", |n| *n + 1), Some(2));
        assert_eq!(tokens.remove("a"), Some(1));
        let tokens = Tokens::with_capacity(4);
        *tokens.entry("b".to_owned()).or_insert(0) += 1;
        let mut tokens = Tokens::from_fn(|_| TokensShard::default());
        assert_eq!(tokens.shards_mut().count(), 2);
    }
}

fn main() {
    constants::exercise();
    unit_structs::exercise();
}
