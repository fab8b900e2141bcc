//! Replacing the `ib-ref:N` placeholders that parsing left in the HTML with relative
//! URLs of their targets, as seen from the page that shows them.

use crate::link::KnowledgeBase;
use crate::model::{Incident, ReferenceKind};
use crate::parse::markdown::REF_SCHEME;

use super::urls;

/// Resolves every placeholder in `html` (a fragment of `incident`'s body) for a page
/// whose root prefix is `root`. A target that does not exist links to nothing (`#`):
/// the check stage has already reported it.
pub fn resolve(html: &str, incident: &Incident, kb: &KnowledgeBase, root: &str) -> String {
    if !html.contains(REF_SCHEME) {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = rest.find(REF_SCHEME) {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + REF_SCHEME.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let target = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| incident.body.references.get(n))
            .and_then(|r| {
                let url = match r.kind {
                    ReferenceKind::Page => {
                        urls::incident(&kb.by_path.get(r.target.as_path())?.slug)
                    }
                    ReferenceKind::Asset => urls::media(&r.target),
                };
                Some(match &r.fragment {
                    Some(f) => format!("{root}{url}#{f}"),
                    None => format!("{root}{url}"),
                })
            });
        match target {
            Some(url) if digits > 0 => out.push_str(&url),
            _ if digits > 0 => out.push('#'),
            _ => out.push_str(REF_SCHEME),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}
