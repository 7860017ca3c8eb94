//! The lock-order graph against a reference model (issue 21): random acquisition sequences
//! over a few values of a few types, checked against a tiny cycle detector of the two
//! graphs. Its types are its own; its class graph lives as long as the binary, so the
//! model's does too (in a `static`), and a case's values are new, so each case starts a
//! fresh instance graph. Here beside the runtime's other property test, which has
//! proptest; `tests/lock_order.rs` in the facade has the scenarios.
//!
//! Debug builds only (release builds have no graph); not under Miri (hundreds of cases);
//! not under `--cfg loom` (`#[guarded]`'s `const fn new` calls constructors that loom's
//! primitives keep from being `const`; the loom models are in the library).
#![cfg(all(debug_assertions, not(miri), not(loom)))]

use std::panic::{AssertUnwindSafe, catch_unwind};

/// The message of the panic `f` raised, or `None` if it returned.
fn panic_of(f: impl FnOnce()) -> Option<String> {
    catch_unwind(AssertUnwindSafe(f)).err().map(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use lockwise::{ReadGuard, WriteGuard, guarded};
use proptest::prelude::*;

#[guarded(rw)]
pub struct Pa {
    n: u8,
}

#[guarded]
pub struct Pb {
    n: u8,
}

#[guarded(rw, order = instance)]
pub struct Pc {
    n: u8,
}

/// Two values of `Pa`, two of `Pb`, one of `Pc`: (type, index) per value.
const TYPES: [usize; 5] = [0, 0, 1, 1, 2];
/// `Pc` opted into per-value order.
const PER_INSTANCE: usize = 2;

#[derive(Clone, Copy, Debug)]
pub enum Op {
    Read(usize),
    Write(usize),
    TryWrite(usize),
    Release(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..5usize).prop_map(Op::Read),
        (0..5usize).prop_map(Op::Write),
        (0..5usize).prop_map(Op::TryWrite),
        (0..8usize).prop_map(Op::Release),
    ]
}

/// A directed graph that refuses nothing; the model asks it for paths.
#[derive(Default)]
struct Digraph(BTreeMap<usize, BTreeSet<usize>>);

impl Digraph {
    fn reaches(&self, from: usize, to: usize) -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(at) = stack.pop() {
            if at == to {
                return true;
            }
            if seen.insert(at) {
                stack.extend(self.0.get(&at).into_iter().flatten());
            }
        }
        false
    }
    fn add(&mut self, from: usize, to: usize) {
        self.0.entry(from).or_default().insert(to);
    }
}

/// The class graph over `TYPES`, for as long as the binary runs.
static CLASSES: Mutex<Digraph> = Mutex::new(Digraph(BTreeMap::new()));

/// What the model expects of an acquisition of `value` (that can wait) while `held`.
#[derive(Debug, PartialEq, Eq)]
enum Expect {
    Granted,
    Relock,
    Inversion,
}

fn expect(instances: &mut Digraph, held: &[usize], value: usize) -> Expect {
    if held.contains(&value) {
        return Expect::Relock;
    }
    let mut classes = CLASSES.lock().unwrap();
    let class_step = |h: usize| {
        TYPES[h] != TYPES[value] && TYPES[h] != PER_INSTANCE && TYPES[value] != PER_INSTANCE
    };
    let inverts = held.iter().any(|&h| {
        instances.reaches(value, h) || (class_step(h) && classes.reaches(TYPES[value], TYPES[h]))
    });
    if inverts {
        return Expect::Inversion;
    }
    for &h in held {
        instances.add(h, value);
        if class_step(h) {
            classes.add(TYPES[h], TYPES[value]);
        }
    }
    Expect::Granted
}

enum Guard<'a> {
    Pa(
        #[allow(dead_code)]
        Result<
            ReadGuard<'a, PaState, lockwise::mode::Rw>,
            WriteGuard<'a, PaState, lockwise::mode::Rw>,
        >,
    ),
    Pb(#[allow(dead_code)] WriteGuard<'a, PbState, lockwise::mode::Mutex>),
    Pc(
        #[allow(dead_code)]
        Result<
            ReadGuard<'a, PcState, lockwise::mode::Rw>,
            WriteGuard<'a, PcState, lockwise::mode::Rw>,
        >,
    ),
}

struct Values {
    pa: [Pa; 2],
    pb: [Pb; 2],
    pc: Pc,
}

impl Values {
    fn new() -> Self {
        Self {
            pa: [Pa::new(PaState { n: 0 }), Pa::new(PaState { n: 1 })],
            pb: [Pb::new(PbState { n: 0 }), Pb::new(PbState { n: 1 })],
            pc: Pc::new(PcState { n: 0 }),
        }
    }

    fn take(&self, value: usize, write: bool) -> Guard<'_> {
        match (value, write) {
            (0 | 1, false) => Guard::Pa(Ok(self.pa[value].read())),
            (0 | 1, true) => Guard::Pa(Err(self.pa[value].write())),
            (2 | 3, _) => Guard::Pb(self.pb[value - 2].write()),
            (_, false) => Guard::Pc(Ok(self.pc.read())),
            (_, true) => Guard::Pc(Err(self.pc.write())),
        }
    }

    /// What `value` holds, read under a guard released before returning (one lock at
    /// a time: no edge).
    fn n(&self, value: usize) -> u8 {
        match value {
            0 | 1 => self.pa[value].read().n,
            2 | 3 => self.pb[value - 2].read().n,
            _ => self.pc.read().n,
        }
    }

    fn try_write(&self, value: usize) -> Option<Guard<'_>> {
        match value {
            0 | 1 => self.pa[value].try_write().map(|g| Guard::Pa(Err(g))),
            2 | 3 => self.pb[value - 2].try_write().map(Guard::Pb),
            _ => self.pc.try_write().map(|g| Guard::Pc(Err(g))),
        }
    }
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let values = Values::new();
    let mut instances = Digraph::default();
    let mut held: Vec<(usize, Guard<'_>)> = Vec::new();
    for &op in ops {
        match op {
            Op::Read(value) | Op::Write(value) => {
                let write = matches!(op, Op::Write(_));
                let holding: Vec<usize> = held.iter().map(|(v, _)| *v).collect();
                let expected = expect(&mut instances, &holding, value);
                let mut guard = None;
                let panic = panic_of(|| guard = Some(values.take(value, write)));
                let got = match &panic {
                    None => Expect::Granted,
                    Some(m) if m.contains("already holds") => Expect::Relock,
                    Some(m) if m.contains("lock order inversion") => Expect::Inversion,
                    Some(m) => return Err(TestCaseError::fail(format!("panic: {m}"))),
                };
                prop_assert_eq!(
                    &got,
                    &expected,
                    "{:?} holding {:?}: {:?}",
                    op,
                    holding,
                    panic
                );
                if let Some(guard) = guard {
                    held.push((value, guard));
                }
            }
            Op::TryWrite(value) => {
                let busy = held.iter().any(|(v, _)| *v == value);
                let guard = values.try_write(value);
                prop_assert_eq!(guard.is_some(), !busy, "{:?}", op);
                if let Some(guard) = guard {
                    held.push((value, guard));
                }
            }
            Op::Release(slot) => {
                if !held.is_empty() {
                    let slot = slot % held.len();
                    held.remove(slot);
                }
            }
        }
    }
    // Nothing wrote: every value still holds what it was built with.
    drop(held);
    let ns: Vec<u8> = (0..5).map(|value| values.n(value)).collect();
    prop_assert_eq!(ns, [0, 1, 0, 1, 0]);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_graph_refuses_exactly_what_a_reference_cycle_detector_refuses(
        ops in proptest::collection::vec(op(), 1..16)
    ) {
        run(&ops)?;
    }
}
