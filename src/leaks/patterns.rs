//! The leak check's patterns, and the tests that tell a leak from what only looks like
//! one (a version number, a hash, a placeholder, a documentation address).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

use regex::Regex;

use crate::model::LeakKind;

/// A leak found, before it is placed and masked.
pub struct Candidate {
    pub kind: LeakKind,
    pub range: Range<usize>,
}

/// How a pattern's match is judged.
#[derive(Debug, Clone, Copy)]
enum Judge {
    /// Every match is a leak.
    Always,
    /// A cloud access key, unless it is a documentation example (`…EXAMPLE`).
    NotExample,
    /// A secret value: not a placeholder, and random-looking.
    Random,
    /// A password in a URL: not a placeholder.
    NotPlaceholder,
    /// A bearer token: random, and not a JWT (which its own rule names).
    Bearer,
    Email,
    Phone,
    Ipv4,
    Ipv6,
    Host,
}

#[derive(Debug)]
struct Rule {
    kind: LeakKind,
    regex: Regex,
    /// The capture group that holds the value (0: the whole match).
    group: usize,
    judge: Judge,
}

/// Every rule. Each is a regex of its own rather than one `RegexSet`: the set's
/// automaton was too large for the lazy DFA's cache and ran ten times slower than the
/// rules one by one. The patterns are ASCII (`(?-u:\b)`), and the costly ones start
/// with a literal (a secret's key word, a host's domain), which the regex engine
/// looks for first.
#[derive(Debug)]
pub struct Patterns {
    rules: Vec<Rule>,
}

/// The secret and contact patterns: (kind, pattern, value group, judge).
const RULES: &[(LeakKind, &str, usize, Judge)] = &[
    (
        LeakKind::PrivateKey,
        r"-----BEGIN[A-Z ]{0,20} PRIVATE KEY(?: BLOCK)?-----",
        0,
        Judge::Always,
    ),
    (
        LeakKind::AccessKey,
        r"(?-u:\b)(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?-u:\b)",
        0,
        Judge::NotExample,
    ),
    (
        LeakKind::AccessKey,
        r"(?-u:\b)AIza[0-9A-Za-z_\-]{35}(?:[^0-9A-Za-z_\-]|$)",
        0,
        Judge::Always,
    ),
    (
        LeakKind::AccessKey,
        r"AccountKey=([A-Za-z0-9+/]{86}==)",
        1,
        Judge::Always,
    ),
    (
        LeakKind::Token,
        r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_\-]{20,}|xox[abposr]-[A-Za-z0-9\-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36}|SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}|ya29\.[0-9A-Za-z_\-]{20,})(?-u:\b)",
        0,
        Judge::Always,
    ),
    (
        LeakKind::Token,
        r"hooks\.slack\.com/services/T[A-Za-z0-9_]{6,}/B[A-Za-z0-9_]{6,}/[A-Za-z0-9_]{12,}",
        0,
        Judge::Always,
    ),
    (
        LeakKind::Token,
        r"(?-u:\b)[Bb]earer[\t ]+([A-Za-z0-9_\-.=+/~]{20,})",
        1,
        Judge::Bearer,
    ),
    (
        LeakKind::Jwt,
        r"(?-u:\b)eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
        0,
        Judge::Always,
    ),
    (
        LeakKind::PasswordInUrl,
        r"(?-u:\b)[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\t\n\r /:@'\x22<>()\[\]]+:([^\t\n\r /@'\x22<>()\[\]]+)@[A-Za-z0-9\[]",
        1,
        Judge::NotPlaceholder,
    ),
    (
        LeakKind::Email,
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}(?-u:\b)",
        0,
        Judge::Email,
    ),
    (
        LeakKind::Phone,
        r"\+[0-9]{1,3}(?:[ .\-]?\(?[0-9]{1,4}\)?){2,5}|\([0-9]{3}\) ?[0-9]{3}[\-. ][0-9]{4}(?-u:\b)|(?-u:\b)[0-9]{3}([\-.])[0-9]{3}[\-.][0-9]{4}(?-u:\b)",
        0,
        Judge::Phone,
    ),
    (
        LeakKind::IpAddress,
        r"(?-u:\b)[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?-u:\b)",
        0,
        Judge::Ipv4,
    ),
    (
        LeakKind::IpAddress,
        r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}",
        0,
        Judge::Ipv6,
    ),
];

impl Patterns {
    /// The rules, with one more for `hosts` (already checked by
    /// `config::host_pattern_problem`).
    pub fn new(hosts: &[String]) -> Patterns {
        let mut rules: Vec<Rule> = RULES
            .iter()
            .map(|&(kind, pattern, group, judge)| Rule {
                kind,
                regex: Regex::new(pattern).expect("the built-in patterns are valid"),
                group,
                judge,
            })
            .collect();
        rules.push(Rule {
            kind: LeakKind::SecretAssignment,
            regex: Regex::new(&secret_assignment()).expect("the key words are escaped"),
            group: 1,
            judge: Judge::Random,
        });
        if let Some(pattern) = hosts_pattern(hosts) {
            // Escaped names joined by `|`: valid whatever the names.
            if let Ok(regex) = Regex::new(&pattern) {
                rules.push(Rule {
                    kind: LeakKind::InternalHost,
                    regex,
                    group: 0,
                    judge: Judge::Host,
                });
            }
        }
        Patterns { rules }
    }

    pub fn find(&self, text: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        for rule in &self.rules {
            // Captures only for the rules that need them: finding is the faster search.
            let found: Vec<(Range<usize>, Range<usize>)> = if rule.group == 0 {
                rule.regex
                    .find_iter(text)
                    .map(|m| (m.range(), m.range()))
                    .collect()
            } else {
                rule.regex
                    .captures_iter(text)
                    .filter_map(|c| Some((c.get(rule.group)?.range(), c.get(0)?.range())))
                    .collect()
            };
            for (mut range, whole) in found {
                match rule.judge {
                    // The Google key's pattern ends on the character after the key.
                    Judge::Always if text[range.clone()].starts_with("AIza") => {
                        range.end = range.start + 39;
                    }
                    // The host's name, before the domain the pattern found.
                    Judge::Host if text[range.clone()].starts_with('.') => {
                        range.start = name_start(text, range.start);
                    }
                    _ => {}
                }
                let whole = name_start(text, whole.start)..whole.end;
                if judge(rule.judge, text, range.clone(), whole) {
                    out.push(Candidate {
                        kind: rule.kind,
                        range,
                    });
                }
            }
        }
        out
    }
}

fn judge(judge: Judge, text: &str, range: Range<usize>, whole: Range<usize>) -> bool {
    let value = &text[range.clone()];
    match judge {
        Judge::Always => true,
        Judge::NotExample => !value.ends_with("EXAMPLE"),
        Judge::Random => !placeholder(value) && random(value) && !names_a_hash(&text[whole]),
        Judge::NotPlaceholder => !placeholder(value),
        Judge::Bearer => !value.starts_with("eyJ") && !placeholder(value) && random(value),
        Judge::Email => email(text, range),
        Judge::Phone => phone(text, range),
        Judge::Ipv4 => ipv4(text, range),
        Judge::Ipv6 => ipv6(text, range),
        Judge::Host => {
            !text[range.clone()].starts_with('.')
                && word_bounded(text, range.start, range.end)
                && !after_dot(text, range.end)
        }
    }
}

/// A value written to stand for a secret rather than be one: `${TOKEN}`, `<password>`,
/// `****`, `xxxx`, `changeme`, `%s`.
fn placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let first = value.chars().next().unwrap_or(' ');
    "$<{%[".contains(first)
        || value
            .chars()
            .all(|c| c == value.chars().next().unwrap_or(c) || c == '.')
        || [
            "password",
            "passwd",
            "secret",
            "changeme",
            "redacted",
            "example",
            "placeholder",
            "your",
            "dummy",
            "token",
            "xxx",
            "***",
            "...",
            "…",
        ]
        .iter()
        .any(|p| lower.contains(p))
}

/// Whether a value looks random: letters and digits mixed, and at least 3.5 bits of
/// Shannon entropy per character (a sentence or a name has less, a key more); hex of a
/// hash's length is a hash unless the key says secret (the caller decides).
fn random(value: &str) -> bool {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let letters = value.bytes().filter(u8::is_ascii_alphabetic).count();
    if digits == 0 || letters == 0 {
        return false;
    }
    let mut counts = std::collections::HashMap::new();
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let n = value.chars().count() as f64;
    let entropy: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum();
    entropy >= 3.5
}

/// An assignment whose key names a hash or a digest (`token_sha256 = …`): hashes are
/// published on purpose.
fn names_a_hash(assignment: &str) -> bool {
    let key = assignment
        .split([':', '='])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ["hash", "sha", "digest", "checksum", "fingerprint", "md5"]
        .iter()
        .any(|h| key.contains(h))
}

/// Domains kept for documentation and tests (RFC 2606, RFC 6761): no one's address.
fn documentation_domain(domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    let reserved = ["example", "test", "invalid", "localhost", "local"];
    let tld = domain.rsplit('.').next().unwrap_or_default();
    reserved.contains(&tld)
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
}

/// Not an address: a file named for its resolution (`icon@2x.png`), an SSH remote
/// (`git@github.com`), a URL's user, or a documentation domain.
fn email(text: &str, range: Range<usize>) -> bool {
    let value = &text[range.clone()];
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let tld = domain
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let tld = tld.as_str();
    let file = [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "js", "css", "md", "txt", "json", "yaml",
        "yml", "html", "pdf", "zip", "gz", "ts", "py", "rb", "go", "rs",
    ];
    let before = text[..range.start].chars().next_back();
    !file.contains(&tld)
        && local != "git"
        && !documentation_domain(domain)
        && !text[..range.start].ends_with("://")
        && before.is_none_or(|c| !(c.is_alphanumeric() || c == '/' || c == ':'))
}

/// A phone number: 8 to 15 digits, standing alone (not part of a longer number, a
/// version or an identifier), not a date.
fn phone(text: &str, range: Range<usize>) -> bool {
    let value = text[range.clone()].trim_end();
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let before = text[..range.start].chars().next_back();
    let after = text[range.start + value.len()..].chars().next();
    (8..=15).contains(&digits)
        && before.is_none_or(|c| !(c.is_alphanumeric() || "._-/:=+".contains(c)))
        && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'))
        && !after_dot(text, range.start + value.len())
}

/// Whether a `.` and a letter or digit follow `end` (the match is part of a longer
/// dotted name or number).
fn after_dot(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    rest.next() == Some('.') && rest.next().is_some_and(char::is_alphanumeric)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where the name (a host name, a key) that ends at `end` starts: letters, digits,
/// `-`, `_` and dots before it.
fn name_start(text: &str, end: usize) -> usize {
    let before = &text.as_bytes()[..end];
    let name = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .count();
    end - name
}

/// Whether `start..end` is not part of a longer word.
pub fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    before.is_none_or(|c| !word(c) && c != '.') && after.is_none_or(|c| !word(c))
}

/// An IPv4 address that is someone's: not a version number (`v1.2.3.4`, `version
/// 2.14.0.12`, `1.2.3.4.5`), not loopback, unspecified, broadcast or a documentation
/// range (RFC 5737).
fn ipv4(text: &str, range: Range<usize>) -> bool {
    let Ok(ip) = text[range.clone()].parse::<Ipv4Addr>() else {
        return false;
    };
    let before = text[..range.start].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == '_')
        || after_dot(text, range.end)
        || text[range.end..].starts_with(['-', '_'])
    {
        return false;
    }
    // A version, by the word just before it or a verb of upgrading shortly before.
    let from = floor_boundary(text, range.start.saturating_sub(40));
    let lead = text[from..range.start].to_ascii_lowercase();
    let last = lead.trim_end();
    let versioned = ["version", "release", "build", "ver", "v", "sdk", "api"]
        .iter()
        .any(|w| last.ends_with(w))
        || [
            "upgrad", "downgrad", "roll", "bump", "patch", "pinned", "version",
        ]
        .iter()
        .any(|w| lead.contains(w));
    let [a, b, c, _] = ip.octets();
    let documentation = matches!((a, b, c), (192, 0, 2) | (198, 51, 100) | (203, 0, 113));
    !(versioned || ip.is_loopback() || ip.is_unspecified() || ip.is_broadcast() || documentation)
}

/// An IPv6 address that is someone's: written with `::` or all eight groups, holding a
/// digit, not loopback, unspecified or the documentation prefix (`2001:db8::/32`).
fn ipv6(text: &str, range: Range<usize>) -> bool {
    let value = &text[range.clone()];
    let groups = value.split(':').filter(|g| !g.is_empty()).count();
    if !(value.contains("::") || value.matches(':').count() == 7)
        || groups < 2
        || !value.bytes().any(|b| b.is_ascii_digit())
    {
        return false;
    }
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    if before.is_some_and(|c| c.is_alphanumeric() || c == ':' || c == '_')
        || after.is_some_and(|c| c.is_alphanumeric() || c == ':' || c == '_')
    {
        return false;
    }
    let Ok(ip) = value.parse::<Ipv6Addr>() else {
        return false;
    };
    let [first, second, ..] = ip.segments();
    !(ip.is_loopback() || ip.is_unspecified() || (first, second) == (0x2001, 0x0db8))
}

/// Key words of the names of secrets, as written in lower case and in two words
/// (`api key`); [`secret_assignment`] spells each as code writes it.
const SECRET_WORDS: &[&[&str]] = &[
    &["secret"],
    &["token"],
    &["password"],
    &["passwd"],
    &["pwd"],
    &["credential"],
    &["api", "key"],
    &["access", "key"],
    &["private", "key"],
    &["auth", "key"],
    &["client", "secret"],
];

/// A value assigned to a key named like a secret (`API_KEY=`, `clientSecret:`). The key
/// words are spelt out (`secret`, `SECRET`, `Secret`; `api_key`, `API-KEY`, `apiKey`…)
/// rather than matched case-insensitively: a plain set of literals is what the regex
/// engine looks for first, ten times faster than a case-insensitive alternation.
fn secret_assignment() -> String {
    let capital = |w: &str| w[..1].to_ascii_uppercase() + &w[1..];
    let mut words = Vec::new();
    for parts in SECRET_WORDS {
        let lower = parts.iter().map(|p| p.to_string());
        let upper = parts.iter().map(|p| p.to_ascii_uppercase());
        let capitalized = parts.iter().map(|p| capital(p));
        let camel = parts
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { p.to_string() } else { capital(p) });
        for spelling in [
            lower.collect::<Vec<_>>(),
            upper.collect(),
            capitalized.collect(),
            camel.collect(),
        ] {
            for sep in ["", "_", "-"] {
                let word = regex::escape(&spelling.join(sep));
                if !words.contains(&word) {
                    words.push(word);
                }
            }
        }
    }
    format!(
        r"(?-u)(?:{})s?[A-Za-z0-9_.\-]*[\x22']?[\t ]*[:=][\t ]*[\x22']?([A-Za-z0-9+/=_\-.~]{{16,}})",
        words.join("|")
    )
}

/// One regex for every host pattern: `*.corp.example.com` finds `.corp.example.com` (the
/// name before it is taken by [`name_start`]: a pattern that starts with a literal is
/// searched for that literal first), anything else the name itself; letters' case is
/// ignored. The longest first: the regex takes the first alternative that matches, and
/// `*.corp` would cut `db.corp.example.com` short of `*.corp.example.com`.
fn hosts_pattern(hosts: &[String]) -> Option<String> {
    let mut hosts: Vec<&String> = hosts.iter().collect();
    hosts.sort_by_key(|h| std::cmp::Reverse(h.len()));
    let parts: Vec<String> = hosts
        .into_iter()
        .filter(|h| crate::config::host_pattern_problem(h).is_none())
        .map(|h| match h.strip_prefix('*') {
            Some(suffix) => regex::escape(suffix),
            None => regex::escape(h),
        })
        .collect();
    (!parts.is_empty()).then(|| format!(r"(?i-u)(?:{})", parts.join("|")))
}
