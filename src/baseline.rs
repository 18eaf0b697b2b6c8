//! Baselines (CONTRACT.md §4): `--write-baseline FILE` records the current findings,
//! `--baseline FILE` hides those recorded. An entry is keyed by path, rule and a fingerprint of
//! the evidence text — not the line — so edits elsewhere in the file keep it matched.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::Diagnostic;
use crate::source::Source;

/// The schema id written into baseline files.
pub const SCHEMA: &str = "ccguard-baseline/1";

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The document path as reported.
    pub path: String,
    /// The rule id.
    pub rule: String,
    /// A hash of path, rule and evidence text.
    pub fingerprint: String,
}

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The recorded findings, sorted.
    pub entries: Vec<Entry>,
}

/// A baseline file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BaselineError {
    /// The file.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// The fingerprint of a finding: FNV-1a (stable across Rust versions, unlike `DefaultHasher`)
/// over the path, the rule and the evidence text (the message for whole-document findings).
pub fn fingerprint(source: &Source, diagnostic: &Diagnostic) -> String {
    let evidence = source.slice(diagnostic.span);
    let evidence = if evidence.is_empty() {
        diagnostic.message.as_str()
    } else {
        evidence
    };
    let mut hasher = fnv::FnvHasher::default();
    for part in [source.name.as_str(), diagnostic.rule, evidence] {
        hasher.write(part.as_bytes());
        hasher.write_u8(0);
    }
    format!("{:016x}", hasher.finish())
}

impl Baseline {
    /// A baseline recording these findings.
    pub fn record<'a>(findings: impl Iterator<Item = (&'a Source, &'a Diagnostic)>) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .map(|(source, d)| Entry {
                path: source.name.clone(),
                rule: d.rule.to_owned(),
                fingerprint: fingerprint(source, d),
            })
            .collect();
        entries.sort();
        Baseline {
            schema: SCHEMA.to_owned(),
            entries,
        }
    }

    /// Read a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            path: path.to_string_lossy().into_owned(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let baseline: Baseline =
            serde_json::from_str(&text).map_err(|e| err(format!("not a ccguard baseline: {e}")))?;
        if baseline.schema != SCHEMA {
            return Err(err(format!(
                "unknown schema `{}`; expected `{SCHEMA}`",
                baseline.schema
            )));
        }
        Ok(baseline)
    }

    /// Write the baseline as pretty JSON.
    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        let text = serde_json::to_string_pretty(self).map_err(|e| BaselineError {
            path: path.to_string_lossy().into_owned(),
            message: e.to_string(),
        })?;
        std::fs::write(path, text + "\n").map_err(|e| BaselineError {
            path: path.to_string_lossy().into_owned(),
            message: e.to_string(),
        })
    }

    /// A counter of entries, consumed as findings match (one entry hides one finding).
    pub fn matcher(&self) -> Matcher {
        let mut remaining = BTreeMap::new();
        for entry in &self.entries {
            *remaining.entry(entry.clone()).or_insert(0usize) += 1;
        }
        Matcher { remaining }
    }
}

/// Matches findings against a baseline's entries and remembers what was left unmatched.
#[derive(Debug, Clone)]
pub struct Matcher {
    remaining: BTreeMap<Entry, usize>,
}

impl Matcher {
    /// True (and the entry is used up) when the baseline records this finding.
    pub fn take(&mut self, source: &Source, diagnostic: &Diagnostic) -> bool {
        let key = Entry {
            path: source.name.clone(),
            rule: diagnostic.rule.to_owned(),
            fingerprint: fingerprint(source, diagnostic),
        };
        match self.remaining.get_mut(&key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Entries that matched no finding (fixed or moved away), for `--show-stale-baseline`.
    pub fn stale(&self) -> Vec<&Entry> {
        self.remaining
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(e, _)| e)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Severity;
    use crate::source::{Format, Span};

    fn finding(span: Span) -> Diagnostic {
        Diagnostic {
            rule: "missing-license-link",
            severity: Severity::Warning,
            message: "the license is named but not linked".into(),
            span,
            help: None,
            labels: Vec::new(),
        }
    }

    #[test]
    fn fingerprint_ignores_the_line_but_not_the_evidence() {
        let before = Source::from_text("a.md", "Licensed CC BY 4.0\n", Format::Markdown);
        let after = Source::from_text(
            "a.md",
            "New intro.\n\nLicensed CC BY 4.0\n",
            Format::Markdown,
        );
        let changed = Source::from_text("a.md", "Licensed CC BY 3.0\n", Format::Markdown);
        let at = |s: &Source| {
            let start = s.text.find("CC BY").unwrap();
            finding(Span::new(start, start + 9))
        };
        assert_eq!(
            fingerprint(&before, &at(&before)),
            fingerprint(&after, &at(&after))
        );
        assert_ne!(
            fingerprint(&before, &at(&before)),
            fingerprint(&changed, &at(&changed))
        );
        // Pinned: the hash must stay stable across releases.
        assert_eq!(fingerprint(&before, &at(&before)).len(), 16);
    }

    #[test]
    fn matcher_consumes_entries_and_reports_stale_ones() {
        let source = Source::from_text("a.md", "CC BY 4.0", Format::Markdown);
        let d = finding(Span::new(0, 9));
        let baseline = Baseline::record(std::iter::once((&source, &d)));
        let mut matcher = baseline.matcher();
        assert!(matcher.take(&source, &d));
        assert!(!matcher.take(&source, &d), "one entry hides one finding");
        assert!(matcher.stale().is_empty());
        let other = Baseline::record(std::iter::once((&source, &d))).matcher();
        assert_eq!(other.stale().len(), 1);
    }
}
