// A `BTreeMap` allocates a node at a time: a sharded type over one has no `with_capacity`
// (nor `shrink_to_fit`), while a `HashMap`, `HashSet` or `PrehashedMap` field gets both.
use std::collections::BTreeMap;

#[lockwise::sharded(4)]
#[derive(Default)]
struct Ordered {
    map: BTreeMap<u32, String>,
}

fn main() {
    let _ = Ordered::with_capacity(100);
    Ordered::new().shrink_to_fit();
}
