//! Reading a file as text, with the diagnostics that a bad file deserves.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Span};

/// Reads `path` as UTF-8 text. A byte-order mark is dropped; CRLF line endings are kept
/// (every parser downstream accepts them). `display` is the path shown in diagnostics.
/// A file of more than `max` bytes is not read (IB0007). Control characters are
/// replaced (see [`without_controls`]), with a warning in the second value.
pub fn read_text(
    path: &Path,
    display: &Path,
    max: u64,
) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    use std::io::Read;
    let read = || -> std::io::Result<Vec<u8>> {
        let file = std::fs::File::open(path)?;
        // Room for the whole file and one byte more: `read_to_end` then reads it in one
        // system call and sees the end in a second. (`take` hides the size from it, and
        // from an empty buffer it reads 32 bytes, then 64, and so on: eleven reads for a
        // post-mortem of 9 kB.)
        let size = file.metadata().map_or(0, |m| m.len()).min(max);
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        // One byte more than allowed tells a file over the limit, even one that grew
        // since it was listed.
        file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let bytes = read().map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            "the file disappeared while the book was being read".to_owned()
        } else {
            format!("cannot read the file: {e}")
        };
        Diagnostic::new(Code::Unreadable, display, Span::file_start(), what)
            .with_help("check the file's permissions, or add it to [build] ignore in book.toml")
    })?;
    if bytes.len() as u64 > max {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(super::discover::too_large(display.to_path_buf(), size, max));
    }
    let mut text = decode(bytes, display)?;
    let warning = crate::text::without_controls(&mut text).map(|at| {
        let c = text_char_at(path, at);
        Diagnostic::new(
            Code::ControlCharacter,
            display,
            Span::of(&text, at..at + 1),
            format!("the file holds a control character ({c}): it is read as a space"),
        )
        .with_help("delete it; control characters are invisible in editors but can rewrite a terminal or a CI log")
    });
    Ok((text, warning))
}

/// The control character at byte `at` of the file, for the message (the text has it
/// replaced already).
fn text_char_at(path: &Path, at: usize) -> String {
    let byte = std::fs::read(path)
        .ok()
        .and_then(|b| b.get(at..at + 2).map(<[u8]>::to_vec));
    match byte.as_deref() {
        Some([0xC2, b, ..]) => format!("U+{:04X}", u32::from(*b)),
        Some([b, ..]) => format!("U+{:04X}", u32::from(*b)),
        _ => "a control character".to_owned(),
    }
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
        let d = read_text(&dir.join("gone.md"), Path::new("content/gone.md"), 100).unwrap_err();
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
