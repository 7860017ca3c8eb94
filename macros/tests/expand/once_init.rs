#[once_init(retry)]
#[derive(Debug)]
pub struct DbClient {
    pub url: String,
    #[once(init = Self::connect)]
    pub db: Result<Database, DbError>,
    #[once(init = Self::load)]
    settings: Settings,
}
#[once_init(retry(min_interval_ms = 250))]
pub struct Throttled<T: Clone> {
    seed: T,
    #[once(init = Self::build)]
    built: Result<Vec<T>, Arc<Error>>,
}
