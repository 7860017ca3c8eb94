#[guarded(read_mostly)]
#[derive(Clone, Default)]
pub(crate) struct Registry {
    handlers: Vec<(String, fn() -> String)>,
}
