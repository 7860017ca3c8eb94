#[once_init(retry)]
pub struct DbClient {
    pub url: String,
    #[once(init = Self::connect, async)]
    pub db: Result<Database, DbError>,
    #[once(init = Self::load, async)]
    settings: Settings,
    #[once(init = Self::local)]
    local: Settings,
}
