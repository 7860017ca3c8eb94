// A #[once_init] struct without a lazy field: one error, at the struct, saying how to mark one.
use lockwise::once_init;

#[once_init]
struct Client {
    url: String,
}

fn main() {
    let client = Client::new("db.local".into());
    let _ = client.url;
}
