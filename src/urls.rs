//! Where every page lives in the built site: the one place that knows the URL scheme.
//!
//! Pages are `.html` files linked with relative URLs, so the site works from any
//! sub-path of a host and when opened from disk (file://), where `dir/` does not
//! resolve to `dir/index.html`.

use std::path::{Path, PathBuf};

pub const HOME: &str = "index.html";
pub const INCIDENTS: &str = "incidents/index.html";
pub const NOT_FOUND: &str = "404.html";
pub const SEARCH: &str = "search.html";
/// Copied content files (images next to a post-mortem) keep their relative path here.
pub const MEDIA_DIR: &str = "media";
/// The theme's static files.
pub const STATIC_DIR: &str = "static";

pub const FACTORS: &str = "factors/index.html";
pub const INSIGHTS: &str = "insights/index.html";
/// The curation page of an adopted archive.
pub const CURATION: &str = "curation.html";
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const API_INCIDENTS: &str = "api/incidents.json";
pub const API_SCHEMA: &str = "api/incidents.schema.json";

pub fn insights_service(service: &str) -> String {
    format!("insights/services/{}.html", slug::slugify(service))
}

pub fn insights_team(team: &str) -> String {
    format!("insights/teams/{}.html", slug::slugify(team))
}
pub const ACTIONS: &str = "actions/index.html";

pub fn incident(slug: &str) -> String {
    format!("incidents/{slug}.html")
}

pub fn factor(id: &str) -> String {
    format!("factors/{}.html", slug::slugify(id))
}

/// Page `n` (from 1) of the post-mortems a factor contributed to, newest first.
pub fn factor_incidents(id: &str, n: usize) -> String {
    format!("factors/{}/{n}.html", slug::slugify(id))
}

/// An action item lives on its post-mortem's page, at its row of the table.
pub fn action(incident_slug: &str, id: &str) -> String {
    format!("{}#{}", incident(incident_slug), action_anchor(id))
}

pub fn action_anchor(id: &str) -> String {
    format!("action-{}", slug::slugify(id))
}

/// One team's action items.
pub fn team_board(team: &str) -> String {
    let slug = slug::slugify(team);
    format!("actions/{}.html", if slug.is_empty() { "-" } else { &slug })
}

/// Page `n` (from 1) of one column (`overdue`, `open`, …) of a team's board.
pub fn team_board_column(team: &str, column: &str, n: usize) -> String {
    let slug = slug::slugify(team);
    let slug = if slug.is_empty() { "-" } else { &slug };
    format!("actions/{slug}/{column}/{n}.html")
}

pub fn taxonomy_index(key: &str) -> String {
    format!("{key}/index.html")
}

pub fn taxonomy_term(key: &str, term: &str) -> String {
    let slug = slug::slugify(term);
    format!("{key}/{}.html", if slug.is_empty() { "-" } else { &slug })
}

/// The order of the post-mortems' list whose first page is [`INCIDENTS`].
pub const DEFAULT_ORDER: &str = "newest";

/// Page `n` (from 1) of every post-mortem, in the listing order `order`. In a folder of
/// its own: no post-mortem's slug can take its name.
pub fn incidents_page(order: &str, n: usize) -> String {
    if order == DEFAULT_ORDER && n == 1 {
        INCIDENTS.to_owned()
    } else {
        format!("incidents/by/{order}/{n}.html")
    }
}

/// Page `n` (from 1) of the post-mortems of one term.
pub fn taxonomy_term_page(key: &str, term: &str, n: usize) -> String {
    if n == 1 {
        return taxonomy_term(key, term);
    }
    let slug = slug::slugify(term);
    format!(
        "{key}/{}/{n}.html",
        if slug.is_empty() { "-" } else { &slug }
    )
}

pub fn media(content_path: &Path) -> String {
    let rel = content_path.to_string_lossy().replace('\\', "/");
    format!("{MEDIA_DIR}/{rel}")
}

pub fn media_path(content_path: &Path) -> PathBuf {
    Path::new(MEDIA_DIR).join(content_path)
}

/// The relative prefix from a page to the site root: `""` for `index.html`,
/// `"../"` for `incidents/x.html`.
pub fn root_prefix(page: &str) -> String {
    "../".repeat(depth(page))
}

/// How many folders deep `page` is.
pub fn depth(page: &str) -> usize {
    page.matches('/').count()
}
