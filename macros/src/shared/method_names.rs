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
}

struct Owner {
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
}

impl MethodNames {
    /// The names every expansion has, whatever its fields, each with who has it:
    /// `("new", "the generated `new()`")`.
    pub fn new(fixed: impl IntoIterator<Item = (String, String)>) -> Self {
        let taken = fixed
            .into_iter()
            .map(|(name, who)| {
                let owner = Owner {
                    who,
                    presence: Presence::Always,
                };
                (name, vec![owner])
            })
            .collect();
        MethodNames { taken }
    }

    /// Asks for `names` for `who`, present in `presence`: every clash with an earlier
    /// owner. The names are taken unless a clash holds always (then the field gets no
    /// methods, and the names stay with their first owner).
    pub fn claim(&mut self, names: Vec<String>, who: String, presence: &Presence) -> Vec<Clash> {
        let clashes: Vec<Clash> = names
            .iter()
            .flat_map(|name| {
                self.taken
                    .get(name)
                    .into_iter()
                    .flatten()
                    .map(|owner| Clash {
                        method: name.clone(),
                        first: owner.who.clone(),
                        when: owner.presence.and(presence),
                        same_owner: owner.who == who,
                    })
            })
            .collect();
        if clashes.iter().all(|clash| !clash.when.is_always()) {
            for name in names {
                self.taken.entry(name).or_default().push(Owner {
                    who: who.clone(),
                    presence: presence.clone(),
                });
            }
        }
        clashes
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn a_clash_of_two_unconditional_fields_holds_always_and_keeps_the_first() {
        let mut taken = MethodNames::new([("new".to_owned(), "`new()`".to_owned())]);
        assert!(
            taken
                .claim(names(&["a", "a_mut"]), "a".into(), &Presence::Always)
                .is_empty()
        );
        let clashes = taken.claim(
            names(&["a_mut", "a_mut_mut"]),
            "a_mut".into(),
            &Presence::Always,
        );
        assert_eq!(clashes.len(), 1);
        assert!(clashes[0].when.is_always() && clashes[0].first == "a" && !clashes[0].same_owner);
        // `a_mut_mut` was not taken: the clashing field gets no methods at all.
        let again = taken.claim(names(&["a_mut_mut"]), "b".into(), &Presence::Always);
        assert!(again.is_empty());
        assert!(
            !taken
                .claim(names(&["new"]), "new".into(), &Presence::Always)
                .is_empty()
        );
    }

    #[test]
    fn fields_under_cfgs_clash_only_where_both_exist() {
        let mut taken = MethodNames::new([]);
        let (on, off) = (Presence::When(quote!(on)), Presence::When(quote!(not(on))));
        assert!(taken.claim(names(&["db"]), "db".into(), &on).is_empty());
        let clashes = taken.claim(names(&["db"]), "db".into(), &off);
        assert_eq!(clashes.len(), 1);
        assert!(!clashes[0].when.is_always() && clashes[0].same_owner);
        // Both keep the name, each in its builds: a third field clashes with both.
        assert_eq!(
            taken
                .claim(names(&["db"]), "x".into(), &Presence::Always)
                .len(),
            2
        );
    }
}
