//! Rule `license-version-missing`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `license-version-missing`: its id, default severity, summary and documentation (what
/// `ccguard explain license-version-missing` prints).
pub const RULE: Rule = Rule {
    id: RuleId::LicenseVersionMissing,
    severity: Severity::Warning,
    summary: "a CC license is named without a version and no link fixes it",
    doc: Some(
        r#"## What it checks
The governing license is named without a version ("License CC-BY-NC", "under a Creative
Commons license") and no link or URL in the post supplies the version.

## Why
CC BY-NC 2.0 and CC BY-NC 4.0 are different licenses with different conditions (title,
source link, change notices, cure period). A notice must identify "this Public License"
(4.0 §3(a)(1)(C)); a bare family name does not, and CC's own best practices say not to "just
say the material is creative commons".

## Passes
```markdown
Shared under [CC BY-NC 4.0](https://creativecommons.org/licenses/by-nc/4.0/).
```

## Fails
```markdown
This work was translated and shared via a License CC-BY-NC
```

## How to fix
Take the exact license and version from the original's notice and link its deed, e.g.
"CC BY-NC 4.0" linked to https://creativecommons.org/licenses/by-nc/4.0/."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::License],
};

/// Find the breaches of `license-version-missing` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let Some(governing) = &input.governing else {
        return Vec::new();
    };
    if governing.claim.version.is_some() {
        return Vec::new();
    }
    let what = if governing.family == "CC" {
        "a Creative Commons license is named without saying which one or which version".to_owned()
    } else {
        format!("{} is named without a version", governing.family)
    };
    let example = governing.family_rule.map_or_else(
        || "https://creativecommons.org/licenses/by/4.0/".to_owned(),
        |r| r.url.clone(),
    );
    vec![
        Finding::at(governing.claim.evidence.span, what)
            .help(format!("give the exact license and version from the original's notice and link its deed, e.g. {example}")),
    ]
}
