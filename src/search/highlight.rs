//! The matched words of a result, marked: in its title, and in a passage of its body
//! centred on the best match. A word is marked when its term is one the query searched
//! (its own words, their synonyms, prefix and typo expansions), so what is marked is
//! what matched. `search.js` (`highlight`) marks the site's results the same way.

use std::collections::HashSet;

use super::analysis::{analyzer, terms_with_offsets};
use crate::text::escape_html;

/// Characters of a passage: about two lines of a terminal or of a result.
pub const PASSAGE_CHARS: usize = 180;

/// Characters of a passage shown before its best match, so the match is read in its
/// sentence rather than at the passage's first word.
const BEFORE_MATCH: usize = 60;

/// `text` as HTML, escaped, the words whose term is in `terms` in `<mark>`.
pub fn mark(text: &str, terms: &HashSet<String>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (term, start, end) in terms_with_offsets(&mut analyzer(), text) {
        if terms.contains(&term) {
            out.push_str(&escape_html(&text[at..start]));
            out.push_str("<mark>");
            out.push_str(&escape_html(&text[start..end]));
            out.push_str("</mark>");
            at = end;
        }
    }
    out.push_str(&escape_html(&text[at..]));
    out
}

/// The passage of `text` around byte `best` (where the best match starts): from a
/// word start up to [`BEFORE_MATCH`] characters before it, [`PASSAGE_CHARS`] long, cut
/// at word boundaries, with `…` where text was left out; as HTML, marked as [`mark`].
pub fn passage(text: &str, best: usize, terms: &HashSet<String>) -> String {
    let best = best.min(text.len());
    let before: Vec<(usize, char)> = text[..best].char_indices().collect();
    let mut start = before
        .len()
        .checked_sub(BEFORE_MATCH)
        .map_or(0, |k| before[k].0);
    if start > 0 {
        // To the start of the next word, unless that is the match itself.
        start = text[start..best]
            .find(char::is_whitespace)
            .map_or(best, |k| start + k + 1);
    }
    let mut end = text[start..]
        .char_indices()
        .nth(PASSAGE_CHARS)
        .map_or(text.len(), |(k, _)| start + k);
    if end < text.len() {
        end = text[start..end]
            .rfind(char::is_whitespace)
            .map_or(end, |k| start + k);
    }
    let shown = text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&mark(&shown, terms));
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(terms: &[&str]) -> HashSet<String> {
        terms.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn marks_words_by_term_and_keeps_markup_inert() {
        let html = mark(
            "<script>alert(1)</script> Certificates & TLS expired",
            &set(&["certif", "tls", "script"]),
        );
        assert_eq!(
            html,
            "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; \
             <mark>Certificates</mark> &amp; <mark>TLS</mark> expired"
        );
    }

    #[test]
    fn a_passage_is_centred_on_its_best_match() {
        let head = "Summary ".to_owned() + &"filler words here ".repeat(30);
        let text = format!(
            "{head}the certificate expired at noon {}",
            "tail ".repeat(60)
        );
        let best = text.find("certificate").unwrap();
        let html = passage(&text, best, &set(&["certif"]));
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(!html.contains("Summary"), "{html}");
        let at = html.find("<mark>certificate</mark>").unwrap();
        // The match is a third of the way in, not at either end.
        assert!((30..100).contains(&at), "{at}: {html}");
        // A match near the start: the passage starts with the text.
        let html = passage("The certificate expired.", 4, &set(&["certif"]));
        assert_eq!(html, "The <mark>certificate</mark> expired.");
    }
}
