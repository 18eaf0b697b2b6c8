//! Rule `missing-title`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `missing-title`: its id, default severity, summary and documentation (what
/// `ccguard explain missing-title` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MissingTitle,
    severity: Severity::Warning,
    summary: "a license up to 3.0, and the original title is not given",
    doc: Some(
        r#"## What it checks
A repost under a license of version 3.0 or earlier that gives no title at all: no heading,
no `<title>`, no front-matter `title`, no `dct:title`.

## Why
Up to 3.0 the credit must include "the title of the Work if supplied" (3.0 §4(b)(ii), and the
same words in 1.0–2.5). 4.0 dropped the requirement (CC still recommends the title), so 4.0
reposts are not reported.

## Passes
```markdown
# The Lighthouse Keepers
By Ana Ruiz, CC BY 3.0 …
```

## Fails
A CC BY 3.0 repost that has a byline and a license but no title anywhere.

## How to fix
Give the original's title, as a heading or in the credit line."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Repost, Fact::Title, Fact::License],
};

/// Find the breaches of `missing-title` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let Some(rule) = input.governing.as_ref().and_then(|g| g.rule) else {
        return Vec::new();
    };
    if !rule.verbatim.title || !input.repost || input.facts.title.is_some() {
        return Vec::new();
    }
    let version = rule.version.as_deref().unwrap_or("");
    vec![
        Finding::absent(format!(
            "{} (version {version}) requires the original's title, and none is given",
            rule.id
        ))
        .help(format!(
            "add the original's title, e.g. {}",
            input.credit_line()
        )),
    ]
}
