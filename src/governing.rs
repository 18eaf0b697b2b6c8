//! The governing license of a page: which of its license claims governs its text, resolved
//! against the license data (`rules/licenses`), and the summary of it that results keep.
//!
//! A stage between `detect` and the stages that judge a page: `check` asks it about a post,
//! `verify` about a fetched original. Not for finding claims in a page (that is
//! `detect::license`), nor for judging whether a post meets its license (that is `check`).

use serde::{Deserialize, Serialize};

use crate::detect::media::ResolvedLicense;
use crate::detect::{Evidence, Facts, LicenseClaim, Scope};
use crate::rules::{Elements, LicenseRule, Registry};

/// The license that governs a page's text, resolved against the rule files.
#[derive(Debug, Clone)]
pub struct Governing<'a> {
    /// The claim it rests on (the most specific text claim).
    pub claim: &'a LicenseClaim,
    /// The rule file for the claimed code, version and port; `None` when the version is
    /// missing or no rule file describes the license.
    pub rule: Option<&'a LicenseRule>,
    /// The SPDX id or `LicenseRef-…` when resolved.
    pub id: Option<String>,
    /// True when a port without its own file fell back to the unported rules.
    pub ported: bool,
    /// The family (`CC-BY-NC`), or `CC` for a bare "Creative Commons license".
    pub family: String,
    /// The newest rule of the family, for a versionless claim.
    pub family_rule: Option<&'a LicenseRule>,
    /// Elements, known from the code even without a version.
    pub elements: Elements,
}

impl Governing<'_> {
    /// What the JSON `license` object says about this license, from the facts it was chosen
    /// from.
    pub fn summary(&self, facts: &Facts) -> LicenseSummary {
        LicenseSummary {
            id: self.id.clone(),
            family: self.family.clone(),
            version: self.claim.version.clone(),
            jurisdiction: self.claim.jurisdiction.clone(),
            linked: facts
                .licenses
                .iter()
                .any(|c| c.linked && matches!(c.scope, Scope::Text | Scope::Site)),
            evidence: facts
                .licenses
                .iter()
                .filter(|c| c.scope == self.claim.scope && c.code == self.claim.code)
                .map(|c| c.evidence.clone())
                .collect(),
        }
    }
}

/// What the JSON `license` object says about a page's governing license.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseSummary {
    /// SPDX id or `LicenseRef-…`; `None` when the version is missing or the license unknown.
    pub id: Option<String>,
    /// `CC-BY-NC`, or `CC` for a bare "Creative Commons license".
    pub family: String,
    /// The version when given.
    pub version: Option<String>,
    /// The port (`de`, `igo`…) when given.
    pub jurisdiction: Option<String>,
    /// True when some claim for the text links the license.
    pub linked: bool,
    /// The claims that name this license.
    pub evidence: Vec<Evidence>,
}

/// Pick the governing claim: text claims first (site claims only when there is none), then
/// the most specific: a known code, then a version; earlier wins ties (in an adaptation that
/// names both, the original's license usually comes first).
pub fn choose<'a>(facts: &'a Facts, registry: &'a Registry) -> Option<Governing<'a>> {
    let text: Vec<&LicenseClaim> = facts
        .licenses
        .iter()
        .filter(|c| c.scope == Scope::Text)
        .collect();
    let pool = if text.is_empty() {
        facts
            .licenses
            .iter()
            .filter(|c| c.scope == Scope::Site)
            .collect()
    } else {
        text
    };
    let claim = pool
        .into_iter()
        .enumerate()
        .max_by_key(|(i, c)| {
            (
                c.code.is_some(),
                c.version.is_some(),
                c.linked,
                std::cmp::Reverse(*i),
            )
        })?
        .1;
    Some(resolve(claim, registry))
}

/// Resolve one claim against the registry.
pub fn resolve<'a>(claim: &'a LicenseClaim, registry: &'a Registry) -> Governing<'a> {
    let code = claim.code.as_deref();
    let resolved = match (code, claim.version.as_deref()) {
        (Some(code), Some(version)) => {
            registry.resolve(code, version, claim.jurisdiction.as_deref())
        }
        _ => None,
    };
    let family = code.map_or_else(|| "CC".to_owned(), |c| family_name(registry, c));
    let family_rule = code.and_then(|c| newest_of(registry, c));
    Governing {
        claim,
        rule: resolved.as_ref().map(|r| r.rule),
        id: resolved.as_ref().map(|r| r.id.clone()),
        ported: resolved.as_ref().is_some_and(|r| r.ported),
        family,
        family_rule,
        elements: code.map(elements_of_code).unwrap_or_default(),
    }
}

/// Resolve each medium's license against the rule files (`detect` names it; the id and family
/// need the registry).
pub fn resolve_media(facts: &mut Facts, registry: &Registry) {
    for medium in &mut facts.media {
        medium.resolved = medium.license.as_ref().map(|claim| {
            let governing = resolve(claim, registry);
            ResolvedLicense {
                id: governing.id,
                family: governing.family,
            }
        });
    }
}

fn family_name(registry: &Registry, code: &str) -> String {
    registry.family_of_code(code).map_or_else(
        || format!("CC-{}", code.to_ascii_uppercase()),
        str::to_owned,
    )
}

/// The newest unported rule with this code (4.0 for the BY family).
fn newest_of<'a>(registry: &'a Registry, code: &str) -> Option<&'a LicenseRule> {
    let code = canonical_code(code);
    registry
        .licenses
        .iter()
        .filter(|l| canonical_code(&l.code) == code && l.jurisdiction.is_none())
        .max_by(|a, b| a.version.cmp(&b.version))
}

fn canonical_code(code: &str) -> &str {
    if code == "by-nd-nc" { "by-nc-nd" } else { code }
}

/// The elements a CC code names (`by-nc-sa` → BY, NC, SA); codes are CC's own grammar.
pub fn elements_of_code(code: &str) -> Elements {
    let parts: Vec<&str> = code.split('-').collect();
    Elements {
        by: parts.contains(&"by"),
        nc: parts.contains(&"nc"),
        nd: parts.contains(&"nd"),
        sa: parts.contains(&"sa"),
    }
}
