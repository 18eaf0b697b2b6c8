//! `--format human`: miette diagnostics with the file name, line and column, a source snippet
//! with labels, and the help; then a one-line summary.

use std::fmt;
use std::io;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};

use super::{Prepared, Render, Summary};
use crate::check::{Diagnostic, Severity};
use crate::checker::DocumentResult;
use crate::source::LineIndex;

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
        .with_wrap_lines(false);
    let text = Arc::new(Text {
        text: doc.source.text.clone(),
        lines: doc.lines.clone(),
    });
    for diagnostic in &doc.diagnostics {
        out.push_str(&render(&handler, &doc.source.name, &text, diagnostic)?);
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

/// A post's text as miette reads it. For each finding, miette's own reader scans the source
/// from its first byte to find the lines around the span (most of the time of rendering a
/// site); this one hands it only the text from a few lines above the span, and gives the
/// lines and offsets it finds there as they are in the whole text.
struct Text {
    text: String,
    /// The text's line starts, to count the lines above a window without reading them.
    lines: LineIndex,
}

impl SourceCode for Text {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_bytes();
        // One line more than miette keeps above the span's line, so its reading is unchanged.
        let start = line_start_above(text, span.offset(), context_lines_before + 2);
        let window = text.get(start..).unwrap_or_default();
        let inner = window.read_span(
            &SourceSpan::new((span.offset() - start).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        let lines = self.line_breaks_before(start);
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new((inner.span().offset() + start).into(), inner.span().len()),
            inner.line() + lines,
            inner.column(),
            inner.line_count() + lines,
        )))
    }
}

/// The start of the line `lines - 1` lines above the one holding `offset` (by `\n`), or 0.
fn line_start_above(text: &[u8], offset: usize, lines: usize) -> usize {
    let mut at = offset.min(text.len());
    for _ in 0..lines {
        match memchr::memrchr(b'\n', &text[..at]) {
            Some(newline) => at = newline,
            None => return 0,
        }
    }
    at + 1
}

impl Text {
    /// The line breaks before `offset` as miette counts them: `\n`, `\r\n` and a lone `\r`.
    fn line_breaks_before(&self, offset: usize) -> usize {
        let before = self.text.as_bytes().get(..offset).unwrap_or_default();
        let newlines = self.lines.line_col(&self.text, offset).0 - 1;
        if memchr::memchr(b'\r', before).is_none() {
            return newlines;
        }
        let lone_returns = memchr::memchr_iter(b'\r', before)
            .filter(|&at| before.get(at + 1) != Some(&b'\n'))
            .count();
        newlines + lone_returns
    }
}

/// One diagnostic. A finding about something absent has no place to show, so it names the file
/// in its message instead of showing line 1.
fn render(
    handler: &GraphicalReportHandler,
    name: &str,
    text: &Arc<Text>,
    d: &Diagnostic,
) -> io::Result<String> {
    let whole_document = d.span.is_empty() && d.span.start == 0 && d.labels.is_empty();
    let mut diagnostic = to_miette(d);
    let source = if whole_document {
        diagnostic.message = format!("{name}: {}", diagnostic.message);
        None
    } else {
        Some(NamedSource::new(name, Arc::clone(text)))
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

/// A diagnostic with the document as its source code, as `Report::with_source_code` makes it
/// but without a `Report`: building one asks the terminal about itself (seven system calls per
/// finding), and the handler here is already chosen.
#[derive(Debug)]
struct Sourced<'a> {
    diagnostic: &'a MietteDiagnostic,
    source: Option<&'a NamedSource<Arc<Text>>>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windowed_text_reads_spans_as_miette_reads_the_whole_text() {
        let texts = [
            "one\ntwo\nthree\nfour\nfive\nsix\n",
            "a\r\nbb\r\nccc\r\ndddd\r\neeeee",
            "x\ry\rz\nw\n\nv\r\nu",
            "no line breaks at all",
            "",
        ];
        for text in texts {
            let windowed = Text {
                text: text.to_owned(),
                lines: LineIndex::new(text),
            };
            for offset in 0..=text.len() {
                for len in [0, 1, 3] {
                    for context in [0, 1, 2] {
                        let span = SourceSpan::new(offset.into(), len);
                        let whole = text.read_span(&span, context, context);
                        let part = windowed.read_span(&span, context, context);
                        match (whole, part) {
                            (Ok(whole), Ok(part)) => {
                                assert_eq!(whole.data(), part.data(), "{text:?} {offset} {len}");
                                assert_eq!(whole.span(), part.span());
                                assert_eq!(whole.line(), part.line());
                                assert_eq!(whole.column(), part.column());
                                assert_eq!(whole.line_count(), part.line_count());
                            }
                            (whole, part) => assert_eq!(whole.is_ok(), part.is_ok()),
                        }
                    }
                }
            }
        }
    }
}
