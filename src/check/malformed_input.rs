//! Rule `malformed-input`.

use super::{Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};
use crate::source::Span;

/// The rule `malformed-input`: its id, default severity, summary and documentation (what
/// `ccguard explain malformed-input` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MalformedInput,
    severity: Severity::Info,
    summary: "part of a file could not be parsed (broken front matter, unclosed markup, bad encoding)",
    doc: Some(
        r"## What it checks
Parts of a file that could not be parsed as expected: broken front matter, an unterminated
comment that swallows the rest of the page, invalid UTF-8 that had to be replaced.

## Why
ccguard still checks the rest of the file, but a notice hidden in the broken part may have
been missed, and readers' tools may break on it too. This is an `info`.

## Passes
A file with valid front matter and well-formed markup.

## Fails
```markdown
---
title: [unclosed
---
```

## How to fix
Fix the markup at the place shown; save the file as UTF-8.",
    ),
    check: Some(check),
    repost_only: false,
    reads: &[],
};

/// Find the breaches of `malformed-input` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    let mut findings: Vec<Finding> = input
        .document
        .notes
        .iter()
        .map(|note| {
            Finding::at(note.span, note.message.clone())
                .help("fix the markup here; the rest of the file was still checked")
        })
        .collect();
    if input.source.lossy {
        let at = input.source.text.find('\u{fffd}').unwrap_or(0);
        findings.push(
            Finding::at(
                Span::new(at, at + '\u{fffd}'.len_utf8()),
                "the file is not valid UTF-8; invalid bytes were replaced",
            )
            .help("save the file as UTF-8"),
        );
    }
    findings
}
