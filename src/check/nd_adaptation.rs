//! Rule `nd-adaptation`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `nd-adaptation`: its id, default severity, summary and documentation (what
/// `ccguard explain nd-adaptation` prints).
pub const RULE: Rule = Rule {
    id: RuleId::NdAdaptation,
    severity: Severity::Error,
    summary: "an ND-licensed work is shared as a translation or other adaptation",
    doc: Some(
        r#"## What it checks
A work under a NoDerivatives license (BY-ND, BY-NC-ND) shared as a translation or other
adaptation. The license is the one the post names, or — when the post links an original on
a publisher's site with a known policy (`rules/policies/`, e.g. The Conversation: CC BY-ND
4.0) — the publisher's.

## Why
ND licenses do not permit sharing adaptations, and a translation is an adaptation: 4.0
§2(a)(1)(B) lets you "produce and reproduce, but not Share, Adapted Material" ("For the
avoidance of doubt, You do not have permission under this Public License to Share Adapted
Material"); 3.0 §3 grants no right to make Adaptations at all.

## Passes
An unchanged repost of a CC BY-ND 4.0 article, credited and linked.

## Fails
```markdown
Traduit de l'anglais. Article publié sous licence CC BY-ND 4.0.
```

## How to fix
Ask the rights holder for permission to publish the translation (and say so), or publish the
original unchanged with a link instead."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Adaptation, Fact::License],
};

/// Find the breaches of `nd-adaptation` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    // A fetched original's license comes first: it is what the repost must respect.
    let governing = input.upstream_license.as_ref().or(input.governing.as_ref());
    let adaptation = &input.facts.adaptation;
    if !(adaptation.translated || adaptation.modified) || input.facts.permission.is_some() {
        return Vec::new();
    }
    let what = if adaptation.translated {
        "a translation"
    } else {
        "an adaptation"
    };
    let help = "get the rights holder's permission for the translation and say so, or share the original unchanged";
    let finding = match (governing, &input.policy_license) {
        (Some(governing), _) if governing.elements.nd => Finding::at(
            governing.claim.evidence.span,
            format!(
                "{} does not allow sharing adaptations, and this post is {what}",
                governing.family
            ),
        ),
        (_, Some(original)) if original.rule.elements.nd => Finding::at(
            original.link.evidence.span,
            format!(
                "{} publishes the original under {}, which does not allow sharing adaptations, and this post is {what}",
                original.policy.name,
                super::short_name(original.rule)
            ),
        ),
        _ => return Vec::new(),
    };
    let mut finding = finding.help(help);
    if let Some(disclosure) = adaptation.disclosures.first() {
        finding = finding.label(disclosure.span, format!("the post is {what}"));
    }
    vec![finding]
}
