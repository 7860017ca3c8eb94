//! "Did you mean ..?": the nearest known word to one a user wrote.

/// `written` lowercased, without `_` and `-`: how synonym tables spell words, so that
/// `RwLock`, `rw_lock` and `rwlock` all match `rwlock`.
pub fn fold(written: &str) -> String {
    written.to_ascii_lowercase().replace(['_', '-'], "")
}

/// The candidate within two edits of `written` (and shorter than the edit is long), nearest
/// first.
pub fn closest<'a>(written: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|candidate| (edit_distance(written, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= 2 && distance < candidate.len())
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance: insertions, deletions and substitutions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("rw", "rw"), 0);
        assert_eq!(edit_distance("mutx", "mutex"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn closest_needs_a_near_candidate() {
        let options = ["mutex", "rw", "read_mostly", "state", "crate"];
        assert_eq!(closest("mutx", options.into_iter()), Some("mutex"));
        assert_eq!(
            closest("read_mosty", options.into_iter()),
            Some("read_mostly")
        );
        // Two edits turn `ab` into `rw`, but that is no resemblance.
        assert_eq!(closest("ab", options.into_iter()), None);
        assert_eq!(closest("sharded", options.into_iter()), None);
    }

    #[test]
    fn fold_ignores_case_and_separators() {
        assert_eq!(fold("RwLock"), "rwlock");
        assert_eq!(fold("read-mostly"), "readmostly");
        assert_eq!(fold("Read_Mostly"), "readmostly");
    }
}
