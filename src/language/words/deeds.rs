//! Deeds that are neutral in themselves: what the rules on neglect and on changes read
//! around them.

/// Putting a change into production ("merged", "deployed", "ran"): blameless alone,
/// a finding with what comes with it ("merged it without review").
pub(in crate::language) fn ships(word: &str) -> bool {
    matches!(
        word,
        "merged"
            | "merging"
            | "pushed"
            | "pushing"
            | "deployed"
            | "deploying"
            | "shipped"
            | "shipping"
            | "approved"
            | "approving"
            | "released"
            | "applied"
            | "applying"
            | "introduced"
            | "committed"
            | "wrote"
            | "ran"
            | "running"
            | "rolled"
    )
}

/// Knowing, receiving or happening rather than taking care: "had not seen the alert"
/// and "had not been told" neglect nothing.
pub(in crate::language) fn knows(word: &str) -> bool {
    matches!(
        word,
        "seen"
            | "saw"
            | "heard"
            | "known"
            | "knew"
            | "received"
            | "got"
            | "needed"
            | "had"
            | "been"
            | "happened"
            | "expected"
            | "used"
            | "existed"
            | "occurred"
    )
}

/// Responding to an incident ("escalating", "paging", "rolling back"): what a person
/// "waited" to do.
pub(in crate::language) fn responds(word: &str) -> bool {
    [
        "escalat",
        "pag",
        "respond",
        "react",
        "acknowledg",
        "act",
        "roll",
        "call",
        "alert",
        "declar",
        "tell",
        "inform",
    ]
    .iter()
    .any(|p| word.starts_with(p))
}

/// What a person "knew" of an action that makes taking it a judgement of them ("knew
/// it was risky").
pub(in crate::language) fn warned_of(word: &str) -> bool {
    matches!(
        word,
        "required"
            | "risky"
            | "wrong"
            | "dangerous"
            | "unsafe"
            | "better"
            | "forbidden"
            | "mandatory"
    )
}

/// What makes a shipped change a fault of whoever shipped it ("merged an untested
/// migration").
pub(in crate::language) fn unvetted(word: &str) -> bool {
    matches!(
        word,
        "untested"
            | "unreviewed"
            | "unauthorised"
            | "unauthorized"
            | "broken"
            | "bad"
            | "half-baked"
            | "unapproved"
    )
}

/// The care a step needs, as a noun after "without" ("merged without review",
/// "deployed without telling anyone").
pub(in crate::language) fn skipped_care(word: &str) -> bool {
    matches!(
        word,
        "approval"
            | "review"
            | "sign-off"
            | "signoff"
            | "permission"
            | "tests"
            | "backup"
            | "authorisation"
            | "authorization"
            | "telling"
            | "dry-run"
            | "notice"
    )
}
