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
}
