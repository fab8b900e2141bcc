//! Removes the indentation templates leave in every page: the whitespace that follows a
//! line break, outside the elements where whitespace is content (`pre`, `textarea`) or
//! where it is code (`script`, `style`). A browser collapses a run of whitespace
//! between words or tags to one space, and the line break that stays is that space, so
//! the page reads and renders the same; the site is smaller by the indentation of every
//! line of every page, which the same few templates repeat tens of thousands of times.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// The elements whose content is kept byte for byte.
const KEPT: [&str; 4] = ["pre", "textarea", "script", "style"];

/// Finds `<pre`, `<textarea`… in any case (raw HTML in Markdown may be written `<PRE>`).
static OPENING: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(KEPT.map(|tag| format!("<{tag}")))
        .expect("fixed patterns")
});

/// Their closing tags, in the order of `KEPT`.
static CLOSING: LazyLock<Vec<AhoCorasick>> = LazyLock::new(|| {
    KEPT.iter()
        .map(|tag| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([format!("</{tag}")])
                .expect("fixed pattern")
        })
        .collect()
});

/// Removes, in place, the spaces, tabs and blank lines that follow each line break of
/// `html`, except inside the elements of `KEPT`. An element left open keeps the rest of
/// the page as it is.
pub fn strip(html: &mut Vec<u8>) {
    let mut read = 0;
    let mut write = 0;
    while read < html.len() {
        let (plain_end, kept_end) = match next_kept(html, read) {
            Some(span) => span,
            None => (html.len(), html.len()),
        };
        while read < plain_end {
            let newline = memchr::memchr(b'\n', &html[read..plain_end]);
            let line_end = newline.map_or(plain_end, |i| read + i + 1);
            html.copy_within(read..line_end, write);
            write += line_end - read;
            read = line_end;
            if newline.is_some() {
                while read < plain_end && matches!(html[read], b' ' | b'\t' | b'\n' | b'\r') {
                    read += 1;
                }
            }
        }
        html.copy_within(plain_end..kept_end, write);
        write += kept_end - plain_end;
        read = kept_end;
    }
    html.truncate(write);
}

/// Where the next kept element at or after `from` starts, and where its closing tag
/// ends (the end of `html` if it has none).
fn next_kept(html: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    loop {
        let found = OPENING.find(&html[at..])?;
        let start = at + found.start();
        let name_end = at + found.end();
        // `<pre>` or `<pre class=…>`, not `<prefix>`.
        if html
            .get(name_end)
            .is_some_and(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
        {
            let closing = &CLOSING[found.pattern().as_usize()];
            let end = closing.find(&html[name_end..]).map_or(html.len(), |m| {
                let close = name_end + m.end();
                memchr::memchr(b'>', &html[close..]).map_or(html.len(), |i| close + i + 1)
            });
            return Some((start, end));
        }
        at = name_end;
    }
}

#[cfg(test)]
mod tests {
    use super::strip;

    fn stripped(html: &str) -> String {
        let mut bytes = html.as_bytes().to_vec();
        strip(&mut bytes);
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn indentation_and_blank_lines_go_and_one_line_break_stays() {
        assert_eq!(
            stripped("<ul>\n  <li>a</li>\n\n    <li>b</li>\n</ul>\n"),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
        // Words on two lines stay two words.
        assert_eq!(stripped("<p>one\n   two</p>"), "<p>one\ntwo</p>");
    }

    #[test]
    fn preformatted_text_and_code_are_kept_byte_for_byte() {
        let page = "<div>\n  <pre class=\"hl\"><code>fn main() {\n    go();\n}\n</code></pre>\n  \
                    <PRE>\n  x</PRE>\n  <textarea>\n  a</textarea>\n  <script>\n  let s = `\n  `;</script>\n  \
                    <style>\n  p {}\n</style>\n  <prefix>\n  y</prefix>\n</div>";
        assert_eq!(
            stripped(page),
            "<div>\n<pre class=\"hl\"><code>fn main() {\n    go();\n}\n</code></pre>\n\
             <PRE>\n  x</PRE>\n<textarea>\n  a</textarea>\n<script>\n  let s = `\n  `;</script>\n\
             <style>\n  p {}\n</style>\n<prefix>\ny</prefix>\n</div>"
        );
    }

    #[test]
    fn an_element_left_open_keeps_the_rest() {
        assert_eq!(
            stripped("<p>\n  a</p><pre>\n  b\n  c"),
            "<p>\na</p><pre>\n  b\n  c"
        );
        assert_eq!(stripped(""), "");
        assert_eq!(stripped("\n\n  \n"), "\n");
    }
}
