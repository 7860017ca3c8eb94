// Throttled retry hands each caller a copy of the last error, so the error must be `Clone`.
use lockwise::once_init;

#[derive(Debug)]
struct DbError;

#[once_init(retry(min_interval_ms = 100))]
struct Client {
    url: String,
    #[once(init = Self::connect)]
    db: Result<String, DbError>,
}

impl Client {
    fn connect(&self) -> Result<String, DbError> {
        Err(DbError)
    }
}

fn main() {
    let client = Client::new("db.local".into());
    let _ = client.url.len();
}
