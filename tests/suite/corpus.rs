//! Accuracy on real reposts: checks `../shared/corpus/dev` and `dev2` against their hand-made
//! labels, prints every miss and the precision and recall per rule and per language, and fails
//! below the floors; then checks every file of the real-world corpus for robustness (no panic,
//! every file reported).

use crate::common;

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
/// Floors of `dev/` and `dev2/` together (issue 16's targets are 0.97 and 0.92).
const COMBINED_LICENSE_FLOOR: f64 = 0.983;
const COMBINED_F1_FLOOR: f64 = 0.8;

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

/// Whether `got` (as `common::license_label` gives it) names the license `want` labels. The
/// labels spell a port that SPDX does not list as SPDX would (`CC-BY-SA-3.0-CN`); the contract
/// writes the same license `LicenseRef-ccguard-by-sa-3.0-cn`.
fn same_license(got: &str, want: &str) -> bool {
    got == want
        || match (
            got.strip_prefix("LicenseRef-ccguard-"),
            want.strip_prefix("CC-"),
        ) {
            (Some(got), Some(want)) => got.eq_ignore_ascii_case(want),
            _ => false,
        }
}

/// One labelled set: its directory, where its documents live under it, and its rows.
struct Set {
    name: &'static str,
    docs: std::path::PathBuf,
    rows: Vec<Row>,
}

fn set(name: &'static str, docs_under: &str) -> Option<Set> {
    let dir = common::shared(&format!("corpus/{name}"))?;
    Some(Set {
        name,
        docs: dir.join(docs_under),
        rows: labels(&dir),
    })
}

/// True, false and missed findings of one scored rule.
#[derive(Default, Clone, Copy)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn add(&mut self, got: bool, want: bool) {
        match (got, want) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

/// License accuracy and findings over some labelled sets, with per-rule and per-language tables.
struct Score {
    license_hits: usize,
    rows: usize,
    findings: Tally,
}

/// Check every row of `sets`, print each miss, the per-rule and the per-language tables.
fn score(sets: &[Set]) -> Score {
    let mut license_hits = 0;
    let mut rows = 0;
    let mut by_rule: BTreeMap<&str, Tally> =
        SCORED.iter().map(|r| (*r, Tally::default())).collect();
    // (rows, license hits, findings) per language of the post, as whatlang tells it.
    let mut by_language: BTreeMap<String, (usize, usize, Tally)> = BTreeMap::new();
    println!(
        "{:<40} {:<4} {:<24} {:<24} findings (+extra / -missed)",
        "document", "lang", "license want", "license got"
    );
    for set in sets {
        for row in &set.rows {
            let ext = if row.format == "html" { "html" } else { "md" };
            let result = common::check_file(&set.docs, &set.docs.join(format!("{}.{ext}", row.id)));
            let language = language_of(&result);
            let got_license = common::license_label(&result);
            let license_ok = same_license(&got_license, &row.license);
            rows += 1;
            license_hits += usize::from(license_ok);
            let got: BTreeSet<String> = common::rule_ids(&result)
                .into_iter()
                .filter(|r| SCORED.contains(&r.as_str()))
                .collect();
            let lang = by_language.entry(language.clone()).or_default();
            lang.0 += 1;
            lang.1 += usize::from(license_ok);
            for rule in SCORED {
                let (g, w) = (got.contains(*rule), row.findings.contains(*rule));
                by_rule.get_mut(rule).expect("scored rule").add(g, w);
                lang.2.add(g, w);
            }
            let extra: Vec<&String> = got.difference(&row.findings).collect();
            let missed: Vec<&String> = row.findings.difference(&got).collect();
            let mark = if license_ok && extra.is_empty() && missed.is_empty() {
                "ok"
            } else {
                "!!"
            };
            println!(
                "{mark} {:<37} {language:<4} {:<24} {:<24} +{extra:?} -{missed:?}",
                row.id, row.license, got_license
            );
        }
    }
    let names: Vec<&str> = sets.iter().map(|s| s.name).collect();
    println!(
        "\n{:<32} {:>4} {:>4} {:>4} {:>9} {:>9}",
        format!("rule ({})", names.join(" + ")),
        "tp",
        "fp",
        "fn",
        "precision",
        "recall"
    );
    let mut findings = Tally::default();
    for (rule, t) in &by_rule {
        findings.tp += t.tp;
        findings.fp += t.fp;
        findings.fn_ += t.fn_;
        println!(
            "{rule:<32} {:>4} {:>4} {:>4} {:>9.2} {:>9.2}",
            t.tp,
            t.fp,
            t.fn_,
            t.precision(),
            t.recall()
        );
    }
    println!(
        "\n{:<8} {:>4} {:>8} {:>9} {:>9} {:>6}",
        "language", "rows", "license", "precision", "recall", "F1"
    );
    for (language, (n, hits, t)) in &by_language {
        println!(
            "{language:<8} {n:>4} {:>8.2} {:>9.2} {:>9.2} {:>6.2}",
            ratio(*hits, *n),
            t.precision(),
            t.recall(),
            t.f1()
        );
    }
    let score = Score {
        license_hits,
        rows,
        findings,
    };
    println!(
        "\n{}: license id accuracy {:.3} ({license_hits}/{rows}); findings: precision {:.3} recall {:.3} F1 {:.3}",
        names.join(" + "),
        ratio(license_hits, rows),
        findings.precision(),
        findings.recall(),
        findings.f1()
    );
    score
}

/// The post's language as whatlang guesses it from its text outside markup (a page's scripts and
/// tags would make every HTML page English).
fn language_of(result: &ccguard::result::DocumentResult) -> String {
    let mut prose = String::new();
    let mut rest = result.source.text.as_str();
    while let Some(open) = rest.find('<') {
        prose.push_str(&rest[..open]);
        prose.push(' ');
        let tag = &rest[open..];
        let skip_to = ["<script", "<style"]
            .iter()
            .find(|t| {
                tag.get(..t.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(t))
            })
            .and_then(|t| tag.find(&format!("</{}", &t[1..])))
            .unwrap_or(0);
        rest = tag[skip_to..]
            .find('>')
            .map_or("", |close| &tag[skip_to + close + 1..]);
    }
    prose.push_str(rest);
    whatlang::detect_lang(&prose).map_or_else(|| "?".to_owned(), |l| l.code().to_owned())
}

/// The set the detectors were written against keeps its floors.
#[test]
fn dev_set_accuracy() {
    let Some(dev) = set("dev", ".") else {
        return;
    };
    let score = score(&[dev]);
    let license_accuracy = ratio(score.license_hits, score.rows);
    assert!(
        license_accuracy >= LICENSE_FLOOR,
        "license accuracy {license_accuracy:.3} < {LICENSE_FLOOR}"
    );
    let f1 = score.findings.f1();
    assert!(f1 >= F1_FLOOR, "finding F1 {f1:.3} < {F1_FLOOR}");
}

/// `dev/` and `dev2/` scored together, as issue 16 measures accuracy: the floors are today's
/// figures, so a change that helps one set and hurts the other shows here.
#[test]
fn dev_and_dev2_accuracy() {
    let (Some(dev), Some(dev2)) = (set("dev", "."), set("dev2", "docs")) else {
        return;
    };
    let score = score(&[dev, dev2]);
    let license_accuracy = ratio(score.license_hits, score.rows);
    assert!(
        license_accuracy >= COMBINED_LICENSE_FLOOR,
        "license accuracy {license_accuracy:.3} < {COMBINED_LICENSE_FLOOR}"
    );
    let f1 = score.findings.f1();
    assert!(
        f1 >= COMBINED_F1_FLOOR,
        "finding F1 {f1:.3} < {COMBINED_F1_FLOOR}"
    );
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
