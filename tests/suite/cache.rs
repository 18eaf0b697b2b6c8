//! The cache directory as a process sees it: only fetched pages are cached. A check keeps no
//! results between runs (the result cache and its `--cache` flag are gone: a warm re-check
//! saved too little to be worth its code, see docs/performance.md), so an offline check writes
//! nothing there. The flag is refused; the config key `cache = true` is still accepted, and
//! does nothing, so that configs written for it keep loading.

use crate::common;

use assert_cmd::Command;

/// `ccguard check --offline --cache-dir cache` plus `args` on a copy of one fixture, from
/// `dir`.
fn check(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("ccguard")
        .expect("binary")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args([
            "check",
            "--offline",
            "--fail-on",
            "never",
            "--cache-dir",
            "cache",
        ])
        .args(args)
        .arg("post.md")
        .output()
        .expect("run ccguard")
}

/// A temporary directory holding `post.md`, a fixture with findings.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        common::root().join("fixtures/rules/missing-source-link/fail-no-link.md"),
        dir.path().join("post.md"),
    )
    .expect("copy fixture");
    dir
}

#[test]
fn an_offline_check_writes_nothing_into_the_cache_directory() {
    let dir = project();
    let output = check(dir.path(), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["summary"]["documents"], 1);
    assert!(!dir.path().join("cache").exists());
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("cache: "),
        "no cache statistics: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_removed_flag_is_refused_and_the_old_config_key_does_nothing() {
    let dir = project();
    let output = check(dir.path(), &["--cache"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--cache"));
    let plain = check(dir.path(), &["--format", "json"]);
    std::fs::write(dir.path().join("ccguard.toml"), "cache = true\n").expect("write config");
    let output = check(dir.path(), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(output.stdout, plain.stdout);
    assert!(!dir.path().join("cache").exists());
}
