//! `book.toml`: the book's configuration, in the spirit of mdBook's.
//!
//! Keys are kebab-case; unknown keys are errors naming the key and its line, so a typo
//! never silently falls back to a default. Any key can be overridden from the
//! environment for CI: `INCIDENTBOOK_<TABLE>__<KEY>`, with `_` in the key standing for
//! `-` (`INCIDENTBOOK_BUILD__BUILD_DIR=public`). Values are read as TOML when they parse
//! as TOML (`true`, `3`, `["a", "b"]`) and as plain strings otherwise.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const CONFIG_FILE: &str = "book.toml";
const ENV_PREFIX: &str = "INCIDENTBOOK_";

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub book: BookConfig,
    pub build: BuildConfig,
    pub validation: ValidationConfig,
    pub lint: LintConfig,
    pub insights: InsightsConfig,
    pub edition: EditionConfig,
    pub leaks: LeaksConfig,
    pub search: SearchConfig,
    /// The edition being made: not a key of book.toml, but set by the command
    /// ([`Config::for_edition`]).
    #[serde(skip)]
    pub active: Edition,
}

/// Who may read a post-mortem: everyone in the company, or the public.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Visibility {
    /// In the internal edition only (the default).
    #[default]
    Internal,
    /// In both editions.
    Public,
}

impl Visibility {
    /// Exactly as written, as `check` allows it: anything else is internal.
    pub fn parse(text: &str) -> Option<Visibility> {
        match text {
            "internal" => Some(Visibility::Internal),
            "public" => Some(Visibility::Public),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Internal => "internal",
            Visibility::Public => "public",
        }
    }
}

/// Which site a build makes: the internal one, with everything, or the public one,
/// with only the public post-mortems and none of their internal passages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Edition {
    #[default]
    Internal,
    Public,
}

/// `[edition]`: who may read what, and `[edition.public]`, the public site.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct EditionConfig {
    /// The visibility of a post-mortem without a `visibility` field.
    pub default_visibility: Visibility,
    pub public: PublicEdition,
}

/// `[edition.public]`: what the public edition replaces of `[book]` and `[build]`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PublicEdition {
    /// Its title, else `[book] title`.
    pub title: Option<String>,
    /// Its description, else `[book] description`.
    pub description: Option<String>,
    /// Its absolute URL, else `[book] base-url`.
    pub base_url: Option<String>,
    /// Where it is written, relative to the book root.
    pub build_dir: PathBuf,
}

impl Default for PublicEdition {
    fn default() -> Self {
        PublicEdition {
            title: None,
            description: None,
            base_url: None,
            build_dir: PathBuf::from("public"),
        }
    }
}

/// `[leaks]`: what the leak check looks for besides secrets, e-mail addresses, phone
/// numbers and IP addresses.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LeaksConfig {
    /// Run the leak check at all.
    pub enabled: bool,
    /// Host names that are internal, as patterns: `*.corp.example.com` (any name ending
    /// so), `build01.example.com` (that name).
    pub internal_hosts: Vec<String>,
    /// A file of names (one a line, `#` comments), relative to the book root: people
    /// and customers who must not be named in public.
    pub roster: Option<PathBuf>,
    /// Values that are never reported (a support address, a public status page's IP).
    pub allow: Vec<String>,
    /// The roster's names, read by [`Config::load`].
    #[serde(skip)]
    pub roster_names: Vec<String>,
}

impl Default for LeaksConfig {
    fn default() -> Self {
        LeaksConfig {
            enabled: true,
            internal_hosts: ["*.internal", "*.corp", "*.intranet"]
                .map(String::from)
                .to_vec(),
            roster: None,
            allow: Vec::new(),
            roster_names: Vec::new(),
        }
    }
}

/// `[search]`: how queries are read.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SearchConfig {
    /// Groups of words that find each other (`["k8s", "kubernetes"]`), added to the
    /// default groups; each word is one word of letters or digits.
    pub synonyms: Vec<Vec<String>>,
    /// Whether the default groups (`search::analysis::DEFAULT_SYNONYMS`) apply.
    pub default_synonyms: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            synonyms: Vec::new(),
            default_synonyms: true,
        }
    }
}

/// `[insights]`: the trend pages.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct InsightsConfig {
    /// Bucket for time series: `week`, `month` or `quarter`.
    pub period: Period,
    /// How many periods the headline compares with the same number before them.
    pub compare_periods: usize,
}

impl Default for InsightsConfig {
    fn default() -> Self {
        InsightsConfig {
            period: Period::Month,
            compare_periods: 6,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    Week,
    Month,
    Quarter,
}

/// `[lint]`: the blameless-language checks.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LintConfig {
    /// Run the language checks at all.
    pub enabled: bool,
    /// Names of people, so that "Mike forgot to…" is recognised as naming a person.
    /// Authors, `participants` and names seen in person-like context are added.
    pub people: Vec<String>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            enabled: true,
            people: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    /// Shown in the header, the page titles and the home page.
    pub title: String,
    pub description: String,
    pub authors: Vec<String>,
    /// The `lang` of every page.
    pub language: String,
    /// Absolute URL the site is published at, for canonical links and feeds.
    /// Internal links are always relative, so the site also works from disk.
    pub base_url: String,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: "Post-mortems".to_owned(),
            description: String::new(),
            authors: Vec::new(),
            language: "en".to_owned(),
            base_url: String::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    /// Folder of post-mortems, relative to the book root.
    pub content_dir: PathBuf,
    /// Where the site is written, relative to the book root.
    pub build_dir: PathBuf,
    /// Folder whose templates and static files override the default theme's by name.
    pub theme: PathBuf,
    /// Glob patterns (relative to content-dir) of files that are not post-mortems.
    pub ignore: Vec<String>,
    /// Keep raw HTML as written. Only for books whose every author is trusted.
    pub trusted_html: bool,
    /// The date action items are judged overdue against. Default: the date of
    /// `SOURCE_DATE_EPOCH` if set (reproducible builds), else today.
    #[serde(deserialize_with = "date_or_string")]
    pub as_of: Option<chrono::NaiveDate>,
    /// The largest post-mortem or factor description read, in bytes: a larger file is
    /// reported (IB0007) and not read, so one file cannot exhaust a build's memory.
    pub max_file_size: u64,
}

/// [`BuildConfig::max_file_size`] by default: 4 MiB, a hundred times a long post-mortem.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 << 20;

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            content_dir: PathBuf::from("content"),
            build_dir: PathBuf::from("book"),
            theme: PathBuf::from("theme"),
            ignore: Vec::new(),
            trusted_html: false,
            as_of: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// `[validation]`: what `check` expects of a post-mortem.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ValidationConfig {
    /// `strict` (the default) or `adopt`: for an archive written before incidentbook,
    /// missing front matter is inferred where possible and every problem is a warning.
    pub profile: Profile,
    /// Front-matter fields every post-mortem must have.
    pub required_fields: Vec<String>,
    /// Allowed severities, most severe first.
    pub severities: Vec<SeverityLevel>,
    /// Allowed statuses; `final-status` names the one that must be complete.
    pub statuses: Vec<String>,
    pub final_status: String,
    /// The template's sections, in the order they must appear.
    pub sections: Vec<SectionRule>,
    /// Report sections out of the configured order.
    pub section_order: bool,
    /// Front-matter keys outside the schema that are expected (no warning).
    pub extra_fields: Vec<String>,
    /// Accept any unknown front-matter key without a warning.
    pub allow_unknown_fields: bool,
    /// Zone of timeline times without one: `UTC`, an offset such as `+02:00`, or a
    /// zone name such as `Europe/Berlin`.
    /// A post-mortem's `timezone` field overrides it.
    pub timezone: String,
    /// Minutes before `started` and after `resolved` within which undated timeline
    /// entries are still inside the window (status page updates, the triggering deploy).
    pub timeline_grace_minutes: u32,
    /// Factor categories of the catalogue.
    pub factor_categories: Vec<String>,
    /// Accept factor ids that have no file in `content/factors/`.
    pub allow_ad_hoc_factors: bool,
    /// A factor in this many incidents with no action item addressing it is reported.
    pub recurrence_threshold: usize,
    /// Level per diagnostic code: `allow`, `info`, `warn` or `deny`.
    pub levels: std::collections::BTreeMap<String, LevelSetting>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SeverityLevel {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionRule {
    pub name: String,
    #[serde(default = "yes")]
    pub required: bool,
    /// Other headings that stand for this section ("Lessons Learned").
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A date written as a TOML date (`2025-08-01`) or a string (`"2025-08-01"`).
fn date_or_string<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::NaiveDate>, D::Error> {
    let value = toml::Value::deserialize(d)?;
    let text = match &value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) => dt.to_string(),
        other => {
            return Err(serde::de::Error::custom(format!(
                "expected a date, found {}",
                other.type_str()
            )));
        }
    };
    chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD)")))
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// The template as written: problems are errors.
    Strict,
    /// Bring an existing archive in: infer what is missing, report problems as warnings.
    Adopt,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum LevelSetting {
    Allow,
    Info,
    Warn,
    Deny,
}

impl Default for ValidationConfig {
    fn default() -> Self {
        let severity = |name: &str, description: &str| SeverityLevel {
            name: name.to_owned(),
            description: description.to_owned(),
        };
        ValidationConfig {
            profile: Profile::Strict,
            required_fields: ["title", "date", "severity", "status", "services"]
                .map(String::from)
                .to_vec(),
            severities: vec![
                severity(
                    "SEV1",
                    "Critical: a core service is down or data is at risk for many customers.",
                ),
                severity(
                    "SEV2",
                    "Major: a core feature is degraded or unavailable for a significant share of customers.",
                ),
                severity(
                    "SEV3",
                    "Minor: a non-core feature is impaired, or a core one for few customers.",
                ),
                severity(
                    "SEV4",
                    "Low: little or no customer impact; worth learning from.",
                ),
            ],
            statuses: ["draft", "in-review", "final"].map(String::from).to_vec(),
            final_status: "final".to_owned(),
            sections: crate::model::DEFAULT_SECTIONS
                .iter()
                .map(|name| SectionRule {
                    name: (*name).to_owned(),
                    required: true,
                    aliases: Vec::new(),
                })
                .collect(),
            section_order: true,
            extra_fields: Vec::new(),
            allow_unknown_fields: false,
            timezone: "UTC".to_owned(),
            timeline_grace_minutes: 60,
            factor_categories: [
                "testing",
                "deployment",
                "monitoring",
                "capacity",
                "dependencies",
                "configuration",
                "process",
                "knowledge",
            ]
            .map(String::from)
            .to_vec(),
            allow_ad_hoc_factors: false,
            recurrence_threshold: 3,
            levels: Default::default(),
        }
    }
}

impl Config {
    /// [`Config::load`], with the command line's `--profile` (if given) in place of
    /// `[validation] profile`.
    pub fn load_with_profile(root: &Path, profile: Option<Profile>) -> Result<Config> {
        let mut config = Config::load(root)?;
        if let Some(profile) = profile {
            config.validation.profile = profile;
        }
        Ok(config)
    }

    /// Reads `book.toml` in `root`, then applies environment overrides.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NoConfig {
                    dir: root.to_path_buf(),
                });
            }
            Err(e) => return Err(Error::io("cannot read", path, e)),
        };
        let mut config = Self::from_str_with_env(&text, &path, std::env::vars())?;
        if let Some(roster) = &config.leaks.roster {
            let file = root.join(roster);
            let names = std::fs::read_to_string(&file).map_err(|e| Error::Config {
                path: path.clone(),
                line: text
                    .lines()
                    .position(|l| l.trim_start().starts_with("roster"))
                    .map_or(1, |i| i + 1),
                column: 1,
                message: format!("[leaks] roster `{}` cannot be read: {e}", roster.display()),
                help: "write a file of names, one a line, relative to book.toml".to_owned(),
            })?;
            config.leaks.roster_names = names
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect();
        }
        Ok(config)
    }

    /// Parses configuration text; `env` supplies the override variables (injected for tests).
    pub fn from_str_with_env(
        text: &str,
        path: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config> {
        // Parse strictly from text first so that every mistake in the file is reported
        // with its line and column.
        let config: Config = toml::from_str(text).map_err(|e| config_error(text, path, &e))?;
        config.validate(text, path)?;
        let overrides: Vec<(String, String)> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX) && k.contains("__"))
            .collect();
        if overrides.is_empty() {
            return Ok(config);
        }
        // `validate` keeps every number within TOML's, so this holds; an error all
        // the same names the variable rather than stopping the program.
        let mut table = toml::Table::try_from(&config).map_err(|e| Error::ConfigEnv {
            var: overrides[0].0.clone(),
            message: format!("book.toml cannot take overrides: {e}"),
            help: "check the numbers in book.toml".to_owned(),
        })?;
        let mut config = config;
        // Apply one variable at a time so an error names the variable that caused it.
        for (var, value) in &overrides {
            apply_override(&mut table, var, value)?;
            config = toml::Value::Table(table.clone())
                .try_into::<Config>()
                .map_err(|e| Error::ConfigEnv {
                    var: var.clone(),
                    message: e.message().to_owned(),
                    help: "the variable names a key of book.toml as INCIDENTBOOK_<TABLE>__<KEY>; check its spelling and value".to_owned(),
                })?;
        }
        Ok(config)
    }

    /// Checks what serde cannot: codes and zones that must exist.
    fn validate(&self, text: &str, path: &Path) -> Result<()> {
        let error = |needle: &str, message: String, help: &str| {
            let line = text
                .lines()
                .position(|l| l.contains(needle))
                .map_or(1, |i| i + 1);
            Error::Config {
                path: path.to_path_buf(),
                line,
                column: 1,
                message,
                help: help.to_owned(),
            }
        };
        // TOML's integers are 64-bit signed; a larger one written in hex reads into
        // an unsigned field, and could not be written back.
        for (key, value) in [
            ("compare-periods", self.insights.compare_periods as u64),
            ("max-file-size", self.build.max_file_size),
            (
                "recurrence-threshold",
                self.validation.recurrence_threshold as u64,
            ),
        ] {
            if i64::try_from(value).is_err() {
                return Err(error(
                    key,
                    format!("`{key}` is larger than a TOML number can be ({value})"),
                    "write a number of at most 9223372036854775807",
                ));
            }
        }
        for code in self.validation.levels.keys() {
            if crate::diagnostics::Code::parse(code).is_none() {
                return Err(error(
                    code,
                    format!("unknown diagnostic code `{code}` in [validation] levels"),
                    "run `incidentbook explain` to list every code",
                ));
            }
        }
        for (key, dir) in [
            ("content-dir", &self.build.content_dir),
            ("build-dir", &self.build.build_dir),
            ("theme", &self.build.theme),
            ("build-dir", &self.edition.public.build_dir),
        ] {
            // An archive kept at the top of its repository is its own content folder
            // (`content-dir = "."`): what the book writes there is left out of it
            // (`content_skips`). The site and the theme need folders of their own.
            let problem =
                outside_book(dir).filter(|p| !(key == "content-dir" && *p == IS_THE_ROOT));
            if let Some(problem) = problem {
                return Err(error(
                    key,
                    format!("[build] {key} `{}` {problem}", dir.display()),
                    "write a folder inside the book, relative to book.toml, such as `book`",
                ));
            }
        }
        let (build, theme) = (normal(&self.build.build_dir), normal(&self.build.theme));
        let public = normal(&self.edition.public.build_dir);
        if public.starts_with(&build) || build.starts_with(&public) {
            return Err(error(
                "[edition.public]",
                format!(
                    "[edition.public] build-dir `{}` and [build] build-dir `{}` overlap: one edition would replace the other",
                    self.edition.public.build_dir.display(),
                    self.build.build_dir.display()
                ),
                "give the public edition a folder of its own, such as `public`",
            ));
        }
        if public.starts_with(&theme) || theme.starts_with(&public) {
            return Err(error(
                "[edition.public]",
                "[edition.public] build-dir overlaps the theme: a build would replace the theme"
                    .to_owned(),
                "give the public edition a folder of its own, such as `public`",
            ));
        }
        if build.starts_with(&theme) || theme.starts_with(&build) {
            return Err(error(
                "build-dir",
                format!(
                    "[build] build-dir `{}` and theme `{}` overlap: a build would replace the theme",
                    self.build.build_dir.display(),
                    self.build.theme.display()
                ),
                "give the site a folder of its own, such as `book`",
            ));
        }
        for host in &self.leaks.internal_hosts {
            if let Some(problem) = host_pattern_problem(host) {
                return Err(error(
                    host,
                    format!("[leaks] internal-hosts: `{host}` {problem}"),
                    "write a host name (`build01.example.com`) or `*.` and a domain (`*.corp.example.com`)",
                ));
            }
        }
        for group in &self.search.synonyms {
            let needle = group.first().map_or("synonyms", String::as_str);
            if group.len() < 2 {
                return Err(error(
                    needle,
                    format!("[search] synonyms: the group {group:?} has fewer than two words"),
                    "write each group as two words or more that find each other, such as [\"k8s\", \"kubernetes\"]",
                ));
            }
            if let Some(word) = group
                .iter()
                .find(|w| w.is_empty() || !w.chars().all(char::is_alphanumeric))
            {
                return Err(error(
                    &format!("\"{word}\""),
                    format!("[search] synonyms: `{word}` is not one word of letters or digits"),
                    "a synonym is one word (`db`, `database`); a phrase such as `load balancer` cannot be one",
                ));
            }
        }
        if self.build.max_file_size == 0 {
            return Err(error(
                "max-file-size",
                "[build] max-file-size must be more than 0".to_owned(),
                "the default is 4194304 (4 MiB)",
            ));
        }
        if crate::model::Zone::parse(&self.validation.timezone).is_none() {
            return Err(error(
                "timezone",
                format!(
                    "[validation] timezone `{}` is not a time zone",
                    self.validation.timezone
                ),
                "write `UTC`, an offset such as `+02:00`, or a zone name such as `Europe/Berlin`",
            ));
        }
        Ok(())
    }

    /// The date "overdue" is judged against: `[build] as-of`, else `SOURCE_DATE_EPOCH`,
    /// else today. Fixing it makes builds reproducible across days.
    pub fn as_of(&self) -> chrono::NaiveDate {
        self.build
            .as_of
            .or_else(|| {
                let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
                    .ok()?
                    .trim()
                    .parse()
                    .ok()?;
                chrono::DateTime::from_timestamp(secs, 0).map(|t| t.date_naive())
            })
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    pub fn content_dir(&self, root: &Path) -> PathBuf {
        root.join(&self.build.content_dir)
    }

    /// What discovery leaves out of the content folder when the book's own folders are
    /// inside it (`content-dir = "."`): the site, the theme, the caches and book.toml.
    pub fn content_skips(&self, root: &Path) -> Vec<PathBuf> {
        let content = normal(&self.build.content_dir);
        [
            self.build.build_dir.clone(),
            self.edition.public.build_dir.clone(),
            self.build.theme.clone(),
            PathBuf::from(CACHE_DIR),
            PathBuf::from(CONFIG_FILE),
        ]
        .into_iter()
        .filter(|p| normal(p).starts_with(&content))
        .map(|p| root.join(p))
        .collect()
    }

    /// Where the edition being made is written.
    pub fn build_dir(&self, root: &Path) -> PathBuf {
        match self.active {
            Edition::Internal => root.join(&self.build.build_dir),
            Edition::Public => root.join(&self.edition.public.build_dir),
        }
    }

    /// This configuration for `edition`: the public one takes its title, description
    /// and base URL from `[edition.public]`, and its build folder ([`Config::build_dir`]).
    pub fn for_edition(mut self, edition: Edition) -> Config {
        self.active = edition;
        if edition == Edition::Public {
            let public = &self.edition.public;
            if let Some(title) = &public.title {
                self.book.title = title.clone();
            }
            if let Some(description) = &public.description {
                self.book.description = description.clone();
            }
            if let Some(url) = &public.base_url {
                self.book.base_url = url.clone();
            }
        }
        self
    }

    /// The cache folder of the edition being made: the internal edition's is
    /// `.incidentbook/`, the public one's a folder inside it, so that neither the
    /// search index nor the build cache of one edition ever serves the other.
    pub fn edition_cache_dir(&self, root: &Path) -> PathBuf {
        match self.active {
            Edition::Internal => cache_dir(root),
            Edition::Public => cache_dir(root).join("public"),
        }
    }

    /// Whether a post-mortem that says `visibility` (or nothing) is public.
    pub fn is_public(&self, visibility: Option<&str>) -> bool {
        visibility.map_or(Some(self.edition.default_visibility), Visibility::parse)
            == Some(Visibility::Public)
    }

    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join(&self.build.theme)
    }
}

/// Why a folder named in book.toml is not a folder inside the book, if it is not: it
/// must be relative, stay below the book root, and not start with `~` (which no shell
/// expands here). Symbolic links are judged when the folder is read.
fn outside_book(dir: &Path) -> Option<&'static str> {
    use std::path::Component;
    if dir.as_os_str().is_empty() {
        return Some("is empty");
    }
    if dir.to_string_lossy().starts_with('~') {
        return Some("starts with `~`, which is not expanded: it would be a folder named `~`");
    }
    let mut depth = 0usize;
    for c in dir.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return Some("is not inside the book"),
            Component::ParentDir if depth == 0 => return Some("is not inside the book"),
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
    }
    (depth == 0).then_some(IS_THE_ROOT)
}

const IS_THE_ROOT: &str = "is the book root itself";

/// A relative path without `.` and with its `..` applied (after [`outside_book`]).
fn normal(dir: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in dir.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(p) => out.push(p),
            _ => {}
        }
    }
    out
}

fn apply_override(table: &mut toml::Table, var: &str, value: &str) -> Result<()> {
    let path = &var[ENV_PREFIX.len()..];
    let parts: Vec<String> = path
        .split("__")
        .map(|p| p.to_ascii_lowercase().replace('_', "-"))
        .collect();
    if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
        return Err(Error::ConfigEnv {
            var: var.to_owned(),
            message: "expected exactly one `__` between a table and a key".to_owned(),
            help: "write INCIDENTBOOK_BUILD__BUILD_DIR for [build] build-dir".to_owned(),
        });
    }
    let parsed = format!("v = {value}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_owned()));
    let section = table
        .entry(parts[0].clone())
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    match section {
        toml::Value::Table(t) => {
            t.insert(parts[1].clone(), parsed);
            Ok(())
        }
        _ => Err(Error::ConfigEnv {
            var: var.to_owned(),
            message: format!("`{}` is not a table", parts[0]),
            help: "only keys inside a table such as [book] or [build] can be overridden".to_owned(),
        }),
    }
}

fn config_error(text: &str, path: &Path, e: &toml::de::Error) -> Error {
    let (line, column) = e
        .span()
        .map(|span| crate::diagnostics::line_col(text, span.start))
        .unwrap_or((1, 1));
    let message = e.message().trim().to_owned();
    let lines: Vec<&str> = text.lines().collect();
    if let Some(plain) = crate::diagnostics::syntax_help::toml(&message, &lines, line - 1) {
        return Error::Config {
            path: path.to_path_buf(),
            line,
            column,
            message: plain.message.replace("the front matter", "book.toml"),
            help: plain.help,
        };
    }
    let help = if message.contains("unknown field") {
        "remove the key or correct its spelling; `incidentbook init` writes a documented book.toml"
    } else {
        "see the book.toml reference in docs/book-toml.md"
    };
    Error::Config {
        path: path.to_path_buf(),
        line,
        column,
        message,
        help: help.to_owned(),
    }
}

/// Why `pattern` is not a host-name pattern of `[leaks] internal-hosts`, if it is not:
/// a name (`build01.example.com`) or `*.` and a domain (`*.corp.example.com`).
pub fn host_pattern_problem(pattern: &str) -> Option<&'static str> {
    let name = pattern.strip_prefix("*.").unwrap_or(pattern);
    if name.is_empty() {
        return Some("is empty");
    }
    if name.contains('*') {
        return Some("may only start with `*.`");
    }
    let ok = name
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    (!ok).then_some("is not a host name (letters, digits, `-` and dots)")
}

/// The book's cache folder (`.incidentbook/`): the search index and the build cache.
/// Never published, never watched.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR)
}

const CACHE_DIR: &str = ".incidentbook";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, env: &[(&str, &str)]) -> Result<Config> {
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::from_str_with_env(text, Path::new("book.toml"), env)
    }

    #[test]
    fn the_public_edition_takes_its_own_title_url_and_folder() {
        let text = "[book]\ntitle = \"Inside\"\nbase-url = \"https://in.example\"\n\n[edition.public]\ntitle = \"Outside\"\nbuild-dir = \"site\"\n";
        let config = parse(text, &[]).unwrap();
        let root = Path::new("/b");
        assert_eq!(config.build_dir(root), root.join("book"));
        assert!(!config.is_public(None) && config.is_public(Some("public")));
        assert!(
            !config.is_public(Some("Public")),
            "only as `check` allows it"
        );
        let public = config.for_edition(Edition::Public);
        assert_eq!(public.book.title, "Outside");
        assert_eq!(public.book.base_url, "https://in.example");
        assert_eq!(public.build_dir(root), root.join("site"));
        assert_eq!(
            public.edition_cache_dir(root),
            root.join(".incidentbook/public")
        );
    }

    #[test]
    fn editions_need_folders_of_their_own_and_hosts_must_be_patterns() {
        for text in [
            "[edition.public]\nbuild-dir = \"book\"\n",
            "[edition.public]\nbuild-dir = \"book/public\"\n",
            "[edition.public]\nbuild-dir = \"../elsewhere\"\n",
            "[leaks]\ninternal-hosts = [\"corp.*.example.com\"]\n",
            "[leaks]\ninternal-hosts = [\"bad host\"]\n",
        ] {
            assert!(parse(text, &[]).is_err(), "{text}");
        }
        let text = "[edition]\ndefault-visibility = \"public\"\n[leaks]\ninternal-hosts = [\"*.corp.example.com\"]\n";
        assert!(parse(text, &[]).unwrap().is_public(None));
    }

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let c = parse("", &[]).unwrap();
        assert_eq!(c.build.build_dir, PathBuf::from("book"));
        assert_eq!(c.build.content_dir, PathBuf::from("content"));
        assert_eq!(c.book.language, "en");
    }

    #[test]
    fn synonyms_are_groups_of_single_words_at_their_line() {
        let c = parse("[search]\nsynonyms = [[\"pager\", \"oncall\"]]\n", &[]).unwrap();
        assert_eq!(c.search.synonyms, vec![vec!["pager", "oncall"]]);
        assert!(c.search.default_synonyms);
        for (text, line) in [
            (
                "[search]\nsynonyms = [\n  [\"lb\", \"load balancer\"],\n]\n",
                3,
            ),
            ("[search]\n\nsynonyms = [[\"alone\"]]\n", 3),
        ] {
            match parse(text, &[]).unwrap_err() {
                Error::Config {
                    line: at, message, ..
                } => {
                    assert_eq!(at, line, "{message}");
                    assert!(message.contains("[search] synonyms"), "{message}");
                }
                other => panic!("{other}"),
            }
        }
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse("[book]\ntitle = \"x\"\ntitel = \"y\"\n", &[]).unwrap_err();
        match err {
            Error::Config { line, message, .. } => {
                assert_eq!(line, 3);
                assert!(message.contains("titel"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn environment_overrides_keys() {
        let c = parse(
            "[build]\nbuild-dir = \"out\"\n",
            &[
                ("INCIDENTBOOK_BUILD__BUILD_DIR", "public"),
                ("INCIDENTBOOK_BUILD__TRUSTED_HTML", "true"),
                ("INCIDENTBOOK_BOOK__TITLE", "Ops reviews"),
            ],
        )
        .unwrap();
        assert_eq!(c.build.build_dir, PathBuf::from("public"));
        assert!(c.build.trusted_html);
        assert_eq!(c.book.title, "Ops reviews");
    }

    #[test]
    fn validation_levels_and_sections_are_read() {
        let c = parse(
            "[validation]\nstatuses = [\"draft\", \"done\"]\n[validation.levels]\nIB0202 = \"allow\"\n\n[[validation.sections]]\nname = \"Timeline\"\n[[validation.sections]]\nname = \"Lessons\"\nrequired = false\naliases = [\"Lessons Learned\"]\n",
            &[],
        )
        .unwrap();
        assert_eq!(c.validation.levels["IB0202"], LevelSetting::Allow);
        assert_eq!(c.validation.sections.len(), 2);
        assert!(!c.validation.sections[1].required);
        assert_eq!(c.validation.severities.len(), 4, "defaults kept");
    }

    #[test]
    fn unknown_code_in_levels_is_an_error_at_its_line() {
        let err = parse("[validation.levels]\nIB9999 = \"allow\"\n", &[]).unwrap_err();
        assert!(matches!(err, Error::Config { line: 2, .. }), "{err}");
    }

    #[test]
    fn as_of_accepts_dates_and_strings() {
        let c = parse("[build]\nas-of = 2025-08-01\n", &[]).unwrap();
        assert_eq!(c.build.as_of, chrono::NaiveDate::from_ymd_opt(2025, 8, 1));
        let c = parse("", &[("INCIDENTBOOK_BUILD__AS_OF", "2025-08-02")]).unwrap();
        assert_eq!(c.build.as_of, chrono::NaiveDate::from_ymd_opt(2025, 8, 2));
        assert!(parse("[build]\nas-of = \"soon\"\n", &[]).is_err());
    }

    #[test]
    fn bad_environment_override_names_the_variable() {
        let err = parse("", &[("INCIDENTBOOK_BUILD__NOPE", "1")]).unwrap_err();
        assert!(
            err.to_string().contains("INCIDENTBOOK_BUILD__NOPE"),
            "{err}"
        );
    }

    #[test]
    fn numbers_beyond_toml_are_an_error_with_their_line() {
        // Found by the fuzz harness: with an override, writing the configuration back
        // as TOML panicked.
        let text = "[insights]\ncompare-periods = 0xFFFFFFFFFFFFFFFF\n";
        for env in [&[][..], &[("INCIDENTBOOK_LINT__PEOPLE", "[]")][..]] {
            match parse(text, env).unwrap_err() {
                Error::Config { line, message, .. } => {
                    assert_eq!(line, 2);
                    assert!(message.contains("compare-periods"), "{message}");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}
