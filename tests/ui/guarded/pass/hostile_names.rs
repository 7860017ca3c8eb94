// Names the user has in scope never capture a name the expansion binds: every parameter,
// local and closure argument of generated code is hygienic. Each module below defines, in
// the expansion's scope, a constant or a unit struct for every identifier the expansion
// binds (`state`, `f`, `timeout`, `out`, the storage fields taken apart by `into_inner`),
// and uses every generated method so that each body is type-checked.
#![deny(warnings)]
#![allow(non_upper_case_globals, non_camel_case_types, dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Constants named like the expansion's bindings: a binding that resolved to one would be
/// a pattern match against a constant (E0530 / E0308).
mod constants {
    use super::*;
    use lockwise::guarded;

    const state: u8 = 0;
    const f: u8 = 0;
    const timeout: u8 = 0;
    const ready: u8 = 0;
    const this: u8 = 0;
    const serializer: u8 = 0;
    const deserializer: u8 = 0;
    const out: u8 = 0;
    const __lockwise_hits: u8 = 0;
    const __lockwise_total: u8 = 0;

    #[guarded(rw)]
    #[derive(Debug, Default, Clone)]
    pub struct Whole {
        pub hits: u64,
    }

    #[guarded]
    #[derive(Debug, Default)]
    pub struct Fields {
        #[lock(mutex)]
        pub hits: u64,
        #[unguarded]
        pub total: AtomicU64,
    }

    pub fn exercise() {
        let whole = Whole::from(WholeState { hits: 1 });
        whole.with_write(|s| s.hits += 1);
        assert_eq!(whole.with_read(|s| s.hits), 2);
        assert!(whole.try_read_for(Duration::from_millis(1)).is_some());
        assert!(whole.try_write_for(Duration::from_millis(1)).is_some());
        let _ = format!("{whole:?}");
        let shared = std::sync::Arc::new(Whole::default());
        shared.write_arc().hits += 1;
        assert_eq!(shared.read_arc().hits, 1);
        let fields = Fields::new(FieldsState { hits: 1, total: AtomicU64::new(0) });
        fields.with_hits_mut(|h| *h += 1);
        *fields.hits_mut_when(|h| *h == 2) += 0;
        assert!(fields.hits_when_for(|h| *h == 2, Duration::from_millis(1)).is_some());
        assert!(fields.hits_mut_when_for(|h| *h == 2, Duration::from_millis(1)).is_some());
        assert_eq!(*fields.hits_when(|h| *h == 2), 2);
        fields.total().fetch_add(1, Ordering::Relaxed);
        let _ = format!("{fields:?}");
        assert_eq!(fields.into_inner().hits, 2);
        assert_eq!(whole.into_inner().hits, 2);
    }
}

/// Unit structs named like the bindings: a binding that resolved to one would be a
/// pattern against the unit struct.
mod unit_structs {
    use super::*;
    use lockwise::guarded;

    struct state;
    struct f;
    struct timeout;
    struct out;
    struct __R;

    #[guarded(read_mostly)]
    #[derive(Debug, Default, Clone)]
    pub struct Whole {
        pub hits: u64,
    }

    #[guarded]
    #[derive(Debug, Default)]
    pub struct Fields {
        #[lock(rw)]
        pub hits: u64,
    }

    pub fn exercise() {
        let whole = Whole::default();
        whole.with_write(|s| s.hits += 1);
        assert_eq!(whole.with_read(|s| s.hits), 1);
        assert!(whole.try_write_for(Duration::from_millis(1)).is_some());
        let _ = format!("{whole:?}");
        let fields = Fields::default();
        fields.with_hits_mut(|h| *h += 1);
        assert_eq!(fields.with_hits(|h| *h), 1);
        let _ = format!("{fields:?}");
        assert_eq!(fields.into_inner().hits, 1);
    }
}

/// Marker names cannot collide: `A { b_c }` and `A_b { c }` both have an unguarded field
/// whose marker would once have been `A_b_c`.
mod marker_names {
    use super::*;
    use lockwise::guarded;

    #[guarded]
    pub struct A {
        #[unguarded]
        pub b_c: AtomicU64,
        #[lock(mutex)]
        pub d: u8,
    }

    #[guarded]
    pub struct A_b {
        #[unguarded]
        pub c: AtomicU64,
        #[lock(mutex)]
        pub d: u8,
    }

    pub fn exercise() {
        let a = A::new(AState { b_c: AtomicU64::new(1), d: 0 });
        let a_b = A_b::new(A_bState { c: AtomicU64::new(2), d: 0 });
        assert_eq!(a.b_c().load(Ordering::Relaxed) + a_b.c().load(Ordering::Relaxed), 3);
        assert_eq!(*a.d() + *a_b.d(), 0);
    }
}

fn main() {
    constants::exercise();
    unit_structs::exercise();
    marker_names::exercise();
}
