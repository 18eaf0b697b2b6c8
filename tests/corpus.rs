//! Accuracy on real reposts: checks `../shared/corpus/dev` against its hand-made labels, prints
//! per-rule precision and recall, and fails below the floors; then checks every file of the
//! real-world corpus for robustness (no panic, every file reported).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use ccguard::walk;

/// Rules the dev labels cover; others (info rules, missing-title, unknown-license) are not scored.
const SCORED: &[&str] = &[
    "missing-license-notice",
    "license-version-missing",
    "missing-license-link",
    "missing-author-credit",
    "missing-source-link",
    "missing-translation-disclosure",
    "missing-modification-notice",
    "nd-adaptation",
    "sa-relicensed",
    "nc-commercial-context",
    "conflicting-notice",
];

/// Floors, set from what the checker reaches; raise them as it improves.
const LICENSE_FLOOR: f64 = 0.975;
const F1_FLOOR: f64 = 0.9;

struct Row {
    id: String,
    format: String,
    license: String,
    findings: BTreeSet<String>,
}

fn labels(dir: &std::path::Path) -> Vec<Row> {
    let text = std::fs::read_to_string(dir.join("labels.tsv")).expect("labels.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (id, format, license, findings) = (
        col("id"),
        col("format"),
        col("declared_license"),
        col("expected_findings"),
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Row {
                id: f[id].to_owned(),
                format: f[format].to_owned(),
                license: expected_license(f[license]),
                findings: f[findings]
                    .split(';')
                    .filter(|x| *x != "ok" && !x.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect()
}

/// `declared_license` in the form `common::license_label` gives.
fn expected_license(declared: &str) -> String {
    if let Some(family) = declared.strip_prefix("unversioned:") {
        format!("family:{family}")
    } else if declared == "unspecified:CC" {
        "family:CC".to_owned()
    } else if declared == "none"
        || declared.starts_with("other:")
        || declared.starts_with("invalid:")
    {
        "none".to_owned()
    } else {
        declared.split('|').next().unwrap_or(declared).to_owned()
    }
}

#[test]
fn dev_set_accuracy() {
    let Some(dir) = common::shared("corpus/dev") else {
        return;
    };
    let rows = labels(&dir);
    let mut license_hits = 0;
    let mut counts: BTreeMap<&str, (usize, usize, usize)> =
        SCORED.iter().map(|r| (*r, (0, 0, 0))).collect();
    println!(
        "{:<32} {:<24} {:<24} findings (+extra / -missed)",
        "document", "license want", "license got"
    );
    for row in &rows {
        let ext = if row.format == "html" { "html" } else { "md" };
        let result = common::check_file(&dir, &dir.join(format!("{}.{ext}", row.id)));
        let got_license = common::license_label(&result);
        license_hits += usize::from(got_license == row.license);
        let got: BTreeSet<String> = common::rule_ids(&result)
            .into_iter()
            .filter(|r| SCORED.contains(&r.as_str()))
            .collect();
        for rule in SCORED {
            let entry = counts.get_mut(rule).expect("scored rule");
            match (got.contains(*rule), row.findings.contains(*rule)) {
                (true, true) => entry.0 += 1,
                (true, false) => entry.1 += 1,
                (false, true) => entry.2 += 1,
                (false, false) => {}
            }
        }
        let extra: Vec<&String> = got.difference(&row.findings).collect();
        let missed: Vec<&String> = row.findings.difference(&got).collect();
        let mark = if got_license == row.license && extra.is_empty() && missed.is_empty() {
            "ok"
        } else {
            "!!"
        };
        println!(
            "{mark} {:<29} {:<24} {:<24} +{extra:?} -{missed:?}",
            row.id, row.license, got_license
        );
    }
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    println!(
        "\n{:<32} {:>4} {:>4} {:>4} {:>9} {:>9}",
        "rule", "tp", "fp", "fn", "precision", "recall"
    );
    for (rule, (t, f, n)) in &counts {
        tp += t;
        fp += f;
        fn_ += n;
        println!(
            "{rule:<32} {t:>4} {f:>4} {n:>4} {:>9.2} {:>9.2}",
            ratio(*t, t + f),
            ratio(*t, t + n)
        );
    }
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let license_accuracy = ratio(license_hits, rows.len());
    println!(
        "\nlicense id accuracy {license_accuracy:.3} ({license_hits}/{})",
        rows.len()
    );
    println!("findings: precision {precision:.3} recall {recall:.3} F1 {f1:.3}");
    assert!(
        license_accuracy >= LICENSE_FLOOR,
        "license accuracy {license_accuracy:.3} < {LICENSE_FLOOR}"
    );
    assert!(f1 >= F1_FLOOR, "finding F1 {f1:.3} < {F1_FLOOR}");
}

#[allow(clippy::cast_precision_loss)]
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn whole_corpus_is_checked_without_panic() {
    let Some(dir) = common::shared("corpus") else {
        return;
    };
    let inputs = walk::expand(
        &[dir.to_string_lossy().into_owned()],
        ccguard::source::Format::Html,
        &walk::Extensions::default(),
    )
    .expect("walk corpus")
    .collect::<Vec<_>>();
    let results = common::checker().check_all(&inputs, 0);
    assert_eq!(results.len(), inputs.len(), "every file is reported");
    assert!(
        results.len() > 15_000,
        "the corpus has over 15k HTML and Markdown files, walked {}",
        results.len()
    );
    for result in &results {
        for d in &result.diagnostics {
            assert!(
                d.span.end <= result.source.text.len(),
                "{}: span out of range",
                result.source.name
            );
        }
    }
}
