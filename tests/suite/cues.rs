//! Cue files (`rules/cues/<lang>.toml`) from the CLI as a process: a `--rules` directory adds
//! phrases in a language the bundled cues lack, `rules show <lang>` lists what is understood,
//! and a bad cue file stops the run with the file, line and column of each problem.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn ccguard(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CCGUARD_OFFLINE", "true");
    cmd
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(&path, text).expect("write fixture");
    path
}

/// A Dutch repost under CC BY 4.0 whose last line reserves all rights, in Dutch.
const DUTCH_POST: &str = "---
title: \"De gereedschapsbibliotheek\"
author: \"Anna de Vries\"
source: \"https://example.org/blog/gereedschap\"
license: \"https://creativecommons.org/licenses/by/4.0/\"
---

In het dorp is er een bibliotheek voor gereedschap. Iedereen mag een boor lenen.

Alle rechten voorbehouden.
";

/// Dutch restrictive notices, as a user would add them.
const DUTCH_CUES: &str = "# Dutch
[restriction]
phrases = ['alle\\s+rechten\\s+voorbehouden']
";

/// Each finding as (rule, line, column).
fn findings(stdout: &[u8]) -> Vec<(String, u64, u64)> {
    let report: Value = serde_json::from_slice(stdout).expect("valid JSON");
    report["documents"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_owned(),
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
            )
        })
        .collect()
}

#[test]
fn a_rules_dir_adds_a_phrase_in_a_new_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "post.md", DUTCH_POST);
    write(dir.path(), "mine/cues/nl.toml", DUTCH_CUES);

    let without = ccguard(dir.path())
        .args(["check", "--offline", "--format", "json", "post.md"])
        .assert()
        .code(0);
    assert_eq!(findings(&without.get_output().stdout), []);

    let with = ccguard(dir.path())
        .args([
            "check",
            "--offline",
            "--format",
            "json",
            "--rules",
            "mine",
            "post.md",
        ])
        .assert()
        .code(1);
    assert_eq!(
        findings(&with.get_output().stdout),
        [("conflicting-notice".to_owned(), 10, 1)]
    );
}

#[test]
fn rules_show_lists_a_languages_cues_with_the_users_added() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "mine/cues/de.toml",
        "[restriction]\nphrases = ['nachdruck\\s+verboten']\n",
    );
    let shown = ccguard(dir.path())
        .args(["rules", "show", "de", "--rules", "mine"])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&shown.get_output().stdout).into_owned();
    let user_file = Path::new("mine").join("cues").join("de.toml");
    let head = format!(
        "de — cues, from rules/cues/de.toml, {}\n\nrestriction: restrictive notices that conflict with a CC license (case-insensitive)\n  alle\\s+rechte\\s+vorbehalten\n  nachdruck\\s+verboten\n",
        user_file.display()
    );
    assert!(text.starts_with(&head), "{text}");

    let listed = ccguard(dir.path())
        .args(["rules", "list", "--rules", "mine"])
        .assert()
        .code(0);
    let list = String::from_utf8_lossy(&listed.get_output().stdout).into_owned();
    assert!(list.contains("\nCue languages (10):\n"), "{list}");

    ccguard(dir.path())
        .args(["rules", "show", "dee"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no license rule, publisher policy or cue language `dee`; did you mean `de`?",
        ));
}

#[test]
fn bad_cue_files_stop_the_run_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "post.md", DUTCH_POST);
    write(
        dir.path(),
        "mine/cues/nl.toml",
        "[restriction]\nphrases = ['', 'voorbehouden(']\n\n[byline]\nphrases = ['door']\n",
    );
    let file = Path::new("mine").join("cues").join("nl.toml");
    let file = file.display();
    for args in [
        vec!["rules", "validate", "mine"],
        vec!["check", "--offline", "--rules", "mine", "post.md"],
    ] {
        let out = ccguard(dir.path()).args(&args).assert().code(2);
        // The report wraps long messages in a frame, also after a hyphen: compare the texts
        // without the frame and without any whitespace.
        let squeeze = |text: &str| -> String {
            text.chars()
                .filter(|c| !c.is_whitespace() && *c != '│')
                .collect()
        };
        let stderr = squeeze(&String::from_utf8_lossy(&out.get_output().stderr));
        for message in [
            format!("{file}:2:12: empty phrase: give a word or a pattern, or remove the entry"),
            format!(
                "{file}:2:16: phrase is not a valid regular expression (unclosed group); escape `\\ . + * ? ( ) | [ ] {{ }} ^ $` to match them as text"
            ),
            format!(
                "{file}:4:2: unknown cue family `byline`; expected one of restriction, permission, repost, source-label, translation, modification, pitch, shop-link, translator-label, author-label, image-credit, first-published, source-sentence, translated-from, license-notice, original-header"
            ),
        ] {
            assert!(
                stderr.contains(&squeeze(&message)),
                "{args:?}: {message}\n{stderr}"
            );
        }
        assert!(
            stderr.contains(&squeeze("3 rule file error(s); nothing was checked")),
            "{stderr}"
        );
    }
}

/// Phrases that each compile alone but not together stop `check` and `rules validate` with an
/// error naming the family and the file, instead of a panic when the detectors compile it.
#[test]
fn phrases_too_large_together_stop_the_run_naming_the_family() {
    let dir = tempfile::tempdir().expect("tempdir");
    let phrases: Vec<String> = (0..60).map(|i| format!("'\\w{{60}}zz{i}'")).collect();
    let cues = format!("[restriction]\nphrases = [{}]\n", phrases.join(", "));
    write(dir.path(), "mine/cues/nl.toml", &cues);
    write(dir.path(), "post.md", DUTCH_POST);
    // Compared without the report's frame and whitespace, which wrap long messages.
    let squeeze = |text: &[u8]| -> String {
        String::from_utf8_lossy(text)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '│')
            .collect()
    };
    let expected = squeeze(
        b"mine/cues/nl.toml:1:1: with this file, the phrases of cue family `restriction` are together too large to compile",
    );
    let check = ccguard(dir.path())
        .args(["check", "--rules", "mine", "post.md"])
        .output()
        .expect("runs");
    assert_eq!(check.status.code(), Some(2));
    let stderr = squeeze(&check.stderr);
    assert!(stderr.contains(&expected), "{stderr}");
    let validate = ccguard(dir.path())
        .args(["rules", "validate", "mine"])
        .output()
        .expect("runs");
    assert_eq!(validate.status.code(), Some(2));
    let stderr = squeeze(&validate.stderr);
    assert!(stderr.contains(&expected), "{stderr}");
}
