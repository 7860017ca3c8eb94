#[pooled(max_idle = 64, new = Self::with_page)]
pub struct Scratch {
    pub buf: Vec<u8>,
}
#[pooled]
#[derive(Default)]
pub(crate) struct Line(String);
