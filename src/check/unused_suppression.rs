//! Rule `unused-suppression`: a `ccguard-disable` comment that silenced nothing or names no
//! rule. Raised by `suppress`, which reads the comments; this file only declares it.

use super::Rule;
use crate::diagnostic::{RuleId, Severity};

/// The rule `unused-suppression`: its id, default severity and summary (`ccguard explain
/// unused-suppression` prints them; it has no longer documentation).
pub const RULE: Rule = Rule {
    id: RuleId::UnusedSuppression,
    severity: Severity::Info,
    summary: "a ccguard-disable comment silenced nothing",
    doc: None,
    check: None,
    repost_only: false,
    reads: &[],
};
