//! Rule `unknown-license`.

use super::{Fact, Finding, Input, Rule};
use crate::detect::Scope;
use crate::diagnostic::{RuleId, Severity};

/// The rule `unknown-license`: its id, default severity, summary and documentation (what
/// `ccguard explain unknown-license` prints).
pub const RULE: Rule = Rule {
    id: RuleId::UnknownLicense,
    severity: Severity::Error,
    summary: "a license is named that no rule file describes",
    doc: Some(
        r#"## What it checks
A license claim for the post's text whose code, version or port matches no rule file:
a version CC never published ("CC BY-SA 5.0"), an impossible combination ("CC BY-ND-SA"),
or a port that does not exist.

## Why
A notice must refer to the license that actually applies (4.0 §3(a)(1)(A)(iii)); a license
that does not exist gives readers no terms at all, and usually means a typo in the notice.

## Passes
```markdown
Licensed under [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).
```

## Fails
```markdown
Licensed under CC BY-SA 5.0.
```

## How to fix
Copy the license name and link from the original's own notice. If you use a license ccguard
does not know, describe it in a rule file and pass `--rules DIR`."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::License],
};

/// Find the breaches of `unknown-license` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    input
        .facts
        .licenses
        .iter()
        .filter(|c| c.scope == Scope::Text)
        .filter_map(|claim| {
            let code = claim.code.as_deref()?;
            let version = claim.version.as_deref()?;
            if input.registry.resolve(code, version, claim.jurisdiction.as_deref()).is_some() {
                return None;
            }
            let port = claim.jurisdiction.as_deref().map(|j| format!(" ({j})")).unwrap_or_default();
            Some(
                Finding::at(
                    claim.evidence.span,
                    format!("`{}` names CC {} {version}{port}, which no rule file describes", claim.evidence.text, code.to_ascii_uppercase()),
                )
                .help("check the name against the original's notice; `ccguard rules list` shows the known licenses"),
            )
        })
        .collect()
}
