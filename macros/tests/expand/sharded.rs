#[sharded(16)]
#[derive(Debug, Default)]
pub struct Sessions {
    map: HashMap<SessionId, Session>,
    evictions: u64,
}
#[sharded(8, mutex, key = UserId)]
#[derive(Default)]
pub(crate) struct Limits {
    tokens: u32,
}
