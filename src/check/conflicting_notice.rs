//! Rule `conflicting-notice`.

use super::sa_relicensed::allowed;
use super::{Fact, Finding, Input, Rule, claim_name};
use crate::detect::{LicenseClaim, Scope};
use crate::diagnostic::{RuleId, Severity};

/// The rule `conflicting-notice`: its id, default severity, summary and documentation (what
/// `ccguard explain conflicting-notice` prints).
pub const RULE: Rule = Rule {
    id: RuleId::ConflictingNotice,
    severity: Severity::Error,
    summary: "the material also carries \"All rights reserved\", added restrictions, or two licenses",
    doc: Some(
        r#"## What it checks
A post that claims a CC license and also says "All rights reserved" (or "no reproduction
without permission", "Alle Rechte vorbehalten", "版权所有"…), or that names two different
licenses for the same text.

## Why
CC licenses forbid adding terms that restrict the licensed rights: 4.0 §2(a)(5)(B) "You may
not offer or impose any additional or different terms"; 3.0 §4(a) likewise. A reservation of
all rights contradicts the license and leaves readers unsure what they may do; two licenses
for one text do the same.

## Passes
A repost under CC BY 4.0 whose footer says "Text under CC BY 4.0 unless noted".

## Fails
```markdown
Licensed under CC BY-NC-SA 4.0. © 2024 Example Media. All rights reserved.
```

## How to fix
Remove the reservation of rights for the reposted material (limit the site's notice to your
own content), and state one license for the text."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::Restrictions, Fact::License],
};

/// Find the breaches of `conflicting-notice` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let Some(governing) = &input.governing else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    let adaptation = &input.facts.adaptation;
    if let Some(restriction) = input.facts.restrictions.first() {
        findings.push(
            Finding::at(restriction.span, format!("`{}` contradicts the {} license", restriction.text, governing.family))
                .label(governing.claim.evidence.span, "license claimed here")
                .help("limit the reservation of rights to your own material, e.g. \"Text under CC BY 4.0 unless noted\""),
        );
    }
    // Only the first claim of each license: a repeat of one agrees with it and conflicts with
    // what it conflicts with, so the first conflicting pair is the same, and a post naming one
    // license thousands of times is not compared pair by pair.
    let mut seen = std::collections::HashSet::new();
    let claims: Vec<&LicenseClaim> = input
        .facts
        .licenses
        .iter()
        .filter(|c| c.scope == Scope::Text)
        .filter(|c| seen.insert((&c.code, &c.version, &c.jurisdiction)))
        .collect();
    let adapted = adaptation.translated || adaptation.modified;
    if let Some((a, b)) = conflicting_pair(&claims, adapted, input) {
        findings.push(
            Finding::at(b.evidence.span, format!(
                    "two different licenses are named: {} and {}",
                    claim_name(a, input.registry),
                    claim_name(b, input.registry)
                ))
                .label(a.evidence.span, "first license")
                .help("state one license for the reposted text; if the original and your adaptation differ, say which is which"),
        );
    }
    findings
}

fn conflicting_pair<'a>(
    claims: &[&'a LicenseClaim],
    adapted: bool,
    input: &Input,
) -> Option<(&'a LicenseClaim, &'a LicenseClaim)> {
    for (i, a) in claims.iter().enumerate() {
        for b in &claims[i + 1..] {
            if consistent(a, b) {
                continue;
            }
            // One link whose text names one license and whose target another is one statement
            // naming two licenses, not the original's license beside the adaptation's.
            let one_statement = a.evidence.span.start < b.evidence.span.end
                && b.evidence.span.start < a.evidence.span.end;
            if one_statement {
                return Some((a, b));
            }
            // An adaptation may legitimately name the original's license and its own.
            if adapted && (allowed(a, b, input.registry) || allowed(b, a, input.registry)) {
                continue;
            }
            // sa-relicensed reports this pair.
            if adapted && (is_sa(a) || is_sa(b)) {
                continue;
            }
            return Some((a, b));
        }
    }
    None
}

/// Two claims agree when one is less specific than the other (a family without a version, a
/// bare "Creative Commons").
fn consistent(a: &LicenseClaim, b: &LicenseClaim) -> bool {
    let (Some(code_a), Some(code_b)) = (a.code.as_deref(), b.code.as_deref()) else {
        return true;
    };
    let same_code = code_a == code_b
        || matches!(
            (code_a, code_b),
            ("by-nd-nc", "by-nc-nd") | ("by-nc-nd", "by-nd-nc")
        );
    same_code
        && (a.version.is_none() || b.version.is_none() || a.version == b.version)
        && (a.jurisdiction.is_none()
            || b.jurisdiction.is_none()
            || a.jurisdiction == b.jurisdiction)
}

fn is_sa(claim: &LicenseClaim) -> bool {
    claim
        .code
        .as_deref()
        .is_some_and(|c| c.split('-').any(|p| p == "sa"))
}
