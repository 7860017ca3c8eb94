//! When a field exists. An attribute macro runs before rustc evaluates the `#[cfg(..)]`s on
//! the struct's fields: it sees every field as written, including those the build removes,
//! and cannot tell which. So a field is present [always](Presence::Always) or
//! [when](Presence::When) its cfgs hold; every item generated for it carries them, and a
//! rule that counts fields counts a conditional one only in the builds where it exists,
//! through a `#[cfg]` on the error itself (`Errors::at_when`).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Attribute, Meta};

/// The builds in which something exists: always, or when a cfg predicate holds.
#[derive(Clone)]
pub enum Presence {
    Always,
    /// A predicate as `#[cfg(..)]` takes it: `feature = "x"`, `all(a, not(b))`.
    When(TokenStream),
}

impl Presence {
    /// The presence of a field with `attrs`: when every one of its `#[cfg(..)]`s holds.
    pub fn of(attrs: &[Attribute]) -> Self {
        let predicates: Vec<&TokenStream> = attrs
            .iter()
            .filter(|attr| attr.path().is_ident("cfg"))
            .filter_map(|attr| match &attr.meta {
                Meta::List(list) => Some(&list.tokens),
                Meta::Path(_) | Meta::NameValue(_) => None,
            })
            .collect();
        match predicates.as_slice() {
            [] => Presence::Always,
            [one] => Presence::When((*one).clone()),
            many => Presence::When(quote!(all(#(#many),*))),
        }
    }

    pub fn is_always(&self) -> bool {
        matches!(self, Presence::Always)
    }

    /// The builds where both exist.
    pub fn and(&self, other: &Presence) -> Presence {
        match (self, other) {
            (Presence::Always, other) | (other, Presence::Always) => other.clone(),
            (Presence::When(a), Presence::When(b)) => Presence::When(quote!(all(#a, #b))),
        }
    }

    /// The builds where `self` exists and none of `others` does; `None` when one of
    /// `others` always exists (no such build).
    pub fn and_none_of<'a>(&self, others: impl IntoIterator<Item = &'a Presence>) -> Option<Self> {
        let mut predicates = Vec::new();
        for other in others {
            match other {
                Presence::Always => return None,
                Presence::When(predicate) => predicates.push(predicate),
            }
        }
        if predicates.is_empty() {
            return Some(self.clone());
        }
        Some(self.and(&Presence::When(quote!(not(any(#(#predicates),*))))))
    }

    /// The builds where at least two of `all` exist; `None` when there are none (fewer
    /// than two candidates).
    pub fn two_of(all: &[Presence]) -> Option<Self> {
        let mut pairs = Vec::new();
        for (i, first) in all.iter().enumerate() {
            for second in &all[i + 1..] {
                match first.and(second) {
                    Presence::Always => return Some(Presence::Always),
                    Presence::When(predicate) => pairs.push(predicate),
                }
            }
        }
        match pairs.as_slice() {
            [] => None,
            [one] => Some(Presence::When(one.clone())),
            many => Some(Presence::When(quote!(any(#(#many),*)))),
        }
    }

    /// `#[cfg(..)]` that keeps an item to the builds where `self` exists; nothing for
    /// [`Presence::Always`].
    pub fn cfg_attr(&self) -> TokenStream {
        match self {
            Presence::Always => TokenStream::new(),
            Presence::When(predicate) => quote!(#[cfg(#predicate)]),
        }
    }
}

impl ToTokens for Presence {
    /// The `#[cfg(..)]`, as [`Presence::cfg_attr`]: `quote!(#presence fn f() {})`.
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.cfg_attr());
    }
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    fn text(presence: &Presence) -> String {
        match presence {
            Presence::Always => "always".to_owned(),
            Presence::When(predicate) => predicate.to_string().replace(' ', ""),
        }
    }

    #[test]
    fn a_field_is_present_when_all_its_cfgs_hold() {
        let field: syn::Field = parse_quote! {
            #[doc = "x"]
            x: u8
        };
        assert!(Presence::of(&field.attrs).is_always());
        let field: syn::Field = parse_quote! {
            #[cfg(unix)]
            #[cfg_attr(test, allow(unused))]
            #[cfg(feature = "a")]
            x: u8
        };
        assert_eq!(
            text(&Presence::of(&field.attrs)),
            r#"all(unix,feature="a")"#
        );
    }

    #[test]
    fn none_of_an_always_present_one_is_never() {
        let a = Presence::When(quote!(a));
        assert!(a.and_none_of([&Presence::Always]).is_none());
        assert_eq!(text(&a.and_none_of([]).unwrap()), "a");
        let b = Presence::When(quote!(b));
        assert_eq!(
            text(&Presence::Always.and_none_of([&a, &b]).unwrap()),
            "not(any(a,b))"
        );
    }

    #[test]
    fn two_of_names_the_builds_with_two_or_more() {
        let (a, b) = (Presence::When(quote!(a)), Presence::When(quote!(b)));
        assert!(Presence::two_of(std::slice::from_ref(&a)).is_none());
        assert_eq!(
            text(&Presence::two_of(&[a.clone(), b.clone()]).unwrap()),
            "all(a,b)"
        );
        assert_eq!(
            text(&Presence::two_of(&[Presence::Always, a.clone(), b.clone()]).unwrap()),
            "any(a,b,all(a,b))"
        );
        assert!(
            Presence::two_of(&[a, Presence::Always, Presence::Always])
                .unwrap()
                .is_always()
        );
    }
}
