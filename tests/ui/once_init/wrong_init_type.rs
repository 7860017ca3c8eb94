// An initializer that returns the wrong type: the error points at the `init = ..` path.
use lockwise::once_init;

#[once_init]
struct Client {
    url: String,
    #[once(init = Self::connect)]
    db: Result<String, std::io::Error>,
}

impl Client {
    fn connect(&self) -> Result<String, String> {
        Ok(self.url.clone())
    }
}

fn main() {
    let _ = Client::new("db.local".into()).db();
}
