//! `ccguard check --why RULE` as a process: whether the rule fired, the facts with their places,
//! the facts the rule reads marked, the exit code, and an unknown rule refused with exit 2.

use crate::common;

use assert_cmd::Command;

fn ccguard() -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.current_dir(common::root())
        .env("NO_COLOR", "1")
        .env("CCGUARD_OFFLINE", "true");
    cmd
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write post");
    path
}

const NO_LINK: &str = "# Harbour lights\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\nLicensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n";

#[test]
fn why_shows_the_finding_and_the_facts_it_read_with_their_places() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write(dir.path(), "post.md", NO_LINK);
    let out = ccguard()
        .args(["check", "--why", "missing-source-link"])
        .arg(&post)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the finding fails the run as check does"
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].ends_with("post.md"), "{text}");
    assert_eq!(
        lines[1],
        "  missing-source-link: fired at 1:1 (error): the post does not link the original material"
    );
    assert_eq!(lines[2], "* repost: yes");
    assert!(
        lines.contains(&"* license: CC-BY-4.0"),
        "the license is read by the rule: {text}"
    );
    assert!(
        lines.contains(&"    5:16 claim by 4.0, covers the text, linked (link) \"https://creativecommons.org/licenses/by/4.0/\""),
        "{text}"
    );
    assert!(lines.contains(&"* sources: 0"), "{text}");
    assert!(
        lines.contains(&"  credits: 2"),
        "credits are shown, unmarked: {text}"
    );
    assert!(
        lines.contains(&"    3:4 author Ana Ruiz (text) \"Ana Ruiz\""),
        "{text}"
    );
    assert!(
        lines.contains(&"    3:14 signal (text) \"Originally published\""),
        "{text}"
    );
}

#[test]
fn why_says_when_the_rule_did_not_fire_and_shows_the_source_it_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write(
        dir.path(),
        "post.md",
        "# Harbour lights\n\nBy Ana Ruiz. 原文網址 (Translated from)：https://example.org/2024/harbour-lights。\n\nLicensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n",
    );
    let out = ccguard()
        .args(["check", "--why", "missing-source-link"])
        .arg(&post)
        .output()
        .expect("run");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "  missing-source-link: did not fire");
    assert!(lines.contains(&"* sources: 1"), "{text}");
    assert!(
        lines.contains(
            &"    3:37 source https://example.org/2024/harbour-lights (link) \"https://example.org/2024/harbour-lights\""
        ),
        "the bare URL ends before the full-width stop: {text}"
    );
}

#[test]
fn why_refuses_an_unknown_rule_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let post = write(dir.path(), "post.md", NO_LINK);
    let out = ccguard()
        .args(["check", "--why", "missing-sorce-link"])
        .arg(&post)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("unknown rule `missing-sorce-link`; did you mean `missing-source-link`?"),
        "{err}"
    );
}
