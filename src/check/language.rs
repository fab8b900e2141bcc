//! The blameless-language lint's findings (`crate::language`) as diagnostics.

use crate::diagnostics::Diagnostic;
use crate::model::Incident;

use crate::language::findings;

/// One post-mortem's findings, as diagnostics: those parsing made (with the names of
/// people it was given, which `configured_people` then does not override), or else
/// from its prose now.
pub fn check(incident: &Incident, configured_people: &[String]) -> Vec<Diagnostic> {
    let made;
    let found = match &incident.language {
        Some(found) => found,
        None => {
            made = findings(incident, configured_people);
            &made
        }
    };
    found
        .iter()
        .map(|f| {
            Diagnostic::new(f.code, &incident.source, f.span.clone(), f.message.clone())
                .with_help(f.help.clone())
        })
        .collect()
}
