//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`).

use std::io;

use crate::check::Severity;
use crate::checker::DocumentResult;

/// Write one workflow command per finding.
pub fn write(results: &[DocumentResult], out: &mut dyn io::Write) -> io::Result<()> {
    for doc in results {
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
            writeln!(
                out,
                "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                escape_property(&doc.source.name),
                escape_property(d.rule),
                escape_data(&message)
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
