//! The theme: templates and static files embedded in the binary, overridden file by file
//! from the book's theme folder (mdBook-style: a `theme/templates/incident.html` in the
//! book replaces the default `incident.html`, everything else stays default).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rust_embed::RustEmbed;
use tera::{Kwargs, State, Tera};
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::script;

/// Internal templates, each calling one component of the theme, that `fragments`
/// renders once for many pages: a post-mortem's row in a listing, and a listing's
/// filter bar.
const FRAGMENT_TEMPLATES: [(&str, &str); 2] = [
    (ROW, "{{<incident_row i={i} root={root}/>}}"),
    (TOOLS, "{{<listing_tools page={page} root={root}/>}}"),
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
            let mut data = file.data.into_owned();
            // Its scripts as published (an override is published as written).
            if name.ends_with(".js")
                && let Some(compact) = std::str::from_utf8(&data).ok().and_then(script::compact)
            {
                data = compact.into_bytes();
            }
            insert(&mut templates, &mut static_files, &name, data);
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
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(crate::text::write_escaped_html);
        // tera 1 had `slugify` built in (with this crate); themes written for it use it.
        tera.register_filter("slugify", |text: &str, _: Kwargs, _: &State| {
            slug::slugify(text)
        });
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
        super::indentation::strip(&mut out);
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
fn plural_filter(n: u64, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    let word: &str = kwargs.must_get("word")?;
    Ok(crate::text::plural(
        usize::try_from(n).unwrap_or(usize::MAX),
        word,
    ))
}
