// Legal input that once tripped the macro (found in review), kept as regression cases.
#![deny(warnings)]

use std::fmt;
use std::sync::atomic::AtomicU64;

use lockwise::guarded;

/// Hand-written `Default` and `Debug` on the state: the thread-safe type has them too,
/// as `Mutex<T>` has `T`'s.
#[guarded]
struct Settings {
    level: u8,
    secret: String,
}

impl Default for SettingsState {
    fn default() -> Self {
        SettingsState { level: 3, secret: String::new() }
    }
}

impl fmt::Debug for SettingsState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "level {}, secret hidden", self.level)
    }
}

/// Per-field locks whose field types say `Self` (meaning the state).
#[guarded]
#[derive(Default)]
struct Tree {
    #[lock(mutex)]
    children: Vec<Box<Self>>,
    #[unguarded]
    visits: AtomicU64,
}

/// A deprecated struct: generated code must not trip `deny(warnings)` on its own.
#[deprecated(note = "use Settings")]
#[guarded(rw)]
struct OldSettings {
    level: u8,
}

/// Lint levels reach the wrapper too.
#[allow(non_camel_case_types)]
#[guarded]
struct http_client {
    retries: u8,
}

/// A raw identifier as the state's name, in the mode whose assertion renames it.
#[allow(non_camel_case_types)]
#[guarded(read_mostly, state = r#type)]
#[derive(Clone)]
struct Kinds {
    names: Vec<&'static str>,
}

/// A `#[cfg]`-ed read_mostly field whose type exists only under that cfg.
#[guarded]
struct Gated {
    #[lock(mutex)]
    always: u8,
    #[cfg(any())]
    #[lock(read_mostly)]
    never: NeverDefined,
}

#[allow(deprecated)]
fn old() -> u8 {
    OldSettings::new(OldSettingsState { level: 1 }).read().level
}

fn main() {
    let settings = Settings::default();
    assert_eq!(format!("{settings:?}"), "Settings { data: level 3, secret hidden }");
    assert_eq!(settings.read().level, 3);
    assert_eq!(settings.read().secret, "");
    let tree = Tree::default();
    tree.children_mut().push(Box::new(TreeState::default()));
    assert_eq!(tree.children().len(), 1);
    let _ = tree.visits();
    assert_eq!(old(), 1);
    assert_eq!(http_client::new(http_clientState { retries: 2 }).read().retries, 2);
    assert!(Kinds::new(r#type { names: vec![] }).read().names.is_empty());
    assert_eq!(*Gated::new(GatedState { always: 1 }).always(), 1);
}
