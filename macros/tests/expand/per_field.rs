#[guarded]
#[derive(Debug, Default)]
pub struct Server {
    #[lock(rw)]
    pub config: Config,
    #[lock(mutex)]
    pub stats: Stats,
    #[unguarded]
    pub requests: AtomicU64,
}
