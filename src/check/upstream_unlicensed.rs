//! Rule `upstream-unlicensed`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `upstream-unlicensed`: its id, default severity, summary and documentation (what
/// `ccguard explain upstream-unlicensed` prints).
pub const RULE: Rule = Rule {
    id: RuleId::UpstreamUnlicensed,
    severity: Severity::Error,
    summary: "the original source carries no CC license at all",
    doc: Some(
        r#"## What it checks
A repost whose original, fetched from its source link, carries no Creative Commons license:
no license notice, badge, `rel="license"` link or metadata on the page, or only "All rights
reserved". Reposts that say they are published with the rights holder's permission are
exempt.

## Why
A CC license only lets you republish what its licensor put under it. If the original names
no CC license, the repost's own "CC BY" claim has nothing to rest on: copyright law reserves
every right by default, and the repost needs the rights holder's permission. Often the post
links the wrong page (a home page, a newer version without the license), or the license was
claimed by mistake.

## Passes
A repost of https://example.org/story whose page says "This article is licensed under CC BY
4.0".

## Fails
A repost claiming CC BY 4.0 whose original at https://example.org/story ends "© 2025 The
Harbour Review. All rights reserved."

## How to fix
Link the page that actually carries the CC license, or get the rights holder's permission
and say so ("Republished with permission"), or take the repost down."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::Sources, Fact::License],
};

/// Find the breaches of `upstream-unlicensed` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    if input.facts.permission.is_some() {
        return Vec::new();
    }
    input
        .upstream
        .iter()
        .filter_map(|up| {
            let original = up.original()?;
            if original.license.is_some() {
                return None;
            }
            let what = match original.restrictions.first() {
                Some(reservation) => format!("it says `{reservation}`"),
                None => "it names no license".to_owned(),
            };
            Some(
                Finding::at(
                    up.span,
                    format!("the original at {} carries no Creative Commons license: {what}", original.final_url),
                )
                .help("link the page that carries the CC license, or get the rights holder's permission and say \"Republished with permission\""),
            )
        })
        .collect()
}
