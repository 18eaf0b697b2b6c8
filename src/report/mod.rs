//! Renderers: one module per output format, each writing checked documents to any
//! `io::Write`. Only this module writes output; colour and width are properties of the writer.

pub mod escape;
mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod site;
pub mod site_html;
pub mod site_markdown;
pub mod why;

use std::io;

use crate::result::DocumentResult;

/// Output formats of `ccguard check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Diagnostics with source snippets (miette).
    Human,
    /// One JSON object, schema `ccguard-report/1`.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// JUnit XML.
    Junit,
}

/// Totals over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents checked.
    pub documents: usize,
    /// Findings at `error`.
    pub errors: usize,
    /// Findings at `warning`.
    pub warnings: usize,
    /// Findings at `info`.
    pub infos: usize,
}

impl Summary {
    /// Count the findings of every document.
    pub fn of(results: &[DocumentResult]) -> Summary {
        let mut sum = Summary::default();
        for doc in results {
            sum.add(doc);
        }
        sum
    }

    /// Count one more document and its findings.
    pub fn add(&mut self, doc: &DocumentResult) {
        let (errors, warnings, infos) = doc.counts();
        self.merge(Summary {
            documents: 1,
            errors,
            warnings,
            infos,
        });
    }

    /// Add the counts of `other`.
    pub fn merge(&mut self, other: Summary) {
        self.documents += other.documents;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// True when there are findings.
    pub fn has_findings(&self) -> bool {
        self.errors + self.warnings + self.infos > 0
    }
}

/// One document's part of the output, rendered on its own (on any thread, as soon as the
/// document is checked), with what the totals need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    /// The document's output in its format.
    pub text: String,
    /// Its findings by severity (one document).
    pub summary: Summary,
    /// Its source links left unverified.
    pub unverified: usize,
}

/// Render one document in `format`, on its own: the part of writing that needs only the
/// document, done by the checking threads so that writing the output is mostly copying.
pub fn prepare(format: Format, color: bool, doc: &DocumentResult) -> io::Result<Prepared> {
    let text = match format {
        Format::Human => human::render_document(doc, color)?,
        Format::Json => json::render_document(doc)?,
        Format::Sarif => sarif::render_document(doc)?,
        Format::Github => github::render_document(doc),
        Format::Junit => junit::render_document(doc),
    };
    Ok(Prepared {
        text,
        summary: Summary::of(std::slice::from_ref(doc)),
        unverified: doc.unverified,
    })
}

/// `value` as pretty JSON nested `indent` deep in a pretty document: every line after the
/// first starts with `indent` (the caller places the first), so parts of one JSON value can be
/// rendered separately and written in turn. Characters a terminal or CI runner could act on
/// are `\u` escapes ([`escape::json`]).
fn pretty_json_at(value: &impl serde::Serialize, indent: &str) -> io::Result<String> {
    let text = escape::json(serde_json::to_string_pretty(value)?);
    Ok(text.replace('\n', &format!("\n{indent}")))
}

/// The writer of one output: it takes each document's [`Prepared`] part in path order, so
/// output streams as files are checked and a site's results are never all held at once.
pub trait Render {
    /// Write (or take note of) one document's part.
    fn write(&mut self, part: Prepared) -> io::Result<()>;
    /// End the output: totals, closing brackets, whatever needs every document.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// The writer for `format`, writing to `out`.
pub fn renderer<'w>(
    format: Format,
    out: &'w mut dyn io::Write,
) -> io::Result<Box<dyn Render + 'w>> {
    Ok(match format {
        Format::Human => Box::new(human::Human::new(out)),
        Format::Json => Box::new(json::Stream::new(out)?),
        Format::Sarif => Box::new(sarif::Sarif::new(out)?),
        Format::Github => Box::new(github::Github::new(out)),
        Format::Junit => Box::new(junit::Junit::new(out)),
    })
}

/// Render `results` in `format`.
pub fn write(
    results: &[DocumentResult],
    format: Format,
    color: bool,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mut renderer = renderer(format, out)?;
    for doc in results {
        renderer.write(prepare(format, color, doc)?)?;
    }
    renderer.finish()
}

/// Formats of `ccguard report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteFormat {
    /// One self-contained HTML page with charts.
    Html,
    /// GitHub-flavoured Markdown tables.
    Markdown,
}

/// Render the site-wide compliance report of `results`.
pub fn write_site(
    results: &[DocumentResult],
    run: &site::RunInfo,
    format: SiteFormat,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let report = site::SiteReport::new(results, run);
    match format {
        SiteFormat::Html => site_html::write(&report, out),
        SiteFormat::Markdown => site_markdown::write(&report, out),
    }
}
