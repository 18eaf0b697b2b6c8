//! The result cache (`check --cache`) as a process: a warm run prints byte for byte what a cold
//! run prints, reuses every unchanged file, and recomputes what a post, rule or config edit
//! affects; a corrupt cache costs only a cold run, and `--no-cache` writes nothing.

use crate::common;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A project in a temporary directory: a copy of `fixtures/` as `site/`, of `rules/` as
/// `rules/`, and a `ccguard.toml`; checked from that directory with its own cache directory.
struct Project {
    dir: tempfile::TempDir,
}

/// What one run printed.
struct Run {
    stdout: Vec<u8>,
    stderr: String,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&common::root().join("fixtures"), &dir.path().join("site"));
        copy_dir(&common::root().join("rules"), &dir.path().join("rules"));
        std::fs::write(
            dir.path().join("ccguard.toml"),
            "[rules]\nmissing-title = \"info\"\n",
        )
        .expect("write config");
        Project { dir }
    }

    fn path(&self, relative: &str) -> std::path::PathBuf {
        self.dir.path().join(relative)
    }

    /// `ccguard check --cache --cache-dir cache --rules rules site` plus `args`.
    fn check(&self, args: &[&str]) -> Run {
        let output = Command::cargo_bin("ccguard")
            .expect("binary")
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env("CCGUARD_OFFLINE", "true")
            .args(["check", "--fail-on", "never", "--cache-dir", "cache"])
            .args(["--rules", "rules"])
            .args(args)
            .arg("site")
            .output()
            .expect("run ccguard");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        Run {
            stdout: output.stdout,
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    /// The number of readable documents (from a JSON run without the cache): an unreadable
    /// file has no text to key a result by, so it is neither a hit nor a miss.
    fn documents(&self) -> usize {
        let run = self.check(&["--format", "json"]);
        let json: Value = serde_json::from_slice(&run.stdout).expect("JSON");
        let documents = json["documents"].as_array().expect("documents");
        let unreadable = documents
            .iter()
            .filter(|d| d["findings"].to_string().contains("\"unreadable-input\""))
            .count();
        documents.len() - unreadable
    }

    /// Replace `from` by `to` in a file of the project.
    fn edit(&self, relative: &str, from: &str, to: &str) {
        let path = self.path(relative);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{relative} lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The `cache: …` line a run printed on stderr.
fn stats(run: &Run) -> &str {
    run.stderr
        .lines()
        .find(|l| l.starts_with("cache: "))
        .unwrap_or_else(|| panic!("no cache line in {:?}", run.stderr))
}

#[test]
fn a_warm_run_prints_what_a_cold_run_prints() {
    let project = Project::new();
    let n = project.documents();
    assert!(n > 50, "{n} documents");
    for format in ["json", "human", "sarif"] {
        let _ = std::fs::remove_dir_all(project.path("cache"));
        let uncached = project.check(&["--format", format]);
        let cold = project.check(&["--format", format, "--cache"]);
        let warm = project.check(&["--format", format, "--cache"]);
        assert_eq!(stats(&cold), format!("cache: 0 hits, {n} misses"));
        assert_eq!(stats(&warm), format!("cache: {n} hits, 0 misses"));
        assert!(cold.stdout == uncached.stdout, "{format}: cold differs");
        assert!(warm.stdout == cold.stdout, "{format}: warm differs");
    }
}

#[test]
fn results_are_shared_between_formats() {
    let project = Project::new();
    let n = project.documents();
    project.check(&["--format", "json", "--cache"]);
    let human = project.check(&["--format", "human", "--cache"]);
    assert_eq!(stats(&human), format!("cache: {n} hits, 0 misses"));
}

#[test]
fn editing_one_post_is_one_miss() {
    let project = Project::new();
    let n = project.documents();
    project.check(&["--cache"]);
    project.edit("site/posts/china-cuba-hugo.md", "\n", "\n\n");
    let run = project.check(&["--cache"]);
    assert_eq!(stats(&run), format!("cache: {} hits, 1 misses", n - 1));
    let again = project.check(&["--cache"]);
    assert_eq!(stats(&again), format!("cache: {n} hits, 0 misses"));
}

#[test]
fn editing_a_rule_file_recomputes_everything() {
    let project = Project::new();
    let n = project.documents();
    project.check(&["--cache"]);
    project.edit(
        "rules/licenses/CC-BY-4.0.toml",
        "notes = [\n",
        "notes = [\n  \"edited\",\n",
    );
    let run = project.check(&["--cache"]);
    assert_eq!(stats(&run), format!("cache: 0 hits, {n} misses"));
}

#[test]
fn editing_the_config_recomputes_everything() {
    let project = Project::new();
    let n = project.documents();
    project.check(&["--cache"]);
    project.edit("ccguard.toml", "\"info\"", "\"warning\"");
    let run = project.check(&["--cache"]);
    assert_eq!(stats(&run), format!("cache: 0 hits, {n} misses"));
}

#[test]
fn flags_that_change_results_recompute_everything() {
    let project = Project::new();
    let n = project.documents();
    project.check(&["--cache"]);
    let run = project.check(&["--cache", "--max-size", "1000000"]);
    assert_eq!(stats(&run), format!("cache: 0 hits, {n} misses"));
}

#[test]
fn a_corrupt_cache_costs_a_cold_run() {
    let project = Project::new();
    let n = project.documents();
    let cold = project.check(&["--format", "json", "--cache"]);
    let files: Vec<_> = std::fs::read_dir(project.path("cache/results"))
        .expect("results dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::write(
        &files[0],
        b"{\"format\": \"ccguard-result-cache/1\", \"entr\xff",
    )
    .expect("write");
    let run = project.check(&["--format", "json", "--cache"]);
    assert_eq!(stats(&run), format!("cache: 0 hits, {n} misses"));
    assert!(
        run.stderr.contains("ignoring the result cache"),
        "{}",
        run.stderr
    );
    assert!(run.stdout == cold.stdout);
    let repaired = project.check(&["--format", "json", "--cache"]);
    assert_eq!(stats(&repaired), format!("cache: {n} hits, 0 misses"));
}

#[test]
fn the_config_can_turn_the_cache_on() {
    let project = Project::new();
    let n = project.documents();
    project.edit("ccguard.toml", "[rules]", "cache = true\n[rules]");
    let cold = project.check(&[]);
    assert_eq!(stats(&cold), format!("cache: 0 hits, {n} misses"));
    let warm = project.check(&[]);
    assert_eq!(stats(&warm), format!("cache: {n} hits, 0 misses"));
    let off = project.check(&["--no-cache"]);
    assert!(!off.stderr.contains("cache: "), "{}", off.stderr);
}

#[test]
fn no_cache_wins_and_writes_nothing() {
    let project = Project::new();
    let run = project.check(&["--cache", "--no-cache"]);
    assert!(!run.stderr.contains("cache: "), "{}", run.stderr);
    assert!(!project.path("cache").exists());
    let run = project.check(&[]);
    assert!(!run.stderr.contains("cache: "), "{}", run.stderr);
    assert!(!project.path("cache").exists());
}

#[test]
fn each_format_and_colour_is_rendered_as_without_the_cache() {
    let project = Project::new();
    let n = project.documents();
    let runs: [&[&str]; 6] = [
        &["--format", "human"],
        &["--format", "human", "--color", "always"],
        &["--format", "github"],
        &["--format", "junit"],
        &["--format", "json"],
        &["--format", "sarif"],
    ];
    let uncached: Vec<Vec<u8>> = runs.iter().map(|args| project.check(args).stdout).collect();
    assert!(uncached[0] != uncached[1], "colour changes nothing");
    // Round one computes, then renders the cached results in each format and colour in turn;
    // round two reuses each one's own rendering.
    for round in 0..2 {
        for (args, expected) in runs.iter().zip(&uncached) {
            let run = project.check(&[*args, &["--cache"]].concat());
            assert!(run.stdout == *expected, "round {round}: {args:?} differs");
            if round == 1 {
                assert_eq!(stats(&run), format!("cache: {n} hits, 0 misses"));
            }
        }
    }
}
