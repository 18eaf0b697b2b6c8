//! Rule `sa-relicensed`.

use super::{Fact, Finding, Input, PolicyLicense, Rule, claim_name};
use crate::detect::{LicenseClaim, Scope};
use crate::diagnostic::{RuleId, Severity};
use crate::governing::{elements_of_code, resolve};
use crate::rules::Registry;

/// The rule `sa-relicensed`: its id, default severity, summary and documentation (what
/// `ccguard explain sa-relicensed` prints).
pub const RULE: Rule = Rule {
    id: RuleId::SaRelicensed,
    severity: Severity::Error,
    summary: "an adaptation of an SA work carries a license that is not the same or compatible",
    doc: Some(
        r#"## What it checks
An adaptation (a translation or other change) of a ShareAlike work — SA by the post's own
notice, or by the policy of the publisher it links (`rules/policies/`, e.g. Wikipedia:
CC BY-SA 4.0) — that names a license for itself that the SA license does not allow — e.g. the original is CC BY-SA 4.0 and the
translation says CC BY-NC-SA 4.0 — or that reserves all rights. A bare "Creative Commons
license" names no elements, so it is not judged here (`license-version-missing` asks for the
exact license).

## Why
ShareAlike is the condition that adaptations stay free: 4.0 §3(b)(1) requires "a Creative
Commons license with the same License Elements, this version or later, or a BY-SA Compatible
License"; 3.0 §4(b) allows the same license, a later version, or a port with the same
elements. Adding NC, going back a version or reserving rights breaks it. The allowed targets
of each SA license are listed in its rule file (`adaptations.share_alike`).

## Passes
```markdown
Translated from the English. Original: CC BY-SA 3.0. This translation: CC BY-SA 4.0.
```

## Fails
```markdown
Translated from the English. Original: CC BY-SA 4.0. This translation: CC BY-NC-SA 4.0.
```

## How to fix
License the adaptation under the same license (or a later version, or an official compatible
license), and drop "All rights reserved"."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Adaptation, Fact::License],
};

/// Find the breaches of `sa-relicensed` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let adaptation = &input.facts.adaptation;
    if !(adaptation.translated || adaptation.modified) {
        return Vec::new();
    }
    if input.upstream_license.is_none()
        && let Some(original) = input.policy_license.filter(|o| o.rule.elements.sa)
    {
        return against_policy(input, original);
    }
    // A fetched original's license comes first: it is what the adaptation must respect.
    let Some(governing) = input.upstream_license.as_ref().or(input.governing.as_ref()) else {
        return Vec::new();
    };
    if !governing.elements.sa {
        return Vec::new();
    }
    // The governing claim is the original's license (it comes first); any other text claim is
    // the license the adaptation carries.
    let original = governing.claim;
    let registry = input.registry;
    let mut findings = Vec::new();
    let relicensed = input
        .facts
        .licenses
        .iter()
        .filter(|c| c.scope == Scope::Text && !std::ptr::eq(*c, original))
        .find(|other| !allowed(original, other, registry));
    if let Some(other) = relicensed {
        findings.push(
            Finding::at(
                other.evidence.span,
                format!(
                    "this adaptation of a ShareAlike work is licensed {}, which {} does not allow",
                    claim_name(other, registry),
                    claim_name(original, registry)
                ),
            )
            .label(original.evidence.span, "the original's ShareAlike license")
            .help(format!(
                "license the adaptation under {} or a later version with the same elements",
                claim_name(original, registry)
            )),
        );
    } else if let Some(restriction) = input.facts.restrictions.first() {
        findings.push(
            Finding::at(restriction.span, "this adaptation of a ShareAlike work reserves rights the license does not allow")
                .label(original.evidence.span, "the original's ShareAlike license")
                .help("remove the reservation of rights; adaptations of SA works stay under the same license"),
        );
    }
    findings
}

/// The original's SA license comes from its publisher's policy; the post's own license claim
/// (its governing claim) must be one the SA license allows.
fn against_policy(input: &Input, original: PolicyLicense) -> Vec<Finding> {
    let Some(governing) = &input.governing else {
        return Vec::new();
    };
    // A bare "Creative Commons license" names no elements: it may be the very license the SA
    // original requires, so it is no breach (as in [`allowed`]); its missing version and
    // elements are `license-version-missing`'s to report.
    if governing.claim.code.is_none() {
        return Vec::new();
    }
    let allowed = match &governing.id {
        Some(id) => original.rule.allows_adaptation_license(id),
        None => governing.elements == original.rule.elements,
    };
    if allowed {
        return Vec::new();
    }
    let original_name = super::short_name(original.rule);
    vec![
        Finding::at(
            governing.claim.evidence.span,
            format!(
                "this adaptation is licensed {}, but {} publishes the original under {original_name}, which requires adaptations to keep it",
                claim_name(governing.claim, input.registry),
                original.policy.name
            ),
        )
        .label(original.link.evidence.span, "the original")
        .help(format!("license the adaptation under {original_name} or a later version with the same elements")),
    ]
}

/// True when an adaptation of a work under `original` may carry `other` (the same claim, a
/// claim of the same license, or an allowed SA target).
pub(super) fn allowed(original: &LicenseClaim, other: &LicenseClaim, registry: &Registry) -> bool {
    let (Some(original_code), Some(other_code)) = (original.code.as_deref(), other.code.as_deref())
    else {
        return true;
    };
    if original_code == other_code && (original.version == other.version || other.version.is_none())
    {
        return true;
    }
    let original_rule = resolve(original, registry);
    let other_rule = resolve(other, registry);
    match (original_rule.rule, other_rule.id) {
        (Some(rule), Some(id)) => rule.allows_adaptation_license(&id),
        _ => elements_of_code(original_code) == elements_of_code(other_code),
    }
}
