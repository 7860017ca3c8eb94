/// Request counters, shared by every worker.
#[guarded]
#[derive(Debug, Default)]
pub struct Metrics {
    pub requests: u64,
    pub errors: u64,
}
