//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use super::{Prepared, Render, Summary};
use crate::check::Severity;
use crate::checker::DocumentResult;

/// Writes one workflow command per finding.
pub struct Github<'w> {
    out: &'w mut dyn io::Write,
}

impl<'w> Github<'w> {
    /// Workflow commands to `out`.
    pub fn new(out: &'w mut dyn io::Write) -> Github<'w> {
        Github { out }
    }
}

/// One workflow command per finding of one document.
pub fn render_document(doc: &DocumentResult) -> String {
    let mut out = String::new();
    for d in &doc.diagnostics {
        let (line, col) = doc.line_col(d.span.start);
        let (end_line, end_col) = doc.line_col(d.span.end);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
            escape_property(&doc.source.name),
            escape_property(d.rule),
            escape_data(&message)
        );
    }
    out
}

impl Render for Github<'_> {
    fn write(&mut self, part: Prepared) -> io::Result<()> {
        self.out.write_all(part.text.as_bytes())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        Ok(())
    }
}

/// A Markdown summary for `$GITHUB_STEP_SUMMARY`: GitHub shows only ten annotations per step,
/// so the summary lists findings by rule and every finding with its place.
pub fn write_step_summary(results: &[DocumentResult], out: &mut dyn io::Write) -> io::Result<()> {
    let sum = Summary::of(results);
    writeln!(
        out,
        "## ccguard: {} errors, {} warnings, {} infos in {} documents\n",
        sum.errors, sum.warnings, sum.infos, sum.documents
    )?;
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        *by_rule.entry(d.rule).or_default() += 1;
    }
    if by_rule.is_empty() {
        return writeln!(out, "No findings.");
    }
    writeln!(out, "| rule | findings |\n|---|---:|")?;
    for (rule, count) in &by_rule {
        writeln!(out, "| `{rule}` | {count} |")?;
    }
    writeln!(
        out,
        "\n| file | line | severity | rule | message |\n|---|---:|---|---|---|"
    )?;
    for doc in results {
        for d in &doc.diagnostics {
            let (line, _) = doc.line_col(d.span.start);
            writeln!(
                out,
                "| {} | {line} | {} | `{}` | {} |",
                doc.source.name.replace('|', "\\|"),
                d.severity.as_str(),
                d.rule,
                d.message.replace('|', "\\|")
            )?;
        }
    }
    Ok(())
}

/// Escape a message as GitHub's toolkit does (`%`, CR, LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_toolkit() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
