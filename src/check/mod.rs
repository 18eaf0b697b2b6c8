//! The rules: one file per rule id, named after it (`missing_title.rs` is `missing-title`),
//! declaring as its `RULE` the rule's id, default severity, summary, documentation (`ccguard
//! explain ID` prints it) and the facts it reads, next to its check function. `build.rs` lists
//! the files, and [`RuleId`] and [`RULES`] are made of that list: a new file is a new rule.
//!
//! A check reads the [`Facts`] of one post and the governing license's requirements and returns
//! [`Diagnostic`]s. Checks never read files or print; `report` renders what they return.

/// Declares each rule file's module and [`RULES`], as `rule_files!` lists them.
macro_rules! rules {
    ($($module:ident $variant:ident $id:literal,)*) => {
        $(mod $module;)*

        /// Every rule, in the order of their ids.
        pub const RULES: &[Rule] = &[$($module::RULE,)*];

        // Each file's `RULE` has the id its name gives, so `RULES[id as usize]` is `id`'s rule.
        const _: () = {
            let mut index = 0;
            $(
                assert!(
                    matches!(RULES[index].id, RuleId::$variant),
                    concat!(
                        "src/check/", stringify!($module), ".rs: its RULE's id must be ",
                        "RuleId::", stringify!($variant),
                    ),
                );
                index += 1;
            )*
        };
    };
}

// `rule_files!`, made by `build.rs` from the names of the files in `src/check/`.
include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));
rule_files!(rules);

use crate::attribution::{Attribution, language_name};
use crate::detect::{Facts, LicenseClaim, Role, SourceLink};
use crate::diagnostic::{Diagnostic, Label, Level, Levels, RuleId, Severity};
use crate::document::Document;
use crate::governing::{self, Governing};
use crate::rules::policy::{self, Policy};
use crate::rules::{LicenseRule, Registry};

use crate::source::{LineIndex, Source, Span};
use crate::verify::{self, Upstream};
pub use internal_error::{TEST_PANIC_VAR, install_panic_hook};
pub(crate) use internal_error::{check as catch_panic, test_hook};

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
    /// True when the post republishes someone else's work, by its own signals or because the
    /// config says so (see `config::Settings::is_repost`).
    pub repost: bool,
    /// The config says the site is a commercial context (for NC checks).
    pub commercial: bool,
    /// The levels the config sets for this post's path.
    pub levels: &'a Levels,
    /// The original's license, when a source link points to a publisher with a known policy.
    pub policy_license: Option<PolicyLicense<'a>>,
    /// The originals the post links, as fetched (empty when not verified).
    pub upstream: &'a [Upstream],
    /// The original's license when an original was fetched and names one; it governs what
    /// the repost may do (adapt, relicense) in place of the repost's own claim.
    pub upstream_license: Option<Governing<'a>>,
}

/// The license a publisher's policy gives the original a post links.
#[derive(Debug, Clone, Copy)]
pub struct PolicyLicense<'a> {
    /// The publisher's policy.
    pub policy: &'a Policy,
    /// The license the policy names.
    pub rule: &'a LicenseRule,
    /// The link to the original.
    pub link: &'a SourceLink,
}

impl<'a> Input<'a> {
    /// Gather the input for one post, choosing its governing license; `repost`, `commercial`
    /// and `levels` are what the config decides for its path.
    pub fn new(
        source: &'a Source,
        document: &'a Document,
        facts: &'a Facts,
        registry: &'a Registry,
        repost: bool,
        commercial: bool,
        levels: &'a Levels,
    ) -> Self {
        let governing = governing::choose(facts, registry);
        let policy_license = facts.sources.iter().find_map(|link| {
            let policy = registry.policy_for(&link.url)?;
            let rule = policy::resolve_id(registry, &policy.license)?;
            Some(PolicyLicense { policy, rule, link })
        });
        Input {
            source,
            document,
            facts,
            registry,
            governing,
            repost,
            commercial,
            levels,
            policy_license,
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
        let rule = self.governing.as_ref().and_then(|g| g.rule);
        let original = self.upstream.iter().find_map(Upstream::original);
        Attribution {
            title: facts
                .title
                .as_ref()
                .map(|t| t.text.clone())
                .or_else(|| original.and_then(|o| o.title.clone())),
            author: facts.credited(Role::Author).or_else(|| {
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
            translator: facts.credited(Role::Translator),
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
    /// Related places, each with what is there.
    pub labels: Vec<(Span, String)>,
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
        self.labels.push((span, message.into()));
        self
    }
}

/// A rule: id, default severity, one-line summary, documentation, its check and what it reads.
/// Each rule declares its own in its file under `check/`, as `RULE`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id.
    pub id: RuleId,
    /// Severity unless the config changes it.
    pub severity: Severity,
    /// One line for `rules list` and SARIF.
    pub summary: &'static str,
    /// The documentation `ccguard explain` prints, in the ruff shape (What it checks / Why /
    /// Passes / Fails / How to fix).
    pub doc: Option<&'static str>,
    /// The check; `None` for rules raised outside `check` (unreadable input, internal errors,
    /// unused suppressions).
    pub check: Option<fn(&Input) -> Vec<Finding>>,
    /// True for a rule about reposting someone else's work: an original (a post with no repost
    /// signal) is not checked by it, only by those about its own notice (CONTRACT §3).
    pub repost_only: bool,
    /// The facts the check decides on, which `check --why` marks.
    pub reads: &'static [Fact],
}

/// A part of a post's [`Facts`], as a [`Rule`] names what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// Whether the post is a repost, and its signals.
    Repost,
    /// The license claims and the governing license.
    License,
    /// The credited names.
    Credits,
    /// The title.
    Title,
    /// The links to the original.
    Sources,
    /// Translation and modification, and their disclosures.
    Adaptation,
    /// "All rights reserved" and other added restrictions.
    Restrictions,
    /// Ads, paywalls, sponsored labels, shop links.
    Commercial,
    /// A statement of the rights holder's permission.
    Permission,
    /// Photos, videos, audio and embeds, with their credits.
    Media,
}

impl Rule {
    /// A finding of this rule in `text` (indexed by `lines`) as a diagnostic at the rule's
    /// default severity ([`configure`] applies the config's level), its places and its labels'
    /// computed here, once: the one place where a span becomes a line and column.
    pub fn report(&self, finding: Finding, text: &str, lines: &LineIndex) -> Diagnostic {
        Diagnostic {
            rule: self.id,
            severity: self.severity,
            message: finding.message,
            place: lines.place(text, finding.span),
            span: finding.span,
            help: finding.help,
            labels: finding
                .labels
                .into_iter()
                .map(|(span, message)| Label {
                    span,
                    place: lines.place(text, span),
                    message,
                })
                .collect(),
        }
    }

    /// A finding of this rule about an input with no text (unreadable, or its check failed):
    /// at line 1, column 1.
    pub fn report_textless(&self, finding: Finding) -> Diagnostic {
        self.report(finding, "", &LineIndex::new(""))
    }
}

/// The rule with this id (`RULES` is in the order of the ids, which the build checks).
pub fn rule(id: RuleId) -> &'static Rule {
    &RULES[id as usize]
}

/// The rule whose kebab-case name is `name` (as a config, a comment or a command line gives it).
pub fn rule_named(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.as_str() == name)
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
    nearest(id, RULES.iter().map(|r| r.id.as_str()))
}

/// Give each finding the severity the config sets for its rule, and drop the findings of rules
/// set `off`: the one place severities are configured, for every rule id, including those
/// raised outside [`run`] (`unreadable-input`, `unused-suppression`).
pub fn configure(levels: &Levels, diagnostics: &mut Vec<Diagnostic>) {
    if levels.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| match levels.get(&d.rule) {
        Some(Level::Off) => false,
        Some(Level::On(severity)) => {
            d.severity = *severity;
            true
        }
        None => true,
    });
}

/// Run every rule over one post (whose line starts are `lines`), at the severities the config
/// sets (rules set `off` do not run).
pub fn run(input: &Input, lines: &LineIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let original = !input.repost;
    for rule in RULES {
        let Some(check) = rule.check else { continue };
        if original && rule.repost_only {
            continue;
        }
        // A rule set off does not run at all.
        if input.levels.get(&rule.id) == Some(&Level::Off) {
            continue;
        }
        out.extend(
            check(input)
                .into_iter()
                .map(|f| rule.report(f, &input.source.text, lines)),
        );
    }
    configure(input.levels, &mut out);
    out.sort_by_key(|d| (d.span.start, d.rule));
    out
}
