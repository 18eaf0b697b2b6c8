//! Rule `upstream-unreachable`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `upstream-unreachable`: its id, default severity, summary and documentation (what
/// `ccguard explain upstream-unreachable` prints).
pub const RULE: Rule = Rule {
    id: RuleId::UpstreamUnreachable,
    severity: Severity::Warning,
    summary: "the original source could not be fetched",
    doc: Some(
        r#"## What it checks
A source link of a repost whose original could not be fetched or read: a 4xx or 5xx status
(after retries), a DNS, TLS or connection failure, a timeout, a body over the size cap, a
redirect loop, a private address, or a page that is not HTML, Markdown or plain text (a
PDF). Only runs when ccguard fetches originals (not with `--offline`).

## Why
ccguard verifies what a repost claims about its original (license, language, author) against
the original itself. When the original cannot be read, those claims go unverified; a dead
source link also fails readers: 4.0 §3(a)(1)(A)(v) asks for "a URI or hyperlink to the
Licensed Material to the extent reasonably practicable", and a link that leads nowhere
identifies nothing.

## Passes
```markdown
By Ana Ruiz. Originally published by [The Harbour Review](https://example.org/story)
(the page answers 200 with HTML). Licensed under CC BY 4.0.
```

## Fails
```markdown
By Ana Ruiz. Originally published by [The Harbour Review](https://example.org/gone)
(the page answers 404). Licensed under CC BY 4.0.
```

## How to fix
Check the link: if the original moved, link its new address (or an archived copy); if the
server was only briefly down, run again. In CI without network, pass `--offline` to skip
upstream verification."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::Sources, Fact::License],
};

/// Find the breaches of `upstream-unreachable` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    input
        .upstream
        .iter()
        .filter_map(|up| {
            let reason = up.result.as_ref().err()?;
            Some(
                Finding::at(
                    up.span,
                    format!("the original at {} could not be checked: {reason}", up.url),
                )
                .help("fix the link if the original moved (or link an archived copy); the license, language and author of this repost were not verified against it"),
            )
        })
        .collect()
}
