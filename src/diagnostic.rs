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

/// A rule's stable id. Its kebab-case name ([`RuleId::as_str`]) is what the JSON output, the
/// config, suppression comments and baselines use; each rule's severity, summary and
/// documentation are declared in its own file under `check/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleId {
    /// `missing-license-notice`.
    MissingLicenseNotice,
    /// `unknown-license`.
    UnknownLicense,
    /// `license-version-missing`.
    LicenseVersionMissing,
    /// `missing-license-link`.
    MissingLicenseLink,
    /// `missing-author-credit`.
    MissingAuthorCredit,
    /// `missing-title`.
    MissingTitle,
    /// `missing-source-link`.
    MissingSourceLink,
    /// `missing-translation-disclosure`.
    MissingTranslationDisclosure,
    /// `missing-modification-notice`.
    MissingModificationNotice,
    /// `nd-adaptation`.
    NdAdaptation,
    /// `sa-relicensed`.
    SaRelicensed,
    /// `nc-commercial-context`.
    NcCommercialContext,
    /// `conflicting-notice`.
    ConflictingNotice,
    /// `upstream-license-mismatch`.
    UpstreamLicenseMismatch,
    /// `upstream-unlicensed`.
    UpstreamUnlicensed,
    /// `upstream-unreachable`.
    UpstreamUnreachable,
    /// `unreadable-input`.
    UnreadableInput,
    /// `internal-error`.
    InternalError,
    /// `republished-with-permission`.
    RepublishedWithPermission,
    /// `unused-suppression`.
    UnusedSuppression,
    /// `malformed-input`.
    MalformedInput,
    /// `missing-media-credit`.
    MissingMediaCredit,
    /// `media-license-mismatch`.
    MediaLicenseMismatch,
    /// `media-unverified`.
    MediaUnverified,
}

impl RuleId {
    /// The kebab-case name, e.g. `missing-source-link`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::MissingLicenseNotice => "missing-license-notice",
            RuleId::UnknownLicense => "unknown-license",
            RuleId::LicenseVersionMissing => "license-version-missing",
            RuleId::MissingLicenseLink => "missing-license-link",
            RuleId::MissingAuthorCredit => "missing-author-credit",
            RuleId::MissingTitle => "missing-title",
            RuleId::MissingSourceLink => "missing-source-link",
            RuleId::MissingTranslationDisclosure => "missing-translation-disclosure",
            RuleId::MissingModificationNotice => "missing-modification-notice",
            RuleId::NdAdaptation => "nd-adaptation",
            RuleId::SaRelicensed => "sa-relicensed",
            RuleId::NcCommercialContext => "nc-commercial-context",
            RuleId::ConflictingNotice => "conflicting-notice",
            RuleId::UpstreamLicenseMismatch => "upstream-license-mismatch",
            RuleId::UpstreamUnlicensed => "upstream-unlicensed",
            RuleId::UpstreamUnreachable => "upstream-unreachable",
            RuleId::UnreadableInput => "unreadable-input",
            RuleId::InternalError => "internal-error",
            RuleId::RepublishedWithPermission => "republished-with-permission",
            RuleId::UnusedSuppression => "unused-suppression",
            RuleId::MalformedInput => "malformed-input",
            RuleId::MissingMediaCredit => "missing-media-credit",
            RuleId::MediaLicenseMismatch => "media-license-mismatch",
            RuleId::MediaUnverified => "media-unverified",
        }
    }

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
