//! A macro's field markers (`#[lock(..)]`, `#[unguarded]`, `#[once(..)]`) are its own:
//! nothing after the macro may see them, or rustc reports "cannot find attribute".

use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

/// `attrs` without the markers named in `markers`, written plainly or inside a `cfg_attr`
/// (which keeps its other attributes, and goes when none is left).
pub fn without_markers(attrs: &[Attribute], markers: &[&str]) -> Vec<Attribute> {
    let is_marker = |meta: &Meta| markers.iter().any(|marker| meta.path().is_ident(marker));
    attrs
        .iter()
        .filter(|attr| !is_marker(&attr.meta))
        .filter_map(|attr| {
            if !attr.path().is_ident("cfg_attr") {
                return Some(attr.clone());
            }
            let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                return Some(attr.clone());
            };
            if !metas.iter().skip(1).any(is_marker) {
                return Some(attr.clone());
            }
            let mut metas = metas.into_iter();
            let predicate = metas.next()?;
            let kept: Vec<Meta> = metas.filter(|meta| !is_marker(meta)).collect();
            if kept.is_empty() {
                return None;
            }
            let mut rewritten = attr.clone();
            rewritten.meta = syn::parse_quote!(cfg_attr(#predicate, #(#kept),*));
            Some(rewritten)
        })
        .collect()
}
