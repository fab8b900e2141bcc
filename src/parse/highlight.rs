//! Syntax highlighting of fenced code blocks at build time (syntect, Sublime Text's
//! grammars): the code is wrapped in `<span class="hl-…">` by scope, and the theme's
//! `highlight.css` colours the classes (its own palette, light and dark, at AA contrast), so the page needs no
//! JavaScript and a theme can restyle it. A block in a language syntect does not know,
//! or without one, is left as Markdown renders it.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::text::escape_html;

/// The classes' prefix: `hl-keyword`, `hl-string`…
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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

/// The highlighted HTML of `code` in `info`'s language, or `None` to leave it plain.
pub fn code_block(info: &str, code: &str) -> Option<String> {
    if code.len() > MAX_CODE_BYTES {
        return None;
    }
    let syntax = syntax(info)?;
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    let lang = escape_html(info.split([' ', ',', '{']).next().unwrap_or_default());
    Some(format!(
        "<pre class=\"hl\"><code class=\"language-{lang}\">{}</code></pre>\n",
        html.finalize()
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
}
