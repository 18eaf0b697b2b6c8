//! The binary as a process: exit codes, formats, stdin, rules commands, bad input.

use crate::common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn ccguard() -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.current_dir(common::root())
        .env("NO_COLOR", "1")
        .env("CCGUARD_OFFLINE", "true");
    cmd
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("valid JSON")
}

fn write(dir: &std::path::Path, name: &str, text: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

const REPOST_WITHOUT_LINK: &str = "# Harbour lights\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\nLicensed under CC BY 4.0.\n";

#[test]
fn findings_exit_1_and_fail_on_never_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write(dir.path(), "post.md", REPOST_WITHOUT_LINK.as_bytes());
    ccguard()
        .arg("check")
        .arg(&post)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("missing-source-link"));
    ccguard()
        .args(["check", "--fail-on", "never"])
        .arg(&post)
        .assert()
        .code(0);
}

#[test]
fn warnings_fail_only_with_fail_on_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "# Harbour lights\n\nBy Ana Ruiz. Originally published by [The Harbour Review](https://example.org/2025/harbour-lights).\n\nLicensed under CC BY 4.0.\n";
    let post = write(dir.path(), "post.md", text.as_bytes());
    let out = ccguard()
        .args(["check", "--format", "json"])
        .arg(&post)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    let rules: Vec<&str> = json["documents"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(rules, ["missing-license-link"]);
    ccguard()
        .args(["check", "--fail-on", "warning"])
        .arg(&post)
        .assert()
        .code(1);
}

#[test]
fn json_follows_the_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write(dir.path(), "post.md", REPOST_WITHOUT_LINK.as_bytes());
    let out = ccguard()
        .args(["check", "--format", "json"])
        .arg(&post)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    assert_eq!(json["schema"], "ccguard-report/1");
    let doc = &json["documents"][0];
    assert_eq!(doc["format"], "markdown");
    assert_eq!(doc["is_repost"], true);
    assert_eq!(doc["license"]["id"], "CC-BY-4.0");
    assert_eq!(doc["license"]["family"], "CC-BY");
    assert_eq!(doc["license"]["version"], "4.0");
    assert_eq!(doc["license"]["linked"], false);
    assert_eq!(doc["license"]["evidence"][0]["line"], 5);
    let finding = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "missing-source-link")
        .expect("missing-source-link");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(finding["severity"], "error");
    assert_eq!(json["summary"]["documents"], 1);
}

#[test]
fn stdin_is_read_in_the_given_format() {
    let out = ccguard()
        .args([
            "check",
            "--format",
            "json",
            "--stdin-format",
            "markdown",
            "-",
        ])
        .write_stdin(REPOST_WITHOUT_LINK)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    assert_eq!(json["documents"][0]["path"], "-");
    assert_eq!(json["documents"][0]["format"], "markdown");
}

#[test]
fn a_post_that_is_not_a_repost_has_no_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write(
        dir.path(),
        "diary.md",
        b"# My garden\n\nToday I planted tomatoes and basil.\n",
    );
    let out = ccguard()
        .args(["check", "--format", "json"])
        .arg(&post)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    assert_eq!(json["documents"][0]["is_repost"], false);
    assert_eq!(
        json["documents"][0]["findings"].as_array().map(Vec::len),
        Some(0)
    );
}

#[test]
fn unreadable_files_are_findings_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a-binary.md",
        &[0u8, 159, 146, 150, 0, 0, 0, 1, 2, 0],
    );
    write(dir.path(), "b-post.md", REPOST_WITHOUT_LINK.as_bytes());
    write(dir.path(), "c-big.html", &vec![b'a'; 2048]);
    let out = ccguard()
        .args(["check", "--format", "json", "--max-size", "1024"])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    let docs = json["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["findings"][0]["rule"], "unreadable-input");
    assert!(
        docs[0]["findings"][0]["message"]
            .as_str()
            .expect("message")
            .contains("binary")
    );
    assert!(
        docs[1]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "missing-source-link")
    );
    assert_eq!(docs[2]["findings"][0]["rule"], "unreadable-input");
    assert!(
        docs[2]["findings"][0]["message"]
            .as_str()
            .expect("message")
            .contains("size cap")
    );
}

#[test]
fn invalid_utf8_is_decoded_and_noted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = REPOST_WITHOUT_LINK.as_bytes().to_vec();
    text.extend_from_slice(b"\nCaf\xe9 Ol\xe9\n");
    let post = write(dir.path(), "latin1.md", &text);
    let out = ccguard()
        .args(["check", "--format", "json"])
        .arg(&post)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    let findings = json["documents"][0]["findings"]
        .as_array()
        .expect("findings");
    let note = findings
        .iter()
        .find(|f| f["rule"] == "malformed-input")
        .expect("malformed-input note");
    assert_eq!(
        (note["line"].as_u64(), note["column"].as_u64()),
        (Some(7), Some(4))
    );
    assert!(findings.iter().any(|f| f["rule"] == "missing-source-link"));
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let one = ccguard()
        .args(["check", "--format", "json", "--jobs", "1", "fixtures/"])
        .output()
        .expect("run");
    let two = ccguard()
        .args(["check", "--format", "json", "--jobs", "2", "fixtures/"])
        .output()
        .expect("run");
    assert_eq!(one.status.code(), two.status.code());
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn missing_paths_and_unknown_extensions_are_usage_errors() {
    ccguard()
        .args(["check", "no/such/dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir"));
    let dir = tempfile::tempdir().expect("tempdir");
    let txt = write(dir.path(), "notes.txt", b"hello");
    ccguard()
        .arg("check")
        .arg(&txt)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an HTML or Markdown file"));
}

#[test]
fn explain_prints_the_rule_doc_and_suggests_near_ids() {
    ccguard()
        .args(["explain", "missing-source-link"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("## What it checks")
                .and(predicate::str::contains("3(a)(1)(A)(v)")),
        );
    ccguard()
        .args(["explain", "missing-sorce-link"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `missing-source-link`",
        ));
}

#[test]
fn rules_list_show_and_validate() {
    ccguard().args(["rules", "list"]).assert().code(0).stdout(
        predicate::str::contains("CC-BY-NC-SA-4.0").and(predicate::str::contains("nd-adaptation")),
    );
    ccguard()
        .args(["rules", "show", "CC-BY-NC-SA-4.0"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        ));
    ccguard()
        .args(["rules", "show", "CC-BY-NC-SA-4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
    ccguard()
        .args(["rules", "validate"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "61 rule files and 12 publisher policies are valid",
        ));
}

#[test]
fn a_broken_rule_file_stops_the_run_with_its_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = std::fs::read_to_string(common::root().join("rules/licenses/CC-BY-4.0.toml"))
        .expect("rule file");
    let broken = good.replacen("elements = [\"BY\"]", "elements = [\"BY\", \"XY\"]", 1);
    assert_ne!(good, broken, "the rule file has the expected elements line");
    write(dir.path(), "CC-BY-4.0.toml", broken.as_bytes());
    ccguard()
        .args(["rules", "validate"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("CC-BY-4.0.toml").and(predicate::str::contains("XY")));
    ccguard()
        .args(["check", "--rules"])
        .arg(dir.path())
        .arg("fixtures/")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
}

#[test]
fn attribution_prints_a_tasl_line() {
    ccguard()
        .args([
            "attribution", "--title", "China and Cuba", "--author", "Katherin Hormigó Rubio", "--source", "https://example.org/cuba",
            "--license", "CC-BY-NC-4.0", "--translated-from", "es",
        ])
        .assert()
        .code(0)
        .stdout(
            "\"China and Cuba\" by Katherin Hormigó Rubio (https://example.org/cuba), translated from the Spanish, is licensed under CC BY-NC 4.0 (https://creativecommons.org/licenses/by-nc/4.0/).\n",
        );
}

#[test]
fn suppressed_findings_keep_their_reason_in_json() {
    let out = ccguard()
        .args([
            "check",
            "--format",
            "json",
            "fixtures/rules/unused-suppression/pass-used.md",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    let doc = &json["documents"][0];
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(doc["suppressed"][0]["rule"], "missing-source-link");
    assert_eq!(
        doc["suppressed"][0]["reason"],
        "the original site is gone; archive link pending"
    );
}

#[test]
fn a_baseline_hides_recorded_findings_even_after_edits_elsewhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write(dir.path(), "post.md", REPOST_WITHOUT_LINK.as_bytes());
    let baseline = dir.path().join("baseline.json");
    ccguard()
        .arg("check")
        .arg(&post)
        .arg("--write-baseline")
        .arg(&baseline)
        .assert()
        .code(0);
    ccguard()
        .arg("check")
        .arg(&post)
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(0);
    // A new paragraph above moves every line; the baseline still matches.
    let edited = format!("Intro added later.\n\n{REPOST_WITHOUT_LINK}");
    std::fs::write(&post, edited).expect("edit");
    let out = ccguard()
        .args(["check", "--format", "json"])
        .arg(&post)
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    assert_eq!(
        json["documents"][0]["findings"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(json["summary"]["errors"], 0);
    // A changed license notice is a new finding, not the recorded one.
    std::fs::write(
        &post,
        REPOST_WITHOUT_LINK.replace("CC BY 4.0", "CC BY-SA 4.0"),
    )
    .expect("edit");
    ccguard()
        .arg("check")
        .arg(&post)
        .arg("--baseline")
        .arg(&baseline)
        .arg("--show-stale-baseline")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("stale baseline entry"));
}

#[test]
fn config_changes_severities_and_marks_reposts() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "ccguard.toml",
        b"[rules]\nmissing-source-link = \"warning\"\n\n[[overrides]]\npaths = [\"reposts/**\"]\nall_reposts = true\n",
    );
    std::fs::create_dir(dir.path().join("reposts")).expect("mkdir");
    write(dir.path(), "post.md", REPOST_WITHOUT_LINK.as_bytes());
    write(
        dir.path(),
        "reposts/plain.md",
        b"# Garden\n\nToday I planted tomatoes.\n",
    );
    let out = Command::cargo_bin("ccguard")
        .expect("binary")
        .current_dir(dir.path())
        .args(["check", "--format", "json", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json = json_of(&out);
    let docs = json["documents"].as_array().expect("documents");
    let post = docs
        .iter()
        .find(|d| d["path"] == "./post.md")
        .expect("post");
    let link = post["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "missing-source-link")
        .expect("finding");
    assert_eq!(link["severity"], "warning");
    let plain = docs
        .iter()
        .find(|d| d["path"] == "./reposts/plain.md")
        .expect("plain");
    assert_eq!(plain["is_repost"], true);
    assert!(
        plain["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "missing-license-notice")
    );
}

#[test]
fn a_bad_config_is_a_usage_error_pointing_into_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "ccguard.toml",
        b"[rules]\nmissing-titel = \"off\"\n",
    );
    Command::cargo_bin("ccguard")
        .expect("binary")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("ccguard.toml:2:1")
                .and(predicate::str::contains("unknown rule `missing-titel`")),
        );
}

#[test]
fn init_writes_a_starter_config_that_loads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = || {
        Command::cargo_bin("ccguard")
            .expect("binary")
            .current_dir(dir.path())
            .arg("init")
            .assert()
    };
    run().code(0);
    run()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    write(dir.path(), "post.md", REPOST_WITHOUT_LINK.as_bytes());
    Command::cargo_bin("ccguard")
        .expect("binary")
        .current_dir(dir.path())
        .args(["check", "--explain-config", "post.md"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ccguard.toml"));
}

#[test]
fn machine_formats_parse_back() {
    let sarif = ccguard()
        .args(["check", "--format", "sarif", "fixtures/posts/"])
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&sarif.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let wix = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "fixtures/posts/china-cuba-wix.html"
                && r["ruleId"] == "missing-license-link"
        })
        .expect("wix finding");
    assert_eq!(
        wix["locations"][0]["physicalLocation"]["region"]["startLine"],
        74
    );
    let github = ccguard()
        .args([
            "check",
            "--format",
            "github",
            "fixtures/posts/china-cuba-hugo.md",
        ])
        .output()
        .expect("run");
    let github = String::from_utf8(github.stdout).expect("utf-8");
    assert!(github.contains("::warning file=fixtures/posts/china-cuba-hugo.md,line=60,col=51,endLine=60,endColumn=59,title=missing-license-link::"), "{github}");
    let junit = ccguard()
        .args(["check", "--format", "junit", "fixtures/posts/"])
        .output()
        .expect("run");
    let junit = String::from_utf8(junit.stdout).expect("utf-8");
    assert!(junit.starts_with("<?xml"));
    let cases = junit.matches("<testcase ").count();
    let docs = std::fs::read_dir(common::root().join("fixtures/posts"))
        .expect("posts")
        .count();
    assert_eq!(cases, docs);
}

#[test]
fn a_broken_pipe_is_a_clean_exit() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ccguard"))
        .current_dir(common::root())
        .args(["check", "--format", "json", "fixtures/"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "status {:?}",
        out.status
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
