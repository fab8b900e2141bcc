//! Diagnostics: every problem found in the content, with where it is and what to do.
//!
//! One type for every stage (discover, parse, check). Each carries a stable code from
//! [`codes`]; the renderers at the bottom turn a list of them into rustc-style snippets
//! (through codespan-reporting), JSON, or GitHub Actions workflow commands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub mod codes;
pub mod syntax_help;

pub use codes::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A position in a source file: 1-based line and column (in characters), and the byte
/// range the finding covers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// The span of `range` within `text`, scanning only the text before it: cheap for
    /// the few spans near the top of a file (front matter). For many spans of one text,
    /// use [`LineIndex::span`], which does not rescan the text each time.
    pub fn of(text: &str, range: std::ops::Range<usize>) -> Span {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let end = floor_char_boundary(text, range.end.clamp(start, text.len()));
        let (line, column) = line_col(text, start);
        let (end_line, end_column) = line_col(text, end);
        Span {
            line,
            column,
            end_line,
            end_column,
            start,
            end,
        }
    }

    /// A span for a file whose text we could not read: line 1, nothing underlined.
    pub fn file_start() -> Span {
        Span {
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            start: 0,
            end: 0,
        }
    }

    /// The whole of line `line` (1-based) of `text`.
    pub fn line(text: &str, line: usize) -> Span {
        let mut offset = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let body = l.trim_end_matches(['\n', '\r']);
                return Span::of(text, offset..offset + body.len());
            }
            offset += l.len();
        }
        Span::of(text, text.len()..text.len())
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// 1-based line and column (counted in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the book root.
    pub file: PathBuf,
    pub span: Span,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub help: Option<String>,
    /// Silenced on purpose by an `incidentbook-disable` comment: not shown, not counted
    /// as a failure, still countable (`check --show-silenced`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub silenced: bool,
}

impl Diagnostic {
    pub fn new(
        code: Code,
        file: impl Into<PathBuf>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            span,
            severity: code.default_severity(),
            code,
            message: message.into(),
            help: None,
            silenced: false,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// An error that counts: not silenced.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error && !self.silenced
    }
}

/// Sorts diagnostics into a stable order: by file, then position, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    // Stable, as the serial sort: the same order. Paths compare component by component,
    // which made this a visible serial moment of a large book's check (18,000 findings).
    use rayon::slice::ParallelSliceMut;
    diagnostics.par_sort_by(|a, b| {
        (&a.file, a.span.line, a.span.column, a.code.as_str()).cmp(&(
            &b.file,
            b.span.line,
            b.span.column,
            b.code.as_str(),
        ))
    });
}

/// Counts by severity, and how many files they touch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub silenced: usize,
    pub files_with_findings: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let mut s = Summary::default();
        // By the path's bytes: comparing paths component by component was a visible part
        // of a large build's last, single-threaded moment (18,000 warnings at 10,000).
        let mut files = std::collections::HashSet::new();
        for d in diagnostics {
            if d.silenced {
                s.silenced += 1;
                continue;
            }
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
            files.insert(d.file.as_os_str());
        }
        s.files_with_findings = files.len();
        s
    }

    /// "3 errors, 5 warnings in 2 of 48 files".
    pub fn line(&self, files_checked: usize) -> String {
        use crate::text::plural;
        let mut parts = vec![
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        ];
        if self.infos > 0 {
            parts.push(plural(self.infos, "note"));
        }
        if self.silenced > 0 {
            parts.push(format!("{} silenced", self.silenced));
        }
        format!(
            "{} in {} of {}",
            parts.join(", "),
            self.files_with_findings,
            plural(files_checked, "file")
        )
    }
}

/// A source line longer than this (in bytes) is shown cut around the diagnostic's
/// place: a minified or pasted line of 50 KB, printed once per finding on it, made a
/// hundred megabytes of log.
const LONGEST_SHOWN: usize = 200;
/// How much of a cut line is shown before the diagnostic's place.
const SHOWN_BEFORE: usize = 60;

/// The one line of a diagnostic that is too long to show whole, cut around its place;
/// line and column numbers stay those of the file.
struct Excerpt {
    name: String,
    text: String,
    /// The file's line number of the excerpt's line.
    line: usize,
    /// Characters of the file's line before the excerpt's text (after the `…`).
    column_shift: usize,
    /// Bytes of the `…` the text starts with, if it does.
    lead: usize,
}

impl Excerpt {
    /// `source[start..end]` shown cut, when its first line is too long; with the
    /// label's range in the excerpt.
    fn cut(
        name: &str,
        source: &str,
        start: usize,
        end: usize,
        line: usize,
    ) -> Option<(Excerpt, std::ops::Range<usize>)> {
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        if line_end - line_start <= LONGEST_SHOWN {
            return None;
        }
        let from = floor_char_boundary(source, start.saturating_sub(SHOWN_BEFORE).max(line_start));
        let to = floor_char_boundary(source, (from + LONGEST_SHOWN).min(line_end)).max(start);
        let lead = if from > line_start { "…" } else { "" };
        let tail = if to < line_end { "…" } else { "" };
        let text = format!("{lead}{}{tail}", &source[from..to]);
        let label = lead.len() + start - from..lead.len() + end.min(to) - from;
        let excerpt = Excerpt {
            name: name.to_owned(),
            text,
            line,
            column_shift: source[line_start..from].chars().count(),
            lead: lead.len(),
        };
        Some((excerpt, label))
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, _: ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, _: ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, _: (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(0)
    }

    fn line_number(&'a self, _: (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line)
    }

    fn column_number(
        &'a self,
        _: (),
        _: usize,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let at = byte_index.clamp(self.lead, self.text.len());
        Ok(self.column_shift + self.text[self.lead..at].chars().count() + 1)
    }

    fn line_range(
        &'a self,
        _: (),
        _: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        Ok(0..self.text.len())
    }
}

/// Renders diagnostics as rustc-style snippets. `root` is the book root, used to read
/// the sources back (only on this error path, so the hot path keeps no copies).
pub fn render_human(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    use codespan_reporting::diagnostic::{
        Diagnostic as CsDiagnostic, Label, Severity as CsSeverity,
    };
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term::{self, termcolor::Buffer};

    let mut files = SimpleFiles::new();
    let mut ids: BTreeMap<&Path, usize> = BTreeMap::new();
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    // The places of values no log may repeat, by file: masked in every snippet.
    let mut masked: BTreeMap<&Path, Vec<std::ops::Range<usize>>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.code.masks_value()) {
        masked
            .entry(d.file.as_path())
            .or_default()
            .push(d.span.start..d.span.end);
    }
    for d in diagnostics {
        let id = *ids.entry(d.file.as_path()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(&d.file)).unwrap_or_default();
            // Shown as the book read it: control characters as spaces (offsets hold).
            let mut source = String::from_utf8_lossy(&bytes).into_owned();
            crate::text::without_controls(&mut source);
            if let Some(ranges) = masked.get(d.file.as_path()) {
                source = mask(&source, ranges);
            }
            files.add(
                crate::text::visible(&d.file.display().to_string()).into_owned(),
                source,
            )
        });
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Info => CsSeverity::Note,
        };
        let file = files.get(id).expect("added above");
        let source = file.source().as_str();
        let start = floor_char_boundary(source, d.span.start.min(source.len()));
        let end = floor_char_boundary(source, d.span.end.min(source.len())).max(start);
        fn cs<F>(
            d: &Diagnostic,
            severity: CsSeverity,
            id: F,
            range: std::ops::Range<usize>,
        ) -> CsDiagnostic<F> {
            let mut cs = CsDiagnostic::new(severity)
                .with_code(d.code.as_str())
                .with_message(crate::text::visible(&d.message))
                .with_labels(vec![Label::primary(id, range)]);
            if let Some(help) = &d.help {
                cs = cs.with_notes(vec![format!("help: {}", crate::text::visible(help))]);
            }
            cs
        }
        let line = source[..start].matches('\n').count() + 1;
        let written = match Excerpt::cut(file.name(), source, start, end, line) {
            Some((excerpt, label)) => term::emit_to_write_style(
                &mut buffer,
                &config,
                &excerpt,
                &cs(d, severity, (), label),
            ),
            None => term::emit_to_write_style(
                &mut buffer,
                &config,
                &files,
                &cs(d, severity, id, start..end),
            ),
        };
        if written.is_err() {
            // The file changed under us; fall back to a one-line form that still says where.
            let line = format!(
                "{}[{}]: {}\n  --> {}:{}:{}\n",
                d.severity.label(),
                d.code.as_str(),
                crate::text::visible(&d.message),
                crate::text::visible(&d.file.display().to_string()),
                d.span.line,
                d.span.column
            );
            use std::io::Write;
            let _ = buffer.write_all(line.as_bytes());
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// `source` with the characters of `ranges` but their first two replaced by `*`, each
/// by as many as it has bytes, so that every offset holds.
fn mask(source: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut bytes = source.as_bytes().to_vec();
    for r in ranges {
        let start = floor_char_boundary(source, r.start.min(source.len()));
        let end = floor_char_boundary(source, r.end.min(source.len())).max(start);
        for (i, c) in source[start..end].char_indices().skip(2) {
            let at = start + i;
            bytes[at..at + c.len_utf8()].fill(b'*');
        }
    }
    // Whole characters were replaced by ASCII: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    silenced: bool,
}

/// One JSON array of {file, line, column, end_line, end_column, severity, code, message, help}.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            file: slash_path(&d.file),
            line: d.span.line,
            column: d.span.column,
            end_line: d.span.end_line,
            end_column: d.span.end_column,
            severity: d.severity,
            code: d.code.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            silenced: d.silenced,
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("diagnostics serialize")
}

// Workflow-command values escape %, CR and LF; properties also escape : and ,.
fn github_data(s: &str) -> String {
    let s = crate::text::visible(s)
        .replace("\\u{a}", "\n")
        .replace("\\u{d}", "\r");
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands, one per line, which become pull-request annotations.
pub fn render_github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            github_property(&slash_path(&d.file)),
            d.span.line,
            d.span.column,
            d.span.end_line,
            d.span.end_column,
            github_property(d.code.as_str()),
            github_data(&message)
        ));
    }
    out
}

/// A GitHub Actions notice on a file's first line that is not a diagnostic (no code):
/// `check --similar-to`'s "Has this happened before?".
pub fn github_notice(file: &Path, title: &str, message: &str) -> String {
    format!(
        "::notice file={},line=1,title={}::{}\n",
        github_property(&slash_path(file)),
        github_property(title),
        github_data(message)
    )
}

fn slash_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_shown_cut_around_the_place_with_its_true_column() {
        let dir = tempfile::tempdir().unwrap();
        let line = format!("{}é BAD {}", "word ".repeat(2000), "tail ".repeat(2000));
        let text = format!("first\n{line}\nlast\n");
        std::fs::write(dir.path().join("x.md"), &text).unwrap();
        let at = text.find("BAD").unwrap();
        let d = Diagnostic::new(
            Code::BrokenLink,
            Path::new("x.md"),
            Span::of(&text, at..at + 3),
            "here".to_owned(),
        );
        let shown = render_human(std::slice::from_ref(&d), dir.path(), false);
        assert!(shown.len() < 2000, "{} bytes:\n{shown}", shown.len());
        // Line 2, after 10,000 characters of words, the é and a space.
        assert!(shown.contains("x.md:2:10003"), "{shown}");
        assert!(
            shown.contains("2 │ …") && shown.contains("word é BAD tail"),
            "{shown}"
        );
        assert!(shown.contains("^^^"), "{shown}");
        // A short line is shown whole, as before.
        let d = Diagnostic::new(
            Code::BrokenLink,
            Path::new("x.md"),
            Span::of(&text, 0..5),
            "here".to_owned(),
        );
        let shown = render_human(&[d], dir.path(), false);
        assert!(
            shown.contains("x.md:1:1") && shown.contains("1 │ first"),
            "{shown}"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncé d\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_col(text, 6), (2, 3));
    }

    #[test]
    fn a_cursor_answers_as_the_index_does_in_any_order() {
        let text = "ab\r\ncé d — e\n\nfin 🎉 x\ny";
        let index = LineIndex::new(text);
        // The free `line_col` scans from the file's start: an independent answer.
        let expected: Vec<_> = (0..text.len() + 3).map(|o| line_col(text, o)).collect();
        for (o, &e) in expected.iter().enumerate() {
            assert_eq!(index.line_col(text, o), e, "offset {o}");
        }
        // In order (the prose's case), with repeats and skips, then backwards.
        let mut cursor = index.cursor(text);
        for o in (0..text.len() + 3).chain([4, 4, 9, 2, 17, 0]) {
            assert_eq!(cursor.line_col(o), expected[o], "offset {o}");
        }
        let mut cursor = index.cursor(text);
        for o in (0..text.len() + 3).rev() {
            assert_eq!(cursor.line_col(o), expected[o], "offset {o}");
        }
    }

    #[test]
    fn summary_line_reads_naturally() {
        let d = Diagnostic::new(Code::MissingField, "a.md", Span::file_start(), "x");
        let s = Summary::of(&[d.clone(), d]);
        assert_eq!(s.line(48), "2 errors, 0 warnings in 1 of 48 files");
    }

    #[test]
    fn github_format_escapes_properties() {
        let d = Diagnostic::new(
            Code::MissingField,
            "dir/a,b.md",
            Span::file_start(),
            "50%\nmore",
        );
        let out = render_github(&[d]);
        assert!(
            out.starts_with("::error file=dir/a%2Cb.md,line=1,col=1"),
            "{out}"
        );
        assert!(out.contains("::50%25%0Amore"), "{out}");
    }
}

/// Start offsets of every line, for turning many byte offsets of one file into line
/// numbers without rescanning the text each time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The span of `range` in `text`, like [`Span::of`] without rescanning the text.
    pub fn span(&self, text: &str, range: std::ops::Range<usize>) -> Span {
        let start = floor_char_boundary(text, range.start.min(text.len()));
        let end = floor_char_boundary(text, range.end.clamp(start, text.len()));
        let (line, column) = self.line_col(text, start);
        let (end_line, end_column) = self.line_col(text, end);
        Span {
            line,
            column,
            end_line,
            end_column,
            start,
            end,
        }
    }

    /// 1-based line and column (in characters) of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        self.cursor(text).line_col(offset)
    }

    /// A [`LineIndex::line_col`] that remembers its last answer, for the offsets of
    /// `text` a body's prose asks in increasing order (one per text event): each column
    /// is counted on from the last instead of from its line's start, which made long
    /// paragraphs quadratic. Any order is answered correctly.
    pub fn cursor<'a>(&'a self, text: &'a str) -> LineCursor<'a> {
        LineCursor {
            index: self,
            text,
            line: 0,
            offset: 0,
            column: 0,
        }
    }
}

/// See [`LineIndex::cursor`]: the line, offset and column of the last answer.
pub struct LineCursor<'a> {
    index: &'a LineIndex,
    text: &'a str,
    line: usize,
    offset: usize,
    column: usize,
}

impl LineCursor<'_> {
    /// 1-based line and column (in characters) of byte `offset`: counted from the line's
    /// start, or on from the last call's when `offset` is on its line and not before it.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let line = self.index.line(offset);
        let start = self.index.starts[line - 1];
        let offset = floor_char_boundary(self.text, offset.min(self.text.len())).max(start);
        self.column = if line == self.line && offset >= self.offset {
            self.column + self.text[self.offset..offset].chars().count()
        } else {
            self.text[start..offset].chars().count() + 1
        };
        (self.line, self.offset) = (line, offset);
        (line, self.column)
    }
}
