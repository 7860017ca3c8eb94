#[derive(Debug)]
pub struct DbClient {
    pub url: String,
    db: ::lockwise::__private::once_init::OnceField<
        Database,
        DbError,
        ::lockwise::__private::once_init::Retry,
    >,
    settings: ::lockwise::__private::once_init::OnceField<
        Settings,
        ::core::convert::Infallible,
        ::lockwise::__private::once_init::Retry,
    >,
}
#[allow(dead_code, deprecated)]
impl DbClient {
    /// Takes the plain fields in declaration order; the lazy ones (`db`, `settings`) start empty and are computed on first use. `const`, so the value can live in a `static`.
    #[inline]
    pub const fn new(__lockwise_url: String) -> Self {
        Self {
            url: __lockwise_url,
            db: ::lockwise::__private::once_init::OnceField::new(),
            settings: ::lockwise::__private::once_init::OnceField::new(),
        }
    }
    /// `db`, computed by `Self::connect` on the first call; later calls return it at the cost of one load. Callers that come while it is being computed wait for that one computation. If it fails, the error goes to this caller and the next call tries again. Panics instead of deadlocking if computing `db` needs `db` itself.
    #[inline]
    pub fn db(&self) -> ::core::result::Result<&Database, DbError> {
        self.db
            .get_or_try_init(
                const {
                    &::lockwise::__private::once_init::OnceSite::new("DbClient", "db")
                },
                || {
                    let __lockwise_init: fn(&Self) -> Result<Database, DbError> = Self::connect;
                    __lockwise_init(self)
                },
            )
    }
    /// `db` if it is ready: never waits and never starts the initializer.
    #[inline]
    pub fn db_if_ready(&self) -> ::core::option::Option<&Database> {
        self.db.get()
    }
    /// Fills `db` from outside, before its first use: `Ok` if it was empty, and `Self::connect` never runs. Otherwise the value comes back, at once: `db` is set or is being initialized (no waiting).
    #[inline]
    pub fn set_db(
        &self,
        __lockwise_value: Database,
    ) -> ::core::result::Result<(), Database> {
        self.db.set(__lockwise_value)
    }
    /// Empties `db` and returns its value, if it had one: the next call to `db()` runs `Self::connect` again. `&mut self`: for the owner (set-up, tests); a value shared across threads that must be replaced belongs in a `read_mostly` value (its `store` swaps it) or behind an `Arc`.
    #[inline]
    pub fn take_db(&mut self) -> ::core::option::Option<Database> {
        self.db.take()
    }
    /// `db`, mutable, if it is ready: never starts the initializer (`&mut self`).
    #[inline]
    pub fn db_mut(&mut self) -> ::core::option::Option<&mut Database> {
        self.db.get_mut()
    }
    /// `settings`, computed by `Self::load` on the first call; later calls return it at the cost of one load. Callers that come while it is being computed wait for that one computation. Panics instead of deadlocking if computing `settings` needs `settings` itself.
    #[inline]
    fn settings(&self) -> &Settings {
        self.settings
            .get_or_init(
                const {
                    &::lockwise::__private::once_init::OnceSite::new(
                        "DbClient",
                        "settings",
                    )
                },
                || {
                    let __lockwise_init: fn(&Self) -> Settings = Self::load;
                    __lockwise_init(self)
                },
            )
    }
    /// `settings` if it is ready: never waits and never starts the initializer.
    #[inline]
    fn settings_if_ready(&self) -> ::core::option::Option<&Settings> {
        self.settings.get()
    }
    /// Fills `settings` from outside, before its first use: `Ok` if it was empty, and `Self::load` never runs. Otherwise the value comes back, at once: `settings` is set or is being initialized (no waiting).
    #[inline]
    fn set_settings(
        &self,
        __lockwise_value: Settings,
    ) -> ::core::result::Result<(), Settings> {
        self.settings.set(__lockwise_value)
    }
    /// Empties `settings` and returns its value, if it had one: the next call to `settings()` runs `Self::load` again. `&mut self`: for the owner (set-up, tests); a value shared across threads that must be replaced belongs in a `read_mostly` value (its `store` swaps it) or behind an `Arc`.
    #[inline]
    fn take_settings(&mut self) -> ::core::option::Option<Settings> {
        self.settings.take()
    }
    /// `settings`, mutable, if it is ready: never starts the initializer (`&mut self`).
    #[inline]
    fn settings_mut(&mut self) -> ::core::option::Option<&mut Settings> {
        self.settings.get_mut()
    }
}
pub struct Throttled<T: Clone> {
    seed: T,
    built: ::lockwise::__private::once_init::OnceField<
        Vec<T>,
        Arc<Error>,
        ::lockwise::__private::once_init::ThrottledRetry<250u64>,
    >,
}
#[allow(dead_code, deprecated)]
impl<T: Clone> Throttled<T> {
    /// Takes the plain fields in declaration order; the lazy ones (`built`) start empty and are computed on first use. `const`, so the value can live in a `static`.
    #[inline]
    pub const fn new(__lockwise_seed: T) -> Self {
        Self {
            seed: __lockwise_seed,
            built: ::lockwise::__private::once_init::OnceField::new(),
        }
    }
    /// `built`, computed by `Self::build` on the first call; later calls return it at the cost of one load. Callers that come while it is being computed wait for that one computation. If it fails, the error goes to this caller; for 250 ms after a failure, calls return a copy of it without trying again, then the next call tries again. Panics instead of deadlocking if computing `built` needs `built` itself.
    #[inline]
    fn built(&self) -> ::core::result::Result<&Vec<T>, Arc<Error>>
    where
        for<'__lw> Arc<Error>: ::lockwise::__private::once_init::CloneForThrottledRetry,
    {
        self.built
            .get_or_try_init(
                const {
                    &::lockwise::__private::once_init::OnceSite::new(
                        "Throttled",
                        "built",
                    )
                },
                || {
                    let __lockwise_init: fn(&Self) -> Result<Vec<T>, Arc<Error>> = Self::build;
                    __lockwise_init(self)
                },
            )
    }
    /// `built` if it is ready: never waits and never starts the initializer.
    #[inline]
    fn built_if_ready(&self) -> ::core::option::Option<&Vec<T>> {
        self.built.get()
    }
    /// Fills `built` from outside, before its first use: `Ok` if it was empty, and `Self::build` never runs. Otherwise the value comes back, at once: `built` is set or is being initialized (no waiting); after a failure it is empty, throttled or not, and takes the value.
    #[inline]
    fn set_built(&self, __lockwise_value: Vec<T>) -> ::core::result::Result<(), Vec<T>> {
        self.built.set(__lockwise_value)
    }
    /// Empties `built` and returns its value, if it had one: the next call to `built()` runs `Self::build` again. The throttle after a failure is cleared too: the next call tries at once. `&mut self`: for the owner (set-up, tests); a value shared across threads that must be replaced belongs in a `read_mostly` value (its `store` swaps it) or behind an `Arc`.
    #[inline]
    fn take_built(&mut self) -> ::core::option::Option<Vec<T>> {
        self.built.take()
    }
    /// `built`, mutable, if it is ready: never starts the initializer (`&mut self`).
    #[inline]
    fn built_mut(&mut self) -> ::core::option::Option<&mut Vec<T>> {
        self.built.get_mut()
    }
}
