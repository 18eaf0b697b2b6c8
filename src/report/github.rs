//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`), and the Markdown
//! step summary. Text from the post is escaped as GitHub's toolkit escapes it (and control
//! characters shown as escapes), so no line of either starts anything but what ccguard wrote.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use super::escape::{self, for_log};
use super::{Prepared, Render, Summary};
use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::result::DocumentResult;
use crate::source::Place;

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
        let Place {
            line,
            column: col,
            end_line,
            end_column: end_col,
        } = d.place;
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = for_log(&d.message).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&for_log(help));
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
            escape_property(&doc.source.name),
            escape_property(d.rule.as_str()),
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

/// What ccguard writes to the step summary at most, with what the step wrote there before:
/// GitHub drops a step summary over 1 MiB whole.
const SUMMARY_LIMIT: usize = 1_000_000;

/// Room kept for the line saying how many findings were left out.
const LEFT_OUT_ROOM: usize = 200;

/// The Markdown summary for `$GITHUB_STEP_SUMMARY`, gathered one document at a time. GitHub
/// shows only ten annotations per step, so the summary counts findings by rule and lists every
/// finding with its place, as many as fit under [`SUMMARY_LIMIT`].
#[derive(Debug, Default)]
pub struct StepSummary {
    summary: Summary,
    by_rule: BTreeMap<RuleId, usize>,
    /// Table rows, kept while they fit under the limit.
    rows: Vec<String>,
    rows_len: usize,
    /// Findings whose rows did not fit.
    left_out: usize,
}

impl StepSummary {
    /// Count one document (named `name`, its findings counted in `counts` as [`super::prepare`]
    /// counts them) and keep its findings' rows.
    pub fn add(&mut self, name: &str, counts: Summary, findings: &[Diagnostic]) {
        self.summary.merge(counts);
        for d in findings {
            *self.by_rule.entry(d.rule).or_default() += 1;
            if self.rows_len > SUMMARY_LIMIT {
                self.left_out += 1;
                continue;
            }
            let row = format!(
                "| {} | {} | {} | `{}` | {} |\n",
                markdown_cell(name),
                d.place.line,
                d.severity.as_str(),
                d.rule,
                markdown_cell(&d.message)
            );
            self.rows_len += row.len();
            self.rows.push(row);
        }
    }

    /// Write the summary to `out`, a file that already holds `written` bytes: the rows that
    /// fit under the limit, then how many were left out.
    pub fn write(&self, out: &mut dyn io::Write, written: u64) -> io::Result<()> {
        let sum = self.summary;
        let mut head = format!(
            "## ccguard: {} errors, {} warnings, {} infos in {} documents\n\n",
            sum.errors, sum.warnings, sum.infos, sum.documents
        );
        if self.by_rule.is_empty() {
            head.push_str("No findings.\n");
            return out.write_all(head.as_bytes());
        }
        head.push_str("| rule | findings |\n|---|---:|\n");
        for (rule, count) in &self.by_rule {
            let _ = writeln!(head, "| `{rule}` | {count} |");
        }
        head.push_str("\n| file | line | severity | rule | message |\n|---|---:|---|---|---|\n");
        out.write_all(head.as_bytes())?;
        let room = SUMMARY_LIMIT
            .saturating_sub(usize::try_from(written).unwrap_or(usize::MAX))
            .saturating_sub(head.len() + LEFT_OUT_ROOM);
        let mut used = 0;
        let mut shown = 0;
        for row in &self.rows {
            if used + row.len() > room {
                break;
            }
            out.write_all(row.as_bytes())?;
            used += row.len();
            shown += 1;
        }
        let left_out = self.left_out + self.rows.len() - shown;
        if left_out > 0 {
            writeln!(
                out,
                "\n{left_out} more {} not listed: GitHub drops a step summary over 1 MiB. \
                 `ccguard check --format json` lists every finding.",
                if left_out == 1 { "finding" } else { "findings" }
            )?;
        }
        Ok(())
    }
}

/// `text` as one Markdown table cell: control characters shown as escapes (a line break would
/// end the table), and the characters that make links, images, HTML, code or emphasis, or
/// split cells, backslash-escaped.
fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape::is_unsafe(c) {
            escape::push_escape(&mut out, c);
        } else {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '!' | '&'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Escape a message as GitHub's toolkit does (`%`, CR, LF).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value as the toolkit does (also `:` and `,`). The file name keeps its
/// line breaks as `%0D`/`%0A` (the runner decodes them, so the annotation finds the file);
/// other control characters are shown as escapes.
fn escape_property(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c if escape::is_unsafe(c) => escape::push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_toolkit() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(
            escape_property("a\r\n::x\u{1b}%"),
            "a%0D%0A%3A%3Ax\\u{1b}%25"
        );
    }

    #[test]
    fn markdown_cells_stay_in_their_cell_and_make_no_markup() {
        assert_eq!(
            markdown_cell("a|b\n![x](javascript:y) <b>`c`</b>"),
            "a\\|b\\n\\!\\[x\\](javascript:y) \\<b\\>\\`c\\`\\</b\\>"
        );
    }
}
