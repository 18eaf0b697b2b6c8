//! Rule `media-unverified`.

use super::{Fact, Finding, Input, Rule};
use crate::detect::media::SourceCheck;
use crate::diagnostic::{RuleId, Severity};

/// The rule `media-unverified`: its id, default severity, summary and documentation (what
/// `ccguard explain media-unverified` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MediaUnverified,
    severity: Severity::Info,
    summary: "online only: a CC medium's source could not be read",
    doc: Some(
        r#"## What it checks
Online runs only. A CC photo, video or audio whose source ccguard tried to read (a Wikimedia
Commons file, through the MediaWiki API; a Flickr photo page) answered with an error, an unusable response or no
license: its caption's license could not be checked. Offline runs never report it; the JSON
`media` entry says `"verified": "offline"` there, and `"unreadable"` here.

## Why
`media-license-mismatch` can only compare what it can read. This note says which media went
unchecked, so a clean report is not taken for a verified one.

## Passes
```markdown
![Harbour](https://upload.wikimedia.org/wikipedia/commons/a/ab/Harbour.jpg)
*Photo: Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)*
```
(the API answers with the file's license)

## Fails
```markdown
![Harbour](https://upload.wikimedia.org/wikipedia/commons/a/ab/Harbour_deleted.jpg)
*Photo: Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)*
```
(the file was deleted: the API names no license)

## How to fix
Check the medium's file page by hand; replace a deleted or moved file's URL."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::Media],
};

/// Find the breaches of `media-unverified` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    input
        .facts
        .media
        .iter()
        .filter(|m| m.cc)
        .filter_map(|m| match &m.checked {
            SourceCheck::Unreadable(why) => Some(
                Finding::at(
                    m.span,
                    format!("this medium's source could not be read: {why}"),
                )
                .help("check its license on its file page by hand"),
            ),
            _ => None,
        })
        .collect()
}
