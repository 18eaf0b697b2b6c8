//! Rule `media-license-mismatch`.

use super::{Fact, Finding, Input, Rule};
use crate::diagnostic::{RuleId, Severity};

/// The rule `media-license-mismatch`: its id, default severity, summary and documentation
/// (what `ccguard explain media-license-mismatch` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MediaLicenseMismatch,
    severity: Severity::Error,
    summary: "a medium's caption names another license than its source states",
    doc: Some(
        r"## What it checks
Online runs only. For each CC photo, video or audio whose source can be read (a Wikimedia
Commons file, through the MediaWiki API's `extmetadata`; a Flickr photo, through its photo
page's license link), the license its caption names is
compared with the one the source states: another license (BY-SA where the source says BY-NC),
or another version where both give one, is a finding. Offline, or when the source cannot be
read, nothing is compared (`media-unverified` reports the latter).

## Why
A medium may only be shared under the license its creator chose. A caption that names a
freer or simply different license misinforms readers and is itself a breach: the credit
must name the license the work is actually under (4.0 §3(a)(1)(C), 3.0 §4(a)).

## Passes
```markdown
![Harbour](https://upload.wikimedia.org/wikipedia/commons/a/ab/Harbour.jpg)
*Photo: Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)*
```
(the Commons file page says CC BY-SA 4.0)

## Fails
```markdown
![Harbour](https://upload.wikimedia.org/wikipedia/commons/a/ab/Harbour.jpg)
*Photo: Ana Ruiz, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)*
```
(the Commons file page says CC BY-SA 4.0)

## How to fix
Name and link the license the source states, as its file page gives it.",
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::Media],
};

/// Find the breaches of `media-license-mismatch` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    input
        .facts
        .media
        .iter()
        .filter(|m| m.cc)
        .filter_map(|m| {
            let source = m.mismatch()?;
            let claim = m.license.as_ref()?;
            let from = m.source.as_deref().unwrap_or(m.url.as_str());
            Some(
                Finding::at(
                    claim.evidence.span,
                    format!(
                        "the caption names {} but the source states {}",
                        claim.evidence.text, source.license_name
                    ),
                )
                .help(format!(
                    "name and link {} as {from} states it",
                    source.license_name
                ))
                .label(m.span, "this medium"),
            )
        })
        .collect()
}
