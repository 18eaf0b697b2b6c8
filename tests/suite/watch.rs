//! `ccguard check --watch` as a process on a real directory: it prints the findings that
//! appear and go as files change, reports a file that becomes unreadable and keeps watching.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Generous: the watch re-checks in a debug build on a busy machine.
const WAIT: Duration = Duration::from_secs(90);

const LINKED: &str = "---\ntitle: \"Fixing bicycles\"\nauthor: \"Samir Haddad\"\n---\n\nEvery Saturday morning, a car park behind the Westgate flats turns into a bicycle workshop.\n\nOriginally published at [The Westgate Chronicle](https://example.org/local/fixing-bicycles).\nLicensed under [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/).\n";

const UNLINKED: &str = "---\ntitle: \"Fixing bicycles\"\nauthor: \"Samir Haddad\"\n---\n\nEvery Saturday morning, a car park behind the Westgate flats turns into a bicycle workshop.\n\nOriginally published at [The Westgate Chronicle](https://example.org/local/fixing-bicycles).\nLicensed under CC BY-SA 4.0.\n";

/// The child, killed when dropped (also when an assertion fails).
struct Watch(Child);

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The lines of a pipe, as they come.
fn lines(pipe: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// Wait for a line for which `wanted` holds; the lines before it are returned with it.
fn wait_for(lines: &Receiver<String>, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) => {
                let done = wanted(&line);
                seen.push(line);
                if done {
                    return seen;
                }
            }
            Err(_) => break,
        }
    }
    panic!("the awaited line did not come; saw {seen:?}");
}

fn start(dir: &Path) -> (Watch, Receiver<String>, Receiver<String>) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("ccguard"))
        .args(["check", "--watch", "--offline", "posts"])
        .current_dir(dir)
        .env_remove("CCGUARD_OFFLINE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ccguard check --watch");
    let stdout = lines(child.stdout.take().expect("stdout"));
    let stderr = lines(child.stderr.take().expect("stderr"));
    (Watch(child), stdout, stderr)
}

#[test]
fn prints_findings_that_appear_and_go_and_survives_an_unreadable_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).expect("mkdir");
    let post = posts.join("bikes.md");
    std::fs::write(&post, LINKED).expect("write");
    let (mut watch, stdout, stderr) = start(dir.path());
    assert_eq!(
        wait_for(&stderr, |l| l.starts_with("watching")),
        ["watching 1 file for changes (Ctrl-C ends)"]
    );

    std::fs::write(&post, UNLINKED).expect("unlink the license");
    assert_eq!(
        wait_for(&stdout, |_| true),
        [
            "posts/bikes.md:9:16: new missing-license-link (warning): the license is named but not linked"
        ]
    );

    std::fs::write(&post, LINKED).expect("link it again");
    assert_eq!(
        wait_for(&stdout, |_| true),
        [
            "posts/bikes.md:9:16: gone missing-license-link (warning): the license is named but not linked"
        ]
    );

    // A new file is checked as it appears.
    std::fs::write(posts.join("new.md"), UNLINKED).expect("add a post");
    assert_eq!(
        wait_for(&stdout, |_| true),
        [
            "posts/new.md:9:16: new missing-license-link (warning): the license is named but not linked"
        ]
    );

    // A file that can no longer be read is a finding, and the watch goes on.
    std::fs::write(&post, b"\0\0\0\0binary\0\0\0\0").expect("break the post");
    let seen = wait_for(&stdout, |l| l.contains("unreadable-input"));
    assert_eq!(
        seen.last().map(String::as_str),
        Some(
            "posts/bikes.md:1:1: new unreadable-input (error): cannot read this file: binary content (NUL bytes); not an HTML or Markdown text file"
        )
    );
    assert!(
        watch.0.try_wait().expect("poll").is_none(),
        "still watching"
    );

    std::fs::remove_file(posts.join("new.md")).expect("remove a post");
    assert_eq!(
        wait_for(&stdout, |l| l.ends_with("removed")),
        [
            "posts/new.md:9:16: gone missing-license-link (warning): the license is named but not linked",
            "posts/new.md: removed"
        ]
    );
}

#[test]
fn urls_and_stdin_cannot_be_watched() {
    for input in ["-", "https://example.org/post"] {
        let out = Command::new(assert_cmd::cargo::cargo_bin!("ccguard"))
            .args(["check", "--watch", input])
            .stdin(Stdio::null())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("error: {input}: --watch watches files and directories, not URLs or stdin\n")
        );
    }
}
