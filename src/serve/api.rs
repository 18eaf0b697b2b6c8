//! The routes of `ccguard serve` and the JSON the page reads: who may ask (the page's own
//! origin, at this server's host), what a check returns (findings with byte and UTF-16
//! offsets, the credit line's parts, the originals), and the errors the page shows.
//!
//! Not for HTTP itself (that is `http`) nor for checking (that is the library's `Checker`).

use std::net::TcpStream;
use std::panic::{self, AssertUnwindSafe};

use ccguard::check::{self, short_name};
use ccguard::checker::Checker;
use ccguard::document;
use ccguard::fetch::{self, FetchError, Fetcher, decode};
use ccguard::fix::{self, Edit, Fix};
use ccguard::result::DocumentResult;
use ccguard::source::{Format, LineIndex, Source};
use ccguard::verify::Verifier;
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::{Value, json};

use super::http::{self, ReadError, Request, Response};
use crate::cli::{AttributionArgs, AttributionFormat};
use crate::commands::Failure;
use crate::commands::tools::credit;

/// The page, compiled in.
const PAGE: &str = include_str!("page.html");

/// What the page may load and send: nothing but this server (post text is never markup here,
/// and this keeps any that slipped in from loading or sending anything).
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; \
     style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// A request's JSON on top of the draft's text: keys, quotes and escapes of line breaks.
const JSON_SLACK: usize = 64 * 1024;

/// What every request is answered with.
pub(crate) struct State {
    /// The checker, as `check` builds it (config, rules, offline or not).
    pub checker: Checker,
    /// How originals and URLs are fetched; `None` when offline.
    pub fetch: Option<fetch::Options>,
    /// The port the page is served on (its origin).
    pub port: u16,
    /// The largest draft, file or page checked, in bytes.
    pub max_text: usize,
}

/// Read one request from `stream`, answer it, close.
pub(crate) fn handle(state: &State, mut stream: TcpStream) {
    // A draft's text is JSON-escaped: a line break is two bytes, a control character six.
    let max_body = state.max_text.saturating_mul(2).saturating_add(JSON_SLACK);
    let (response, unread) = match http::read_request(&mut stream, max_body) {
        Ok(request) => {
            // A panic here is a bug in ccguard: the page says so, the server keeps serving.
            let answered = panic::catch_unwind(AssertUnwindSafe(|| route(state, &request)));
            let response = answered.unwrap_or_else(|_| {
                Response::error(
                    500,
                    "ccguard hit a bug (a panic) while answering; the terminal running \
                     `ccguard serve` shows where; please report it",
                )
            });
            (response, 0)
        }
        Err(ReadError::Gone) => return,
        Err(ReadError::Bad(status, message)) => (Response::error(status, message), 0),
        Err(ReadError::TooLarge {
            request,
            limit,
            declared,
        }) => {
            let response = match guard(state, &request) {
                Err(refused) => refused,
                Ok(()) => Response::error(
                    413,
                    format!(
                        "the draft is too large to check: {} sent, at most {} accepted \
                         (ccguard checks drafts up to {}; `serve --max-size` raises it)",
                        megabytes(declared),
                        megabytes(limit as u64),
                        megabytes(state.max_text as u64)
                    ),
                ),
            };
            (response, declared)
        }
    };
    http::respond(&mut stream, &response, unread);
}

/// `n` bytes as "12.3 MB".
#[allow(clippy::cast_precision_loss)]
fn megabytes(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1_000_000.0)
}

/// Answer a request that was read whole.
fn route(state: &State, request: &Request) -> Response {
    if let Err(refused) = guard(state, request) {
        return refused;
    }
    let answer = match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/") => return page(),
        ("GET", "/api/info") => Ok(info(state)),
        ("POST", "/api/check") => json_body(request).and_then(|draft| check_draft(state, draft)),
        ("POST", "/api/apply") => json_body(request).and_then(|chosen| apply(state, chosen)),
        ("POST", "/api/check-url") => json_body(request).and_then(|url| check_url(state, &url)),
        ("POST", "/api/check-file") => check_file(state, request),
        ("POST", "/api/attribution") => {
            json_body(request).and_then(|parts| attribution(state, parts))
        }
        (
            _,
            "/" | "/api/info" | "/api/check" | "/api/check-url" | "/api/check-file"
            | "/api/attribution" | "/api/apply",
        ) => Err(Response::error(
            405,
            format!("{} is not answered at {}", request.method, request.path),
        )),
        _ => Err(Response::error(404, format!("no page at {}", request.path))),
    };
    answer.unwrap_or_else(|refused| refused)
}

/// Refuse what does not come from the page itself: a `Host` other than this server's (a DNS
/// rebinding page reaches 127.0.0.1 under its own name), and a POST without proof of coming
/// from this origin (another tab's cross-site POST).
fn guard(state: &State, request: &Request) -> Result<(), Response> {
    let port = state.port;
    let host = request.header("host").unwrap_or("");
    let ours = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    if !ours.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Err(Response::error(
            403,
            format!(
                "ccguard serve answers only requests addressed to http://127.0.0.1:{port}/ \
                 (this one was addressed to {host:?})"
            ),
        ));
    }
    if request.method == "GET" {
        return Ok(());
    }
    let origin = request.header("origin");
    let same_origin = match origin {
        Some(origin) => origin.eq_ignore_ascii_case(&format!("http://{host}")),
        None => request.header("sec-fetch-site") == Some("same-origin"),
    };
    if same_origin {
        Ok(())
    } else {
        Err(Response::error(
            403,
            format!(
                "refused: this request does not come from the ccguard page at \
                 http://{host}/ (Origin {})",
                origin.unwrap_or("absent, and Sec-Fetch-Site is not same-origin")
            ),
        ))
    }
}

/// The page, with headers that keep it from loading or framing anything else.
fn page() -> Response {
    Response {
        status: 200,
        content_type: "text/html; charset=utf-8",
        headers: vec![
            (
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.to_owned(),
            ),
            ("X-Frame-Options", "DENY".to_owned()),
        ],
        body: PAGE.as_bytes().to_vec(),
    }
}

/// What the page needs to know up front: limits, whether URLs can be read, the licenses.
fn info(state: &State) -> Response {
    let licenses: Vec<Value> = state
        .checker
        .registry()
        .licenses
        .iter()
        .map(|rule| json!({ "id": rule.id, "name": short_name(rule) }))
        .collect();
    Response::json(
        200,
        &json!({
            "version": env!("CARGO_PKG_VERSION"),
            "offline": state.fetch.is_none(),
            "max_text": state.max_text,
            "licenses": licenses,
        }),
    )
}

/// The JSON body of a request, as `T`.
fn json_body<T: for<'de> Deserialize<'de>>(request: &Request) -> Result<T, Response> {
    let is_json = request
        .header("content-type")
        .and_then(|t| t.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(Response::error(415, "send the request as application/json"));
    }
    serde_json::from_slice(&request.body).map_err(|e| {
        Response::error(
            400,
            format!("the request is not the JSON the page sends: {e}"),
        )
    })
}

/// A pasted draft.
#[derive(Deserialize)]
struct Draft {
    text: String,
    /// `html`, `markdown`, or absent / `auto` to sniff it.
    #[serde(default)]
    format: Option<String>,
    /// A file name or the URL it was read from (relative links resolve against a URL, and
    /// the config's overrides match a path).
    #[serde(default)]
    name: Option<String>,
}

/// `POST /api/check`: check a draft.
fn check_draft(state: &State, draft: Draft) -> Result<Response, Response> {
    let (source, sniffed) = draft_source(state, draft)?;
    let verifier = verifier(state)?;
    let result = state.checker.check_source_with(source, verifier.as_ref());
    Ok(Response::json(200, &report(state, &result, sniffed)))
}

/// A fix the page chose: the draft it was offered for, its place among the draft's fixes and
/// its title (to tell that it is still the same fix).
#[derive(Deserialize)]
struct ChosenFix {
    #[serde(flatten)]
    draft: Draft,
    fix: usize,
    title: String,
}

/// `POST /api/apply`: check the draft again, apply the chosen fix to it, and check the result.
fn apply(state: &State, chosen: ChosenFix) -> Result<Response, Response> {
    let (source, sniffed) = draft_source(state, chosen.draft)?;
    let (name, format) = (source.name.clone(), source.format);
    let verifier = verifier(state)?;
    let before = state.checker.check_source_with(source, verifier.as_ref());
    let fixes = fix::fixes(&before, state.checker.registry());
    let Some(fix) = fixes.get(chosen.fix).filter(|f| f.title == chosen.title) else {
        return Err(Response::error(
            409,
            "this fix no longer applies to the draft as it is now; check it again and choose \
             from the fixes it offers",
        ));
    };
    let text = fix::apply(&before.source.text, &fix.edits)
        .map_err(|e| Response::error(409, e.to_string()))?;
    too_large(state, text.len())?;
    let after = state
        .checker
        .check_source_with(Source::from_text(name, text, format), verifier.as_ref());
    Ok(Response::json(200, &report(state, &after, sniffed)))
}

/// The source a draft is checked as, and whether its format was sniffed.
fn draft_source(state: &State, draft: Draft) -> Result<(Source, bool), Response> {
    too_large(state, draft.text.len())?;
    let (format, sniffed) = match draft.format.as_deref() {
        Some("html") => (Format::Html, false),
        Some("markdown") => (Format::Markdown, false),
        None | Some("" | "auto") => (sniff(&draft.text), true),
        Some(other) => {
            return Err(Response::error(
                400,
                format!("format {other:?}: give html, markdown or auto"),
            ));
        }
    };
    let name = draft_name(draft.name.as_deref(), format);
    Ok((Source::from_text(name, draft.text, format), sniffed))
}

/// Markdown unless the text starts with a tag, as a fetched page without a content type.
fn sniff(text: &str) -> Format {
    decode::format_of(None, text.as_bytes()).unwrap_or(Format::Markdown)
}

/// The name a draft is checked under: the one the page gives when it is a plain file name or
/// URL, else `draft.md` / `draft.html`.
fn draft_name(name: Option<&str>, format: Format) -> String {
    match name {
        Some(name)
            if !name.is_empty() && name.len() <= 2048 && !name.chars().any(char::is_control) =>
        {
            name.to_owned()
        }
        _ => match format {
            Format::Html => "draft.html".to_owned(),
            Format::Markdown => "draft.md".to_owned(),
        },
    }
}

/// 413 for a text over the cap.
fn too_large(state: &State, bytes: usize) -> Result<(), Response> {
    if bytes > state.max_text {
        return Err(Response::error(
            413,
            format!(
                "the draft is too large to check: {}, at most {} (`serve --max-size` raises it)",
                megabytes(bytes as u64),
                megabytes(state.max_text as u64)
            ),
        ));
    }
    Ok(())
}

/// A fresh verifier for one request (a fetcher remembers every page and a lost network for
/// its life); `None` when offline.
fn verifier(state: &State) -> Result<Option<Verifier>, Response> {
    let Some(options) = &state.fetch else {
        return Ok(None);
    };
    Fetcher::new(options.clone())
        .map(|fetcher| Some(Verifier::new(fetcher)))
        .map_err(|e| Response::error(500, e.to_string()))
}

/// A URL to read.
#[derive(Deserialize)]
struct PageUrl {
    url: String,
}

/// `POST /api/check-url`: fetch a page, as `check URL` does, and check it.
fn check_url(state: &State, page: &PageUrl) -> Result<Response, Response> {
    let url = page.url.trim();
    let Some(verifier) = verifier(state)? else {
        return Err(Response::error(
            409,
            "ccguard serve runs with --offline and reads no URLs: paste the page instead",
        ));
    };
    let fetched = verifier
        .fetcher()
        .fetch(url)
        .map_err(|e| fetch_error(url, &e, verifier.fetcher().options()))?;
    let source = decode::decode(
        &fetched.final_url,
        fetched.content_type.as_deref(),
        &fetched.body,
    )
    .map_err(|reason| Response::error(422, format!("cannot check {url}: {reason}")))?;
    too_large(state, source.text.len())?;
    let result = state.checker.check_source_with(source, Some(&verifier));
    Ok(Response::json(200, &report(state, &result, false)))
}

/// What the page says when a URL could not be read.
fn fetch_error(url: &str, error: &FetchError, options: &fetch::Options) -> Response {
    match error {
        FetchError::Timeout | FetchError::NoResponse => Response::error(
            504,
            format!(
                "{url} did not answer within {} s; try again later, or start serve with a \
                 longer --timeout",
                options.timeout.as_secs()
            ),
        ),
        FetchError::Refused(reason) => {
            Response::error(422, format!("{url} was not fetched: {reason}"))
        }
        other => Response::error(502, format!("cannot read {url}: {other}")),
    }
}

/// `POST /api/check-file?name=N&format=F`: check a dropped file's bytes, decoded as a fetched
/// page is (its `<meta charset>`, a byte-order mark, else UTF-8).
fn check_file(state: &State, request: &Request) -> Result<Response, Response> {
    if request.header("content-type") != Some("application/octet-stream") {
        return Err(Response::error(
            415,
            "send the file's bytes as application/octet-stream",
        ));
    }
    too_large(state, request.body.len())?;
    let mut name = None;
    let mut format = None;
    for pair in request.query.as_deref().unwrap_or("").split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
        match key {
            "name" => name = Some(value),
            "format" => format = Some(value),
            _ => {}
        }
    }
    let by_name = name.as_deref().and_then(Format::from_path);
    let (format, sniffed) = match (format.as_deref(), by_name) {
        (Some("html"), _) => (Format::Html, false),
        (Some("markdown"), _) => (Format::Markdown, false),
        (_, Some(format)) => (format, false),
        _ => (
            decode::format_of(None, &request.body).unwrap_or(Format::Markdown),
            true,
        ),
    };
    let content_type = match format {
        Format::Html => "text/html",
        Format::Markdown => "text/markdown",
    };
    let name = draft_name(name.as_deref(), format);
    let source = decode::decode(&name, Some(content_type), &request.body)
        .map_err(|reason| Response::error(422, format!("cannot check {name}: {reason}")))?;
    let verifier = verifier(state)?;
    let result = state.checker.check_source_with(source, verifier.as_ref());
    Ok(Response::json(200, &report(state, &result, sniffed)))
}

/// The parts of a credit line, as the builder's fields hold them.
#[derive(Deserialize)]
struct CreditParts {
    #[serde(default)]
    title: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    license: String,
    #[serde(default)]
    translated_from: String,
    #[serde(default)]
    translator: String,
}

/// `POST /api/attribution`: the credit line in HTML, Markdown and text, validated as
/// `ccguard attribution` validates it.
fn attribution(state: &State, parts: CreditParts) -> Result<Response, Response> {
    let missing: Vec<&str> = [
        ("title", &parts.title),
        ("author", &parts.author),
        ("source", &parts.source),
        ("license", &parts.license),
    ]
    .into_iter()
    .filter(|(_, value)| value.trim().is_empty())
    .map(|(name, _)| name)
    .collect();
    if !missing.is_empty() {
        return Err(Response::error(
            422,
            format!("fill in the {}", missing.join(", ")),
        ));
    }
    let optional = |value: String| {
        let value = value.trim().to_owned();
        (!value.is_empty()).then_some(value)
    };
    let args = AttributionArgs {
        title: parts.title.trim().to_owned(),
        author: parts.author.trim().to_owned(),
        source: parts.source.trim().to_owned(),
        license: parts.license.trim().to_owned(),
        translated_from: optional(parts.translated_from),
        translator: optional(parts.translator),
        format: AttributionFormat::Html,
        media: None,
    };
    let line = credit(state.checker.registry(), &args).map_err(|failure| match failure {
        Failure::Usage(message) => Response::error(422, message),
        Failure::Io(e) => Response::error(500, e.to_string()),
    })?;
    Ok(Response::json(
        200,
        &json!({ "html": line.html(), "markdown": line.markdown(), "text": line.text() }),
    ))
}

/// What the page shows of a checked post: its text, findings at byte and UTF-16 offsets
/// (JavaScript strings count UTF-16 units), the credit line's parts and the originals.
fn report(state: &State, result: &DocumentResult, sniffed: bool) -> Value {
    let text = &result.source.text;
    let fixes = fix::fixes(result, state.checker.registry());
    let offsets = Utf16::new(
        text,
        result
            .diagnostics
            .iter()
            .flat_map(|d| [d.span.start, d.span.end])
            .chain(
                fixes
                    .iter()
                    .flat_map(|f| f.edits.iter().flat_map(|e| [e.range.start, e.range.end])),
            ),
    );
    let findings: Vec<Value> = result
        .diagnostics
        .iter()
        .map(|d| {
            let (line, column) = (d.place.line, d.place.column);
            let (end_line, end_column) = (d.place.end_line, d.place.end_column);
            let fix = fixes
                .iter()
                .position(|f| f.rule == d.rule && f.finding == d.span);
            json!({
                "rule": d.rule.as_str(),
                "severity": d.severity.as_str(),
                "message": d.message,
                "help": d.help,
                "whole": d.span.is_empty() && d.span.start == 0,
                "start": d.span.start,
                "end": d.span.end,
                "utf16_start": offsets.get(d.span.start),
                "utf16_end": offsets.get(d.span.end),
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "fix": fix,
            })
        })
        .collect();
    let lines = LineIndex::new(&result.source.text);
    let fixes: Vec<Value> = fixes
        .iter()
        .map(|f| fix_json(result, f, &offsets, &lines))
        .collect();
    let (errors, warnings, infos) = result.counts();
    json!({
        "name": result.source.name,
        "format": result.source.format.as_str(),
        "sniffed": sniffed,
        "text": text,
        "is_repost": result.is_repost,
        "license": result.license.as_ref().map(|l| json!({
            "id": l.id, "family": l.family, "version": l.version, "linked": l.linked,
        })),
        "findings": findings,
        "fixes": fixes,
        "suppressed": result.suppressed.len(),
        "unverified": result.unverified,
        "offline": state.fetch.is_none(),
        "upstream": upstream(result),
        "credit": credit_parts(state, result),
        "summary": { "errors": errors, "warnings": warnings, "infos": infos },
    })
}

/// A fix as the page previews it: each edit's place, the text it replaces and writes, and
/// some of the line around it.
fn fix_json(result: &DocumentResult, fix: &Fix, offsets: &Utf16, index: &LineIndex) -> Value {
    let text = &result.source.text;
    let edits: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            let (start, end) = (edit.range.start, edit.range.end);
            let (line, column) = index.line_col(text, start);
            json!({
                "start": start,
                "end": end,
                "utf16_start": offsets.get(start),
                "utf16_end": offsets.get(end),
                "line": line,
                "column": column,
                "before": text.get(start..end).unwrap_or(""),
                "after": edit.text,
                "context_before": context_before(text, start),
                "context_after": context_after(text, end),
            })
        })
        .collect();
    json!({
        "rule": fix.rule.as_str(),
        "title": fix.title,
        "edits": edits,
        "changes": changes(result, fix, index),
    })
}

/// A fix's edits as the lines they change: the edits on one line together, each as pieces of
/// text kept (`same`), taken out (`del`) or written (`ins`), before and after.
fn changes(result: &DocumentResult, fix: &Fix, index: &LineIndex) -> Vec<Value> {
    let text = &result.source.text;
    let mut edits: Vec<&Edit> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut lines: Vec<Vec<&Edit>> = Vec::new();
    for edit in edits {
        let same_line = lines
            .last()
            .and_then(|line| line.last())
            .is_some_and(|previous| {
                text.get(previous.range.end..edit.range.start)
                    .is_some_and(|between| !between.contains('\n'))
            });
        match lines.last_mut() {
            Some(line) if same_line => line.push(edit),
            _ => lines.push(vec![edit]),
        }
    }
    lines
        .iter()
        .filter_map(|line| {
            let (first, last) = (line.first()?, line.last()?);
            let (number, column) = index.line_col(text, first.range.start);
            let mut before = vec![("same", context_before(text, first.range.start))];
            let mut after = before.clone();
            let mut at = first.range.start;
            for edit in line {
                let kept = text.get(at..edit.range.start).unwrap_or("");
                before.push(("same", kept));
                after.push(("same", kept));
                before.push(("del", text.get(edit.range.clone()).unwrap_or("")));
                after.push(("ins", edit.text.as_str()));
                at = edit.range.end;
            }
            before.push(("same", context_after(text, last.range.end)));
            after.push(("same", context_after(text, last.range.end)));
            let pieces = |pieces: Vec<(&str, &str)>| -> Vec<Value> {
                pieces
                    .into_iter()
                    .filter(|(_, text)| !text.is_empty())
                    .map(|(kind, text)| json!([kind, text]))
                    .collect()
            };
            Some(json!({
                "line": number,
                "column": column,
                "before": pieces(before),
                "after": pieces(after),
            }))
        })
        .collect()
}

/// Characters shown around an edit in its preview, at most.
const CONTEXT_CHARS: usize = 40;

/// Up to [`CONTEXT_CHARS`] characters of the line before byte `at`.
fn context_before(text: &str, at: usize) -> &str {
    let Some(head) = text.get(..at) else {
        return "";
    };
    let line = head.rfind('\n').map_or(head, |i| &head[i + 1..]);
    let skip = line.chars().count().saturating_sub(CONTEXT_CHARS);
    line.char_indices()
        .nth(skip)
        .map_or("", |(i, _)| &line[i..])
}

/// Up to [`CONTEXT_CHARS`] characters of the line after byte `at`.
fn context_after(text: &str, at: usize) -> &str {
    let Some(tail) = text.get(at..) else {
        return "";
    };
    let line = tail.find('\n').map_or(tail, |i| &tail[..i]);
    let end = line
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(line.len(), |(i, _)| i);
    &line[..end]
}

/// The originals the post links, as verified.
fn upstream(result: &DocumentResult) -> Vec<Value> {
    result
        .upstream
        .iter()
        .map(|u| match &u.result {
            Ok(original) => json!({
                "url": u.url,
                "read": true,
                "final_url": original.final_url,
                "title": original.title,
                "authors": original.authors,
                "license": original.license.as_ref().map(|l| l.id.clone().unwrap_or_else(|| l.family.clone())),
            }),
            Err(reason) => json!({ "url": u.url, "read": false, "error": reason }),
        })
        .collect()
}

/// The credit line's parts as the post and its verified original give them (the original's
/// license first: it is the one the credit must name).
fn credit_parts(state: &State, result: &DocumentResult) -> Value {
    let registry = state.checker.registry();
    let config = state.checker.config();
    let settings = config.settings_for(&config.relative_path(&result.source.name));
    let document = document::extract(&result.source);
    let input = check::Input::new(
        &result.source,
        &document,
        &result.facts,
        registry,
        result.is_repost,
        settings.commercial,
        &settings.levels,
    )
    .with_upstream(&result.upstream);
    let line = input.attribution();
    let license = input
        .upstream_license
        .as_ref()
        .and_then(|g| g.rule)
        .or_else(|| input.governing.as_ref().and_then(|g| g.rule))
        .map(|rule| rule.id.clone());
    json!({
        "title": line.title,
        "author": line.author,
        "source": line.source,
        "license": license,
        "license_hint": line.license_name,
        "translated_from": line.translated_from,
        "translator": line.translator,
    })
}

/// UTF-16 offsets of byte offsets into one text.
struct Utf16 {
    /// (byte offset, UTF-16 offset), sorted by byte offset.
    pairs: Vec<(usize, usize)>,
}

impl Utf16 {
    /// The UTF-16 offsets of `offsets` in `text`, in one pass over it; an offset inside a
    /// character counts from that character's start.
    fn new(text: &str, offsets: impl Iterator<Item = usize>) -> Utf16 {
        let mut wanted: Vec<usize> = offsets.collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut pairs = Vec::with_capacity(wanted.len());
        let mut units = 0;
        let mut chars = text.char_indices().peekable();
        for offset in wanted {
            while let Some(&(at, c)) = chars.peek() {
                if at + c.len_utf8() > offset {
                    break;
                }
                units += c.len_utf16();
                chars.next();
            }
            pairs.push((offset, units));
        }
        Utf16 { pairs }
    }

    /// The UTF-16 offset of a byte offset given to [`Utf16::new`] (0 for any other).
    fn get(&self, offset: usize) -> usize {
        self.pairs
            .binary_search_by_key(&offset, |&(o, _)| o)
            .ok()
            .and_then(|i| self.pairs.get(i))
            .map_or(0, |&(_, units)| units)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_stays_on_the_edit_s_line_and_counts_characters() {
        let text = "first line\nsecond 🤝 line, then the notice\nlast";
        let at = text.find("the notice").unwrap();
        assert_eq!(context_before(text, at), "second 🤝 line, then ");
        assert_eq!(context_after(text, at), "the notice");
        let long = format!("{}X{}", "é".repeat(50), "ü".repeat(50));
        let x = long.find('X').unwrap();
        assert_eq!(context_before(&long, x), "é".repeat(40));
        assert_eq!(context_after(&long, x + 1), "ü".repeat(40));
        assert_eq!(
            (context_before(text, 999), context_after(text, 999)),
            ("", "")
        );
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs_and_round_down_inside_a_character() {
        // "a" 1 byte/1 unit, "é" 2/1, "中" 3/1, "😀" 4/2.
        let text = "aé中😀b";
        let map = Utf16::new(text, [0, 1, 3, 6, 10, 11, 2, 99].into_iter());
        assert_eq!(
            [0, 1, 3, 6, 10, 11, 2, 99].map(|o| map.get(o)),
            [0, 1, 2, 3, 5, 6, 1, 6]
        );
        assert_eq!(map.get(4), 0, "an offset not asked for");
    }
}
