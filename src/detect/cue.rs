//! The cues in force for this process: the detectors' patterns are compiled once per process
//! from them, so they are set once, before the first post is detected ([`install`]).
//!
//! Each detector builds one pattern per cue family from [`alternation`] (every language's
//! phrases as alternatives of one regex, as the patterns were written before they were data).

use std::sync::OnceLock;

use crate::rules::cues::{self, Cues, Family};

/// The cues the detectors' patterns are built from.
static ACTIVE: OnceLock<Cues> = OnceLock::new();

/// Make `cues` the ones the detectors use. Only the first call counts (the patterns built from
/// the cues are compiled once per process); returns false when other cues were already in
/// force, so a caller with different cues knows they are not the ones used.
pub fn install(cues: &Cues) -> bool {
    ACTIVE.get_or_init(|| cues.clone()) == cues
}

/// The cues in force: the installed ones, else the bundled ones.
fn active() -> &'static Cues {
    ACTIVE.get_or_init(|| cues::bundled().unwrap_or_default())
}

/// `family`'s phrases of every language in force, as one alternation (`a|b|c`).
pub(crate) fn alternation(family: Family) -> String {
    active().alternation(family)
}
