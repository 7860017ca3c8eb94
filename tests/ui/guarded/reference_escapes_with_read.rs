// The closure forms exist so that no reference outlives the lock: returning one fails.
use lockwise::guarded;

#[guarded(rw)]
struct Registry {
    names: Vec<String>,
}

fn main() {
    let registry = Registry::new(RegistryState { names: vec![] });
    let names = registry.with_read(|state| &state.names);
    println!("{}", names.len());
}
