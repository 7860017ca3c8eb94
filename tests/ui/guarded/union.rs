// A union's fields overlap: there is nothing safe to lock.
use lockwise::guarded;

#[guarded]
union Bits {
    int: u32,
    float: f32,
}

fn main() {
    let _ = Bits { int: 1 };
}
