// A `#[derive]` written above `#[sharded]` applies to the thread-safe wrapper, whose fields
// are not the user's: one error, saying to write it below.
use std::collections::HashMap;

use lockwise::sharded;

#[derive(Debug, Default)]
#[sharded(4)]
struct Sessions {
    map: HashMap<u64, String>,
}

fn main() {}
