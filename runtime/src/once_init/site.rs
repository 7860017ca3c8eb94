//! [`OnceSite`]: which lazy field a call is about, for the messages.

use core::fmt;

/// Names a lazy field in panic messages: the type it belongs to and the field.
///
/// Calls take a `&'static OnceSite`: a `const` item borrowed (`&SITE`) or an inline
/// `const { &OnceSite::new("Type", "field") }`, which is what `#[once_init]` generates.
/// Passing a pointer keeps the fast path to a load and a branch: the site is read only
/// when the call has to initialize, wait or panic. `Display` prints `Type::field`.
///
/// ```
/// use lockwise::once_init::OnceSite;
///
/// const DB: OnceSite = OnceSite::new("DbClient", "db");
/// assert_eq!(DB.to_string(), "DbClient::db");
/// assert_eq!((DB.type_name, DB.field), ("DbClient", "db"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OnceSite {
    /// The type as its user writes it, without generic arguments: `DbClient`.
    pub type_name: &'static str,
    /// The lazy field: `db`.
    pub field: &'static str,
}

impl OnceSite {
    /// The field `field` of the type `type_name`.
    ///
    /// ```
    /// use lockwise::once_init::OnceSite;
    ///
    /// let site = OnceSite::new("Config", "settings");
    /// assert_eq!(site.field, "settings");
    /// ```
    pub const fn new(type_name: &'static str, field: &'static str) -> Self {
        Self { type_name, field }
    }
}

impl fmt::Display for OnceSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{}", self.type_name, self.field)
    }
}
