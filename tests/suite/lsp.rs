//! `ccguard lsp` as an editor runs it: the built binary as a process, spoken to over stdio with
//! `Content-Length` framed JSON-RPC. Every wait has a deadline, so a server that hangs fails
//! the test instead of blocking the run. Network tests use a real HTTP server on 127.0.0.1 only.

use crate::common;

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The longest wait for one message or for the process to exit. Generous: a debug build on a
/// busy machine loads the rules and builds the detectors on the first check.
const WAIT: Duration = Duration::from_mins(2);

/// The post: a translated repost with CJK text and emoji (astral, a skin-tone modifier, flags)
/// before its findings, with CRLF line endings. Its license line has 6 characters but 8 UTF-16
/// units before the text, so a server counting characters or bytes gets its ranges wrong.
const POST: &str = "# 北京与哈瓦那：友谊的桥梁 🌉\r\n\
\r\n\
By Lucía Ferrer Campos, translated from the Spanish\r\n\
\r\n\
Havana — \"我们的关系是拉丁美洲的好榜样,\" said the envoy 🇨🇳🇨🇺 at a press briefing.\r\n\
Trade between the two countries has grown every year since the first agreement. 😀\r\n\
\r\n\
译文 🙏🏽 This work was translated and shared via a License CC BY-NC 4.0\r\n";

/// The license claim `CC BY-NC 4.0` on the post's last line, in UTF-16 units: 58..70 (its
/// characters are 56..68, its bytes 66..78).
const CLAIM: (u32, u32, u32) = (7, 58, 70);

/// One `ccguard lsp` process and what it has sent that the test has not looked at yet.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    unread: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    /// Start `ccguard lsp` with a fresh fetch cache and no proxy settings.
    fn start(cache: &Path) -> Client {
        Client::start_with(cache, &[])
    }

    /// [`Client::start`] with these environment variables set.
    fn start_with(cache: &Path, vars: &[(&str, &str)]) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ccguard"));
        command.envs(vars.iter().copied());
        for var in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            command.env_remove(var);
        }
        let mut child = command
            .arg("lsp")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("XDG_CACHE_HOME", cache)
            .env("HOME", cache)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start ccguard lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            unread: VecDeque::new(),
            next_id: 1,
        }
    }

    /// Write bytes to the server as they are (for broken frames).
    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: &Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (the whole message: `result` or `error`).
    fn request(&mut self, method: &str, params: &Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("the response to {method}"), |m| {
            m["id"] == json!(id) && m.get("method").is_none()
        })
    }

    /// The first message from the server that `wanted` accepts (earlier ones stay unread).
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.unread.iter().position(&wanted) {
            return self.unread.remove(at).expect("unread message");
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.unread.push_back(message),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no {what} within {WAIT:?}; unread: {:#?}", self.unread)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server ended before {what}; unread: {:#?}", self.unread)
                }
            }
        }
    }

    /// The diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(&format!("diagnostics for {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        message["params"]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .clone()
    }

    fn initialize(&mut self, root: &Path, options: &Value) -> Value {
        let response = self.request(
            "initialize",
            &json!({
                "processId": null,
                "capabilities": {},
                "workspaceFolders": [{"uri": file_uri(root), "name": "site"}],
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", &json!({}));
        response
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify("textDocument/didOpen", &json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// `shutdown`, then `exit`: the process ends with code 0.
    fn shut_down(mut self) {
        let response = self.request("shutdown", &Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", &Value::Null);
        assert_eq!(self.exit_code(), 0);
    }

    /// Wait (within [`WAIT`]) for the process to end; its exit code.
    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().expect("an exit code, not a signal");
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave the server running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One framed message from the server; `None` when its output ends.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(byte));
            }
            _ => {
                let _ = write!(uri, "%{byte:02X}");
            }
        }
    }
    uri
}

/// The byte offset of an LSP position (UTF-16 units) in `text`, counted here independently of
/// the server's code.
fn offset(text: &str, position: &Value) -> usize {
    let line = usize::try_from(position["line"].as_u64().expect("line")).expect("line");
    let units =
        usize::try_from(position["character"].as_u64().expect("character")).expect("character");
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut counted = 0;
    for (at, c) in text[start..].char_indices() {
        if counted == units {
            return start + at;
        }
        counted += c.len_utf16();
    }
    panic!("position {position} is past the end")
}

/// `text` with LSP text edits applied, last first so earlier offsets hold.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|edit| {
            (
                offset(text, &edit["range"]["start"]),
                offset(text, &edit["range"]["end"]),
                edit["newText"].as_str().expect("newText"),
            )
        })
        .collect();
    edits.sort_by_key(|&(start, ..)| std::cmp::Reverse(start));
    let mut out = text.to_owned();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, new_text);
    }
    out
}

fn range(line: u32, start: u32, end_line: u32, end: u32) -> Value {
    json!({"start": {"line": line, "character": start}, "end": {"line": end_line, "character": end}})
}

/// (code, range) of each diagnostic, in the order published.
fn codes_and_ranges(diagnostics: &[Value]) -> Vec<(String, Value)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("<none>").to_owned(),
                d["range"].clone(),
            )
        })
        .collect()
}

/// A workspace folder holding `posts/` and a `ccguard.toml` with `config`.
fn site(config: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).expect("mkdir");
    std::fs::write(dir.path().join("ccguard.toml"), config).expect("config");
    (dir, posts)
}

#[test]
fn diagnostics_at_utf16_ranges_hover_and_a_quick_fix_over_stdio() {
    // The workspace's config makes missing-source-link a warning: the server found it.
    let (dir, posts) = site("[rules]\nmissing-source-link = \"warning\"\n");
    let cache = tempfile::tempdir().expect("cache");
    let post = posts.join("北京.md");
    std::fs::write(&post, POST).expect("post");
    let uri = file_uri(&post);
    let mut client = Client::start(cache.path());
    let init = client.initialize(dir.path(), &Value::Null);
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 1);
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.ccguard"])
    );
    assert_eq!(init["result"]["serverInfo"]["name"], "ccguard");

    client.open(&uri, "markdown", POST);
    let diagnostics = client.diagnostics(&uri, 1);
    let (line, start, end) = CLAIM;
    assert_eq!(
        codes_and_ranges(&diagnostics),
        vec![
            ("missing-source-link".to_owned(), range(0, 0, 0, 0)),
            (
                "missing-license-link".to_owned(),
                range(line, start, line, end)
            ),
        ]
    );
    // Warning (2) by the config for the first, by default for the second.
    assert_eq!(diagnostics[0]["severity"], 2);
    assert_eq!(diagnostics[1]["severity"], 2);
    assert_eq!(diagnostics[1]["source"], "ccguard");
    assert_eq!(
        diagnostics[1]["message"],
        "the license is named but not linked\n\
         help: link the license deed, e.g. https://creativecommons.org/licenses/by-nc/4.0/"
    );
    assert_eq!(
        diagnostics[1]["codeDescription"]["href"],
        "https://github.com/ccguard/ccguard/blob/main/README.md#missing-license-link"
    );

    // Hover on the claim: what CC BY-NC 4.0 requires, over the claim's range.
    let hover = client.request(
        "textDocument/hover",
        &json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": start + 3}}),
    );
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("hover: {hover}"));
    assert!(
        value.starts_with(
            "**CC BY-NC 4.0** — Attribution-NonCommercial 4.0 International  \n\
             <https://creativecommons.org/licenses/by-nc/4.0/>"
        ),
        "{value}"
    );
    assert!(value.contains("- **Cure period:** 30 days"), "{value}");
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    assert_eq!(hover["result"]["range"], range(line, start, line, end));
    // Elsewhere there is nothing to say.
    let nothing = client.request(
        "textDocument/hover",
        &json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 4}}),
    );
    assert_eq!(nothing["result"], Value::Null, "{nothing}");

    // The quick fix for the license link, asked for at the claim.
    let actions = client.request(
        "textDocument/codeAction",
        &json!({
            "textDocument": {"uri": uri},
            "range": range(line, start + 1, line, start + 1),
            "context": {"diagnostics": [diagnostics[1]]},
        }),
    );
    let actions = actions["result"].as_array().expect("code actions");
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let action = &actions[0];
    assert_eq!(
        action["title"],
        "link CC BY-NC 4.0 to its deed (missing-license-link)"
    );
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["diagnostics"][0]["code"], "missing-license-link");
    let edits = action["edit"]["changes"][uri.as_str()]
        .as_array()
        .expect("edits for the post");
    // Nothing is offered away from a fixable finding.
    let elsewhere = client.request(
        "textDocument/codeAction",
        &json!({
            "textDocument": {"uri": uri},
            "range": range(4, 3, 4, 3),
            "context": {"diagnostics": []},
        }),
    );
    assert_eq!(elsewhere["result"], json!([]), "{elsewhere}");

    // The editor applies the edit: exactly the license is linked, every other byte kept.
    let fixed = apply_edits(POST, edits);
    assert_eq!(
        fixed,
        POST.replace(
            "License CC BY-NC 4.0",
            "License [CC BY-NC 4.0](https://creativecommons.org/licenses/by-nc/4.0/)",
        )
    );
    client.notify(
        "textDocument/didChange",
        &json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let diagnostics = client.diagnostics(&uri, 2);
    assert_eq!(
        codes_and_ranges(&diagnostics),
        vec![("missing-source-link".to_owned(), range(0, 0, 0, 0))]
    );

    // Closing the document clears its diagnostics.
    client.notify(
        "textDocument/didClose",
        &json!({"textDocument": {"uri": uri}}),
    );
    let cleared = client.wait_for("cleared diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    client.shut_down();
}

#[test]
fn suppression_comments_and_the_config_are_honoured_and_a_bad_config_is_reported() {
    let (dir, posts) = site("[rules]\nmissing-source-link = \"off\"\n");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());
    client.initialize(dir.path(), &Value::Null);
    let suppressed = POST.replace(
        "译文",
        "<!-- ccguard-disable-next-line missing-license-link -- linked in the footer -->\r\n译文",
    );
    let uri = file_uri(&posts.join("quiet.md"));
    client.open(&uri, "markdown", &suppressed);
    assert_eq!(client.diagnostics(&uri, 1), Vec::<Value>::new());

    // A sub-folder's own config, broken: the document there is not checked, and says why.
    let drafts = posts.join("drafts");
    std::fs::create_dir(&drafts).expect("mkdir");
    std::fs::write(
        drafts.join(".ccguard.toml"),
        "[rules]\nno-such-rule = \"off\"\n",
    )
    .expect("config");
    let draft = file_uri(&drafts.join("draft.md"));
    client.open(&draft, "markdown", POST);
    let diagnostics = client.diagnostics(&draft, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let message = diagnostics[0]["message"].as_str().expect("message");
    assert!(
        message.contains(".ccguard.toml:2:1: unknown rule `no-such-rule`"),
        "{message}"
    );
    assert!(message.contains("nothing was checked"), "{message}");
    assert_eq!(diagnostics[0]["severity"], 1);
    // Fixed on disk: the next check loads it again.
    std::fs::write(
        drafts.join(".ccguard.toml"),
        "[rules]\nmissing-license-link = \"error\"\n",
    )
    .expect("config");
    client.notify(
        "textDocument/didSave",
        &json!({"textDocument": {"uri": draft}}),
    );
    let diagnostics = client.diagnostics(&draft, 1);
    let (line, start, end) = CLAIM;
    assert_eq!(
        codes_and_ranges(&diagnostics),
        vec![
            ("missing-source-link".to_owned(), range(0, 0, 0, 0)),
            (
                "missing-license-link".to_owned(),
                range(line, start, line, end)
            ),
        ]
    );
    assert_eq!(diagnostics[1]["severity"], 1);
    client.shut_down();
}

#[test]
fn html_documents_are_checked_and_other_languages_left_alone() {
    let (dir, posts) = site("");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());
    client.initialize(dir.path(), &Value::Null);
    let html = "<!doctype html>\n<html lang=\"en\"><body><article>\n<h1>港口 🌊</h1>\n\
                <p>By Ana Ruiz. Originally published by <a href=\"https://harbour.example/lights\">The Harbour Review</a>.</p>\n\
                <p>😀 Licensed under CC BY 4.0.</p>\n</article></body></html>\n";
    let uri = file_uri(&posts.join("harbour.html"));
    client.open(&uri, "html", html);
    let diagnostics = client.diagnostics(&uri, 1);
    // `😀 Licensed under ` is 18 UTF-16 units after `<p>`.
    assert_eq!(
        codes_and_ranges(&diagnostics),
        vec![("missing-license-link".to_owned(), range(4, 21, 4, 30))]
    );
    // A file whose ending the config adds is checked, as `check` would read it.
    std::fs::write(dir.path().join("ccguard.toml"), "extensions = [\"mdx\"]\n").expect("config");
    let mdx = file_uri(&posts.join("post.mdx"));
    client.open(&mdx, "mdx", POST);
    let (line, start, end) = CLAIM;
    assert_eq!(
        codes_and_ranges(&client.diagnostics(&mdx, 1)),
        vec![
            ("missing-source-link".to_owned(), range(0, 0, 0, 0)),
            (
                "missing-license-link".to_owned(),
                range(line, start, line, end)
            ),
        ]
    );
    // A Rust file is none of ours: no diagnostics, and the server answers on.
    client.open(&file_uri(&posts.join("main.rs")), "rust", "fn main() {}\n");
    let hover = client.request("textDocument/hover", &json!({"textDocument": {"uri": file_uri(&posts.join("main.rs"))}, "position": {"line": 0, "character": 1}}),
    );
    assert_eq!(hover["result"], Value::Null, "{hover}");
    assert!(
        !client
            .unread
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with("main.rs"))),
        "{:#?}",
        client.unread
    );
    client.shut_down();
}

#[test]
fn malformed_messages_get_errors_and_the_server_goes_on() {
    let (dir, posts) = site("");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());

    // Before `initialize`: refused as not initialized.
    let early = client.request("textDocument/hover", &json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    // Not JSON: a parse error with a null id.
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse = client.wait_for("a parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(parse["id"], Value::Null, "{parse}");
    // JSON, but not a message: an invalid request, answered with its id.
    client.send(&json!({"jsonrpc": "2.0", "id": 41, "method": 5}));
    let invalid = client.wait_for("an invalid request error", |m| m["id"] == 41);
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    // Headers without a length, then one with a length that is no number: skipped, logged.
    client.send_raw(b"Content-Type: nothing\r\n\r\nContent-Length: many\r\n\r\n");
    // `initialize` with parameters of the wrong shape: invalid params, still not initialized.
    let wrong = client.request("initialize", &json!({"capabilities": 5}));
    assert_eq!(wrong["error"]["code"], -32602, "{wrong}");
    // A proper one, with an option of the wrong type (logged, and verification stays off).
    let init = client.initialize(dir.path(), &json!({"verify": "yes"}));
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    let warning = client.wait_for("the option warning", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("initializationOptions.verify must be true or false"))
    });
    assert_eq!(warning["params"]["type"], 2);
    let unknown = client.request("textDocument/rename", &json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad_hover = client.request("textDocument/hover", &json!({"textDocument": 3}));
    assert_eq!(bad_hover["error"]["code"], -32602, "{bad_hover}");
    // A notification with wrong parameters cannot be answered: it is logged.
    client.notify("textDocument/didOpen", &json!({"textDocument": {"uri": 7}}));
    client.wait_for("the didOpen log", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["type"] == 1
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("textDocument/didOpen"))
    });
    // The skipped headers were logged too.
    client.wait_for("the missing length log", |m| {
        m["params"]["message"]
            .as_str()
            .is_some_and(|t| t.contains("without a Content-Length header"))
    });
    client.wait_for("the bad length log", |m| {
        m["params"]["message"]
            .as_str()
            .is_some_and(|t| t.contains("invalid Content-Length `many`"))
    });
    // After all that, the server still checks documents.
    let uri = file_uri(&posts.join("after.md"));
    client.open(&uri, "markdown", POST);
    let (line, start, end) = CLAIM;
    assert_eq!(
        codes_and_ranges(&client.diagnostics(&uri, 1)),
        vec![
            ("missing-source-link".to_owned(), range(0, 0, 0, 0)),
            (
                "missing-license-link".to_owned(),
                range(line, start, line, end)
            ),
        ]
    );
    // `exit` without `shutdown`: exit code 1, as the protocol says.
    client.notify("exit", &Value::Null);
    assert_eq!(client.exit_code(), 1);
}

#[test]
fn requests_after_shutdown_are_refused_and_an_ended_input_exits() {
    let (dir, _) = site("");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());
    client.initialize(dir.path(), &Value::Null);
    let response = client.request("shutdown", &Value::Null);
    assert_eq!(response["result"], Value::Null);
    let late = client.request("textDocument/hover", &json!({}));
    assert_eq!(late["error"]["code"], -32600, "{late}");
    // The editor went away without `exit`: the server ends, with code 1.
    drop(client.stdin.take());
    assert_eq!(client.exit_code(), 1);
}

#[test]
fn a_50_mb_document_gets_one_finding_over_the_size_cap() {
    let (dir, posts) = site("");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());
    client.initialize(dir.path(), &Value::Null);
    let line = "Harbour lights 港口 😀 CC BY 4.0\n";
    let huge = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    assert!(huge.len() > 50 * 1024 * 1024);
    let uri = file_uri(&posts.join("huge.md"));
    client.open(&uri, "markdown", &huge);
    drop(huge);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(
        codes_and_ranges(&diagnostics),
        vec![("unreadable-input".to_owned(), range(0, 0, 0, 0))]
    );
    let message = diagnostics[0]["message"].as_str().expect("message");
    assert!(
        message.contains("larger than the size cap of 16777216 bytes"),
        "{message}"
    );
    client.shut_down();
}

/// An HTTP server on 127.0.0.1 serving the original of `fixtures/http/posts/mismatch.md` (CC
/// BY-NC-ND 4.0), counting requests.
struct Original {
    base: String,
    requests: Arc<AtomicUsize>,
}

impl Original {
    fn start() -> Original {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", server.server_addr());
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&requests);
        let page = std::fs::read(common::root().join("fixtures/http/originals/by-nc-nd-4.html"))
            .expect("original");
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                counted.fetch_add(1, Ordering::SeqCst);
                let header =
                    tiny_http::Header::from_bytes("Content-Type", "text/html").expect("header");
                let _ = request
                    .respond(tiny_http::Response::from_data(page.clone()).with_header(header));
            }
        });
        Original { base, requests }
    }
}

#[test]
fn originals_are_verified_only_when_the_client_asks() {
    let original = Original::start();
    let post = std::fs::read_to_string(common::root().join("fixtures/http/posts/mismatch.md"))
        .expect("post")
        .replace("{{BASE}}", &original.base);
    let sessions = [
        (Value::Null, None),
        (json!({"verify": true}), Some("upstream-unreachable")),
        (
            json!({"verify": true, "allowPrivateHosts": true}),
            Some("upstream-license-mismatch"),
        ),
    ];
    for (options, upstream) in sessions {
        let (dir, posts) = site("");
        let cache = tempfile::tempdir().expect("cache");
        let mut client = Client::start(cache.path());
        client.initialize(dir.path(), &options);
        let uri = file_uri(&posts.join("mismatch.md"));
        client.open(&uri, "markdown", &post);
        let diagnostics = client.diagnostics(&uri, 1);
        let codes: Vec<&str> = diagnostics
            .iter()
            .filter_map(|d| d["code"].as_str())
            .filter(|c| c.starts_with("upstream-"))
            .collect();
        assert_eq!(codes, upstream.into_iter().collect::<Vec<_>>(), "{options}");
        if upstream == Some("upstream-unreachable") {
            let message = diagnostics
                .iter()
                .find(|d| d["code"] == "upstream-unreachable")
                .and_then(|d| d["message"].as_str())
                .expect("message");
            assert!(
                message.contains("private or local address 127.0.0.1"),
                "{message}"
            );
        }
        client.shut_down();
        let fetched = original.requests.load(Ordering::SeqCst);
        if upstream == Some("upstream-license-mismatch") {
            assert!(fetched > 0, "the original was fetched");
        } else {
            assert_eq!(fetched, 0, "nothing was fetched with {options}");
        }
    }
}

#[test]
fn a_panic_while_checking_is_that_documents_internal_error_and_the_server_goes_on() {
    let (dir, posts) = site("");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start_with(cache.path(), &[("CCGUARD_TEST_PANIC", "boom")]);
    client.initialize(dir.path(), &Value::Null);
    let boom = file_uri(&posts.join("boom.md"));
    client.open(&boom, "markdown", POST);
    let diagnostics = client.diagnostics(&boom, 1);
    assert_eq!(
        codes_and_ranges(&diagnostics),
        vec![("internal-error".to_owned(), range(0, 0, 0, 0))]
    );
    let message = diagnostics[0]["message"].as_str().expect("message");
    assert!(
        message.contains("CCGUARD_TEST_PANIC names this file"),
        "{message}"
    );
    let calm = file_uri(&posts.join("calm.md"));
    client.open(&calm, "markdown", POST);
    assert_eq!(client.diagnostics(&calm, 1).len(), 2);
    client.shut_down();
}

#[test]
fn ranged_changes_are_applied_at_their_utf16_places() {
    // The server asks for full text, but a client that sends ranges anyway is understood.
    let (dir, posts) = site("");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());
    client.initialize(dir.path(), &Value::Null);
    let uri = file_uri(&posts.join("ranged.md"));
    client.open(&uri, "markdown", POST);
    assert_eq!(client.diagnostics(&uri, 1).len(), 2);
    let (line, start, end) = CLAIM;
    client.notify(
        "textDocument/didChange",
        &json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [
                {"range": range(line, end, line, end), "text": "](https://creativecommons.org/licenses/by-nc/4.0/)"},
                {"range": range(line, start, line, start), "text": "["},
            ],
        }),
    );
    assert_eq!(
        codes_and_ranges(&client.diagnostics(&uri, 2)),
        vec![("missing-source-link".to_owned(), range(0, 0, 0, 0))]
    );
    // The hover range moved with the claim, one unit to the right of the `[`.
    let hover = client.request(
        "textDocument/hover",
        &json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": start + 2}}),
    );
    assert_eq!(
        hover["result"]["range"],
        range(line, start + 1, line, end + 1)
    );
    client.shut_down();
}

#[test]
fn a_findings_other_places_are_its_related_information() {
    let (dir, posts) = site("");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());
    client.initialize(dir.path(), &Value::Null);
    let post = "# 港口的灯 🌊\n\n\
                By Ana Ruiz. Originally published by [The Harbour Review](https://harbour.example/lights).\n\n\
                😀 Licensed under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). \
                © 2024 The Harbour Review. All rights reserved.\n";
    let uri = file_uri(&posts.join("conflict.md"));
    client.open(&uri, "markdown", post);
    let diagnostics = client.diagnostics(&uri, 1);
    // "All rights reserved" after 104 UTF-16 units (😀 is two), the claim's link at 18..75.
    assert_eq!(
        codes_and_ranges(&diagnostics),
        vec![("conflicting-notice".to_owned(), range(4, 104, 4, 123))]
    );
    assert_eq!(diagnostics[0]["severity"], 1);
    assert_eq!(
        diagnostics[0]["relatedInformation"],
        json!([{
            "location": {"uri": uri, "range": range(4, 18, 4, 75)},
            "message": "license claimed here",
        }])
    );
    // A finding that needs a person gets no quick fix.
    let actions = client.request(
        "textDocument/codeAction",
        &json!({
            "textDocument": {"uri": uri},
            "range": range(4, 0, 4, 130),
            "context": {"diagnostics": diagnostics},
        }),
    );
    assert_eq!(actions["result"], json!([]), "{actions}");
    client.shut_down();
}

#[test]
fn fix_all_applies_every_safe_fix_when_asked_for_by_kind() {
    let (dir, posts) = site("");
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());
    client.initialize(dir.path(), &Value::Null);
    let uri = file_uri(&posts.join("all.md"));
    client.open(&uri, "markdown", POST);
    assert_eq!(client.diagnostics(&uri, 1).len(), 2);
    let ask = |client: &mut Client, only: Value| {
        let response = client.request(
            "textDocument/codeAction",
            &json!({
                "textDocument": {"uri": uri},
                "range": range(0, 0, 0, 0),
                "context": {"diagnostics": [], "only": only},
            }),
        );
        response["result"].as_array().expect("actions").clone()
    };
    // Asked for as `source` (a parent kind): one action, with every fix's edits.
    let actions = ask(&mut client, json!(["source"]));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.ccguard");
    assert_eq!(
        actions[0]["title"],
        "Apply every safe ccguard fix (missing-license-link)"
    );
    let edits = actions[0]["edit"]["changes"][uri.as_str()]
        .as_array()
        .expect("edits");
    let fixed = apply_edits(POST, edits);
    assert_eq!(
        fixed,
        POST.replace(
            "License CC BY-NC 4.0",
            "License [CC BY-NC 4.0](https://creativecommons.org/licenses/by-nc/4.0/)",
        )
    );
    // Quick fixes alone do not include it; at the start of the post there is none.
    assert_eq!(ask(&mut client, json!(["quickfix"])), Vec::<Value>::new());
    client.notify(
        "textDocument/didChange",
        &json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(&uri, 2).len(), 1);
    // Nothing left to fix: no action.
    assert_eq!(
        ask(&mut client, json!(["source.fixAll"])),
        Vec::<Value>::new()
    );
    client.shut_down();
}

/// A workspace's `rules_dirs` adds cue files as `check --rules` does: Dutch "Alle rechten
/// voorbehouden" under a CC license is a conflicting notice in the editor too.
#[test]
fn a_workspaces_rules_dirs_add_cues_as_check_does() {
    let (dir, posts) = site("rules_dirs = [\"mine\"]\n");
    let cues = dir.path().join("mine/cues");
    std::fs::create_dir_all(&cues).expect("mkdir");
    std::fs::write(
        cues.join("nl.toml"),
        "[restriction]\nphrases = ['alle\\s+rechten\\s+voorbehouden']\n",
    )
    .expect("cues");
    let text = "---\ntitle: \"De gereedschapsbibliotheek\"\nauthor: \"Anna de Vries\"\n\
                source: \"https://example.org/blog/gereedschap\"\n\
                license: \"https://creativecommons.org/licenses/by/4.0/\"\n---\n\n\
                In het dorp is er een bibliotheek voor gereedschap.\n\nAlle rechten voorbehouden.\n";
    let post = posts.join("gereedschap.md");
    std::fs::write(&post, text).expect("post");
    let uri = file_uri(&post);
    let cache = tempfile::tempdir().expect("cache");
    let mut client = Client::start(cache.path());
    client.initialize(dir.path(), &Value::Null);
    client.open(&uri, "markdown", text);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(
        codes_and_ranges(&diagnostics),
        vec![("conflicting-notice".to_owned(), range(9, 0, 9, 25))]
    );
}
