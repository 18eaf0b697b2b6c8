//! The rules: one function per rule id of the contract, each in its own file whose doc comment is
//! the rule's documentation (`ccguard explain ID` prints it).
//!
//! A check reads the [`Facts`] of one post and the governing license's requirements and returns
//! [`Diagnostic`]s. Checks never read files or print; `report` renders what they return.

mod conflicting_notice;
mod internal_error;
mod license_version_missing;
mod malformed_input;
mod missing_author_credit;
mod missing_license_link;
mod missing_license_notice;
mod missing_modification_notice;
mod missing_source_link;
mod missing_title;
mod missing_translation_disclosure;
mod nc_commercial_context;
mod nd_adaptation;
mod republished_with_permission;
mod sa_relicensed;
mod unknown_license;
mod upstream_license_mismatch;
mod upstream_unlicensed;
mod upstream_unreachable;

use serde::{Deserialize, Serialize};

use crate::attribution::{Attribution, language_name};
use crate::config::{Level, Settings};
use crate::detect::{Facts, LicenseClaim, Role, SourceLink};
use crate::document::Document;
use crate::governing::{self, Governing};
use crate::rules::policy::{self, Policy};
use crate::rules::{LicenseRule, Registry};

use crate::source::{Source, Span};
use crate::verify::{self, Upstream};
pub use internal_error::{TEST_PANIC_VAR, install_panic_hook};
pub(crate) use internal_error::{check as catch_panic, test_hook};

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

/// A secondary place a diagnostic points at, with a short message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One finding: a rule broken at a place, with a message and a proposed fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The post.
    pub source: &'a Source,
    /// Its parsed form.
    pub document: &'a Document,
    /// What the detectors found.
    pub facts: &'a Facts,
    /// All license rules.
    pub registry: &'a Registry,
    /// The license that governs the reposted material, when one is named.
    pub governing: Option<Governing<'a>>,
    /// The config settings for this post's path.
    pub settings: &'a Settings,
    /// The original's license, when a source link points to a publisher with a known policy.
    pub original: Option<Original<'a>>,
    /// The originals the post links, as fetched (empty when not verified).
    pub upstream: &'a [Upstream],
    /// The original's license when an original was fetched and names one; it governs what
    /// the repost may do (adapt, relicense) in place of the repost's own claim.
    pub upstream_license: Option<Governing<'a>>,
}

/// What a publisher policy says about the original a post links.
#[derive(Debug, Clone, Copy)]
pub struct Original<'a> {
    /// The publisher's policy.
    pub policy: &'a Policy,
    /// The license the policy names.
    pub rule: &'a LicenseRule,
    /// The link to the original.
    pub link: &'a SourceLink,
}

impl<'a> Input<'a> {
    /// Gather the input for one post, choosing its governing license.
    pub fn new(
        source: &'a Source,
        document: &'a Document,
        facts: &'a Facts,
        registry: &'a Registry,
        settings: &'a Settings,
    ) -> Self {
        let governing = governing::choose(facts, registry);
        let original = facts.sources.iter().find_map(|link| {
            let policy = registry.policy_for(&link.url)?;
            let rule = policy::resolve_id(registry, &policy.license)?;
            Some(Original { policy, rule, link })
        });
        Input {
            source,
            document,
            facts,
            registry,
            governing,
            settings,
            original,
            upstream: &[],
            upstream_license: None,
        }
    }

    /// Add what the post's originals say (see `verify`).
    #[must_use]
    pub fn with_upstream(mut self, upstream: &'a [Upstream]) -> Self {
        self.upstream_license = verify::governing(upstream, self.registry);
        self.upstream = upstream;
        self
    }

    /// True when the post republishes someone else's work, by its own signals or because the
    /// config says so (see [`crate::config::Settings::is_repost`]).
    pub fn is_repost(&self) -> bool {
        self.settings.is_repost(self.facts)
    }

    /// The rule whose requirements apply: the governing license's own, or for a versionless
    /// claim the newest version of its family (the version most reposts use).
    pub fn requirements(&self) -> Option<&'a LicenseRule> {
        self.upstream_license
            .as_ref()
            .or(self.governing.as_ref())
            .and_then(|g| g.rule.or(g.family_rule))
    }

    /// A credit line for this post built from what was found, written the way the post is
    /// (Markdown for Markdown posts, plain text otherwise), for help texts.
    pub fn credit_line(&self) -> String {
        let attribution = self.attribution();
        match self.source.format {
            crate::source::Format::Markdown => attribution.markdown(),
            crate::source::Format::Html => attribution.text(),
        }
    }

    /// A credit line for this post built from what was found.
    pub fn attribution(&self) -> Attribution {
        let facts = self.facts;
        let name_of = |role: Role| {
            let names: Vec<&str> = facts
                .credits
                .iter()
                .filter(|c| c.role == role)
                .map(|c| c.name.as_str())
                .collect();
            (!names.is_empty()).then(|| names.join(", "))
        };
        let rule = self.governing.as_ref().and_then(|g| g.rule);
        let original = self.upstream.iter().find_map(Upstream::original);
        Attribution {
            title: facts
                .title
                .as_ref()
                .map(|t| t.text.clone())
                .or_else(|| original.and_then(|o| o.title.clone())),
            author: name_of(Role::Author).or_else(|| {
                original
                    .filter(|o| !o.authors.is_empty())
                    .map(|o| o.authors.join(", "))
            }),
            source: facts.sources.first().map(|s| s.url.clone()),
            license_name: rule.map(short_name).or_else(|| {
                // A versionless claim: name the family and leave the version to fill in.
                let family = self.governing.as_ref()?.family.replacen("CC-", "CC ", 1);
                Some(format!("{family} <version>"))
            }),
            license_url: rule.map(|r| r.url.clone()),
            translated_from: facts.adaptation.from_language.as_deref().map(language_name),
            translator: name_of(Role::Translator),
        }
    }
}

/// `CC BY-NC 4.0`, `CC0 1.0`, `CC BY-SA 3.0 DE` for a rule.
pub fn short_name(rule: &LicenseRule) -> String {
    let family = rule.family.replacen("CC-", "CC ", 1);
    let mut name = match &rule.version {
        Some(version) => format!("{family} {version}"),
        None => family,
    };
    if let Some(port) = &rule.jurisdiction {
        name.push(' ');
        name.push_str(&port.to_ascii_uppercase());
    }
    name
}

/// A claim's license as people write it (`CC BY-SA 3.0`), from its rule file when it resolves,
/// else from its code and version (`CC BY-ND-SA 4.0`), else the evidence text.
fn claim_name(claim: &LicenseClaim, registry: &Registry) -> String {
    let resolved = governing::resolve(claim, registry);
    if let Some(rule) = resolved.rule.filter(|_| !resolved.ported) {
        return short_name(rule);
    }
    match (&claim.code, &claim.version) {
        (Some(_), version) => {
            let mut name = resolved.family.replacen("CC-", "CC ", 1);
            if let Some(version) = version {
                name.push(' ');
                name.push_str(version);
            }
            if let Some(port) = &claim.jurisdiction {
                name.push(' ');
                name.push_str(&port.to_ascii_uppercase());
            }
            name
        }
        (None, _) => "a Creative Commons license".to_owned(),
    }
}

/// A finding before the rule id and severity are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong.
    pub message: String,
    /// The primary place; `Span::default()` (line 1, column 1) for something absent.
    pub span: Span,
    /// The proposed fix.
    pub help: Option<String>,
    /// Related places.
    pub labels: Vec<Label>,
}

impl Finding {
    /// A finding at `span` with a message.
    pub fn at(span: Span, message: impl Into<String>) -> Finding {
        Finding {
            message: message.into(),
            span,
            help: None,
            labels: Vec::new(),
        }
    }

    /// A whole-document finding (something is absent), reported at line 1, column 1.
    pub fn absent(message: impl Into<String>) -> Finding {
        Finding::at(Span::default(), message)
    }

    /// Attach the fix.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Attach a related place.
    #[must_use]
    pub fn label(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}

/// A rule of the contract: id, default severity, one-line summary and its check.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Severity unless the config changes it.
    pub severity: Severity,
    /// One line for `rules list` and SARIF.
    pub summary: &'static str,
    /// The check; `None` for rules raised outside `check` (unreadable input, upstream).
    pub check: Option<fn(&Input) -> Vec<Finding>>,
}

/// Every rule, in the order of the contract.
pub const RULES: &[Rule] = &[
    Rule {
        id: "missing-license-notice",
        severity: Severity::Error,
        summary: "a repost names no license for the reposted material",
        check: Some(missing_license_notice::check),
    },
    Rule {
        id: "unknown-license",
        severity: Severity::Error,
        summary: "a license is named that no rule file describes",
        check: Some(unknown_license::check),
    },
    Rule {
        id: "license-version-missing",
        severity: Severity::Warning,
        summary: "a CC license is named without a version and no link fixes it",
        check: Some(license_version_missing::check),
    },
    Rule {
        id: "missing-license-link",
        severity: Severity::Warning,
        summary: "the license is named but neither linked nor given as a URI",
        check: Some(missing_license_link::check),
    },
    Rule {
        id: "missing-author-credit",
        severity: Severity::Error,
        summary: "a BY license, and the original creator is not credited",
        check: Some(missing_author_credit::check),
    },
    Rule {
        id: "missing-title",
        severity: Severity::Warning,
        summary: "a license up to 3.0, and the original title is not given",
        check: Some(missing_title::check),
    },
    Rule {
        id: "missing-source-link",
        severity: Severity::Error,
        summary: "no link to the original material",
        check: Some(missing_source_link::check),
    },
    Rule {
        id: "missing-translation-disclosure",
        severity: Severity::Error,
        summary: "the post is a translation and does not say so",
        check: Some(missing_translation_disclosure::check),
    },
    Rule {
        id: "missing-modification-notice",
        severity: Severity::Error,
        summary: "the post is otherwise adapted and does not say so (4.0)",
        check: Some(missing_modification_notice::check),
    },
    Rule {
        id: "nd-adaptation",
        severity: Severity::Error,
        summary: "an ND-licensed work is shared as a translation or other adaptation",
        check: Some(nd_adaptation::check),
    },
    Rule {
        id: "sa-relicensed",
        severity: Severity::Error,
        summary: "an adaptation of an SA work carries a license that is not the same or compatible",
        check: Some(sa_relicensed::check),
    },
    Rule {
        id: "nc-commercial-context",
        severity: Severity::Warning,
        summary: "an NC work appears beside commercial signals",
        check: Some(nc_commercial_context::check),
    },
    Rule {
        id: "conflicting-notice",
        severity: Severity::Error,
        summary: "the material also carries \"All rights reserved\", added restrictions, or two licenses",
        check: Some(conflicting_notice::check),
    },
    Rule {
        id: "upstream-license-mismatch",
        severity: Severity::Error,
        summary: "the original source carries a different license than the repost claims",
        check: Some(upstream_license_mismatch::check),
    },
    Rule {
        id: "upstream-unlicensed",
        severity: Severity::Error,
        summary: "the original source carries no CC license at all",
        check: Some(upstream_unlicensed::check),
    },
    Rule {
        id: "upstream-unreachable",
        severity: Severity::Warning,
        summary: "the original source could not be fetched",
        check: Some(upstream_unreachable::check),
    },
    Rule {
        id: "unreadable-input",
        severity: Severity::Error,
        summary: "a file could not be read or parsed",
        check: None,
    },
    Rule {
        id: "internal-error",
        severity: Severity::Error,
        summary: "checking this file hit a bug in ccguard (the other files are still checked; exit code 2)",
        check: None,
    },
    Rule {
        id: "republished-with-permission",
        severity: Severity::Info,
        summary: "the repost rests on the rights holder's permission, not on a CC license",
        check: Some(republished_with_permission::check),
    },
    Rule {
        id: "unused-suppression",
        severity: Severity::Info,
        summary: "a ccguard-disable comment silenced nothing",
        check: None,
    },
    Rule {
        id: "malformed-input",
        severity: Severity::Info,
        summary: "part of a file could not be parsed (broken front matter, unclosed markup, bad encoding)",
        check: Some(malformed_input::check),
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo: for
/// "did you mean" on rule ids (and, in the commands, license and policy ids).
pub fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| {
            (
                strsim::levenshtein(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= c.len() / 3 + 1)
        .min()
        .map(|(_, c)| c)
}

/// The rule id closest to an unknown `id`, for "did you mean".
pub fn nearest_rule(id: &str) -> Option<&'static str> {
    nearest(id, RULES.iter().map(|r| r.id))
}

/// Give each finding the severity the config sets for its rule, and drop the findings of rules
/// set `off`: the one place severities are configured, for every rule id, including those
/// raised outside [`run`] (`unreadable-input`, `unused-suppression`).
pub fn configure(settings: &Settings, diagnostics: &mut Vec<Diagnostic>) {
    if settings.levels.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| match settings.levels.get(d.rule) {
        Some(Level::Off) => false,
        Some(Level::On(severity)) => {
            d.severity = *severity;
            true
        }
        None => true,
    });
}

/// The documentation of a rule: the doc comment of its `check` function.
pub fn documentation(id: &str) -> Option<&'static str> {
    const DOCS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
    DOCS.iter()
        .find(|(rule, _)| *rule == id)
        .map(|(_, doc)| *doc)
}

/// The rules about reposting someone else's work: an original (a post with no repost signal)
/// gets none of them, only those about its own notice (CONTRACT §3).
const REPOST_ONLY: &[&str] = &[
    "missing-license-notice",
    "missing-author-credit",
    "missing-title",
    "missing-source-link",
    "missing-translation-disclosure",
    "missing-modification-notice",
    "nd-adaptation",
    "sa-relicensed",
    "nc-commercial-context",
    "republished-with-permission",
];

/// Run every rule over one post, at the severities the config sets (rules set `off` do not run).
pub fn run(input: &Input) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let original = !input.is_repost();
    for rule in RULES {
        let Some(check) = rule.check else { continue };
        if original && REPOST_ONLY.contains(&rule.id) {
            continue;
        }
        // A rule set off does not run at all.
        if input.settings.levels.get(rule.id) == Some(&Level::Off) {
            continue;
        }
        out.extend(check(input).into_iter().map(|f| Diagnostic {
            rule: rule.id,
            severity: rule.severity,
            message: f.message,
            span: f.span,
            help: f.help,
            labels: f.labels,
        }));
    }
    configure(input.settings, &mut out);
    out.sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    out
}
