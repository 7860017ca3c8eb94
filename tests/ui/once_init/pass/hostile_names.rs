// Names the user has in scope never capture a name the expansion binds: constants and unit
// structs named like every parameter and local a once_init expansion could bind (the plain
// fields become `new`'s parameters), and every generated method called.
#![deny(warnings)]
#![allow(non_upper_case_globals, non_camel_case_types, dead_code)]

mod constants {
    use lockwise::once_init;

    const url: u8 = 0;
    const init: u8 = 0;
    const site: u8 = 0;
    const value: u8 = 0;
    const error: u8 = 0;
    const f: u8 = 0;
    const state: u8 = 0;

    #[once_init]
    pub struct Client {
        url: String,
        #[once(init = Self::connect)]
        db: Result<String, String>,
        #[once(init = Self::greet)]
        greeting: String,
    }

    impl Client {
        fn connect(&self) -> Result<String, String> {
            Ok(self.url.clone())
        }
        fn greet(&self) -> String {
            "hello".to_owned()
        }
    }

    #[once_init(retry(min_interval_ms = 10))]
    pub struct Throttled {
        url: String,
        #[once(init = Self::connect)]
        db: Result<String, std::sync::Arc<String>>,
    }

    impl Throttled {
        fn connect(&self) -> Result<String, std::sync::Arc<String>> {
            Err(std::sync::Arc::new(self.url.clone()))
        }
    }

    pub fn exercise() {
        let client = Client::new("u".to_owned());
        assert!(client.db_if_ready().is_none());
        assert!(client.db().is_ok());
        assert!(client.db_if_ready().is_some());
        assert_eq!(client.greeting(), "hello");
        let mut throttled = Throttled::new("down".to_owned());
        assert!(throttled.db().is_err());
        assert_eq!(throttled.set_db("up".to_owned()), Ok(()));
        assert_eq!(throttled.db_mut().map(|db| db.len()), Some(2));
        assert_eq!(throttled.take_db().as_deref(), Some("up"));

        let mut client = Client::new("u".to_owned());
        assert_eq!(client.set_greeting("hi".to_owned()), Ok(()));
        assert_eq!(client.greeting(), "hi");
        assert_eq!(client.take_greeting().as_deref(), Some("hi"));
        assert_eq!(client.greeting_mut(), None);
        assert_eq!(client.set_db("set".to_owned()), Ok(()));
        assert_eq!(client.take_db().as_deref(), Some("set"));
    }
}

mod unit_structs {
    use lockwise::once_init;

    struct seed;
    struct init;
    struct value;
    struct __R;

    #[once_init(retry)]
    pub struct Built {
        seed: u32,
        #[once(init = Self::build)]
        built: Result<Vec<u32>, String>,
    }

    impl Built {
        fn build(&self) -> Result<Vec<u32>, String> {
            Ok(vec![self.seed])
        }
    }

    pub fn exercise() {
        let mut built = Built::new(3);
        assert_eq!(built.built().map(|v| v.len()), Ok(1));
        built.built_mut().unwrap().push(4);
        assert_eq!(built.set_built(vec![]), Err(vec![]));
        assert_eq!(built.take_built(), Some(vec![3, 4]));
    }
}

fn main() {
    constants::exercise();
    unit_structs::exercise();
}
