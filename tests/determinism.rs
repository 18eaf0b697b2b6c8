//! Determinism: `--jobs 1` and `--jobs 2` print byte-identical JSON over real corpus files, so
//! output never depends on thread timing. Uses a subset (files under 200 kB) to stay quick in
//! debug builds; skips when `../shared/corpus` is absent.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Up to `limit` checkable files under `dir` smaller than 200 kB, in path order.
fn subset(dir: &Path, limit: usize) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if meta.len() < 200_000
                && path
                    .extension()
                    .is_some_and(|e| e == "html" || e == "md" || e == "htm")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files.truncate(limit);
    files
}

fn json_with_jobs(files: &[PathBuf], jobs: &str) -> Vec<u8> {
    let output = Command::cargo_bin("ccguard")
        .expect("binary")
        .args([
            "check",
            "--offline",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--jobs",
            jobs,
        ])
        .args(files)
        .output()
        .expect("run ccguard");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn one_and_two_jobs_give_identical_json() {
    let mut files = Vec::new();
    if let Some(dir) = common::shared("corpus/html/readability") {
        files.extend(subset(&dir, 40));
    }
    if let Some(dir) = common::shared("corpus/md/intellectualtakeout/2019/01") {
        files.extend(subset(&dir, 80));
    }
    if files.is_empty() {
        return;
    }
    let one = json_with_jobs(&files, "1");
    let two = json_with_jobs(&files, "2");
    assert!(one.len() > 1000, "a real report");
    assert!(one == two, "--jobs 1 and --jobs 2 differ");
}

#[test]
fn dropping_the_text_leaves_json_github_and_junit_output_unchanged() {
    use ccguard::report::{self, Format};
    let mut files: Vec<PathBuf> = subset(&common::root().join("fixtures"), 100);
    if let Some(dir) = common::shared("corpus/dev") {
        files.extend(subset(&dir, 60));
    }
    let inputs: Vec<ccguard::walk::Input> =
        files.into_iter().map(ccguard::walk::Input::File).collect();
    let kept = common::checker().check_all(&inputs, 2);
    let mut dropped = kept.clone();
    for result in &mut dropped {
        result.drop_text();
        assert!(result.source.text.is_empty());
    }
    for format in [Format::Json, Format::Github, Format::Junit] {
        let render = |results: &[ccguard::result::DocumentResult]| {
            let mut out = Vec::new();
            report::write(results, format, false, &mut out).expect("render");
            out
        };
        assert!(
            render(&kept) == render(&dropped),
            "{format:?} output changed"
        );
    }
}

#[test]
fn merged_shards_equal_one_run() {
    let fixtures = common::root().join("fixtures").join("posts");
    let run = |extra: &[&str]| {
        let output = Command::cargo_bin("ccguard")
            .expect("binary")
            .args([
                "check",
                "--offline",
                "--format",
                "json",
                "--fail-on",
                "never",
            ])
            .args(extra)
            .arg(&fixtures)
            .output()
            .expect("run ccguard");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    let whole = run(&[]);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut shards = Vec::new();
    for k in 1..=3 {
        let path = dir.path().join(format!("shard{k}.json"));
        std::fs::write(&path, run(&["--shard", &format!("{k}/3")])).expect("write shard");
        shards.push(path);
    }
    let merged = Command::cargo_bin("ccguard")
        .expect("binary")
        .arg("merge")
        .args(&shards)
        .output()
        .expect("run merge");
    assert!(
        merged.status.success(),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&merged.stdout),
        String::from_utf8_lossy(&whole)
    );
}

#[test]
fn streamed_output_equals_the_whole_report() {
    use ccguard::report::{self, Format};
    let mut inputs: Vec<ccguard::walk::Input> = subset(&common::root().join("fixtures"), 100)
        .into_iter()
        .map(ccguard::walk::Input::File)
        .collect();
    // `check_each` reports in input order; `check_all` sorts by name.
    inputs.sort_by_key(ccguard::walk::Input::display_name);
    for format in [
        Format::Json,
        Format::Human,
        Format::Sarif,
        Format::Github,
        Format::Junit,
    ] {
        for inputs in [&inputs[..0], &inputs[..1], &inputs[..]] {
            let results = common::checker().check_all(inputs, 2);
            let mut whole = Vec::new();
            report::write(&results, format, false, &mut whole).expect("render");
            let mut streamed = Vec::new();
            let mut renderer = report::renderer(format, &mut streamed).expect("start");
            common::checker()
                .check_each(
                    inputs.iter().cloned(),
                    2,
                    |r| report::prepare(format, false, &r),
                    |part| renderer.write(part?),
                )
                .expect("stream");
            renderer.finish().expect("finish");
            assert_eq!(
                String::from_utf8_lossy(&streamed),
                String::from_utf8_lossy(&whole),
                "{format:?}, {} inputs",
                inputs.len()
            );
        }
    }
}
