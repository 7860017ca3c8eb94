// `io::Result<T>` hides its error type, which the policy needs: one error that asks for
// the explicit form.
use lockwise::once_init;

#[once_init(retry)]
struct Config {
    path: String,
    #[once(init = Self::read)]
    text: std::io::Result<String>,
}

impl Config {
    fn read(&self) -> std::io::Result<String> {
        std::fs::read_to_string(&self.path)
    }
}

fn main() {
    let _ = Config::new("app.toml".into()).text();
}
