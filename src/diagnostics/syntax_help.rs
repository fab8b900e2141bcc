//! Front-matter syntax errors in plain words. The YAML and TOML parsers speak of
//! "block indentation" and "flow sequences"; a writer needs to know what is wrong
//! with the line in front of them and what to type instead.

/// A parser's message rewritten: what is wrong, the fix, and where the offending
/// text is when the parser's position is not it: the line (0-based, as given to
/// [`yaml`]) and the column on it (1-based).
#[derive(Debug, PartialEq)]
pub struct Plain {
    pub message: String,
    pub help: String,
    pub line: usize,
    pub column: Option<usize>,
    /// How many characters to underline, when not the rest of the line.
    pub width: Option<usize>,
}

/// The help when a message is not one we know: the two causes of most errors.
pub const GENERIC_HELP: &str =
    "quote values that contain `: ` or start with a special character; indent with spaces";

/// `message` of the YAML parser about line `at` (0-based) of `lines` in plain words,
/// if it is one of the common mistakes.
pub fn yaml(message: &str, lines: &[&str], at: usize) -> Option<Plain> {
    // The parser notices an unclosed list only where the block ends: the mistake is
    // on the last line above that opens more brackets than it closes.
    let at = if message.contains("flow sequence") {
        (0..=at.min(lines.len().saturating_sub(1)))
            .rev()
            .find(|&i| lines[i].matches('[').count() > lines[i].matches(']').count())
            .unwrap_or(at)
    } else {
        at
    };
    let line = lines.get(at).copied().unwrap_or("");
    let key = line
        .split_once(':')
        .map(|(k, _)| k.trim().trim_start_matches("- "))
        .filter(|k| !k.is_empty() && !k.contains(' '))
        .unwrap_or("title");
    let quoted_example = || {
        let value = line.split_once(':').map_or("", |(_, v)| v.trim());
        let quote = |v: &str| format!("\"{}\"", v.trim().replace('"', "\\\""));
        let (what, example) = match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            Some(entries) => (
                "each entry",
                format!(
                    "[{}]",
                    entries.split(',').map(quote).collect::<Vec<_>>().join(", ")
                ),
            ),
            None if value.is_empty() => ("the value", quote("…")),
            None => ("the value", quote(value)),
        };
        // A backtick in the example would end the code span it is shown in.
        if example.contains('`') {
            format!("put {what} in double quotes: {key}: {example}")
        } else {
            format!("put {what} in double quotes: `{key}: {example}`")
        }
    };
    let plain = |message: &str, help: String, column: Option<usize>| {
        Some(Plain {
            message: message.to_owned(),
            help,
            line: at,
            column,
            width: None,
        })
    };
    if message.contains("tabs disallowed") {
        let column = line.find('\t').map(|i| line[..i].chars().count() + 1);
        return plain(
            "a tab indents this line; YAML indents with spaces only",
            "replace the tab with spaces (two for each level, as the lines around it)".into(),
            column,
        )
        .map(|p| Plain {
            width: Some(1),
            ..p
        });
    }
    if message.contains("mapping values are not allowed") {
        if line.starts_with([' ', '\t']) && !line.trim_start().starts_with('-') {
            return plain(
                "this field is indented, so YAML reads it as part of the field above",
                "start the field at the beginning of the line, as the other fields are".into(),
                Some(1),
            );
        }
        return plain(
            "this value holds `: ` (a colon and a space), which YAML reads as the start of another field",
            quoted_example(),
            None,
        );
    }
    if message.contains("duplicated key") {
        return plain(
            &format!("`{key}` is written twice in the front matter"),
            "keep one of them: a field has one value".into(),
            Some(1),
        )
        .map(|p| Plain {
            width: Some(key.chars().count()),
            ..p
        });
    }
    if message.contains("unknown anchor") {
        return plain(
            "a value starts with `*`, which YAML reads as a reference to something defined elsewhere",
            quoted_example(),
            None,
        );
    }
    if let Some(rest) = message.split("unexpected character: `").nth(1) {
        let c: String = rest.chars().take(1).collect();
        let c = if c == "`" {
            "a backtick".to_owned()
        } else {
            format!("`{c}`")
        };
        return plain(
            &format!("a value starts with {c}, which YAML keeps for its own syntax"),
            quoted_example(),
            None,
        );
    }
    if message.contains("flow sequence") {
        return plain(
            "a list in brackets is not closed, or two of its entries have no comma between them",
            format!(
                "close it on the same line, entries separated by `, `: `{key}: [first, second]`"
            ),
            Some(line.find('[').map_or(1, |i| line[..i].chars().count() + 1)),
        );
    }
    if message.contains("quoted scalar") {
        return plain(
            "a quote is opened and not closed on this line",
            "close the quote at the end of the value, or remove it".into(),
            None,
        );
    }
    None
}

/// The help when a TOML message is not one we know.
pub const GENERIC_TOML_HELP: &str = "write one `key = \"value\"` per line, text in double quotes";

/// What went wrong, from a message of the `toml` crate: its last line, after the
/// excerpt of the source that it draws above it.
pub fn toml_description(message: &str) -> &str {
    message
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// `message` of the TOML parser about line `at` (0-based) of `lines` in plain words,
/// if it is one of the common mistakes.
pub fn toml(message: &str, lines: &[&str], at: usize) -> Option<Plain> {
    let line = lines.get(at).copied().unwrap_or("");
    let (key, value) = line
        .split_once(['=', ':'])
        .map_or(("title", ""), |(k, v)| (k.trim(), v.trim()));
    let key = if key.is_empty() || key.contains(' ') {
        "title"
    } else {
        key
    };
    let quote = |v: &str| {
        format!(
            "\"{}\"",
            v.trim().trim_matches(['"', '\'']).replace('"', "\\\"")
        )
    };
    let plain = |message: String, help: String| {
        Some(Plain {
            message,
            help,
            line: at,
            column: None,
            width: None,
        })
    };
    let description = toml_description(message);
    if description.starts_with("string values must be quoted") {
        if let Some(entries) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let quoted: Vec<String> = entries.split(',').map(quote).collect();
            return plain(
                "the entries of a list are text, which TOML writes in double quotes".into(),
                format!("write `{key} = [{}]`", quoted.join(", ")),
            );
        }
        return plain(
            "text is written in double quotes in TOML".into(),
            format!("write `{key} = {}`", quote(value)),
        );
    }
    if description.starts_with("invalid basic string")
        || description.starts_with("invalid literal string")
    {
        return plain(
            "a quote is opened and not closed on this line".into(),
            "close the quote at the end of the value".into(),
        );
    }
    if description.starts_with("duplicate key") {
        return plain(
            format!("`{key}` is written twice in the front matter"),
            "keep one of them: a field has one value".into(),
        );
    }
    if description.starts_with("key with no value") && line.contains(':') {
        return plain(
            "TOML writes `key = value`; this line is written `key: value`, as YAML is".into(),
            format!(
                "write `{key} = {}`, or open and close the front matter with `---` to write YAML",
                quote(value)
            ),
        );
    }
    if description.starts_with("unexpected key or value") && value.starts_with('\'') {
        return plain(
            "a value in single quotes holds a single quote, which ends it".into(),
            format!("use double quotes: `{key} = {}`", quote(value)),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::yaml;

    fn one(message: &str, line: &str) -> Option<super::Plain> {
        yaml(message, &[line], 0)
    }

    #[test]
    fn common_mistakes_are_named_in_plain_words() {
        let tab = one(
            "tabs disallowed within this context (block indentation) at line 4 column 2",
            "\t- platform",
        )
        .unwrap();
        assert_eq!((tab.column, tab.width), (Some(1), Some(1)));
        assert!(tab.message.contains("tab"), "{tab:?}");
        assert!(!tab.help.contains("quote"), "{tab:?}");

        let colon = one(
            "mapping values are not allowed in this context",
            "title: Orders: locked",
        )
        .unwrap();
        assert_eq!(
            colon.help,
            "put the value in double quotes: `title: \"Orders: locked\"`"
        );

        let indented = one(
            "mapping values are not allowed in this context",
            "  severity: SEV2",
        )
        .unwrap();
        assert!(indented.message.contains("indented"), "{indented:?}");

        let twice = one("String(\"title\"): duplicated key in mapping", "title: B").unwrap();
        assert!(twice.message.contains("`title`"), "{twice:?}");

        let at = one("unexpected character: `@'", "authors: [@jo]").unwrap();
        assert!(at.message.contains("`@`"), "{at:?}");

        assert_eq!(
            at.help,
            "put each entry in double quotes: `authors: [\"@jo\"]`"
        );
        let tick = one("unexpected character: `\\`'", "title: `A`").unwrap();
        assert_eq!(tick.help, "put the value in double quotes: title: \"`A`\"");

        let lines = ["title: A", "teams: [a, b", "date: 2024-01-01", "---"];
        let open = yaml(
            "while parsing a flow sequence, expected ',' or ']'",
            &lines,
            3,
        )
        .unwrap();
        assert_eq!((open.line, open.column), (1, Some(8)));

        assert_eq!(one("something new", "x: y"), None);
    }

    #[test]
    fn common_toml_mistakes_are_named_in_plain_words() {
        let toml = |description: &str, line: &str| {
            let message = format!(
                "TOML parse error at line 1, column 9\n  |\n1 | {line}\n  |   ^\n{description}\n"
            );
            super::toml(&message, &[line], 0)
        };
        let bare = toml(
            "string values must be quoted, expected literal string",
            "title = Orders locked",
        )
        .unwrap();
        assert_eq!(bare.help, "write `title = \"Orders locked\"`");
        let list = toml(
            "string values must be quoted, expected literal string",
            "services = [a, b]",
        )
        .unwrap();
        assert_eq!(list.help, "write `services = [\"a\", \"b\"]`");
        let yaml_like = toml("key with no value, expected `=`", "title: \"A\"").unwrap();
        assert!(
            yaml_like.help.starts_with("write `title = \"A\"`"),
            "{yaml_like:?}"
        );
        let twice = toml("duplicate key", "title = \"B\"").unwrap();
        assert!(twice.message.contains("`title`"), "{twice:?}");
        assert_eq!(
            super::toml_description("x\n  |\nunclosed table, expected `]`\n"),
            "unclosed table, expected `]`"
        );
    }
}
