//! The leak check's findings as diagnostics (the scanner is `leaks/`, run by parsing),
//! and links from public material to internal post-mortems. What is public decides the
//! level: an error in public material, a warning in internal material.

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::link::{KnowledgeBase, Target};
use crate::model::{Book, Incident, LeakFinding, LeakKind, ReferenceKind};

/// The leak findings of one post-mortem, and its links to internal post-mortems.
pub fn check(incident: &Incident, kb: &KnowledgeBase, config: &Config) -> Vec<Diagnostic> {
    let public = config.is_public(incident.visibility.as_deref());
    let mut out: Vec<Diagnostic> = incident
        .leaks
        .iter()
        .map(|f| diagnostic(f, &incident.source, public && !f.internal))
        .collect();
    if public {
        out.extend(links_to_internal(incident, kb, config));
    }
    out
}

/// The leak findings of the factors' descriptions: public material when a public
/// post-mortem names the factor.
pub fn factors(book: &Book, kb: &KnowledgeBase, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for links in &kb.factors {
        let Some(factor) = links.factor else { continue };
        let public = links
            .incidents
            .iter()
            .any(|&i| config.is_public(book.incidents[i].visibility.as_deref()));
        out.extend(
            factor
                .leaks
                .iter()
                .map(|f| diagnostic(f, &factor.source, public && !f.internal)),
        );
    }
    out
}

fn diagnostic(finding: &LeakFinding, file: &std::path::Path, public: bool) -> Diagnostic {
    let (code, what) = match finding.kind {
        LeakKind::PrivateKey => (Code::PrivateKey, "a private key"),
        LeakKind::AccessKey => (Code::AccessKey, "a cloud access key"),
        LeakKind::Token => (Code::Token, "an access token"),
        LeakKind::Jwt => (Code::Jwt, "a JSON Web Token"),
        LeakKind::PasswordInUrl => (Code::PasswordInUrl, "a password in a URL"),
        LeakKind::SecretAssignment => (Code::SecretAssignment, "a random-looking secret"),
        LeakKind::Email => (Code::Email, "an e-mail address"),
        LeakKind::Phone => (Code::Phone, "a phone number"),
        LeakKind::IpAddress => (Code::IpAddress, "an IP address"),
        LeakKind::InternalHost => (Code::InternalHost, "an internal host name"),
        LeakKind::RosterName => (Code::RosterName, "a name from the roster"),
    };
    let (severity, material, help) = if public {
        (
            Severity::Error,
            "public material",
            "remove it, or move it into an internal passage (```internal … ```, or a section headed `{.internal}`)",
        )
    } else {
        (
            Severity::Warning,
            "internal material",
            "the public edition leaves it out; remove it if it must not stay in the archive either",
        )
    };
    let mut d = Diagnostic::new(
        code,
        file,
        finding.span.clone(),
        format!("{what} in {material}: `{}`", finding.masked),
    )
    .with_help(help);
    d.severity = severity;
    d
}

/// Links (outside internal passages) from a public post-mortem to an internal one or
/// to an internal one's action item: the public edition leaves the target out.
fn links_to_internal(incident: &Incident, kb: &KnowledgeBase, config: &Config) -> Vec<Diagnostic> {
    let internal = |i: usize| !config.is_public(kb.incident(i).visibility.as_deref());
    let withheld = &kb.book.withheld;
    incident
        .body
        .references
        .iter()
        .filter(|r| !incident.passages.iter().any(|p| p.contains(&r.start)))
        .filter(|r| match r.kind {
            ReferenceKind::Page => match kb.by_path.get(r.target.as_path()) {
                Some(&i) => internal(i),
                None => withheld.paths.contains(&r.target),
            },
            ReferenceKind::Wiki { .. } => match kb.wiki_target(&r.written) {
                Some(Target::Incident(i)) => internal(i),
                Some(Target::Action(n)) => internal(kb.actions[n].incident),
                Some(Target::Factor(_)) => false,
                None => withheld.names.contains(&r.written),
            },
            ReferenceKind::Asset => false,
        })
        .map(|r| {
            Diagnostic::new(
                Code::LinkToInternal,
                &incident.source,
                super::point(r.line, r.column, r.start, r.end),
                format!(
                    "a public post-mortem links to internal material: `{}`",
                    r.written
                ),
            )
            .with_help(
                "remove the link, move it into an internal passage, or make its target public",
            )
        })
        .collect()
}
