//! `--format human`: miette diagnostics with the file name, line and column, a source snippet
//! with labels, and the help; then a one-line summary.

use std::io;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

use super::{Render, Summary};
use crate::check::{Diagnostic, Severity};
use crate::checker::DocumentResult;

/// Writes every finding of each document as it comes, then the summary.
pub struct Human<'w> {
    handler: GraphicalReportHandler,
    out: &'w mut dyn io::Write,
    summary: Summary,
    unverified: usize,
}

impl<'w> Human<'w> {
    /// Diagnostics to `out`, in colour or not.
    pub fn new(color: bool, out: &'w mut dyn io::Write) -> Human<'w> {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false)
            .with_wrap_lines(false);
        Human {
            handler,
            out,
            summary: Summary::default(),
            unverified: 0,
        }
    }
}

impl Render for Human<'_> {
    fn document(&mut self, doc: &DocumentResult) -> io::Result<()> {
        self.summary.add(doc);
        self.unverified += doc.unverified;
        if doc.diagnostics.is_empty() {
            return Ok(());
        }
        let text: Arc<String> = Arc::new(doc.source.text.clone());
        for diagnostic in &doc.diagnostics {
            let rendered = render(&self.handler, &doc.source.name, &text, diagnostic)?;
            writeln!(self.out, "{rendered}")?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let Human {
            out,
            summary: sum,
            unverified,
            ..
        } = *self;
        writeln!(
            out,
            "checked {} {}: {} {}, {} {}, {} {}",
            sum.documents,
            plural(sum.documents, "document", "documents"),
            sum.errors,
            plural(sum.errors, "error", "errors"),
            sum.warnings,
            plural(sum.warnings, "warning", "warnings"),
            sum.infos,
            plural(sum.infos, "info", "infos"),
        )?;
        if unverified > 0 {
            writeln!(
                out,
                "offline: {unverified} source {} not verified against the original (upstream-* checks skipped)",
                plural(unverified, "link", "links"),
            )?;
        }
        Ok(())
    }
}

/// One diagnostic. A finding about something absent has no place to show, so it names the file
/// in its message instead of showing line 1.
fn render(
    handler: &GraphicalReportHandler,
    name: &str,
    text: &Arc<String>,
    d: &Diagnostic,
) -> io::Result<String> {
    let whole_document = d.span.is_empty() && d.span.start == 0 && d.labels.is_empty();
    let mut diagnostic = to_miette(d);
    let report = if whole_document {
        diagnostic.message = format!("{name}: {}", diagnostic.message);
        Report::new(diagnostic)
    } else {
        Report::new(diagnostic).with_source_code(NamedSource::new(name, Arc::clone(text)))
    };
    let mut rendered = String::new();
    handler
        .render_report(&mut rendered, report.as_ref())
        .map_err(io::Error::other)?;
    Ok(rendered)
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn to_miette(d: &Diagnostic) -> MietteDiagnostic {
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let mut labels = Vec::new();
    if d.span.is_empty() && d.span.start == 0 {
        if d.labels.is_empty() {
            labels.push(LabeledSpan::new_primary_with_span(
                Some("in this document".to_owned()),
                (0, 0),
            ));
        }
    } else {
        labels.push(LabeledSpan::new_primary_with_span(
            Some("here".to_owned()),
            (d.span.start, d.span.len()),
        ));
    }
    for label in &d.labels {
        labels.push(LabeledSpan::new_with_span(
            Some(label.message.clone()),
            (label.span.start, label.span.len()),
        ));
    }
    let mut out = MietteDiagnostic::new(d.message.clone())
        .with_code(d.rule)
        .with_severity(severity)
        .with_labels(labels);
    if let Some(help) = &d.help {
        out = out.with_help(help.clone());
    }
    out
}
