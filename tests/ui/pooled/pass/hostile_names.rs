// Names the user has in scope never capture a name the expansion binds: constants and unit
// structs named like everything a pooled expansion could bind, and every generated
// function called.
#![deny(warnings)]
#![allow(non_upper_case_globals, non_camel_case_types, dead_code)]

mod constants {
    use lockwise::{Reset, pooled};

    const pool: u8 = 0;
    const object: u8 = 0;
    const value: u8 = 0;
    const max_idle: u8 = 0;
    const POOL: u8 = 0;

    #[pooled(max_idle = 4)]
    #[derive(Default)]
    pub struct Scratch {
        bytes: Vec<u8>,
    }

    impl Reset for Scratch {
        fn reset(&mut self) {
            self.bytes.clear();
        }
    }

    #[pooled(new = Self::with_page)]
    pub struct Page {
        bytes: Vec<u8>,
    }

    impl Page {
        fn with_page() -> Self {
            Page { bytes: Vec::with_capacity(4096) }
        }
    }

    impl Reset for Page {
        fn reset(&mut self) {
            self.bytes.clear();
        }
    }

    pub fn exercise() {
        Scratch::pooled().bytes.push(1);
        assert!(Scratch::pooled().bytes.is_empty());
        let _ = Scratch::pool().stats();
        assert!(Page::pooled().bytes.capacity() >= 4096);
    }
}

mod unit_structs {
    use lockwise::{Reset, pooled};

    struct pool;
    struct object;

    #[pooled]
    #[derive(Default)]
    pub struct Line {
        text: String,
    }

    impl Reset for Line {
        fn reset(&mut self) {
            self.text.clear();
        }
    }

    pub fn exercise() {
        Line::pooled().text.push('x');
        assert!(Line::pooled().text.is_empty());
    }
}

fn main() {
    constants::exercise();
    unit_structs::exercise();
}
