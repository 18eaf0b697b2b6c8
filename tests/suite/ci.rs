//! The CI examples of the README, docs/ci.md, `action.yml` and `.pre-commit-hooks.yaml`, run as written
//! (with the bundled fixtures standing in for `content/`), so a copy-paste example cannot rot.

use crate::common;

use std::process::Command;

use serde_json::Value;

/// The first YAML block after `heading` in the document `path` (relative to the repository).
fn yaml_block_after(path: &str, heading: &str) -> String {
    let doc = std::fs::read_to_string(common::root().join(path)).expect(path);
    let at = doc
        .find(heading)
        .unwrap_or_else(|| panic!("{path} has {heading}"));
    let rest = &doc[at..];
    let start = rest.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let end = rest[start..].find("```").expect("closed block");
    rest[start..start + end].to_owned()
}

/// The words of a `ccguard …` command line in a block, `content/` replaced by `fixtures/posts/`
/// and a shell redirection dropped.
fn command_in(block: &str) -> Vec<String> {
    let line = block
        .lines()
        .find_map(|l| {
            l.trim()
                .trim_start_matches("- run: ")
                .trim_start_matches("- ")
                .strip_prefix("ccguard ")
        })
        .expect("a ccguard command");
    let line = line.split(" > ").next().expect("command");
    line.split_whitespace()
        .map(|w| {
            if w == "content/" {
                "fixtures/posts/".to_owned()
            } else {
                w.to_owned()
            }
        })
        .collect()
}

fn ccguard(args: &[String]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("ccguard"));
    cmd.current_dir(common::root())
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

#[test]
fn github_actions_example_annotates_and_writes_the_step_summary() {
    let args = command_in(&yaml_block_after("README.md", "### GitHub Actions"));
    assert_eq!(
        args[..5],
        ["check", "--format", "github", "--fail-on", "error"]
    );
    let summary = tempfile::NamedTempFile::new().expect("temp file");
    let out = ccguard(&args)
        .env("GITHUB_STEP_SUMMARY", summary.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        stdout.lines().all(|l| l.starts_with("::error ")
            || l.starts_with("::warning ")
            || l.starts_with("::notice ")),
        "{stdout}"
    );
    assert!(stdout.contains("::error file=fixtures/posts/china-cuba-hugo.md,line=1,col=1,endLine=1,endColumn=1,title=missing-source-link::"));
    let written = std::fs::read_to_string(summary.path()).expect("summary");
    assert!(written.starts_with("## ccguard: "), "{written}");
    assert!(written.contains("| `missing-source-link` |"));
}

/// The README's example `ccguard.toml` is a valid config, and each of its settings reaches the
/// file it covers.
#[test]
fn readme_config_example_is_valid() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let at = readme
        .find("### Configuration: `ccguard.toml`")
        .expect("README has the configuration section");
    let rest = &readme[at..];
    let start = rest.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = rest[start..].find("```").expect("closed block");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("ccguard.toml"), &rest[start..start + end]).expect("config");
    std::fs::create_dir_all(dir.path().join("rules-local")).expect("rules dir");
    std::fs::create_dir_all(dir.path().join("content/reposts")).expect("content");
    std::fs::write(dir.path().join("content/reposts/a.md"), "# A\n").expect("post");
    std::fs::create_dir_all(dir.path().join("content/columns")).expect("content");
    std::fs::write(dir.path().join("content/columns/b.md"), "# B\n").expect("post");
    let out = Command::new(env!("CARGO_BIN_EXE_ccguard"))
        .current_dir(dir.path())
        .args([
            "check",
            "--offline",
            "--explain-config",
            "content/reposts/a.md",
            "content/columns/b.md",
        ])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "content/reposts/a.md: overrides [0], all_reposts=true, commercial=true, originals=false"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "content/columns/b.md: overrides [1], all_reposts=false, commercial=true, originals=true"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("missing-source-link=warning"), "{stdout}");
}

#[test]
fn gitlab_example_writes_junit() {
    let args = command_in(&yaml_block_after("docs/ci.md", "## GitLab CI"));
    assert_eq!(args[..3], ["check", "--format", "junit"]);
    let out = ccguard(&args).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).expect("utf-8");
    assert!(xml.contains("<failure type=\"missing-source-link\""));
}

#[test]
fn pre_commit_hook_entry_checks_staged_files() {
    let hooks =
        std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let hooks: Value = serde_saphyr::from_str(&hooks).expect("valid YAML");
    let entry = hooks[0]["entry"].as_str().expect("entry");
    let mut args: Vec<String> = entry
        .split_whitespace()
        .skip(1)
        .map(str::to_owned)
        .collect();
    args.push("fixtures/posts/conversation-style-repost.html".to_owned());
    assert_eq!(ccguard(&args).status().expect("run").code(), Some(0));
    args.push("fixtures/posts/china-cuba-hugo.md".to_owned());
    assert_eq!(ccguard(&args).status().expect("run").code(), Some(1));
}

#[test]
fn composite_action_runs_its_script() {
    let action = std::fs::read_to_string(common::root().join("action.yml")).expect("action.yml");
    let action: Value = serde_saphyr::from_str(&action).expect("valid YAML");
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let script = steps
        .iter()
        .find(|s| s["name"] == "Check")
        .and_then(|s| s["run"].as_str())
        .expect("check step");
    let temp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(temp.path().join("ccguard/bin")).expect("mkdir");
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("ccguard"),
        temp.path().join("ccguard/bin/ccguard"),
    )
    .expect("link");
    // The inputs' defaults, passed as the runner passes them: through the step's env.
    let env = steps
        .iter()
        .find(|s| s["name"] == "Check")
        .and_then(|s| s["env"].as_object())
        .expect("check step env");
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .current_dir(common::root())
        .env("RUNNER_TEMP", temp.path())
        .env_remove("GITHUB_STEP_SUMMARY");
    for (name, value) in env {
        let input = value
            .as_str()
            .and_then(|v| v.strip_prefix("${{ inputs."))
            .and_then(|v| v.strip_suffix(" }}"))
            .expect("an input");
        let value = match input {
            "paths" => "fixtures/posts/",
            _ => action["inputs"][input]["default"].as_str().unwrap_or(""),
        };
        cmd.env(name, value);
    }
    let out = cmd.output().expect("bash");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("title=license-version-missing"));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = ccguard(&["completions".to_owned(), shell.to_owned()])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("ccguard"));
    }
}

#[test]
fn changed_since_checks_only_changed_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .status()
            .expect("git");
        assert!(ok.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    let post = "# Lights\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\nLicensed under CC BY 4.0.\n";
    std::fs::write(dir.path().join("old.md"), post).expect("write");
    git(&["add", "."]);
    git(&["commit", "-qm", "first"]);
    std::fs::write(dir.path().join("new.md"), post).expect("write");
    let out = Command::new(assert_cmd::cargo::cargo_bin("ccguard"))
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--changed-since", "HEAD", "."])
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let paths: Vec<&str> = json["documents"]
        .as_array()
        .expect("docs")
        .iter()
        .map(|d| d["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["./new.md"]);
    let bad = Command::new(assert_cmd::cargo::cargo_bin("ccguard"))
        .current_dir(dir.path())
        .args(["check", "--changed-since", "no-such-rev", "."])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no-such-rev"));
}
