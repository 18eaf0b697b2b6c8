//! `--format json`: one object per run, schema `ccguard-report/1` (CONTRACT.md §2).

use std::io;

use serde::Serialize;

use super::Summary;
use crate::check::{Diagnostic, Severity};
use crate::checker::DocumentResult;
use crate::detect::{EvidenceKind, Role};
use crate::source::Span;

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    documents: Vec<Document<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    documents: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Document<'a> {
    path: &'a str,
    format: &'static str,
    is_repost: bool,
    license: Option<License<'a>>,
    credits: Vec<Credit<'a>>,
    sources: Vec<SourceRef<'a>>,
    adaptation: Adaptation<'a>,
    permission: bool,
    findings: Vec<Finding<'a>>,
    suppressed: Vec<SuppressedRef<'a>>,
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

#[derive(Serialize)]
struct Adaptation<'a> {
    translated: bool,
    modified: bool,
    disclosed: bool,
    from_language: Option<&'a str>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
}

/// Write the run as one JSON object followed by a newline.
pub fn write(results: &[DocumentResult], out: &mut dyn io::Write) -> io::Result<()> {
    let summary = Summary::of(results);
    let report = Report {
        schema: "ccguard-report/1",
        documents: results.iter().map(document).collect(),
        summary: JsonSummary {
            documents: summary.documents,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

/// `--format json` written one document at a time (for [`Checker::check_each`]): the same bytes
/// as [`write`] over all the documents, without holding them.
///
/// [`Checker::check_each`]: crate::checker::Checker::check_each
pub struct Stream<'w> {
    out: &'w mut dyn io::Write,
    summary: Summary,
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
        })
    }

    /// Write one document (callers pass them sorted by path).
    pub fn document(&mut self, doc: &DocumentResult) -> io::Result<()> {
        let (errors, warnings, infos) = doc.counts();
        let separator = if self.summary.documents == 0 {
            "\n"
        } else {
            ",\n"
        };
        self.summary.documents += 1;
        self.summary.errors += errors;
        self.summary.warnings += warnings;
        self.summary.infos += infos;
        let text = serde_json::to_string_pretty(&document(doc))?;
        write!(self.out, "{separator}    {}", text.replace('\n', "\n    "))
    }

    /// End the report with the summary; returns the totals.
    pub fn finish(self) -> io::Result<Summary> {
        let summary = self.summary;
        if summary.documents > 0 {
            write!(self.out, "\n  ")?;
        }
        let totals = serde_json::to_string_pretty(&JsonSummary {
            documents: summary.documents,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
        })?;
        writeln!(
            self.out,
            "],\n  \"summary\": {}\n}}",
            totals.replace('\n', "\n  ")
        )?;
        Ok(summary)
    }
}

fn document(doc: &DocumentResult) -> Document<'_> {
    let at = |span: Span| doc.line_col(span.start);
    let facts = &doc.facts;
    Document {
        path: &doc.source.name,
        format: doc.source.format.as_str(),
        is_repost: doc.is_repost,
        license: doc.license.as_ref().map(|l| License {
            id: l.id.as_deref(),
            family: &l.family,
            version: l.version.as_deref(),
            jurisdiction: l.jurisdiction.as_deref(),
            linked: l.linked,
            evidence: l
                .evidence
                .iter()
                .map(|e| {
                    let (line, column) = at(e.span);
                    EvidenceRef {
                        kind: e.kind,
                        line,
                        column,
                        text: &e.text,
                    }
                })
                .collect(),
        }),
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
        permission: facts.permission.is_some(),
        findings: doc.diagnostics.iter().map(|d| finding(doc, d)).collect(),
        suppressed: doc
            .suppressed
            .iter()
            .map(|s| SuppressedRef {
                finding: finding(doc, &s.diagnostic),
                reason: s.reason.as_deref(),
            })
            .collect(),
    }
}

fn finding<'a>(doc: &DocumentResult, d: &'a Diagnostic) -> Finding<'a> {
    let (line, column) = doc.line_col(d.span.start);
    let (end_line, end_column) = doc.line_col(d.span.end);
    Finding {
        rule: d.rule,
        severity: d.severity,
        message: &d.message,
        line,
        column,
        end_line,
        end_column,
        help: d.help.as_deref(),
    }
}
