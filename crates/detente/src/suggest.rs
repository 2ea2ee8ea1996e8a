//! "Did you mean" suggestions for misspelt names.

/// Longest name, in bytes, that gets a fuzzy suggestion.
const MAX_FUZZY: usize = 256;

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo (a case-insensitive match, an edit distance of at most a quarter of its
/// length, or Jaro–Winkler similarity ≥ 0.8).
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    if let Some(c) = candidates.iter().find(|c| c.to_lowercase() == lower) {
        return Some(c);
    }
    // Both measures take time in the product of the lengths: on names of
    // 10,000 characters one comparison took a second, and a scenario with
    // many such references minutes to report (found by fuzzing). Nobody
    // misspells a name that long; the fuzzy match is for short ones.
    if word.len() > MAX_FUZZY {
        return None;
    }
    let candidates: Vec<&'a str> = candidates.iter().copied().filter(|c| c.len() <= MAX_FUZZY).collect();
    // A small edit distance catches short names ("ad" for "aid") that
    // Jaro–Winkler scores low; ties go to the earlier candidate.
    let budget = (word.chars().count() / 4).max(1);
    let close = candidates
        .iter()
        .map(|c| (strsim::osa_distance(word, c), *c))
        .filter(|(d, _)| *d <= budget)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    close.or_else(|| {
        candidates
            .iter()
            .map(|c| (strsim::jaro_winkler(word, c), *c))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c)
    })
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("salince", &["salience", "position"]), Some("salience"));
        assert_eq!(did_you_mean("Actors", &["actors", "issues"]), Some("actors"));
        assert_eq!(did_you_mean("zzz", &["salience", "position"]), None);
        assert_eq!(did_you_mean("ad", &["treaty", "aid"]), Some("aid"));
        let long = "x".repeat(100_000);
        let other = format!("{long}y");
        assert_eq!(did_you_mean(&long, &[&other]), None, "no fuzzy match of very long names");
        assert_eq!(did_you_mean(&long.to_uppercase(), &[&long]), Some(long.as_str()));
    }
}
