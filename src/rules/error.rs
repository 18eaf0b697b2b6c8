//! [`RuleError`]: a problem in a rule or policy file, with the line it points at quoted.
//!
//! Shared by the loading of license rules (`load`) and of publisher policies (`policy`); not
//! for deciding what is valid (each of those does).

use std::ops::Range;

use miette::{
    Diagnostic, MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};

use crate::source::LineIndex;

/// A problem in a rule file, pointing at the offending text.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}:{line}:{column}: {message}")]
#[diagnostic(code(ccguard::rule_file))]
pub struct RuleError {
    /// The file's display name.
    pub file: String,
    /// 1-based line of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the offending text.
    pub column: usize,
    /// What is wrong and what is allowed.
    pub message: String,
    /// Byte range of the offending text in the file.
    pub span: Range<usize>,
    #[source_code]
    source_code: NamedSource<Quote>,
    #[label("{label}")]
    label_span: SourceSpan,
    label: String,
}

impl RuleError {
    /// Read `text`, the file `file`, as TOML into `T`; a syntax or shape error is one error
    /// at its place.
    pub(crate) fn toml<T: serde::de::DeserializeOwned>(
        file: &str,
        text: &str,
    ) -> Result<T, Vec<RuleError>> {
        toml::from_str(text).map_err(|err| {
            let span = err.span().unwrap_or(0..0);
            let message = err.message().trim().to_owned();
            vec![RuleError::new(file, text, span, "here", message)]
        })
    }

    /// An error at `span` of the file `file` whose text is `text`.
    pub(crate) fn new(
        file: &str,
        text: &str,
        span: Range<usize>,
        label: &str,
        message: String,
    ) -> RuleError {
        let start = span.start.min(text.len());
        let end = span.end.clamp(start, text.len());
        let (line, column) = LineIndex::new(text).line_col(text, start);
        let quote = Quote::of(text, start, line.saturating_sub(1));
        let label_end = end.min(quote.offset + quote.text.len()).max(start);
        RuleError {
            file: file.to_owned(),
            line,
            column,
            message,
            span: start..end,
            source_code: NamedSource::new(file, quote),
            label_span: (start..label_end).into(),
            label: label.to_owned(),
        }
    }
}

/// The most of a rule file's line an error quotes, in bytes.
const QUOTE_WIDTH: usize = 160;

/// The part of a rule file an error shows: the line it points at, clipped to [`QUOTE_WIDTH`]
/// bytes around the place, and nothing else. A rules directory may hold files that are not
/// the user's to print (a config's `rules_dirs` once reached anywhere on the machine), and one
/// line of a minified file can be megabytes long.
#[derive(Debug, Clone)]
struct Quote {
    /// The quoted text.
    text: String,
    /// Its byte offset in the file.
    offset: usize,
    /// Its 0-based line in the file.
    line: usize,
    /// Its 0-based byte column in that line.
    column: usize,
}

impl Quote {
    /// The quote for a place at byte `at` (on 0-based `line`) of `text`.
    fn of(text: &str, at: usize, line: usize) -> Quote {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find(['\r', '\n']).map_or(text.len(), |i| at + i);
        let mut start = at.saturating_sub(QUOTE_WIDTH / 2).max(line_start);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + QUOTE_WIDTH).min(line_end);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Quote {
            text: text[start..end].to_owned(),
            offset: start,
            line,
            column: start - line_start,
        }
    }
}

impl SourceCode for Quote {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // Spans are offsets in the whole file; the quote holds one line of it, so no context
        // line above or below can be read.
        let offset = span
            .offset()
            .saturating_sub(self.offset)
            .min(self.text.len());
        let len = span.len().min(self.text.len() - offset);
        let inner = self.text.as_str().read_span(
            &SourceSpan::new(offset.into(), len),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + self.offset).into(),
                inner.span().len(),
            ),
            inner.line() + self.line,
            inner.column() + self.column,
            inner.line_count() + self.line,
        )))
    }
}
