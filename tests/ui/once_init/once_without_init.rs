// `#[once]` needs the function that computes the field.
use lockwise::once_init;

#[once_init]
struct Client {
    url: String,
    #[once]
    db: String,
    #[once(init)]
    cache: String,
}

fn main() {
    let _ = Client::new("db.local".into()).url;
}
