//! `ccguard serve` as a process: its HTTP API on 127.0.0.1 (who may ask, what a check returns,
//! the limits), and the page itself in a real headless Chromium driven over WebDriver.
//!
//! The browser test needs /usr/bin/chromium and chromedriver (Debian: `apt-get install
//! chromium chromium-driver`); without them it says so and passes. It writes screenshots to
//! `$CARGO_TARGET_TMPDIR/serve-screenshots/` for a person to look at.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A post modelled on the seed repost (`../shared/seed/china-cuba-repost.txt`), in our own
/// words: credited and disclosed as a translation, its license named without a link, no link
/// to the original; an emoji and CJK text before the license notice, so every offset after
/// them differs in bytes, UTF-16 units and characters.
const POST: &str = "Lisbon and Macau: 40 years of friendship 🤝
- The Harbour Letter

- Mar 3
- 3 min read

Photos via the city archive
By Marta Quintero Lago, translated from the Portuguese
Macau (澳门) - \"Our two cities have kept a close friendship for four decades,\" said the mayor at a press conference on the anniversary of the twinning agreement.
Since 1985 the two harbours have exchanged students, teachers and musicians, and the agreement has grown into a programme of joint festivals every spring.
The mayor noted that the next festival will open in Lisbon in May, with a concert of fado and Cantonese opera side by side.
This work was translated and shared via a License CC BY-NC 3.0


Comments
";

/// The license notice in [`POST`].
const NOTICE: &str = "CC BY-NC 3.0";

/// A running `ccguard serve --port 0`, killed when dropped.
struct Serve {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Serve {
    /// Start it in a fresh directory (no config found), with `args`; the port is read from the
    /// line it prints.
    fn start(args: &[&str]) -> Serve {
        Serve::start_in(tempfile::tempdir().expect("tempdir"), args)
    }

    /// Start it in `dir` (where it discovers a config as `check` does), with `args`.
    fn start_in(dir: tempfile::TempDir, args: &[&str]) -> Serve {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("ccguard"))
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(dir.path())
            .env_remove("CCGUARD_OFFLINE")
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start ccguard serve");
        let stdout = child.stdout.take();
        // Killed on drop from here on, also when the URL line is not as expected.
        let mut serve = Serve {
            child,
            port: 0,
            _dir: dir,
        };
        let mut line = String::new();
        if let Some(stdout) = stdout {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        assert!(
            line.starts_with("ccguard serve: open http://127.0.0.1:"),
            "{line:?}"
        );
        serve.port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        serve
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// POST JSON from the page's own origin.
    fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let origin = self.origin();
        self.send(
            "POST",
            path,
            &[
                ("Host", &format!("127.0.0.1:{}", self.port)),
                ("Origin", &origin),
                ("Content-Type", "application/json"),
            ],
            body.to_string().as_bytes(),
        )
    }

    /// One request with exactly these headers (and a Content-Length for the body).
    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Value) {
        let mut head = format!("{method} {path} HTTP/1.1\r\n");
        for (name, value) in headers {
            for part in [name, ": ", value, "\r\n"] {
                head.push_str(part);
            }
        }
        head.push_str("Content-Length: ");
        head.push_str(&body.len().to_string());
        head.push_str("\r\n\r\n");
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_mins(1)))
            .expect("timeout");
        stream.write_all(head.as_bytes()).expect("write head");
        // The server may answer (and stop reading) before a refused body is all sent.
        let _ = stream.write_all(body);
        read_response(stream)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status and JSON body of a response read to the end (the server closes every connection).
fn read_response(mut stream: TcpStream) -> (u16, Value) {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let json = serde_json::from_str(body).unwrap_or(Value::String(body.to_owned()));
    (status, json)
}

/// (rule, severity, whole, line, column, utf16 start, utf16 end) of each finding.
fn findings(report: &Value) -> Vec<(String, String, bool, u64, u64, u64, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap_or("").to_owned(),
                f["whole"].as_bool().unwrap_or(false),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["utf16_start"].as_u64().unwrap_or(0),
                f["utf16_end"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The UTF-16 offsets of the license notice in [`POST`], counted here from the text.
fn notice_utf16() -> (u64, u64) {
    let byte = POST.find(NOTICE).expect("notice");
    let start = POST[..byte].encode_utf16().count() as u64;
    (start, start + NOTICE.encode_utf16().count() as u64)
}

#[test]
fn the_check_api_returns_the_findings_of_a_seed_like_post_at_exact_places() {
    let serve = Serve::start(&["--offline"]);
    let (status, report) = serve.post("/api/check", &json!({ "text": POST }));
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["format"], "markdown");
    assert_eq!(report["sniffed"], true);
    assert_eq!(report["is_repost"], true);
    assert_eq!(report["text"], POST);
    let (start, end) = notice_utf16();
    // The emoji is four bytes and two UTF-16 units, 澳 and 门 three bytes and one unit each.
    let byte = POST.find(NOTICE).unwrap() as u64;
    assert_eq!(start, byte - 2 - 2 * 2);
    assert_eq!(
        findings(&report),
        vec![
            (
                "missing-source-link".into(),
                "error".into(),
                true,
                1,
                1,
                0,
                0
            ),
            ("missing-title".into(), "warning".into(), true, 1, 1, 0, 0),
            (
                "missing-license-link".into(),
                "warning".into(),
                false,
                12,
                51,
                start,
                end
            ),
        ]
    );
    let link = &report["findings"][2];
    assert_eq!(
        (link["start"].as_u64(), link["end"].as_u64()),
        (Some(byte), Some(byte + NOTICE.len() as u64))
    );
    // The credit builder's parts, from the post's facts.
    assert_eq!(
        report["credit"],
        json!({
            "title": null,
            "author": "Marta Quintero Lago",
            "source": null,
            "license": "CC-BY-NC-3.0",
            "license_hint": "CC BY-NC 3.0",
            "translated_from": "Portuguese",
            "translator": null,
        })
    );
    // The same draft, told to be HTML, is checked as HTML.
    let (_, html) = serve.post("/api/check", &json!({ "text": POST, "format": "html" }));
    assert_eq!(
        (html["format"].as_str(), html["sniffed"].as_bool()),
        (Some("html"), Some(false))
    );
}

#[test]
fn the_config_is_discovered_from_the_working_directory_as_check_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("ccguard.toml"),
        "[rules]\nmissing-title = \"off\"\nmissing-source-link = \"warning\"\n",
    )
    .expect("write config");
    let serve = Serve::start_in(dir, &["--offline"]);
    let (status, report) = serve.post("/api/check", &json!({ "text": POST }));
    assert_eq!(status, 200, "{report}");
    let rules: Vec<(String, String)> = findings(&report).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        rules,
        vec![
            ("missing-source-link".into(), "warning".into()),
            ("missing-license-link".into(), "warning".into()),
        ]
    );
}

#[test]
fn requests_not_from_the_page_itself_are_refused_with_403() {
    let serve = Serve::start(&["--offline"]);
    let host = format!("127.0.0.1:{}", serve.port);
    let body = json!({ "text": POST }).to_string();
    let post =
        |headers: &[(&str, &str)]| serve.send("POST", "/api/check", headers, body.as_bytes());
    let json = ("Content-Type", "application/json");
    // Another site's page (a cross-site POST from another tab).
    let (status, answer) = post(&[("Host", &host), ("Origin", "http://evil.example"), json]);
    assert_eq!(status, 403, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("Origin http://evil.example")),
        "{answer}"
    );
    // The right host on another port, and a sandboxed page's "null".
    let other = format!("http://127.0.0.1:{}", serve.port.wrapping_add(1));
    assert_eq!(post(&[("Host", &host), ("Origin", &other), json]).0, 403);
    assert_eq!(post(&[("Host", &host), ("Origin", "null"), json]).0, 403);
    // No Origin: only with Sec-Fetch-Site: same-origin.
    assert_eq!(post(&[("Host", &host), json]).0, 403);
    assert_eq!(
        post(&[("Host", &host), ("Sec-Fetch-Site", "cross-site"), json]).0,
        403
    );
    assert_eq!(
        post(&[("Host", &host), ("Sec-Fetch-Site", "same-origin"), json]).0,
        200
    );
    // DNS rebinding: our address under another name, for the page as for the API.
    let rebound = format!("rebind.example:{}", serve.port);
    let origin = format!("http://{rebound}");
    assert_eq!(
        post(&[("Host", &rebound), ("Origin", &origin), json]).0,
        403
    );
    let (status, answer) = serve.send("GET", "/", &[("Host", &rebound)], b"");
    assert_eq!(status, 403, "{answer}");
    // The page's own origin.
    let origin = serve.origin();
    assert_eq!(post(&[("Host", &host), ("Origin", &origin), json]).0, 200);
    let (status, page) = serve.send("GET", "/", &[("Host", &host)], b"");
    assert_eq!(status, 200);
    assert!(page.as_str().is_some_and(|p| p.contains("<title>ccguard")));
    // What the page never sends gets a clear refusal, and nothing else happens.
    let (status, answer) = serve.send(
        "POST",
        "/api/check",
        &[("Host", &host), ("Origin", &origin), json],
        b"{\"text\": \"unterminated",
    );
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("the request is not the JSON the page sends: EOF")),
        "{answer}"
    );
    assert_eq!(
        serve.send("GET", "/api/check", &[("Host", &host)], b"").0,
        405
    );
    assert_eq!(
        serve.send("GET", "/nowhere", &[("Host", &host)], b"").0,
        404
    );
    let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).expect("connect");
    stream
        .write_all(b"\x00\x01 not http\r\n\r\n")
        .expect("write");
    assert_eq!(read_response(stream).0, 400);
    // JSON only: a form's text/plain body is not a request the page sends.
    let (status, _) = post(&[
        ("Host", &host),
        ("Origin", &origin),
        ("Content-Type", "text/plain"),
    ]);
    assert_eq!(status, 415);
}

#[test]
fn an_oversized_body_gets_413_and_the_server_keeps_answering() {
    let serve = Serve::start(&["--offline"]);
    let host = format!("127.0.0.1:{}", serve.port);
    let origin = serve.origin();
    let headers = [
        ("Host", host.as_str()),
        ("Origin", origin.as_str()),
        ("Content-Type", "application/json"),
    ];
    // A 50 MB paste, sent whole.
    let mut paste = br#"{"text":""#.to_vec();
    paste.resize(50_000_000, b'x');
    paste.extend_from_slice(br#""}"#);
    let (status, answer) = serve.send("POST", "/api/check", &headers, &paste);
    assert_eq!(status, 413, "{answer}");
    let message = answer["error"].as_str().unwrap_or("");
    assert!(
        message.starts_with("the draft is too large to check: 50.0 MB sent"),
        "{message}"
    );
    // A forged length with no body behind it costs nothing but the answer.
    let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).expect("connect");
    write!(
        stream,
        "POST /api/check HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\
         Content-Type: application/json\r\nContent-Length: 999999999999999\r\n\r\n"
    )
    .expect("write");
    stream
        .shutdown(std::net::Shutdown::Write)
        .expect("shutdown");
    assert_eq!(read_response(stream).0, 413);
    // Under the cap but over --max-size once decoded.
    let small = Serve::start(&["--offline", "--max-size", "1000"]);
    let (status, answer) = small.post("/api/check", &json!({ "text": "x".repeat(1500) }));
    assert_eq!(status, 413, "{answer}");
    // Still serving.
    let (status, report) = serve.post("/api/check", &json!({ "text": POST }));
    assert_eq!((status, findings(&report).len()), (200, 3));
}

#[test]
fn a_url_that_does_not_answer_gives_a_clear_message() {
    // A server that accepts and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let url = format!("http://127.0.0.1:{port}/post");
    let serve = Serve::start(&["--allow-private-hosts", "--timeout", "1", "--no-cache"]);
    let (status, answer) = serve.post("/api/check-url", &json!({ "url": url }));
    assert_eq!(status, 504, "{answer}");
    assert_eq!(
        answer["error"],
        format!(
            "{url} did not answer within 1 s; try again later, or start serve with a longer --timeout"
        )
    );
    drop(silent);
    // Without --allow-private-hosts, a loopback URL is refused, as `check` refuses it.
    let strict = Serve::start(&["--no-cache"]);
    let (status, answer) = strict.post("/api/check-url", &json!({ "url": url }));
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.contains("pass --allow-private-hosts")),
        "{answer}"
    );
    // Offline, no URL is read.
    let offline = Serve::start(&["--offline"]);
    assert_eq!(
        offline.post("/api/check-url", &json!({ "url": url })).0,
        409
    );
}

/// A site on 127.0.0.1, served until the test ends: a repost at `/repost` (by Ana Ruiz under
/// CC BY 4.0, linking its original) and the original at `/original` (under CC BY-SA 4.0). Ask
/// for the repost as `localhost`: its link names `127.0.0.1`, another host (a link to the
/// post's own site is no source). Its port.
fn harbour_site() -> u16 {
    let server = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = server.local_addr().expect("addr").port();
    let repost = format!(
        "<!DOCTYPE html><html lang=\"en\"><body><article><h1>Harbour notes</h1>\
         <p>By Ana Ruiz. Originally published at \
         <a href=\"http://127.0.0.1:{port}/original\">the Harbour Letter</a>.</p>\
         <p>Licensed under CC BY 4.0.</p></article></body></html>"
    );
    let original = "<!DOCTYPE html><html lang=\"en\"><head><title>Harbour notes</title></head><body>\
         <article><h1>Harbour notes</h1><p>By Ana Ruiz</p><p>This work is licensed under \
         <a rel=\"license\" href=\"https://creativecommons.org/licenses/by-sa/4.0/\">CC BY-SA 4.0</a>.</p>\
         </article></body></html>";
    std::thread::spawn(move || {
        for stream in server.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0_u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]);
            let body = if head.starts_with("GET /original") {
                original
            } else {
                repost.as_str()
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn a_url_is_read_and_its_original_verified_like_check_does() {
    let port = harbour_site();
    let serve = Serve::start(&["--allow-private-hosts", "--no-cache"]);
    let url = format!("http://localhost:{port}/repost");
    let (status, report) = serve.post("/api/check-url", &json!({ "url": url }));
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["name"], url);
    assert_eq!(
        report["upstream"][0]["url"],
        format!("http://127.0.0.1:{port}/original"),
        "{report}"
    );
    assert_eq!(report["upstream"][0]["license"], "CC-BY-SA-4.0");
    // The credit names the original's license, not the repost's claim.
    assert_eq!(report["credit"]["license"], "CC-BY-SA-4.0");
    assert!(
        findings(&report)
            .iter()
            .any(|f| f.0 == "upstream-license-mismatch"),
        "{report}"
    );
}

#[test]
fn the_attribution_builder_validates_as_the_attribution_command() {
    let serve = Serve::start(&["--offline"]);
    let parts = json!({
        "title": "Lisbon and Macau", "author": "Marta Quintero Lago",
        "source": "https://example.org/lisbon-macau", "license": "CC-BY-NC-3.0",
        "translated_from": "Portuguese", "translator": "",
    });
    let (status, line) = serve.post("/api/attribution", &parts);
    assert_eq!(status, 200, "{line}");
    assert_eq!(
        line["markdown"],
        "[\"Lisbon and Macau\"](https://example.org/lisbon-macau) by Marta Quintero Lago, \
         translated from the Portuguese, is licensed under \
         [CC BY-NC 3.0](https://creativecommons.org/licenses/by-nc/3.0/)."
    );
    let mut unknown = parts.clone();
    unknown["license"] = json!("CC-BY-NC-3");
    let (status, answer) = serve.post("/api/attribution", &unknown);
    assert_eq!(status, 422);
    assert!(
        answer["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("unknown license `CC-BY-NC-3`")),
        "{answer}"
    );
    let mut nd = parts.clone();
    nd["license"] = json!("CC-BY-ND-4.0");
    assert_eq!(serve.post("/api/attribution", &nd).0, 422);
    let (status, answer) = serve.post("/api/attribution", &json!({ "license": "CC-BY-4.0" }));
    assert_eq!(
        (status, answer["error"].as_str()),
        (422, Some("fill in the title, author, source"))
    );
}

#[test]
fn a_dropped_file_is_decoded_by_its_declared_charset() {
    let serve = Serve::start(&["--offline"]);
    // "Ação" in Latin-1, declared by the page.
    let mut page =
        b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>A\xe7\xe3o</p></body></html>"
            .to_vec();
    page.push(b'\n');
    let host = format!("127.0.0.1:{}", serve.port);
    let origin = serve.origin();
    let (status, report) = serve.send(
        "POST",
        "/api/check-file?name=a%C3%A7%C3%A3o.html&format=auto",
        &[
            ("Host", &host),
            ("Origin", &origin),
            ("Content-Type", "application/octet-stream"),
        ],
        &page,
    );
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["name"], "ação.html");
    assert_eq!(report["format"], "html");
    assert!(
        report["text"]
            .as_str()
            .is_some_and(|t| t.contains("<p>Ação</p>")),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------------
// The page in a real browser.

/// A WebDriver session on chromedriver, ended when dropped (then chromedriver is stopped).
struct Browser {
    http: reqwest::blocking::Client,
    base: String,
    session: String,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// The chromedriver process, stopped when dropped (also when starting the session fails).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The key WebDriver gives an element reference under.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// Start chromedriver and a headless Chromium session; `None` (said on stderr) when either
    /// is not installed.
    fn start() -> Option<Browser> {
        let chromium = Path::new("/usr/bin/chromium");
        let Some(driver_path) = find_program("chromedriver") else {
            eprintln!(
                "skipping the browser test: chromedriver is not installed (Debian: apt-get install chromium-driver)"
            );
            return None;
        };
        if !chromium.exists() {
            eprintln!(
                "skipping the browser test: /usr/bin/chromium is not installed (Debian: apt-get install chromium)"
            );
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let driver = Driver(
            Command::new(driver_path)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver"),
        );
        // reqwest is built without a default TLS provider (the binary installs ring's).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(Duration::from_mins(2))
            .build()
            .expect("client");
        let base = format!("http://127.0.0.1:{port}");
        let ready = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().is_err() {
            assert!(Instant::now() < ready, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,800",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let created = json_of(
            http.post(format!("{base}/session")).body(
                json!({ "capabilities": { "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": { "binary": chromium, "args": args },
                }}})
                .to_string(),
            ),
        );
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        Some(Browser {
            http,
            base,
            session,
            _driver: driver,
            _profile: profile,
        })
    }

    /// One WebDriver command; its `value`.
    fn command(&self, method: &reqwest::Method, path: &str, body: &Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method.clone(), url);
        if *method == reqwest::Method::POST {
            request = request.body(body.to_string());
        }
        let answer = json_of(request);
        assert!(
            !answer["value"]["error"].is_string(),
            "webdriver {path}: {}",
            answer["value"]
        );
        answer["value"].clone()
    }

    fn go(&self, url: &str) {
        self.command(&reqwest::Method::POST, "/url", &json!({ "url": url }));
    }

    /// Run a script in the page; what it returns.
    fn script(&self, script: &str, args: &[Value]) -> Value {
        self.command(
            &reqwest::Method::POST,
            "/execute/sync",
            &json!({ "script": script, "args": args }),
        )
    }

    /// Click the first element matching `css`, as a user does.
    fn click(&self, css: &str) {
        let found = self.command(
            &reqwest::Method::POST,
            "/element",
            &json!({ "using": "css selector", "value": css }),
        );
        let id = found[ELEMENT].as_str().expect("element id").to_owned();
        self.command(
            &reqwest::Method::POST,
            &format!("/element/{id}/click"),
            &json!({}),
        );
    }

    /// Choose a file in the `<input type="file">` matching `css`, as a user does.
    fn choose_file(&self, css: &str, path: &Path) {
        let found = self.command(
            &reqwest::Method::POST,
            "/element",
            &json!({ "using": "css selector", "value": css }),
        );
        let id = found[ELEMENT].as_str().expect("element id").to_owned();
        self.command(
            &reqwest::Method::POST,
            &format!("/element/{id}/value"),
            &json!({ "text": path.display().to_string() }),
        );
    }

    /// Wait until `script` returns true.
    fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if self.script(script, &[]) == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Emulate a viewport of `width` × `height` CSS pixels (Chromium keeps windows at least
    /// 500 px wide, so a phone width needs emulation) and save a PNG of it.
    fn screenshot(&self, width: u32, height: u32, path: &Path) {
        self.command(
            &reqwest::Method::POST,
            "/goog/cdp/execute",
            &json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500,
            }}),
        );
        std::thread::sleep(Duration::from_millis(300));
        let png = self.command(&reqwest::Method::GET, "/screenshot", &Value::Null);
        let bytes = base64_decode(png.as_str().expect("base64 png"));
        std::fs::write(path, bytes).expect("write screenshot");
        eprintln!("wrote {}", path.display());
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self
            .http
            .delete(format!("{}/session/{}", self.base, self.session))
            .send();
    }
}

/// Send a WebDriver request (JSON body) and read its JSON answer.
fn json_of(request: reqwest::blocking::RequestBuilder) -> Value {
    let text = request
        .header("Content-Type", "application/json")
        .send()
        .and_then(reqwest::blocking::Response::text)
        .expect("webdriver request");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("webdriver answered {text:?}: {e}"))
}

/// `name` on the PATH, or in /usr/bin.
fn find_program(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// Standard base64 (WebDriver's screenshots).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .map(value)
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0_u32;
        for (i, d) in chunk.iter().enumerate() {
            n |= u32::from(*d) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// The rules of the highlighted elements in the post view: (tag, rules, text).
const HIGHLIGHTS: &str = "return [...document.querySelectorAll('#post [data-rules]')]
    .map((n) => [n.tagName.toLowerCase(), n.dataset.rules, n.textContent]);";

#[test]
fn the_page_in_headless_chromium_highlights_applies_a_fix_and_shows_errors() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let serve = Serve::start(&["--offline"]);
    browser.go(&format!("{}/", serve.origin()));
    browser.wait_for(
        "the page",
        "return document.querySelector('#licenses').children.length > 0;",
    );
    // Paste the post (as a paste does: the value changes, then an input event) and check it.
    browser.script(
        "const t = document.querySelector('#draft'); t.value = arguments[0]; \
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        &[json!(POST)],
    );
    browser.click("#check");
    browser.wait_for(
        "three findings",
        "return document.querySelectorAll('#findings li[data-rule]').length === 3;",
    );
    let highlights = browser.script(HIGHLIGHTS, &[]);
    assert_eq!(
        highlights,
        json!([
            [
                "button",
                "missing-source-link",
                "whole post · missing-source-link"
            ],
            ["button", "missing-title", "whole post · missing-title"],
            ["mark", "missing-license-link", NOTICE],
        ])
    );
    let listed = browser.script(
        "return [...document.querySelectorAll('#findings .group')].map((g) => [g.querySelector('h3').textContent, \
         [...g.querySelectorAll('li')].map((li) => li.dataset.rule)]);",
        &[],
    );
    assert_eq!(
        listed,
        json!([
            ["Errors (1)", ["missing-source-link"]],
            ["Warnings (2)", ["missing-title", "missing-license-link"]],
        ])
    );
    // The credit builder, filled in from the post.
    browser.wait_for(
        "the credit line",
        "return document.querySelector('#credit-note').textContent.startsWith('fill in the title, source');",
    );
    let fields = browser.script(
        "return ['c-author', 'c-license', 'c-from'].map((id) => document.getElementById(id).value);",
        &[],
    );
    assert_eq!(
        fields,
        json!(["Marta Quintero Lago", "CC-BY-NC-3.0", "Portuguese"])
    );
    browser.script(
        "for (const [id, v] of [['c-title', 'Lisbon and Macau'], ['c-source', 'https://example.org/lm']]) { \
         const i = document.getElementById(id); i.value = v; i.dispatchEvent(new Event('input')); }",
        &[],
    );
    browser.wait_for(
        "the Markdown credit",
        "return document.querySelector('#credit-md').textContent === '[\"Lisbon and Macau\"](https://example.org/lm) \
         by Marta Quintero Lago, translated from the Portuguese, is licensed under \
         [CC BY-NC 3.0](https://creativecommons.org/licenses/by-nc/3.0/).';",
    );

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    browser.screenshot(1280, 800, &dir.join("desktop-1280x800.png"));
    browser.screenshot(390, 844, &dir.join("phone-390x844.png"));
    browser.screenshot(390, 2400, &dir.join("phone-390-full.png"));
    browser.screenshot(1280, 1400, &dir.join("desktop-1280-full.png"));

    // Apply the license-link fix: its preview first, then one finding fewer.
    browser.click("#findings li[data-rule='missing-license-link'] .apply");
    browser.wait_for(
        "the fix preview",
        "return document.querySelector('#fix-dialog').open;",
    );
    let preview = browser.script(
        "return [document.querySelector('#fix-title').textContent, \
         [...document.querySelectorAll('#fix-edits .after')].map((n) => n.textContent)];",
        &[],
    );
    assert_eq!(
        preview,
        json!([
            "link CC BY-NC 3.0 to its deed",
            [
                "afterwas translated and shared via a License [CC BY-NC 3.0](https://creativecommons.org/licenses/by-nc/3.0/)"
            ]
        ])
    );
    browser.screenshot(1280, 800, &dir.join("fix-preview-1280x800.png"));
    browser.screenshot(390, 844, &dir.join("fix-preview-390x844.png"));
    browser.click("#fix-apply");
    browser.wait_for(
        "two findings",
        "return document.querySelectorAll('#findings li[data-rule]').length === 2;",
    );
    assert_eq!(
        browser.script(HIGHLIGHTS, &[]),
        json!([
            [
                "button",
                "missing-source-link",
                "whole post · missing-source-link"
            ],
            ["button", "missing-title", "whole post · missing-title"],
        ])
    );
    let fixed = POST.replace(
        "a License CC BY-NC 3.0",
        "a License [CC BY-NC 3.0](https://creativecommons.org/licenses/by-nc/3.0/)",
    );
    assert_eq!(
        browser.script("return document.querySelector('#draft').value;", &[]),
        json!(fixed)
    );
    browser.screenshot(1280, 800, &dir.join("fixed-1280x800.png"));

    // A file, picked in the File tab: decoded by its declared charset, checked, and made
    // the draft.
    let picked = tempfile::tempdir().expect("tempdir");
    let file = picked.path().join("harbour.html");
    std::fs::write(
        &file,
        b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>Por Jo\xe3o Mar\xe7al.</p>\
          <p>Licensed under CC BY 4.0.</p></body></html>",
    )
    .expect("write file");
    browser.click("#tab-file");
    browser.choose_file("#file", &file);
    browser.wait_for(
        "the picked file as the draft",
        "return document.querySelector('#draft').value.includes('Por João Marçal.') \
         && !document.querySelector('#pane-paste').hidden \
         && document.querySelector('#sniffed').textContent === 'HTML · harbour.html';",
    );

    // Post text is shown as text: markup in it runs nothing.
    let hostile = "<p>By Eve</p><img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script> CC BY 4.0";
    browser.script(
        "const t = document.querySelector('#draft'); t.value = arguments[0]; \
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        &[json!(hostile)],
    );
    browser.click("#check");
    browser.wait_for(
        "the hostile post",
        "return document.querySelector('#post').textContent.includes('onerror');",
    );
    assert_eq!(
        browser.script(
            "return [window.pwned === undefined, document.querySelectorAll('#post img, #post script').length];",
            &[]
        ),
        json!([true, 0])
    );

    // A 50 MB paste: the server's 413 is shown on the page, and the page keeps working.
    browser.script(
        "const t = document.querySelector('#draft'); t.value = 'x'.repeat(50000000);",
        &[],
    );
    browser.click("#check");
    browser.wait_for(
        "the 413 message",
        "const a = document.querySelector('#alert'); return !a.hidden && a.textContent.startsWith('the draft is too large to check');",
    );
    browser.script(
        "const t = document.querySelector('#draft'); t.value = arguments[0];",
        &[json!(POST)],
    );
    browser.click("#check");
    browser.wait_for(
        "the post again",
        "return document.querySelector('#alert').hidden && document.querySelectorAll('#findings li[data-rule]').length === 3;",
    );

    // A URL, read by a serve that may fetch local hosts: the post becomes the draft, and its
    // original's license fills the credit line.
    let site = harbour_site();
    let online = Serve::start(&["--allow-private-hosts", "--no-cache"]);
    browser.go(&format!("{}/", online.origin()));
    browser.wait_for(
        "the page",
        "return document.querySelector('#licenses').children.length > 0;",
    );
    browser.click("#tab-url");
    browser.script(
        "document.querySelector('#url').value = arguments[0];",
        &[json!(format!("http://localhost:{site}/repost"))],
    );
    browser.click("#url-form button");
    browser.wait_for(
        "the fetched post",
        "return document.querySelector('#draft').value.includes('Harbour notes') \
         && document.querySelector('#facts').textContent.includes('licensed CC-BY-SA-4.0');",
    );
    assert_eq!(
        browser.script("return document.querySelector('#c-license').value;", &[]),
        json!("CC-BY-SA-4.0")
    );
    browser.screenshot(1280, 1000, &dir.join("url-1280.png"));
}
