//! `--format junit`: JUnit XML, one testcase per document and one failure per finding, for CI
//! systems that show test reports (GitLab, Jenkins, Azure). Text from the post has its control
//! characters shown as escapes: XML 1.0 allows none of C0 but tab and line breaks, not even as
//! character references.

use std::fmt::Write as _;
use std::io;

use super::escape::for_log;
use super::{Prepared, Render, Summary};
use crate::result::DocumentResult;

/// Writes one `<testsuite>` with a `<testcase>` per document. The suite's header carries the
/// totals, so the test cases (not the documents) are held until the end.
pub struct Junit<'w> {
    out: &'w mut dyn io::Write,
    summary: Summary,
    failing: usize,
    cases: String,
}

impl<'w> Junit<'w> {
    /// JUnit XML to `out`.
    pub fn new(out: &'w mut dyn io::Write) -> Junit<'w> {
        Junit {
            out,
            summary: Summary::default(),
            failing: 0,
            cases: String::new(),
        }
    }
}

/// One document's `<testcase>`, with a failure per finding.
pub fn render_document(doc: &DocumentResult) -> String {
    let mut xml = String::new();
    let name = escape(&doc.source.name);
    if doc.diagnostics.is_empty() {
        let _ = writeln!(xml, "    <testcase name=\"{name}\" classname=\"ccguard\"/>");
        return xml;
    }
    let _ = writeln!(xml, "    <testcase name=\"{name}\" classname=\"ccguard\">");
    for d in &doc.diagnostics {
        let (line, col) = (d.place.line, d.place.column);
        let message = escape(&d.message);
        let mut body = format!("{name}:{line}:{col}: {message}");
        if let Some(help) = &d.help {
            let _ = write!(body, "\nhelp: {}", escape(help));
        }
        let _ = writeln!(
            xml,
            "      <failure type=\"{}\" message=\"{}: {message}\">{body}</failure>",
            d.rule,
            d.severity.as_str(),
        );
    }
    xml.push_str("    </testcase>\n");
    xml
}

impl Render for Junit<'_> {
    fn write(&mut self, part: Prepared) -> io::Result<()> {
        if part.summary.has_findings() {
            self.failing += 1;
        }
        self.summary.merge(part.summary);
        self.cases.push_str(&part.text);
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        let (documents, failing) = (self.summary.documents, self.failing);
        write!(
            self.out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ccguard\" tests=\"{documents}\" failures=\"{failing}\">\n  <testsuite name=\"ccguard\" tests=\"{documents}\" failures=\"{failing}\">\n"
        )?;
        self.out.write_all(self.cases.as_bytes())?;
        self.out.write_all(b"  </testsuite>\n</testsuites>\n")
    }
}

/// `text` for an XML attribute or element: control characters as escapes ([`for_log`], which
/// also breaks `##[` should the XML be printed to a CI log), then the markup characters.
fn escape(text: &str) -> String {
    for_log(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
