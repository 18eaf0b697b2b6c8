//! Rule `missing-media-credit`.

use super::{Fact, Finding, Input, Rule, short_name};
use crate::detect::media::{MediaKind, Medium};
use crate::diagnostic::{RuleId, Severity};
use crate::governing::{self, Governing};
use crate::rules::ToolKind;

/// The rule `missing-media-credit`: its id, default severity, summary and documentation (what
/// `ccguard explain missing-media-credit` prints).
pub const RULE: Rule = Rule {
    id: RuleId::MissingMediaCredit,
    severity: Severity::Error,
    summary: "a CC-licensed photo, video or audio lacks its own credit: creator, license or its link, by that license's version",
    doc: Some(
        r#"## What it checks
Every photo, video, audio player or embed in the post that is under a Creative Commons
license: its caption or credit line names a CC license, or it comes from a host that serves
only freely licensed media (Wikimedia Commons, Openverse; `rules/media-hosts.toml`). Its own
credit, in the caption, the line right after it, its `alt`/`title` or its entry in the
post's credits section ("Photo credits", "Bildnachweis"), must give what that
license's version requires (the `[verbatim]` table of its rule file, as for the text): the
creator, the license, and the license's link. A Commons file whose caption names no license
needs all three. Media credited to a news or stock agency (AP, Getty Images, Reuters…) are
not CC and are left alone, as are CC0 and public-domain media.

## Why
Each photo carries its own license and its own attribution duty, separate from the
article's: 4.0 §3(a)(1) and 3.0 §4(b) apply to every work shared. Photo credits are where
reposts most often fail, and claims over CC BY photos used without credit are common. The
article's own notice does not credit a photographer.

## Passes
```markdown
![Harbour at dawn](https://upload.wikimedia.org/wikipedia/commons/a/ab/Harbour.jpg)
*Photo: Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/), via Wikimedia Commons*
```

## Fails
```markdown
![Harbour at dawn](https://upload.wikimedia.org/wikipedia/commons/a/ab/Harbour.jpg)
```

## How to fix
Put a credit line under the medium: "Photo: Creator, License (linked to its deed), via
Source". The file's page on its host (the Commons file page, the Flickr photo page) names
the creator and the license."#,
    ),
    check: Some(check),
    repost_only: false,
    reads: &[Fact::Media],
};

/// Find the breaches of `missing-media-credit` in one post.
pub fn check(input: &Input) -> Vec<Finding> {
    input
        .facts
        .media
        .iter()
        .filter(|m| m.cc)
        .filter_map(|m| finding(input, m))
        .collect()
}

/// The finding for one CC medium, when its credit lacks something its license requires.
fn finding(input: &Input, medium: &Medium) -> Option<Finding> {
    let resolved = medium
        .license
        .as_ref()
        .map(|claim| governing::resolve(claim, input.registry));
    // A versionless claim is held to its family's newest version, as the text is.
    let rule = resolved.as_ref().and_then(|r| r.rule.or(r.family_rule));
    let versionless = medium
        .license
        .as_ref()
        .is_some_and(|c| c.code.is_some() && c.version.is_none());
    // A license named but unknown to the rule files: unknown-license's business, not ours;
    // no license named (a free host): the BY duties every CC license but CC0/PDM carries.
    let (credit, notice, link) = match rule {
        Some(rule) if rule.kind != ToolKind::License => return None,
        Some(rule) => (
            rule.verbatim.credit,
            rule.verbatim.license_notice,
            rule.verbatim.license_link,
        ),
        None => (true, true, true),
    };
    let mut missing = Vec::new();
    if credit && medium.credit.is_none() {
        missing.push("the creator");
    }
    if notice && medium.license.is_none() {
        missing.push("the license");
    } else if link && medium.license.is_some() && !medium.linked {
        // A link to the deed would also give the version.
        if versionless {
            missing.push("the license's version");
        }
        missing.push("the license's link");
    }
    if missing.is_empty() {
        return None;
    }
    let what = match medium.kind {
        MediaKind::Image => "image",
        MediaKind::Video => "video",
        MediaKind::Audio => "audio",
        MediaKind::Embed => "embedded medium",
    };
    let from = medium
        .host
        .as_deref()
        .map_or_else(String::new, |h| format!(" from {h}"));
    let mut finding = Finding::at(
        medium.span,
        format!(
            "this CC-licensed {what}{from} is not fully credited: {} missing",
            join(&missing)
        ),
    )
    .help(format!(
        "credit it next to the {what}, e.g. {}",
        credit_line(input, medium, resolved.as_ref())
    ));
    if let Some(caption) = medium.caption {
        finding = finding.label(caption, "its caption");
    }
    Some(finding)
}

/// `a`, `a and b`, `a, b and c`; then "is" or "are".
fn join(parts: &[&str]) -> String {
    let verb = if parts.len() == 1 { "is" } else { "are" };
    let list = match parts {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    };
    format!("{list} {verb}")
}

/// A credit line for the medium from what is known, placeholders for the rest.
fn credit_line(input: &Input, medium: &Medium, resolved: Option<&Governing>) -> String {
    let creator = medium
        .credit
        .as_ref()
        .map_or("<creator>", |c| c.name.as_str());
    let (name, url) = match resolved {
        Some(Governing {
            rule: Some(rule), ..
        }) => (short_name(rule), rule.url.clone()),
        Some(g) if g.claim.code.is_some() => (
            format!("{} <version>", g.family.replacen("CC-", "CC ", 1)),
            "<license URL>".to_owned(),
        ),
        _ => ("<license>".to_owned(), "<license URL>".to_owned()),
    };
    let license = match input.source.format {
        crate::source::Format::Markdown => format!("[{name}]({url})"),
        crate::source::Format::Html => format!("<a href=\"{url}\">{name}</a>"),
    };
    let via = medium
        .host
        .as_deref()
        .map_or_else(String::new, |h| format!(", via {h}"));
    let label = match medium.kind {
        MediaKind::Image => "Photo",
        MediaKind::Video | MediaKind::Embed => "Video",
        MediaKind::Audio => "Audio",
    };
    format!("\"{label}: {creator}, {license}{via}\"")
}
