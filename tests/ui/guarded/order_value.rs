// `order = ..` takes `type` (the default: per type against other types) or `instance`
// (per value, for types that nest by design). A misspelt value is one error with a
// suggestion; the struct still expands, so its use is no second error.
use lockwise::guarded;

#[guarded(order = instnce)]
struct Node {
    depth: u32,
}

fn main() {
    let node = Node::new(NodeState { depth: 0 });
    let _ = node.read().depth;
}
