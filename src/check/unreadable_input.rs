//! Rule `unreadable-input`: a file that could not be read (I/O error, binary, over the size cap).
//! Raised where files are read (`checker`), before any check runs; this file only declares it.

use super::Rule;
use crate::diagnostic::{RuleId, Severity};

/// The rule `unreadable-input`: its id, default severity and summary (`ccguard explain
/// unreadable-input` prints them; it has no longer documentation).
pub const RULE: Rule = Rule {
    id: RuleId::UnreadableInput,
    severity: Severity::Error,
    summary: "a file could not be read or parsed",
    doc: None,
    check: None,
    repost_only: false,
    reads: &[],
};
