//! Media credits through the binary: the JSON `media` inventory (CONTRACT §2) and the rule
//! `missing-media-credit`, on posts written into a temporary directory, `--offline`.

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

/// A MediaWiki API on 127.0.0.1 answering `prop=imageinfo&iiprop=extmetadata` queries in the
/// shape Wikimedia Commons answers them: `File:Harbour.jpg` and `File:Match.jpg` are CC BY-SA
/// 4.0, `File:Deleted.jpg` is missing, `File:Broken.jpg` is a server error. Returns its base
/// URL and the request paths it saw.
fn commons_api() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    logging_server(|url| {
        let json = |body: String| {
            tiny_http::Response::from_string(body).with_header(
                "Content-Type: application/json; charset=utf-8"
                    .parse::<tiny_http::Header>()
                    .expect("header"),
            )
        };
        let file = url
            .rsplit("titles=File:")
            .next()
            .unwrap_or_default()
            .to_owned();
        match file.as_str() {
                "Harbour.jpg" | "Match.jpg" => json(format!(
                    r#"{{"batchcomplete":"","query":{{"pages":{{"4711":{{"pageid":4711,"ns":6,"title":"File:{file}","imagerepository":"local","imageinfo":[{{"extmetadata":{{"DateTime":{{"value":"2024-05-01 10:00:00","source":"mediawiki-metadata","hidden":""}},"Artist":{{"value":"<a href=\"//commons.wikimedia.org/wiki/User:Ana_Ruiz\" title=\"User:Ana Ruiz\">Ana Ruiz</a>","source":"commons-desc-page"}},"LicenseShortName":{{"value":"CC BY-SA 4.0","source":"commons-desc-page","hidden":""}},"LicenseUrl":{{"value":"https://creativecommons.org/licenses/by-sa/4.0","source":"commons-desc-page","hidden":""}},"AttributionRequired":{{"value":"true","source":"commons-desc-page","hidden":""}}}}}}]}}}}}}}}"#
                )),
                "Deleted.jpg" => json(
                    r#"{"batchcomplete":"","query":{"pages":{"-1":{"ns":6,"title":"File:Deleted.jpg","missing":"","known":""}}}}"#
                        .to_owned(),
                ),
                _ => json("{}".to_owned()).with_status_code(500),
            }
    })
}

/// A server on 127.0.0.1 answering each request with `respond(path)`, in a thread of its own.
/// Returns its base URL and the request paths it saw, in order.
fn logging_server(
    respond: impl Fn(&str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> + Send + 'static,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let port = server.server_addr().to_ip().expect("ip").port();
    let seen: std::sync::Arc<std::sync::Mutex<Vec<String>>> = std::sync::Arc::default();
    let log = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let url = request.url().to_owned();
            log.lock().expect("log").push(url.clone());
            let _ = request.respond(respond(&url));
        }
    });
    (format!("http://127.0.0.1:{port}"), seen)
}

#[test]
fn online_commons_files_are_read_and_a_wrong_caption_license_is_a_mismatch() {
    let (base, seen) = commons_api();
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("more-rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("media-hosts.toml"),
        format!(
            "[[hosts]]\nname = \"Local Commons\"\npatterns = [\"127.0.0.1/wikipedia/commons/\"]\n\
             licensing = \"free\"\napi = \"{base}/w/api.php\"\n"
        ),
    )
    .expect("write hosts");
    let post = format!(
        "# Harbour notes\n\nMy own walk along the harbour this spring.\n\n\
         ![Harbour]({base}/wikipedia/commons/a/ab/Harbour.jpg)\n\
         *Photo: Ana Ruiz, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)*\n\n\
         The boats were out early.\n\n\
         ![Boats]({base}/wikipedia/commons/thumb/c/cd/Match.jpg/640px-Match.jpg)\n\
         *Photo: Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)*\n\n\
         The ferry left at noon.\n\n\
         ![Ferry]({base}/wikipedia/commons/e/ef/Deleted.jpg)\n\
         *Photo: Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)*\n\n\
         The gulls stayed.\n\n\
         ![Gulls]({base}/wikipedia/commons/0/01/Broken.jpg)\n\
         *Photo: Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)*\n"
    );
    std::fs::write(dir.path().join("post.md"), post).expect("write post");
    let out = ccguard(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--allow-private-hosts",
            "--no-cache",
        ])
        .args(["--rules", "more-rules", "post.md"])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // End columns (exclusive) of the two images, whose URLs hold the server's port.
    let ferry = format!("![Ferry]({base}/wikipedia/commons/e/ef/Deleted.jpg)")
        .chars()
        .count();
    let gulls = format!("![Gulls]({base}/wikipedia/commons/0/01/Broken.jpg)")
        .chars()
        .count();
    let as_u64 = |n: usize| u64::try_from(n + 1).expect("small");
    assert_eq!(
        findings(&report),
        [
            ("media-license-mismatch".to_owned(), 6, 20, 6, 29),
            ("media-unverified".to_owned(), 15, 1, 15, as_u64(ferry)),
            ("media-unverified".to_owned(), 20, 1, 20, as_u64(gulls)),
        ],
        "{report:#}"
    );
    assert_eq!(out.status.code(), Some(1));
    let document = &report["documents"][0];
    assert_eq!(
        document["findings"][0]["message"],
        "the caption names CC BY 4.0 but the source states CC BY-SA 4.0"
    );
    let verified: Vec<&str> = document["media"]
        .as_array()
        .expect("media")
        .iter()
        .map(|m| m["verified"].as_str().expect("verified"))
        .collect();
    assert_eq!(verified, ["mismatch", "match", "unreadable", "unreadable"]);
    // Each file asked once (the server error retried, as the fetcher retries any).
    let mut asked = seen.lock().expect("log").clone();
    asked.sort();
    asked.dedup();
    assert_eq!(asked.len(), 4, "{asked:?}");
    assert!(asked.iter().all(|u| u.starts_with(
        "/w/api.php?action=query&format=json&prop=imageinfo&iiprop=extmetadata&titles=File:"
    )));

    // Offline, nothing is asked and every CC medium is `offline`.
    let before = seen.lock().expect("log").len();
    let out = ccguard(dir.path())
        .args([
            "check",
            "--offline",
            "--format",
            "json",
            "--allow-private-hosts",
        ])
        .args(["--rules", "more-rules", "post.md"])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(findings(&report), []);
    assert!(
        report["documents"][0]["media"]
            .as_array()
            .expect("media")
            .iter()
            .all(|m| m["verified"] == "offline")
    );
    assert_eq!(seen.lock().expect("log").len(), before);
}

#[test]
fn without_allow_private_hosts_a_loopback_api_is_refused_and_unverified() {
    let (base, seen) = commons_api();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("media-hosts.toml"),
        format!(
            "[[hosts]]\nname = \"Local Commons\"\npatterns = [\"127.0.0.1/wikipedia/commons/\"]\n\
             licensing = \"free\"\napi = \"{base}/w/api.php\"\n"
        ),
    )
    .expect("write hosts");
    let post = format!(
        "My own notes.\n\n![Harbour]({base}/wikipedia/commons/a/ab/Harbour.jpg)\n\
         *Photo: Ana Ruiz, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)*\n"
    );
    std::fs::write(dir.path().join("post.md"), post).expect("write post");
    let out = ccguard(dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--no-cache",
            "--rules",
            ".",
            "post.md",
        ])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["media-unverified"], "{report:#}");
    assert_eq!(report["documents"][0]["media"][0]["verified"], "unreadable");
    assert!(seen.lock().expect("log").is_empty());
}

/// A Flickr-like site on 127.0.0.1, in the shape of Flickr's photo pages: `photo.gne?id=ID`
/// redirects to `/photos/OWNER/ID/`, whose license link carries `rel="license cc:license"` and
/// the class `photo-license-url`, and whose owner link the class `owner-name`. Photo 5271 is
/// Maja Lind's under CC BY 2.0, photo 8080 Tom Keller's with all rights reserved, photo 9999
/// is gone (404). Returns its base URL and the request paths it saw.
fn flickr_site() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let page = |owner: &str, name: &str, license: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"en-us\"><head><meta charset=\"utf-8\">\
             <title>Dock at dawn | Flickr</title></head><body>\
             <div class=\"photo-page-scrappy-view\"><div class=\"attribution-info\">\
             <a class=\"owner-name truncate\" href=\"/photos/{owner}/\" \
             data-track=\"attributionNameClick\">{name}</a></div>\
             <div class=\"view photo-title-desc-view\"><h1>Dock at dawn</h1></div>\
             <div class=\"photo-license-info\">{license}</div></div></body></html>"
        )
    };
    let by = page(
        "majalind",
        "Maja Lind",
        "<a class=\"photo-license-url\" href=\"https://creativecommons.org/licenses/by/2.0/\" \
         rel=\"license cc:license\" target=\"_blank\"><span>Some rights reserved</span></a>",
    );
    let reserved = page(
        "tomk",
        "Tom Keller",
        "<span class=\"photo-license-url\"><span>All rights reserved</span></span>",
    );
    logging_server(move |url| {
        let html = |body: &str| {
            tiny_http::Response::from_string(body).with_header(
                "Content-Type: text/html; charset=utf-8"
                    .parse::<tiny_http::Header>()
                    .expect("header"),
            )
        };
        let redirect = |to: String| {
            tiny_http::Response::from_string("")
                .with_status_code(302)
                .with_header(
                    format!("Location: {to}")
                        .parse::<tiny_http::Header>()
                        .expect("header"),
                )
        };
        match url {
            "/photo.gne?id=5271" => redirect("/photos/majalind/5271/".to_owned()),
            "/photo.gne?id=9999" => redirect("/photos/gone/9999/".to_owned()),
            "/photos/majalind/5271/" => html(&by),
            "/photos/tomk/8080/" => html(&reserved),
            _ => html("<p>Page not found</p>").with_status_code(404),
        }
    })
}

/// A `--rules` dir whose media-hosts file puts a Flickr-like host at `base`.
fn local_flickr_rules(dir: &std::path::Path, base: &str) {
    let rules = dir.join("more-rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("media-hosts.toml"),
        format!(
            "[[hosts]]\nname = \"Local Flickr\"\npatterns = [\"127.0.0.1/static/\", \"127.0.0.1/photos/\"]\n\
             licensing = \"mixed\"\nphoto_page = \"{base}/photo.gne?id={{id}}\"\n"
        ),
    )
    .expect("write hosts");
}

#[test]
fn online_flickr_photo_pages_are_read_through_redirects_and_cached() {
    let (base, seen) = flickr_site();
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    local_flickr_rules(dir.path(), &base);
    let post = format!(
        "# Harbour notes\n\nMy own walk along the harbour.\n\n\
         ![Dock]({base}/static/65535/5271_5f3c_b.jpg)\n\
         *Photo: Maja Lind, [CC BY 2.0](https://creativecommons.org/licenses/by/2.0/)*\n\n\
         The pier was closed.\n\n\
         ![Pier]({base}/static/65535/8080_a1b2_b.jpg)\n\
         *Photo: [Tom Keller]({base}/photos/tomk/8080/), [CC BY 2.0](https://creativecommons.org/licenses/by/2.0/)*\n\n\
         The boat had left.\n\n\
         ![Boat]({base}/static/65535/9999_c3d4_b.jpg)\n\
         *Photo: Ana Ruiz, [CC BY 2.0](https://creativecommons.org/licenses/by/2.0/)*\n"
    );
    std::fs::write(dir.path().join("post.md"), &post).expect("write post");
    let run = || {
        let out = ccguard(dir.path())
            .args(["check", "--format", "json", "--allow-private-hosts"])
            .arg("--cache-dir")
            .arg(cache.path())
            .args(["--rules", "more-rules", "post.md"])
            .output()
            .expect("run");
        let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        (report, out.status.code())
    };
    let (report, code) = run();
    let boat = format!("![Boat]({base}/static/65535/9999_c3d4_b.jpg)")
        .chars()
        .count();
    // The claim is the link text "CC BY 2.0" after "[".
    let pier_claim = format!("*Photo: [Tom Keller]({base}/photos/tomk/8080/), [")
        .chars()
        .count();
    let col = |n: usize| u64::try_from(n + 1).expect("small");
    assert_eq!(
        findings(&report),
        [
            (
                "media-license-mismatch".to_owned(),
                11,
                col(pier_claim),
                11,
                col(pier_claim + "CC BY 2.0".len())
            ),
            ("media-unverified".to_owned(), 15, 1, 15, col(boat)),
        ],
        "{report:#}"
    );
    assert_eq!(code, Some(1));
    let document = &report["documents"][0];
    assert_eq!(
        document["findings"][0]["message"],
        "the caption names CC BY 2.0 but the source states All rights reserved"
    );
    assert_eq!(
        document["findings"][1]["message"],
        "this medium's source could not be read: HTTP 404 Not Found"
    );
    let verified: Vec<&str> = document["media"]
        .as_array()
        .expect("media")
        .iter()
        .map(|m| m["verified"].as_str().expect("verified"))
        .collect();
    assert_eq!(verified, ["match", "mismatch", "unreadable"]);
    assert_eq!(
        document["media"][1]["source"],
        format!("{base}/photos/tomk/8080/")
    );
    // The static URLs' ids through photo.gne and its redirect; the caption's photo page as is.
    let asked = seen.lock().expect("log").clone();
    assert_eq!(
        asked,
        [
            "/photo.gne?id=5271",
            "/photos/majalind/5271/",
            "/photos/tomk/8080/",
            "/photo.gne?id=9999",
            "/photos/gone/9999/"
        ]
    );
    // A second run answers from the page cache: the pages read are not asked again.
    let (again, _) = run();
    assert_eq!(findings(&again), findings(&report));
    let repeated: Vec<String> = seen.lock().expect("log")[asked.len()..].to_vec();
    assert!(
        repeated.iter().all(|u| u.contains("9999")),
        "only the missing photo may be asked again: {repeated:?}"
    );
}

#[test]
fn a_credits_section_at_the_end_credits_the_media_it_lists() {
    let text = "<article><h1>Am Hafen</h1><p>Von Jonas Berg</p>\n\
        <p><img src=\"https://upload.wikimedia.org/wikipedia/commons/a/ab/Hafen_Morgen.jpg\" alt=\"Hafen\"></p>\n\
        <p>Der Hafen am Morgen, bevor die Boote ausfahren.</p>\n\
        <p><img src=\"https://upload.wikimedia.org/wikipedia/commons/c/cd/Mole.jpg\" alt=\"Mole\"></p>\n\
        <p>Die Mole wurde im Winter erneuert.</p>\n\
        <h2>Bildnachweis</h2>\n\
        <ul><li>Mole.jpg: Lea Kim, <a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>, via Wikimedia Commons</li>\n\
        <li>Hafen_Morgen.jpg: Ana Ruiz, <a href=\"https://creativecommons.org/licenses/by-sa/4.0/\">CC BY-SA 4.0</a>, via Wikimedia Commons</li></ul>\n\
        <p>Zuerst erschienen bei <a href=\"https://example.org/hafen\">Hafenblatt</a> unter \
        <a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>.</p></article>\n";
    let (report, code) = check_json("post.html", text, &[]);
    assert_eq!(findings(&report), [], "{report:#}");
    assert_eq!(code, 0);
    let media = &report["documents"][0]["media"];
    assert_eq!(
        media[0]["credit"],
        json!({"name": "Ana Ruiz", "line": 8, "column": 23})
    );
    assert_eq!(media[0]["license"]["id"], "CC-BY-SA-4.0");
    assert_eq!(
        media[1]["credit"],
        json!({"name": "Lea Kim", "line": 7, "column": 19})
    );
    assert_eq!(media[1]["license"]["id"], "CC-BY-4.0");
    // Without the section, both Commons files lack their credit.
    let bare = text.replace("<h2>Bildnachweis</h2>", "<h2>Mehr</h2>");
    let (report, _) = check_json("post.html", &bare, &[]);
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["missing-media-credit", "missing-media-credit"]);
}

/// `ccguard report --format FORMAT` (reports never go online) of the posts `(name, text)` written into a
/// temporary directory; the report's text.
fn site_report(posts: &[(&str, &str)], format: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in posts {
        std::fs::write(dir.path().join(name), text).expect("write post");
    }
    let out = ccguard(dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["report", "--format", format, "--output", "report.out"])
        .args(posts.iter().map(|(name, _)| name))
        .output()
        .expect("run report");
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    std::fs::read_to_string(dir.path().join("report.out")).expect("report written")
}

const REPORT_POSTS: [(&str, &str); 3] = [
    (
        "harbour.md",
        "# Harbour\n\nMy own walk.\n\n\
         ![Dock](https://upload.wikimedia.org/wikipedia/commons/a/ab/Dock.jpg)\n\
         *Photo: Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/), via Wikimedia Commons*\n\n\
         The pier.\n\n\
         ![Pier](https://live.staticflickr.com/1/2_b.jpg)\n*Photo: Maja Lind, CC BY*\n",
    ),
    (
        "hostile.html",
        "<p>My own notes.</p>\n<figure><img src=\"https://upload.wikimedia.org/wikipedia/commons/a/ab/X.jpg?q=&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;|`x`\"></figure>\n\
         <figure><img src=\"https://example.org/wall.jpg\"><figcaption>(AP Photo/Tom Keller)</figcaption></figure>\n",
    ),
    ("plain.md", "# Notes\n\nNo pictures here.\n"),
];

#[test]
fn the_site_report_lists_cc_media_with_credit_license_and_verdict_escaped() {
    let html = site_report(&REPORT_POSTS, "html");
    let page = scraper::Html::parse_document(&html);
    assert!(page.errors.is_empty(), "{:?}", page.errors);
    let rows = scraper::Selector::parse("#media tbody tr").expect("selector");
    let cells = scraper::Selector::parse("td").expect("selector");
    let table: Vec<Vec<String>> = page
        .select(&rows)
        .map(|row| {
            row.select(&cells)
                .map(|c| c.text().collect::<String>())
                .collect()
        })
        .collect();
    assert_eq!(
        table,
        [
            vec![
                "image https://upload.wikimedia.org/wikipedia/commons/a/ab/Dock.jpg".to_owned(),
                "harbour.md:5:1".to_owned(),
                "Ana Ruiz".to_owned(),
                "CC-BY-SA-4.0".to_owned(),
                "offline".to_owned()
            ],
            vec![
                "image https://live.staticflickr.com/1/2_b.jpg".to_owned(),
                "harbour.md:10:1".to_owned(),
                "Maja Lind incomplete".to_owned(),
                "CC-BY".to_owned(),
                "offline".to_owned()
            ],
            vec![
                "image https://upload.wikimedia.org/wikipedia/commons/a/ab/X.jpg?q=</td><script>alert(1)</script>|`x`".to_owned(),
                "hostile.html:2:9".to_owned(),
                "— incomplete".to_owned(),
                "not named".to_owned(),
                "offline".to_owned()
            ],
        ]
    );
    assert!(!html.contains("<script>alert"), "unescaped URL");
    assert!(
        html.contains("1 other medium"),
        "the agency photo is counted"
    );

    let md = site_report(&REPORT_POSTS, "markdown");
    let section = md
        .split("## Media credits\n\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a media credits section");
    assert_eq!(
        section,
        "Photos, videos and audio under a CC license, by post; 1 other medium not under one (agency photos, media with no license named) is not listed.\n\n\
         | medium | post | credit | license | verified |\n|---|---|---|---|---|\n\
         | image https://upload.wikimedia.org/wikipedia/commons/a/ab/Dock.jpg | harbour.md:5:1 | Ana Ruiz | CC-BY-SA-4.0 | offline |\n\
         | image https://live.staticflickr.com/1/2\\_b.jpg | harbour.md:10:1 | Maja Lind (incomplete) | CC-BY | offline |\n\
         | image https://upload.wikimedia.org/wikipedia/commons/a/ab/X.jpg?q=&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\|\\`x\\` | hostile.html:2:9 | — (incomplete) | not named | offline |\n"
    );
    // A site without media gets no media section.
    let plain = site_report(&REPORT_POSTS[2..], "markdown");
    assert!(!plain.contains("Media credits"), "{plain}");
}

#[test]
fn attribution_writes_a_media_credit_line_that_check_accepts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = |format: &str, title: &str| {
        let out = ccguard(dir.path())
            .args(["attribution", "--media", "image", "--title", title])
            .args(["--author", "Maja Lind", "--license", "CC-BY-2.0"])
            .args(["--source", "https://www.flickr.com/photos/majalind/5271/"])
            .args(["--format", format])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    assert_eq!(
        line("text", "Dock at dawn"),
        "Photo: Maja Lind, \"Dock at dawn\" (https://www.flickr.com/photos/majalind/5271/), \
         CC BY 2.0 (https://creativecommons.org/licenses/by/2.0/), via Flickr\n"
    );
    let markdown = line("markdown", "Dock at dawn");
    assert_eq!(
        markdown,
        "Photo: Maja Lind, [\"Dock at dawn\"](https://www.flickr.com/photos/majalind/5271/), \
         [CC BY 2.0](https://creativecommons.org/licenses/by/2.0/), via Flickr\n"
    );
    assert_eq!(
        line("html", "<b>Dock</b>"),
        "Photo: Maja Lind, <a href=\"https://www.flickr.com/photos/majalind/5271/\">\u{201c}&lt;b&gt;Dock&lt;/b&gt;\u{201d}</a>, \
         <a href=\"https://creativecommons.org/licenses/by/2.0/\">CC BY 2.0</a>, via Flickr\n"
    );
    // Under its photo, the line is a complete credit: no finding, and the post stays original.
    let post = format!(
        "# Harbour\n\nMy own walk.\n\n![Dock](https://live.staticflickr.com/65535/5271_5f3c_b.jpg)\n{markdown}\nMore text.\n"
    );
    let (report, code) = check_json("post.md", &post, &[]);
    assert_eq!((findings(&report), code), (vec![], 0), "{report:#}");
    assert_eq!(report["documents"][0]["is_repost"], false);
    assert_eq!(
        report["documents"][0]["media"][0]["credit"]["name"],
        "Maja Lind"
    );
    // The contract's flags still refuse what they refused.
    ccguard(dir.path())
        .args([
            "attribution",
            "--media",
            "video",
            "--title",
            "x",
            "--author",
            "y",
        ])
        .args(["--source", "https://vimeo.com/1", "--license", "CC-BY-9.0"])
        .assert()
        .code(2);
}

/// A `more-rules` dir under `dir` whose media-hosts file puts a Commons-like API at `commons`
/// ("Local Commons") and Flickr-like photo pages at `flickr` ("Local Flickr").
fn local_media_rules(dir: &std::path::Path, commons: &str, flickr: &str) {
    let rules = dir.join("more-rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("media-hosts.toml"),
        format!(
            "[[hosts]]\nname = \"Local Commons\"\npatterns = [\"127.0.0.1/wikipedia/commons/\"]\n\
             licensing = \"free\"\napi = \"{commons}/w/api.php\"\n\n\
             [[hosts]]\nname = \"Local Flickr\"\npatterns = [\"127.0.0.1/static/\", \"127.0.0.1/photos/\"]\n\
             licensing = \"mixed\"\nphoto_page = \"{flickr}/photo.gne?id={{id}}\"\n"
        ),
    )
    .expect("write hosts");
}

/// `fixtures/fix/media-credit/NAME` with `{{COMMONS}}` and `{{FLICKR}}` replaced.
fn fix_fixture(name: &str, commons: &str, flickr: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fix/media-credit")
        .join(name);
    std::fs::read_to_string(path)
        .expect("fixture")
        .replace("{{COMMONS}}", commons)
        .replace("{{FLICKR}}", flickr)
}

#[test]
fn fix_inserts_media_credits_from_verified_sources_after_each_medium() {
    let (commons, _) = commons_api();
    let (flickr, _) = flickr_site();
    for ext in ["md", "html"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = tempfile::tempdir().expect("cache");
        local_media_rules(dir.path(), &commons, &flickr);
        let name = format!("post.{ext}");
        let path = dir.path().join(&name);
        std::fs::write(
            &path,
            fix_fixture(&format!("before.{ext}"), &commons, &flickr),
        )
        .expect("write post");
        let online = |command: &str| {
            let mut cmd = ccguard(dir.path());
            cmd.args([command, "--allow-private-hosts", "--rules", "more-rules"])
                .arg("--cache-dir")
                .arg(cache.path());
            cmd
        };
        let out = online("check")
            .args(["--format", "json", &name])
            .output()
            .expect("check");
        let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let rules_before: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
        assert_eq!(
            rules_before,
            ["missing-media-credit", "missing-media-credit"],
            "{ext}: {report:#}"
        );
        let out = online("fix").arg(&name).output().expect("fix");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(out.status.code(), Some(0), "{ext}: {stdout}");
        assert_eq!(
            stdout.matches(": fixed missing-media-credit: ").count(),
            2,
            "{ext}: {stdout}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            fix_fixture(&format!("after.{ext}"), &commons, &flickr),
            "{ext}"
        );
        let out = online("check")
            .args(["--format", "json", &name])
            .output()
            .expect("check");
        let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(findings(&report), [], "{ext}: {report:#}");
        assert_eq!(report["documents"][0]["is_repost"], false, "{ext}");
        let again = online("fix").arg(&name).output().expect("fix");
        assert_eq!(
            String::from_utf8_lossy(&again.stdout),
            "",
            "{ext}: a second run"
        );
        // Offline, nothing is verified, so nothing is fixed.
        std::fs::write(
            &path,
            fix_fixture(&format!("before.{ext}"), &commons, &flickr),
        )
        .expect("write post");
        let out = ccguard(dir.path())
            .args(["fix", "--offline", "--rules", "more-rules", &name])
            .output()
            .expect("fix");
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains(": fixed "),
            "{ext}: {out:?}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            fix_fixture(&format!("before.{ext}"), &commons, &flickr)
        );
    }
}

#[derive(serde::Deserialize)]
struct OnlineExpected {
    rules: Vec<String>,
    #[serde(default)]
    positions: Vec<OnlinePosition>,
}

#[derive(serde::Deserialize)]
struct OnlinePosition {
    rule: String,
    line: u64,
    column: u64,
}

#[test]
fn online_media_rule_fixtures_yield_exactly_their_expected_findings() {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/http/media");
    let expected: std::collections::BTreeMap<String, OnlineExpected> =
        toml::from_str(&std::fs::read_to_string(base.join("expected.toml")).expect("expected"))
            .expect("expected.toml parses");
    // Every fixture is listed, and pass/fail names agree with the rule of their directory.
    let mut files = Vec::new();
    for rule in ["media-license-mismatch", "media-unverified"] {
        for file in std::fs::read_dir(base.join(rule)).expect("rule dir") {
            let name = file
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            let key = format!("{rule}/{name}");
            let want = expected
                .get(&key)
                .unwrap_or_else(|| panic!("{key} is not in expected.toml"));
            assert_eq!(
                name.starts_with("fail-"),
                want.rules.contains(&rule.to_owned()),
                "{key}"
            );
            files.push(key);
        }
    }
    files.sort();
    assert_eq!(files, expected.keys().cloned().collect::<Vec<_>>());
    let (commons, _) = commons_api();
    let (flickr, _) = flickr_site();
    let dir = tempfile::tempdir().expect("tempdir");
    local_media_rules(dir.path(), &commons, &flickr);
    let mut failures = Vec::new();
    for (key, want) in &expected {
        let name = key.replace('/', "--");
        let text = std::fs::read_to_string(base.join(key))
            .expect("fixture")
            .replace("{{COMMONS}}", &commons)
            .replace("{{FLICKR}}", &flickr);
        std::fs::write(dir.path().join(&name), text).expect("write");
        let out = ccguard(dir.path())
            .args([
                "check",
                "--format",
                "json",
                "--allow-private-hosts",
                "--no-cache",
            ])
            .args(["--rules", "more-rules", &name])
            .output()
            .expect("run");
        let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let got = findings(&report);
        let rules: Vec<String> = got.iter().map(|f| f.0.clone()).collect();
        if rules != want.rules {
            failures.push(format!("{key}: expected {:?}, got {got:?}", want.rules));
        }
        for p in &want.positions {
            if !got
                .iter()
                .any(|f| f.0 == p.rule && (f.1, f.2) == (p.line, p.column))
            {
                failures.push(format!(
                    "{key}: no {} at {}:{}, got {got:?}",
                    p.rule, p.line, p.column
                ));
            }
        }
        // Offline the same file has no media finding: its source is never read.
        let out = ccguard(dir.path())
            .args([
                "check",
                "--offline",
                "--format",
                "json",
                "--rules",
                "more-rules",
                &name,
            ])
            .output()
            .expect("run");
        let offline: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        if !findings(&offline).is_empty() {
            failures.push(format!("{key}: offline findings {:?}", findings(&offline)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn without_allow_private_hosts_a_loopback_photo_page_is_refused_and_offline_asks_nothing() {
    let (base, seen) = flickr_site();
    let dir = tempfile::tempdir().expect("tempdir");
    local_flickr_rules(dir.path(), &base);
    let post = format!(
        "My own notes.\n\n![Dock]({base}/static/65535/5271_5f3c_b.jpg)\n\
         *Photo: Maja Lind, [CC BY 2.0](https://creativecommons.org/licenses/by/2.0/)*\n"
    );
    std::fs::write(dir.path().join("post.md"), post).expect("write post");
    let run = |extra: &[&str]| {
        let out = ccguard(dir.path())
            .args(["check", "--format", "json", "--no-cache"])
            .args(extra)
            .args(["--rules", "more-rules", "post.md"])
            .output()
            .expect("run");
        serde_json::from_slice::<Value>(&out.stdout).expect("JSON")
    };
    let report = run(&[]);
    let rules: Vec<String> = findings(&report).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["media-unverified"], "{report:#}");
    assert_eq!(report["documents"][0]["media"][0]["verified"], "unreadable");
    let report = run(&["--offline"]);
    assert_eq!(findings(&report), []);
    assert_eq!(report["documents"][0]["media"][0]["verified"], "offline");
    assert!(seen.lock().expect("log").is_empty());
}
