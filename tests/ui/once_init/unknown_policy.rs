// An unknown policy, with a suggestion; the misspelt word still selects `retry`, so code
// written for `retry` (an error by value) is not a second error.
use lockwise::once_init;

#[once_init(retyr)]
struct Client {
    url: String,
    #[once(init = Self::connect)]
    db: Result<String, String>,
}

impl Client {
    fn connect(&self) -> Result<String, String> {
        Ok(self.url.clone())
    }
}

fn main() {
    let client = Client::new("db.local".into());
    let _: Result<&String, String> = client.db();
}
