//! Originals and reposts (CONTRACT §3) as a user sets them in `ccguard.toml`: `[site] authors`
//! and the `all_reposts` / `originals` path overrides, checked through the binary.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// The site's own post: a byline in the text and a CC BY footer, nothing else.
const OWN_POST: &str = "# Winter tides\n\nBy Mara Lindqvist\n\nThe spring tides came early this year.\n\nThis post is licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n";

/// Someone else's essay, credited and licensed, with no link to where it came from.
const OTHER_POST: &str = "# Harbour lights\n\nBy Ana Ruiz\n\nThe lighthouse keeper retired in May.\n\nLicensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n";

/// Write `files` into a fresh directory, check it offline as JSON and return each document's
/// path, `is_repost` and sorted rule ids.
fn check(files: &[(&str, &str)]) -> Vec<(String, bool, Vec<String>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    let out = Command::cargo_bin("ccguard")
        .expect("binary")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args([
            "check",
            "--offline",
            "--format",
            "json",
            "--fail-on",
            "never",
            ".",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let json: Value = serde_json::from_slice(&out).expect("valid JSON");
    json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            let mut rules: Vec<String> = d["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(|f| f["rule"].as_str().expect("rule").to_owned())
                .collect();
            rules.sort();
            (
                d["path"].as_str().expect("path").to_owned(),
                d["is_repost"].as_bool().expect("is_repost"),
                rules,
            )
        })
        .collect()
}

fn doc(path: &str, is_repost: bool, rules: &[&str]) -> (String, bool, Vec<String>) {
    (
        path.to_owned(),
        is_repost,
        rules.iter().map(|r| (*r).to_owned()).collect(),
    )
}

#[test]
fn a_byline_credit_is_a_repost_signal_without_a_config() {
    assert_eq!(
        check(&[("own.md", OWN_POST)]),
        [doc("./own.md", true, &["missing-source-link"])]
    );
}

#[test]
fn a_post_credited_only_to_the_sites_authors_is_an_original() {
    let got = check(&[
        (
            "ccguard.toml",
            "[site]\nauthors = [\"mara lindqvist\", \"Ines Okafor\"]\n",
        ),
        ("own.md", OWN_POST),
        ("other.md", OTHER_POST),
    ]);
    assert_eq!(
        got,
        [
            doc("./other.md", true, &["missing-source-link"]),
            doc("./own.md", false, &[]),
        ]
    );
}

#[test]
fn path_overrides_force_originals_and_reposts() {
    let got = check(&[
        (
            "ccguard.toml",
            "[[overrides]]\npaths = [\"blog/**\"]\noriginals = true\n\n[[overrides]]\npaths = [\"library/**\"]\nall_reposts = true\n",
        ),
        ("blog/other.md", OTHER_POST),
        (
            "library/plain.md",
            "# Orchard\n\nThree hundred apple trees.\n\nLicensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n",
        ),
    ]);
    assert_eq!(
        got,
        [
            doc("./blog/other.md", false, &[]),
            doc(
                "./library/plain.md",
                true,
                &["missing-author-credit", "missing-source-link"]
            ),
        ]
    );
}

#[test]
fn an_override_cannot_force_both_ways() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("ccguard.toml"),
        "[[overrides]]\npaths = [\"x/**\"]\nall_reposts = true\noriginals = true\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("a.md"), OWN_POST).expect("write");
    let out = Command::cargo_bin("ccguard")
        .expect("binary")
        .current_dir(dir.path())
        .args(["check", "--offline", "."])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(stderr.contains("cannot set both"), "{stderr}");
    assert!(stderr.contains("ccguard.toml:2:10"), "{stderr}");
}
