//! Media credits through the binary: the JSON `media` inventory (CONTRACT §2) and the rule
//! `missing-media-credit`, on posts written into a temporary directory, `--offline`.

mod common;

use assert_cmd::Command;
use serde_json::{Value, json};

fn ccguard(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// The JSON report of `ccguard check --offline --format json NAME` on a file holding `text`,
/// and the exit code.
fn check_json(name: &str, text: &str, extra: &[&str]) -> (Value, i32) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), text).expect("write post");
    let out = ccguard(dir.path())
        .args(["check", "--offline", "--format", "json"])
        .args(extra)
        .arg(name)
        .output()
        .expect("run ccguard");
    let report = serde_json::from_slice(&out.stdout).expect("JSON report");
    (report, out.status.code().expect("exit code"))
}

/// `(rule, line, column, end_line, end_column)` of each finding of the first document.
fn findings(report: &Value) -> Vec<(String, u64, u64, u64, u64)> {
    report["documents"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_owned(),
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
                f["end_line"].as_u64().expect("end_line"),
                f["end_column"].as_u64().expect("end_column"),
            )
        })
        .collect()
}

const TAIL: &str = "\nOriginally published at [Lakeland Weekly](https://example.org/2024/ice-road)\n\
                    under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/).\n";

#[test]
fn a_commons_thumbnail_without_credit_is_a_finding_at_the_image() {
    let text = format!(
        "# The ice road\n\nBy Jonas Eriksen\n\n\
         Cars wait at the shore. ![Ice road](https://upload.wikimedia.org/wikipedia/commons/thumb/7/7c/Ice.jpg/800px-Ice.jpg)\n\n\
         The road opened three weeks late this year, and trucks waited for thicker ice.\n{TAIL}"
    );
    let (report, code) = check_json("post.md", &text, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        [("missing-media-credit".to_owned(), 5, 25, 5, 117)]
    );
    let finding = &report["documents"][0]["findings"][0];
    assert_eq!(
        finding["message"],
        "this CC-licensed image from Wikimedia Commons is not fully credited: the creator and the license are missing"
    );
    assert_eq!(
        report["documents"][0]["media"],
        json!([{
            "url": "https://upload.wikimedia.org/wikipedia/commons/thumb/7/7c/Ice.jpg/800px-Ice.jpg",
            "kind": "image",
            "line": 5,
            "column": 25,
            "credit": null,
            "license": null,
            "source": "https://upload.wikimedia.org/wikipedia/commons/thumb/7/7c/Ice.jpg/800px-Ice.jpg",
            "verified": "offline"
        }])
    );
    // The image license never becomes the post's.
    assert_eq!(report["documents"][0]["license"]["id"], "CC-BY-4.0");
}

#[test]
fn a_flickr_photo_with_a_bare_cc_by_caption_lacks_version_and_link() {
    let text = format!(
        "# The ice road\n\nBy Jonas Eriksen\n\n\
         ![Cars](https://live.staticflickr.com/65535/5271_5f3c_b.jpg)\n*Photo: Maja Lind, CC BY*\n{TAIL}"
    );
    let (report, _) = check_json("post.md", &text, &[]);
    assert_eq!(
        findings(&report),
        [("missing-media-credit".to_owned(), 5, 1, 5, 61)]
    );
    assert_eq!(
        report["documents"][0]["findings"][0]["message"],
        "this CC-licensed image from Flickr is not fully credited: the license's version and the license's link are missing"
    );
    assert_eq!(
        report["documents"][0]["media"],
        json!([{
            "url": "https://live.staticflickr.com/65535/5271_5f3c_b.jpg",
            "kind": "image",
            "line": 5,
            "column": 1,
            "credit": {"name": "Maja Lind", "line": 6, "column": 9},
            "license": {
                "id": null,
                "family": "CC-BY",
                "version": null,
                "jurisdiction": null,
                "linked": false,
                "evidence": [{"kind": "text", "line": 6, "column": 20, "text": "CC BY"}]
            },
            "source": "https://live.staticflickr.com/65535/5271_5f3c_b.jpg",
            "verified": "offline"
        }])
    );
}

#[test]
fn an_agency_photo_and_a_credited_cc_video_embed_give_no_finding() {
    let text = "<article><p><strong>By Elif Demir</strong></p>\n\
        <figure><img src=\"https://example.org/wall.jpg\" alt=\"Wall\">\n\
        <figcaption>Workers on the wall. (AP Photo/Tom Keller)</figcaption></figure>\n\
        <figure><iframe src=\"https://player.vimeo.com/video/76979871\"></iframe>\n\
        <figcaption>Video: Jonas Berg, <a href=\"https://creativecommons.org/licenses/by/3.0/\">CC BY 3.0</a>, via Vimeo</figcaption></figure>\n\
        <p>Originally published by <a href=\"https://example.org/rail\">Rail Weekly</a> under \
        <a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>.</p></article>\n";
    let (report, code) = check_json("post.html", text, &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&report), []);
    let media = &report["documents"][0]["media"];
    assert_eq!(media[0]["verified"], "not-cc");
    assert_eq!(media[0]["license"], Value::Null);
    assert_eq!(media[0]["line"], 2);
    assert_eq!(media[1]["kind"], "embed");
    assert_eq!(
        (media[1]["line"].as_u64(), media[1]["column"].as_u64()),
        (Some(4), Some(9))
    );
    assert_eq!(
        media[1]["credit"],
        json!({"name": "Jonas Berg", "line": 5, "column": 20})
    );
    assert_eq!(media[1]["license"]["id"], "CC-BY-3.0");
    assert_eq!(media[1]["license"]["linked"], true);
    assert_eq!(media[1]["verified"], "offline");
}

#[test]
fn a_post_without_media_has_no_media_field() {
    let text = format!("# The ice road\n\nBy Jonas Eriksen\n\nThe road opened late.\n{TAIL}");
    let (report, _) = check_json("post.md", &text, &[]);
    let document = report["documents"][0].as_object().expect("document");
    assert!(!document.contains_key("media"), "{document:?}");
    assert_eq!(findings(&report), []);
}

#[test]
fn the_rule_can_be_turned_off_and_is_explained() {
    let text = "![x](https://upload.wikimedia.org/wikipedia/commons/a/ab/X.jpg)\n\nMy own notes.\n";
    let (report, _) = check_json("post.md", text, &[]);
    assert_eq!(
        findings(&report),
        [("missing-media-credit".to_owned(), 1, 1, 1, 64)]
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("post.md"), text).expect("write");
    std::fs::write(
        dir.path().join("ccguard.toml"),
        "[rules]\nmissing-media-credit = \"off\"\n",
    )
    .expect("write config");
    ccguard(dir.path())
        .args(["check", "--offline", "post.md"])
        .assert()
        .code(0);
    let out = ccguard(dir.path())
        .args(["explain", "missing-media-credit"])
        .output()
        .expect("explain");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("## What it checks"), "{text}");
    assert!(text.contains("Wikimedia Commons"), "{text}");
}

#[test]
fn a_rules_dir_adds_media_hosts_and_a_broken_file_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("more-rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("media-hosts.toml"),
        "[[hosts]]\nname = \"Our Archive\"\npatterns = [\"archive.example.net/free/\"]\nlicensing = \"free\"\n",
    )
    .expect("write hosts");
    let post = "![x](https://archive.example.net/free/1.jpg)\n\nMy own notes.\n";
    std::fs::write(dir.path().join("post.md"), post).expect("write");
    let out = ccguard(dir.path())
        .args([
            "check",
            "--offline",
            "--format",
            "json",
            "--rules",
            "more-rules",
            "post.md",
        ])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        findings(&report),
        [("missing-media-credit".to_owned(), 1, 1, 1, 45)]
    );
    assert!(
        report["documents"][0]["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("from Our Archive"))
    );
    std::fs::write(
        rules.join("media-hosts.toml"),
        "[[hosts]]\nname = \"Our Archive\"\npatterns = [\"https://archive.example.net\"]\nlicensing = \"free\"\n",
    )
    .expect("write hosts");
    let out = ccguard(dir.path())
        .args(["check", "--offline", "--rules", "more-rules", "post.md"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("media-hosts.toml"), "{stderr}");
    assert!(stderr.contains("without a scheme"), "{stderr}");
}
