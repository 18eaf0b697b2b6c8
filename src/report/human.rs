//! `--format human`: miette diagnostics with the file name, line and column, a source snippet
//! with labels, and the help; then a one-line summary. Every text from the post (its name,
//! the snippet, messages quoting it) is printed with its control characters escaped (see
//! [`super::escape`]), and the snippet shows a window of each line ([`super::excerpt`]).

use std::fmt;
use std::io;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, SourceCode,
};

use super::escape::for_log;
use super::excerpt::{CONTEXT_LINES, Excerpt};
use super::{Prepared, Render, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::result::DocumentResult;
use crate::source::{Place, Span};

/// Writes every finding of each document as it comes, then the summary.
pub struct Human<'w> {
    out: &'w mut dyn io::Write,
    summary: Summary,
    unverified: usize,
}

impl<'w> Human<'w> {
    /// Diagnostics to `out`.
    pub fn new(out: &'w mut dyn io::Write) -> Human<'w> {
        Human {
            out,
            summary: Summary::default(),
            unverified: 0,
        }
    }
}

/// Every finding of one document, with its source snippet, in colour or not.
pub fn render_document(doc: &DocumentResult, color: bool) -> io::Result<String> {
    let mut out = String::new();
    if doc.diagnostics.is_empty() {
        return Ok(out);
    }
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_wrap_lines(false)
        .with_context_lines(CONTEXT_LINES);
    let name = for_log(&doc.source.name);
    for diagnostic in &doc.diagnostics {
        out.push_str(&render(&handler, &name, doc, diagnostic)?);
        out.push('\n');
    }
    Ok(out)
}

impl Render for Human<'_> {
    fn write(&mut self, part: Prepared) -> io::Result<()> {
        self.summary.merge(part.summary);
        self.unverified += part.unverified;
        self.out.write_all(part.text.as_bytes())
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
    doc: &DocumentResult,
    d: &Diagnostic,
) -> io::Result<String> {
    let whole_document = d.span.is_empty() && d.span.start == 0 && d.labels.is_empty();
    let mut diagnostic = MietteDiagnostic::new(for_log(&d.message))
        .with_code(d.rule.as_str())
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        });
    if let Some(help) = &d.help {
        diagnostic = diagnostic.with_help(for_log(help));
    }
    let source = if whole_document {
        diagnostic.message = format!("{name}: {}", diagnostic.message);
        None
    } else {
        let places = places(d);
        let spans: Vec<_> = places
            .iter()
            .map(|(span, place, primary, _)| (*span, *place, *primary))
            .collect();
        let (excerpt, shown) = Excerpt::new(&doc.source.text, &spans);
        let labels = places
            .iter()
            .zip(shown)
            .map(|((_, _, primary, message), span)| {
                let message = Some(for_log(message).into_owned());
                if *primary {
                    LabeledSpan::new_primary_with_span(message, span)
                } else {
                    LabeledSpan::new_with_span(message, span)
                }
            });
        diagnostic = diagnostic.with_labels(labels);
        Some(NamedSource::new(name, excerpt))
    };
    let sourced = Sourced {
        diagnostic: &diagnostic,
        source: source.as_ref(),
    };
    let mut rendered = String::new();
    handler
        .render_report(&mut rendered, &sourced)
        .map_err(io::Error::other)?;
    Ok(rendered)
}

/// The places a diagnostic points at: its own (`here`, the primary one) unless it is about
/// something absent, then its labels.
fn places(d: &Diagnostic) -> Vec<(Span, Place, bool, &str)> {
    let mut places = Vec::with_capacity(d.labels.len() + 1);
    if !(d.span.is_empty() && d.span.start == 0) {
        places.push((d.span, d.place, true, "here"));
    }
    for label in &d.labels {
        places.push((label.span, label.place, false, label.message.as_str()));
    }
    places
}

/// A diagnostic with the document as its source code, as `Report::with_source_code` makes it
/// but without a `Report`: building one asks the terminal about itself (seven system calls per
/// finding), and the handler here is already chosen.
#[derive(Debug)]
struct Sourced<'a> {
    diagnostic: &'a MietteDiagnostic,
    source: Option<&'a NamedSource<Excerpt>>,
}

impl fmt::Display for Sourced<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl std::error::Error for Sourced<'_> {}

impl miette::Diagnostic for Sourced<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.diagnostic.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.help()
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.url()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diagnostic.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|source| source as &dyn SourceCode)
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
