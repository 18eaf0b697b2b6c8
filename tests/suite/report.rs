//! `ccguard report`: the HTML report parses, is self-contained, lists every document and agrees
//! with the JSON summary; the Markdown report has one row per document; strings from posts are
//! escaped; exit codes follow `check`.

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use scraper::{Html, Selector};
use serde_json::Value;

fn ccguard() -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    // A pinned date: the report shows when it was made.
    cmd.current_dir(common::root())
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1700000000");
    cmd
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("valid selector");
    html.select(&selector).collect()
}

/// `check --format json` of the same inputs.
fn json_of(inputs: &[&str]) -> Value {
    let out = ccguard()
        .args(["check", "--offline", "--format", "json"])
        .args(inputs)
        .output()
        .expect("run check");
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Run `report` on `inputs` and return the written file.
fn report(inputs: &[&str], format: &str, dir: &Path, expect_code: i32) -> String {
    let output = dir.join(format!("report.{format}"));
    ccguard()
        .args(["report", "--format", format, "--output"])
        .arg(&output)
        .args(inputs)
        .assert()
        .code(expect_code);
    std::fs::read_to_string(&output).expect("report written")
}

fn total(html: &Html, key: &str) -> u64 {
    let cards = select(html, &format!("[data-total={key}] .n"));
    let text: String = cards.first().expect("total card").text().collect();
    text.trim().parse().expect("a number")
}

#[test]
fn html_report_of_fixtures_is_self_contained_and_complete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = report(&["fixtures/"], "html", dir.path(), 1);
    let html = Html::parse_document(&text);
    assert!(html.errors.is_empty(), "parse errors: {:?}", html.errors);
    let json = json_of(&["fixtures/"]);
    let documents = json["documents"].as_array().expect("documents");

    let rows = select(&html, "table#posts > tbody > tr");
    assert_eq!(rows.len(), documents.len());
    let mut paths: Vec<String> = rows
        .iter()
        .map(|r| {
            let cell = r.select(&Selector::parse("td.path").expect("sel")).next();
            cell.expect("path cell").text().collect()
        })
        .collect();
    paths.sort();
    let mut expected: Vec<&str> = documents
        .iter()
        .map(|d| d["path"].as_str().expect("path"))
        .collect();
    expected.sort_unstable();
    assert_eq!(paths, expected);

    assert_eq!(select(&html, "svg").len(), 3, "three charts");
    assert!(select(&html, "svg rect").len() > 3, "charts have bars");
    assert!(
        select(&html, "script[src]").is_empty(),
        "no external script"
    );
    assert!(
        select(&html, "link").is_empty(),
        "no linked stylesheet or font"
    );
    assert!(select(&html, "style").len() == 1, "inline CSS");
    assert!(!text.contains("@import") && !text.contains("url("));
    for element in select(&html, "[src], [href]") {
        for attr in ["src", "href"] {
            if let Some(value) = element.value().attr(attr) {
                let value = value.trim().to_ascii_lowercase();
                assert!(
                    !value.starts_with("http:")
                        && !value.starts_with("https:")
                        && !value.starts_with("//"),
                    "external resource {value}"
                );
            }
        }
    }
}

#[test]
fn html_totals_equal_the_json_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = Html::parse_document(&report(&["fixtures/"], "html", dir.path(), 1));
    let summary = &json_of(&["fixtures/"])["summary"];
    for key in ["documents", "errors", "warnings", "infos"] {
        assert_eq!(Some(total(&html, key)), summary[key].as_u64(), "{key}");
    }
    let reposts = json_of(&["fixtures/"])["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .filter(|d| d["is_repost"] == Value::Bool(true))
        .count();
    assert_eq!(total(&html, "reposts"), reposts as u64);
}

#[test]
fn html_report_is_pre_sorted_by_errors_then_warnings_then_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = Html::parse_document(&report(&["fixtures/"], "html", dir.path(), 1));
    let number = |r: &scraper::ElementRef<'_>, i: usize| -> i64 {
        let cell: String = r
            .select(&Selector::parse("td").expect("sel"))
            .nth(i)
            .expect("cell")
            .text()
            .collect();
        cell.trim().parse().expect("a count")
    };
    let keys: Vec<(i64, i64, String)> = select(&html, "table#posts > tbody > tr")
        .iter()
        .map(|r| {
            let path: String = r
                .select(&Selector::parse("td.path").expect("sel"))
                .next()
                .expect("path cell")
                .text()
                .collect();
            (-number(r, 5), -number(r, 6), path)
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(keys.first().is_some_and(|k| k.0 < 0), "errors come first");
}

#[test]
fn markdown_report_has_one_row_per_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = report(&["fixtures/"], "markdown", dir.path(), 1);
    let json = json_of(&["fixtures/"]);
    let documents = json["documents"].as_array().expect("documents").len();
    let posts = md
        .split("\n## Posts\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Posts section");
    let rows: Vec<&str> = posts.lines().filter(|l| l.starts_with('|')).collect();
    // Header and delimiter rows, then one per document.
    assert_eq!(rows.len(), documents + 2);
    assert!(
        rows.iter()
            .filter(|r| !r.starts_with("|---"))
            .all(|r| r.matches(" | ").count() == 8)
    );
    let totals = md
        .split("\n## Totals\n")
        .nth(1)
        .and_then(|rest| {
            rest.lines()
                .find(|l| l.starts_with("| ") && !l.contains("posts"))
        })
        .expect("a totals row");
    let summary = &json["summary"];
    let expected = format!("| {} | ", summary["documents"].as_u64().expect("documents"));
    assert!(totals.starts_with(&expected), "{totals}");
}

const HOSTILE: &str = "---\ntitle: Tides\nauthor: \"<script>alert(1)</script> Ana | Ruiz\"\n---\n\nOriginally published by [The Review](https://example.org/2025/tides) under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n";

#[test]
fn strings_from_posts_are_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).expect("mkdir");
    std::fs::write(posts.join("<img src=x onerror=alert(1)>.md"), HOSTILE).expect("write");
    let input = posts.to_str().expect("utf-8 path");

    let text = report(&[input], "html", dir.path(), 0);
    let html = Html::parse_document(&text);
    assert_eq!(select(&html, "script").len(), 1, "only our own script");
    assert!(select(&html, "img").is_empty());
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; Ana | Ruiz"));
    let author: String = select(&html, "#authors td")
        .first()
        .expect("author row")
        .text()
        .collect();
    assert_eq!(author, "<script>alert(1)</script> Ana | Ruiz");

    let md = report(&[input], "markdown", dir.path(), 0);
    assert!(!md.contains("<script>") && !md.contains("<img"));
    assert!(md.contains("| &lt;script&gt;alert(1)&lt;/script&gt; Ana \\| Ruiz | 1 |"));
}

#[test]
fn exit_codes_follow_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("post.md");
    std::fs::write(
        &post,
        "# Tides\n\nBy Ana Ruiz. Originally published by [The Review](https://example.org/2025/tides).\n\nLicensed under CC BY 4.0.\n",
    )
    .expect("write");
    let post = post.to_str().expect("utf-8 path");
    // One warning (the license is not linked): clean by default, a failure with --fail-on warning.
    report(&[post], "html", dir.path(), 0);
    let output = dir.path().join("strict.html");
    ccguard()
        .args(["report", "--fail-on", "warning", "--output"])
        .arg(&output)
        .arg(post)
        .assert()
        .code(1);
    ccguard().args(["report", post]).assert().code(2);
    ccguard()
        .args(["report", "--format", "pdf", "--output", "x.pdf", post])
        .assert()
        .code(2);
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = report(&["fixtures/posts"], "html", dir.path(), 1);
    let out = dir.path().join("again.html");
    ccguard()
        .args(["report", "--jobs", "1", "--output"])
        .arg(&out)
        .arg("fixtures/posts")
        .assert()
        .code(1);
    assert_eq!(first, std::fs::read_to_string(out).expect("read"));
}
