//! What a finding is: the typed [`RuleId`], the [`Severity`] a finding has and the [`Level`] a
//! config sets, and the [`Diagnostic`] itself with its places.
//!
//! Not for the rules themselves (their checks, summaries and docs are in `check`, one file per
//! rule) nor for how findings are printed (`report`).

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::source::{Place, Span};

/// Declares [`RuleId`] with a variant and a name for each rule file, as `rule_files!` lists
/// them.
macro_rules! rule_ids {
    ($($module:ident $variant:ident $id:literal,)*) => {
        /// A rule's stable id. Its kebab-case name ([`RuleId::as_str`]) is what the JSON output,
        /// the config, suppression comments and baselines use. One variant per file in
        /// `src/check/`, where each rule declares its severity, summary and documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $(
                #[doc = concat!("`", $id, "`.")]
                $variant,
            )*
        }

        impl RuleId {
            /// The kebab-case name, e.g. `missing-source-link`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }
        }
    };
}

// `rule_files!`, made by `build.rs` from the names of the files in `src/check/`.
include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));
rule_files!(rule_ids);

impl RuleId {
    /// Where the rule is documented for people following a link (SARIF's `helpUri`, LSP's
    /// `codeDescription`).
    pub fn docs_url(self) -> String {
        format!(
            "https://github.com/ccguard/ccguard/blob/main/README.md#{}",
            self.as_str()
        )
    }
}

/// Ids are ordered by name: findings at one place, per-rule counts and configured levels are
/// listed alphabetically.
impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Written as its kebab-case name (the JSON `rule` field).
impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Info,
    /// Probably a problem.
    Warning,
    /// A license condition is not met.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A severity as configured: a level, or `off` to disable the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Report at this severity.
    On(Severity),
    /// Do not report.
    Off,
}

/// The levels a config sets, by rule; rules not named keep their default severity.
pub type Levels = BTreeMap<RuleId, Level>;

/// A secondary place a diagnostic points at, with a short message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where, in bytes.
    pub span: Span,
    /// Where, as printed.
    pub place: Place,
    /// What is there.
    pub message: String,
}

/// One finding: a rule broken at a place, with a message and a proposed fix. Born with its
/// places computed ([`crate::check::Rule::report`]), so no output has to find them again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule broken.
    pub rule: RuleId,
    /// Severity after config.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The primary place in bytes (for whole-document findings: `0..0`).
    pub span: Span,
    /// The primary place as printed (line 1, column 1 for a whole-document finding).
    pub place: Place,
    /// How to fix it, concretely.
    pub help: Option<String>,
    /// Other places that explain the finding.
    pub labels: Vec<Label>,
}
