//! Rule `missing-license-link`.

use super::{Fact, Finding, Input, Rule};
use crate::detect::Scope;
use crate::diagnostic::{RuleId, Severity};

/// The rule `missing-license-link`: its id, default severity, summary and documentation (what
/// `ccguard explain missing-license-link` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MissingLicenseLink,
    severity: Severity::Warning,
    summary: "the license is named but neither linked nor given as a URI",
    doc: Some(
        r#"## What it checks
The license is named, but no claim in the post links the license deed or legal code or gives
its URL (a hyperlink, a bare URL, a `rel="license"` link or a URL in front matter all count).

## Why
4.0 §3(a)(1)(C) requires "the text of, or the URI or hyperlink to, this Public License";
3.0 and earlier §4(a) require "a copy of, or the Uniform Resource Identifier for, this License".
A court has accepted a name alone (*Drauglis v. Kappa Map Group*, 2015), so this is a warning:
the link is what makes the terms one click away.

## Passes
```markdown
Licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).
```

## Fails
```markdown
Licensed under CC BY 4.0.
```

## How to fix
Link the license name to its deed, e.g. https://creativecommons.org/licenses/by/4.0/."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::License],
};

/// Find the breaches of `missing-license-link` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let Some(governing) = &input.governing else {
        return Vec::new();
    };
    let linked = input
        .facts
        .licenses
        .iter()
        .any(|c| c.linked && matches!(c.scope, Scope::Text | Scope::Site));
    if linked {
        return Vec::new();
    }
    let url = governing.rule.or(governing.family_rule).map_or_else(
        || "https://creativecommons.org/licenses/".to_owned(),
        |r| r.url.clone(),
    );
    vec![
        Finding::at(
            governing.claim.evidence.span,
            "the license is named but not linked",
        )
        .help(format!("link the license deed, e.g. {url}")),
    ]
}
