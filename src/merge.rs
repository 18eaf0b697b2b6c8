//! `ccguard merge`: combine the JSON reports of several runs (e.g. `--shard K/N` jobs of a CI
//! matrix) into one report, as if one run had checked every file.
//!
//! Each document is carried over as the exact text its run printed, so merging the shards of a
//! site gives the same bytes as checking it in one run: documents sorted by path, the summary
//! recounted. Not for reports of other schemas or hand-edited files with other indentation.
//!
//! A document in two reports (a shard given twice, or overlapping shards) is refused: merged,
//! it would be counted twice.

use std::io;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The report schema this merges.
pub const SCHEMA: &str = "ccguard-report/1";

/// Why reports could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A report is not JSON of the expected shape.
    #[error("{name}: not a ccguard JSON report: {source}")]
    Invalid {
        /// The report's name.
        name: String,
        /// The parse error.
        source: serde_json::Error,
    },
    /// A report of another schema.
    #[error("{name}: schema `{schema}`, expected `{SCHEMA}`")]
    Schema {
        /// The report's name.
        name: String,
        /// The schema it declares.
        schema: String,
    },
    /// Two reports cover the same document.
    #[error(
        "document `{path}` is in both {first} and {second}; give each shard's report once, from shards that do not overlap"
    )]
    Duplicate {
        /// The document's path.
        path: String,
        /// The report that had it first.
        first: String,
        /// The report that has it again.
        second: String,
    },
}

#[derive(Deserialize)]
struct Input<'a> {
    #[serde(borrow)]
    schema: &'a str,
    #[serde(borrow)]
    documents: Vec<&'a RawValue>,
    #[serde(default)]
    summary: InputSummary,
}

/// The part of a report's summary that cannot be recounted from its documents.
#[derive(Deserialize, Default)]
struct InputSummary {
    #[serde(default)]
    unverified_sources: usize,
}

#[derive(Deserialize)]
struct DocumentHead {
    path: String,
    findings: Vec<FindingHead>,
}

#[derive(Deserialize)]
struct FindingHead {
    severity: String,
}

#[derive(Serialize)]
struct Output<'a> {
    schema: &'static str,
    documents: Vec<&'a RawValue>,
    summary: Summary,
}

#[derive(Serialize, Default)]
struct Summary {
    documents: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    unverified_sources: usize,
}

/// Merge `reports` (name, JSON text) into one report written to `out`.
pub fn merge(reports: &[(String, String)], out: &mut dyn io::Write) -> io::Result<()> {
    let (documents, unverified_sources) =
        collect(reports).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let mut summary = Summary {
        documents: documents.len(),
        unverified_sources,
        ..Summary::default()
    };
    for (head, _) in &documents {
        for finding in &head.findings {
            match finding.severity.as_str() {
                "error" => summary.errors += 1,
                "warning" => summary.warnings += 1,
                _ => summary.infos += 1,
            }
        }
    }
    let output = Output {
        schema: SCHEMA,
        documents: documents.into_iter().map(|(_, raw)| raw).collect(),
        summary,
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

/// Every document of every report, sorted by path, and the reports' unverified source links
/// summed; a path in two reports is an error.
type Collected<'a> = (Vec<(DocumentHead, &'a RawValue)>, usize);

fn collect(reports: &[(String, String)]) -> Result<Collected<'_>, MergeError> {
    let mut documents = Vec::new();
    let mut unverified = 0;
    for (name, text) in reports {
        let invalid = |source| MergeError::Invalid {
            name: name.clone(),
            source,
        };
        let input: Input = serde_json::from_str(text).map_err(invalid)?;
        if input.schema != SCHEMA {
            return Err(MergeError::Schema {
                name: name.clone(),
                schema: input.schema.to_owned(),
            });
        }
        unverified += input.summary.unverified_sources;
        for raw in input.documents {
            let head: DocumentHead = serde_json::from_str(raw.get()).map_err(invalid)?;
            documents.push((head, raw, name));
        }
    }
    documents.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    if let Some(pair) = documents
        .windows(2)
        .find(|pair| pair[0].0.path == pair[1].0.path)
    {
        return Err(MergeError::Duplicate {
            path: pair[0].0.path.clone(),
            first: pair[0].2.clone(),
            second: pair[1].2.clone(),
        });
    }
    let documents = documents
        .into_iter()
        .map(|(head, raw, _)| (head, raw))
        .collect();
    Ok((documents, unverified))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(paths: &[(&str, &str)]) -> String {
        let docs: Vec<String> = paths
            .iter()
            .map(|(p, sev)| {
                format!(r#"{{"path": "{p}", "findings": [{{"rule": "x", "severity": "{sev}"}}]}}"#)
            })
            .collect();
        format!(
            r#"{{"schema": "{SCHEMA}", "documents": [{}], "summary": {{}}}}"#,
            docs.join(",")
        )
    }

    #[test]
    fn documents_are_sorted_and_counted() {
        let a = (
            "a.json".to_owned(),
            report(&[("b.md", "error"), ("d.md", "info")]),
        );
        let b = ("b.json".to_owned(), report(&[("a.md", "warning")]));
        let mut out = Vec::new();
        merge(&[a, b], &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let paths: Vec<&str> = value["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["a.md", "b.md", "d.md"]);
        assert_eq!(value["summary"]["documents"], 3);
        assert_eq!(value["summary"]["errors"], 1);
        assert_eq!(value["summary"]["warnings"], 1);
        assert_eq!(value["summary"]["infos"], 1);
    }

    #[test]
    fn a_document_in_two_reports_is_refused() {
        let a = ("a.json".to_owned(), report(&[("x.md", "error")]));
        let b = (
            "b.json".to_owned(),
            report(&[("y.md", "error"), ("x.md", "error")]),
        );
        let err = merge(&[a, b], &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "document `x.md` is in both a.json and b.json; give each shard's report once, from shards that do not overlap"
        );
    }

    #[test]
    fn other_schemas_are_refused() {
        let bad = (
            "x.json".to_owned(),
            r#"{"schema": "other/2", "documents": []}"#.to_owned(),
        );
        let err = merge(&[bad], &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("schema `other/2`"), "{err}");
    }
}
