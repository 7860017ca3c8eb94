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
    local: ::lockwise::__private::once_init::OnceField<
        Settings,
        ::core::convert::Infallible,
        ::lockwise::__private::once_init::Retry,
    >,
}
#[allow(dead_code, deprecated)]
impl DbClient {
    /// Takes the plain fields in declaration order; the lazy ones (`db`, `settings`, `local`) start empty and are computed on first use. `const`, so the value can live in a `static`.
    #[inline]
    pub const fn new(__lockwise_url: String) -> Self {
        Self {
            url: __lockwise_url,
            db: ::lockwise::__private::once_init::OnceField::new(),
            settings: ::lockwise::__private::once_init::OnceField::new(),
            local: ::lockwise::__private::once_init::OnceField::new(),
        }
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
    /// `local`, computed by `Self::local` on the first call; later calls return it at the cost of one load. Callers that come while it is being computed wait for that one computation. Panics instead of deadlocking if computing `local` needs `local` itself.
    #[inline]
    fn local(&self) -> &Settings {
        self.local
            .get_or_init(
                const {
                    &::lockwise::__private::once_init::OnceSite::new("DbClient", "local")
                },
                || {
                    let __lockwise_init: fn(&Self) -> Settings = Self::local;
                    __lockwise_init(self)
                },
            )
    }
    /// `local` if it is ready: never waits and never starts the initializer.
    #[inline]
    fn local_if_ready(&self) -> ::core::option::Option<&Settings> {
        self.local.get()
    }
    /// Fills `local` from outside, before its first use: `Ok` if it was empty, and `Self::local` never runs. Otherwise the value comes back, at once: `local` is set or is being initialized (no waiting).
    #[inline]
    fn set_local(
        &self,
        __lockwise_value: Settings,
    ) -> ::core::result::Result<(), Settings> {
        self.local.set(__lockwise_value)
    }
    /// Empties `local` and returns its value, if it had one: the next call to `local()` runs `Self::local` again. `&mut self`: for the owner (set-up, tests); a value shared across threads that must be replaced belongs in a `read_mostly` value (its `store` swaps it) or behind an `Arc`.
    #[inline]
    fn take_local(&mut self) -> ::core::option::Option<Settings> {
        self.local.take()
    }
    /// `local`, mutable, if it is ready: never starts the initializer (`&mut self`).
    #[inline]
    fn local_mut(&mut self) -> ::core::option::Option<&mut Settings> {
        self.local.get_mut()
    }
    ::lockwise::__private::if_async! {
        [::core::compile_error!("`#[once(.., async)]` needs lockwise's \"async\" feature, which is off: enable it in Cargo.toml, `lockwise = { version = \"0.1\", features = [\"async\"] }`");]
        #[doc =
        " `db`, computed by awaiting `Self::connect` on the first call; later calls return it at the cost of one load. Callers that come while it is being computed await that one computation, without blocking their thread; if the caller computing it is dropped (cancelled), the next caller starts it again. If it fails, the error goes to this caller and the next call tries again. Panics instead of deadlocking if computing `db` awaits `db` itself."]
        #[inline] pub async fn db(& self) -> ::core::result::Result < & Database, DbError
        > [] { match self.db.get() { ::core::option::Option::Some(__lockwise_ready) =>
        ::core::result::Result::Ok(__lockwise_ready), ::core::option::Option::None => {
        ::lockwise::__private::once_init::cold(self.db.get_or_try_init_async(const { &
        ::lockwise::__private::once_init::OnceSite::new("DbClient", "db") }, ||
        ::lockwise::__private::once_init::async_initializer:: < Result < Database,
        DbError >, _ > (Self::connect(self)))). await } } } #[doc =
        " `settings`, computed by awaiting `Self::load` on the first call; later calls return it at the cost of one load. Callers that come while it is being computed await that one computation, without blocking their thread; if the caller computing it is dropped (cancelled), the next caller starts it again. Panics instead of deadlocking if computing `settings` awaits `settings` itself."]
        #[inline] async fn settings(& self) -> & Settings[] { match self.settings.get() {
        ::core::option::Option::Some(__lockwise_ready) => __lockwise_ready,
        ::core::option::Option::None => { ::lockwise::__private::once_init::cold(self
        .settings.get_or_init_async(const { &
        ::lockwise::__private::once_init::OnceSite::new("DbClient", "settings") }, ||
        ::lockwise::__private::once_init::async_initializer:: < Settings, _ >
        (Self::load(self)))). await } } }
    }
}
