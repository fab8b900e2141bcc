//! A fuzz harness for the parsers, on the stable toolchain (no cargo-fuzz, no
//! sanitizers): generated and mutated inputs through the library's entry points, each
//! run under `catch_unwind`, to find inputs that panic, abort, overflow the stack, or
//! take unbounded time or memory. Not part of the test run. docs/fuzzing.md says more.
//!
//!   cargo run --profile fuzz --example fuzz -- --minutes 60
//!   cargo run --profile fuzz --example fuzz -- --target markdown --seed 7 --minutes 5
//!   cargo run --profile fuzz --example fuzz -- --replay target/fuzz-findings/crash-XXXX.input
//!   cargo run --profile fuzz --example fuzz -- --minimize target/fuzz-findings/crash-XXXX.input
//!
//! Options: `--minutes N` (10), `--seed S` (from the clock), `--out DIR`
//! (`target/fuzz-findings`), `--target all|front-matter|markdown|config|timeline` (`all`),
//! `--stack-kb K` (2048: the stack of the rayon workers that parse a book),
//! `--max-memory-mb M` (2048), `--hang-secs H` (60), `--no-supervise`.
//!
//! By default the process supervises a child that fuzzes: a crash that kills the child
//! (a stack overflow, an abort, memory exhausted) is saved from `OUT/current.input` as
//! `abort-<hash>.input`, and a new child goes on with the next seed until the time is
//! up. Inputs are run one at a time in the child, on a thread with `--stack-kb` of
//! stack; a panic is caught and saved as `crash-<hash>.input`, with its message and
//! backtrace in `crash-<hash>.txt`; an input that takes more than 2 s is saved as
//! `slow-<hash>.input`, one that runs `--hang-secs` as `hang-<hash>.input` (the child
//! then exits), and one during which the child's memory passes `--max-memory-mb` as
//! `oom-<hash>.input`.

use std::backtrace::Backtrace;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use incidentbook::config::Config;
use incidentbook::diagnostics::{self, Diagnostic};
use incidentbook::model::{self, Zone};
use incidentbook::parse::{self, ParseOptions, Purpose, markdown, sections, stats, timeline};
use incidentbook::source::read::decode;

/// The largest input generated (bytes).
const MAX_INPUT: usize = 64 * 1024;
/// An input that takes longer than this is saved as slow.
const SLOW: Duration = Duration::from_secs(2);
/// How often the progress line is printed.
const STATUS_EVERY: Duration = Duration::from_secs(30);
/// Inputs saved per distinct panic site (file:line:column); the rest are only counted.
const SAVED_PER_SITE: usize = 10;
/// Exit codes of a child that stopped on purpose (the input is saved already).
const EXIT_HANG: i32 = 3;
const EXIT_MEMORY: i32 = 4;

// ---------------------------------------------------------------------------------
// Arguments

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    FrontMatter,
    Markdown,
    Config,
    Timeline,
}

impl Target {
    const ALL: [Target; 4] = [
        Target::FrontMatter,
        Target::Markdown,
        Target::Config,
        Target::Timeline,
    ];

    fn name(self) -> &'static str {
        match self {
            Target::FrontMatter => "front-matter",
            Target::Markdown => "markdown",
            Target::Config => "config",
            Target::Timeline => "timeline",
        }
    }

    fn parse(text: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == text.trim())
    }

    fn index(self) -> usize {
        Target::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
struct Args {
    minutes: f64,
    seed: u64,
    out: PathBuf,
    /// `None`: all targets in turn.
    target: Option<Target>,
    stack_kb: usize,
    max_memory_mb: u64,
    hang_secs: u64,
    supervise: bool,
    child: bool,
    replay: Option<PathBuf>,
    minimize: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        minutes: 10.0,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        out: PathBuf::from("target/fuzz-findings"),
        target: None,
        stack_kb: 2048,
        max_memory_mb: 2048,
        hang_secs: 60,
        supervise: true,
        child: false,
        replay: None,
        minimize: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        fn number<T: std::str::FromStr>(name: &str, v: String) -> Result<T, String>
        where
            T::Err: std::fmt::Display,
        {
            v.parse().map_err(|e| format!("{name}: {e}"))
        }
        match arg.as_str() {
            "--minutes" => args.minutes = number("--minutes", value("--minutes")?)?,
            "--seed" => args.seed = number("--seed", value("--seed")?)?,
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--target" => {
                let t = value("--target")?;
                args.target = if t == "all" {
                    None
                } else {
                    Some(Target::parse(&t).ok_or(format!("unknown target `{t}`"))?)
                };
            }
            "--stack-kb" => args.stack_kb = number("--stack-kb", value("--stack-kb")?)?,
            "--max-memory-mb" => {
                args.max_memory_mb = number("--max-memory-mb", value("--max-memory-mb")?)?
            }
            "--hang-secs" => args.hang_secs = number("--hang-secs", value("--hang-secs")?)?,
            "--no-supervise" => args.supervise = false,
            "--child" => args.child = true,
            "--replay" => args.replay = Some(PathBuf::from(value("--replay")?)),
            "--minimize" => args.minimize = Some(PathBuf::from(value("--minimize")?)),
            "-h" | "--help" => {
                return Err("usage: fuzz [--minutes N] [--seed S] [--out DIR] \
                     [--target all|front-matter|markdown|config|timeline] [--stack-kb K] \
                     [--max-memory-mb M] [--hang-secs H] [--no-supervise] \
                     | --replay FILE [--target T] | --minimize FILE [--target T]"
                    .to_owned());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(file) = &args.replay {
        return replay(&args, file);
    }
    if let Some(file) = &args.minimize {
        return minimize(&args, file);
    }
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("cannot create {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    if args.supervise && !args.child {
        supervise(&args)
    } else {
        fuzz(&args)
    }
}

// ---------------------------------------------------------------------------------
// A small PRNG (xorshift64*), seeded through splitmix64.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0..n (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// lo..=hi
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A count biased to small values.
    fn small(&mut self) -> usize {
        match self.below(8) {
            0..=3 => self.below(4),
            4..=5 => self.below(12),
            6 => self.below(64),
            _ => self.below(400),
        }
    }

    /// A nesting depth, from shallow to far beyond any sane document.
    fn depth(&mut self) -> usize {
        self.pick(&[
            2, 3, 8, 31, 32, 33, 64, 65, 100, 128, 257, 500, 1000, 3000, 10_000, 30_000,
        ])
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn hash_hex(bytes: &[u8]) -> String {
    format!("{:016x}", fnv(bytes))
}

// ---------------------------------------------------------------------------------
// Running one input through the library. Deterministic: a replay does the same.

/// Where `render_human` reads the sources of diagnostics back (symbolic links to
/// `OUT/current.input`, so the bytes on "disk" are the input's own).
struct RenderRoot {
    root: PathBuf,
}

const SOURCE: &str = "content/2024/x.md";
const CONTENT_PATH: &str = "2024/x.md";
const FACTOR_SOURCE: &str = "content/factors/x.md";

impl RenderRoot {
    fn new(out: &Path, input: &Path) -> Option<RenderRoot> {
        let root = out.join("render-root");
        let input = std::fs::canonicalize(input).ok()?;
        for file in [SOURCE, FACTOR_SOURCE] {
            let link = root.join(file);
            std::fs::create_dir_all(link.parent()?).ok()?;
            let _ = std::fs::remove_file(&link);
            #[cfg(unix)]
            std::os::unix::fs::symlink(&input, &link).ok()?;
            #[cfg(not(unix))]
            return None;
        }
        Some(RenderRoot { root })
    }
}

/// The option sets a document is parsed with.
fn option_sets() -> Vec<(ParseOptions, &'static str)> {
    let base = ParseOptions::default();
    vec![
        (base.clone(), CONTENT_PATH),
        (
            // The adopt profile, with the lint run during the parse.
            ParseOptions {
                infer_missing: true,
                trusted_html: true,
                purpose: Purpose::Search,
                lint: Some(vec!["Alice".to_owned(), "bob".to_owned(), String::new()]),
                ..base.clone()
            },
            "2024/jan-2019-dns-outage.md",
        ),
        (
            ParseOptions {
                infer_missing: true,
                purpose: Purpose::Check,
                ..base
            },
            "2019/2024-02-29-orders.md",
        ),
    ]
}

struct Runner {
    options: Vec<(ParseOptions, &'static str)>,
    render: Option<RenderRoot>,
}

impl Runner {
    fn new(render: Option<RenderRoot>) -> Runner {
        Runner {
            options: option_sets(),
            render,
        }
    }

    /// Runs `bytes` as an input of `target`; returns a number that depends on
    /// everything computed (so nothing is optimised away).
    fn run(&self, target: Target, bytes: &[u8]) -> usize {
        let mut n = 0;
        let text = match decode(bytes.to_vec(), Path::new(SOURCE)) {
            Ok(text) => text,
            Err(d) => {
                n += self.report(std::slice::from_ref(&d));
                // Invalid UTF-8 is refused by the reader; the rest of the input is still
                // worth parsing.
                String::from_utf8_lossy(bytes).into_owned()
            }
        };
        match target {
            Target::Config => n += self.config(&text),
            Target::FrontMatter | Target::Markdown | Target::Timeline => {
                n += self.document(&text);
                n += lines(&text);
            }
        }
        n
    }

    fn report(&self, diagnostics: &[Diagnostic]) -> usize {
        if diagnostics.is_empty() {
            return 0;
        }
        let mut d = diagnostics.to_vec();
        diagnostics::sort(&mut d);
        let mut n = diagnostics::render_json(&d).len() + diagnostics::render_github(&d).len();
        if let Some(r) = &self.render {
            n += diagnostics::render_human(&d, &r.root, false).len();
        }
        n
    }

    fn document(&self, text: &str) -> usize {
        let mut n = 0;
        for (options, content_path) in &self.options {
            let (incident, diags) =
                parse::parse_incident(text, Path::new(SOURCE), Path::new(content_path), options);
            n += diags.len();
            if options.lint.is_none() {
                n += self.report(&diags);
            }
            let Some(incident) = incident else {
                continue;
            };
            n += incident.body.sections.len() + incident.title.len();
            if options.lint.is_none() {
                let d = incidentbook::check::language::check(&incident, &[]);
                n += self.report(&d);
                let people = ["Mike".to_owned(), "the intern".to_owned(), "É".to_owned()];
                n += incidentbook::check::language::check(&incident, &people).len();
            }
            for zone in ["UTC", "Pacific/Kiritimati", "-12:00", "America/St_Johns"] {
                if let Some(zone) = Zone::parse(zone) {
                    n += timeline::place(&incident, zone).iter().flatten().count();
                }
            }
            for entry in &incident.body.timeline {
                if let Some(t) = entry.time.as_deref().and_then(timeline::parse_written_time) {
                    n += t.date.and_then(|d| d.resolve(Some(2024))).is_some() as usize;
                }
            }
        }
        let (factor, diags) = parse::parse_factor(
            text,
            Path::new(FACTOR_SOURCE),
            Path::new("factors/x.md"),
            &self.options[0].0,
        );
        n += diags.len() + factor.map_or(0, |f| f.description_html.len());
        n
    }

    fn config(&self, text: &str) -> usize {
        let mut n = 0;
        let parsed = Config::from_str_with_env(text, Path::new("book.toml"), std::iter::empty());
        n += self.after_config(parsed);
        let env = env_of(text);
        if !env.is_empty() {
            let parsed = Config::from_str_with_env(text, Path::new("book.toml"), env);
            n += self.after_config(parsed);
        }
        n
    }

    fn after_config(&self, parsed: incidentbook::Result<Config>) -> usize {
        match parsed {
            Err(e) => e.to_string().len(),
            Ok(config) => {
                let options = ParseOptions::from_config(&config, Purpose::Build);
                let mut n = 0;
                for rule in &config.validation.sections {
                    for name in std::iter::once(&rule.name).chain(&rule.aliases) {
                        n += options.sections.resolve(name).map_or(0, str::len);
                        n += options.sections.nearest(name).map_or(0, str::len);
                    }
                }
                let (incident, diags) = parse::parse_incident(
                    SAMPLE_DOC,
                    Path::new(SOURCE),
                    Path::new(CONTENT_PATH),
                    &options,
                );
                n += diags.len();
                if let Some(incident) = incident {
                    n += incident.body.sections.len();
                    if let Some(zone) = Zone::parse(&config.validation.timezone) {
                        n += timeline::place(&incident, zone).len();
                    }
                }
                n
            }
        }
    }
}

/// The document a configuration's parse options are tried on.
const SAMPLE_DOC: &str = "---\ntitle: Orders database locked\ndate: 2024-03-12\n\
severity: SEV2\nstatus: final\nservices: [orders]\n---\n\n# Orders database locked\n\n\
## Summary\n\nThe engineer failed to check.\n\n## Impact\n\nSlow.\n\n## Timeline\n\n\
- 14:05 Alert fired\n- 14:20 UTC — paged\n- Jan 14, 10:18 AM | wrote\n\n\
## Root cause\n\nA lock.\n\n## Contributing factors\n\n- untested\n\n\
## Action items\n\n- [ ] fix\n\n## Lessons learned\n\nMore.\n\n## Timline\n\nnear\n";

/// Environment overrides written in a configuration as comments:
/// `# env INCIDENTBOOK_BUILD__BUILD_DIR=public` (`\n` in the value is a newline).
fn env_of(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("# env "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("\\n", "\n")))
        .take(64)
        .collect()
}

/// The line-level parsers, on every line of `text`.
fn lines(text: &str) -> usize {
    let mut n = 0;
    for line in text.lines().take(4000) {
        if let Some((time, rest)) = timeline::split_time(line) {
            n += time.len() + rest.len();
            n += timeline::parse_written_time(&time).is_some() as usize;
        }
        if let Some(t) = timeline::parse_written_time(line)
            && let Some(d) = t.date
        {
            for year in [None, Some(2024), Some(i32::MAX), Some(i32::MIN)] {
                n += d.resolve(year).is_some() as usize;
            }
        }
        n += stats::parse_duration(line).map_or(0, |m| m as usize);
        n += sections::normalize(line).len();
        n += parse::infer_date(line).is_some() as usize;
        n += Zone::parse(line).is_some() as usize;
        n += model::parse_zone(line).is_some() as usize;
        n += markdown::safe_url(line).map_or(0, |u| u.len());
    }
    n
}

// ---------------------------------------------------------------------------------
// Panics: the hook records the last one of this thread, quietly.

struct PanicReport {
    site: String,
    message: String,
    backtrace: Backtrace,
}

thread_local! {
    static LAST_PANIC: RefCell<Option<PanicReport>> = const { RefCell::new(None) };
}

fn install_quiet_hook() {
    panic::set_hook(Box::new(|info| {
        let site = info.location().map_or_else(
            || "unknown".to_owned(),
            |l| format!("{}:{}:{}", l.file(), l.line(), l.column()),
        );
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(a panic without a message)".to_owned());
        let backtrace = Backtrace::force_capture();
        LAST_PANIC.with(|p| {
            *p.borrow_mut() = Some(PanicReport {
                site,
                message,
                backtrace,
            })
        });
    }));
}

fn take_panic() -> Option<PanicReport> {
    LAST_PANIC.with(|p| p.borrow_mut().take())
}

// ---------------------------------------------------------------------------------
// Seeds

struct Seeds {
    docs: Vec<Vec<u8>>,
    configs: Vec<Vec<u8>>,
    /// Lines of the documents that hold a digit and a `:` (timeline entries, mostly).
    lines: Vec<String>,
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn load_seeds() -> Seeds {
    let mut files = Vec::new();
    collect_files(Path::new("content"), &mut files);
    collect_files(Path::new("tests/fixtures"), &mut files);
    let mut seeds = Seeds {
        docs: Vec::new(),
        configs: Vec::new(),
        lines: Vec::new(),
    };
    for f in files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
        let is_md = f.extension().is_some_and(|e| e == "md");
        let is_config = name.as_deref() == Some("book.toml")
            || (f.extension().is_some_and(|e| e == "toml")
                && f.to_string_lossy().contains("fuzz-crashes"));
        if !is_md && !is_config {
            continue;
        }
        let Ok(mut bytes) = std::fs::read(&f) else {
            continue;
        };
        bytes.truncate(MAX_INPUT);
        if is_md {
            for line in String::from_utf8_lossy(&bytes).lines() {
                if line.len() < 200
                    && line.contains(':')
                    && line.bytes().any(|b| b.is_ascii_digit())
                    && seeds.lines.len() < 5000
                {
                    seeds.lines.push(line.to_owned());
                }
            }
            seeds.docs.push(bytes);
        } else {
            seeds.configs.push(bytes);
        }
    }
    if seeds.docs.is_empty() {
        seeds.docs.push(SAMPLE_DOC.as_bytes().to_vec());
    }
    if seeds.configs.is_empty() {
        seeds.configs.push(b"[book]\ntitle = \"x\"\n".to_vec());
    }
    if seeds.lines.is_empty() {
        seeds.lines.push("- 14:05 Alert fired".to_owned());
    }
    seeds
}

// ---------------------------------------------------------------------------------
// Dictionaries

/// The schema's keys, and keys of the adopt profile's archives and of factor files.
static KNOWN_KEYS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut keys: Vec<&'static str> = incidentbook::model::Meta::keys()
        .iter()
        .map(String::as_str)
        .collect();
    keys.extend(["timezone", "category", "aliases", "runbook_url"]);
    keys
});

const ODD_DATES: &[&str] = &[
    "0000-00-00",
    "9999-12-31",
    "2024-02-30",
    "2024-02-29",
    "1900-02-29",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "2024-1-1",
    "24-03-12",
    "+262143-12-31",
    "-262144-01-01",
    "+999999-01-01",
    "-0001-12-31",
    "0001-01-01",
    "2024-03-12",
    "2024-03-12T14:05:00Z",
    "2024-03-12 14:05:00",
    "2024-03-12T24:00:00Z",
    "2016-12-31T23:59:60Z",
    "9999-12-31T23:59:59-23:59",
    "0000-01-01T00:00:00+23:59",
    "2024-03-12T14:05:00.123456789123+14:00",
    "1979-05-27T07:32:00-08:00",
    "2024-W11-2",
    "2024-072",
    "20240312",
    "~",
    "null",
    ".nan",
    ".inf",
    "-.Inf",
    "",
    "2024-03-12\u{0}",
    "２０２４-０３-１２",
    "2024\u{2010}03\u{2010}12",
];

const ODD_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1e400",
    "-1e400",
    "1e-400",
    "99999999999999999999999999999999999999",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "0x7FFFFFFFFFFFFFFF",
    "0xFFFFFFFFFFFFFFFFF",
    "0o777",
    "0b1010",
    "1_000_000",
    ".5",
    "+.5e+3",
    "1.",
    "6.02e23",
    ".NaN",
    ".nan",
    ".inf",
    "-.inf",
    "+.INF",
    "0.0000000000000000000000000000000000000000000000001",
    "1.7976931348623157e309",
    "4.9e-325",
];

const YAML_SCALARS: &[&str] = &[
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "false",
    "True",
    "yes",
    "no",
    "on",
    "Off",
    "y",
    "''",
    "\"\"",
    "\"\\u0000\"",
    "\"\\x80\\xff\"",
    "\"\\U0010FFFF\"",
    "\"\\uD800\"",
    "\"\\uDFFF\\uD800\"",
    "\"\\U00110000\"",
    "\"\\q\"",
    "\"tab\\there\"",
    "'it''s'",
    "'unterminated",
    "\"unterminated",
    "@reserved",
    "`backtick",
    "%percent",
    "a: b: c",
    "- dash",
    "[unclosed",
    "{unclosed",
    "]",
    "}",
    "*undefined",
    "&only_anchor",
    "!!binary aGVsbG8gd29ybGQ=",
    "!!binary \"!!!not base64\"",
    "!!binary",
    "!!int abc",
    "!!int 0x10",
    "!!float xyz",
    "!!float 1e400",
    "!!bool maybe",
    "!!null x",
    "!!str 12",
    "!!timestamp 2024-02-30",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1]",
    "!custom value",
    "!<tag:yaml.org,2002:str> x",
    "!<!> x",
    "!e!tag x",
    "! x",
    "!!map {}",
    "!!seq []",
    "!!seq x",
    "!!map x",
    "? complex",
    "<<",
    "#comment",
    "x #comment",
    "x#nocomment",
    "'multi\n  line'",
    "\"multi\\\n  line\"",
    "Orders database locked",
    "SEV1",
    "final",
    "Europe/Berlin",
    "+14:00",
    "Mars/Olympus",
    "UTC+99:99",
    "https://example.com/x?y=1#z",
    "javascript:alert(1)",
    "untested-migrations",
    "AI-2024-012",
];

const UNICODE_BITS: &[&str] = &[
    "é",
    "e\u{301}",
    "ß",
    "ẞ",
    "İ",
    "ı",
    "ﬁ",
    "Σς",
    "Ǆǅǆ",
    "\u{200d}",
    "\u{200b}",
    "👩\u{200d}👩\u{200d}👧",
    "🏳\u{fe0f}\u{200d}🌈",
    "\u{feff}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{202e}",
    "\u{0}",
    "\u{7f}",
    "\u{1b}[31m",
    "\u{b}",
    "\u{c}",
    "\r",
    "\t",
    "𝔘𝔫𝔦",
    "\u{10ffff}",
    "\u{fffd}",
    "한국어",
    "日本語",
    "עברית",
    "العربية",
    "ＡＢＣ",
    "①",
    "٣٤",
    "¹²",
    "Ⅻ",
    "’",
    "“quoted”",
    "«",
    "…",
    "—",
    "–",
    "\u{300}\u{301}\u{302}\u{303}\u{304}",
];

const TOKENS: &[&str] = &[
    "---\n",
    "+++\n",
    "...\n",
    "\r\n",
    "\n\n",
    "\n",
    "\r",
    "> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "1) ",
    "99999999999. ",
    "# ",
    "###### ",
    "####### ",
    "## Timeline\n",
    "## Summary\n",
    "## Action items\n",
    "```",
    "~~~",
    "    ",
    "\t",
    "[[",
    "]]",
    "[[x]]",
    "[[x|y]]",
    "[^1]",
    "[^1]: ",
    "|",
    "|---|",
    "| --- | :-: |",
    "{#",
    "}",
    "{#id .c key=val}",
    "<!--",
    "-->",
    "<div>",
    "</div>",
    "<details>",
    "<script>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&#99999999999;",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "\\",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "](../2023/y.md#frag)",
    "![",
    "](",
    "<http://x>",
    "&a ",
    "*a",
    "!!binary ",
    "? ",
    ": ",
    "<<: ",
    "&a [x, x, x, x]",
    "[*a, *a, *a, *a]",
    "TODO",
    "TBD",
    "14:05 ",
    "2024-02-30 ",
    "2024-03-12T14:05:00Z ",
    "Jan 14, ",
    "PM ",
    "UTC ",
    "+14:00 ",
    "<!--ib-tl:0-->",
    "<!--ib-tlm:0-->",
    "<!--ib-tle:0-->",
    "ib-ref:",
    "ib-title:",
    "<!-- incidentbook-disable-next-line IB0001 -->",
    "<!-- incidentbook-disable -->",
    "Time to detection: 5 minutes\n",
    "the engineer failed to ",
    "Mike's fault",
    "should have known",
    "\u{feff}",
    "\u{2028}",
    "İ",
    "’",
    "“",
    "\"",
    "'",
    "=",
    "[a]: ../x.md",
    "\u{0}",
];

const INVALID_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xc0\x80",
    b"\xc3",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\xef\xbb\xbf",
    b"\x00",
];

const SECTION_NAMES: &[&str] = &[
    "Summary",
    "Impact",
    "Timeline",
    "Root cause",
    "Root Causes",
    "Contributing factors",
    "Action items",
    "Lessons learned",
    "Timline",
    "TIMELINE",
    "Time line",
    "Timeline of events",
    "Background",
    "What went well",
    "Résumé",
    "",
];

const ZONES: &[&str] = &[
    "UTC",
    "GMT",
    "Z",
    "z",
    "+14:00",
    "-12:00",
    "+00:00",
    "-00:00",
    "+05:45",
    "-0330",
    "+99:99",
    "+14:59",
    "+15:00",
    "-1",
    "UTC+5:30",
    "UTC-05:30",
    "GMT+1",
    "PST",
    "CEST",
    "Europe/Berlin",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Pacific/Apia",
    "Asia/Kathmandu",
    "Mars/Olympus",
    "Etc/GMT+12",
    "Etc/GMT-14",
    "",
];

// ---------------------------------------------------------------------------------
// Structured generators

fn unicode_word(r: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..r.between(1, 3) {
        if r.chance(30) {
            s.push_str(r.pick(UNICODE_BITS));
        } else {
            s.push_str(r.pick(&[
                "orders", "lock", "db", "deploy", "x", "Mike", "alice", "@bob", "API", "v2",
                "failed", "he", "she", "the", "engineer", "on-call", "TODO", "TBD", "a_b", "c-d",
                "e.f", "1", "42", "2024", "PM", "AM",
            ]));
        }
    }
    s
}

fn words(r: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&unicode_word(r));
    }
    s
}

// YAML --------------------------------------------------------------------------

struct Yaml<'r> {
    r: &'r mut Rng,
    anchors: Vec<String>,
}

impl Yaml<'_> {
    fn props(&mut self) -> String {
        let mut s = String::new();
        if self.r.chance(10) {
            let name = if self.r.chance(80) {
                format!("a{}", self.anchors.len())
            } else {
                self.r
                    .pick(&[
                        "x",
                        "é",
                        "a b",
                        "[",
                        "*",
                        "&",
                        "very-long-anchor-name-0123456789",
                    ])
                    .to_owned()
            };
            let _ = write!(s, " &{name}");
            self.anchors.push(name);
        }
        if self.r.chance(8) {
            let _ = write!(
                s,
                " {}",
                self.r.pick(&[
                    "!!str",
                    "!!int",
                    "!!float",
                    "!!bool",
                    "!!null",
                    "!!binary",
                    "!!timestamp",
                    "!!map",
                    "!!seq",
                    "!!set",
                    "!!omap",
                    "!custom",
                    "!<tag:x>",
                    "!",
                    "!e!x",
                ])
            );
        }
        s
    }

    fn alias(&mut self) -> String {
        if !self.anchors.is_empty() && self.r.chance(90) {
            let i = self.r.below(self.anchors.len());
            format!("*{}", self.anchors[i])
        } else {
            "*nowhere".to_owned()
        }
    }

    fn scalar(&mut self, indent: usize) -> String {
        match self.r.below(10) {
            0 => self.r.pick(ODD_DATES).to_owned(),
            1 => self.r.pick(ODD_NUMBERS).to_owned(),
            2 => {
                // A block scalar.
                let header = self
                    .r
                    .pick(&["|", ">", "|-", ">+", "|2", ">1-", "|9", "|+", "|0", "| #c"]);
                let mut s = header.to_owned();
                let pad = " ".repeat(indent + self.r.below(3));
                for _ in 0..self.r.between(1, 4) {
                    s.push('\n');
                    if self.r.chance(20) {
                        continue;
                    }
                    let _ = write!(s, "{pad}{}", words(self.r, 3));
                }
                s
            }
            3 => format!("\"{}\"", words(self.r, 2).replace('"', "\\\"")),
            4 => unicode_word(self.r),
            5 => {
                let t = self
                    .r
                    .pick(&["14:05", "2024-03-12 14:05 UTC", "Jan 14, 10:18 AM"]);
                format!("\"{t}\"")
            }
            _ => self.r.pick(YAML_SCALARS).to_owned(),
        }
    }

    fn flow(&mut self, depth: usize) -> String {
        if depth > 6 || self.r.chance(30) {
            return match self.r.below(4) {
                0 => self.alias(),
                1 => self.r.pick(ODD_NUMBERS).to_owned(),
                2 => self.r.pick(ODD_DATES).to_owned(),
                _ => unicode_word(self.r).replace([',', '[', ']', '{', '}'], ""),
            };
        }
        let n = self.r.small().min(20);
        let mut items = Vec::new();
        let map = self.r.chance(40);
        for _ in 0..n {
            let v = self.flow(depth + 1);
            let props = self.props();
            let v = format!("{}{v}", props.trim_start());
            if map {
                let k = if self.r.chance(10) {
                    format!("? {}", self.flow(depth + 1))
                } else {
                    self.r.pick(&KNOWN_KEYS[..]).to_owned()
                };
                items.push(format!("{k}: {v}"));
            } else if self.r.chance(5) {
                items.push(format!("{}: {v}", self.r.pick(&KNOWN_KEYS[..])));
            } else {
                items.push(v);
            }
        }
        let sep = self.r.pick(&[", ", ",", " , ", ",\n  ", ",,"]);
        let mut s = items.join(sep);
        if self.r.chance(5) {
            s.push(',');
        }
        let (open, close) = if map { ("{", "}") } else { ("[", "]") };
        if self.r.chance(3) {
            format!("{open}{s}")
        } else {
            format!("{open}{s}{close}")
        }
    }

    /// A value after `key:` or `-`: inline (` value`) or a block on the next lines.
    fn value(&mut self, indent: usize, depth: usize) -> String {
        let kind = if depth > 8 {
            self.r.below(5)
        } else {
            self.r.below(9)
        };
        match kind {
            0..=2 => {
                let props = self.props();
                format!("{props} {}", self.scalar(indent))
            }
            3 => {
                let props = self.props();
                format!("{props} {}", self.flow(depth))
            }
            4 => format!(" {}", self.alias()),
            5 | 6 => {
                let props = self.props();
                let mut s = props;
                let pad = " ".repeat(indent);
                for _ in 0..self.r.between(1, 5) {
                    let v = self.value(indent + 2, depth + 1);
                    let _ = write!(s, "\n{pad}-{v}");
                }
                s
            }
            _ => {
                let props = self.props();
                let mut s = props;
                let pad = " ".repeat(indent);
                for _ in 0..self.r.between(1, 5) {
                    let k = self.key();
                    let v = self.value(indent + 2, depth + 1);
                    let _ = write!(s, "\n{pad}{k}:{v}");
                }
                s
            }
        }
    }

    fn key(&mut self) -> String {
        match self.r.below(20) {
            0 => format!("? {}", self.flow(3)),
            1 => format!("&k{} {}", self.anchors.len(), self.r.pick(&KNOWN_KEYS[..])),
            2 => format!("{} ", self.alias()),
            3 => self
                .r
                .pick(&[
                    "<<",
                    "\"title\"",
                    "'date'",
                    "1",
                    "null",
                    "true",
                    "1.5",
                    "\"\"",
                    "~",
                ])
                .to_owned(),
            4 => unicode_word(self.r).replace([':', '#', '\n', '\r'], ""),
            5 => "[a, b]".to_owned(),
            _ => self.r.pick(&KNOWN_KEYS[..]).to_owned(),
        }
    }

    /// A front-matter block (without delimiters).
    fn block(&mut self) -> String {
        match self.r.below(12) {
            0 => self.laughs(),
            1 => self.deep_flow(),
            2 => self.deep_block(),
            3 => self.merge_keys(),
            _ => {
                let mut s = String::new();
                for _ in 0..self.r.between(1, 14) {
                    let k = self.key();
                    let v = self.value(2, 0);
                    let _ = writeln!(s, "{k}:{v}");
                    if self.r.chance(5) {
                        s.push_str(self.r.pick(&[
                            "# comment\n",
                            "\n",
                            "%YAML 1.2\n",
                            "--- \n",
                            "\t\n",
                        ]));
                    }
                }
                s
            }
        }
    }

    /// Aliases of aliases: a billion laughs, as lists or mappings.
    fn laughs(&mut self) -> String {
        let width = self.r.between(2, 12);
        let levels = self.r.between(2, 12);
        let mappings = self.r.chance(30);
        let mut s = format!("title: lol\nl0: &l0 [{}]\n", vec!["lol"; width].join(", "));
        for i in 1..levels {
            let items: Vec<String> = (0..width)
                .map(|j| {
                    if mappings {
                        format!("k{j}: *l{}", i - 1)
                    } else {
                        format!("*l{}", i - 1)
                    }
                })
                .collect();
            let (o, c) = if mappings { ("{", "}") } else { ("[", "]") };
            let _ = writeln!(s, "l{i}: &l{i} {o}{}{c}", items.join(", "));
        }
        match self.r.below(4) {
            0 => {
                let _ = writeln!(s, "tags: *l{}", levels - 1);
            }
            1 => {
                let _ = writeln!(s, "? *l{}\n: x", levels - 1);
            }
            2 => {
                let _ = writeln!(s, "services: [*l{0}, *l{0}]", levels - 1);
            }
            _ => {}
        }
        s
    }

    fn deep_flow(&mut self) -> String {
        let n = self.r.depth();
        let key = self.r.pick(&KNOWN_KEYS[..]);
        let (open, close) = self.r.pick(&[
            ("[", "]"),
            ("{a: ", "}"),
            ("[{a: ", "}]"),
            ("[ ", " ]"),
            ("{? ", "}"),
            ("[&a", "]"),
            ("[!!seq ", "]"),
        ]);
        let mut s = format!("{key}: ");
        for _ in 0..n {
            s.push_str(open);
            if s.len() > MAX_INPUT {
                break;
            }
        }
        s.push('x');
        if self.r.chance(80) {
            for _ in 0..n {
                s.push_str(close);
                if s.len() > MAX_INPUT * 2 {
                    break;
                }
            }
        }
        s.push('\n');
        s
    }

    fn deep_block(&mut self) -> String {
        let n = self.r.depth().min(350);
        let key = self.r.pick(&KNOWN_KEYS[..]);
        let mut s = format!("{key}:\n");
        match self.r.below(3) {
            0 => {
                // - - - - x on one line: sequences in sequences.
                s.push_str("  ");
                for _ in 0..self.r.depth() {
                    s.push_str("- ");
                    if s.len() > MAX_INPUT {
                        break;
                    }
                }
                s.push_str("x\n");
            }
            1 => {
                for i in 0..n {
                    let _ = writeln!(s, "{}k{i}:", " ".repeat(i + 1));
                    if s.len() > MAX_INPUT {
                        break;
                    }
                }
            }
            _ => {
                for i in 0..n {
                    let _ = writeln!(s, "{}-", " ".repeat(2 * i + 1));
                    if s.len() > MAX_INPUT {
                        break;
                    }
                }
            }
        }
        s
    }

    fn merge_keys(&mut self) -> String {
        let mut s = String::from("base: &b {title: x, date: 2024-03-12}\n");
        for i in 0..self.r.between(1, 8) {
            let _ = writeln!(s, "m{i}: &m{i}\n  <<: [*b, *b]\n  <<: *b\n  k: *b");
        }
        s.push_str("<<: *b\n");
        if self.r.chance(50) {
            s.push_str("<<: [*m0, *m0, *m0]\n");
        }
        s
    }
}

// TOML --------------------------------------------------------------------------

fn toml_value(r: &mut Rng, depth: usize) -> String {
    let kind = if depth > 5 { r.below(6) } else { r.below(9) };
    match kind {
        0 => r
            .pick(&[
                "inf",
                "-inf",
                "+inf",
                "nan",
                "-nan",
                "+nan",
                "1e400",
                "-1e400",
                "6.626e-34",
                "1.",
                ".1",
                "1e",
                "0.0",
                "-0.0",
                "3.14_15",
                "1__2",
                "01",
                "+0",
                "-0",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "0x7FFFFFFFFFFFFFFF",
                "0xFFFFFFFFFFFFFFFF",
                "0o777",
                "0b1",
                "0b",
                "1_",
                "_1",
            ])
            .to_owned(),
        1 => r
            .pick(&[
                "1979-05-27T07:32:00Z",
                "1979-05-27T00:32:00.999999-07:00",
                "1979-05-27 07:32:00Z",
                "1979-05-27T07:32:00",
                "1979-05-27",
                "07:32:00",
                "07:32",
                "0000-00-00",
                "0000-01-01",
                "9999-12-31",
                "2024-02-30",
                "2023-02-29",
                "2024-13-01",
                "2024-03-12T24:00:00Z",
                "2016-12-31T23:59:60Z",
                "9999-12-31T23:59:59.999999999999-23:59",
                "0000-01-01T00:00:00+23:59",
                "1979-05-27T07:32:00.999999999999999999Z",
                "1979-05-27T07:32:00+24:00",
                "1979-05-27t07:32:00z",
                "10000-01-01",
            ])
            .to_owned(),
        2 => format!(
            "\"{}\"",
            words(r, 2).replace('\\', "\\\\").replace('"', "\\\"")
        ),
        3 => r
            .pick(&[
                "\"\\uD800\"",
                "\"\\U00110000\"",
                "\"\\U0010FFFF\"",
                "\"\\x41\"",
                "\"\\e\"",
                "\"\\u0000\"",
                "\"unterminated",
                "'literal \\ no escapes'",
                "'''\nmulti\nline'''",
                "\"\"\"\nmulti\\\n   line\"\"\"",
                "\"\"\"\"\"\"\"",
                "''''''",
                "\"tab\tinside\"",
                "\"\u{0}\"",
                "true",
                "false",
                "True",
                "\"2024-03-12\"",
                "\"+262143-12-31\"",
                "\"Europe/Berlin\"",
                "\"+99:99\"",
            ])
            .to_owned(),
        4 | 5 => format!("\"{}\"", r.pick(ODD_DATES)),
        6 | 7 => {
            let n = r.small().min(16);
            let items: Vec<String> = (0..n).map(|_| toml_value(r, depth + 1)).collect();
            let sep = r.pick(&[", ", ",", ",\n  ", " , "]);
            let trailing = if r.chance(20) { "," } else { "" };
            format!("[{}{trailing}]", items.join(sep))
        }
        _ => {
            let n = r.small().min(10);
            let items: Vec<String> = (0..n)
                .map(|_| {
                    let k = toml_key(r);
                    format!("{k} = {}", toml_value(r, depth + 1))
                })
                .collect();
            let sep = r.pick(&[", ", ",", ",\n  "]);
            let trailing = if r.chance(10) { "," } else { "" };
            format!("{{{}{trailing}}}", items.join(sep))
        }
    }
}

fn toml_key(r: &mut Rng) -> String {
    match r.below(12) {
        0 => format!(
            "\"{}\"",
            unicode_word(r).replace(['"', '\\', '\n', '\r'], "")
        ),
        1 => "'lit key'".to_owned(),
        2 => "a.b.c".to_owned(),
        3 => "\"\"".to_owned(),
        4 => "1".to_owned(),
        5 => "é".to_owned(),
        _ => r.pick(&KNOWN_KEYS[..]).to_owned(),
    }
}

fn toml_block(r: &mut Rng, keys: &[&str], tables: &[&str]) -> String {
    let mut s = String::new();
    match r.below(12) {
        0 => {
            // Deeply nested arrays or inline tables.
            let n = r.depth();
            let (open, close) =
                r.pick(&[("[", "]"), ("{a = ", "}"), ("[{a = ", "}]"), ("[ ", " ]")]);
            let _ = write!(s, "{} = ", r.pick(keys));
            for _ in 0..n {
                s.push_str(open);
                if s.len() > MAX_INPUT {
                    break;
                }
            }
            s.push('1');
            if r.chance(80) {
                for _ in 0..n {
                    s.push_str(close);
                    if s.len() > MAX_INPUT * 2 {
                        break;
                    }
                }
            }
            s.push('\n');
            return s;
        }
        1 => {
            // A long dotted key, or a deep table header.
            let n = r.depth().min(8000);
            let dotted = vec!["a"; n].join(".");
            if r.chance(50) {
                let _ = writeln!(s, "{dotted} = 1");
            } else {
                let _ = writeln!(s, "[{dotted}]\nx = 1");
            }
            return s;
        }
        _ => {}
    }
    let pairs = |r: &mut Rng, s: &mut String, n: usize| {
        for _ in 0..n {
            let k = if r.chance(85) {
                r.pick(keys).to_owned()
            } else {
                toml_key(r)
            };
            let _ = writeln!(s, "{k} = {}", toml_value(r, 0));
        }
    };
    let n = r.between(1, 12);
    pairs(r, &mut s, n);
    for _ in 0..r.below(4) {
        let t = r.pick(tables);
        let _ = writeln!(s, "{t}");
        let n = r.between(0, 5);
        pairs(r, &mut s, n);
    }
    s
}

// Markdown ----------------------------------------------------------------------

fn link_dest(r: &mut Rng) -> String {
    r.pick(&[
        "../2023/y.md",
        "y.md#frag",
        "/abs.md",
        "../../../../../etc/passwd",
        "../factors/untested-migrations.md",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:x",
        "data:text/html,<b>",
        "vbscript:x",
        "mailto:a@b.c",
        "http://[::1",
        "https://example.com/x?y=1#z",
        "%",
        "%ZZ.md",
        "%2e%2e/x.md",
        "ib-ref:x",
        "ib-title:x",
        "<>",
        "#",
        "#é",
        "?q",
        "file.md?x#y",
        "ü.md",
        "a b.md",
        "./",
        "..",
        ".md",
        "x.MD",
        "img.png",
        "../img.svg",
        "C:\\x.md",
        "\\\\server\\x",
        "x.md#",
        "x.md##",
        "",
    ])
    .to_owned()
}

fn inline(r: &mut Rng, depth: usize) -> String {
    let mut s = String::new();
    for _ in 0..r.between(1, 6) {
        let piece = match r.below(22) {
            0 if depth < 4 => {
                let d = r.pick(&["*", "**", "_", "__", "***", "~~", "~"]);
                format!("{d}{}{d}", inline(r, depth + 1))
            }
            1 => format!("`{}`", words(r, 2)),
            2 if depth < 4 => format!("[{}]({})", inline(r, depth + 1), link_dest(r)),
            3 => format!("![{}]({} \"t\")", words(r, 1), link_dest(r)),
            4 => r
                .pick(&[
                    "[[x]]",
                    "[[x|y]]",
                    "[[../a/b]]",
                    "[[]]",
                    "[[ ]]",
                    "[[x#y]]",
                    "[[|]]",
                    "[[a]b]]",
                    "[[[[x]]]]",
                    "[[untested-migrations]]",
                    "[[é|ü]]",
                ])
                .to_owned(),
            5 => r
                .pick(&["[^1]", "[^x]", "[^]", "[^1][^1]", "[^ é ]"])
                .to_owned(),
            6 => r
                .pick(&[
                    "&amp;",
                    "&#0;",
                    "&#x110000;",
                    "&#99999999999;",
                    "&nbsp;",
                    "&#xD800;",
                    "&bogus;",
                    "&",
                ])
                .to_owned(),
            7 => r.pick(&["  \n", "\\\n", "\n"]).to_owned(),
            8 => r
                .pick(&["--", "---", "...", "''", "\"\"", "'x'", "\"x\""])
                .to_owned(),
            9 => r.pick(&["TODO", "TBD", "TODO:", "xTODO"]).to_owned(),
            10 => r
                .pick(&[
                    "The engineer failed to check the disk.",
                    "Mike's fault.",
                    "@bob forgot to renew it.",
                    "He should have known better.",
                    "It was human error.",
                    "“The intern” broke it, said Alice.",
                    "Paged Sarah, who missed the page.",
                    "The on-call’s mistake!",
                    "You must have known?",
                    "Why did the engineer FAIL TO check? He Should have.",
                ])
                .to_owned(),
            11 => format!(
                "Time to {}: {}",
                r.pick(&["detection", "mitigate", "recovery", "resolve", "x"]),
                r.pick(&[
                    "5 minutes",
                    "1h 20m",
                    "2 days",
                    "1e400 hours",
                    "99999999999999999999 d",
                    "-5 m",
                    ". m",
                    "1.2.3 h",
                    "NaN h"
                ])
            ),
            12 => format!(
                "<{}>",
                r.pick(&[
                    "http://x",
                    "a@b.c",
                    "span",
                    "br",
                    "/span",
                    "img src=x onerror=alert(1)",
                    "!--",
                    "?x?"
                ])
            ),
            13 => r.pick(UNICODE_BITS).to_owned(),
            14 => r
                .pick(&["https://example.com/x", "www.example.com", "<https://x>"])
                .to_owned(),
            _ => {
                let n = r.between(1, 6);
                words(r, n)
            }
        };
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&piece);
    }
    s
}

fn time_text(r: &mut Rng) -> String {
    let clock = r
        .pick(&[
            "14:05",
            "9:05",
            "09:05",
            "00:00",
            "23:59",
            "24:00",
            "23:60",
            "9:5",
            "14:05:30",
            "23:59:60",
            "1:00:00:00",
            "99:99",
            "12:00",
            "0:00",
            "٣:٤٥",
            "14.05",
            "14:05:5",
            "1405",
            ":05",
            "14:",
            "-1:00",
            "+1:00",
            "012:00",
        ])
        .to_owned();
    let meridiem = r.pick(&["", "", " AM", " PM", " am", " p.m.", " PM,", " AM:"]);
    let zone = if r.chance(40) {
        format!(" {}", r.pick(ZONES))
    } else {
        String::new()
    };
    match r.below(6) {
        0 => format!("{clock}{meridiem}{zone}"),
        1 => format!("{} {clock}{meridiem}{zone}", r.pick(ODD_DATES)),
        2 => {
            let month = r.pick(&[
                "Jan", "January", "Feb", "Sept", "Dec", "jan", "JANUARY", "Janu", "Mayo", "Ma",
            ]);
            let day = r.pick(&["14", "30", "31", "32", "0", "1", "00", "4294967296", "-1"]);
            let year = r.pick(&[
                "",
                " 2026",
                " 1989",
                " 2100",
                " 2101",
                " 0",
                " -5",
                " 99999999999",
            ]);
            let comma = r.pick(&["", ","]);
            format!("{month} {day}{comma}{year}{comma} {clock}{meridiem}{zone}")
        }
        3 => r.pick(ODD_DATES).to_owned(),
        4 => format!(
            "{}T{clock}{}",
            r.pick(&["2024-03-12", "9999-12-31", "0000-01-01", "2024-02-30"]),
            r.pick(&["Z", "+14:00", "-23:59", "", "z"])
        ),
        _ => format!("{clock}{zone}{meridiem}"),
    }
}

fn timeline_entries(r: &mut Rng, seeds: &Seeds) -> String {
    let mut s = String::new();
    let table = r.chance(25);
    if table {
        s.push_str("| Time | Event |\n|---|---|\n");
    }
    for _ in 0..r.between(1, 30) {
        let time = time_text(r);
        let sep = r.pick(&[" ", " - ", " — ", " – ", ": ", " | ", ", ", "", " -- ", "|"]);
        let text = if r.chance(70) {
            inline(r, 2)
        } else {
            words(r, 3)
        };
        if table {
            let _ = writeln!(s, "| {time} | {text} |");
        } else if r.chance(10) {
            let i = r.below(seeds.lines.len());
            let _ = writeln!(s, "{}", seeds.lines[i]);
        } else {
            let bullet = r.pick(&["- ", "* ", "1. ", "- **", "  - ", "- [ ] ", "", "> - "]);
            let close = if bullet.ends_with("**") { "**" } else { "" };
            let _ = writeln!(s, "{bullet}{time}{close}{sep}{text}");
        }
    }
    s
}

fn heading(r: &mut Rng) -> String {
    let level = r.pick(&[1, 2, 2, 2, 3, 4, 6, 7]);
    let hashes = "#".repeat(level);
    let text = if r.chance(50) {
        r.pick(SECTION_NAMES).to_owned()
    } else {
        inline(r, 2).replace('\n', " ")
    };
    let attrs = if r.chance(30) {
        r.pick(&[
            " {#id .c key=val}",
            " {#id}",
            " {#}",
            " {#a#b}",
            " { .c",
            " {=}",
            " {#id .c key=\"q v\" k2='x'}",
            " {#é}",
            " {#summary}",
            " {#timeline}",
            " {.a .b .c .d}",
            " {key=}",
            " {#id} {#id2}",
            "{#x}",
        ])
    } else {
        ""
    };
    if r.chance(10) && level <= 2 {
        let under = if level == 1 { "===" } else { "---" };
        format!("{text}{attrs}\n{under}\n")
    } else {
        format!("{hashes} {text}{attrs}\n")
    }
}

fn md_block(r: &mut Rng, seeds: &Seeds, depth: usize) -> String {
    let kind = if depth > 5 {
        6 + r.below(4)
    } else {
        r.below(24)
    };
    match kind {
        0 | 1 => heading(r),
        2 => {
            let mut s = String::new();
            for _ in 0..r.between(1, 4) {
                let bullet = r.pick(&[
                    "- ",
                    "* ",
                    "1. ",
                    "2) ",
                    "- [ ] ",
                    "- [x] ",
                    "99999999999. ",
                ]);
                let inner = md_block(r, seeds, depth + 1);
                let pad = " ".repeat(bullet.len());
                let mut first = true;
                for line in inner.lines() {
                    if first {
                        let _ = writeln!(s, "{bullet}{line}");
                        first = false;
                    } else {
                        let _ = writeln!(s, "{pad}{line}");
                    }
                }
            }
            s
        }
        3 => {
            let inner = md_block(r, seeds, depth + 1);
            let mut s = String::new();
            for line in inner.lines() {
                let _ = writeln!(s, "> {line}");
            }
            s
        }
        4 => {
            // Deep nesting with a repeated prefix.
            let n = r.depth();
            let unit = r.pick(&[
                "> ", "- ", "* ", "1. ", "> - ", "- > ", "*", "_", "**", "[", "![", "<div>", "`",
                "~~", "[^a]: ", "  ", "\t", "- [ ] ", "# ", "|",
            ]);
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(unit);
                if s.len() > MAX_INPUT {
                    break;
                }
            }
            let _ = writeln!(s, "{}", words(r, 2));
            if r.chance(50) && unit.len() == 1 {
                let close = match unit {
                    "[" => "]",
                    _ => unit,
                };
                for _ in 0..n.min(MAX_INPUT) {
                    s.push_str(close);
                }
                s.push('\n');
            }
            s
        }
        5 => {
            // Nested lists by indentation.
            let n = r.depth().min(300);
            let mut s = String::new();
            for i in 0..n {
                let _ = writeln!(s, "{}- {}", "  ".repeat(i), words(r, 1));
                if s.len() > MAX_INPUT {
                    break;
                }
            }
            s
        }
        6 => {
            // A table.
            let cols = r.between(1, 6);
            let mut s = String::new();
            let _ = writeln!(s, "|{}|", vec!["h"; cols].join("|"));
            let aligns: Vec<&str> = (0..cols)
                .map(|_| r.pick(&["---", ":--", "--:", ":-:", "-"]))
                .collect();
            let _ = writeln!(s, "|{}|", aligns.join("|"));
            for _ in 0..r.between(0, 6) {
                let n = r.between(0, cols + 2);
                let cells: Vec<String> = (0..n)
                    .map(|_| {
                        if r.chance(20) {
                            r.pick(&["`a|b`", "\\|", "[[x|y]]", "", "<br>", "14:05"])
                                .to_owned()
                        } else {
                            inline(r, 3).replace('\n', " ")
                        }
                    })
                    .collect();
                let _ = writeln!(s, "| {} |", cells.join(" | "));
            }
            s
        }
        7 => {
            let id = r.pick(&["1", "x", "é", "1", " "]);
            format!("[^{id}]: {}\n    {}\n", inline(r, 2), inline(r, 2))
        }
        8 => r
            .pick(&[
                "<div>\n*not md*\n</div>\n",
                "<details><summary>x</summary>\n\n- a\n\n</details>\n",
                "<!-- comment\n",
                "<!-- incidentbook-disable-next-line IB0401 -->\n",
                "<!-- incidentbook-disable IB0401, ib0402 -->\n",
                "<!--incidentbook-disable-next-line-->\n",
                "<script>alert(1)</script>\n",
                "<style>*{}</style>\n",
                "<table><tr><td>\n",
                "<?php echo 1; ?>\n",
                "<![CDATA[ x ]]>\n",
                "<!DOCTYPE html>\n",
                "<div\n",
                "<a href=\"javascript:x\">x</a>\n",
                "<img src=x onerror=alert(1)>\n",
                "<!--ib-tl:0-->x<!--ib-tle:0-->\n",
                "<svg><script>x</script></svg>\n",
                "<math><mi xlink:href=\"javascript:x\">\n",
                "<p>unclosed <b>bold <i>it\n",
            ])
            .to_owned(),
        9 => {
            let fence = r.pick(&["```", "~~~", "````", "```rust", "~~~ {.x}"]);
            let close = if r.chance(80) {
                fence
                    .split(' ')
                    .next()
                    .unwrap_or("```")
                    .trim_end_matches("rust")
            } else {
                ""
            };
            format!("{fence}\n{}\n{close}\n", words(r, 4))
        }
        10 => "    indented code\n".to_owned(),
        11 => r.pick(&["---\n", "***\n", "___\n", "- - -\n"]).to_owned(),
        12 => format!(
            "[{}]: {} \"title\"\n",
            r.pick(&["a", "x", "é", "^1"]),
            link_dest(r)
        ),
        13 => format!("## Timeline\n\n{}", timeline_entries(r, seeds)),
        14 => {
            let i = r.below(seeds.lines.len());
            format!("{}\n", seeds.lines[i])
        }
        _ => format!("{}\n", inline(r, 0)),
    }
}

fn md_body(r: &mut Rng, seeds: &Seeds) -> String {
    let mut s = String::new();
    if r.chance(50) {
        let _ = writeln!(s, "# {}\n", inline(r, 2).replace('\n', " "));
    }
    for _ in 0..r.between(1, 30) {
        s.push_str(&md_block(r, seeds, 0));
        s.push_str(r.pick(&["\n", "\n", "", "\n\n"]));
        if s.len() > MAX_INPUT {
            break;
        }
    }
    s
}

fn simple_front_matter(r: &mut Rng) -> String {
    match r.below(5) {
        0 => String::new(),
        1 => "+++\ntitle = \"Orders\"\ndate = 2024-03-12\n+++\n".to_owned(),
        _ => format!(
            "---\ntitle: {}\ndate: {}\nseverity: SEV2\nstatus: final\nservices: [orders]\n---\n",
            r.pick(&["Orders database locked", "\"\"", "x", "'é'"]),
            r.pick(&["2024-03-12", "2024-02-30", "9999-12-31", "~"])
        ),
    }
}

/// A seed document's front matter (with its delimiters) and body, as text.
fn seed_parts(seed: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(seed);
    match incidentbook::source::frontmatter::split(&text, Path::new("x.md")) {
        Ok(split) => (
            text[..split.body_start].to_owned(),
            text[split.body_start..].to_owned(),
        ),
        Err(_) => (String::new(), text.into_owned()),
    }
}

fn front_matter_doc(r: &mut Rng, seeds: &Seeds) -> String {
    let mut s = String::new();
    if r.chance(5) {
        s.push('\u{feff}');
    }
    match r.below(10) {
        0..=5 => {
            let mut y = Yaml {
                r,
                anchors: Vec::new(),
            };
            let block = y.block();
            let open = r.pick(&["---\n", "---\n", "---\n", "--- \n", "---\r\n", "---\t\n"]);
            let close = r.pick(&["---\n", "---\n", "---\n", "...\n", "--- \n", "---", ""]);
            let _ = write!(s, "{open}{block}{close}");
        }
        6..=8 => {
            let tables = [
                "[[action_items]]",
                "[timestamps]",
                "[extra]",
                "[[contributing_factors]]",
                "[a.b]",
            ];
            let block = toml_block(r, &KNOWN_KEYS[..], &tables);
            let close = r.pick(&["+++\n", "+++\n", "+++", "+++ \n", ""]);
            let _ = write!(s, "+++\n{block}{close}");
        }
        _ => s.push_str(r.pick(&[
            "---\n",
            "---\n---\n",
            "+++\n+++\n",
            "---\r\n...\r\n",
            "---\n\n---\n",
            "---",
            "+++",
            "---\n- a\n- b\n---\n",
            "---\njust text\n---\n",
            "---\n42\n---\n",
        ])),
    }
    if r.chance(50) {
        let i = r.below(seeds.docs.len());
        s.push_str(&seed_parts(&seeds.docs[i]).1);
    } else {
        for _ in 0..r.between(0, 6) {
            s.push_str(&md_block(r, seeds, 3));
            s.push('\n');
        }
    }
    s
}

fn timeline_doc(r: &mut Rng, seeds: &Seeds) -> String {
    let mut s = String::from("---\ntitle: t\n");
    if r.chance(80) {
        let _ = writeln!(s, "date: {}", r.pick(ODD_DATES));
    }
    if r.chance(40) {
        let _ = writeln!(s, "started: {}", r.pick(ODD_DATES));
    }
    if r.chance(20) {
        let _ = writeln!(s, "resolved: {}", r.pick(ODD_DATES));
    }
    if r.chance(50) {
        let _ = writeln!(s, "timezone: \"{}\"", r.pick(ZONES));
    }
    s.push_str("---\n\n");
    for _ in 0..r.between(1, 3) {
        let name = r.pick(&[
            "Timeline",
            "Timeline",
            "timeline",
            "Timline",
            "Timeline of events",
        ]);
        let _ = writeln!(s, "## {name}\n");
        if r.chance(20) {
            s.push_str(r.pick(&[
                "All times are UTC.\n\n",
                "### Day 1\n\n",
                "> quote\n\n",
                "```\n14:05 x\n```\n\n",
            ]));
        }
        s.push_str(&timeline_entries(r, seeds));
        s.push('\n');
        if r.chance(30) {
            s.push_str(&md_block(r, seeds, 2));
        }
    }
    if r.chance(30) {
        let _ = writeln!(s, "## Impact\n\n{}\n", inline(r, 0));
    }
    s
}

fn config_text(r: &mut Rng) -> String {
    let book_keys = ["title", "description", "authors", "language", "base-url"];
    let build_keys = [
        "content-dir",
        "build-dir",
        "theme",
        "ignore",
        "trusted-html",
        "as-of",
        "max-file-size",
    ];
    let validation_keys = [
        "profile",
        "required-fields",
        "statuses",
        "final-status",
        "section-order",
        "extra-fields",
        "allow-unknown-fields",
        "timezone",
        "timeline-grace-minutes",
        "factor-categories",
        "allow-ad-hoc-factors",
        "recurrence-threshold",
    ];
    let mut s = String::new();
    let value = |r: &mut Rng, key: &str| -> String {
        if r.chance(25) {
            return toml_value(r, 3);
        }
        match key {
            "content-dir" | "build-dir" | "theme" => format!(
                "\"{}\"",
                r.pick(&[
                    "",
                    ".",
                    "..",
                    "a/..",
                    "/abs",
                    "~",
                    "~/x",
                    "a/../..",
                    "C:\\\\x",
                    "book",
                    "theme",
                    "theme/sub",
                    "./theme",
                    "content",
                    "x/./y/../z",
                    "\\u0000",
                    "é",
                    "a//b",
                    "book/..",
                    "./"
                ])
            ),
            "ignore" => format!(
                "[\"{}\"]",
                r.pick(&[
                    "**/[",
                    "{a,b",
                    "\\\\",
                    "***",
                    "[!]",
                    "drafts/**",
                    "",
                    "{{{{{{{{{{{{",
                    "[[[[[[[[",
                    "a{b{c{d{e}}}}",
                    "**/**/**/**/**/**/**/**/**"
                ])
            ),
            "as-of" => r
                .pick(&[
                    "2024-02-30",
                    "2024-03-12",
                    "\"2024-03-12\"",
                    "\"+262143-12-31\"",
                    "9999-12-31",
                    "0000-01-01",
                    "1979-05-27T07:32:00Z",
                    "\"x\"",
                    "12",
                ])
                .to_owned(),
            "max-file-size"
            | "timeline-grace-minutes"
            | "recurrence-threshold"
            | "compare-periods" => r
                .pick(&[
                    "0",
                    "-1",
                    "1",
                    "4294967295",
                    "4294967296",
                    "9223372036854775807",
                    "1e3",
                    "\"3\"",
                ])
                .to_owned(),
            "profile" => r
                .pick(&["\"strict\"", "\"adopt\"", "\"Adopt\"", "\"x\""])
                .to_owned(),
            "period" => r
                .pick(&["\"week\"", "\"month\"", "\"quarter\"", "\"year\""])
                .to_owned(),
            "timezone" => format!("\"{}\"", r.pick(ZONES)),
            "trusted-html"
            | "section-order"
            | "allow-unknown-fields"
            | "allow-ad-hoc-factors"
            | "enabled" => r.pick(&["true", "false", "1"]).to_owned(),
            _ => {
                let n = r.small().min(8);
                let items: Vec<String> = (0..n)
                    .map(|_| format!("\"{}\"", r.pick(SECTION_NAMES)))
                    .collect();
                format!("[{}]", items.join(", "))
            }
        }
    };
    for (table, keys) in [
        ("[book]", &book_keys[..]),
        ("[build]", &build_keys[..]),
        ("[validation]", &validation_keys[..]),
        ("[lint]", &["enabled", "people"][..]),
        ("[insights]", &["period", "compare-periods"][..]),
    ] {
        if r.chance(40) {
            continue;
        }
        let _ = writeln!(s, "{table}");
        for _ in 0..r.between(0, keys.len()) {
            let k = r.pick(keys);
            let v = value(r, k);
            let _ = writeln!(s, "{k} = {v}");
        }
    }
    for _ in 0..r.below(4) {
        let name = r.pick(SECTION_NAMES);
        let _ = writeln!(s, "[[validation.sections]]\nname = \"{name}\"");
        if r.chance(50) {
            let _ = writeln!(s, "required = {}", r.pick(&["true", "false"]));
        }
        if r.chance(60) {
            let n = r.small().min(6);
            let aliases: Vec<String> = (0..n)
                .map(|_| {
                    format!(
                        "\"{}\"",
                        if r.chance(50) {
                            r.pick(SECTION_NAMES).to_owned()
                        } else {
                            unicode_word(r).replace(['"', '\\'], "")
                        }
                    )
                })
                .collect();
            let _ = writeln!(s, "aliases = [{}]", aliases.join(", "));
        }
    }
    for _ in 0..r.below(3) {
        let _ = writeln!(
            s,
            "[[validation.severities]]\nname = \"{}\"\ndescription = \"{}\"",
            r.pick(&["SEV1", "", "é", "SEV1"]),
            words(r, 2).replace(['"', '\\'], "")
        );
    }
    if r.chance(30) {
        s.push_str("[validation.levels]\n");
        for _ in 0..r.between(1, 4) {
            let _ = writeln!(
                s,
                "{} = \"{}\"",
                r.pick(&[
                    "IB0001", "IB0401", "ib0001", "IB9999", "\"\"", "IB0007", "X"
                ]),
                r.pick(&["allow", "info", "warn", "deny", "error"])
            );
        }
    }
    if r.chance(10) {
        s.push_str(&toml_block(
            r,
            &["title", "x", "book", "build"],
            &["[book]", "[build]", "[x]", "[[book]]"],
        ));
    }
    for _ in 0..r.below(4) {
        let var = r.pick(&[
            "INCIDENTBOOK_BUILD__BUILD_DIR",
            "INCIDENTBOOK_BUILD__THEME",
            "INCIDENTBOOK_BOOK__TITLE",
            "INCIDENTBOOK_VALIDATION__TIMEZONE",
            "INCIDENTBOOK_VALIDATION__SECTIONS",
            "INCIDENTBOOK_VALIDATION__LEVELS",
            "INCIDENTBOOK_BUILD__MAX_FILE_SIZE",
            "INCIDENTBOOK_BUILD__AS_OF",
            "INCIDENTBOOK_LINT__PEOPLE",
            "INCIDENTBOOK_INSIGHTS__COMPARE_PERIODS",
            "INCIDENTBOOK___",
            "INCIDENTBOOK_BOOK__TITLE__X",
            "INCIDENTBOOK_X__Y",
            "INCIDENTBOOK___TITLE",
            "INCIDENTBOOK_BOOK__",
            "INCIDENTBOOK_BOOK__É",
        ]);
        let val = r.pick(&[
            "public",
            "true",
            "3",
            "[\"a\", \"b\"]",
            "{a = 1}",
            "\"str",
            "1\\n[x]",
            "",
            "-1",
            "9223372036854775808",
            "2024-02-30",
            "[[validation.sections]]",
            "inf",
            "nan",
            "{name = \"x\"}",
            "[{name = \"Timeline\", aliases = [\"T\"]}]",
            "\"\\uD800\"",
            "1979-05-27T07:32:00Z",
            "../x",
            "theme",
        ]);
        let _ = writeln!(s, "# env {var}={val}");
    }
    s
}

// ---------------------------------------------------------------------------------
// Byte-level mutations

fn mutate(r: &mut Rng, data: &mut Vec<u8>, seeds: &Seeds) {
    let rounds = if r.chance(10) {
        r.between(8, 40)
    } else {
        r.between(1, 8)
    };
    for _ in 0..rounds {
        let len = data.len();
        match r.below(14) {
            0 if len > 0 => {
                let i = r.below(len);
                data[i] ^= 1 << r.below(8);
            }
            1 if len > 0 => {
                let i = r.below(len);
                data[i] = r.pick(&[
                    0, 0xff, 0x80, 0xc0, b'\r', b'\n', b'-', b'+', b'#', b'>', b'*', b'[', b']',
                    b'|', b':', b'{', b'&', b'!', b'`', b'<', b' ', b'\t', b'"', b'\\',
                ]);
            }
            2 => {
                let i = r.below(len + 1);
                let n = r.between(1, 16);
                let bytes: Vec<u8> = (0..n).map(|_| r.below(256) as u8).collect();
                data.splice(i..i, bytes);
            }
            3 | 4 => {
                let i = r.below(len + 1);
                let token = r.pick(TOKENS).as_bytes().to_vec();
                data.splice(i..i, token);
            }
            5 => {
                let i = r.below(len + 1);
                let bad = r.pick(INVALID_UTF8).to_vec();
                data.splice(i..i, bad);
            }
            6 if len > 0 => {
                let i = r.below(len);
                let n = r.between(1, (len - i).min(256));
                data.drain(i..i + n);
            }
            7 if len > 0 => {
                // Duplicate a range, up to many times (nesting prefixes, long lines).
                let i = r.below(len);
                let n = r.between(1, (len - i).min(32));
                let times = if r.chance(20) {
                    r.between(50, 3000)
                } else {
                    r.between(1, 4)
                };
                let chunk = data[i..i + n].to_vec();
                let mut rep = Vec::with_capacity(n * times);
                for _ in 0..times {
                    rep.extend_from_slice(&chunk);
                    if rep.len() > MAX_INPUT {
                        break;
                    }
                }
                data.splice(i..i, rep);
            }
            8 => {
                // Splice in part of another seed.
                let other = &seeds.docs[r.below(seeds.docs.len())];
                if !other.is_empty() {
                    let a = r.below(other.len());
                    let b = r.between(a, other.len().min(a + 2048));
                    let i = r.below(len + 1);
                    if r.chance(50) {
                        data.truncate(i);
                    }
                    let at = data.len().min(i);
                    data.splice(at..at, other[a..b].iter().copied());
                }
            }
            9 if len > 1 => {
                // Copy a range over another.
                let a = r.below(len);
                let n = r.between(1, (len - a).min(64));
                let chunk = data[a..a + n].to_vec();
                let b = r.below(len);
                let end = (b + n).min(len);
                data.splice(b..end, chunk);
            }
            10 => {
                // Line endings.
                let mut out = Vec::with_capacity(data.len() + data.len() / 16);
                let to = r.pick(&[&b"\r\n"[..], b"\r", b"\n\r", b"\x0b", b"\xe2\x80\xa8"]);
                for &b in data.iter() {
                    if b == b'\n' {
                        out.extend_from_slice(to);
                    } else {
                        out.push(b);
                    }
                }
                *data = out;
            }
            11 if len > 0 => data.truncate(r.below(len)),
            12 => {
                // A structured piece at a line boundary.
                let piece = match r.below(3) {
                    0 => {
                        let i = r.below(seeds.lines.len());
                        format!("{}\n", seeds.lines[i])
                    }
                    1 => md_block(r, seeds, 3),
                    _ => format!("{}\n", time_text(r)),
                };
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(
                        data.iter()
                            .enumerate()
                            .filter(|(_, b)| **b == b'\n')
                            .map(|(i, _)| i + 1),
                    )
                    .collect();
                let at = starts[r.below(starts.len())];
                data.splice(at..at, piece.into_bytes());
            }
            13 if len > 0 => {
                // A UTF-8 character or control character inside.
                let i = r.below(len + 1);
                let bit = r.pick(UNICODE_BITS).as_bytes().to_vec();
                data.splice(i..i, bit);
            }
            _ => {}
        }
        if data.len() > MAX_INPUT {
            data.truncate(MAX_INPUT);
        }
    }
}

fn generate(target: Target, r: &mut Rng, seeds: &Seeds) -> Vec<u8> {
    let choice = r.below(100);
    let mut data = match target {
        Target::FrontMatter | Target::Markdown | Target::Timeline if choice < 40 => {
            let mut d = seeds.docs[r.below(seeds.docs.len())].clone();
            mutate(r, &mut d, seeds);
            d
        }
        Target::Config if choice < 45 => {
            let mut d = seeds.configs[r.below(seeds.configs.len())].clone();
            if r.chance(30) {
                d.extend_from_slice(config_text(r).as_bytes());
            }
            mutate(r, &mut d, seeds);
            d
        }
        Target::FrontMatter => front_matter_doc(r, seeds).into_bytes(),
        Target::Markdown => {
            let fm = if r.chance(20) {
                // A seed's own front matter, then a generated body.
                seed_parts(&seeds.docs[r.below(seeds.docs.len())]).0
            } else {
                simple_front_matter(r)
            };
            format!("{fm}{}", md_body(r, seeds)).into_bytes()
        }
        Target::Timeline => timeline_doc(r, seeds).into_bytes(),
        Target::Config => config_text(r).into_bytes(),
    };
    if choice >= 40 && r.chance(15) {
        // Some structured inputs get a few byte-level mutations too.
        mutate(r, &mut data, seeds);
    }
    if r.chance(5) {
        data = String::from_utf8_lossy(&data)
            .replace('\n', "\r\n")
            .into_bytes();
    }
    data.truncate(MAX_INPUT);
    data
}

// ---------------------------------------------------------------------------------
// The fuzzing child

#[derive(Default, Clone)]
struct Counts {
    inputs: [u64; 4],
    nanos: [u64; 4],
    crashes: u64,
    slow: u64,
}

impl Counts {
    fn to_text(&self) -> String {
        let mut s = String::new();
        for t in Target::ALL {
            let i = t.index();
            let _ = writeln!(
                s,
                "target {} {} {}",
                t.name(),
                self.inputs[i],
                self.nanos[i]
            );
        }
        let _ = writeln!(s, "crashes {}\nslow {}", self.crashes, self.slow);
        s
    }

    fn from_text(text: &str) -> Counts {
        let mut c = Counts::default();
        for line in text.lines() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["target", name, inputs, nanos] => {
                    if let Some(t) = Target::parse(name) {
                        c.inputs[t.index()] = inputs.parse().unwrap_or(0);
                        c.nanos[t.index()] = nanos.parse().unwrap_or(0);
                    }
                }
                ["crashes", n] => c.crashes = n.parse().unwrap_or(0),
                ["slow", n] => c.slow = n.parse().unwrap_or(0),
                _ => {}
            }
        }
        c
    }

    fn add(&mut self, other: &Counts) {
        for (a, b) in self.inputs.iter_mut().zip(other.inputs) {
            *a += b;
        }
        for (a, b) in self.nanos.iter_mut().zip(other.nanos) {
            *a += b;
        }
        self.crashes += other.crashes;
        self.slow += other.slow;
    }

    fn total(&self) -> u64 {
        self.inputs.iter().sum()
    }
}

struct Shared {
    /// Nanoseconds since `epoch` when the current input started, plus one; 0 when idle.
    started: AtomicU64,
    stop: AtomicBool,
    counts: std::sync::Mutex<Counts>,
    /// Sites of distinct panics, with how many inputs hit each.
    sites: std::sync::Mutex<HashMap<String, u64>>,
}

fn since(epoch: Instant) -> u64 {
    epoch.elapsed().as_nanos() as u64 + 1
}

fn save(out: &Path, kind: &str, input: &[u8], report: &str) -> String {
    let hash = hash_hex(input);
    let _ = std::fs::write(out.join(format!("{kind}-{hash}.input")), input);
    let _ = std::fs::write(out.join(format!("{kind}-{hash}.txt")), report);
    format!("{kind}-{hash}")
}

/// Sites of panics saved by earlier runs into `out`.
fn known_sites(out: &Path) -> HashMap<String, u64> {
    let mut sites = HashMap::new();
    let Ok(entries) = std::fs::read_dir(out) else {
        return sites;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("crash-")
            && name.ends_with(".txt")
            && let Ok(text) = std::fs::read_to_string(e.path())
            && let Some(site) = text.lines().find_map(|l| l.strip_prefix("site: "))
        {
            *sites.entry(site.to_owned()).or_insert(0) += 1;
        }
    }
    sites
}

fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

#[cfg(target_os = "linux")]
fn limit_address_space(bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct it is given; nothing else is touched.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

#[cfg(not(target_os = "linux"))]
fn limit_address_space(_bytes: u64) {}

fn status_line(elapsed: Duration, counts: &Counts, sites: usize, prefix: &str) -> String {
    let mut per = String::new();
    for t in Target::ALL {
        let n = counts.inputs[t.index()];
        if n > 0 {
            let _ = write!(per, " {}={n}", t.name());
        }
    }
    format!(
        "[{prefix}{:>4}s] inputs {} ({}/s;{per}) crashes {} ({sites} sites) slow {}",
        elapsed.as_secs(),
        counts.total(),
        counts.total() / elapsed.as_secs().max(1),
        counts.crashes,
        counts.slow,
    )
}

fn fuzz(args: &Args) -> ExitCode {
    let out = args.out.clone();
    install_quiet_hook();
    limit_address_space((args.max_memory_mb * 2).max(4096) << 20);
    let seeds = load_seeds();
    if !args.child {
        println!(
            "seeds: {} documents, {} configurations, {} timeline lines; seed {}",
            seeds.docs.len(),
            seeds.configs.len(),
            seeds.lines.len(),
            args.seed
        );
    }
    let current = out.join("current.input");
    let _ = std::fs::write(&current, b"");
    let shared = Arc::new(Shared {
        started: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        counts: std::sync::Mutex::new(Counts::default()),
        sites: std::sync::Mutex::new(known_sites(&out)),
    });
    let epoch = Instant::now();
    let deadline = epoch + Duration::from_secs_f64(args.minutes * 60.0);

    let worker = {
        let shared = Arc::clone(&shared);
        let out = out.clone();
        let args = args.clone();
        std::thread::Builder::new()
            .name("fuzz".to_owned())
            .stack_size(args.stack_kb * 1024)
            .spawn(move || {
                let runner = Runner::new(RenderRoot::new(&out, &out.join("current.input")));
                let mut r = Rng::new(args.seed);
                let current = out.join("current.input");
                let meta = out.join("current.meta");
                let mut index: u64 = 0;
                while !shared.stop.load(Ordering::Relaxed) {
                    let target = args.target.unwrap_or(Target::ALL[(index % 4) as usize]);
                    let input = generate(target, &mut r, &seeds);
                    let _ = std::fs::write(&current, &input);
                    let _ = std::fs::write(
                        &meta,
                        format!("target: {}\nseed: {}\nindex: {index}\n", target.name(), args.seed),
                    );
                    shared.started.store(since(epoch), Ordering::SeqCst);
                    let t0 = Instant::now();
                    let result = panic::catch_unwind(AssertUnwindSafe(|| {
                        std::hint::black_box(runner.run(target, &input))
                    }));
                    let took = t0.elapsed();
                    shared.started.store(0, Ordering::SeqCst);
                    let mut crashed = false;
                    if result.is_err() {
                        crashed = true;
                        let report = take_panic();
                        let (site, message, backtrace) = report.map_or_else(
                            || ("unknown".to_owned(), String::new(), None),
                            |p| (p.site, p.message, Some(p.backtrace)),
                        );
                        let seen = {
                            let mut sites = shared.sites.lock().unwrap_or_else(|e| e.into_inner());
                            let n = sites.entry(site.clone()).or_insert(0);
                            *n += 1;
                            *n
                        };
                        if seen as usize <= SAVED_PER_SITE {
                            let text = format!(
                                "target: {}\nsite: {site}\nmessage: {message}\nseed: {}\nindex: {index}\nbytes: {}\n\nbacktrace:\n{}\n",
                                target.name(),
                                args.seed,
                                input.len(),
                                backtrace.map(|b| b.to_string()).unwrap_or_default()
                            );
                            let name = save(&out, "crash", &input, &text);
                            if seen == 1 {
                                println!("new crash site {site}: {message} ({name})");
                            }
                        }
                    }
                    let slow = took > SLOW;
                    if slow {
                        let name = save(
                            &out,
                            "slow",
                            &input,
                            &format!(
                                "target: {}\nseconds: {:.3}\nseed: {}\nindex: {index}\nbytes: {}\n",
                                target.name(),
                                took.as_secs_f64(),
                                args.seed,
                                input.len()
                            ),
                        );
                        println!("slow input: {:.1} s ({name})", took.as_secs_f64());
                    }
                    {
                        let mut c = shared.counts.lock().unwrap_or_else(|e| e.into_inner());
                        c.inputs[target.index()] += 1;
                        c.nanos[target.index()] += took.as_nanos() as u64;
                        c.crashes += u64::from(crashed);
                        c.slow += u64::from(slow);
                    }
                    index += 1;
                }
            })
            .expect("spawns the fuzzing thread")
    };

    let progress = out.join("progress.txt");
    let mut last_status = Instant::now();
    let mut last_progress = Instant::now();
    let max_rss = args.max_memory_mb << 20;
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let write_progress = || {
            let c = shared
                .counts
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            let _ = std::fs::write(&progress, c.to_text());
            c
        };
        if Instant::now() >= deadline || worker.is_finished() {
            shared.stop.store(true, Ordering::SeqCst);
            break;
        }
        let started = shared.started.load(Ordering::SeqCst);
        if started != 0 {
            let running = Duration::from_nanos(since(epoch).saturating_sub(started));
            let stop = if running > Duration::from_secs(args.hang_secs) {
                Some((
                    "hang",
                    EXIT_HANG,
                    format!("still running after {} s", running.as_secs()),
                ))
            } else if rss_bytes() > max_rss {
                Some((
                    "oom",
                    EXIT_MEMORY,
                    format!(
                        "resident memory {} MiB after {:.1} s",
                        rss_bytes() >> 20,
                        running.as_secs_f64()
                    ),
                ))
            } else {
                None
            };
            if let Some((kind, code, why)) = stop {
                let input = std::fs::read(&current).unwrap_or_default();
                let meta = std::fs::read_to_string(out.join("current.meta")).unwrap_or_default();
                let name = save(
                    &out,
                    kind,
                    &input,
                    &format!("{meta}{why}\nbytes: {}\n", input.len()),
                );
                println!("{kind}: {why} ({name}); stopping this process");
                let mut c = write_progress();
                c.slow += 1;
                let _ = std::fs::write(&progress, c.to_text());
                std::process::exit(code);
            }
        }
        if last_progress.elapsed() >= Duration::from_secs(1) {
            last_progress = Instant::now();
            write_progress();
        }
        if !args.child && last_status.elapsed() >= STATUS_EVERY {
            last_status = Instant::now();
            let c = write_progress();
            let sites = shared.sites.lock().map_or(0, |s| s.len());
            println!("{}", status_line(epoch.elapsed(), &c, sites, ""));
        }
    }
    // The input in flight finishes (the watchdog above no longer runs: an input stuck
    // at the deadline is left in current.input).
    let joined = worker.join();
    let c = shared
        .counts
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let _ = std::fs::write(&progress, c.to_text());
    if !args.child {
        let sites = shared.sites.lock().map_or(0, |s| s.len());
        println!("{}", status_line(epoch.elapsed(), &c, sites, "done "));
        print_sites(&shared.sites.lock().map(|s| s.clone()).unwrap_or_default());
    }
    if joined.is_err() {
        eprintln!("the fuzzing thread panicked outside an input");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn print_sites(sites: &HashMap<String, u64>) {
    let mut sites: Vec<_> = sites.iter().collect();
    sites.sort();
    for (site, n) in sites {
        println!("  panic site {site}: {n} inputs");
    }
}

// ---------------------------------------------------------------------------------
// The supervisor: runs fuzzing children until the time is up, and keeps what kills one.

fn supervise(args: &Args) -> ExitCode {
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(args.minutes * 60.0);
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot find this executable: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut totals = Counts::default();
    let mut seed = args.seed;
    let mut children = 0;
    let mut aborts = 0;
    let progress = args.out.join("progress.txt");
    let mut last_status = Instant::now();
    println!(
        "fuzzing {} for {} min, seed {}, into {}",
        args.target.map_or("all targets", Target::name),
        args.minutes,
        args.seed,
        args.out.display()
    );
    while deadline.saturating_duration_since(Instant::now()) > Duration::from_secs(1) {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let _ = std::fs::remove_file(&progress);
        let stderr_path = args.out.join(format!("child-{children}.stderr"));
        let stderr = std::fs::File::create(&stderr_path).map_or(Stdio::inherit(), Stdio::from);
        let mut cmd = Command::new(&exe);
        cmd.arg("--child")
            .args(["--minutes", &format!("{}", remaining.as_secs_f64() / 60.0)])
            .args(["--seed", &seed.to_string()])
            .arg("--out")
            .arg(&args.out)
            .args(["--target", args.target.map_or("all", Target::name)])
            .args(["--stack-kb", &args.stack_kb.to_string()])
            .args(["--max-memory-mb", &args.max_memory_mb.to_string()])
            .args(["--hang-secs", &args.hang_secs.to_string()])
            .stdout(Stdio::inherit())
            .stderr(stderr);
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                eprintln!("cannot start a child: {e}");
                return ExitCode::FAILURE;
            }
        };
        children += 1;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) => {}
                Err(_) => break None,
            }
            std::thread::sleep(Duration::from_millis(100));
            if last_status.elapsed() >= STATUS_EVERY {
                last_status = Instant::now();
                let mut c = totals.clone();
                c.add(&Counts::from_text(
                    &std::fs::read_to_string(&progress).unwrap_or_default(),
                ));
                let sites = known_sites(&args.out).len();
                println!("{}", status_line(start.elapsed(), &c, sites, ""));
            }
        };
        let child_counts =
            Counts::from_text(&std::fs::read_to_string(&progress).unwrap_or_default());
        totals.add(&child_counts);
        let _ = std::fs::remove_file(&progress);
        let code = status.and_then(|s| s.code());
        match code {
            Some(0) => {
                let _ = std::fs::remove_file(&stderr_path);
                if deadline.saturating_duration_since(Instant::now()) > Duration::from_secs(1) {
                    // Stopped early with nothing wrong: go on with another seed.
                    seed = seed.wrapping_add(0x9E37_79B9);
                    continue;
                }
                break;
            }
            Some(EXIT_HANG) | Some(EXIT_MEMORY) => {
                let _ = std::fs::remove_file(&stderr_path);
            }
            _ => {
                aborts += 1;
                let input = std::fs::read(args.out.join("current.input")).unwrap_or_default();
                let meta =
                    std::fs::read_to_string(args.out.join("current.meta")).unwrap_or_default();
                let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
                let tail: Vec<&str> = err.lines().rev().take(40).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                let how = status.map_or_else(|| "unknown".to_owned(), |s| format!("{s}"));
                let report = format!(
                    "{meta}exit: {how}\nbytes: {}\n\nstderr:\n{}\n",
                    input.len(),
                    tail.join("\n")
                );
                let name = save(&args.out, "abort", &input, &report);
                println!(
                    "child died ({how}): {} ({name})",
                    tail.last().copied().unwrap_or("")
                );
                let _ = std::fs::remove_file(&stderr_path);
            }
        }
        seed = seed.wrapping_add(0x9E37_79B9);
    }
    let sites = known_sites(&args.out);
    println!(
        "{}",
        status_line(start.elapsed(), &totals, sites.len(), "done ")
    );
    for t in Target::ALL {
        let i = t.index();
        if totals.inputs[i] > 0 {
            println!(
                "  {:<13} {:>9} inputs, {:>7.1} s in the parsers",
                t.name(),
                totals.inputs[i],
                totals.nanos[i] as f64 / 1e9
            );
        }
    }
    println!("  {children} processes, {aborts} died (abort-*.input)");
    print_sites(&sites);
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------------------------
// Replaying and minimising one input

fn target_of(args: &Args, file: &Path) -> Target {
    if let Some(t) = args.target {
        return t;
    }
    let sidecar = file.with_extension("txt");
    if let Ok(text) = std::fs::read_to_string(sidecar)
        && let Some(t) = text
            .lines()
            .find_map(|l| l.strip_prefix("target: "))
            .and_then(Target::parse)
    {
        return t;
    }
    if file.extension().is_some_and(|e| e == "toml") {
        Target::Config
    } else {
        Target::Markdown
    }
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn replay(args: &Args, file: &Path) -> ExitCode {
    let Ok(input) = std::fs::read(file) else {
        eprintln!("cannot read {}", file.display());
        return ExitCode::from(2);
    };
    let target = target_of(args, file);
    println!(
        "replaying {} ({} bytes) as {}",
        file.display(),
        input.len(),
        target.name()
    );
    let dir = std::env::temp_dir().join(format!("incidentbook-fuzz-replay-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let copy = dir.join("current.input");
    let _ = std::fs::write(&copy, &input);
    let render = RenderRoot::new(&dir, &copy);
    let handle = std::thread::Builder::new()
        .stack_size(args.stack_kb * 1024)
        .spawn(move || {
            let runner = Runner::new(render);
            let t0 = Instant::now();
            let n = runner.run(target, &input);
            (n, t0.elapsed())
        })
        .expect("spawns");
    let result = handle.join();
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok((n, took)) => {
            println!(
                "no crash: {:.3} s, peak resident memory {} MiB (result {n})",
                took.as_secs_f64(),
                peak_rss_kb() >> 10
            );
            ExitCode::SUCCESS
        }
        Err(_) => ExitCode::from(101),
    }
}

/// What an input does, for minimising: the site of its panic, or none.
fn panic_site(runner: &Runner, target: Target, input: &[u8]) -> Option<String> {
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        std::hint::black_box(runner.run(target, input))
    }));
    let report = take_panic();
    match result {
        Ok(_) => None,
        Err(_) => Some(report.map_or_else(
            || "unknown".to_owned(),
            |p| format!("{}: {}", p.site, p.message),
        )),
    }
}

/// Shrinks a panicking input while it panics at the same site: removes lines, then
/// ranges of bytes, halving their size; writes `FILE.min`.
fn minimize(args: &Args, file: &Path) -> ExitCode {
    let Ok(input) = std::fs::read(file) else {
        eprintln!("cannot read {}", file.display());
        return ExitCode::from(2);
    };
    let target = target_of(args, file);
    install_quiet_hook();
    let out_file = PathBuf::from(format!("{}.min", file.display()));
    let out_file2 = out_file.clone();
    let handle = std::thread::Builder::new()
        .stack_size(args.stack_kb * 1024)
        .spawn(move || {
            let runner = Runner::new(None);
            let Some(site) = panic_site(&runner, target, &input) else {
                println!("{} does not panic", out_file2.display());
                return false;
            };
            let site_only = |s: &str| s.split(": ").next().unwrap_or("").to_owned();
            let want = site_only(&site);
            println!("panics at {site}");
            let still = |candidate: &[u8]| {
                panic_site(&runner, target, candidate).is_some_and(|s| site_only(&s) == want)
            };
            let mut best = input;
            // Lines first.
            loop {
                let before = best.len();
                let lines: Vec<&[u8]> = best.split_inclusive(|b| *b == b'\n').collect();
                let mut chunk = lines.len().div_ceil(2).max(1);
                let mut current: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
                while chunk >= 1 {
                    let mut i = 0;
                    while i < current.len() {
                        let end = (i + chunk).min(current.len());
                        let candidate: Vec<u8> = current[..i]
                            .iter()
                            .chain(&current[end..])
                            .flatten()
                            .copied()
                            .collect();
                        if still(&candidate) {
                            current.drain(i..end);
                        } else {
                            i += chunk;
                        }
                    }
                    if chunk == 1 {
                        break;
                    }
                    chunk /= 2;
                }
                best = current.concat();
                // Then bytes.
                let mut chunk = best.len().div_ceil(2).max(1);
                while chunk >= 1 {
                    let mut i = 0;
                    while i < best.len() {
                        let end = (i + chunk).min(best.len());
                        let mut candidate = best[..i].to_vec();
                        candidate.extend_from_slice(&best[end..]);
                        if still(&candidate) {
                            best = candidate;
                        } else {
                            i += chunk;
                        }
                    }
                    if chunk == 1 {
                        break;
                    }
                    chunk /= 2;
                }
                if best.len() >= before {
                    break;
                }
            }
            let _ = std::fs::write(&out_file2, &best);
            println!(
                "minimised to {} bytes: {}\n{:?}",
                best.len(),
                out_file2.display(),
                String::from_utf8_lossy(&best)
            );
            true
        })
        .expect("spawns");
    match handle.join() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(_) => {
            eprintln!("minimising {} died", out_file.display());
            ExitCode::FAILURE
        }
    }
}
