//! Replacing the `ib-ref:N` placeholders that parsing left in the HTML with relative
//! URLs of their targets, as seen from the page that shows them.

use std::borrow::Cow;

use crate::link::{KnowledgeBase, Target};
use crate::model::{Incident, ReferenceKind};
use crate::parse::markdown::{REF_SCHEME, TITLE_PLACEHOLDER};

use crate::urls;

/// The URL (relative to the site root) and title a wiki link's id names.
pub fn wiki(kb: &KnowledgeBase, id: &str) -> Option<(String, String)> {
    Some(match kb.wiki_target(id)? {
        Target::Incident(i) => {
            let x = kb.incident(i);
            (urls::incident(&x.slug), x.title.clone())
        }
        Target::Factor(n) => {
            let f = &kb.factors[n];
            (urls::factor(f.id), f.title().to_owned())
        }
        Target::Action(n) => {
            let (x, item) = kb.action(n);
            (urls::action(&x.slug, &item.id), item.title.clone())
        }
    })
}

/// Resolves every placeholder in `html` (a fragment of `incident`'s body) for a page
/// whose root prefix is `root`: link targets, and the titles shown for `[[id]]`. A
/// target that does not exist links to nothing (`#`): the check stage reported it.
pub fn resolve<'h>(
    html: &'h str,
    incident: &Incident,
    kb: &KnowledgeBase,
    root: &str,
) -> Cow<'h, str> {
    if !contains(html, REF_SCHEME) {
        return Cow::Borrowed(html);
    }
    let urls = replace_numbered(
        html,
        REF_SCHEME,
        "",
        |n| {
            let r = incident.body.references.get(n)?;
            let url = match r.kind {
                ReferenceKind::Page => {
                    urls::incident(&kb.incident(*kb.by_path.get(r.target.as_path())?).slug)
                }
                ReferenceKind::Asset => urls::media(&r.target),
                ReferenceKind::Wiki { .. } => wiki(kb, &r.written)?.0,
            };
            Some(match &r.fragment {
                Some(f) => format!("{root}{url}#{f}"),
                None => format!("{root}{url}"),
            })
        },
        "#",
    );
    if !contains(&urls, TITLE_PLACEHOLDER) {
        return Cow::Owned(urls);
    }
    Cow::Owned(replace_numbered(
        &urls,
        TITLE_PLACEHOLDER,
        "",
        |n| {
            let r = incident.body.references.get(n)?;
            let title = wiki(kb, &r.written).map_or_else(|| r.written.clone(), |(_, t)| t);
            Some(crate::text::escape_html(&title).into_owned())
        },
        "",
    ))
}

/// Whether `needle` is in `text`: placeholders are looked for in every page's HTML,
/// where a vectorised search is several times faster than `str::contains`.
pub(super) fn contains(text: &str, needle: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some()
}

/// Replaces each `PREFIXN` (N a number), and `suffix` right after it if there, with
/// `value(N)`, or `missing` when it is None.
pub(super) fn replace_numbered(
    text: &str,
    prefix: &str,
    suffix: &str,
    value: impl Fn(usize) -> Option<String>,
    missing: &str,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let finder = memchr::memmem::Finder::new(prefix);
    while let Some(pos) = finder.find(rest.as_bytes()) {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + prefix.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        rest = &after[digits..];
        match after[..digits].parse::<usize>() {
            Ok(n) => {
                out.push_str(&value(n).unwrap_or_else(|| missing.to_owned()));
                rest = rest.strip_prefix(suffix).unwrap_or(rest);
            }
            Err(_) => out.push_str(prefix),
        }
    }
    out.push_str(rest);
    out
}
