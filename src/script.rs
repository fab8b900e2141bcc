//! The default theme's scripts as the site publishes them: without their comments,
//! blank lines and indentation, which are a quarter of `search.js` and which every
//! first search of the site downloads. The scripts keep their lines (no statement
//! is joined to another, so no semicolon can go missing) and their names.
//!
//! It works by lines, not by parsing: a line whose first characters open a comment
//! (`//`, `/*`) cannot be code, and leading spaces mean nothing to JavaScript outside a
//! string that spans lines. A script that may hold such a string (a line with an odd
//! number of backquotes, or ending in a backslash) is published as written.

/// `script` without comment lines, blank lines and indentation; `None` when it may
/// hold a string over several lines, and must be published as written.
pub fn compact(script: &str) -> Option<String> {
    let mut out = String::with_capacity(script.len());
    let mut in_comment = false;
    for line in script.lines() {
        let mut code = line.trim();
        if in_comment {
            match code.find("*/") {
                Some(end) => {
                    in_comment = false;
                    code = code[end + 2..].trim_start();
                }
                None => continue,
            }
        } else if let Some(comment) = code.strip_prefix("/*") {
            match comment.find("*/") {
                Some(end) => code = comment[end + 2..].trim_start(),
                None => {
                    in_comment = true;
                    continue;
                }
            }
        }
        if code.is_empty() || code.starts_with("//") {
            continue;
        }
        if code.ends_with('\\') || code.matches('`').count() % 2 == 1 {
            return None;
        }
        out.push_str(code);
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blank_lines_and_indentation_go_and_every_statement_keeps_its_line() {
        let script = "/* A header,\n * on two lines. */\n(function () {\n  // why\n\n  \
                      var a = 1; /* kept: after code */\n  /* one line */ var b = \"/* no\";\n  \
                      return a\n    + b;\n})();\n";
        assert_eq!(
            compact(script).unwrap(),
            "(function () {\nvar a = 1; /* kept: after code */\nvar b = \"/* no\";\nreturn a\n+ b;\n})();\n"
        );
    }

    #[test]
    fn a_closing_comment_keeps_the_code_after_it() {
        assert_eq!(compact("/* a\n b */ f();\n").unwrap(), "f();\n");
    }

    #[test]
    fn a_script_that_may_hold_a_string_over_lines_is_left_as_written() {
        assert_eq!(compact("var s = `one\n  two`;\n"), None);
        assert_eq!(compact("var s = \"one \\\n  two\";\n"), None);
        // Backquotes in pairs on a line, and in comments, are no such string.
        assert!(compact("/* `a` */\nvar s = \"`\" + x + \"`\";\n").is_some());
    }
}
