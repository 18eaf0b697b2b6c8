//! `ccguard check --why RULE`: for each checked post, whether the rule fired and every fact the
//! detectors found, with its line and column, the facts that rule reads marked `*`, so a user
//! can see why a finding fired (or did not).
//!
//! Plain text for a terminal; what came from the post is escaped as the human renderer does.
//! Not a report format: no JSON schema, no totals.

use std::io::{self, Write};

use crate::check::{self, Fact};
use crate::detect::{Evidence, EvidenceKind, Scope};
use crate::diagnostic::RuleId;
use crate::result::DocumentResult;
use crate::source::LineIndex;

use super::escape;

/// Write the `--why` account of `rule` in one checked post.
pub fn write(out: &mut dyn Write, result: &DocumentResult, rule: RuleId) -> io::Result<()> {
    let at = At {
        text: &result.source.text,
        lines: LineIndex::new(&result.source.text),
    };
    let name = escape::for_log(&result.source.name);
    writeln!(out, "{name}")?;
    let fired: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .collect();
    let silenced = result.suppressed.iter().any(|s| s.diagnostic.rule == rule);
    if fired.is_empty() {
        let note = if silenced {
            " (a finding was suppressed)"
        } else {
            ""
        };
        writeln!(out, "  {rule}: did not fire{note}")?;
    }
    for d in fired {
        let (line, column) = (d.place.line, d.place.column);
        writeln!(
            out,
            "  {rule}: fired at {line}:{column} ({}): {}",
            d.severity.as_str(),
            escape::for_log(&d.message)
        )?;
    }
    let read = check::rule(rule).reads;
    let mark = |part: Fact| if read.contains(&part) { "*" } else { " " };
    let facts = &result.facts;
    let yes_no = |b: bool| if b { "yes" } else { "no" };

    writeln!(
        out,
        "{} repost: {}",
        mark(Fact::Repost),
        yes_no(result.is_repost)
    )?;
    for e in &facts.repost_signals {
        line(out, &at, "signal", e)?;
    }
    let governing = result.license.as_ref().map_or_else(
        || "none".to_owned(),
        |l| {
            l.id.clone()
                .unwrap_or_else(|| format!("{} (version not given)", l.family))
        },
    );
    writeln!(
        out,
        "{} license: {}",
        mark(Fact::License),
        escape::for_log(&governing)
    )?;
    for claim in &facts.licenses {
        let name = match (&claim.code, &claim.version) {
            (Some(code), Some(v)) => format!("{code} {v}"),
            (Some(code), None) => code.clone(),
            (None, Some(v)) => format!("CC {v}"),
            (None, None) => "CC".to_owned(),
        };
        let juris = claim
            .jurisdiction
            .as_ref()
            .map(|j| format!(" {j}"))
            .unwrap_or_default();
        let what = format!(
            "claim {}{juris}, covers {}{}",
            escape::for_log(&name),
            scope_name(claim.scope),
            if claim.linked { ", linked" } else { "" }
        );
        line(out, &at, &what, &claim.evidence)?;
    }
    for e in &facts.other_licenses {
        line(out, &at, "non-CC license", e)?;
    }
    writeln!(
        out,
        "{} credits: {}",
        mark(Fact::Credits),
        facts.credits.len()
    )?;
    for c in &facts.credits {
        let what = format!(
            "{} {}",
            serde_json::to_value(c.role)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            escape::for_log(&c.name)
        );
        line(out, &at, &what, &c.evidence)?;
    }
    writeln!(
        out,
        "{} title: {}",
        mark(Fact::Title),
        facts
            .title
            .as_ref()
            .map_or("none".into(), |t| escape::for_log(&t.text))
    )?;
    writeln!(
        out,
        "{} sources: {}",
        mark(Fact::Sources),
        facts.sources.len()
    )?;
    for s in &facts.sources {
        line(
            out,
            &at,
            &format!("source {}", escape::for_log(&s.url)),
            &s.evidence,
        )?;
    }
    writeln!(out, "{} media: {}", mark(Fact::Media), facts.media.len())?;
    for m in &facts.media {
        let (line, column) = at.lines.line_col(at.text, m.span.start);
        writeln!(
            out,
            "    {line}:{column} {:?} \"{}\": credit {}, license {}{}",
            m.kind,
            escape::for_log(&m.url),
            m.credit
                .as_ref()
                .map_or("none".into(), |c| escape::for_log(&c.name)),
            m.license
                .as_ref()
                .map_or("none".into(), |c| escape::for_log(&c.evidence.text)),
            if m.linked { " (linked)" } else { "" },
        )?;
    }
    let a = &facts.adaptation;
    writeln!(
        out,
        "{} adaptation: translated {}, modified {}, disclosed {}, original's language {}, post's language {}",
        mark(Fact::Adaptation),
        yes_no(a.translated),
        yes_no(a.modified),
        yes_no(a.disclosed),
        a.from_language.as_deref().unwrap_or("unknown"),
        facts.language.as_deref().unwrap_or("unknown"),
    )?;
    for e in &a.disclosures {
        line(out, &at, "disclosure", e)?;
    }
    for e in &a.inferred {
        line(out, &at, "inferred from", e)?;
    }
    writeln!(
        out,
        "{} restrictions: {}",
        mark(Fact::Restrictions),
        facts.restrictions.len()
    )?;
    for e in &facts.restrictions {
        line(out, &at, "restriction", e)?;
    }
    writeln!(
        out,
        "{} commercial signals: {}",
        mark(Fact::Commercial),
        facts.commercial.len()
    )?;
    for e in &facts.commercial {
        line(out, &at, "commercial", e)?;
    }
    writeln!(
        out,
        "{} permission: {}",
        mark(Fact::Permission),
        yes_no(facts.permission.is_some())
    )?;
    if let Some(e) = &facts.permission {
        line(out, &at, "permission", e)?;
    }
    Ok(())
}

/// One fact: `    what  LINE:COL kind "text"`.
/// Where a fact is: the checked post's text and its line index (`--why` checks keep the text).
struct At<'a> {
    text: &'a str,
    lines: LineIndex,
}

fn line(out: &mut dyn Write, at: &At, what: &str, e: &Evidence) -> io::Result<()> {
    let (line, column) = at.lines.line_col(at.text, e.span.start);
    let text: String = e.text.chars().take(120).collect();
    writeln!(
        out,
        "    {line}:{column} {what} ({}) \"{}\"",
        kind_name(e.kind),
        escape::for_log(&text)
    )
}

fn kind_name(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Text => "text",
        EvidenceKind::Link => "link",
        EvidenceKind::Image => "image",
        EvidenceKind::Meta => "meta",
        EvidenceKind::FrontMatter => "front matter",
        EvidenceKind::JsonLd => "JSON-LD",
        EvidenceKind::Rdfa => "RDFa",
        EvidenceKind::Markup => "markup",
    }
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Text => "the text",
        Scope::Image => "an image only",
        Scope::Quoted => "quoted material only",
        Scope::Site => "the site",
        Scope::Mention => "nothing (a mention)",
    }
}
