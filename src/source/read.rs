//! Reading a file as text, with the diagnostics that a bad file deserves.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Span};

/// Reads `path` as UTF-8 text. A byte-order mark is dropped; CRLF line endings are kept
/// (every parser downstream accepts them). `display` is the path shown in diagnostics.
pub fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            "the file disappeared while the book was being read".to_owned()
        } else {
            format!("cannot read the file: {e}")
        };
        Diagnostic::new(Code::Unreadable, display, Span::file_start(), what)
            .with_help("check the file's permissions, or add it to [build] ignore in book.toml")
    })?;
    decode(bytes, display)
}

/// Decodes bytes as UTF-8 text, pointing at the first invalid byte otherwise.
pub fn decode(mut bytes: Vec<u8>, display: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        // Everything before the bad byte is valid text, so line/column are exact.
        let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
        let mut span = Span::of(prefix, valid_up_to..valid_up_to);
        span.end = span.start;
        let binary = bytes.iter().take(8000).any(|&b| b == 0);
        let (message, help) = if binary {
            (
                "this looks like a binary file, not Markdown text".to_owned(),
                "rename the file so it does not end in .md, or add it to [build] ignore",
            )
        } else {
            (
                format!(
                    "invalid UTF-8 at byte {valid_up_to} (0x{:02X})",
                    bytes.get(valid_up_to).copied().unwrap_or(0)
                ),
                "re-save the file as UTF-8 in your editor",
            )
        };
        Diagnostic::new(Code::InvalidUtf8, display, span, message).with_help(help)
    })
}

/// A file's size and modification time (nanoseconds since the epoch): the cheap test of
/// whether it changed, used by the search cache and by `serve`'s parse cache.
pub fn stamp(path: &std::path::Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), mtime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped() {
        let text = decode(b"\xEF\xBB\xBF---\n".to_vec(), Path::new("a.md")).unwrap();
        assert_eq!(text, "---\n");
    }

    #[test]
    fn a_file_that_disappeared_is_a_diagnostic() {
        let dir = std::env::temp_dir().join(format!("ib-vanished-{}", std::process::id()));
        let d = read_text(&dir.join("gone.md"), Path::new("content/gone.md")).unwrap_err();
        assert_eq!(d.code, Code::Unreadable);
        assert!(d.message.contains("disappeared"), "{}", d.message);
        assert_eq!(d.file, Path::new("content/gone.md"));
    }

    #[test]
    fn invalid_utf8_points_at_its_line() {
        let d = decode(b"one\ntwo \xFF three\n".to_vec(), Path::new("a.md")).unwrap_err();
        assert_eq!(d.code, Code::InvalidUtf8);
        assert_eq!((d.span.line, d.span.column), (2, 5));
    }
}
