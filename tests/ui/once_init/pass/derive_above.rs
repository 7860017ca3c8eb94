// `#[once_init]` keeps the struct's name and fields (only the lazy fields' storage
// changes), so a derive written above it applies to the same struct as one written below:
// both compile, and neither is reported.
#![deny(warnings)]

use lockwise::once_init;

#[derive(Debug, Default)]
#[once_init]
struct Client {
    url: String,
    #[once(init = Self::measure)]
    len: usize,
}

impl Client {
    fn measure(&self) -> usize {
        self.url.len()
    }
}

fn main() {
    let client = Client::default();
    assert_eq!(*client.len(), 0);
    assert!(format!("{client:?}").contains("url"));
}
