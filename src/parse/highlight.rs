//! Syntax highlighting of fenced code blocks at build time (syntect, Sublime Text's
//! grammars): each run of code is wrapped in one `<span class="hl-…">` named for the
//! kind of token it is (the first part of its Sublime Text scope), and the theme's
//! `highlight.css` colours the classes (its own palette, light and dark, at AA contrast),
//! so the page needs no JavaScript and a theme can restyle it. A block in a language
//! syntect does not know, or without one, is left as Markdown renders it.
//!
//! Only the kinds the theme colours get a span, and neighbouring tokens of one kind share
//! it: syntect's own HTML nests a span for every scope, several times the bytes of the
//! code, on every post-mortem page that quotes a command.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::text::escape_html;

/// The kinds of token that get a class, as `hl-<kind>`: those `highlight.css` colours.
/// A token inside a comment is the comment's; otherwise the innermost kind wins, as
/// nested colours would.
const KINDS: [&str; 8] = [
    "comment", "string", "keyword", "storage", "constant", "entity", "support", "invalid",
];

static KIND_SCOPES: LazyLock<Vec<(Scope, &'static str)>> = LazyLock::new(|| {
    KINDS
        .iter()
        .filter_map(|k| Some((Scope::new(k).ok()?, *k)))
        .collect()
});

/// The class of a token under `stack`, if the theme colours it.
fn kind(stack: &[Scope]) -> Option<&'static str> {
    let of = |scope: &Scope| {
        KIND_SCOPES
            .iter()
            .find(|(prefix, _)| prefix.is_prefix_of(*scope))
            .map(|(_, k)| *k)
    };
    if stack.iter().any(|s| of(s) == Some("comment")) {
        return Some("comment");
    }
    stack.iter().rev().find_map(of)
}

/// Code blocks longer than this are shown plain: a pasted log of megabytes would cost
/// seconds to highlight and gains nothing from colour.
const MAX_CODE_BYTES: usize = 64 * 1024;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The grammar for a fence's info string (`rust`, `sh`, `yaml {.numbered}`), if known.
fn syntax(info: &str) -> Option<&'static SyntaxReference> {
    let lang = info.split([' ', ',', '{']).next()?.trim();
    if lang.is_empty() {
        return None;
    }
    let lang = match lang.to_ascii_lowercase().as_str() {
        // Names people write that syntect knows by another.
        "shell" | "console" | "sh" | "zsh" => "bash".to_owned(),
        "yml" => "yaml".to_owned(),
        "golang" => "go".to_owned(),
        "js" | "javascript" => "js".to_owned(),
        "ts" | "typescript" => "js".to_owned(),
        other => other.to_owned(),
    };
    SYNTAXES
        .find_syntax_by_token(&lang)
        .filter(|s| s.name != "Plain Text")
}

/// Highlighted HTML built token by token: a span opens only when the class changes.
#[derive(Default)]
struct Runs {
    html: String,
    open: Option<&'static str>,
}

impl Runs {
    fn push(&mut self, text: &str, class: Option<&'static str>) {
        if text.is_empty() {
            return;
        }
        if class != self.open {
            self.close();
            if let Some(c) = class {
                self.html.push_str("<span class=\"hl-");
                self.html.push_str(c);
                self.html.push_str("\">");
            }
            self.open = class;
        }
        self.html.push_str(&escape_html(text));
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
    }

    fn finish(mut self) -> String {
        self.close();
        self.html
    }
}

/// The highlighted HTML of `code` in `info`'s language, or `None` to leave it plain.
pub fn code_block(info: &str, code: &str) -> Option<String> {
    if code.len() > MAX_CODE_BYTES {
        return None;
    }
    let syntax = syntax(info)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut runs = Runs::default();
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        let mut at = 0;
        for (pos, op) in ops {
            runs.push(&line[at..pos], kind(stack.as_slice()));
            at = pos;
            stack.apply(&op).ok()?;
        }
        runs.push(&line[at..], kind(stack.as_slice()));
    }
    let html = runs.finish();
    let lang = escape_html(info.split([' ', ',', '{']).next().unwrap_or_default());
    Some(format!(
        "<pre class=\"hl\"><code class=\"language-{lang}\">{html}</code></pre>\n"
    ))
}

/// `events` with each fenced code block in a known language replaced by its
/// highlighted HTML.
pub fn highlighted<'a>(
    mut events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    let mut pending: std::collections::VecDeque<Event<'a>> = Default::default();
    std::iter::from_fn(move || {
        if let Some(e) = pending.pop_front() {
            return Some(e);
        }
        let e = events.next()?;
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &e else {
            return Some(e);
        };
        let info = info.clone();
        let mut code = String::new();
        let mut inner = Vec::new();
        let mut end = None;
        for next in events.by_ref() {
            match next {
                Event::End(TagEnd::CodeBlock) => {
                    end = Some(next);
                    break;
                }
                Event::Text(ref t) => {
                    code.push_str(t);
                    inner.push(next);
                }
                other => inner.push(other),
            }
        }
        match code_block(&info, &code) {
            Some(html) => Some(Event::Html(CowStr::from(html))),
            None => {
                pending.extend(inner);
                pending.extend(end);
                Some(e)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_are_highlighted_and_others_left_plain() {
        let html = code_block("rust", "fn main() { let x = \"<b>\"; }\n").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(
            html.contains("&lt;b&gt;") && !html.contains("<b>"),
            "{html}"
        );
        assert!(code_block("yml", "key: value\n").is_some());
        assert!(code_block("no-such-language", "x\n").is_none());
        assert!(code_block("", "x\n").is_none());
        assert!(code_block("sh", &"x".repeat(MAX_CODE_BYTES + 1)).is_none());
    }

    #[test]
    fn spans_are_flat_one_per_run_and_a_comment_keeps_its_colour() {
        let html = code_block("rust", "let s = \"a\\n\"; // see \"x\"\nfn f() {}\n").unwrap();
        // Never a span inside a span: each opening tag is closed before the next opens.
        let mut depth = 0i32;
        for (i, _) in html.char_indices() {
            if html[i..].starts_with("<span") {
                depth += 1;
            } else if html[i..].starts_with("</span>") {
                depth -= 1;
            }
            assert!((0..=1).contains(&depth), "{html}");
        }
        // The string's escape is a constant between two string runs.
        assert!(
            html.contains(r#"<span class="hl-constant">\n</span>"#),
            "{html}"
        );
        // Quotes in a comment are the comment's.
        assert!(
            html.contains(r#"<span class="hl-comment">// see &quot;x&quot;"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="hl-storage">fn</span>"#),
            "{html}"
        );
    }
}
