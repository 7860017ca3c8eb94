use lockwise::once_init;

#[once_init(retry)]
pub struct Client {
    url: String,
    #[once(init = Self::connect, async)]
    db: Result<String, String>,
    #[once(init = Self::load, async)]
    settings: Vec<u8>,
}

impl Client {
    async fn connect(&self) -> Result<String, String> {
        Ok(self.url.clone())
    }
    async fn load(&self) -> Vec<u8> {
        vec![1]
    }
}

async fn use_it(client: &Client) -> usize {
    client.db().await.map_or(0, |db| db.len()) + client.settings().await.len()
}

fn main() {
    let _ = use_it(&Client::new("db.local".into()));
}
