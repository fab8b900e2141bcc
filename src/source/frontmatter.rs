//! Front matter: finding the block (YAML between `---`, TOML between `+++`) with its
//! position in the file, and parsing it into plain values.
//!
//! gray_matter's `Matter::parse` trims the block and the body and so loses the line
//! numbers diagnostics need; we locate the block here and read its text: TOML with
//! gray_matter's TOML engine, YAML with [`super::yaml`], which reads the values of
//! gray_matter's YAML engine straight into JSON.

use gray_matter::Pod;
use gray_matter::engine::{Engine, TOML};
use serde_json::{Map, Value};

use crate::diagnostics::{Code, Diagnostic, Span, syntax_help};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// Where the front matter and the body are in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub format: Option<Format>,
    /// Byte range of the front matter's text (without the delimiter lines).
    pub matter: std::ops::Range<usize>,
    /// Byte offset where the body starts.
    pub body_start: usize,
}

/// Finds the front-matter block. A file that opens a block and never closes it is an
/// error, since reading it would swallow the whole document.
pub fn split(text: &str, file: &std::path::Path) -> Result<Split, Diagnostic> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end();
    let (format, delimiter) = match first {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Ok(Split {
                format: None,
                matter: 0..0,
                body_start: 0,
            });
        }
    };
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == delimiter || (format == Format::Yaml && trimmed == "...") {
            return Ok(Split {
                format: Some(format),
                matter: first_end..offset,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        Code::UnclosedFrontMatter,
        file,
        Span::of(text, 0..first.len()),
        format!("front matter opened with `{delimiter}` is never closed"),
    )
    .with_help(format!(
        "add a line holding only `{delimiter}` after the last front-matter field"
    )))
}

/// Parses the front matter into a JSON-like map, reporting syntax errors at their line
/// in the file (not within the block).
pub fn parse(
    text: &str,
    split: &Split,
    file: &std::path::Path,
) -> Result<Map<String, Value>, Diagnostic> {
    let Some(format) = split.format else {
        return Ok(Map::new());
    };
    let block = &text[split.matter.clone()];
    if block.trim().is_empty() {
        return Ok(Map::new());
    }
    let parsed = match format {
        Format::Yaml => super::yaml::read(block),
        Format::Toml => TOML::parse(block).map(pod_to_json).map_err(|e| {
            // gray_matter prefixes its engines' messages; the parser's own is shown.
            let message = e.to_string();
            match message.strip_prefix("Deserialize error: ") {
                Some(rest) => rest.to_owned(),
                None => message,
            }
        }),
    };
    let value = parsed.map_err(|message| {
        // Both engines report "line L column C" in their messages (1-based lines).
        let (line, column) = location_in_message(&message).unwrap_or((1, 1));
        let block_first_line = crate::diagnostics::line_col(text, split.matter.start).0;
        let file_line = block_first_line + line - 1;
        let summary = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        // The lines of the block, up to the one named (the file's line `file_line`).
        let lines: Vec<&str> = text.lines().take(file_line).collect();
        let first = block_first_line - 1;
        let block_lines = lines.get(first..).unwrap_or_default();
        let plain = match format {
            Format::Yaml => syntax_help::yaml(summary, block_lines, file_line - 1 - first),
            Format::Toml => syntax_help::toml(&message, block_lines, file_line - 1 - first),
        };
        let (file_line, message, help, column, width) = match plain {
            Some(p) => (
                first + p.line + 1,
                p.message,
                p.help,
                p.column.unwrap_or(column),
                p.width,
            ),
            None if format == Format::Yaml => (
                file_line,
                format!(
                    "front matter is not valid YAML: {}",
                    strip_location(summary)
                ),
                syntax_help::GENERIC_HELP.to_owned(),
                column,
                None,
            ),
            // The toml crate draws the line above its description: the description.
            None => (
                file_line,
                format!(
                    "front matter is not valid TOML: {}",
                    syntax_help::toml_description(&message)
                ),
                syntax_help::GENERIC_TOML_HELP.to_owned(),
                column,
                None,
            ),
        };
        let mut span = column_span(text, file_line, column);
        if let Some(width) = width {
            let end = text[span.start..span.end]
                .char_indices()
                .nth(width)
                .map_or(span.end, |(i, _)| span.start + i);
            span = Span::of(text, span.start..end);
        }
        Diagnostic::new(Code::FrontMatterSyntax, file, span, message).with_help(help)
    })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(Diagnostic::new(
            Code::FrontMatterSyntax,
            file,
            Span::of(text, split.matter.clone()),
            "front matter must be a set of `key: value` fields",
        )
        .with_help("write one `key: value` per line, such as `title: Orders database locked`")),
    }
}

/// The span of every top-level key of the front matter, from one pass over its lines:
/// a post-mortem declares a dozen keys or more, and finding each with `key_span`
/// read the block again from its start every time.
pub struct KeySpans<'t> {
    text: &'t str,
    split: &'t Split,
    /// Each line's key as [`key_span`] would match it (the text before the line's first
    /// `:` or `=`, trimmed at its end), with the line's span; only lines that start
    /// with a key, not with white space.
    keys: Vec<(&'t str, Span)>,
}

impl<'t> KeySpans<'t> {
    pub fn new(text: &'t str, split: &'t Split) -> KeySpans<'t> {
        let mut keys = Vec::new();
        let mut offset = split.matter.start;
        // Lines are counted along the way rather than from the file's start each time.
        let first_line = memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() + 1;
        let lines = text[split.matter.clone()].split_inclusive('\n');
        for (line_number, line) in (first_line..).zip(lines) {
            if let Some(end) = memchr::memchr2(b':', b'=', line.as_bytes()) {
                let key = line[..end].trim_end();
                if !key.is_empty() && !key.starts_with(char::is_whitespace) {
                    // As `Span::of` the line, trimmed: it holds no line break.
                    let shown = line.trim_end();
                    let span = Span {
                        line: line_number,
                        column: 1,
                        end_line: line_number,
                        end_column: shown.chars().count() + 1,
                        start: offset,
                        end: offset + shown.len(),
                    };
                    keys.push((key, span));
                }
            }
            offset += line.len();
        }
        KeySpans { text, split, keys }
    }

    /// The first occurrence of `needle` as a whole word (not inside a longer id) in
    /// the value of `key`: from the key's line to the next key's. Points a diagnostic
    /// at the entry of a list (`- untested-migrations`) rather than at its key.
    pub fn find_in(&self, key: &str, needle: &str) -> Option<Span> {
        if needle.is_empty() {
            return None;
        }
        let at = self.keys.iter().position(|(k, _)| *k == key)?;
        let start = self.keys[at].1.start;
        let end = self
            .keys
            .get(at + 1)
            .map_or(self.split.matter.end, |(_, s)| s.start);
        let value = self.text.get(start..end)?;
        // The key itself is not its value: `factor: [factor]` finds the entry.
        let skip = value.find([':', '=']).map_or(0, |i| i + 1);
        let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        value[skip..]
            .match_indices(needle)
            .map(|(i, _)| skip + i)
            .find(|&i| {
                !value[..i].chars().next_back().is_some_and(is_word)
                    && !value[i + needle.len()..]
                        .chars()
                        .next()
                        .is_some_and(is_word)
            })
            .map(|i| Span::of(self.text, start + i..start + i + needle.len()))
    }

    /// As `key_span(text, split, key)`: the same span for every key.
    pub fn span(&self, key: &str) -> Span {
        // A key with a `:` or `=` in it, or white space around it, is matched as
        // `key_span` matches it; any other is a line's key exactly when `key_span` would
        // match that line.
        let plain = !key.is_empty() && !key.contains([':', '=']) && key.trim() == key;
        if !plain {
            return key_span(self.text, self.split, key);
        }
        match self.keys.iter().find(|(k, _)| *k == key) {
            Some((_, span)) => span.clone(),
            None => not_written(self.text, self.split),
        }
    }
}

/// The span of `key` at the top level of the front matter: the definition [`KeySpans`]
/// follows, and what it falls back on for keys written in unusual ways.
fn key_span(text: &str, split: &Split, key: &str) -> Span {
    let mut offset = split.matter.start;
    for line in text[split.matter.clone()].split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key) {
            let rest = rest.trim_start();
            if rest.starts_with(':') || rest.starts_with('=') {
                return Span::of(text, offset..offset + line.trim_end().len());
            }
        }
        offset += line.len();
    }
    not_written(text, split)
}

/// Where a field that is not written is reported: the opening delimiter.
fn not_written(text: &str, split: &Split) -> Span {
    Span::of(text, 0..split.matter.start.saturating_sub(1))
}

fn column_span(text: &str, line: usize, column: usize) -> Span {
    let whole = Span::line(text, line);
    let start = (whole.start + column.saturating_sub(1)).min(whole.end);
    Span::of(text, start..whole.end.max(start))
}

fn location_in_message(message: &str) -> Option<(usize, usize)> {
    let number_after = |word: &str| -> Option<usize> {
        let i = message.find(word)? + word.len();
        let digits: String = message[i..]
            .chars()
            .skip_while(|c| c.is_whitespace())
            .take_while(|c| c.is_ascii_digit())
            .collect();
        digits.parse().ok()
    };
    Some((
        number_after("line ")?.max(1),
        number_after("column ").unwrap_or(1),
    ))
}

fn strip_location(summary: &str) -> &str {
    summary
        .find(" at byte ")
        .or_else(|| summary.find(" at line "))
        .map_or(summary, |i| &summary[..i])
        .trim()
}

/// gray_matter's `Pod` as JSON.
pub(crate) fn pod_to_json(pod: Pod) -> Value {
    match pod {
        Pod::Null => Value::Null,
        Pod::String(s) => Value::String(s),
        Pod::Integer(i) => Value::from(i),
        Pod::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        Pod::Boolean(b) => Value::Bool(b),
        Pod::Array(items) => Value::Array(items.into_iter().map(pod_to_json).collect()),
        Pod::Hash(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, pod_to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn yaml_block_is_located() {
        let text = "---\ntitle: A\n---\n\n## Timeline\n";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(s.format, Some(Format::Yaml));
        assert_eq!(&text[s.matter.clone()], "title: A\n");
        assert_eq!(&text[s.body_start..], "\n## Timeline\n");
        let map = parse(text, &s, Path::new("a.md")).unwrap();
        assert_eq!(map["title"], "A");
    }

    #[test]
    fn crlf_and_toml_work() {
        let text = "+++\r\ntitle = \"A\"\r\n+++\r\nbody";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(s.format, Some(Format::Toml));
        assert_eq!(parse(text, &s, Path::new("a.md")).unwrap()["title"], "A");
    }

    #[test]
    fn unclosed_block_is_an_error() {
        let d = split("---\ntitle: A\n\n## Timeline\n", Path::new("a.md")).unwrap_err();
        assert_eq!(d.code, Code::UnclosedFrontMatter);
        assert_eq!(d.span.line, 1);
    }

    #[test]
    fn yaml_error_is_reported_at_the_file_line() {
        let text = "---\ntitle: A\ndate: 2024-01-01\nservices: [a, b\nstatus: final\n---\n";
        let s = split(text, Path::new("a.md")).unwrap();
        let d = parse(text, &s, Path::new("a.md")).unwrap_err();
        assert_eq!(d.code, Code::FrontMatterSyntax);
        assert!(d.span.line >= 4, "line {}", d.span.line);
    }

    #[test]
    fn key_spans_match_key_span() {
        let text = "---\ntitle: A\nseverity : SEV9\n  nested: x\nurl=x\na:b: 1\n\"q\": 2\n\
                    items:\n  - id: x\ntitle: again\nkey with space: 3\n---\nbody: no\n";
        let s = split(text, Path::new("a.md")).unwrap();
        let spans = KeySpans::new(text, &s);
        for key in [
            "title",
            "severity",
            "nested",
            "url",
            "a",
            "a:b",
            "\"q\"",
            "q",
            "items",
            "id",
            "key with space",
            "body",
            "missing",
            "",
            " title",
            "title ",
            "sev",
        ] {
            assert_eq!(spans.span(key), key_span(text, &s, key), "{key:?}");
        }
        assert_eq!(spans.span("severity").line, 3);
        // CRLF line ends and wide characters, as Span::of counts them.
        let text = "---\r\ntitle: É à\r\nowner = ünï\r\n---\r\n";
        let s = split(text, Path::new("a.md")).unwrap();
        let spans = KeySpans::new(text, &s);
        for key in ["title", "owner", "x"] {
            assert_eq!(spans.span(key), key_span(text, &s, key), "{key:?}");
        }
    }

    #[test]
    fn key_span_finds_the_line() {
        let text = "---\ntitle: A\nseverity: SEV9\n---\n";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(key_span(text, &s, "severity").line, 3);
    }
}
