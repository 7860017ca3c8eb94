// Each lazy field `f` gets `f()`, `f_if_ready()`, `set_f()`, `take_f()` and `f_mut()`: a
// lazy field named `set_db` asks for `set_db()`, which field `db` already has, and one named
// `db_mut` for `db_mut()`. Each is one error at the later field.
use lockwise::once_init;

#[once_init]
struct Client {
    #[once(init = Self::connect)]
    db: u32,
    #[once(init = Self::connect)]
    set_db: u32,
    #[once(init = Self::connect)]
    db_mut: u32,
}

impl Client {
    fn connect(&self) -> u32 {
        1
    }
}

fn main() {}
