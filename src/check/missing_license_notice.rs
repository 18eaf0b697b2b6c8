//! Rule `missing-license-notice`.

use super::{Fact, Finding, Input, Rule};
use crate::detect::Scope;
use crate::diagnostic::{RuleId, Severity};

/// The rule `missing-license-notice`: its id, default severity, summary and documentation (what
/// `ccguard explain missing-license-notice` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MissingLicenseNotice,
    severity: Severity::Error,
    summary: "a repost names no license for the reposted material",
    doc: Some(
        r#"## What it checks
A repost (a post that credits another author or outlet, says it was originally published
elsewhere, or links an original) that names no license for the reposted material.

## Why
Every Creative Commons license requires a notice that refers to the license: 4.0 §3(a)(1)(A)(iii)
and (C), 3.0 and earlier §4(a) ("include a copy of, or the Uniform Resource Identifier for,
this License with every copy"). Without it readers cannot tell on what terms the text is
shared, and the repost has no visible basis at all.

A repost that states it is published with the rights holder's permission rests on that
permission instead and is not reported here (see `republished-with-permission`); nor is one
under a non-CC license notice (GNU GPL or FDL, Free Art License, MIT…), which ccguard does
not check further.

## Passes
```markdown
By Ana Ruiz. Originally published by [The Harbour Review](https://example.org/story),
licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).
```

## Fails
```markdown
By Ana Ruiz. Originally published by [The Harbour Review](https://example.org/story).
```

## How to fix
Add the original's license with its version and a link to the deed, e.g.
"licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)". If you reposted
with permission instead, say so ("Republished with permission")."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Repost, Fact::License, Fact::Permission],
};

/// Find the breaches of `missing-license-notice` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let facts = input.facts;
    let claimed = facts
        .licenses
        .iter()
        .any(|c| matches!(c.scope, Scope::Text | Scope::Site));
    let other = !facts.other_licenses.is_empty();
    if !input.repost || claimed || other || facts.permission.is_some() {
        return Vec::new();
    }
    let mut finding = Finding::absent("this repost names no license for the reposted material")
        .help(
            "name the original's license with its version and link the deed, e.g. \
         \"licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)\"; \
         if you have the rights holder's permission instead, say \"Republished with permission\"",
        );
    if let Some(signal) = facts.repost_signals.first() {
        finding = finding.label(signal.span, "reposted material");
    }
    vec![finding]
}
