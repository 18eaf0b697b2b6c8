//! Rule `missing-source-link`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};
use crate::rules::SourceLinkRule;

/// The rule `missing-source-link`: its id, default severity, summary and documentation (what
/// `ccguard explain missing-source-link` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MissingSourceLink,
    severity: Severity::Error,
    summary: "no link to the original material",
    doc: Some(
        r#"## What it checks
A repost with no link to the original material: no "originally published at" link, no
"via"/"source"/"原文" link, no cross-domain canonical, no source field in front matter,
no `cc:attributionURL` or `dct:source`.

## Why
4.0 §3(a)(1)(A)(v) requires "a URI or hyperlink to the Licensed Material to the extent
reasonably practicable" — on the web it always is. 2.0–3.0 require the URI the licensor
associates with the work (§4(b)(iii)), which for a web article is its address. 1.0 has no
such clause, and CC0 and the Public Domain Mark have no conditions, so they are not reported.

## Passes
```markdown
Originally published by [The Harbour Review](https://example.org/2025/lighthouses).
```

## Fails
```markdown
Originally published by The Harbour Review.
```

## How to fix
Link the original article (its own URL, not only the outlet's home page)."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Repost, Fact::Sources, Fact::License],
};

/// Find the breaches of `missing-source-link` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let facts = input.facts;
    if !input.repost || !facts.sources.is_empty() {
        return Vec::new();
    }
    if input
        .requirements()
        .is_some_and(|rule| rule.verbatim.source_link == SourceLinkRule::Never)
    {
        return Vec::new();
    }
    vec![
        Finding::absent("the post does not link the original material").help(format!(
            "link the original article, e.g. {}",
            input.credit_line()
        )),
    ]
}
