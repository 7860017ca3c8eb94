//! The model of one `#[guarded]` struct, and its vocabulary: the lock modes, the arguments
//! and field markers as written (which `attr.rs` produces). Every fact two stages need is
//! decided here, once: the state's name, whole-struct or per-field locking, each field's
//! lock and position in the lock order, and the accessor names with their collisions. The
//! rules (`valid.rs`) and the generation (`expand/`) read this and nothing else.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::ext::IdentExt;
use syn::{Attribute, Ident, Member, Path, Type, Visibility};

use crate::shared::cfg::Presence;
use crate::shared::header::{Body, Header, NamedField};
use crate::shared::method_names::{Claim, Clash, MethodNames};
use crate::shared::{emit, markers};

/// The lock behind a whole struct or behind one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeKind {
    Mutex,
    Rw,
    ReadMostly,
}

impl ModeKind {
    /// The word that selects the mode in `#[guarded(..)]` and `#[lock(..)]`.
    pub fn word(self) -> &'static str {
        match self {
            ModeKind::Mutex => "mutex",
            ModeKind::Rw => "rw",
            ModeKind::ReadMostly => "read_mostly",
        }
    }

    /// The mode `word` selects, if it is one.
    pub fn from_word(word: &str) -> Option<Self> {
        [ModeKind::Mutex, ModeKind::Rw, ModeKind::ReadMostly]
            .into_iter()
            .find(|mode| mode.word() == word)
    }
}

/// A mode as the user wrote it, with the span of the word for error messages.
#[derive(Clone, Copy, Debug)]
pub struct ModeWord {
    pub kind: ModeKind,
    pub span: Span,
}

/// The arguments of `#[guarded(..)]`, as written: what `attr.rs` parses, and the model is
/// built from.
pub struct Args {
    /// `mutex`, `rw` or `read_mostly`; `None` when not written (mutex, or per-field locks).
    pub mode: Option<ModeWord>,
    /// `state = Name`: the name of the generated state struct.
    pub state: Option<Ident>,
    /// `order = instance`: this type's locks are ordered per value against every other
    /// type's in the debug-build order graph (`order = type`, the default: per type).
    pub per_instance: bool,
    /// `crate = path`: where lockwise is, for users who renamed the dependency.
    pub krate: Option<Path>,
}

/// How one field of a struct with per-field locks is shared, as its marker says.
#[derive(Clone, Copy, Debug)]
pub enum FieldAccess {
    /// `#[lock(mode)]`: the field has its own lock.
    Lock(ModeWord),
    /// `#[unguarded]`: the field is shared as it is (it must be `Sync` on its own).
    Unguarded(Span),
}

impl FieldAccess {
    /// Where the marker is: the mode's word in `#[lock(mode)]`, or `unguarded`.
    pub fn span(self) -> Span {
        match self {
            FieldAccess::Lock(word) => word.span,
            FieldAccess::Unguarded(span) => span,
        }
    }
}

pub struct Model<'a> {
    pub header: Header,
    /// `<crate>::__private::guarded`: where the runtime types this macro expands to are.
    pub runtime: TokenStream,
    /// The generated structs' names.
    pub names: Names,
    /// The `state = ..` the user wrote, if any (it may have been set aside: see `names`).
    pub state_written: Option<Ident>,
    /// The mode the user wrote in `#[guarded(..)]`, if any.
    pub mode_written: Option<ModeWord>,
    /// `order = instance`: the locks are labeled to be ordered per value in debug builds.
    pub per_instance: bool,
    pub style: Style,
    /// The traits the state implements wherever it exists, as far as its derives tell.
    pub state_impls: StateImpls,
    /// Every field as written, for the state struct and the rules.
    pub fields: Vec<Field<'a>>,
    pub locking: Locking<'a>,
}

/// The names of the generated structs.
pub struct Names {
    /// `<Name>State`, or `state = ..` unless that is the wrapper's own name (an error).
    pub state: Ident,
    /// `<Name>Guards`, what per-field `lock_all()` returns.
    pub guards: Ident,
    /// `<Name>Reads`, what per-field `read_all()` returns.
    pub reads: Ident,
    /// `<Name>Mut`, what per-field `get_mut()` returns.
    pub mutable: Ident,
    /// `__lockwise_unguarded_<Name>`: the module of the markers that name `#[unguarded]`
    /// fields in compiler messages.
    pub markers: Ident,
    /// The whole-struct wrapper's one field. A user's own module can always name a field of
    /// a struct defined in it (and a module of our own cannot see a struct declared inside a
    /// function), so instead of hiding it, its name is advice: rustc's "no field `items` on
    /// type `Cache`" ends with "available field is: `use_new_read_or_write`".
    pub storage: Ident,
}

/// The traits the state is known to implement wherever it exists: derived, on a struct
/// without generic parameters (`Header::derives`). An impl that needs one of them goes
/// without the deferred bound `for<'__lw> State: Trait`, since a where clause costs rustc
/// time in every item it checks under it; an impl that needs another keeps the bound, and
/// simply does not apply when the state lacks the trait.
#[derive(Clone, Copy)]
pub struct StateImpls {
    pub debug: bool,
    pub default: bool,
    pub clone: bool,
    pub serialize: bool,
    pub deserialize: bool,
}

impl StateImpls {
    fn of(header: &Header) -> Self {
        let [debug, default, clone, serialize, deserialize] =
            header.derives(["Debug", "Default", "Clone", "Serialize", "Deserialize"]);
        StateImpls {
            debug,
            default,
            clone,
            serialize,
            deserialize,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Named,
    Tuple,
}

/// One lock around the whole struct, or one lock per field, with what each field gets.
pub enum Locking<'a> {
    Whole(ModeWord),
    PerField(Vec<FieldPlan<'a>>),
}

/// A field as written.
pub struct Field<'a> {
    pub vis: &'a Visibility,
    pub member: Member,
    /// The type as written, for the state struct.
    pub ty: &'a Type,
    /// The marker as written; `None` when the field has none.
    pub access: Option<FieldAccess>,
    /// The attributes the state struct keeps: all but this macro's markers.
    pub kept_attrs: Vec<Attribute>,
}

/// What the per-field expansion generates for one (named) field.
pub struct FieldPlan<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub attrs: &'a [Attribute],
    /// The type with `Self` (which meant the state) replaced by the state's name, since
    /// the expansion repeats it in the wrapper and in generated structs.
    pub ty: TokenStream,
    /// The wrapper's private field that stores it.
    pub storage: Ident,
    /// Its own lock, or `None` for an `#[unguarded]` field.
    pub lock: Option<FieldLock>,
    /// The span of `read_mostly` in its marker, where a missing `Clone` is reported.
    pub read_mostly_word: Option<Span>,
    /// Its methods, or the collision (in every build) that leaves them out.
    pub api: Result<Accessors, Collision>,
    /// Collisions in some builds only, with fields under `#[cfg]`: the methods are left out
    /// of the builds where one holds, and `valid.rs` reports it there.
    pub cfg_collisions: Vec<Collision>,
    /// The builds that keep the field (its `#[cfg]`s).
    pub presence: Presence,
    /// The builds that get its methods: those that keep the field, minus those where a
    /// name collides.
    pub accessors_when: Presence,
}

#[derive(Clone, Copy)]
pub struct FieldLock {
    pub mode: ModeKind,
    /// The position among the locked fields: the lock order.
    pub index: usize,
}

/// The methods named after a field.
pub enum Accessors {
    /// A locked field's (boxed: twelve names).
    Locked(Box<LockedAccessors>),
    Unguarded {
        get: Ident,
    },
}

/// The methods of a locked field `f`.
pub struct LockedAccessors {
    /// `f()`
    pub read: Ident,
    /// `f_mut()`
    pub write: Ident,
    /// `try_f()`
    pub try_read: Ident,
    /// `try_f_mut()`
    pub try_write: Ident,
    /// `with_f(..)`
    pub with_read: Ident,
    /// `with_f_mut(..)`
    pub with_write: Ident,
    /// `f_when(ready)`: a read guard once `ready` holds (a condition wait).
    pub read_when: Ident,
    /// `f_mut_when(ready)`: a write guard once `ready` holds.
    pub write_when: Ident,
    /// `f_when_for(ready, timeout)`.
    pub read_when_for: Ident,
    /// `f_mut_when_for(ready, timeout)`.
    pub write_when_for: Ident,
    /// `f_when_async(ready)`: `f_when`, awaited (feature `async`).
    pub read_when_async: Ident,
    /// `f_mut_when_async(ready)`: `f_mut_when`, awaited.
    pub write_when_async: Ident,
}

/// A generated method name that an earlier field or a fixed method already has.
pub struct Collision {
    pub accessor: String,
    /// Who has the name: "field `a`" or "the generated `new()`".
    pub first: String,
    /// The builds where both exist.
    pub when: Presence,
    /// Whether the first is a field of the same name (under other cfgs): rustc reports a
    /// field declared twice itself.
    pub same_field: bool,
}

impl From<Clash> for Collision {
    fn from(clash: Clash) -> Self {
        Collision {
            accessor: clash.method,
            first: clash.first,
            when: clash.when,
            same_field: clash.same_owner,
        }
    }
}

/// The methods every per-field wrapper has, whatever its fields.
const FIXED_METHODS: [&str; 5] = ["new", "into_inner", "get_mut", "lock_all", "read_all"];

/// Trait methods users call as `Server::default()`: an accessor of the same name, being
/// inherent, would be found first.
const SHADOWED_TRAIT_METHODS: [(&str, &str); 2] = [
    ("default", "`Name::default()` (from `Default`)"),
    ("from", "`Name::from(state)` (from `From`)"),
];

impl<'a> Model<'a> {
    /// The model of `body`, from its arguments and each field's marker (in declaration
    /// order), as `attr.rs` parsed them.
    pub fn new(
        header: Header,
        body: &Body<'a>,
        args: &Args,
        field_markers: Vec<Option<FieldAccess>>,
    ) -> Self {
        let names = Names::decide(&header, args);
        let fields: Vec<Field<'a>> = body
            .fields()
            .into_iter()
            .zip(field_markers)
            .enumerate()
            .map(|(index, (field, access))| Field {
                vis: &field.vis,
                member: match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(index.into()),
                },
                ty: &field.ty,
                access,
                kept_attrs: markers::without_markers(&field.attrs, header.spec.markers),
            })
            .collect();
        let style = match body {
            Body::Named(_) => Style::Named,
            Body::Tuple(_) => Style::Tuple,
        };
        let locking = match body {
            Body::Named(named) if per_field_locking(&fields, args) => {
                Locking::PerField(plan_fields(&header, &names, named, &fields, args))
            }
            Body::Named(_) | Body::Tuple(_) => Locking::Whole(args.mode.unwrap_or(ModeWord {
                kind: ModeKind::Mutex,
                span: header.span,
            })),
        };
        let private = &header.private;
        Model {
            runtime: quote!(#private::guarded),
            state_written: args.state.clone(),
            mode_written: args.mode,
            per_instance: args.per_instance,
            state_impls: StateImpls::of(&header),
            header,
            names,
            style,
            fields,
            locking,
        }
    }

    /// The per-field plans; empty for whole-struct locking.
    pub fn plans(&self) -> &[FieldPlan<'a>] {
        match &self.locking {
            Locking::PerField(plans) => plans,
            Locking::Whole(_) => &[],
        }
    }

    /// The locked fields' names in lock order (declaration order).
    pub fn lock_order(&self) -> Vec<String> {
        self.plans()
            .iter()
            .filter(|plan| plan.lock.is_some())
            .map(FieldPlan::name)
            .collect()
    }
}

impl Names {
    fn decide(header: &Header, args: &Args) -> Self {
        let name = header.ident.unraw();
        Names {
            // A `state = ..` equal to the wrapper's name is reported by `valid.rs`; the
            // expansion uses the default name, so the clash is the only error.
            state: args
                .state
                .clone()
                .filter(|state| *state != header.ident)
                .unwrap_or_else(|| format_ident!("{}State", name)),
            guards: format_ident!("{}Guards", name),
            reads: format_ident!("{}Reads", name),
            mutable: format_ident!("{}Mut", name),
            markers: format_ident!("__lockwise_unguarded_{}", name),
            storage: format_ident!("use_new_read_or_write"),
        }
    }
}

/// Per-field locking when a field carries a marker (of a struct with named fields: a tuple
/// struct's markers are an error, and it is locked as a whole). A written mode beside
/// `#[unguarded]` markers only (the likely attempt at "one rw lock plus one atomic") keeps
/// the whole-struct lock the mode asks for: `valid.rs` reports the marker, once.
fn per_field_locking(fields: &[Field], args: &Args) -> bool {
    let mut markers = fields.iter().filter_map(|field| field.access);
    let any_lock = markers
        .clone()
        .any(|access| matches!(access, FieldAccess::Lock(_)));
    let any_marker = markers.next().is_some();
    any_lock || (any_marker && args.mode.is_none())
}

/// Each field's lock, position, storage and accessors. An unmarked field (an error, unless
/// a mode was written) counts as locked with the written mode, else as `#[lock(mutex)]`.
fn plan_fields<'a>(
    header: &Header,
    names: &Names,
    named: &[NamedField<'a>],
    fields: &[Field],
    args: &Args,
) -> Vec<FieldPlan<'a>> {
    let state_type = {
        let state = &names.state;
        let (_, ty_generics, _) = header.generics.split_for_impl();
        quote!(#state #ty_generics)
    };
    let default_mode = args.mode.map_or(ModeKind::Mutex, |word| word.kind);
    let mut locked = 0;
    let mut plans: Vec<FieldPlan> = named
        .iter()
        .zip(fields)
        .map(|(&NamedField { field, ident }, written)| {
            let lock = match written.access {
                Some(FieldAccess::Unguarded(_)) => None,
                Some(FieldAccess::Lock(word)) => Some(word.kind),
                None => Some(default_mode),
            }
            .map(|mode| {
                locked += 1;
                FieldLock {
                    mode,
                    index: locked - 1,
                }
            });
            let presence = Presence::of(&field.attrs);
            FieldPlan {
                ident,
                vis: &field.vis,
                attrs: &field.attrs,
                cfg_collisions: Vec::new(),
                accessors_when: presence.clone(),
                presence,
                ty: emit::replace_self(field.ty.to_token_stream(), &state_type),
                storage: format_ident!("__lockwise_{}", ident.unraw()),
                read_mostly_word: match written.access {
                    Some(FieldAccess::Lock(word)) if word.kind == ModeKind::ReadMostly => {
                        Some(word.span)
                    }
                    _ => None,
                },
                api: Ok(Accessors::for_field(ident, lock.is_some())),
                lock,
            }
        })
        .collect();
    find_collisions(header, &mut plans);
    plans
}

impl Field<'_> {
    /// The field's name without `r#`, for messages and generated names.
    pub fn name(&self) -> String {
        match &self.member {
            Member::Named(ident) => ident.unraw().to_string(),
            Member::Unnamed(index) => index.index.to_string(),
        }
    }
}

impl FieldPlan<'_> {
    /// The field's name without `r#`, for messages and generated names.
    pub fn name(&self) -> String {
        self.ident.unraw().to_string()
    }

    /// `&self.<storage>` as generated code reaches the field's `Guarded` (through its
    /// `FieldSlot`) or its `Unguarded`.
    pub fn reach(&self) -> TokenStream {
        self.reach_through("__lockwise_lock")
    }

    /// The same by `&mut`.
    pub fn reach_mut(&self) -> TokenStream {
        self.reach_through("__lockwise_lock_mut")
    }

    /// The same by value, moving it out of `self`.
    pub fn reach_owned(&self) -> TokenStream {
        self.reach_through("__lockwise_into_lock")
    }

    fn reach_through(&self, slot_method: &str) -> TokenStream {
        let storage = &self.storage;
        let slot_method = Ident::new(slot_method, Span::call_site());
        match self.lock {
            Some(_) => quote!(self.#storage.#slot_method()),
            None => quote!(self.#storage),
        }
    }

    /// The field's `#[cfg(..)]` attributes, which every generated item about it repeats.
    pub fn cfg_attrs(&self) -> impl Iterator<Item = &Attribute> + Clone {
        self.attrs.iter().filter(|a| a.path().is_ident("cfg"))
    }
}

impl Accessors {
    fn for_field(ident: &Ident, locked: bool) -> Self {
        if !locked {
            return Accessors::Unguarded { get: ident.clone() };
        }
        Accessors::Locked(Box::new(LockedAccessors {
            read: ident.clone(),
            write: format_ident!("{}_mut", ident),
            try_read: format_ident!("try_{}", ident),
            try_write: format_ident!("try_{}_mut", ident),
            with_read: format_ident!("with_{}", ident),
            with_write: format_ident!("with_{}_mut", ident),
            read_when: format_ident!("{}_when", ident),
            write_when: format_ident!("{}_mut_when", ident),
            read_when_for: format_ident!("{}_when_for", ident),
            write_when_for: format_ident!("{}_mut_when_for", ident),
            read_when_async: format_ident!("{}_when_async", ident),
            write_when_async: format_ident!("{}_mut_when_async", ident),
        }))
    }

    fn names(&self) -> Vec<String> {
        let idents: Vec<&Ident> = match self {
            Accessors::Locked(locked) => {
                // Destructured, not listed by hand: a new accessor that is not added here
                // fails to compile, so the collision check can never miss a name.
                let LockedAccessors {
                    read,
                    write,
                    try_read,
                    try_write,
                    with_read,
                    with_write,
                    read_when,
                    write_when,
                    read_when_for,
                    write_when_for,
                    read_when_async,
                    write_when_async,
                } = &**locked;
                vec![
                    read,
                    write,
                    try_read,
                    try_write,
                    with_read,
                    with_write,
                    read_when,
                    write_when,
                    read_when_for,
                    write_when_for,
                    read_when_async,
                    write_when_async,
                ]
            }
            Accessors::Unguarded { get } => vec![get],
        };
        idents
            .into_iter()
            .map(|ident| ident.unraw().to_string())
            .collect()
    }
}

/// Marks each field whose accessor names an earlier field or a fixed method already has:
/// in every build, its accessors are left out and `valid.rs` reports the collision at the
/// field; for fields under `#[cfg]`, the same holds in the builds where both exist.
fn find_collisions(header: &Header, plans: &mut [FieldPlan]) {
    let fixed = FIXED_METHODS
        .iter()
        .map(|name| (name.to_string(), format!("the generated `{name}()`")))
        .chain(
            SHADOWED_TRAIT_METHODS
                .iter()
                .map(|(name, call)| (name.to_string(), call.replace("Name", &header.name()))),
        );
    let mut taken = MethodNames::new(fixed);
    for plan in plans {
        let Ok(accessors) = &plan.api else {
            continue;
        };
        let who = format!("field `{}`", plan.name());
        match taken.claim(accessors.names(), who, &plan.presence) {
            Claim::Refused(clash) => plan.api = Err(clash.into()),
            Claim::Granted { when, clashes } => {
                plan.accessors_when = when;
                plan.cfg_collisions = clashes.into_iter().map(Collision::from).collect();
            }
        }
    }
}
