//! Parsing hostile pages never takes the run down: a tag of a hundred thousand attributes (which
//! overflowed html5gum's stack) is checked like any page, in a post and as a fetched original;
//! and a panic while one file is checked is that file's `internal-error` finding, the other files
//! are checked, and the run exits with code 2. Through the binary, on real files; the original
//! is served from 127.0.0.1 only.

use std::fmt::Write as _;
use std::path::Path;
use std::thread;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tiny_http::{Header, Response, Server};

/// Only a hang or a crash loop exceeds this.
const TIME_LIMIT: Duration = Duration::from_mins(5);

const ORDINARY: &str = "# Harbour lights\n\nBy Ana Ruiz. Originally published by The Harbour Review.\n\nLicensed under CC BY 4.0.\n";

/// What the ordinary post (and its HTML twin) gets: no link to the original, the license not
/// linked.
const ORDINARY_RULES: [&str; 2] = ["missing-source-link", "missing-license-link"];

const LICENSE: &str = "https://creativecommons.org/licenses/by/4.0/";

/// An HTML page credited to Ana Ruiz whose license link comes after `count` double-quoted
/// attributes on the link itself.
fn many_attributes(count: usize) -> String {
    let mut attributes = String::new();
    for i in 0..count {
        let _ = write!(attributes, " data-a{i}=\"{i}\"");
    }
    format!(
        "<!doctype html>\n<html><head><title>Harbour lights</title></head><body><article>\n\
         <h1>Harbour lights</h1>\n<p>By Ana Ruiz.</p>\n\
         <p>The harbour lights were switched off for the first time in a century.</p>\n\
         <p>Licensed under <a{attributes} rel=\"license\" href=\"{LICENSE}\">CC BY 4.0</a>.</p>\n\
         </article></body></html>\n"
    )
}

fn ccguard() -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.env("NO_COLOR", "1")
        .env_remove(ccguard::check::TEST_PANIC_VAR)
        .env_remove("CCGUARD_OFFLINE")
        .timeout(TIME_LIMIT);
    cmd
}

/// The JSON report of `cmd`, with its exit code and stderr.
fn json_of(cmd: &mut Command) -> (i32, Value, String) {
    let out = cmd.output().expect("run ccguard");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); exit {:?}; stderr: {stderr}", out.status));
    (out.status.code().expect("exit code"), json, stderr)
}

/// The JSON document whose path ends with `name`.
fn doc<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("no document {name} in {json:#}"))
}

fn rules(doc: &Value) -> Vec<&str> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect()
}

#[test]
fn tags_of_ten_and_a_hundred_thousand_attributes_are_checked_beside_an_ordinary_post() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("ten-thousand.html"),
        many_attributes(10_000),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("hundred-thousand.html"),
        many_attributes(100_000),
    )
    .expect("write");
    std::fs::write(dir.path().join("ordinary.md"), ORDINARY).expect("write");
    let (code, json, stderr) = json_of(
        ccguard()
            .args(["check", "--offline", "--format", "json"])
            .arg(dir.path()),
    );
    // The ordinary post lacks its source link: an error, so exit 1 (not 134, not 2).
    assert_eq!(code, 1, "stderr: {stderr}");
    assert_eq!(json["summary"]["documents"], 3);
    for name in ["ten-thousand.html", "hundred-thousand.html"] {
        let page = doc(&json, name);
        // Credited to Ana Ruiz, a repost without a source link; the license link after the
        // attributes is read with its rel and href.
        assert_eq!(rules(page), ["missing-source-link"], "{name}: {page:#}");
        assert_eq!(page["license"]["id"], "CC-BY-4.0", "{name}");
        assert_eq!(page["license"]["linked"], true, "{name}");
        assert_eq!(page["credits"][0]["name"], "Ana Ruiz", "{name}");
    }
    assert_eq!(rules(doc(&json, "ordinary.md")), ORDINARY_RULES);
}

/// Serve `page` at every path on 127.0.0.1; the base URL.
fn serve(page: String) -> String {
    let server = Server::http("127.0.0.1:0").expect("bind");
    let port = server.server_addr().to_ip().expect("ip address").port();
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let header = Header::from_bytes(&b"Content-Type"[..], &b"text/html; charset=utf-8"[..])
                .expect("header");
            let _ = request.respond(Response::from_string(page.clone()).with_header(header));
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[test]
fn an_original_of_a_hundred_thousand_attributes_is_fetched_and_read() {
    let base = serve(many_attributes(100_000));
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    std::fs::write(
        dir.path().join("repost.md"),
        format!(
            "# Harbour lights\n\nBy Ana Ruiz. Originally published by \
             [The Harbour Review]({base}/original.html).\n\n\
             Licensed under [CC BY 4.0]({LICENSE}).\n"
        ),
    )
    .expect("write");
    std::fs::write(dir.path().join("ordinary.md"), ORDINARY).expect("write");
    let mut cmd = ccguard();
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_PROXY", "127.0.0.1,localhost")
        .args([
            "check",
            "--format",
            "json",
            "--allow-private-hosts",
            "--host-interval",
            "0",
        ])
        .arg("--cache-dir")
        .arg(cache.path())
        .arg(dir.path());
    let (code, json, stderr) = json_of(&mut cmd);
    assert_eq!(code, 1, "the ordinary post's error; stderr: {stderr}");
    let repost = doc(&json, "repost.md");
    assert_eq!(rules(repost), Vec::<&str>::new(), "{repost:#}");
    let upstream = &repost["upstream"][0];
    assert_eq!(upstream["url"], format!("{base}/original.html"));
    assert_eq!(upstream["status"], 200);
    assert_eq!(upstream["license"]["id"], "CC-BY-4.0", "{upstream:#}");
    assert_eq!(upstream["authors"], serde_json::json!(["Ana Ruiz"]));
    assert_eq!(rules(doc(&json, "ordinary.md")), ORDINARY_RULES);
}

/// A directory with a post whose check panics (through the test hook) beside two ordinary ones.
fn with_a_panicking_post() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = "<h1>Harbour lights</h1><p>By Ana Ruiz. Originally published by The Harbour Review.</p><p>Licensed under CC BY 4.0.</p>";
    for (name, text) in [
        ("a-ordinary.md", ORDINARY),
        ("boom.md", ORDINARY),
        ("z-ordinary.html", html),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

fn panicking(dir: &Path, format: &str, fail_on: &str) -> Command {
    let mut cmd = ccguard();
    cmd.env(ccguard::check::TEST_PANIC_VAR, "boom.md")
        .args([
            "check",
            "--offline",
            "--format",
            format,
            "--fail-on",
            fail_on,
        ])
        .arg(dir);
    cmd
}

#[test]
fn a_panic_in_one_file_is_its_internal_error_and_the_other_files_are_checked() {
    let dir = with_a_panicking_post();
    let (code, json, stderr) = json_of(&mut panicking(dir.path(), "json", "never"));
    assert_eq!(code, 2, "exit 2 whatever --fail-on says; stderr: {stderr}");
    let boom = doc(&json, "boom.md");
    assert_eq!(rules(boom), ["internal-error"], "{boom:#}");
    let finding = &boom["findings"][0];
    assert_eq!(finding["severity"], "error");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(1), Some(1))
    );
    let message = finding["message"].as_str().expect("message");
    assert!(
        message.starts_with("checking this file hit a bug in ccguard (CCGUARD_TEST_PANIC names this file, at src/check/internal_error.rs:")
            && message.ends_with("); please report it"),
        "{message}"
    );
    assert!(finding["help"].as_str().expect("help").contains("report"));
    for name in ["a-ordinary.md", "z-ordinary.html"] {
        assert_eq!(rules(doc(&json, name)), ORDINARY_RULES, "{name}");
    }
    assert_eq!(
        json["summary"],
        serde_json::json!({"documents": 3, "errors": 3, "warnings": 2, "infos": 0, "unverified_sources": 0})
    );
    // Said once, without the panic's own message and backtrace note in the middle of the output.
    assert_eq!(stderr.matches("internal error").count(), 1, "{stderr}");
    assert!(stderr.contains("1 file;"), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
}

#[test]
fn every_format_reports_the_internal_error_and_exits_2() {
    let dir = with_a_panicking_post();
    for format in ["human", "sarif", "github", "junit"] {
        let out = panicking(dir.path(), format, "error")
            .output()
            .expect("run ccguard");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{format}: {stdout}");
        assert!(stdout.contains("internal-error"), "{format}: {stdout}");
        assert!(
            stdout.contains("hit a bug in ccguard"),
            "{format}: {stdout}"
        );
        assert!(stdout.contains("boom.md"), "{format}: {stdout}");
        assert!(stdout.contains("missing-source-link"), "{format}: {stdout}");
    }
    let human = panicking(dir.path(), "human", "error")
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&human.stdout).contains("3 documents: 3 errors, 2 warnings"),
        "{}",
        String::from_utf8_lossy(&human.stdout)
    );
}

#[test]
fn internal_error_is_explained_like_every_rule() {
    let out = ccguard()
        .args(["explain", "internal-error"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("# internal-error (error)\n"), "{text}");
    for heading in [
        "## What it checks",
        "## Why",
        "## Passes",
        "## Fails",
        "## How to fix",
    ] {
        assert!(text.contains(heading), "{heading} in {text}");
    }
}
