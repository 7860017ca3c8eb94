//! Instruction counts (callgrind, via gungraun) of reading a lazy field after it has been
//! initialized: the `<field>()` accessor `#[once_init]` generates (a one-line forward to
//! `OnceField`), against `std::sync::OnceLock` and once_cell's `sync::OnceCell`.
//!
//! Run with `cargo bench --bench once_instructions` (needs `valgrind` and a
//! `gungraun-runner` of the same version as the `gungraun` dev-dependency on `PATH`).
//!
//! Target (issue 10): `<field>()` executes at most one instruction more than
//! `OnceLock::get`.
//!
//! How the peers are kept honest:
//!
//! - Each cell lives in a `&'static` made, and initialized, by the bench's argument
//!   expression, which gungraun evaluates outside the measured function.
//! - Every peer holds the same value type and returns what its API returns (`&T`,
//!   `Option<&T>` or `Result<&T, _>`) through `black_box`, so no peer's check is optimized
//!   away; the initializers passed on the measured path never run.

use std::hint::black_box;
use std::sync::OnceLock;

use gungraun::{library_benchmark, library_benchmark_group, main};
use lockwise::once_init::policy::Retry;
use lockwise::once_init::{OnceField, OnceSite};

/// The value every peer holds.
#[derive(Debug)]
pub struct Settings {
    pub timeout_ms: u64,
}

fn load() -> Settings {
    Settings { timeout_ms: 250 }
}

#[derive(Debug)]
pub struct DbError;

/// What `#[once_init]` generates for a lazy field, written out: the accessor forwards to
/// the field in one line.
pub struct Client {
    settings: OnceField<Settings>,
}

impl Client {
    #[inline]
    pub fn settings(&self) -> &Settings {
        self.settings
            .get_or_init(const { &OnceSite::new("Client", "settings") }, load)
    }

    #[inline]
    pub fn settings_if_ready(&self) -> Option<&Settings> {
        self.settings.get()
    }
}

/// The fallible forms, called as the generated accessors call them.
const DB: &OnceSite = &OnceSite::new("Client", "db");

fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

fn client() -> &'static Client {
    let client = leak(Client {
        settings: OnceField::new(),
    });
    client.settings();
    client
}

fn cached() -> &'static OnceField<Settings, DbError> {
    let field: &'static OnceField<Settings, DbError> = leak(OnceField::new());
    field.get_or_try_init(DB, || Ok(load())).unwrap();
    field
}

fn retried() -> &'static OnceField<Settings, DbError, Retry> {
    let field: &'static OnceField<Settings, DbError, Retry> = leak(OnceField::new());
    field.get_or_try_init(DB, || Ok(load())).unwrap();
    field
}

fn once_lock() -> &'static OnceLock<Settings> {
    let cell = leak(OnceLock::new());
    cell.get_or_init(load);
    cell
}

/// The default policy written by hand: the outcome, `Ok` or `Err`, stored for good.
fn once_lock_result() -> &'static OnceLock<Result<Settings, DbError>> {
    let cell = leak(OnceLock::new());
    cell.get_or_init(|| Ok(load()));
    cell
}

fn once_cell() -> &'static once_cell::sync::OnceCell<Settings> {
    let cell = leak(once_cell::sync::OnceCell::new());
    cell.get_or_init(load);
    cell
}

// ---------------------------------------------------------------------------------------
// The value, after initialization.
// ---------------------------------------------------------------------------------------

#[library_benchmark]
#[bench::ready(client())]
fn lockwise_field(c: &'static Client) -> &'static Settings {
    black_box(c.settings())
}

#[library_benchmark]
#[bench::ready(cached())]
fn lockwise_field_cached(
    field: &'static OnceField<Settings, DbError>,
) -> Result<&'static Settings, &'static DbError> {
    black_box(field.get_or_try_init(DB, || Ok(load())))
}

#[library_benchmark]
#[bench::ready(retried())]
fn lockwise_field_retry(
    field: &'static OnceField<Settings, DbError, Retry>,
) -> Result<&'static Settings, DbError> {
    black_box(field.get_or_try_init(DB, || Ok(load())))
}

#[library_benchmark]
#[bench::ready(client())]
fn lockwise_field_if_ready(c: &'static Client) -> Option<&'static Settings> {
    black_box(c.settings_if_ready())
}

#[library_benchmark]
#[bench::ready(once_lock())]
fn std_once_lock_get(cell: &'static OnceLock<Settings>) -> Option<&'static Settings> {
    black_box(cell.get())
}

#[library_benchmark]
#[bench::ready(once_lock())]
fn std_once_lock_get_or_init(cell: &'static OnceLock<Settings>) -> &'static Settings {
    black_box(cell.get_or_init(load))
}

#[library_benchmark]
#[bench::ready(once_lock_result())]
fn std_once_lock_result_get_or_init(
    cell: &'static OnceLock<Result<Settings, DbError>>,
) -> Result<&'static Settings, &'static DbError> {
    black_box(cell.get_or_init(|| Ok(load())).as_ref())
}

#[library_benchmark]
#[bench::ready(once_cell())]
fn once_cell_get_or_try_init(
    cell: &'static once_cell::sync::OnceCell<Settings>,
) -> Result<&'static Settings, DbError> {
    black_box(cell.get_or_try_init(|| Ok(load())))
}

#[library_benchmark]
#[bench::ready(once_cell())]
fn once_cell_get(cell: &'static once_cell::sync::OnceCell<Settings>) -> Option<&'static Settings> {
    black_box(cell.get())
}

#[library_benchmark]
#[bench::ready(once_cell())]
fn once_cell_get_or_init(cell: &'static once_cell::sync::OnceCell<Settings>) -> &'static Settings {
    black_box(cell.get_or_init(load))
}

library_benchmark_group!(
    name = after_init;
    compare_by_id = true;
    benchmarks =
        lockwise_field,
        lockwise_field_cached,
        lockwise_field_retry,
        lockwise_field_if_ready,
        std_once_lock_get,
        std_once_lock_get_or_init,
        std_once_lock_result_get_or_init,
        once_cell_get,
        once_cell_get_or_init,
        once_cell_get_or_try_init
);

main!(library_benchmark_groups = after_init);
