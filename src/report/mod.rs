//! Renderers: one module per output format, each writing checked documents to any
//! `io::Write`. Only this module writes output; colour and width are properties of the writer.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod site;
pub mod site_html;
pub mod site_markdown;

use std::io;

use crate::checker::DocumentResult;

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
        results.iter().fold(
            Summary {
                documents: results.len(),
                ..Summary::default()
            },
            |mut sum, doc| {
                let (e, w, i) = doc.counts();
                sum.errors += e;
                sum.warnings += w;
                sum.infos += i;
                sum
            },
        )
    }
}

/// Render `results` in `format`.
pub fn write(
    results: &[DocumentResult],
    format: Format,
    color: bool,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(results, color, out),
        Format::Json => json::write(results, out),
        Format::Sarif => sarif::write(results, out),
        Format::Github => github::write(results, out),
        Format::Junit => junit::write(results, out),
    }
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
