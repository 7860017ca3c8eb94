#[guarded(rw)]
#[derive(Debug, Default, Clone)]
pub struct Cache<K: Ord> {
    pub items: BTreeMap<K, String>,
    pub hits: u64,
}
