// Throttling is for retries: the default policy caches its error and never retries.
use lockwise::once_init;

#[once_init(min_interval_ms = 100)]
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
    let _ = Client::new("db.local".into()).db();
}
