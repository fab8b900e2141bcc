//! "Has this happened before?" on a generated book whose answer is known: a post-mortem
//! is written again (a recurrence), with a word no other post-mortem has added to both;
//! `new` and `check --similar-to` must name the original first.

use crate::common::Book;

/// A generated book of 300, and the original: its path relative to the book, its title
/// with the added word, and the text of the recurrence.
fn book_with_recurrence() -> (Book, String, String, String) {
    let book = Book::corpus(300, "[book]\ntitle = \"Has this happened before\"\n");
    let files = book.post_mortem_files();
    let original = &files[137];
    let text = std::fs::read_to_string(original).unwrap();
    let title_line = text.lines().find(|l| l.starts_with("title: ")).unwrap();
    let title = title_line["title: ".len()..].trim_matches('"').to_owned();
    let marked = format!("{title} zebracorn");
    let text = text.replacen(title_line, &format!("title: \"{marked}\""), 1);
    std::fs::write(original, &text).unwrap();
    let rel = original
        .strip_prefix(book.root())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    // The recurrence: the same front matter and text, another day and file.
    let date_line = text.lines().find(|l| l.starts_with("date: ")).unwrap();
    let again = text.replacen(date_line, "date: 2025-12-20", 1);
    (book, rel, marked, again)
}

#[test]
fn check_names_the_post_mortem_it_recurs_and_notices_it_on_github() {
    let (book, original, title, again) = book_with_recurrence();
    book.write("content/2025/2025-12-20-again.md", &again);
    let out = book
        .cmd(&["check", "--similar-to", "content/2025/2025-12-20-again.md"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = format!("1. {title} (");
    assert!(
        stdout
            .contains("Has this happened before? content/2025/2025-12-20-again.md is most like:\n"),
        "{stdout}"
    );
    let line = stdout.lines().find(|l| l.starts_with("1. ")).unwrap();
    assert!(
        line.starts_with(&first) && line.ends_with(&format!("{original})")),
        "{line}"
    );
    // The most specific reason first: the word only the two have.
    assert!(
        stdout.contains("the word “zebracorn” in both titles or summaries (2 of 301 post-mortems)"),
        "{stdout}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with(char::is_numeric))
            .count(),
        5
    );

    let out = book
        .cmd(&[
            "check",
            "--format",
            "github",
            "--similar-to",
            "content/2025/2025-12-20-again.md",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let notice = stdout
        .lines()
        .find(|l| l.starts_with("::notice file=content/2025/2025-12-20-again.md,line=1,title=Has this happened before?::"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        notice.contains(&format!("Most like:%0A1. {title} (")),
        "{notice}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("Has this happened"))
            .count(),
        1
    );
}

#[test]
fn new_names_the_most_similar_post_mortems_of_its_title() {
    let (book, original, title, _) = book_with_recurrence();
    let out = book
        .cmd(&["new", &title, "--date", "2025-12-20"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // Stdout is the new file's path alone; the answer is on stderr.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "Has this happened before? Post-mortems like “{title}”:\n1. {title} ("
        )),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{original})")), "{stderr}");
}

#[test]
fn check_similar_to_a_file_outside_the_book_is_a_usage_error() {
    let book = Book::example();
    book.write("notes.md", "# not a post-mortem\n");
    let out = book
        .cmd(&["check", "--similar-to", "notes.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("notes.md is not a post-mortem of the book"),
        "{stderr}"
    );
}
