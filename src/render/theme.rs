//! The theme: templates and static files embedded in the binary, overridden file by file
//! from the book's theme folder (mdBook-style: a `theme/templates/incident.html` in the
//! book replaces the default `incident.html`, everything else stays default).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rust_embed::RustEmbed;
use tera::Tera;
use walkdir::WalkDir;

use crate::error::{Error, Result};

/// Internal templates, each calling one macro of the theme, that `fragments` renders
/// once for many pages: a post-mortem's row in a listing, and a listing's filter bar.
const FRAGMENT_TEMPLATES: [(&str, &str); 2] = [
    (
        ROW,
        r#"{% import "macros.html" as m %}{{ m::incident_row(i=i, root=root) }}"#,
    ),
    (
        TOOLS,
        r#"{% import "macros.html" as m %}{{ m::listing_tools(page=page, root=root) }}"#,
    ),
];
pub const ROW: &str = "__incident_row.html";
pub const TOOLS: &str = "__listing_tools.html";

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct DefaultTheme;

pub struct Theme {
    pub tera: Tera,
    /// Static files by path under `static/`, default merged with overrides.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// A hash of every template and static file, for the build cache.
    pub fingerprint: u128,
    /// The largest page each template has rendered so far: the next one's buffer is
    /// sized from it, rather than grown by doubling from tera's 2 kB (four copies of
    /// a post-mortem's page, each rendered once).
    sizes: HashMap<String, AtomicUsize>,
}

impl Theme {
    /// Loads the default theme, then the overrides in `override_dir` if it exists.
    pub fn load(override_dir: &Path) -> Result<Theme> {
        let mut templates: BTreeMap<String, String> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        for name in DefaultTheme::iter() {
            let file = DefaultTheme::get(&name).expect("listed file exists");
            insert(
                &mut templates,
                &mut static_files,
                &name,
                file.data.into_owned(),
            );
        }
        if override_dir.is_dir() {
            for entry in WalkDir::new(override_dir).sort_by_file_name() {
                let entry = entry.map_err(|e| {
                    let path = e.path().unwrap_or(override_dir).to_path_buf();
                    Error::io("cannot read theme folder", path, e.into())
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(override_dir)
                    .expect("walked below it");
                let name = rel.to_string_lossy().replace('\\', "/");
                let data = std::fs::read(entry.path())
                    .map_err(|e| Error::io("cannot read theme file", entry.path(), e))?;
                insert(&mut templates, &mut static_files, &name, data);
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.set_escape_check(needs_escaping);
        tera.register_filter("plural", plural_filter);
        tera.add_raw_templates(
            templates
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .chain(FRAGMENT_TEMPLATES),
        )
        .map_err(|e| template_error("(theme)", &e))?;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let files = templates
            .iter()
            .map(|(n, t)| (n, t.as_bytes()))
            .chain(static_files.iter().map(|(n, b)| (n, b.as_slice())));
        for (name, bytes) in files {
            for part in [name.as_bytes(), bytes] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part);
            }
        }
        let sizes = tera
            .get_template_names()
            .map(|n| (n.to_owned(), AtomicUsize::new(0)))
            .collect();
        Ok(Theme {
            tera,
            static_files,
            fingerprint: h.digest128(),
            sizes,
        })
    }

    /// `template` rendered, as text: for a fragment that goes into another page's data.
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String> {
        String::from_utf8(self.render_bytes(template, context)?)
            .map_err(|e| template_error(template, &e))
    }

    /// `template` rendered, as the bytes of a file. tera writes nothing but `str`s, so
    /// they are UTF-8 without checking all 400 MB of a large site's pages again.
    pub fn render_bytes(&self, template: &str, context: &tera::Context) -> Result<Vec<u8>> {
        let size = self.sizes.get(template);
        let mut out = Vec::with_capacity(size.map_or(0, |s| s.load(Ordering::Relaxed)));
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| template_error(template, &e))?;
        if let Some(size) = size {
            size.fetch_max(out.len(), Ordering::Relaxed);
        }
        Ok(out)
    }
}

fn insert(
    templates: &mut BTreeMap<String, String>,
    static_files: &mut BTreeMap<String, Vec<u8>>,
    name: &str,
    data: Vec<u8>,
) {
    if let Some(t) = name.strip_prefix("templates/") {
        templates.insert(t.to_owned(), String::from_utf8_lossy(&data).into_owned());
    } else if let Some(s) = name.strip_prefix("static/") {
        static_files.insert(s.to_owned(), data);
    }
}

/// The bytes [`escape_html`] replaces, looked up in a table rather than compared five
/// times each.
const SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    special[b'&' as usize] = true;
    special[b'<' as usize] = true;
    special[b'>' as usize] = true;
    special[b'"' as usize] = true;
    special[b'\'' as usize] = true;
    special
};

/// Whether [`escape_html`] changes `input`. tera (patched, `vendor/tera/PATCHED.md`)
/// asks this first of every string it prints, and outputs most of them as they are,
/// without a copy.
fn needs_escaping(input: &str) -> bool {
    input.bytes().any(|b| SPECIAL[b as usize])
}

/// HTML escaping for templates: `&`, `<`, `>`, `"` and `'`. Unlike tera's default it
/// leaves `/` alone, so URLs in the output read as URLs (`https://…`, not
/// `https:&#x2F;&#x2F;…`); `/` is not special in HTML text or quoted attributes.
fn escape_html(input: &str) -> String {
    // Copies the runs between special bytes whole: most strings that get here have
    // one, as the others are passed by `needs_escaping` first.
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut rest = input;
    while let Some(at) = rest.bytes().position(|b| SPECIAL[b as usize]) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#x27;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// A failure of `template`, with every cause tera gives.
fn template_error(template: &str, e: &dyn std::error::Error) -> Error {
    Error::Template {
        name: template.to_owned(),
        message: error_chain(e),
    }
}

/// tera nests the useful part of its errors in `source()`s.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// `{{ n | plural(word="item") }}`: "1 item", "3 items" (`text::plural`, the one rule
/// for a count and its noun), for templates, theme overrides included.
fn plural_filter(
    value: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let n = value
        .as_u64()
        .or_else(|| {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        })
        .ok_or_else(|| tera::Error::msg(format!("`plural` counts whole numbers, not {value}")))?;
    let word = args
        .get("word")
        .and_then(tera::Value::as_str)
        .ok_or_else(|| tera::Error::msg("`plural` needs the noun: plural(word=\"item\")"))?;
    Ok(crate::text::plural(n as usize, word).into())
}

#[cfg(test)]
mod tests {
    use super::{escape_html, needs_escaping};

    #[test]
    fn escapes_the_five_special_characters_and_leaves_the_rest() {
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain text / é"), "plain text / é");
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/a&gt;"
        );
        assert_eq!(escape_html("&&"), "&amp;&amp;");
    }

    /// tera skips the escape function for a string the check passes: the check must
    /// pass exactly the strings that escaping leaves as they are.
    #[test]
    fn the_escape_check_passes_exactly_what_escaping_leaves_alone() {
        for s in [
            "",
            "plain",
            "a/b",
            "é ü",
            "x&y",
            "<",
            ">",
            "\"q\"",
            "it's",
            "tab\there",
        ] {
            assert_eq!(needs_escaping(s), escape_html(s) != s, "{s:?}");
        }
        for b in 0..=127u8 {
            let s = (b as char).to_string();
            assert_eq!(needs_escaping(&s), escape_html(&s) != s, "{b}");
        }
    }

    #[test]
    fn the_plural_filter_counts_with_its_noun() {
        let mut tera = tera::Tera::default();
        tera.register_filter("plural", super::plural_filter);
        tera.add_raw_template("t", "{{ n | plural(word=\"older item\") }}")
            .unwrap();
        let render = |n: serde_json::Value| {
            let mut context = tera::Context::new();
            context.insert("n", &n);
            tera.render("t", &context)
        };
        assert_eq!(render(1.into()).unwrap(), "1 older item");
        assert_eq!(render(0.into()).unwrap(), "0 older items");
        assert_eq!(render(12.into()).unwrap(), "12 older items");
        assert!(render("many".into()).is_err());
        assert!(render((-1).into()).is_err());
    }

    /// The patched tera tests a string's truth without escaping it first
    /// (vendor/tera/PATCHED.md): the answers must be those of an escaped string, and
    /// comparisons (still made on escaped values) and printing must be unchanged.
    #[test]
    fn a_string_is_tested_printed_and_compared_as_before() {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.set_escape_check(needs_escaping);
        tera.add_raw_template(
            "t.html",
            "{% if s %}yes{% else %}no{% endif %} {% if not s %}not{% endif %} \
             {% if s and t %}both{% endif %} {% if s == t %}same{% endif %} {{ s }}",
        )
        .unwrap();
        let render = |s: &str, t: &str| {
            let mut context = tera::Context::new();
            context.insert("s", s);
            context.insert("t", t);
            tera.render("t.html", &context).unwrap()
        };
        assert_eq!(render("<&>", "x"), "yes  both  &lt;&amp;&gt;");
        assert_eq!(render("", "x"), "no not   ");
        assert_eq!(render("a&b", "a&b"), "yes  both same a&amp;b");
    }
}
