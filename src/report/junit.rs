//! `--format junit`: JUnit XML, one testcase per document and one failure per finding, for CI
//! systems that show test reports (GitLab, Jenkins, Azure).

use std::fmt::Write as _;
use std::io;

use super::Summary;
use crate::checker::DocumentResult;

/// Write one `<testsuite>` with a `<testcase>` per document.
pub fn write(results: &[DocumentResult], out: &mut dyn io::Write) -> io::Result<()> {
    let summary = Summary::of(results);
    let failing = results.iter().filter(|r| !r.diagnostics.is_empty()).count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"ccguard\" tests=\"{}\" failures=\"{failing}\">\n  <testsuite name=\"ccguard\" tests=\"{}\" failures=\"{failing}\">",
        summary.documents, summary.documents
    );
    for doc in results {
        let name = escape(&doc.source.name);
        if doc.diagnostics.is_empty() {
            let _ = writeln!(xml, "    <testcase name=\"{name}\" classname=\"ccguard\"/>");
            continue;
        }
        let _ = writeln!(xml, "    <testcase name=\"{name}\" classname=\"ccguard\">");
        for d in &doc.diagnostics {
            let (line, col) = doc.line_col(d.span.start);
            let body = match &d.help {
                Some(help) => format!(
                    "{}:{line}:{col}: {}\nhelp: {help}",
                    doc.source.name, d.message
                ),
                None => format!("{}:{line}:{col}: {}", doc.source.name, d.message),
            };
            let _ = writeln!(
                xml,
                "      <failure type=\"{}\" message=\"{}: {}\">{}</failure>",
                d.rule,
                d.severity.as_str(),
                escape(&d.message),
                escape(&body)
            );
        }
        xml.push_str("    </testcase>\n");
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
