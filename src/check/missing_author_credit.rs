//! Rule `missing-author-credit`.

use super::{Fact, Finding, Input, Rule};
use crate::detect::Role;
use crate::diagnostic::{RuleId, Severity};
use crate::rules::ToolKind;

/// The rule `missing-author-credit`: its id, default severity, summary and documentation (what
/// `ccguard explain missing-author-credit` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MissingAuthorCredit,
    severity: Severity::Error,
    summary: "a BY license, and the original creator is not credited",
    doc: Some(
        r#"## What it checks
A repost under a BY license (every CC license since 2.0; also a repost that names no license
at all) that does not credit the original creator: no byline ("By X", "Author: X", "作者：X",
"Por X"), no `author` in front matter, meta, JSON-LD or RDFa.

## Why
Attribution is the condition every BY license shares: 4.0 §3(a)(1)(A)(i) "identification of
the creator(s) … and any others designated to receive attribution"; 3.0 §4(b) "the name of
the Original Author". Crediting only the outlet, or only the translator, is a common way to
lose the license. CC0 and the Public Domain Mark do not require it.

## Passes
```markdown
By Ana Ruiz, originally published by [The Harbour Review](https://example.org/story).
```

## Fails
```markdown
Originally published by [The Harbour Review](https://example.org/story).
```

## How to fix
Name the original author(s) near the top, as the original credits them, or use a complete
credit line (`ccguard attribution` writes one)."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Repost, Fact::Credits, Fact::License],
};

/// Find the breaches of `missing-author-credit` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let facts = input.facts;
    if !input.repost || facts.credits.iter().any(|c| c.role == Role::Author) {
        return Vec::new();
    }
    if input
        .requirements()
        .is_some_and(|rule| rule.kind != ToolKind::License || !rule.verbatim.credit)
    {
        return Vec::new();
    }
    vec![
        Finding::absent("the original author is not credited")
            .help(format!("credit the author, e.g. {}", input.credit_line())),
    ]
}
