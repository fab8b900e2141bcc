//! The lint's vocabulary: word classes (one lookup gives all of a word's classes),
//! phrases, and the automata that find the words a rule needs. Each file holds one
//! kind of word; `lexicon.rs` gathers them into classes.

mod anchors;
mod cues;
mod deeds;
mod failings;
mod grammar;
mod lexicon;
mod not_names;
mod people;
mod phrases;

pub(super) use anchors::{ANCHOR, Check, anchor_text};
pub(super) use deeds::{knows, responds, ships, skipped_care, unvetted, warned_of};
pub(super) use lexicon::{PHRASE_KEYS, class, classes};
pub(super) use people::{CUE, CUES_AFTER};
pub(super) use phrases::{BEHAVIOUR, BLAME, CONCEPT, HUMAN};
