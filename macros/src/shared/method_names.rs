//! The methods a macro names after fields (`config()`, `config_mut()`, `db_if_ready()`),
//! and who already has each name: two fields, or a field and a fixed method, can ask for
//! the same one. A field under `#[cfg]` has its names only in the builds that keep it, so
//! a clash holds in the builds where both exist: always, or only under cfgs (two fields of
//! one name under mutually exclusive cfgs never meet).

use std::collections::HashMap;

use crate::shared::cfg::Presence;

/// Every name handed out so far, with its owners and the builds each has it in.
pub struct MethodNames {
    taken: HashMap<String, Vec<Owner>>,
    claims: usize,
}

struct Owner {
    /// Which claim made it: one field's names have one.
    claim: usize,
    /// "field `a`", "the generated `new()`".
    who: String,
    presence: Presence,
}

/// A name asked for twice.
pub struct Clash {
    pub method: String,
    /// Who asked first: "field `a`", "the generated `new()`".
    pub first: String,
    /// The builds where both exist.
    pub when: Presence,
    /// Whether the first is a field of the same name, under other cfgs: where both exist,
    /// rustc reports the field declared twice, which says it all.
    pub same_owner: bool,
    /// The claim of the first.
    claim: usize,
}

impl MethodNames {
    /// The names every expansion has, whatever its fields, each with who has it:
    /// `("new", "the generated `new()`")`.
    pub fn new(fixed: impl IntoIterator<Item = (String, String)>) -> Self {
        let taken: HashMap<String, Vec<Owner>> = fixed
            .into_iter()
            .enumerate()
            .map(|(claim, (name, who))| {
                let owner = Owner {
                    claim,
                    who,
                    presence: Presence::Always,
                };
                (name, vec![owner])
            })
            .collect();
        let claims = taken.len();
        MethodNames { taken, claims }
    }

    /// Asks for `names` for `who`, present in `presence`. Refused when a name clashes in
    /// every build: the field gets no methods, and the names stay with their first owner.
    /// Else the names are `who`'s too, in the builds where none of them clashes.
    pub fn claim(&mut self, names: Vec<String>, who: String, presence: &Presence) -> Claim {
        let mut clashes: Vec<Clash> = Vec::new();
        for name in &names {
            for owner in self.taken.get(name).into_iter().flatten() {
                let clash = Clash {
                    method: name.clone(),
                    first: owner.who.clone(),
                    when: owner.presence.and(presence),
                    same_owner: owner.who == who,
                    claim: owner.claim,
                };
                if clash.when.is_always() {
                    return Claim::Refused(clash);
                }
                // One clash per other field, as for a clash in every build.
                if clashes.iter().all(|c| c.claim != clash.claim) {
                    clashes.push(clash);
                }
            }
        }
        // Never `None`: that takes a clash in every build, which is refused above.
        let when = presence
            .and_none_of(clashes.iter().map(|c| &c.when))
            .unwrap_or_else(|| presence.clone());
        self.claims += 1;
        for name in names {
            self.taken.entry(name).or_default().push(Owner {
                claim: self.claims,
                who: who.clone(),
                presence: presence.clone(),
            });
        }
        Claim::Granted { when, clashes }
    }
}

/// What asking for a field's method names came to.
pub enum Claim {
    /// A name clashes in every build.
    Refused(Clash),
    /// The names are the field's in the builds `when`: those that keep it, minus those
    /// where one of `clashes` (with fields under `#[cfg]`) holds.
    Granted { when: Presence, clashes: Vec<Clash> },
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    /// The builds and clashes of a granted claim; panics on a refused one.
    fn granted(claim: Claim) -> (Presence, Vec<Clash>) {
        match claim {
            Claim::Granted { when, clashes } => (when, clashes),
            Claim::Refused(clash) => panic!("refused: `{}` is {}'s", clash.method, clash.first),
        }
    }

    #[test]
    fn a_clash_of_two_unconditional_fields_is_refused_and_keeps_the_first() {
        let always = Presence::Always;
        let mut taken = MethodNames::new([("new".to_owned(), "`new()`".to_owned())]);
        let (when, clashes) = granted(taken.claim(names(&["a", "a_mut"]), "a".into(), &always));
        assert!(when.is_always() && clashes.is_empty());
        let Claim::Refused(clash) = taken.claim(names(&["a_mut", "x"]), "a_mut".into(), &always)
        else {
            panic!("`a_mut` is taken by `a`");
        };
        assert!(clash.first == "a" && !clash.same_owner);
        // `x` was not taken: the refused field gets no methods at all.
        assert!(
            granted(taken.claim(names(&["x"]), "b".into(), &always))
                .1
                .is_empty()
        );
        let refused = taken.claim(names(&["new"]), "new".into(), &always);
        assert!(matches!(refused, Claim::Refused(_)));
    }

    #[test]
    fn fields_under_cfgs_clash_only_where_both_exist() {
        let mut taken = MethodNames::new([]);
        let (on, off) = (Presence::When(quote!(on)), Presence::When(quote!(not(on))));
        assert!(
            granted(taken.claim(names(&["db"]), "db".into(), &on))
                .1
                .is_empty()
        );
        let claim = taken.claim(names(&["db", "db_if_ready"]), "db".into(), &off);
        let (when, clashes) = granted(claim);
        assert_eq!(clashes.len(), 1);
        assert!(!clashes[0].when.is_always() && clashes[0].same_owner);
        let when = when.cfg_attr().to_string().replace(' ', "");
        assert_eq!(when, "#[cfg(all(not(on),not(any(all(on,not(on))))))]");
        // Both keep the name, each in its builds: a third field clashes with both.
        let (_, clashes) = granted(taken.claim(names(&["db"]), "x".into(), &Presence::Always));
        assert_eq!(clashes.len(), 2);
    }
}
