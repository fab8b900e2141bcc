//! Learning-loop checks: is the practice closing the loop? Recurring factors with no
//! action item, action items aimed at nothing, overdue items, final reviews with no
//! follow-up.

use crate::config::ValidationConfig;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::link::KnowledgeBase;
use crate::model::Incident;

pub fn recurring_unaddressed(kb: &KnowledgeBase, rules: &ValidationConfig) -> Vec<Diagnostic> {
    kb.factors
        .iter()
        .filter(|f| f.incidents.len() >= rules.recurrence_threshold && f.actions.is_empty())
        .map(|f| {
            // Report on the factor's own file, else on the latest incident citing it.
            let latest = kb.incident(*f.incidents.last().expect("non-empty"));
            let (file, span) = match f.factor {
                Some(factor) => (factor.source.clone(), Span::file_start()),
                None => (
                    latest.source.clone(),
                    latest
                        .declared
                        .get("contributing_factors")
                        .cloned()
                        .unwrap_or_else(Span::file_start),
                ),
            };
            Diagnostic::new(
                Code::RecurringUnaddressed,
                file,
                span,
                format!(
                    "factor `{}` contributed to {} and no action item addresses it",
                    f.id,
                    crate::text::plural(f.incidents.len(), "incident")
                ),
            )
            .with_help(format!(
                "add an action item with `addresses: [{}]` to {}",
                f.id,
                latest.source.display()
            ))
        })
        .collect()
}

pub fn per_incident(
    incident: &Incident,
    kb: &KnowledgeBase,
    rules: &ValidationConfig,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let items_span = || {
        incident
            .declared
            .get("action_items")
            .cloned()
            .unwrap_or_else(Span::file_start)
    };
    for item in &incident.action_items {
        // A suggested item is read from prose, which links nothing: `import` writes
        // it down, and then it is checked.
        if item.addresses.is_empty() && !item.suggested {
            out.push(
                Diagnostic::new(
                    Code::ActionWithoutFactor,
                    &incident.source,
                    items_span(),
                    format!("action item `{}` addresses no contributing factor", item.id),
                )
                .with_help("add `addresses: [factor-id]` naming the factors it is meant to change"),
            );
        }
        if kb.is_overdue(item) {
            out.push(
                Diagnostic::new(
                    Code::OverdueAction,
                    &incident.source,
                    items_span(),
                    format!(
                        "action item `{}` is {} and was due {}",
                        item.id,
                        item.status.label(),
                        item.due.map(|d| d.to_string()).unwrap_or_default()
                    ),
                )
                .with_help(format!(
                    "update its status, or agree a new due date (judged as of {})",
                    kb.as_of
                )),
            );
        }
    }
    if incident.action_items.is_empty()
        && incident.status.as_deref() == Some(rules.final_status.as_str())
    {
        out.push(
            Diagnostic::new(
                Code::FinalWithoutActions,
                &incident.source,
                incident.declared.get("status").cloned().unwrap_or_else(Span::file_start),
                format!("a {} post-mortem declares no action items", rules.final_status),
            )
            .with_help("declare the follow-up changes in `action_items`, or say in Action Items why there are none"),
        );
    }
    out
}
