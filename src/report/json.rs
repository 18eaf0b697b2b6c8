//! `--format json`: one object per run, schema `ccguard-report/1` (CONTRACT.md §2).

use std::io;

use serde::Serialize;

use super::{Prepared, Render, Summary, pretty_json_at};
use crate::detect::media::{MediaKind, Medium};
use crate::detect::{Evidence, EvidenceKind, Role};
use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::fetch;
use crate::governing::LicenseSummary;
use crate::result::DocumentResult;
use crate::source::Span;

#[derive(Serialize)]
struct JsonSummary {
    documents: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Source links not verified because the run was `--offline`.
    unverified_sources: usize,
}

#[derive(Serialize)]
struct Document<'a> {
    path: &'a str,
    format: &'static str,
    is_repost: bool,
    license: Option<License<'a>>,
    other_licenses: Vec<EvidenceRef<'a>>,
    credits: Vec<Credit<'a>>,
    sources: Vec<SourceRef<'a>>,
    adaptation: Adaptation<'a>,
    /// Omitted when the post shows no media, so posts without any keep their output.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    media: Vec<MediaRef<'a>>,
    permission: bool,
    findings: Vec<Finding<'a>>,
    suppressed: Vec<SuppressedRef<'a>>,
    upstream: Vec<UpstreamRef<'a>>,
}

/// What an original linked by the post says, or why it could not be read.
#[derive(Serialize)]
struct UpstreamRef<'a> {
    url: &'a str,
    final_url: Option<&'a str>,
    status: Option<u16>,
    license: Option<License<'a>>,
    language: Option<&'a str>,
    title: Option<&'a str>,
    authors: Vec<&'a str>,
    fetched_at: Option<String>,
    from_cache: Option<bool>,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct SuppressedRef<'a> {
    #[serde(flatten)]
    finding: Finding<'a>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct License<'a> {
    id: Option<&'a str>,
    family: &'a str,
    version: Option<&'a str>,
    jurisdiction: Option<&'a str>,
    linked: bool,
    evidence: Vec<EvidenceRef<'a>>,
}

#[derive(Serialize)]
struct EvidenceRef<'a> {
    kind: EvidenceKind,
    line: usize,
    column: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct Credit<'a> {
    name: &'a str,
    role: Role,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct SourceRef<'a> {
    url: &'a str,
    line: usize,
    column: usize,
}

/// A photo, video, audio or embed of the post (CONTRACT §2, `media`).
#[derive(Serialize)]
struct MediaRef<'a> {
    url: &'a str,
    kind: MediaKind,
    line: usize,
    column: usize,
    credit: Option<MediaCredit<'a>>,
    license: Option<License<'a>>,
    source: Option<&'a str>,
    verified: &'static str,
}

#[derive(Serialize)]
struct MediaCredit<'a> {
    name: &'a str,
    line: usize,
    column: usize,
}

/// The JSON entry of a medium.
fn medium<'a>(m: &'a Medium, at: &dyn Fn(Span) -> (usize, usize)) -> MediaRef<'a> {
    let (line, column) = at(m.span);
    let license = m
        .license
        .as_ref()
        .zip(m.resolved.as_ref())
        .map(|(claim, resolved)| License {
            id: resolved.id.as_deref(),
            family: &resolved.family,
            version: claim.version.as_deref(),
            jurisdiction: claim.jurisdiction.as_deref(),
            linked: m.linked,
            evidence: vec![evidence(&claim.evidence, at)],
        });
    MediaRef {
        url: &m.url,
        kind: m.kind,
        line,
        column,
        credit: m.credit.as_ref().map(|c| {
            let (line, column) = at(c.evidence.span);
            MediaCredit {
                name: &c.name,
                line,
                column,
            }
        }),
        license,
        source: m.source.as_deref(),
        verified: m.verdict(),
    }
}

#[derive(Serialize)]
struct Adaptation<'a> {
    translated: bool,
    modified: bool,
    disclosed: bool,
    from_language: Option<&'a str>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: RuleId,
    severity: Severity,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
}

fn license<'a>(l: &'a LicenseSummary, at: &dyn Fn(Span) -> (usize, usize)) -> License<'a> {
    License {
        id: l.id.as_deref(),
        family: &l.family,
        version: l.version.as_deref(),
        jurisdiction: l.jurisdiction.as_deref(),
        linked: l.linked,
        evidence: l.evidence.iter().map(|e| evidence(e, at)).collect(),
    }
}

/// The document's originals, sorted by URL; evidence lines and columns are in the original.
fn upstream(doc: &DocumentResult) -> Vec<UpstreamRef<'_>> {
    let mut out: Vec<UpstreamRef> =
        doc.upstream
            .iter()
            .map(|up| match &up.result {
                Ok(original) => UpstreamRef {
                    url: &up.url,
                    final_url: Some(&original.final_url),
                    status: Some(original.status),
                    license: original.license.as_ref().map(|l| {
                        license(l, &|span: Span| original.evidence_at.line_col(span.start))
                    }),
                    language: original.language.as_deref(),
                    title: original.title.as_deref(),
                    authors: original.authors.iter().map(String::as_str).collect(),
                    fetched_at: Some(fetch::rfc3339(original.fetched_at)),
                    from_cache: Some(original.from_cache),
                    error: None,
                },
                Err(error) => UpstreamRef {
                    url: &up.url,
                    final_url: None,
                    status: None,
                    license: None,
                    language: None,
                    title: None,
                    authors: Vec::new(),
                    fetched_at: None,
                    from_cache: None,
                    error: Some(error),
                },
            })
            .collect();
    out.sort_by(|a, b| a.url.cmp(b.url));
    out
}

/// `--format json`: one object per run, written one document at a time as they are checked.
pub struct Stream<'w> {
    out: &'w mut dyn io::Write,
    summary: Summary,
    unverified: usize,
}

impl<'w> Stream<'w> {
    /// Start the report.
    pub fn new(out: &'w mut dyn io::Write) -> io::Result<Stream<'w>> {
        write!(
            out,
            "{{\n  \"schema\": \"ccguard-report/1\",\n  \"documents\": ["
        )?;
        Ok(Stream {
            out,
            summary: Summary::default(),
            unverified: 0,
        })
    }
}

/// One document as the JSON report's array item (indented for its place, no separator).
pub fn render_document(doc: &DocumentResult) -> io::Result<String> {
    Ok(format!("    {}", pretty_json_at(&document(doc), "    ")?))
}

impl Render for Stream<'_> {
    fn write(&mut self, part: Prepared) -> io::Result<()> {
        let separator = if self.summary.documents == 0 {
            "\n"
        } else {
            ",\n"
        };
        self.summary.merge(part.summary);
        self.unverified += part.unverified;
        self.out.write_all(separator.as_bytes())?;
        self.out.write_all(part.text.as_bytes())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let Stream {
            out,
            summary,
            unverified,
        } = *self;
        if summary.documents > 0 {
            write!(out, "\n  ")?;
        }
        let totals = pretty_json_at(
            &JsonSummary {
                documents: summary.documents,
                errors: summary.errors,
                warnings: summary.warnings,
                infos: summary.infos,
                unverified_sources: unverified,
            },
            "  ",
        )?;
        writeln!(out, "],\n  \"summary\": {totals}\n}}")
    }
}

fn document(doc: &DocumentResult) -> Document<'_> {
    let at = |span: Span| doc.evidence_at.line_col(span.start);
    let facts = &doc.facts;
    Document {
        path: &doc.source.name,
        format: doc.source.format.as_str(),
        is_repost: doc.is_repost,
        license: doc.license.as_ref().map(|l| license(l, &at)),
        other_licenses: facts
            .other_licenses
            .iter()
            .map(|e| evidence(e, &at))
            .collect(),
        credits: facts
            .credits
            .iter()
            .map(|c| {
                let (line, column) = at(c.evidence.span);
                Credit {
                    name: &c.name,
                    role: c.role,
                    line,
                    column,
                }
            })
            .collect(),
        sources: facts
            .sources
            .iter()
            .map(|s| {
                let (line, column) = at(s.evidence.span);
                SourceRef {
                    url: &s.url,
                    line,
                    column,
                }
            })
            .collect(),
        adaptation: Adaptation {
            translated: facts.adaptation.translated,
            modified: facts.adaptation.modified,
            disclosed: facts.adaptation.disclosed,
            from_language: facts.adaptation.from_language.as_deref(),
        },
        media: facts.media.iter().map(|m| medium(m, &at)).collect(),
        permission: facts.permission.is_some(),
        findings: doc.diagnostics.iter().map(|d| finding(d)).collect(),
        suppressed: doc
            .suppressed
            .iter()
            .map(|s| SuppressedRef {
                finding: finding(&s.diagnostic),
                reason: s.reason.as_deref(),
            })
            .collect(),
        upstream: upstream(doc),
    }
}

fn evidence<'a>(e: &'a Evidence, at: &dyn Fn(Span) -> (usize, usize)) -> EvidenceRef<'a> {
    let (line, column) = at(e.span);
    EvidenceRef {
        kind: e.kind,
        line,
        column,
        text: &e.text,
    }
}

fn finding(d: &Diagnostic) -> Finding<'_> {
    Finding {
        rule: d.rule,
        severity: d.severity,
        message: &d.message,
        line: d.place.line,
        column: d.place.column,
        end_line: d.place.end_line,
        end_column: d.place.end_column,
        help: d.help.as_deref(),
    }
}
