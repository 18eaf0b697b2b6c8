//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards: the tool driver with every rule
//! (help text, help URI), results with physical locations in Unicode code points, and partial
//! fingerprints that survive edits elsewhere in the file.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io;

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::{Prepared, Render, pretty_json_at};
use crate::check::RULES;
use crate::diagnostic::Severity;
use crate::result::DocumentResult;
use crate::source::Place;

/// Writes one SARIF log with one run, each finding as its document comes.
pub struct Sarif<'w> {
    out: &'w mut dyn io::Write,
    /// The log after its findings (the tool's description), written by `finish`.
    after: String,
    /// How many documents' findings were written.
    written: usize,
}

/// Where the findings go in the log: a string no finding can produce, replaced on output.
const RESULTS_MARK: &str = "\u{1}results";

/// The indentation of the findings array's items in the log.
const ITEM_INDENT: &str = "        ";

impl<'w> Sarif<'w> {
    /// SARIF to `out`: the log up to its findings is written at once. Its keys are in
    /// alphabetical order, so the run's `results` come before the `tool`, and each finding is
    /// written as its document comes.
    pub fn new(out: &'w mut dyn io::Write) -> io::Result<Sarif<'w>> {
        let log = serde_json::to_string_pretty(&log())?;
        let mark = serde_json::to_string(RESULTS_MARK)?;
        let (before, after) = log.split_once(&mark).unwrap_or((&log, ""));
        out.write_all(before.as_bytes())?;
        Ok(Sarif {
            out,
            after: after.to_owned(),
            written: 0,
        })
    }
}

/// The SARIF log with [`RESULTS_MARK`] in place of its findings.
fn log() -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc.unwrap_or(r.summary), "markdown": r.doc.unwrap_or(r.summary)},
                "helpUri": r.id.docs_url(),
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ccguard",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/ccguard/ccguard",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": RESULTS_MARK,
        }]
    })
}

/// One document's findings as items of the log's results array, each on its own line after a
/// comma (the writer puts the array's bracket or a comma first); empty without findings.
pub fn render_document(doc: &DocumentResult) -> io::Result<String> {
    let mut items = Vec::new();
    for d in &doc.diagnostics {
        let Place {
            line,
            column: col,
            end_line,
            end_column: end_col,
        } = d.place;
        let evidence = doc.source.slice(d.span);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(" — ");
            message.push_str(help);
        }
        let finding = json!({
            "ruleId": d.rule,
            "ruleIndex": RULES.iter().position(|r| r.id == d.rule),
            "level": level(d.severity),
            "message": {"text": message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(&doc.source.name)},
                    "region": {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col},
                }
            }],
            "partialFingerprints": {"ccguard/v1": fingerprint(&doc.source.name, d.rule.as_str(), evidence)},
        });
        items.push(format!(
            "\n{ITEM_INDENT}{}",
            pretty_json_at(&finding, ITEM_INDENT)?
        ));
    }
    Ok(items.join(","))
}

impl Render for Sarif<'_> {
    fn write(&mut self, part: Prepared) -> io::Result<()> {
        if part.text.is_empty() {
            return Ok(());
        }
        let separator = if self.written == 0 { "[" } else { "," };
        self.written += 1;
        self.out.write_all(separator.as_bytes())?;
        self.out.write_all(part.text.as_bytes())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        if self.written == 0 {
            write!(self.out, "[]")?;
        } else {
            write!(self.out, "\n{}]", &ITEM_INDENT[2..])?;
        }
        writeln!(self.out, "{}", self.after)
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// What a file path keeps as it is in a URI: RFC 3986's unreserved characters, and `/`.
const PATH_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// What a URL given as input has encoded: the characters no URI may hold (it keeps `%`,
/// `#`, `?` and the other delimiters, which already mean what they say).
const URL_ENCODES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A document's name as a SARIF `artifactLocation.uri`, a valid URI reference (RFC 3986): a
/// relative path percent-encoded (`a b#c.md` → `a%20b%23c.md`; a `:` in a first segment would
/// read as a scheme), an absolute path as a `file:` URI, a URL as given with only what no URI
/// may hold encoded.
fn artifact_uri(name: &str) -> String {
    if name.starts_with("http://") || name.starts_with("https://") {
        return utf8_percent_encode(name, URL_ENCODES).to_string();
    }
    let windows = cfg!(windows);
    let path = if windows {
        name.replace('\\', "/")
    } else {
        name.to_owned()
    };
    let encoded = utf8_percent_encode(&path, PATH_KEEPS).to_string();
    if !std::path::Path::new(name).is_absolute() {
        return encoded;
    }
    // A Windows drive (`C:/…`) keeps its colon: `file:///C:/…`.
    match encoded.split_once("%3A") {
        Some((drive, rest)) if windows && drive.len() == 1 => format!("file:///{drive}:{rest}"),
        _ => format!("file://{encoded}"),
    }
}

/// Path, rule and evidence text: not the line, so edits elsewhere keep the fingerprint.
fn fingerprint(path: &str, rule: &str, evidence: &str) -> String {
    let mut hasher = DefaultHasher::new();
    (path, rule, evidence).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_uris_are_uri_references() {
        assert_eq!(artifact_uri("posts/a b#c.md"), "posts/a%20b%23c.md");
        assert_eq!(artifact_uri("x:y/é\\%.md"), "x%3Ay/%C3%A9%5C%25.md");
        assert_eq!(
            artifact_uri("/srv/site/a b.md"),
            "file:///srv/site/a%20b.md"
        );
        assert_eq!(artifact_uri("-"), "-");
        assert_eq!(
            artifact_uri("https://example.org/a b?q=1#x"),
            "https://example.org/a%20b?q=1#x"
        );
    }
}
