//! [`SiteKey`]: what a lock, a lazy field or a pool counts under, one row of the report. A
//! shape builds it from the crate's words (`vocabulary.rs`) when it registers.

use crate::vocabulary::{Kind, Part};

/// A site: a type (with its module path) and one of its locks. Every lock of one site (a
/// thousand `Cache` values, say) shares one row.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteKey {
    /// `app::cache::Cache`, or for a `Guarded` made by hand, what it guards.
    pub path: &'static str,
    pub part: Part,
    pub kind: Kind,
}
