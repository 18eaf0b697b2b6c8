//! Hostile and careless configuration, run as a process in a fresh temp dir: baselines that are
//! not files or are typed another way, `[site] commercial`, severities of every rule id,
//! `CCGUARD_OFFLINE` spellings, suppression id lists, rule directories outside the repository,
//! and shards merged twice.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// Only a hang exceeds this, even for a debug build on a busy machine.
const TIME_LIMIT: Duration = Duration::from_mins(3);

/// A repost with a license named but not linked and no link to the original: an error
/// (`missing-source-link`, whole document) and a warning (`missing-license-link`, line 5).
const REPOST: &str = "# Harbour lights\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\nLicensed under CC BY 4.0.\n";

/// A compliant CC BY-NC 4.0 repost: source linked, license linked, no ads.
const NC_REPOST: &str = "# The ferryman of Loch Arran\n\nBy Callum Reid\n\nFor thirty-one years, Hamish Boyd has rowed the same crossing.\n\n*Originally published at [The Glen Times](https://example.org/people/the-ferryman-of-loch-arran)\nunder [CC BY-NC 4.0](https://creativecommons.org/licenses/by-nc/4.0/).*\n";

/// `ccguard` run in `dir`, offline, without colour.
fn ccguard(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CCGUARD_OFFLINE", "true")
        .timeout(TIME_LIMIT);
    cmd
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
    path
}

/// Stderr with miette's line wrapping undone: the lines' frame and indentation dropped, the
/// lines joined by single spaces, so a message can be matched whole.
fn flat(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(|l| {
            l.trim_start_matches([' ', '│', '×', '╭', '╰', '─', '·'])
                .trim_end()
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).expect("valid JSON")
}

/// (rule, severity, line, column) of every finding of every document.
fn findings(report: &Value) -> Vec<(String, String, u64, u64)> {
    let mut out = Vec::new();
    for doc in report["documents"].as_array().expect("documents") {
        for f in doc["findings"].as_array().expect("findings") {
            out.push((
                f["rule"].as_str().expect("rule").to_owned(),
                f["severity"].as_str().expect("severity").to_owned(),
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
            ));
        }
    }
    out
}

/// The findings of `ccguard check --format json ARGS` run in `dir`, which must exit `code`.
fn check_json(dir: &Path, args: &[&str], code: i32) -> Value {
    let out = ccguard(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    json(&out)
}

// Item 7 (baseline part): only regular files of bounded size are read as baselines.

#[test]
fn a_baseline_that_is_a_device_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "post.md", REPOST);
    ccguard(dir.path())
        .args(["check", "post.md", "--baseline", "/dev/zero"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains("/dev/zero")
                .and(predicate::str::contains("not a regular file")),
        );
}

#[cfg(unix)]
#[test]
fn a_baseline_that_is_a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "post.md", REPOST);
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("baseline.json"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    ccguard(dir.path())
        .args(["check", "post.md", "--baseline", "baseline.json"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("baseline.json")
                .and(predicate::str::contains("not a regular file")),
        );
}

#[test]
fn an_oversized_baseline_is_refused_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "post.md", REPOST);
    let file = std::fs::File::create(dir.path().join("huge.json")).expect("create");
    // Sparse: no disk space used, but larger than any baseline is allowed to be.
    file.set_len(ccguard::baseline::MAX_SIZE + 1)
        .expect("set_len");
    ccguard(dir.path())
        .args(["check", "post.md", "--baseline", "huge.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("huge.json").and(predicate::str::contains("larger than")));
}

// Item 12: baseline keys do not depend on how paths are typed or where ccguard runs.

/// A site with two reposts under `published/`, and a baseline of their findings written from
/// the site's root as `published`.
fn site_with_baseline() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "published/a.md", REPOST);
    write(
        dir.path(),
        "published/sub/b.md",
        &REPOST.replace("Ana Ruiz", "Jo Lee"),
    );
    ccguard(dir.path())
        .args(["check", "published", "--write-baseline", "baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "wrote 4 findings to baseline.json",
        ));
    dir
}

#[test]
fn a_baseline_records_paths_relative_to_its_own_directory() {
    let dir = site_with_baseline();
    let baseline = json(&std::fs::read(dir.path().join("baseline.json")).expect("baseline"));
    let mut paths: Vec<&str> = baseline["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["path"].as_str().expect("path"))
        .collect();
    paths.dedup();
    assert_eq!(paths, ["published/a.md", "published/sub/b.md"]);
}

#[test]
fn a_baseline_matches_however_the_paths_are_typed() {
    let dir = site_with_baseline();
    let root = dir.path();
    // As written, with `./`, with a doubled separator, and file by file.
    for args in [
        &["published"][..],
        &["./published"],
        &["published//sub/../"],
        &["./published/a.md", "published/sub/b.md"],
    ] {
        let report = check_json(
            root,
            &[args, &["--baseline", "baseline.json"][..]].concat(),
            0,
        );
        assert_eq!(findings(&report), [], "{args:?}");
        assert_eq!(report["summary"]["documents"], 2, "{args:?}");
    }
    // From a subdirectory, the baseline named from there.
    let report = check_json(
        &root.join("published"),
        &[".", "--baseline", "../baseline.json"],
        0,
    );
    assert_eq!(findings(&report), []);
    let report = check_json(
        &root.join("published/sub"),
        &["b.md", "--baseline", "../../baseline.json"],
        0,
    );
    assert_eq!(findings(&report), []);
    // Absolute paths.
    let absolute = root.join("published");
    let baseline = root.join("baseline.json");
    let report = check_json(
        Path::new("/"),
        &[
            absolute.to_str().expect("utf-8 path"),
            "--baseline",
            baseline.to_str().expect("utf-8 path"),
        ],
        0,
    );
    assert_eq!(findings(&report), []);
}

#[test]
fn the_human_summary_counts_what_the_baseline_hid() {
    let dir = site_with_baseline();
    ccguard(dir.path())
        .args(["check", "./published", "--baseline", "baseline.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "checked 2 documents: 0 errors, 0 warnings, 0 infos\n4 findings hidden by baseline baseline.json\n",
        ));
}

#[test]
fn stale_baseline_entries_are_listed_only_for_files_checked() {
    let dir = site_with_baseline();
    // A subset: b.md was not checked, so its entries are not stale.
    ccguard(dir.path())
        .args([
            "check",
            "published/a.md",
            "--baseline",
            "baseline.json",
            "--show-stale-baseline",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("stale").not());
    // a.md's license is now linked: that entry is stale, b.md's are still not listed.
    write(
        dir.path(),
        "published/a.md",
        &REPOST.replace(
            "CC BY 4.0",
            "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)",
        ),
    );
    let out = ccguard(&dir.path().join("published"))
        .args([
            "check",
            "a.md",
            "--baseline",
            "../baseline.json",
            "--show-stale-baseline",
        ])
        .assert()
        .code(0)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&out);
    let stale: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("stale baseline entry"))
        .collect();
    assert_eq!(stale.len(), 1, "{stderr}");
    assert!(
        stale[0].starts_with("stale baseline entry: published/a.md missing-license-link "),
        "{stderr}"
    );
}

#[test]
fn a_baseline_written_before_path_keys_still_hides_findings_typed_the_same_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "published/a.md", REPOST);
    // Schema 1 keyed findings by the path as typed (here with `./`) and hashed that path.
    let fingerprint = |rule: &str, evidence: &str| {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in ["./published/a.md", rule, evidence] {
            for byte in part.bytes().chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    };
    let old = serde_json::json!({
        "schema": "ccguard-baseline/1",
        "entries": [
            {"path": "./published/a.md", "rule": "missing-license-link",
             "fingerprint": fingerprint("missing-license-link", "CC BY 4.0")},
        ],
    });
    write(dir.path(), "old.json", &old.to_string());
    let report = check_json(
        dir.path(),
        &["./published/a.md", "--baseline", "old.json"],
        1,
    );
    assert_eq!(
        findings(&report),
        [("missing-source-link".to_owned(), "error".to_owned(), 1, 1)]
    );
}

// Item 14: `[site] commercial`, every severity configurable, CCGUARD_OFFLINE, suppressions.

#[test]
fn a_commercial_site_gets_nc_commercial_context_on_nc_reposts_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "nc.md", NC_REPOST);
    write(
        dir.path(),
        "by.md",
        &NC_REPOST
            .replace("CC BY-NC 4.0", "CC BY 4.0")
            .replace("by-nc/4.0", "by/4.0"),
    );
    // Not commercial: both pass.
    let report = check_json(dir.path(), &["nc.md", "by.md"], 0);
    assert_eq!(findings(&report), []);
    write(dir.path(), "ccguard.toml", "[site]\ncommercial = true\n");
    let report = check_json(dir.path(), &["nc.md", "by.md"], 0);
    assert_eq!(
        findings(&report),
        [(
            "nc-commercial-context".to_owned(),
            "warning".to_owned(),
            1,
            1
        )]
    );
    assert_eq!(report["documents"][1]["path"], "nc.md");
    let message = report["documents"][1]["findings"][0]["message"]
        .as_str()
        .expect("message");
    assert!(message.contains("`commercial = true`"), "{message}");
    // An override takes one path back out.
    write(
        dir.path(),
        "ccguard.toml",
        "[site]\ncommercial = true\n\n[[overrides]]\npaths = [\"nc.md\"]\ncommercial = false\n",
    );
    let report = check_json(dir.path(), &["nc.md", "by.md"], 0);
    assert_eq!(findings(&report), []);
}

#[test]
fn unreadable_input_severity_follows_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "big.md", &REPOST.repeat(10));
    write(dir.path(), "ccguard.toml", "max_size = 100\n");
    let report = check_json(dir.path(), &["big.md"], 1);
    assert_eq!(
        findings(&report),
        [("unreadable-input".to_owned(), "error".to_owned(), 1, 1)]
    );
    write(
        dir.path(),
        "ccguard.toml",
        "max_size = 100\n\n[rules]\nunreadable-input = \"warning\"\n",
    );
    let report = check_json(dir.path(), &["big.md"], 0);
    assert_eq!(
        findings(&report),
        [("unreadable-input".to_owned(), "warning".to_owned(), 1, 1)]
    );
    write(
        dir.path(),
        "ccguard.toml",
        "max_size = 100\n\n[rules]\nunreadable-input = \"off\"\n",
    );
    let report = check_json(dir.path(), &["big.md"], 0);
    assert_eq!(findings(&report), []);
}

#[test]
fn unused_suppression_severity_follows_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "post.md",
        &format!("<!-- ccguard-disable missing-title -- not needed -->\n{REPOST}"),
    );
    write(
        dir.path(),
        "ccguard.toml",
        "[rules]\nunused-suppression = \"error\"\nmissing-source-link = \"off\"\nmissing-license-link = \"off\"\n",
    );
    let report = check_json(dir.path(), &["post.md"], 1);
    assert_eq!(
        findings(&report),
        [("unused-suppression".to_owned(), "error".to_owned(), 1, 1)]
    );
}

#[test]
fn ccguard_offline_accepts_the_usual_boolean_spellings() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Links an original (on loopback, which a run that is not offline refuses to fetch without
    // --allow-private-hosts): only an offline run leaves it unverified, and says so.
    write(
        dir.path(),
        "nc.md",
        &NC_REPOST.replace("https://example.org/", "http://127.0.0.1:9/"),
    );
    for value in ["1", "yes", "on", "true", "TRUE"] {
        ccguard(dir.path())
            .env("CCGUARD_OFFLINE", value)
            .args(["check", "nc.md"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains(
                "offline: 1 source link not verified",
            ));
    }
    // Off: a post without links fetches nothing, so this touches no network.
    write(dir.path(), "plain.md", "# Notes\n\nMy own words.\n");
    for value in ["0", "no", "off", "false"] {
        ccguard(dir.path())
            .env("CCGUARD_OFFLINE", value)
            .args(["check", "plain.md"])
            .assert()
            .code(0);
    }
    ccguard(dir.path())
        .env("CCGUARD_OFFLINE", "maybe")
        .args(["check", "plain.md"])
        .assert()
        .code(2);
}

#[test]
fn suppressions_accept_ids_separated_by_spaces_or_commas() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, ids) in [
        ("spaces.md", "missing-source-link missing-license-link"),
        ("commas.md", "missing-source-link,missing-license-link"),
        ("both.md", "missing-source-link, missing-license-link"),
    ] {
        write(
            dir.path(),
            name,
            &format!("<!-- ccguard-disable {ids} -- pending review -->\n{REPOST}"),
        );
    }
    let report = check_json(dir.path(), &["spaces.md", "commas.md", "both.md"], 0);
    assert_eq!(findings(&report), []);
    for doc in report["documents"].as_array().expect("documents") {
        let mut silenced: Vec<&str> = doc["suppressed"]
            .as_array()
            .expect("suppressed")
            .iter()
            .map(|s| s["rule"].as_str().expect("rule"))
            .collect();
        silenced.sort_unstable();
        assert_eq!(
            silenced,
            ["missing-license-link", "missing-source-link"],
            "{doc}"
        );
    }
}

#[test]
fn an_unknown_id_in_a_suppression_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "post.md",
        &format!(
            "<!-- ccguard-disable missing-sorce-link missing-license-link -- pending -->\n{REPOST}"
        ),
    );
    let report = check_json(dir.path(), &["post.md"], 1);
    let doc = &report["documents"][0];
    assert_eq!(
        findings(&report),
        [
            ("missing-source-link".to_owned(), "error".to_owned(), 1, 1),
            ("unused-suppression".to_owned(), "info".to_owned(), 1, 1),
        ]
    );
    let message = doc["findings"][1]["message"].as_str().expect("message");
    assert_eq!(
        message,
        "`missing-sorce-link` is not a rule id; did you mean `missing-source-link`?"
    );
    // The known id in the same comment still works.
    assert_eq!(doc["suppressed"][0]["rule"], "missing-license-link");
}

#[test]
fn an_unknown_id_in_config_severities_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "post.md", REPOST);
    write(
        dir.path(),
        "ccguard.toml",
        "[rules]\nunreadable-inptu = \"warning\"\n",
    );
    let out = ccguard(dir.path())
        .args(["check", "post.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .get_output()
        .stderr
        .clone();
    let stderr = flat(&out);
    assert!(
        stderr.contains("unknown rule `unreadable-inptu`; did you mean `unreadable-input`?"),
        "{stderr}"
    );
}

// Item 21: rule directories named by a config stay inside the config's tree; rule-file errors
// quote one line.

/// A repository `repo/` with a post, beside an `outside/` directory holding a secret `.toml`.
fn repo_beside_a_secret() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "repo/post.md", REPOST);
    write(
        dir.path(),
        "outside/secret.toml",
        "password = \"SECRET-PASSWORD\"\n[token]\nvalue = \"SECRET-TOKEN\"\n",
    );
    dir
}

#[test]
fn config_rules_dirs_outside_the_repository_are_refused() {
    let dir = repo_beside_a_secret();
    let repo = dir.path().join("repo");
    let outside = dir.path().join("outside");
    let absolute = format!("rules_dirs = [{:?}]\n", outside.to_str().expect("utf-8"));
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, repo.join("link")).expect("symlink");
    let mut configs = vec![
        "rules_dirs = [\"../outside\"]\n".to_owned(),
        "rules_dirs = [\"sub/../../outside\"]\n".to_owned(),
        absolute,
    ];
    if cfg!(unix) {
        configs.push("rules_dirs = [\"link\"]\n".to_owned());
    }
    for config in configs {
        write(&repo, "ccguard.toml", &config);
        std::fs::create_dir_all(repo.join("sub")).expect("mkdir");
        let out = ccguard(&repo)
            .args(["check", "post.md"])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .get_output()
            .stderr
            .clone();
        let stderr = flat(&out);
        assert!(
            stderr.contains("is outside the directory of the config"),
            "{config}: {stderr}"
        );
        assert!(!stderr.contains("SECRET"), "{config}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_a_rules_directory_is_refused() {
    let dir = repo_beside_a_secret();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join("rules-local")).expect("mkdir");
    std::os::unix::fs::symlink(
        dir.path().join("outside/secret.toml"),
        repo.join("rules-local/secret.toml"),
    )
    .expect("symlink");
    write(&repo, "ccguard.toml", "rules_dirs = [\"rules-local\"]\n");
    let out = ccguard(&repo)
        .args(["check", "post.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .get_output()
        .stderr
        .clone();
    let stderr = flat(&out);
    assert!(
        stderr.contains("a symlink leading out of the rules directory"),
        "{stderr}"
    );
    assert!(!stderr.contains("SECRET"), "{stderr}");
}

#[test]
fn config_rules_dirs_inside_the_repository_still_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "post.md", REPOST);
    let rule = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/licenses/CC-BY-4.0.toml"),
    )
    .expect("bundled rule file");
    // A broken file there is read and reported: the directory is not refused.
    write(dir.path(), "rules-local/local.toml", "id = 1\n");
    write(
        dir.path(),
        "ccguard.toml",
        "rules_dirs = [\"rules-local\"]\n",
    );
    ccguard(dir.path())
        .args(["check", "post.md"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("local.toml")
                .and(predicate::str::contains("outside the directory").not()),
        );
    // A valid one loads, and the post is checked.
    std::fs::remove_file(dir.path().join("rules-local/local.toml")).expect("rm");
    write(dir.path(), "rules-local/CC-BY-4.0.toml", &rule);
    ccguard(dir.path())
        .args(["check", "post.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("missing-source-link"));
}

#[test]
fn rules_given_on_the_command_line_may_live_anywhere_but_errors_quote_one_line() {
    let dir = repo_beside_a_secret();
    let repo = dir.path().join("repo");
    let long = "x".repeat(5_000);
    write(
        dir.path(),
        "outside/secret.toml",
        &format!("# SECRET-ABOVE\nthis is not toml {long}\n# SECRET-BELOW\n"),
    );
    let out = ccguard(&repo)
        .args(["check", "--rules", "../outside", "post.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(stderr.contains("secret.toml"), "{stderr}");
    assert!(stderr.contains("this is not toml xxx"), "{stderr}");
    assert!(!stderr.contains("SECRET-ABOVE"), "{stderr}");
    assert!(!stderr.contains("SECRET-BELOW"), "{stderr}");
    assert!(stderr.lines().all(|l| l.len() < 400), "{stderr}");
    // An unknown key on line 1: the value two lines below is not shown.
    write(
        dir.path(),
        "outside/secret.toml",
        "password = \"SECRET-PASSWORD\"\n[token]\nvalue = \"SECRET-TOKEN\"\n",
    );
    let out = ccguard(&repo)
        .args(["check", "--rules", "../outside", "post.md"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(stderr.contains("secret.toml"), "{stderr}");
    assert!(!stderr.contains("SECRET-TOKEN"), "{stderr}");
}

// Also: merge refuses a shard given twice.

#[test]
fn merge_refuses_a_shard_given_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.md", REPOST);
    write(dir.path(), "b.md", REPOST);
    for (name, input) in [
        ("one.json", "a.md"),
        ("two.json", "b.md"),
        ("again.json", "a.md"),
    ] {
        let out = ccguard(dir.path())
            .args(["check", "--format", "json", input])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        std::fs::write(dir.path().join(name), out).expect("write shard");
    }
    ccguard(dir.path())
        .args(["merge", "one.json", "two.json"])
        .assert()
        .code(0);
    ccguard(dir.path())
        .args(["merge", "one.json", "two.json", "./one.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("one.json").and(predicate::str::contains("given twice")));
    ccguard(dir.path())
        .args(["merge", "one.json", "two.json", "again.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains("a.md")
                .and(predicate::str::contains("one.json"))
                .and(predicate::str::contains("again.json")),
        );
}
