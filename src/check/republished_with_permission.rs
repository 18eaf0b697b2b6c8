//! Rule `republished-with-permission`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `republished-with-permission`: its id, default severity, summary and documentation (what
/// `ccguard explain republished-with-permission` prints).
pub const RULE: Rule = Rule {
    id: RuleId::RepublishedWithPermission,
    severity: Severity::Info,
    summary: "the repost rests on the rights holder's permission, not on a CC license",
    doc: Some(
        r#"## What it checks
A repost that says it is published with the rights holder's permission ("Republished with
permission", "used with permission", "mit freundlicher Genehmigung", "经授权转载"). This is an
`info`: the repost rests on that permission, not on a CC license, so `missing-license-notice`
does not apply; the credit and source rules still do.

## Why
Permission is a valid basis for a repost, but it is one ccguard cannot verify. The note keeps
it visible in reports so an editor can check that the permission is on file.

## Passes
A repost under a CC license, with no permission statement.

## Fails
```markdown
Republished with permission from The Harbour Review.
```

## How to fix
Nothing to fix; keep the permission on file. Silence the note with
`<!-- ccguard-disable-next-line republished-with-permission -- permission on file -->`."#,
    ),
    check: Some(check),
    repost_only: true,
    reads: &[Fact::Repost, Fact::Permission],
};

/// Find the breaches of `republished-with-permission` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let Some(permission) = &input.facts.permission else {
        return Vec::new();
    };
    vec![
        Finding::at(
            permission.span,
            "this repost rests on the rights holder's permission, not on a CC license",
        )
        .help("keep the permission on file; the credit and source-link rules still apply"),
    ]
}
