//! Hostile networks and caches, through the binary: a server that trickles its body, a run with
//! no reachable server at all, and page-cache entries that are corrupt, from beyond the clock,
//! FIFOs, links, or fetched under a laxer policy. Every server listens on 127.0.0.1; nothing
//! here touches any other address (proxy variables are removed from the child's environment).

use crate::common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

/// A repost (`fixtures/http/posts/match.md`) whose source link is `url`.
fn post(url: &str) -> String {
    std::fs::read_to_string(common::root().join("fixtures/http/posts/match.md"))
        .expect("post template")
        .replace("{{BASE}}/originals/by-nc-4.html", url)
}

/// `ccguard check --format json` with a cache in `cache`, no proxies, a bound on its time.
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
        .args(["--host-interval", "0"])
        .arg("--cache-dir")
        .arg(cache)
        // Only a hang reaches this.
        .timeout(Duration::from_mins(2));
    cmd
}

/// Run to completion, exit 0, JSON on stdout; also the stderr.
fn run(cmd: &mut Command) -> (Value, String) {
    let out = cmd.output().expect("run ccguard");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "ccguard failed: {:?} {stderr}",
        out.status
    );
    (serde_json::from_slice(&out.stdout).expect("JSON"), stderr)
}

fn findings(doc: &Value) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_owned(),
                f["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect()
}

/// A server answering every request on one connection by `respond`, counting connections.
fn listen(respond: fn(std::net::TcpStream)) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            thread::spawn(move || respond(stream));
        }
    });
    (port, count)
}

/// Read the request head, so the client is not answered before it has asked.
fn read_head(stream: &mut std::net::TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
        head.push(byte[0]);
    }
}

/// 200 with a long body, then one byte a second for as long as the client listens.
fn trickle(mut stream: std::net::TcpStream) {
    read_head(&mut stream);
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n<p>";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    while stream.write_all(b"x").and_then(|()| stream.flush()).is_ok() {
        thread::sleep(Duration::from_secs(1));
    }
}

/// The page at `/original`: a CC BY-NC 4.0 original.
fn original(mut stream: std::net::TcpStream) {
    read_head(&mut stream);
    let body = std::fs::read(common::root().join("fixtures/http/originals/by-nc-4.html"))
        .expect("fixture");
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

#[test]
fn a_trickling_body_ends_at_the_timeout() {
    let (port, _) = listen(trickle);
    let dir = tempfile::tempdir().expect("posts");
    let path = dir.path().join("post.md");
    std::fs::write(
        &path,
        post(&format!("http://127.0.0.1:{port}/2025/harbour-lights")),
    )
    .expect("write");
    let cache = tempfile::tempdir().expect("cache");
    let started = Instant::now();
    let (json, _) = run(ccguard(cache.path())
        .args(["--allow-private-hosts", "--timeout", "3", "--retries", "0"])
        .arg(&path));
    let elapsed = started.elapsed();
    assert_eq!(
        findings(&json["documents"][0]),
        [(
            "upstream-unreachable".to_owned(),
            format!(
                "the original at http://127.0.0.1:{port}/2025/harbour-lights could not be checked: timed out"
            )
        )]
    );
    // The deadline covers the body: a byte a second no longer keeps the request alive.
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

/// Accept the connection and close it without a word: no server answers.
fn hang_up(stream: std::net::TcpStream) {
    drop(stream);
}

#[test]
fn with_no_reachable_server_the_run_stops_trying_and_goes_on_offline() {
    const POSTS: usize = 30;
    let dir = tempfile::tempdir().expect("posts");
    let mut counts = Vec::new();
    for i in 0..POSTS {
        let (port, count) = listen(hang_up);
        counts.push(count);
        let path = dir.path().join(format!("post-{i:02}.md"));
        std::fs::write(
            &path,
            post(&format!("http://127.0.0.1:{port}/2025/harbour-lights")),
        )
        .expect("write");
    }
    let cache = tempfile::tempdir().expect("cache");
    let inputs = [dir.path().to_path_buf()];
    let (cut, stderr) = run(ccguard(cache.path())
        .args(["--allow-private-hosts", "--retries", "1", "--jobs", "4"])
        .args(&inputs));
    let tried: usize = counts.iter().map(|c| c.load(Ordering::SeqCst)).sum();
    assert_eq!(tried, 3 * 2, "three origins, each tried and retried once");
    assert_eq!(stderr.matches("no network").count(), 1, "{stderr}");
    assert_eq!(cut["summary"]["unverified_sources"], POSTS);

    // What is reported is exactly what --offline reports, whatever the thread count.
    let (offline, _) = run(ccguard(cache.path()).arg("--offline").args(&inputs));
    assert_eq!(cut, offline);
    let (one_thread, _) = run(ccguard(cache.path())
        .args(["--allow-private-hosts", "--retries", "1", "--jobs", "1"])
        .args(&inputs));
    assert_eq!(one_thread, offline);
}

/// The single `.page` entry in the cache directory.
fn page_entry(cache: &Path) -> PathBuf {
    let pages: Vec<PathBuf> = std::fs::read_dir(cache)
        .expect("cache dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "page"))
        .collect();
    assert_eq!(pages.len(), 1, "{pages:?}");
    pages[0].clone()
}

#[test]
fn broken_cache_entries_are_dropped_and_refetched() {
    let (port, count) = listen(original);
    let dir = tempfile::tempdir().expect("posts");
    let path = dir.path().join("post.md");
    std::fs::write(
        &path,
        post(&format!("http://127.0.0.1:{port}/2025/harbour-lights")),
    )
    .expect("write");
    let cache = tempfile::tempdir().expect("cache");
    let check = |expected_requests: usize| {
        let (json, _) = run(ccguard(cache.path())
            .arg("--allow-private-hosts")
            .arg(&path));
        let doc = &json["documents"][0];
        assert_eq!(findings(doc), Vec::<(String, String)>::new(), "{doc:#}");
        assert_eq!(doc["upstream"][0]["license"]["id"], "CC-BY-NC-4.0");
        assert_eq!(count.load(Ordering::SeqCst), expected_requests);
    };
    check(1);
    let entry = page_entry(cache.path());

    // A fetch time no clock can show (it used to panic).
    let bytes = std::fs::read(&entry).expect("entry");
    let newline = bytes.iter().position(|&b| b == b'\n').expect("header line");
    let mut header: Value = serde_json::from_slice(&bytes[..newline]).expect("header");
    header["fetched_at"] = Value::from(u64::MAX);
    let mut rewritten = serde_json::to_vec(&header).expect("json");
    rewritten.extend_from_slice(&bytes[newline..]);
    std::fs::write(&entry, rewritten).expect("rewrite");
    check(2);

    // Random bytes.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect();
    std::fs::write(&entry, noise).expect("noise");
    check(3);

    #[cfg(unix)]
    {
        // A FIFO (it used to hang the run), then a link to a file elsewhere.
        std::fs::remove_file(&entry).expect("remove");
        let made = std::process::Command::new("mkfifo")
            .arg(&entry)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        check(4);
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").expect("victim");
        std::fs::remove_file(&entry).expect("remove");
        std::os::unix::fs::symlink(&victim, &entry).expect("symlink");
        check(5);
        assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
        let kind = std::fs::symlink_metadata(&entry)
            .expect("entry")
            .file_type();
        assert!(kind.is_file(), "the link was replaced by the new entry");
    }
}

/// The page cache's file name for `url` (FNV-1a of the URL).
fn entry_name(url: &str) -> String {
    let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}.page")
}

#[test]
fn a_page_cached_with_private_hosts_allowed_is_not_served_without() {
    let (port, count) = listen(original);
    let dir = tempfile::tempdir().expect("posts");
    let local = format!("http://127.0.0.1:{port}/2025/harbour-lights");
    let path = dir.path().join("post.md");
    std::fs::write(&path, post(&local)).expect("write");
    let cache = tempfile::tempdir().expect("cache");
    let (lenient, _) = run(ccguard(cache.path())
        .arg("--allow-private-hosts")
        .arg(&path));
    assert_eq!(
        findings(&lenient["documents"][0]),
        Vec::<(String, String)>::new()
    );
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert_eq!(
        page_entry(cache.path()),
        cache.path().join(entry_name(&local))
    );

    // The same page as if it had been fetched, with private hosts allowed, for a name that
    // does not resolve now (or that a public page redirected from): a stricter run must not
    // be handed it.
    let name = "http://ccguard-unresolvable.invalid-tld-for-tests/2025/harbour-lights";
    let bytes = std::fs::read(cache.path().join(entry_name(&local))).expect("entry");
    let newline = bytes.iter().position(|&b| b == b'\n').expect("header line");
    let mut header: Value = serde_json::from_slice(&bytes[..newline]).expect("header");
    header["url"] = Value::from(name);
    let mut planted = serde_json::to_vec(&header).expect("json");
    planted.extend_from_slice(&bytes[newline..]);
    std::fs::write(cache.path().join(entry_name(name)), planted).expect("plant");
    std::fs::write(&path, post(name)).expect("write");

    let (strict, _) = run(ccguard(cache.path()).arg(&path));
    let found = findings(&strict["documents"][0]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "upstream-unreachable", "{found:?}");
    assert!(
        found[0]
            .1
            .starts_with(&format!("the original at {name} could not be checked: ")),
        "{found:?}"
    );
    // With the flag, the run that cached it may use it.
    let (lenient, _) = run(ccguard(cache.path())
        .arg("--allow-private-hosts")
        .arg(&path));
    assert_eq!(lenient["documents"][0]["upstream"][0]["from_cache"], true);
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "nothing more was requested"
    );
}

/// 404 to every request.
fn not_found(mut stream: std::net::TcpStream) {
    read_head(&mut stream);
    let _ = stream
        .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

/// 503 to every request.
fn unavailable(mut stream: std::net::TcpStream) {
    read_head(&mut stream);
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
}

#[test]
fn an_http_error_is_an_answer_so_the_run_stays_online() {
    let dir = tempfile::tempdir().expect("posts");
    let (found, _) = listen(not_found);
    let (first, _) = listen(hang_up);
    let (second, _) = listen(hang_up);
    let urls: Vec<String> = [found, first, second]
        .iter()
        .map(|port| format!("http://127.0.0.1:{port}/2025/harbour-lights"))
        .collect();
    for (i, url) in urls.iter().enumerate() {
        std::fs::write(dir.path().join(format!("post-{i}.md")), post(url)).expect("write");
    }
    let cache = tempfile::tempdir().expect("cache");
    let (json, stderr) = run(ccguard(cache.path())
        .args(["--allow-private-hosts", "--retries", "0"])
        .arg(dir.path()));
    assert!(!stderr.contains("no network"), "{stderr}");
    assert_eq!(json["summary"]["unverified_sources"], 0);
    for (i, url) in urls.iter().enumerate() {
        let doc = &json["documents"][i];
        let found = findings(doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "upstream-unreachable");
        assert!(
            found[0]
                .1
                .starts_with(&format!("the original at {url} could not be checked: ")),
            "{found:?}"
        );
    }
    assert!(
        findings(&json["documents"][0])[0]
            .1
            .ends_with("HTTP 404 Not Found"),
        "{json:#}"
    );
}

#[test]
fn retries_come_from_one_allowance_for_the_run() {
    let (port, count) = listen(unavailable);
    let dir = tempfile::tempdir().expect("posts");
    for i in 0..5 {
        let url = format!("http://127.0.0.1:{port}/2025/harbour-lights-{i}");
        std::fs::write(dir.path().join(format!("post-{i}.md")), post(&url)).expect("write");
    }
    let cache = tempfile::tempdir().expect("cache");
    let (json, _) = run(ccguard(cache.path())
        .args([
            "--allow-private-hosts",
            "--retries",
            "2",
            "--max-concurrency",
            "1",
        ])
        .arg(dir.path()));
    for doc in json["documents"].as_array().expect("documents") {
        let found = findings(doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].1.ends_with("HTTP 503 Service Unavailable"),
            "{found:?}"
        );
    }
    // Five first attempts, and the run's two retries (2 retries x 1 request in flight), not
    // two more for each of the five.
    assert_eq!(count.load(Ordering::SeqCst), 5 + 2);
}
