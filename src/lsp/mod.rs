//! `ccguard lsp`: a language server over stdio that checks Markdown and HTML documents as they
//! are edited.
//!
//! The server keeps the open documents' text (full sync), checks a document with the same
//! [`Checker::check_source`] as `ccguard check` once the messages that arrived together are
//! handled (a burst of changes is checked once), and publishes its findings as diagnostics.
//! Hover on a license claim tells what that license requires; each safe fix of [`crate::fix`]
//! is a quick fix for its diagnostic, and all of them one `source.fixAll.ccguard` action. Originals are not fetched unless the client asks for it
//! (`initializationOptions: {"verify": true}`), so typing never waits on the network.
//!
//! One thread reads frames ([`transport`]); this one handles them in order. A message that
//! cannot be read or understood gets an error response (requests) or a log message
//! (notifications), never the end of the server; a panic while handling one is caught the same
//! way. Not for the rules or the checking themselves: those are the library's pipeline.

mod code_action;
mod diagnostics;
mod hover;
mod position;
mod transport;
mod workspace;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::path::PathBuf;
use std::sync::mpsc;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DidChangeTextDocumentParams, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, Hover,
    HoverContents, HoverParams, HoverProviderCapability, InitializeParams, InitializeResult,
    LogMessageParams, MarkupContent, MarkupKind, MessageType, OneOf, PositionEncodingKind,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri, WorkspaceFolder, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::check;
use crate::checker::Checker;
use crate::diagnostic::RuleId;
use crate::fix::Fix;
use crate::result::DocumentResult;
use crate::source::{Format, Source};
use crate::walk;
use position::Utf16Index;
use transport::Frame;
use workspace::{Network, Workspace, file_path};

/// Frames read ahead of the one being handled: enough to see a burst of edits at once, few
/// enough that large documents in flight stay few.
const READ_AHEAD: usize = 8;

/// Serve one client reading `input` and writing `output` until it sends `exit`. The exit code
/// is 0 when `shutdown` came first, 1 otherwise (also when the input ends without `exit`), as
/// the protocol asks.
pub fn serve(input: impl Read + Send + 'static, output: impl Write) -> io::Result<u8> {
    let (frames, receiver) = mpsc::sync_channel(READ_AHEAD);
    // Detached: it ends with the input, or with the process when `exit` comes first.
    std::thread::Builder::new()
        .name("lsp-reader".to_owned())
        .spawn(move || {
            let mut input = BufReader::new(input);
            while let Ok(Some(frame)) = transport::read_frame(&mut input, transport::MAX_BODY) {
                if frames.send(frame).is_err() {
                    break;
                }
            }
        })?;
    let mut server = Server::new(output);
    loop {
        let Ok(frame) = receiver.recv() else {
            return Ok(1);
        };
        if let Some(code) = server.handle_guarded(frame)? {
            return Ok(code);
        }
        // Handle what has arrived meanwhile before checking, so that a burst of edits to one
        // document is checked once, at its last version.
        while let Ok(frame) = receiver.try_recv() {
            if let Some(code) = server.handle_guarded(frame)? {
                return Ok(code);
            }
        }
        server.check_changed()?;
    }
}

/// Where the server is in the protocol's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for `initialize`.
    Starting,
    /// Serving.
    Running,
    /// `shutdown` answered; waiting for `exit`.
    ShutDown,
}

/// An open document.
#[derive(Debug)]
struct Document {
    text: String,
    version: i32,
    format: Format,
    /// The last check's result, when it ran and has not been outdated by an edit.
    checked: Option<Checked>,
}

/// What the last check of a document left for hover and code actions.
#[derive(Debug)]
struct Checked {
    /// The config the check used (to find its rules again).
    config: Option<PathBuf>,
    /// `None` when the document was not checked (an invalid config, over the size cap).
    result: Option<DocumentResult>,
    /// The fixes a re-check confirmed, worked out when quick fixes are first asked for.
    fixes: OnceCell<Vec<Fix>>,
    /// Every safe fix at once (`None`: there is none), worked out when first asked for.
    fix_all: OnceCell<Option<CodeAction>>,
}

/// The server's state and its writer.
struct Server<W: Write> {
    out: W,
    phase: Phase,
    workspace: Workspace,
    documents: HashMap<Uri, Document>,
    /// Documents edited since their last check, in the order first edited.
    changed: Vec<Uri>,
}

impl<W: Write> Server<W> {
    fn new(out: W) -> Server<W> {
        Server {
            out,
            phase: Phase::Starting,
            workspace: Workspace::default(),
            documents: HashMap::new(),
            changed: Vec::new(),
        }
    }

    /// Handle one frame; `Some(exit code)` on `exit`. A panic while handling it is answered
    /// (requests) or logged, and the server goes on: one bad message must not end the session.
    fn handle_guarded(&mut self, frame: Frame) -> io::Result<Option<u8>> {
        let id = match &frame {
            Frame::Message(Message::Request(request)) => Some(request.id.clone()),
            _ => None,
        };
        match check::catch_panic(|| self.handle(frame)) {
            Ok(handled) => handled,
            Err(finding) => {
                let message = finding.message;
                match id {
                    Some(id) => self.send(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        message,
                    ))?,
                    None => self.log(MessageType::ERROR, message)?,
                }
                Ok(None)
            }
        }
    }

    fn handle(&mut self, frame: Frame) -> io::Result<Option<u8>> {
        match frame {
            Frame::Message(Message::Request(request)) => self.request(request).map(|()| None),
            Frame::Message(Message::Notification(notification)) => self.notification(notification),
            // The server sends no requests, so a response answers nothing.
            Frame::Message(Message::Response(_)) => Ok(None),
            Frame::Invalid { id, code, message } => {
                if id.is_some() || matches!(code, ErrorCode::ParseError) {
                    transport::write_error(&mut self.out, id, code, &message)?;
                }
                self.log(MessageType::ERROR, message).map(|()| None)
            }
            Frame::Skipped(message) => self.log(MessageType::ERROR, message).map(|()| None),
            Frame::Oversized(length) => {
                // Most likely a document the editor opened: said where the user looks.
                let message = format!(
                    "ccguard skipped a message of {length} bytes: messages over {} bytes are not read",
                    transport::MAX_BODY
                );
                self.notify(
                    "window/showMessage",
                    ShowMessageParams {
                        typ: MessageType::ERROR,
                        message: message.clone(),
                    },
                )?;
                self.log(MessageType::ERROR, message).map(|()| None)
            }
        }
    }

    fn request(&mut self, request: Request) -> io::Result<()> {
        let id = request.id.clone();
        let refusal = match (self.phase, request.method.as_str()) {
            (Phase::Starting, "initialize") => return self.initialize(request),
            (Phase::Starting, _) => Some((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized: send `initialize` first".to_owned(),
            )),
            (Phase::ShutDown, _) => Some((
                ErrorCode::InvalidRequest,
                "the server is shut down: only `exit` is accepted".to_owned(),
            )),
            (Phase::Running, "initialize") => Some((
                ErrorCode::InvalidRequest,
                "the server is already initialized".to_owned(),
            )),
            (Phase::Running, _) => None,
        };
        if let Some((code, message)) = refusal {
            return self.send(Response::new_err(id, code as i32, message));
        }
        match request.method.as_str() {
            "shutdown" => {
                self.phase = Phase::ShutDown;
                self.send(Response::new_ok(id, ()))
            }
            "textDocument/hover" => match params::<HoverParams>(&request) {
                Ok(params) => {
                    let hover = self.hover(&params);
                    self.send(Response::new_ok(id, hover))
                }
                Err(error) => self.send(error),
            },
            "textDocument/codeAction" => match params::<CodeActionParams>(&request) {
                Ok(params) => {
                    let actions = self.code_actions(&params);
                    self.send(Response::new_ok(id, actions))
                }
                Err(error) => self.send(error),
            },
            method => self.send(Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("ccguard's language server does not handle `{method}`"),
            )),
        }
    }

    fn initialize(&mut self, request: Request) -> io::Result<()> {
        let params = match params::<InitializeParams>(&request) {
            Ok(params) => params,
            Err(error) => return self.send(error),
        };
        let (network, warnings) = network_options(params.initialization_options.as_ref());
        self.workspace = Workspace::new(folders(&params), network);
        self.phase = Phase::Running;
        let result = InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "ccguard".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        };
        self.send(Response::new_ok(request.id, result))?;
        for warning in warnings {
            self.log(MessageType::WARNING, warning)?;
        }
        Ok(())
    }

    fn notification(&mut self, notification: Notification) -> io::Result<Option<u8>> {
        if notification.method == "exit" {
            return Ok(Some(u8::from(self.phase != Phase::ShutDown)));
        }
        // Before `initialize` and after `shutdown`, notifications are dropped.
        if self.phase != Phase::Running {
            return Ok(None);
        }
        let method = notification.method.clone();
        let handled = match method.as_str() {
            "initialized" => {
                let verify = if self.workspace.network().verify {
                    "on"
                } else {
                    "off (initializationOptions {\"verify\": true} turns it on)"
                };
                self.log(
                    MessageType::INFO,
                    format!("ccguard language server ready; verification of originals {verify}"),
                )
            }
            "textDocument/didOpen" => self.with_params(notification, Self::open),
            "textDocument/didChange" => self.with_params(notification, Self::change),
            "textDocument/didSave" => self.with_params(notification, |server, params| {
                server.save(params);
                Ok(())
            }),
            "textDocument/didClose" => {
                self.with_params(notification, |server, params| server.close(&params))
            }
            "workspace/didChangeWorkspaceFolders" => {
                self.with_params(notification, |server, params| {
                    server.change_folders(params);
                    Ok(())
                })
            }
            // `$/cancelRequest`, `$/setTrace` and the like: optional, nothing to do.
            method if method.starts_with("$/") => Ok(()),
            method => self.log(
                MessageType::LOG,
                format!("ignored the notification `{method}`"),
            ),
        };
        handled.map(|()| None)
    }

    /// Run `handle` with a notification's parameters, or log what is wrong with them.
    fn with_params<P: DeserializeOwned>(
        &mut self,
        notification: Notification,
        handle: impl FnOnce(&mut Self, P) -> io::Result<()>,
    ) -> io::Result<()> {
        match extract(notification) {
            Ok(params) => handle(self, params),
            Err(message) => self.log(MessageType::ERROR, message),
        }
    }

    fn open(&mut self, params: DidOpenTextDocumentParams) -> io::Result<()> {
        let item = params.text_document;
        let format =
            format_of(&item.language_id, &item.uri).or_else(|| self.added_format(&item.uri));
        let Some(format) = format else {
            return self.log(
                MessageType::LOG,
                format!(
                    "not checking {}: language `{}` is neither Markdown nor HTML, and the \
                     config's `extensions` do not name its ending",
                    item.uri.as_str(),
                    item.language_id
                ),
            );
        };
        self.documents.insert(
            item.uri.clone(),
            Document {
                text: item.text,
                version: item.version,
                format,
                checked: None,
            },
        );
        self.mark_changed(item.uri);
        Ok(())
    }

    /// The format of a local file whose ending its config adds with `extensions`, read as
    /// `check` reads it.
    fn added_format(&mut self, uri: &Uri) -> Option<Format> {
        let path = file_path(uri)?;
        let config_path = self.workspace.config_path(Some(&path));
        let config = self
            .workspace
            .checker(config_path.as_deref())
            .ok()?
            .config();
        let name = path.to_string_lossy();
        walk::Extensions::new(&config.extensions)
            .ok()?
            .includes(&name)
            .then(|| Format::of_name(&name))
    }

    fn change(&mut self, params: DidChangeTextDocumentParams) -> io::Result<()> {
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get_mut(&uri) else {
            return self.log(
                MessageType::LOG,
                format!("ignored a change to {}, which is not open", uri.as_str()),
            );
        };
        for change in params.content_changes {
            match change.range {
                // Full sync (what the server asks for): the whole new text.
                None => document.text = change.text,
                // A client that sends ranges anyway gets them applied.
                Some(range) => {
                    let span = Utf16Index::new(&document.text).span(&document.text, range);
                    document
                        .text
                        .replace_range(span.start..span.end, &change.text);
                }
            }
        }
        document.version = params.text_document.version;
        document.checked = None;
        self.mark_changed(uri);
        Ok(())
    }

    fn save(&mut self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get_mut(&uri) else {
            return;
        };
        if let Some(text) = params.text {
            document.text = text;
        }
        // Checked again even when unchanged: the config may have changed, and saving is when
        // an editor expects a fresh check.
        document.checked = None;
        self.mark_changed(uri);
    }

    fn close(&mut self, params: &DidCloseTextDocumentParams) -> io::Result<()> {
        let uri = &params.text_document.uri;
        if self.documents.remove(uri).is_none() {
            return Ok(());
        }
        self.changed.retain(|u| u != uri);
        self.publish(uri.clone(), Vec::new(), None)
    }

    fn change_folders(&mut self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: Vec<WorkspaceFolder>| {
            folders
                .iter()
                .filter_map(|f| file_path(&f.uri))
                .collect::<Vec<_>>()
        };
        self.workspace
            .change_folders(paths(params.event.added), &paths(params.event.removed));
        // Another folder may hold another config for every open document.
        let open: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in open {
            if let Some(document) = self.documents.get_mut(&uri) {
                document.checked = None;
            }
            self.mark_changed(uri);
        }
    }

    fn mark_changed(&mut self, uri: Uri) {
        if !self.changed.contains(&uri) {
            self.changed.push(uri);
        }
    }

    /// Check every document edited since its last check and publish its diagnostics.
    fn check_changed(&mut self) -> io::Result<()> {
        for uri in std::mem::take(&mut self.changed) {
            self.check_and_publish(&uri)?;
        }
        Ok(())
    }

    /// Check one open document (unless its last check is current) and publish the result.
    fn check_and_publish(&mut self, uri: &Uri) -> io::Result<()> {
        let Some(document) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        if document.checked.is_some() {
            return Ok(());
        }
        let (checked, diagnostics) = check_document(&mut self.workspace, uri, document);
        document.checked = Some(checked);
        let version = document.version;
        self.changed.retain(|u| u != uri);
        self.publish(uri.clone(), diagnostics, Some(version))
    }

    fn hover(&mut self, params: &HoverParams) -> Option<Hover> {
        let place = &params.text_document_position_params;
        let uri = &place.text_document.uri;
        // A request sees the document as it is now: check it first if an edit is pending.
        self.check_and_publish(uri).ok()?;
        let document = self.documents.get(uri)?;
        let checked = document.checked.as_ref()?;
        let result = checked.result.as_ref()?;
        let text = &result.source.text;
        let index = Utf16Index::new(text);
        let offset = index.offset(text, place.position);
        let checker = self.workspace.checker(checked.config.as_deref()).ok()?;
        let (span, markdown) = hover::license_at(&result.facts, checker.registry(), offset)?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(index.range(text, span)),
        })
    }

    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let only = params.context.only.as_deref();
        let quick = code_action::asks_for(only, &CodeActionKind::QUICKFIX);
        // Applying every fix costs a check per fix: only when asked for by kind (a "fix all"
        // command, or on save), not on every request for the actions at the cursor.
        let all = only.is_some() && code_action::asks_for(only, &code_action::FIX_ALL);
        if !(quick || all) || self.check_and_publish(uri).is_err() {
            return Vec::new();
        }
        let Some(checked) = self
            .documents
            .get(uri)
            .and_then(|document| document.checked.as_ref())
        else {
            return Vec::new();
        };
        let Some(result) = &checked.result else {
            return Vec::new();
        };
        let Ok(checker) = self.workspace.checker(checked.config.as_deref()) else {
            return Vec::new();
        };
        let mut actions = Vec::new();
        if quick {
            let fixes = checked
                .fixes
                .get_or_init(|| code_action::confirmed(checker, result));
            actions = code_action::quick_fixes(
                fixes,
                result,
                uri,
                params.range,
                &params.context.diagnostics,
            );
        }
        if all {
            let fix_all = checked
                .fix_all
                .get_or_init(|| code_action::fix_all(checker, result, uri));
            actions.extend(fix_all.clone());
        }
        actions
            .into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }

    fn publish(
        &mut self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> io::Result<()> {
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        )
    }

    fn log(&mut self, typ: MessageType, message: String) -> io::Result<()> {
        self.notify("window/logMessage", LogMessageParams { typ, message })
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) -> io::Result<()> {
        self.send(Notification::new(method.to_owned(), params))
    }

    fn send(&mut self, message: impl Into<Message>) -> io::Result<()> {
        message.into().write(&mut self.out)
    }
}

/// Check a document as `ccguard check` would check the file: its config, its size cap, its
/// include and exclude patterns. Returns what hover needs and the diagnostics to publish.
fn check_document(
    workspace: &mut Workspace,
    uri: &Uri,
    document: &Document,
) -> (Checked, Vec<lsp_types::Diagnostic>) {
    let path = file_path(uri);
    let config_path = workspace.config_path(path.as_deref());
    let unchecked = |diagnostics| {
        (
            Checked {
                config: config_path.clone(),
                result: None,
                fixes: OnceCell::new(),
                fix_all: OnceCell::new(),
            },
            diagnostics,
        )
    };
    let checker = match workspace.checker(config_path.as_deref()) {
        Ok(checker) => checker,
        Err(why) => return unchecked(vec![diagnostics::not_checked(why)]),
    };
    let name = path.as_ref().map_or_else(
        || uri.as_str().to_owned(),
        |p| p.to_string_lossy().into_owned(),
    );
    let config = checker.config();
    let relative = config.relative_path(&name);
    if path.is_some() && !config.includes(&relative) {
        // As `check` skips it when walking: the config's include and exclude patterns.
        return unchecked(Vec::new());
    }
    let text = &document.text;
    let index = Utf16Index::new(text);
    if let Some(over) = checker.over_size_cap(&name, document.format, text.len()) {
        let diagnostics = over
            .diagnostics
            .iter()
            .map(|f| diagnostics::to_lsp(f, uri, text, &index))
            .collect();
        return unchecked(diagnostics);
    }
    let result = checked_source(
        checker,
        Source::from_text(name, text.clone(), document.format),
    );
    let diagnostics = result
        .diagnostics
        .iter()
        .map(|f| diagnostics::to_lsp(f, uri, text, &index))
        .collect();
    (
        Checked {
            config: config_path,
            result: Some(result),
            fixes: OnceCell::new(),
            fix_all: OnceCell::new(),
        },
        diagnostics,
    )
}

/// [`Checker::check_source`], with a panic turned into the document's `internal-error`.
fn checked_source(checker: &Checker, source: Source) -> DocumentResult {
    let empty = Source::from_text(source.name.clone(), "", source.format);
    check::catch_panic(|| checker.check_source(source)).unwrap_or_else(|finding| {
        DocumentResult::textless(
            empty,
            check::rule(RuleId::InternalError).report_textless(finding),
        )
    })
}

/// What the server offers: full-text sync with the text on save, diagnostics pushed, hover,
/// quick fixes, UTF-16 positions, workspace folders.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, code_action::FIX_ALL]),
            ..CodeActionOptions::default()
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// The workspace folders' local paths: `workspaceFolders`, else the older `rootUri` or
/// `rootPath`.
#[allow(deprecated)]
fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders.iter().filter_map(|f| file_path(&f.uri)).collect();
    }
    if let Some(root) = params.root_uri.as_ref().and_then(file_path) {
        return vec![root];
    }
    params
        .root_path
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .collect()
}

/// `initializationOptions`: `verify` and `allowPrivateHosts` (both default false), with a
/// warning for each that is not a boolean.
fn network_options(options: Option<&Value>) -> (Network, Vec<String>) {
    let mut warnings = Vec::new();
    let mut flag = |name: &str| match options.and_then(|o| o.get(name)) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(on)) => *on,
        Some(other) => {
            warnings.push(format!(
                "initializationOptions.{name} must be true or false, not {other}; it stays off"
            ));
            false
        }
    };
    let network = Network {
        verify: flag("verify"),
        allow_private_hosts: flag("allowPrivateHosts"),
    };
    (network, warnings)
}

/// The format of a document: by its language id, else by its file name's extension; `None` for
/// a document that is neither Markdown nor HTML.
fn format_of(language_id: &str, uri: &Uri) -> Option<Format> {
    match language_id.to_ascii_lowercase().as_str() {
        "markdown" => Some(Format::Markdown),
        "html" => Some(Format::Html),
        _ => Format::from_path(uri.path().as_str()),
    }
}

/// A request's parameters, or the `InvalidParams` response saying what is wrong with them.
fn params<P: DeserializeOwned>(request: &Request) -> Result<P, Response> {
    serde_json::from_value(request.params.clone()).map_err(|e| {
        Response::new_err(
            request.id.clone(),
            ErrorCode::InvalidParams as i32,
            format!("invalid parameters for `{}`: {e}", request.method),
        )
    })
}

/// A notification's parameters, or the message to log about them.
fn extract<P: DeserializeOwned>(notification: Notification) -> Result<P, String> {
    let method = notification.method.clone();
    notification
        .extract(&method)
        .map_err(|e| format!("ignored `{method}` with invalid parameters: {e:?}"))
}
