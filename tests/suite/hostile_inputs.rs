//! Hostile inputs on the command line: FIFOs, devices, links, unreadable and empty trees, file
//! names git quotes, absurd numbers, UTF-16 files and a reader that closes the pipe. Each must
//! end in a finding or a usage error (exit 2), never a hang, a silent skip or a false pass.

use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// Long enough for a debug build on a busy machine; only a hang reaches it.
const TIME_LIMIT: Duration = Duration::from_mins(3);

/// A post with a license, a credit and a source link: no error finding.
const CLEAN: &str = "---\nsource: \"https://example.org/harbour-lights\"\n---\n\nBy Ana Ruiz\n\nRepublished from the Harbour Review under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n";

/// A repost with no license: an error finding.
const FAILING: &str = "---\nsource: \"https://example.org/harbour-lights\"\n---\n\nBy Ana Ruiz\n\nRepublished from the Harbour Review.\n";

fn ccguard() -> Command {
    let mut command = Command::cargo_bin("ccguard").expect("binary");
    command.timeout(TIME_LIMIT);
    command
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent");
    }
    std::fs::write(path, text).expect("write");
}

/// `check --offline --format json ARGS` in `dir`: the exit code, the report and stderr.
fn check_json(dir: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let output = ccguard()
        .current_dir(dir)
        .args(["check", "--offline", "--format", "json"])
        .args(args)
        .output()
        .expect("run ccguard");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code(), json, stderr)
}

/// Each document's path with its finding rule ids, in report order.
fn findings(json: &Value) -> Vec<(String, Vec<String>)> {
    json["documents"]
        .as_array()
        .map(|docs| {
            docs.iter()
                .map(|doc| {
                    let rules = doc["findings"]
                        .as_array()
                        .map(|f| {
                            f.iter()
                                .filter_map(|f| f["rule"].as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    (doc["path"].as_str().unwrap_or("").to_owned(), rules)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The message of `path`'s `unreadable-input` finding.
fn unreadable_message(json: &Value, path: &str) -> String {
    json["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|doc| doc["path"] == path)
        .flat_map(|doc| doc["findings"].as_array().into_iter().flatten())
        .find(|f| f["rule"] == "unreadable-input")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no unreadable-input for {path} in {json}"))
        .to_owned()
}

fn mkfifo(path: &Path) {
    let status = Process::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn a_fifo_named_on_the_command_line_is_a_finding_not_a_hang() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("post.md"), CLEAN);
    mkfifo(&dir.path().join("pipe.md"));
    let (code, json, stderr) = check_json(dir.path(), &["pipe.md", "post.md"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert_eq!(
        findings(&json),
        [
            ("pipe.md".to_owned(), vec!["unreadable-input".to_owned()]),
            ("post.md".to_owned(), vec![])
        ]
    );
    assert_eq!(
        unreadable_message(&json, "pipe.md"),
        "cannot read this file: not a regular file (a FIFO); only regular files are read"
    );
}

#[test]
fn fifos_and_devices_met_while_walking_are_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("site/post.md"), CLEAN);
    mkfifo(&dir.path().join("site/pipe.md"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("site/zero.md")).expect("symlink");
    let (code, json, stderr) = check_json(dir.path(), &["site"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let unreadable = vec!["unreadable-input".to_owned()];
    assert_eq!(
        findings(&json),
        [
            ("site/pipe.md".to_owned(), unreadable.clone()),
            ("site/post.md".to_owned(), vec![]),
            ("site/zero.md".to_owned(), unreadable)
        ]
    );
    assert_eq!(
        unreadable_message(&json, "site/zero.md"),
        "cannot read this file: not a regular file (a character device); only regular files are read"
    );
}

#[test]
fn jobs_beyond_the_cap_are_a_usage_error_and_zero_means_all_cores() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("post.md"), CLEAN);
    let output = ccguard()
        .current_dir(dir.path())
        .args(["check", "--offline", "--jobs", "100000", "post.md"])
        .output()
        .expect("run ccguard");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--jobs") && stderr.contains("at most 256"),
        "{stderr}"
    );
    let (code, json, stderr) = check_json(dir.path(), &["--jobs", "0", "post.md"]);
    assert_eq!(code, Some(0), "stderr: {stderr}");
    assert_eq!(json["summary"]["documents"], 1);
}

/// Run git in `dir` with a fixed identity; panics when it fails.
fn git(dir: &Path, args: &[&str]) {
    let output = Process::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn changed_since_finds_files_whose_names_git_quotes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    write(&repo.join("old.md"), FAILING);
    write(&repo.join("café.md"), CLEAN);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["tag", "base"]);
    // Changed since `base`: one modified, two committed, two untracked; `old.md` is not.
    write(&repo.join("café.md"), FAILING);
    write(&repo.join("a\"b.md"), FAILING);
    write(&repo.join("tab\there.md"), FAILING);
    git(repo, &["add", "a\"b.md", "tab\there.md"]);
    git(repo, &["commit", "-q", "-m", "more"]);
    write(&repo.join("new\nline.md"), FAILING);
    write(&repo.join("日本.md"), FAILING);
    let (code, json, stderr) = check_json(repo, &["--changed-since", "base", "."]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let paths: Vec<String> = findings(&json).into_iter().map(|(path, _)| path).collect();
    assert_eq!(
        paths,
        [
            "./a\"b.md",
            "./café.md",
            "./new\nline.md",
            "./tab\there.md",
            "./日本.md"
        ]
    );
}

#[test]
fn changed_since_refuses_an_option_as_revision() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    write(&repo.join("post.md"), CLEAN);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    let output = ccguard()
        .current_dir(repo)
        .args([
            "check",
            "--offline",
            "--changed-since=--output=written.txt",
            ".",
        ])
        .output()
        .expect("run ccguard");
    assert_eq!(output.status.code(), Some(2));
    assert!(!repo.join("written.txt").exists(), "git wrote a file");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--changed-since `--output=written.txt`: a revision cannot start with `-`"),
        "{stderr}"
    );
}

/// Make `depth` nested directories of 200-character names in `dir`, with `post.md` at the
/// bottom: the full path of the deepest is far past the system's path length limit. The chain
/// grows at its top (a new directory takes the chain in, then the chain's name), so no path
/// given to the system while building it is long.
fn deep_tree(dir: &Path, depth: usize) {
    let name = "d".repeat(200);
    let work = dir.join("build");
    write(&work.join(&name).join("post.md"), "# Deep\n");
    for _ in 1..depth {
        std::fs::create_dir(work.join("tmp")).expect("mkdir");
        std::fs::rename(work.join(&name), work.join("tmp").join(&name)).expect("move in");
        std::fs::rename(work.join("tmp"), work.join(&name)).expect("rename");
    }
    std::fs::rename(work.join(&name), dir.join(&name)).expect("move into place");
    std::fs::remove_dir(&work).expect("rmdir");
}

#[test]
fn a_directory_that_cannot_be_listed_is_a_finding() {
    // A path past PATH_MAX cannot be opened by anyone, root included: a real read_dir failure
    // that does not depend on permissions.
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("site/post.md"), CLEAN);
    deep_tree(&dir.path().join("site"), 30);
    let (code, json, stderr) = check_json(dir.path(), &["site"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let docs = findings(&json);
    let unreadable: Vec<&(String, Vec<String>)> = docs
        .iter()
        .filter(|(_, rules)| rules == &["unreadable-input"])
        .collect();
    assert_eq!(unreadable.len(), 1, "{docs:?}");
    let (path, _) = unreadable[0];
    assert!(path.starts_with("site/dddd") && path.len() > 4096, "{path}");
    assert!(
        unreadable_message(&json, path).contains("File name too long"),
        "{json}"
    );
    assert!(
        docs.contains(&("site/post.md".to_owned(), vec![])),
        "{docs:?}"
    );
}

#[test]
fn a_directory_without_permission_is_a_finding() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("site/post.md"), CLEAN);
    write(&dir.path().join("site/locked/hidden.md"), FAILING);
    let locked = dir.path().join("site/locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read_dir(&locked).is_ok() {
        eprintln!(
            "skipping: running with privileges that list any directory (root); \
             a_directory_that_cannot_be_listed_is_a_finding covers this as root"
        );
        return;
    }
    let (code, json, stderr) = check_json(dir.path(), &["site"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert_eq!(
        findings(&json),
        [
            (
                "site/locked".to_owned(),
                vec!["unreadable-input".to_owned()]
            ),
            ("site/post.md".to_owned(), vec![])
        ]
    );
}

#[test]
fn symlinked_posts_are_checked_once_and_dangling_links_are_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("shared/elsewhere.md"), FAILING);
    write(&dir.path().join("site/real.md"), CLEAN);
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(target, dir.path().join("site").join(name)).expect("symlink");
    };
    link("../shared/elsewhere.md", "linked.md");
    link("real.md", "alias.md");
    link("missing.md", "gone.md");
    let (code, json, stderr) = check_json(dir.path(), &["site"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert_eq!(
        findings(&json),
        [
            (
                "site/gone.md".to_owned(),
                vec!["unreadable-input".to_owned()]
            ),
            (
                "site/linked.md".to_owned(),
                vec!["missing-license-notice".to_owned()]
            ),
            ("site/real.md".to_owned(), vec![])
        ]
    );
    assert!(
        unreadable_message(&json, "site/gone.md").starts_with(
            "cannot read this file: a symbolic link to missing.md, which cannot be read:"
        ),
        "{json}"
    );
}

#[test]
fn no_document_from_explicit_inputs_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("site/post.mdx"), FAILING);
    let (code, _, stderr) = check_json(dir.path(), &["site"]);
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains(
            "error: no document to check in site: no file ends in .html, .htm, .md or .markdown; \
             add an extension with --ext EXT or `extensions = [\"EXT\"]` in ccguard.toml"
        ),
        "{stderr}"
    );
}

#[test]
fn an_include_glob_matching_nothing_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("site/post.md"), FAILING);
    write(
        &dir.path().join("ccguard.toml"),
        "include = [\"posts/**\"]\n",
    );
    let (code, _, stderr) = check_json(dir.path(), &["site"]);
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains(
            "error: no document to check in site: the config's include and exclude patterns \
             leave none of the 1 file(s) found"
        ),
        "{stderr}"
    );
}

#[test]
fn ext_and_config_extensions_add_markdown_and_html_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("site/post.mdx"), FAILING);
    write(
        &dir.path().join("site/page.xhtml"),
        "<p>Licensed under CC BY 4.0</p>",
    );
    write(&dir.path().join("site/notes.txt"), FAILING);
    let (code, json, stderr) = check_json(dir.path(), &["--ext", "mdx", "--ext", ".XHTML", "site"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let formats: Vec<(&str, &str)> = json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or(""),
                d["format"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        formats,
        [("site/page.xhtml", "html"), ("site/post.mdx", "markdown")]
    );
    write(&dir.path().join("ccguard.toml"), "extensions = [\"mdx\"]\n");
    let (code, _, stderr) = check_json(dir.path(), &["site", "site/notes.txt"]);
    assert_eq!(
        code,
        Some(2),
        "a .txt named explicitly is still refused: {stderr}"
    );
    let (code, json, stderr) = check_json(dir.path(), &["site/post.mdx"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert_eq!(
        findings(&json),
        [(
            "site/post.mdx".to_owned(),
            vec!["missing-license-notice".to_owned()]
        )]
    );
}

#[test]
fn sizes_past_the_cap_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("post.md"), FAILING);
    for flag in ["--max-size", "--max-body"] {
        let output = ccguard()
            .current_dir(dir.path())
            .args([
                "check",
                "--offline",
                flag,
                "18446744073709551615",
                "post.md",
            ])
            .output()
            .expect("run ccguard");
        assert_eq!(output.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(flag) && stderr.contains("at most 4294967296 bytes (4 GiB)"),
            "{stderr}"
        );
    }
    // The largest allowed cap reads the file as it is.
    let (code, json, stderr) = check_json(dir.path(), &["--max-size", "4294967296", "post.md"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    assert_eq!(
        findings(&json),
        [(
            "post.md".to_owned(),
            vec!["missing-license-notice".to_owned()]
        )]
    );
}

/// `check --offline ARGS` in `dir` with stdout a pipe whose reader is gone before ccguard
/// starts, so its first write fails: the exit code and stderr.
fn check_into_closed_pipe(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let output = Process::new(assert_cmd::cargo::cargo_bin("ccguard"))
        .current_dir(dir)
        .args(["check", "--offline"])
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run ccguard");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_keeps_the_exit_code_of_the_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..50 {
        write(&dir.path().join(format!("post{i:02}.md")), FAILING);
    }
    for format in ["human", "json", "sarif", "github", "junit"] {
        let result = check_into_closed_pipe(dir.path(), &["--format", format, "."]);
        assert_eq!(result, (Some(1), String::new()), "--format {format}");
    }
    // Nothing at or above --fail-on: still 0.
    let result = check_into_closed_pipe(dir.path(), &["--fail-on", "never", "."]);
    assert_eq!(result, (Some(0), String::new()));
}

#[test]
fn findings_after_the_pipe_closed_still_fail_the_run() {
    // The output of the clean posts fills the buffer and meets the closed pipe long before the
    // last post, the only one with an error, is checked.
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..200 {
        write(&dir.path().join(format!("post{i:03}.md")), CLEAN);
    }
    write(&dir.path().join("zz-last.md"), FAILING);
    let result = check_into_closed_pipe(dir.path(), &["--format", "json", "."]);
    assert_eq!(result, (Some(1), String::new()));
}

/// `text` as UTF-16 with a byte-order mark, little- or big-endian.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

#[test]
fn utf16_files_with_a_bom_are_decoded_with_places_in_the_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    // On line 3 the license follows characters of 1, 2, 3 and 4 bytes in UTF-8 (and a
    // surrogate pair in UTF-16): its column counts them as one each.
    let text = "# Título\n\nCafé 😀 — Licensed under CC BY-NC 4.0.\n";
    let line = "Café 😀 — Licensed under ";
    let column = line.chars().count() + 1;
    write(&dir.path().join("le.md"), utf16(text, true));
    write(&dir.path().join("be.md"), utf16(text, false));
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend(text.as_bytes());
    write(&dir.path().join("utf8.md"), utf8);
    let (code, json, stderr) = check_json(dir.path(), &["--fail-on", "never", "."]);
    assert_eq!(code, Some(0), "stderr: {stderr}");
    let licenses: Vec<(String, Value, Value, Value)> = json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| {
            let evidence = &d["license"]["evidence"][0];
            (
                d["path"].as_str().unwrap_or("").to_owned(),
                d["license"]["id"].clone(),
                evidence["line"].clone(),
                evidence["column"].clone(),
            )
        })
        .collect();
    let expected = |path: &str| {
        (
            path.to_owned(),
            Value::from("CC-BY-NC-4.0"),
            Value::from(3),
            Value::from(column),
        )
    };
    assert_eq!(
        licenses,
        [
            expected("./be.md"),
            expected("./le.md"),
            expected("./utf8.md")
        ]
    );
}
