//! Small helpers for text shown to people.

/// The months' names in English, January first: the one list for every reader of
/// written dates (file names, timelines, prose) and for the lint, which knows that a
/// capitalised month is not a person.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names, 1-based: its name or an abbreviation of at least three
/// letters (`March`, `mar`, `Sept`) in any case; not a word that merely starts like one
/// ("marching", "mayor").
pub fn month(word: &str) -> Option<u32> {
    if word.len() < 3 || word.len() > 9 || !word.is_ascii() {
        return None;
    }
    let w = word.to_ascii_lowercase();
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w))
        .map(|at| at as u32 + 1)
}

/// A count and its noun: "1 file", "2 files", "0 post-mortems". The one place a
/// count meets its noun, in the commands' messages, the site's pages and charts (the
/// theme's `plural` filter calls it) and the diagnostics; the last word of `word` is
/// the one made plural ("1 older item", "2 older items").
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {}", noun(n, word))
}

/// `word` as it reads after the count `n`: as it is for 1, else its plural by the
/// regular rules of English ("file" "files", "entry" "entries", "match" "matches").
pub fn noun(n: usize, word: &str) -> std::borrow::Cow<'_, str> {
    if n == 1 {
        return word.into();
    }
    let ends = |suffix: &str| word.ends_with(suffix);
    if ["s", "x", "z", "ch", "sh"].into_iter().any(ends) {
        format!("{word}es").into()
    } else if let Some(stem) = word.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        format!("{stem}ies").into()
    } else {
        format!("{word}s").into()
    }
}

/// The bytes [`escape_html`] replaces, looked up in a table rather than compared five
/// times each.
const HTML_SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    special[b'&' as usize] = true;
    special[b'<' as usize] = true;
    special[b'>' as usize] = true;
    special[b'"' as usize] = true;
    special[b'\'' as usize] = true;
    special
};

/// `text` escaped for HTML text or a quoted attribute: `&`, `<`, `>`, `"` and `'`.
/// `/` is left alone (it is not special in either), so URLs read as URLs. The one
/// escape of the project: templates print through [`write_escaped_html`], the same.
pub fn escape_html(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.bytes().any(|b| HTML_SPECIAL[b as usize]) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    write_escaped_html(text, &mut out).expect("writing to a Vec does not fail");
    std::borrow::Cow::Owned(String::from_utf8(out).expect("escaping keeps UTF-8"))
}

/// [`escape_html`] of `text`, written to `out`: the runs between special bytes are
/// written whole.
pub fn write_escaped_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut rest = text.as_bytes();
    while let Some(at) = rest.iter().position(|&b| HTML_SPECIAL[b as usize]) {
        out.write_all(&rest[..at])?;
        out.write_all(match rest[at] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            _ => b"&#x27;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_all(rest)
}

/// `url` as the URL standard's parser reads it before anything else: ASCII tab and
/// newline removed wherever they stand, C0 controls and spaces trimmed at both ends.
/// Browsers read `java\tscript:` as `javascript:`, so a URL is judged in this form.
pub fn url_as_read(url: &str) -> String {
    url.trim_matches(|c: char| c <= ' ' || c.is_whitespace())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// The scheme of a URL in [`url_as_read`] form, in lower case, as browsers find one:
/// an ASCII letter, then letters, digits, `+`, `-` or `.`, then `:`. `None` for a
/// relative URL.
pub fn url_scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    is_scheme.then(|| scheme.to_ascii_lowercase())
}

/// URL schemes a link written by an author may use; anything else (`javascript:`,
/// `data:`, `vbscript:`, `file:`) is never made a link.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp"];

/// Replaces every control character but tab, line feed, carriage return and form
/// feed with spaces, byte for byte (a C1 control, two bytes in UTF-8, with two), so
/// that no escape sequence in a post-mortem reaches a terminal, a CI log, XML or HTML,
/// and every offset into the text stays an offset into the file. Returns the offset of
/// the first one replaced.
pub fn without_controls(text: &mut String) -> Option<usize> {
    let is_control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C');
    let first = text.find(is_control)?;
    let cleaned: String = text
        .chars()
        .flat_map(|c| {
            let n = if is_control(c) { c.len_utf8() } else { 0 };
            let keep = (n == 0).then_some(c);
            keep.into_iter().chain(std::iter::repeat_n(' ', n))
        })
        .collect();
    *text = cleaned;
    Some(first)
}

/// `s` with every control character written out as an escape (`\u{1b}`), for text
/// from a book shown in a terminal or a log: file names and values in messages.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// The key under which names of services, teams and tags are one: letter case, and
/// runs of spaces, `-` and `_`, do not count (`Checkout`, `checkout`; `api gateway`,
/// `api-gateway`, `API_Gateway`).
pub fn term_key(term: &str) -> String {
    let mut key = String::with_capacity(term.len());
    let mut gap = false;
    for c in term.trim().chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            gap = true;
            continue;
        }
        if gap && !key.is_empty() {
            key.push('-');
        }
        gap = false;
        key.extend(c.to_lowercase());
    }
    key
}

#[cfg(test)]
mod tests {
    use super::{noun, plural};

    #[test]
    fn counts_and_their_nouns() {
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(plural(2, "post-mortem"), "2 post-mortems");
        assert_eq!(plural(11, "older finished item"), "11 older finished items");
        assert_eq!(noun(3, "entry"), "entries");
        assert_eq!(noun(3, "day"), "days");
        assert_eq!(noun(2, "match"), "matches");
        assert_eq!(noun(2, "status"), "statuses");
        assert_eq!(noun(1, "status"), "status");
    }

    use super::*;

    #[test]
    fn escapes_the_five_special_characters_and_leaves_the_rest() {
        assert_eq!(escape_html(""), "");
        assert!(matches!(
            escape_html("plain text / é"),
            std::borrow::Cow::Borrowed("plain text / é")
        ));
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/a&gt;"
        );
        assert_eq!(escape_html("&&"), "&amp;&amp;");
        for b in 0..=127u8 {
            let s = (b as char).to_string();
            let special = "&<>\"'".contains(b as char);
            assert_eq!(escape_html(&s) != s, special, "{b}");
        }
    }

    #[test]
    fn control_characters_become_spaces_of_the_same_length() {
        let mut text = "a\u{1b}[31mb\u{9b}c\td".to_owned();
        let len = text.len();
        assert_eq!(without_controls(&mut text), Some(1));
        assert_eq!(text, "a [31mb  c\td");
        assert_eq!(text.len(), len);
        let mut clean = "plain\r\n".to_owned();
        assert_eq!(without_controls(&mut clean), None);
    }

    #[test]
    fn terms_differing_in_case_and_separators_share_a_key() {
        assert_eq!(term_key("API_Gateway "), term_key("api gateway"));
        assert_eq!(term_key("api--gateway"), "api-gateway");
        assert_ne!(term_key("C++"), term_key("C"));
    }

    #[test]
    fn urls_are_read_as_browsers_read_them() {
        assert_eq!(
            url_as_read(" java\tscr\nipt:alert(1)\u{1}"),
            "javascript:alert(1)"
        );
        assert_eq!(url_scheme("JavaScript:x").as_deref(), Some("javascript"));
        assert_eq!(url_scheme("a b:c"), None);
        assert_eq!(url_scheme("dir/file.md"), None);
        assert_eq!(url_scheme("1http:x"), None);
    }
}
