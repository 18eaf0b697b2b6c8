//! Hostile input built to make detection super-linear, and hostile rule files built to make
//! the license matcher slow or huge to compile.
//!
//! Each post repeats one detector's cue hundreds of thousands of bytes long (one endless
//! sentence of license codes, a block of deed links, thousands of blocks…). Sized so that a
//! quadratic detector takes many minutes in a debug build while a linear one takes seconds; the
//! time bound is generous and only a blow-up exceeds it. Each test also asserts the exact
//! findings, so detection still works on the hostile shape.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// Generous for a debug build on a busy 2-core machine; a quadratic scan takes far longer.
const TIME_LIMIT: Duration = Duration::from_mins(3);

/// A post's head: a byline and an outlet, so the post is a repost of someone's work.
const HEAD: &str =
    "# Harbour lights\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\n";

/// `piece` repeated to about `bytes` bytes.
fn repeat(piece: &str, bytes: usize) -> String {
    piece.repeat(bytes / piece.len())
}

/// Check one post as a process; (license id, findings as `rule@line:column`).
fn check(name: &str, text: &str) -> (Value, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write post");
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
        .arg(&path)
        .timeout(TIME_LIMIT)
        .output()
        .expect("run ccguard");
    assert!(
        output.status.success(),
        "exit {:?}; stderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let doc = &json["documents"][0];
    let findings = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}@{}:{}",
                f["rule"].as_str().unwrap_or("?"),
                f["line"],
                f["column"]
            )
        })
        .collect();
    (doc["license"]["id"].clone(), findings)
}

fn assert_found(name: &str, text: &str, license: &str, findings: &[&str]) {
    let (id, got) = check(name, text);
    assert_eq!(id, license, "{name}: license");
    assert_eq!(got, findings, "{name}: findings");
}

#[test]
fn one_sentence_of_license_codes() {
    let text = format!(
        "{HEAD}Licensed under {}and nothing else.\n",
        repeat("CC BY 4.0, ", 400_000)
    );
    assert_found(
        "codes.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1", "missing-license-link@5:16"],
    );
}

#[test]
fn one_block_of_deed_links() {
    let links = repeat(
        "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/) ",
        800_000,
    );
    let text = format!("{HEAD}Licensed under {links}\n");
    assert_found(
        "deed-links.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1"],
    );
}

#[test]
fn one_sentence_of_bare_deed_urls() {
    let urls = repeat("https://creativecommons.org/licenses/by/4.0/ ", 400_000);
    let text = format!("{HEAD}Licensed under {urls}\n");
    assert_found(
        "bare-urls.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1"],
    );
}

#[test]
fn one_sentence_of_license_names() {
    let names = repeat(
        "Creative Commons Attribution 4.0 International License and a Creative Commons license, ",
        600_000,
    );
    let text = format!("{HEAD}Licensed under the {names}\n");
    assert_found(
        "names.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1", "missing-license-link@5:20"],
    );
}

#[test]
fn one_sentence_of_photo_credits() {
    let credits = repeat("Photo: Ana Ruiz / CC BY 2.0, ", 600_000);
    let text = format!("{HEAD}Licensed under CC BY 4.0.\n\n{credits}\n");
    assert_found(
        "photo-credits.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1", "missing-license-link@5:16"],
    );
}

#[test]
fn one_sentence_of_reservations() {
    let reserved = repeat("All rights reserved, ", 600_000);
    let text = format!("{HEAD}Licensed under CC BY 4.0. {reserved}\n");
    assert_found(
        "rights-reserved.md",
        &text,
        "CC-BY-4.0",
        &[
            "missing-source-link@1:1",
            "missing-license-link@5:16",
            "conflicting-notice@5:27",
        ],
    );
}

#[test]
fn one_chinese_sentence_of_license_statements() {
    let text = format!(
        "# 港口\n\n原文作者：李伟\n\n原文链接：《港口评论》\n\n{}\n",
        repeat("本文采用CC BY 4.0协议，", 600_000)
    );
    // A repost by its header (a license claim alone would not make it one).
    assert_found(
        "zh.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1", "missing-license-link@7:5"],
    );
}

#[test]
fn many_blocks_each_with_a_claim() {
    let text = format!(
        "{HEAD}{}",
        repeat("Licensed under CC BY 4.0.\n\n", 2_000_000)
    );
    assert_found(
        "blocks.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1", "missing-license-link@5:16"],
    );
}

#[test]
fn many_images_with_credits_in_one_block() {
    let images = repeat(
        "![a](https://example.org/a.jpg) Photo: Ana / CC BY 2.0 ",
        1_000_000,
    );
    let text = format!("{HEAD}Licensed under CC BY 4.0.\n\n{images}\n");
    assert_found(
        "images.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1", "missing-license-link@5:16"],
    );
}

#[test]
fn many_linked_license_icons() {
    let icons = repeat(
        "<a href=\"https://creativecommons.org/licenses/by/4.0/\"><img src=\"https://mirrors.creativecommons.org/presskit/icons/by.svg\"></a> ",
        2_000_000,
    );
    let text = format!(
        "<h1>Harbour lights</h1><p>By Ana Ruiz. Originally published by The Harbour Review.</p><p>{icons}</p>"
    );
    assert_found(
        "icons.html",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1"],
    );
}

#[test]
fn a_long_sentence_with_no_stop() {
    let prose = repeat("lorem ipsum dolor sit amet ", 2_000_000);
    let text = format!("{HEAD}Licensed under CC BY 4.0 {prose}\n");
    assert_found(
        "no-stop.md",
        &text,
        "CC-BY-4.0",
        &["missing-source-link@1:1", "missing-license-link@5:16"],
    );
}

/// A copy of the bundled CC BY 4.0 rule file as a user's, with `extra` appended.
fn rule_dir(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/licenses/CC-BY-4.0.toml");
    let mut text = std::fs::read_to_string(bundled).expect("bundled rule file");
    text.push_str(extra);
    std::fs::write(dir.path().join("CC-BY-4.0.toml"), text).expect("write rule file");
    dir
}

/// `ccguard rules validate DIR` and `ccguard check --rules DIR` both refuse the directory:
/// exit 2, in bounded time, with a message naming the file and containing `message`.
fn assert_refused(dir: &Path, message: &str) {
    let post = dir.join("post.md");
    std::fs::write(&post, "Licensed under CC BY 4.0.\n").expect("write post");
    let validate = vec![
        "rules".to_owned(),
        "validate".to_owned(),
        dir.display().to_string(),
    ];
    let check = vec![
        "check".to_owned(),
        "--offline".to_owned(),
        "--rules".to_owned(),
        dir.display().to_string(),
        post.display().to_string(),
    ];
    for args in [validate, check] {
        let output = Command::cargo_bin("ccguard")
            .expect("binary")
            .args(&args)
            .timeout(TIME_LIMIT)
            .output()
            .expect("run ccguard");
        // The report wraps long messages in a frame: read it as one line of words.
        let stderr = String::from_utf8_lossy(&output.stderr)
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("CC-BY-4.0.toml"), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn a_twenty_thousand_character_license_name_is_refused() {
    let name = "Harbour ".repeat(2_500);
    let dir = rule_dir(&format!("xx = [\"{}\"]\n", name.trim()));
    assert_refused(
        dir.path(),
        "title is 19999 characters long; the limit is 400",
    );
}

#[test]
fn too_many_license_names_are_refused() {
    let titles: Vec<String> = (0..2_100)
        .map(|i| format!("\"Harbour License {i}\""))
        .collect();
    let dir = rule_dir(&format!("xx = [{}]\n", titles.join(", ")));
    assert_refused(dir.path(), "more than 2000 titles");
}

#[test]
fn a_half_megabyte_rule_file_is_refused() {
    let titles: Vec<String> = (0..20_000)
        .map(|i| format!("\"Harbour License {i}\""))
        .collect();
    let dir = rule_dir(&format!("xx = [{}]\n", titles.join(", ")));
    assert_refused(dir.path(), "the limit is 262144 bytes");
}

#[test]
fn a_five_megabyte_rule_file_is_refused() {
    let titles: Vec<String> = (0..200_000)
        .map(|i| format!("\"Harbour License {i}\""))
        .collect();
    let dir = rule_dir(&format!("xx = [{}]\n", titles.join(", ")));
    assert_refused(dir.path(), "the limit is 262144 bytes");
}

#[test]
fn rule_directories_over_the_total_are_refused() {
    // Each file under the per-file cap, together over the total.
    let dir = tempfile::tempdir().expect("tempdir");
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/licenses/CC-BY-4.0.toml");
    let text = std::fs::read_to_string(bundled).expect("bundled rule file");
    let padding = format!("# {}\n", "x".repeat(200_000));
    for i in 0..12 {
        std::fs::write(
            dir.path().join(format!("mine-{i}.toml")),
            format!("{text}{padding}"),
        )
        .expect("write rule file");
    }
    let post = dir.path().join("post.md");
    std::fs::write(&post, "Licensed under CC BY 4.0.\n").expect("write post");
    let output = Command::cargo_bin("ccguard")
        .expect("binary")
        .args(["check", "--offline", "--rules"])
        .arg(dir.path())
        .arg(&post)
        .timeout(TIME_LIMIT)
        .output()
        .expect("run ccguard");
    let stderr = String::from_utf8_lossy(&output.stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the limit is 2097152 bytes"), "{stderr}");
}
