//! Which license governs the reposted material when a post names one or several.

use crate::detect::{Facts, LicenseClaim, Scope};
use crate::rules::{Elements, LicenseRule, Registry};

/// The license that governs a post's text, resolved against the rule files.
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

/// A claim's license as people write it (`CC BY-SA 3.0`), from its rule file when it resolves,
/// else from its code and version (`CC BY-ND-SA 4.0`), else the evidence text.
pub fn claim_name(claim: &LicenseClaim, registry: &Registry) -> String {
    let resolved = resolve(claim, registry);
    if let Some(rule) = resolved.rule.filter(|_| !resolved.ported) {
        return super::short_name(rule);
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
