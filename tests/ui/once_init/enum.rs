// #[once_init] goes on a struct.
use lockwise::once_init;

#[once_init]
enum Client {
    Disconnected,
}

fn main() {
    let _ = Client::Disconnected;
}
