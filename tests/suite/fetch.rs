//! Fetching and upstream verification against a real HTTP server on 127.0.0.1 (tiny_http)
//! serving `fixtures/http/`: every case of the issue, through the binary, with request counts.
//! Nothing here touches the internet; proxy variables are removed from the child's environment.

use crate::common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use tiny_http::{Header, Request, Response, Server};

/// A local server over `fixtures/http/` that counts requests per path.
struct TestServer {
    base: String,
    counts: Arc<Mutex<HashMap<String, usize>>>,
}

impl TestServer {
    fn start() -> TestServer {
        let server = Server::http("127.0.0.1:0").expect("bind");
        let port = server.server_addr().to_ip().expect("ip address").port();
        let counts: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let shared = Arc::clone(&counts);
        thread::spawn(move || {
            for request in server.incoming_requests() {
                let path = request.url().to_owned();
                let n = {
                    let mut counts = shared.lock().expect("counts");
                    let n = counts.entry(path.clone()).or_default();
                    *n += 1;
                    *n
                };
                thread::spawn(move || respond(request, &path, n));
            }
        });
        TestServer {
            base: format!("http://127.0.0.1:{port}"),
            counts,
        }
    }

    fn count(&self, path: &str) -> usize {
        self.counts
            .lock()
            .expect("counts")
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    fn total(&self) -> usize {
        self.counts.lock().expect("counts").values().sum()
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header")
}

fn file(path: &str) -> Option<(Vec<u8>, &'static str)> {
    let relative = path.trim_start_matches('/');
    if relative.contains("..") {
        return None;
    }
    let bytes = std::fs::read(common::root().join("fixtures/http").join(relative)).ok()?;
    let extension = Path::new(relative)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let kind = if extension == "pdf" {
        "application/pdf"
    } else if extension == "md" {
        "text/markdown; charset=utf-8"
    } else if relative.starts_with("reposts/") {
        // The repost declares its charset only in <meta>.
        "text/html"
    } else {
        "text/html; charset=utf-8"
    };
    Some((bytes, kind))
}

fn serve_file(request: Request, path: &str) {
    let _ = match file(path) {
        Some((mut bytes, kind)) => {
            if path.starts_with("/reposts/") {
                let host = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Host"))
                    .map(|h| h.value.to_string())
                    .unwrap_or_default();
                let base = format!("http://{host}");
                bytes = replace(&bytes, b"{{BASE}}", base.as_bytes());
            }
            request.respond(
                Response::from_data(bytes)
                    .with_header(header("Content-Type", kind))
                    .with_header(header("ETag", "\"v1\"")),
            )
        }
        None => request.respond(Response::from_string("not found").with_status_code(404)),
    };
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn respond(request: Request, path: &str, nth: usize) {
    let _ = match path {
        "/test/flaky" if nth == 1 => {
            request.respond(Response::from_string("oops").with_status_code(500))
        }
        "/test/ratelimited" if nth == 1 => request.respond(
            Response::from_string("slow down")
                .with_status_code(429)
                .with_header(header("Retry-After", "1")),
        ),
        "/test/flaky" | "/test/ratelimited" => {
            return serve_file(request, "/originals/by-nc-4.html");
        }
        "/test/loop" => request.respond(
            Response::from_string("")
                .with_status_code(302)
                .with_header(header("Location", "/test/loop")),
        ),
        "/test/huge" => {
            let body = "<p>filler</p>\n".repeat(100_000);
            request.respond(
                Response::from_data(body.into_bytes())
                    .with_header(header("Content-Type", "text/html")),
            )
        }
        "/test/slow" => {
            thread::sleep(Duration::from_secs(3));
            return serve_file(request, "/originals/by-nc-4.html");
        }
        _ if path.starts_with("/go/") => request.respond(
            Response::from_string("")
                .with_status_code(301)
                .with_header(header("Location", &path["/go".len()..])),
        ),
        _ => return serve_file(request, path),
    };
}

/// A temp dir with the named posts from `fixtures/http/posts/`, `{{BASE}}` replaced.
fn posts(server: &TestServer, names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in names {
        let template =
            std::fs::read_to_string(common::root().join("fixtures/http/posts").join(name))
                .expect("post template");
        std::fs::write(
            dir.path().join(name),
            template.replace("{{BASE}}", &server.base),
        )
        .expect("write post");
    }
    dir
}

fn ccguard(cache: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ccguard").expect("binary");
    cmd.current_dir(common::root()).env("NO_COLOR", "1");
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "CCGUARD_OFFLINE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_PROXY", "127.0.0.1,localhost")
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg("--cache-dir")
        .arg(cache)
        .args(["--host-interval", "0"]);
    cmd
}

fn run(cmd: &mut Command, inputs: &[PathBuf]) -> Value {
    let out = cmd.args(inputs).output().expect("run ccguard");
    assert!(
        out.status.success(),
        "ccguard failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The JSON document for the file named `name`.
fn doc<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .find(|d| d["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("no document {name}"))
}

fn rules(doc: &Value) -> Vec<String> {
    let mut ids: Vec<String> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn finding<'a>(doc: &'a Value, rule: &str) -> &'a Value {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {doc:#}"))
}

fn paths(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(|n| dir.join(n)).collect()
}

const LICENSE_CASES: &[&str] = &[
    "match.md",
    "mismatch.md",
    "nd-translated.md",
    "sa-relicensed.md",
    "unlicensed.md",
    "es-undisclosed.md",
    "es-disclosed.md",
    "no-author.md",
];

#[test]
fn originals_are_compared_with_what_the_repost_claims() {
    let server = TestServer::start();
    let dir = posts(&server, LICENSE_CASES);
    let cache = tempfile::tempdir().expect("cache");
    let json = run(
        ccguard(cache.path()).arg("--allow-private-hosts"),
        &paths(dir.path(), LICENSE_CASES),
    );

    let matching = doc(&json, "match.md");
    assert_eq!(rules(matching), Vec::<String>::new(), "{matching:#}");
    let upstream = &matching["upstream"][0];
    assert_eq!(
        upstream["url"],
        format!("{}/originals/by-nc-4.html", server.base)
    );
    assert_eq!(upstream["final_url"], upstream["url"]);
    assert_eq!(upstream["status"], 200);
    assert_eq!(upstream["license"]["id"], "CC-BY-NC-4.0");
    assert_eq!(upstream["license"]["evidence"][0]["line"], 11);
    assert_eq!(upstream["language"], "en");
    assert_eq!(upstream["title"], "Harbour lights");
    assert_eq!(upstream["authors"], serde_json::json!(["Ana Ruiz"]));
    assert_eq!(upstream["from_cache"], false);
    assert!(
        upstream["fetched_at"]
            .as_str()
            .expect("time")
            .ends_with('Z')
    );

    let mismatch = finding(doc(&json, "mismatch.md"), "upstream-license-mismatch");
    assert_eq!(mismatch["severity"], "error");
    assert_eq!(mismatch["line"], 12, "points at the repost's claim");
    let message = mismatch["message"].as_str().expect("message");
    assert!(
        message.starts_with("the repost says CC-BY-NC-4.0 but"),
        "{message}"
    );
    assert!(message.contains("CC-BY-NC-ND-4.0"), "{message}");
    assert!(message.contains("by-nc-nd-4.html line 11"), "{message}");

    let nd = doc(&json, "nd-translated.md");
    assert!(rules(nd).contains(&"nd-adaptation".to_owned()), "{nd:#}");
    assert_eq!(
        finding(nd, "nd-adaptation")["line"],
        8,
        "at the link to the ND original"
    );

    let sa = doc(&json, "sa-relicensed.md");
    assert!(rules(sa).contains(&"sa-relicensed".to_owned()), "{sa:#}");

    let unlicensed = finding(doc(&json, "unlicensed.md"), "upstream-unlicensed");
    assert!(
        unlicensed["message"]
            .as_str()
            .expect("message")
            .contains("All rights reserved"),
        "{unlicensed:#}"
    );

    let undisclosed = doc(&json, "es-undisclosed.md");
    assert_eq!(
        rules(undisclosed),
        ["missing-translation-disclosure"],
        "{undisclosed:#}"
    );
    assert_eq!(undisclosed["adaptation"]["from_language"], "es");
    assert_eq!(undisclosed["upstream"][0]["language"], "es");
    let disclosed = doc(&json, "es-disclosed.md");
    assert_eq!(rules(disclosed), Vec::<String>::new(), "{disclosed:#}");

    let no_author = finding(doc(&json, "no-author.md"), "missing-author-credit");
    assert!(
        no_author["help"]
            .as_str()
            .expect("help")
            .contains("Ana Ruiz"),
        "the help names the original's author: {no_author:#}"
    );

    // Offline, none of this is known: the ND, SA and language findings come from the original.
    let offline = run(
        ccguard(cache.path()).arg("--offline"),
        &paths(dir.path(), LICENSE_CASES),
    );
    assert_eq!(
        rules(doc(&offline, "nd-translated.md")),
        Vec::<String>::new()
    );
    assert_eq!(
        rules(doc(&offline, "es-undisclosed.md")),
        Vec::<String>::new()
    );
    assert_eq!(offline["summary"]["unverified_sources"], 8);
    assert_eq!(doc(&offline, "match.md")["upstream"], serde_json::json!([]));
}

#[test]
fn unreachable_originals_are_warnings_and_transient_errors_are_retried() {
    let server = TestServer::start();
    let names = [
        "link-404.md",
        "link-flaky.md",
        "link-ratelimited.md",
        "link-loop.md",
        "link-huge.md",
        "link-slow.md",
        "link-pdf.md",
    ];
    let dir = posts(&server, &names);
    let cache = tempfile::tempdir().expect("cache");
    let started = Instant::now();
    let json = run(
        ccguard(cache.path()).args([
            "--allow-private-hosts",
            "--timeout",
            "1",
            "--max-body",
            "100000",
        ]),
        &paths(dir.path(), &names),
    );
    let elapsed = started.elapsed();
    let unreachable = |name: &str| {
        let f = finding(doc(&json, name), "upstream-unreachable");
        assert_eq!(f["severity"], "warning");
        f["message"].as_str().expect("message").to_owned()
    };
    assert!(unreachable("link-404.md").ends_with("HTTP 404 Not Found"));
    assert!(unreachable("link-loop.md").contains("more than 10 redirects"));
    assert!(unreachable("link-huge.md").contains("larger than 100000 bytes"));
    assert!(unreachable("link-slow.md").ends_with("timed out"));
    assert!(unreachable("link-pdf.md").contains("`application/pdf`"));
    for name in ["link-flaky.md", "link-ratelimited.md"] {
        let d = doc(&json, name);
        assert_eq!(rules(d), Vec::<String>::new(), "{d:#}");
        assert_eq!(d["upstream"][0]["status"], 200);
    }
    assert_eq!(server.count("/test/flaky"), 2, "500 then 200");
    assert_eq!(server.count("/test/ratelimited"), 2, "429 then 200");
    assert_eq!(server.count("/status/404"), 1, "4xx is not retried");
    assert_eq!(
        server.count("/test/loop"),
        11,
        "the first request and 10 redirects"
    );
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert!(
        elapsed < Duration::from_secs(10),
        "the slow page was cut off: {elapsed:?}"
    );
}

#[test]
fn private_hosts_are_refused_without_the_flag() {
    let server = TestServer::start();
    let dir = posts(&server, &["match.md"]);
    let cache = tempfile::tempdir().expect("cache");
    let json = run(
        &mut ccguard(cache.path()),
        &paths(dir.path(), &["match.md"]),
    );
    let message = finding(doc(&json, "match.md"), "upstream-unreachable")["message"]
        .as_str()
        .expect("message")
        .to_owned();
    assert!(
        message.contains("private or local address 127.0.0.1"),
        "{message}"
    );
    assert!(message.contains("--allow-private-hosts"), "{message}");
    assert_eq!(server.total(), 0, "no request was sent");
}

#[test]
fn a_shared_original_is_fetched_once_and_the_cache_sends_nothing_within_the_ttl() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("posts");
    let template = std::fs::read_to_string(common::root().join("fixtures/http/posts/match.md"))
        .expect("template")
        .replace("{{BASE}}", &server.base);
    for i in 0..20 {
        std::fs::write(dir.path().join(format!("post-{i:02}.md")), &template).expect("write");
    }
    let cache = tempfile::tempdir().expect("cache");
    let dirs = [dir.path().to_path_buf()];
    let cold = run(ccguard(cache.path()).arg("--allow-private-hosts"), &dirs);
    assert_eq!(
        server.count("/originals/by-nc-4.html"),
        1,
        "20 posts, one fetch"
    );
    assert_eq!(cold["documents"][0]["upstream"][0]["from_cache"], false);

    let warm = run(ccguard(cache.path()).arg("--allow-private-hosts"), &dirs);
    assert_eq!(
        server.total(),
        1,
        "a second run within the TTL sends no request"
    );
    assert_eq!(warm["documents"][0]["upstream"][0]["from_cache"], true);
    assert_eq!(
        warm["documents"][5]["upstream"][0]["license"]["id"],
        "CC-BY-NC-4.0"
    );

    // Past the TTL the request is conditional; --no-cache always fetches.
    run(
        ccguard(cache.path()).args(["--allow-private-hosts", "--cache-ttl", "0"]),
        &dirs,
    );
    assert_eq!(server.total(), 2);
    run(
        ccguard(cache.path()).args(["--allow-private-hosts", "--no-cache"]),
        &dirs,
    );
    assert_eq!(server.total(), 3);
}

#[test]
fn a_corrupt_cache_entry_is_discarded() {
    let server = TestServer::start();
    let dir = posts(&server, &["match.md"]);
    let cache = tempfile::tempdir().expect("cache");
    let inputs = paths(dir.path(), &["match.md"]);
    run(ccguard(cache.path()).arg("--allow-private-hosts"), &inputs);
    for entry in std::fs::read_dir(cache.path()).expect("cache dir") {
        std::fs::write(entry.expect("entry").path(), b"\x00garbage").expect("corrupt");
    }
    let json = run(ccguard(cache.path()).arg("--allow-private-hosts"), &inputs);
    assert_eq!(rules(doc(&json, "match.md")), Vec::<String>::new());
    assert_eq!(server.count("/originals/by-nc-4.html"), 2, "refetched");
}

#[test]
fn a_url_input_is_fetched_decoded_and_verified() {
    let server = TestServer::start();
    let cache = tempfile::tempdir().expect("cache");
    let url = format!("{}/go/reposts/mismatch.html", server.base);
    let out = ccguard(cache.path())
        .arg("--allow-private-hosts")
        .arg(&url)
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let document = &json["documents"][0];
    assert_eq!(
        document["path"],
        format!("{}/reposts/mismatch.html", server.base),
        "named by the final URL"
    );
    assert_eq!(document["format"], "html");
    assert!(
        rules(document).contains(&"upstream-license-mismatch".to_owned()),
        "{document:#}"
    );
    assert!(
        !rules(document).contains(&"malformed-input".to_owned()),
        "latin-1 decoded by <meta charset>"
    );
    assert_eq!(
        document["upstream"][0]["url"],
        format!("{}/originals/by-nc-nd-4.html", server.base),
        "the link of the fetched page"
    );

    let pdf = format!("{}/originals/report.pdf", server.base);
    let out = ccguard(cache.path())
        .arg("--allow-private-hosts")
        .arg(&pdf)
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(rules(&json["documents"][0]), ["unreadable-input"]);

    let offline = ccguard(cache.path())
        .arg("--offline")
        .arg(&url)
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&offline.stdout).expect("JSON");
    assert_eq!(rules(&json["documents"][0]), ["unreadable-input"]);
}
