//! The rules: one function per rule id of the contract, each in its own file whose doc comment is
//! the rule's documentation (`ccguard explain ID` prints it).
//!
//! A check reads the [`Facts`] of one post and the governing license's requirements and returns
//! [`Diagnostic`]s. Checks never read files or print; `report` renders what they return.

use serde::Serialize;

use crate::detect::Facts;
use crate::document::Document;
use crate::rules::{LicenseRule, Registry};
use crate::source::{Source, Span};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

/// A secondary place a diagnostic points at, with a short message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One finding: a rule broken at a place, with a message and a proposed fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule id, e.g. `missing-source-link`.
    pub rule: &'static str,
    /// Severity after config.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The primary place (for whole-document findings: `0..0`).
    pub span: Span,
    /// How to fix it, concretely.
    pub help: Option<String>,
    /// Other places that explain the finding.
    pub labels: Vec<Label>,
}

/// What every check gets to look at.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The post.
    pub source: &'a Source,
    /// Its parsed form.
    pub document: &'a Document,
    /// What the detectors found.
    pub facts: &'a Facts,
    /// All license rules.
    pub registry: &'a Registry,
    /// The license that governs the reposted material, when one is named and known.
    pub governing: Option<&'a LicenseRule>,
}
