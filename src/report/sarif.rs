//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards: the tool driver with every rule
//! (help text, help URI), results with physical locations in Unicode code points, and partial
//! fingerprints that survive edits elsewhere in the file.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io;

use serde_json::{Value, json};

use crate::check::{RULES, Severity, documentation};
use crate::checker::DocumentResult;

/// Write one SARIF log with one run.
pub fn write(results: &[DocumentResult], out: &mut dyn io::Write) -> io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": documentation(r.id).unwrap_or(r.summary), "markdown": documentation(r.id).unwrap_or(r.summary)},
                "helpUri": format!("https://github.com/ccguard/ccguard/blob/main/README.md#{}", r.id),
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let mut findings = Vec::new();
    for doc in results {
        for d in &doc.diagnostics {
            let (line, col) = doc.line_col(d.span.start);
            let (end_line, end_col) = doc.line_col(d.span.end);
            let evidence = doc.source.slice(d.span);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(" — ");
                message.push_str(help);
            }
            findings.push(json!({
                "ruleId": d.rule,
                "ruleIndex": RULES.iter().position(|r| r.id == d.rule),
                "level": level(d.severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": doc.source.name},
                        "region": {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col},
                    }
                }],
                "partialFingerprints": {"ccguard/v1": fingerprint(&doc.source.name, d.rule, evidence)},
            }));
        }
    }
    let log = json!({
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
            "results": findings,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Path, rule and evidence text: not the line, so edits elsewhere keep the fingerprint.
fn fingerprint(path: &str, rule: &str, evidence: &str) -> String {
    let mut hasher = DefaultHasher::new();
    (path, rule, evidence).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}
