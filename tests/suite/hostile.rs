//! Hostile input: files built to break parsers or blow up time and memory. Every file must
//! appear in the report (with a finding or a clean result), the run must finish in bounded time
//! without a panic, and an ordinary post beside them must still be checked.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// Generous for a debug build on a busy 2-core machine; a quadratic scan takes far longer.
const TIME_LIMIT: Duration = Duration::from_mins(5);

const ORDINARY: &str = "# Harbour lights\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\nLicensed under CC BY 4.0.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("write hostile file");
}

/// `count` pieces written by `piece` (given the buffer and the piece number).
fn repeated(count: usize, piece: impl Fn(&mut String, usize)) -> String {
    let mut s = String::new();
    for i in 0..count {
        piece(&mut s, i);
    }
    s
}

/// Every hostile file, by name.
fn hostile_files(dir: &Path) {
    write(dir, "ordinary.md", ORDINARY.as_bytes());
    write(dir, "empty.md", b"");
    write(
        dir,
        "invalid-utf8.md",
        b"# Caf\xe9\n\nBy Ana Ruiz \xff\xfe. Licensed under CC BY 4.0.\n",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "<p>Licensed under CC BY 4.0</p>".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    write(dir, "utf16-bom.html", &utf16);
    write(
        dir,
        "binary.html",
        &[0u8, 1, 2, 3, 0, 0, 0, 255, 0, 0].repeat(1000),
    );
    write(
        dir,
        "nested.html",
        format!(
            "{}deep{}",
            "<div>".repeat(200_000),
            "</div>".repeat(200_000)
        )
        .as_bytes(),
    );
    write(
        dir,
        "nested-quotes.md",
        format!("{} deep\n", ">".repeat(200_000)).as_bytes(),
    );
    write(
        dir,
        "nested-lists.md",
        repeated(2_000, |s, i| {
            let _ = writeln!(s, "{}- item", "  ".repeat(i));
        })
        .as_bytes(),
    );
    // 15 MB on one line, with a credit, a license and links; under the 16 MiB cap.
    let prose = "Lorem ipsum dolor sit amet, consectetur adipiscing elit &amp; sed do eiusmod. ";
    write(
        dir,
        "long-line.html",
        format!(
            "<p>By Ana Ruiz. Licensed under CC BY 4.0. {}</p>",
            prose.repeat(15_000_000 / prose.len())
        )
        .as_bytes(),
    );
    let linked = "Lorem ipsum dolor sit amet &amp; [sed do](https://example.org/a) eiusmod. ";
    write(
        dir,
        "long-line.md",
        format!(
            "By Ana Ruiz. Licensed under CC BY 4.0. {}",
            linked.repeat(15_000_000 / linked.len())
        )
        .as_bytes(),
    );
    write(
        dir,
        "links.html",
        repeated(200_000, |s, i| {
            let _ = writeln!(s, "<a href=\"https://example.org/{i}\">link {i}</a>");
        })
        .as_bytes(),
    );
    write(
        dir,
        "links.md",
        repeated(200_000, |s, i| {
            let _ = write!(s, "[link {i}](https://example.org/{i}) ");
        })
        .as_bytes(),
    );
    write(
        dir,
        "entities.html",
        format!(
            "<p>{}</p>",
            "&amp;&#169;&#x1F600;&nbsp;&bogus;&".repeat(200_000)
        )
        .as_bytes(),
    );
    write(
        dir,
        "unclosed.html",
        b"<html><body><div><p>By <a href='https://example.org/x'>Ana <b><i><!-- never closed <script>var a='",
    );
    write(
        dir,
        "unclosed-comment.md",
        b"# Post\n\n<!-- ccguard-disable\n\nLicensed under CC BY 4.0\n",
    );
    write(
        dir,
        "broken-front-matter.md",
        b"---\ntitle: [unclosed\nauthor: {\n\n# Body\n\nText.\n",
    );
    write(
        dir,
        "front-matter-only.md",
        b"---\ntitle: Only front matter\nlicense: CC BY 4.0\n---\n",
    );
    write(dir, "front-matter-unterminated.md", b"---\ntitle: x\n");
    write(dir, "over-cap.html", &vec![b'a'; 17 * 1024 * 1024]);
    // A symlink loop: walking must not follow it forever.
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir, dir.join("loop")).expect("symlink");
}

fn run(dir: &Path) -> (BTreeMap<String, Vec<String>>, Value) {
    let output = Command::cargo_bin("ccguard")
        .expect("binary")
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(dir)
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
    let mut by_file = BTreeMap::new();
    for doc in json["documents"].as_array().expect("documents") {
        let path = doc["path"].as_str().expect("path");
        let name = path.rsplit('/').next().unwrap_or(path).to_owned();
        let rules = doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["rule"].as_str().expect("rule").to_owned())
            .collect();
        by_file.insert(name, rules);
    }
    (by_file, json)
}

#[test]
fn hostile_inputs_are_all_reported_and_nothing_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    hostile_files(dir.path());
    let (by_file, json) = run(dir.path());

    let expected = [
        "binary.html",
        "broken-front-matter.md",
        "empty.md",
        "entities.html",
        "front-matter-only.md",
        "front-matter-unterminated.md",
        "invalid-utf8.md",
        "links.html",
        "links.md",
        "long-line.html",
        "long-line.md",
        "nested-lists.md",
        "nested-quotes.md",
        "nested.html",
        "ordinary.md",
        "over-cap.html",
        "unclosed-comment.md",
        "unclosed.html",
        "utf16-bom.html",
    ];
    assert_eq!(
        by_file.keys().map(String::as_str).collect::<Vec<_>>(),
        expected,
        "every file once, and nothing from the symlink loop"
    );
    assert_eq!(json["summary"]["documents"], expected.len());
    let has = |file: &str, rule: &str| by_file[file].iter().any(|r| r == rule);
    assert!(has("binary.html", "unreadable-input"));
    // UTF-16 with a byte-order mark is text: decoded and checked, its license found.
    assert!(!has("utf16-bom.html", "unreadable-input"));
    let utf16 = json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| {
            d["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("/utf16-bom.html"))
        })
        .expect("utf16-bom.html reported");
    assert_eq!(utf16["license"]["id"], "CC-BY-4.0");
    assert!(has("over-cap.html", "unreadable-input"));
    assert!(has("invalid-utf8.md", "malformed-input"));
    assert!(
        has("ordinary.md", "missing-source-link"),
        "the ordinary post is still checked: {:?}",
        by_file["ordinary.md"]
    );
    assert!(by_file["empty.md"].is_empty());
}

#[test]
fn an_unreadable_file_is_a_finding_and_the_rest_are_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ordinary.md", ORDINARY.as_bytes());
    write(dir.path(), "secret.md", ORDINARY.as_bytes());
    let secret = dir.path().join("secret.md");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&secret).is_ok() {
        eprintln!("skipping: running with privileges that read any file (root)");
        return;
    }
    let (by_file, _) = run(dir.path());
    assert!(by_file["secret.md"].iter().any(|r| r == "unreadable-input"));
    assert!(
        by_file["ordinary.md"]
            .iter()
            .any(|r| r == "missing-source-link")
    );
}
