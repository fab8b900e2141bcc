//! "Did you mean …": a query word the archive does not hold, written as the closest
//! word it does hold. The closest is the typo search's first candidate (the term
//! within the fewest edits, in the most post-mortems), spelt as a word of the results'
//! titles and record texts spell it (the index holds stems, which are not words).
//! `search.js` (`didYouMean`) makes the same suggestion from the same records.

use super::analysis::{analyzer, terms_with_offsets};

/// Results whose texts are read for the spelling of a suggested term.
pub const FROM_RESULTS: usize = 10;

/// The first word of `texts` whose term is `term`, in lower case.
pub fn spelling(term: &str, texts: &[String]) -> Option<String> {
    let mut analyzer = analyzer();
    texts.iter().find_map(|text| {
        terms_with_offsets(&mut analyzer, text)
            .into_iter()
            .find(|(t, _, _)| t == term)
            .map(|(_, start, end)| text[start..end].to_lowercase())
    })
}

/// `query` with the first word typed as each `(typed, word)`'s typed one (after any
/// `+` or `-`) replaced by its word; `None` when nothing was replaced.
pub fn rewrite(query: &str, replacements: &[(String, String)]) -> Option<String> {
    let mut parts: Vec<String> = query
        .split_inclusive(char::is_whitespace)
        .map(str::to_owned)
        .collect();
    let mut replaced = false;
    for (typed, word) in replacements {
        let found = parts.iter_mut().find(|part| {
            part.trim_end()
                .trim_start_matches(['+', '-'])
                .eq(typed.as_str())
        });
        if let Some(part) = found {
            *part = part.replacen(typed.as_str(), word, 1);
            replaced = true;
        }
    }
    replaced.then(|| parts.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stem_is_spelt_as_the_results_spell_it() {
        let texts = [
            "Nothing here".to_owned(),
            "The Certificates expired".to_owned(),
        ];
        assert_eq!(spelling("certif", &texts).as_deref(), Some("certificates"));
        assert_eq!(spelling("kubernet", &texts), None);
    }

    #[test]
    fn the_typed_word_is_replaced_where_typed() {
        let r =
            |q: &str, typed: &str, word: &str| rewrite(q, &[(typed.to_owned(), word.to_owned())]);
        assert_eq!(
            r("service:edge certficate  +expird", "expird", "expired").as_deref(),
            Some("service:edge certficate  +expired")
        );
        assert_eq!(
            r("certficate", "certficate", "certificate").as_deref(),
            Some("certificate")
        );
        assert_eq!(r("certficate", "other", "x"), None);
    }
}
