//! Rule `missing-modification-notice`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};
use crate::rules::ChangeNoticeRule;

/// The rule `missing-modification-notice`: its id, default severity, summary and documentation (what
/// `ccguard explain missing-modification-notice` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MissingModificationNotice,
    severity: Severity::Error,
    summary: "the post is otherwise adapted and does not say so (4.0)",
    doc: Some(
        r#"## What it checks
A post under a 4.0 license that is adapted other than by translation — excerpted ("[…]",
"Read the full article at"), edited or remixed — and does not say so.

## Why
4.0 §3(a)(1)(B) requires you to "indicate if You modified the Licensed Material and retain an
indication of any previous modifications", for every copy, verbatim or not. CC's FAQ: trivial
changes (typos, formatting) need no note. Versions up to 3.0 require the label only for
adaptations; their translations are covered by `missing-translation-disclosure`.

## Passes
```markdown
Excerpted from "Lighthouses" by Ana Ruiz … […] … Read the full article at The Harbour Review.
```

## Fails
```markdown
First paragraph. […] Last paragraph. Read the full article at The Harbour Review.
```

## How to fix
Say what changed: "Excerpted from …", "Edited for length", "Adapted from …"."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Adaptation, Fact::License],
};

/// Find the breaches of `missing-modification-notice` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let adaptation = &input.facts.adaptation;
    let Some(rule) = input.requirements() else {
        return Vec::new();
    };
    if rule.verbatim.change_notice != ChangeNoticeRule::Always
        || !adaptation.modified
        || adaptation.disclosed
    {
        return Vec::new();
    }
    let mut finding = Finding::absent(format!("the post changes the material but {} requires saying so", rule.id))
        .help("add a modification notice, e.g. \"Excerpted from <title> by <author>\" or \"Edited for length\"");
    for evidence in &adaptation.inferred {
        finding = finding.label(evidence.span, "modified here");
    }
    vec![finding]
}
