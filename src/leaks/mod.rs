//! The leak check's scanner: what in a file must not leave the company. Secrets
//! (private keys, cloud access keys, tokens in their known forms, JWTs, passwords in
//! URLs, random-looking values assigned to keys named like secrets), e-mail
//! addresses, phone numbers, IP addresses, internal host names (`[leaks]
//! internal-hosts`) and the names of a roster file.
//!
//! Parsing runs it over a file's whole text, front matter included, code blocks
//! included (a token pasted from a terminal is usually in one), and keeps the findings
//! with the parse (`Incident::leaks`), each with its value masked; `check::leaks`
//! reports them at the level the material's visibility asks for.
//!
//! Patterns are tuned against false positives on real archives: version numbers,
//! timestamps, commit and content hashes, documentation addresses (`example.com`,
//! `192.0.2.0/24`) and placeholders (`${TOKEN}`, `****`) are not leaks.

mod patterns;

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::config::LeaksConfig;
use crate::diagnostics::LineIndex;
use crate::model::{LeakFinding, LeakKind};
use patterns::{Candidate, Patterns};

/// The leak check, set up once from `[leaks]` and the roster's names.
#[derive(Debug)]
pub struct Scanner {
    patterns: Patterns,
    roster: Option<AhoCorasick>,
    allow: std::collections::HashSet<String>,
}

impl Scanner {
    /// `config.internal_hosts` must be valid patterns (`Config` checks them when it is
    /// loaded: `config::host_pattern_problem`).
    pub fn new(config: &LeaksConfig) -> Scanner {
        let names: Vec<&str> = config
            .roster_names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        let roster = (!names.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&names)
                    .ok()
            })
            .flatten();
        Scanner {
            patterns: Patterns::new(&config.internal_hosts),
            roster,
            allow: config.allow.iter().cloned().collect(),
        }
    }

    /// Every leak in `text`, in order. `internal` gives the byte ranges of the internal
    /// passages: a finding inside one is marked so.
    pub fn scan(&self, text: &str, internal: &[Range<usize>]) -> Vec<LeakFinding> {
        let mut found = self.patterns.find(text);
        if let Some(roster) = &self.roster {
            for m in roster.find_iter(text) {
                if patterns::word_bounded(text, m.start(), m.end()) {
                    found.push(Candidate {
                        kind: LeakKind::RosterName,
                        range: m.range(),
                    });
                }
            }
        }
        found.retain(|c| !self.allow.contains(&text[c.range.clone()]));
        // One value, one finding: the first of overlapping ones (a GitHub token assigned
        // to `GITHUB_TOKEN=` is a token, not also a random value in an assignment).
        found.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
        let mut last_end = 0;
        found.retain(|c| {
            let keep = c.range.start >= last_end;
            if keep {
                last_end = c.range.end;
            }
            keep
        });
        let lines = LineIndex::new(text);
        found
            .into_iter()
            .map(|c| LeakFinding {
                kind: c.kind,
                span: lines.span(text, c.range.clone()),
                masked: mask(&text[c.range.clone()]),
                internal: internal.iter().any(|r| r.contains(&c.range.start)),
            })
            .collect()
    }
}

/// `value` as a diagnostic may show it: its first characters (a key's well-known
/// prefix, the start of an address), the rest replaced by its length, so that no CI
/// log repeats a secret.
pub fn mask(value: &str) -> String {
    let count = value.chars().count();
    let shown = match count {
        0..=5 => 1,
        6..=15 => 2,
        _ => 4,
    };
    let head: String = value.chars().take(shown).collect();
    format!("{head}… ({count} characters)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner(hosts: &[&str], roster: &[&str]) -> Scanner {
        let mut config = LeaksConfig::default();
        config
            .internal_hosts
            .extend(hosts.iter().map(|h| h.to_string()));
        config.roster_names = roster.iter().map(|n| n.to_string()).collect();
        Scanner::new(&config)
    }

    fn kinds(text: &str) -> Vec<(LeakKind, String)> {
        scanner(&["*.corp.example.com"], &["Jane Roe"])
            .scan(text, &[])
            .into_iter()
            .map(|f| (f.kind, text[f.span.start..f.span.end].to_owned()))
            .collect()
    }

    #[test]
    fn every_kind_is_found() {
        let cases = [
            ("-----BEGIN RSA PRIVATE KEY-----", LeakKind::PrivateKey),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", LeakKind::PrivateKey),
            ("AKIAZ7Q2XK4V9LMN3PQR", LeakKind::AccessKey),
            (
                "AIzaSyD3x9Q-7k2LmN4pQ8rS1tU6vW0yZ5aB3cD",
                LeakKind::AccessKey,
            ),
            ("ghp_4bX9kQ2mN7pL1sR8tV3wY6zA0cE5fH2jK9nM", LeakKind::Token),
            ("xoxb-1234567890-ABCDEFGHIJ", LeakKind::Token),
            ("sk_live_51HqZ2kLmN8pQ4rS7tU", LeakKind::Token),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                LeakKind::Jwt,
            ),
            ("jane.roe@acme-payments.com", LeakKind::Email),
            ("+44 20 7946 0958", LeakKind::Phone),
            ("(415) 555-2671", LeakKind::Phone),
            ("10.42.7.19", LeakKind::IpAddress),
            ("2a01:4f8:c17:3b2a::1", LeakKind::IpAddress),
            ("db-primary-03.corp.example.com", LeakKind::InternalHost),
            ("vault.internal", LeakKind::InternalHost),
            ("Jane Roe", LeakKind::RosterName),
        ];
        for (value, kind) in cases {
            let text = format!("Seen: {value} here.\n");
            assert_eq!(kinds(&text), [(kind, value.to_owned())], "{value}");
        }
    }

    #[test]
    fn passwords_in_urls_and_secret_assignments_report_the_value() {
        assert_eq!(
            kinds("postgres://app:Zq8vK2mWp4Lx@db:5432/orders"),
            [(LeakKind::PasswordInUrl, "Zq8vK2mWp4Lx".to_owned())]
        );
        assert_eq!(
            kinds("export API_KEY=\"f83Jd9sKq2Lx7Vb4Np6Rt1Wy\"\n"),
            [(
                LeakKind::SecretAssignment,
                "f83Jd9sKq2Lx7Vb4Np6Rt1Wy".to_owned()
            )]
        );
    }

    #[test]
    fn what_is_not_a_leak() {
        let text = "\
Upgraded to 1.24.3.1 (version 2.14.0.12), released 2024-03-12T14:05:00+02:00.
Commit 3f9a2b7c1d4e5f60718293a4b5c6d7e8f9012345, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.
Mail support@example.com or ops@status.example; see 192.0.2.10 and 127.0.0.1 and 0.0.0.0.
postgres://user:${DB_PASSWORD}@db/orders and https://user:****@host/x
token: ${{ secrets.NPM_TOKEN }} and password: changeme and AKIAIOSFODNN7EXAMPLE
Ratio 1.5.2, port 8080, 14:05:30, ids 123-456, order 2024-000123, icon@2x.png.
git@github.com:org/repo.git, lodash@4.17.21, std::io::Error, localhost:3000.
";
        assert!(kinds(text).is_empty(), "{:?}", kinds(text));
    }

    #[test]
    fn findings_in_internal_passages_are_marked_and_values_masked() {
        let text = "a\n10.1.2.3\n```internal\n10.1.2.4\n```\n";
        // The fenced block, as `parse::passages` finds it.
        let passages: Vec<Range<usize>> = std::iter::once(11..text.len()).collect();
        let found = scanner(&[], &[]).scan(text, &passages);
        assert_eq!(found.len(), 2);
        assert!(!found[0].internal && found[1].internal);
        assert_eq!(found[0].span.line, 2);
        assert_eq!(found[0].span.column, 1);
        assert_eq!(found[0].masked, "10… (8 characters)");
        assert!(!found[0].masked.contains("10.1.2.3"));
    }

    #[test]
    fn allowed_values_are_not_reported() {
        let config = LeaksConfig {
            allow: vec!["203.0.114.7".to_owned()],
            ..LeaksConfig::default()
        };
        assert!(Scanner::new(&config).scan("IP 203.0.114.7", &[]).is_empty());
    }
}
