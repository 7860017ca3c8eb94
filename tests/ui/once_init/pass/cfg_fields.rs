// Fields removed by `#[cfg]` do not count: two lazy fields of one name under mutually
// exclusive cfgs are not a method-name collision, and each one's methods carry its cfgs.
#![deny(warnings)]

use lockwise::once_init;

#[once_init]
struct Client {
    url: String,
    #[cfg(all())]
    #[once(init = Self::connect)]
    db: Result<u32, String>,
    #[cfg(any())]
    #[once(init = Self::connect_elsewhere)]
    db: Result<u64, String>,
}

impl Client {
    #[cfg(all())]
    fn connect(&self) -> Result<u32, String> {
        Ok(self.url.len() as u32)
    }

    #[cfg(any())]
    fn connect_elsewhere(&self) -> Result<u64, String> {
        Err(self.url.clone())
    }
}

fn main() {
    let client = Client::new("db.local".to_owned());
    assert_eq!(client.db_if_ready(), None);
    assert_eq!(client.db(), Ok(&8));
    assert_eq!(client.db_if_ready(), Some(&8));
}
