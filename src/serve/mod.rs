//! `ccguard serve`: a local page where an editor pastes a draft, drops a file or enters a URL,
//! sees every finding highlighted in the post, applies the safe fixes and builds a credit line.
//!
//! The server listens on 127.0.0.1 only and answers one request per connection on its own
//! thread ([`http`]); the routes and the JSON the page reads are in [`api`]; the page itself
//! is one self-contained file compiled into the binary (`page.html`: no CDN, no fonts, no
//! other request than to this server). Checking goes through the same [`Checker`] as `check`,
//! with the same config discovery, rules and network policy.
//!
//! Not for sites (that is `report`) nor for editors that speak LSP (that is `lsp`).

mod api;
mod http;

use std::io::{self, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ccguard::checker::Checker;
use ccguard::fetch::Fetcher;
use ccguard::source::{Format, Source};
use ccguard::walk;

use crate::cli::ServeArgs;
use crate::commands::Failure;
use crate::commands::check::{load_config, registry};

/// Connections handled at once at most; more are answered 503 at once.
const MAX_CONNECTIONS: usize = 16;

/// The stack of each connection's thread, as the checker's workers have (see `checker`).
const THREAD_STACK: usize = 8 * 1024 * 1024;

/// `ccguard serve`: load config and rules, listen, print the URL, and answer until killed.
pub(crate) fn serve(args: &ServeArgs) -> Result<u8, Failure> {
    let config = load_config(args.config.as_deref())?;
    let mut rules_dirs = config.rules_dirs.clone();
    rules_dirs.extend(args.rules.iter().cloned());
    let mut checker = Checker::new(registry(&rules_dirs)?).with_config(config);
    if args.max_size != walk::DEFAULT_MAX_SIZE {
        checker = checker.with_max_size(args.max_size);
    }
    let fetch = if args.network.offline {
        checker = checker.offline();
        None
    } else {
        let options = args.network.fetch_options();
        // Built once here so that a client that cannot be built is a usage error, not a
        // failure of every check.
        Fetcher::new(options.clone()).map_err(|e| Failure::Usage(e.to_string()))?;
        Some(options)
    };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port)).map_err(|e| {
        Failure::Usage(format!(
            "cannot listen on 127.0.0.1:{}: {e}; pick another --port (0 picks a free one)",
            args.port
        ))
    })?;
    let port = listener.local_addr()?.port();
    // The rules and detectors are built before the first draft, not while the page waits.
    checker.check_source_with(
        Source::from_text("warm-up.md", String::new(), Format::Markdown),
        None,
    );
    let max_text = usize::try_from(args.max_size).unwrap_or(usize::MAX);
    let state = Arc::new(api::State {
        checker,
        fetch,
        port,
        max_text,
    });
    let url = format!("http://127.0.0.1:{port}/");
    {
        let mut out = io::stdout().lock();
        writeln!(out, "ccguard serve: open {url} (Ctrl-C stops it)")?;
        out.flush()?;
    }
    if args.open {
        open_browser(&url);
    }
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if active.load(Ordering::Acquire) >= MAX_CONNECTIONS {
            busy(stream);
            continue;
        }
        active.fetch_add(1, Ordering::AcqRel);
        let slot = Slot(Arc::clone(&active));
        let state = Arc::clone(&state);
        let spawned = std::thread::Builder::new()
            .name("ccguard-serve".to_owned())
            .stack_size(THREAD_STACK)
            .spawn(move || {
                let _slot = slot;
                api::handle(&state, stream);
            });
        if let Err(e) = spawned {
            eprintln!("warning: cannot start a thread for a request: {e}");
        }
    }
    Ok(0)
}

/// A connection's place among the [`MAX_CONNECTIONS`]; given back when dropped (also when its
/// thread panics, or could not be started).
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Answer a connection over the limit with 503, without reading it.
fn busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    http::respond(
        &mut stream,
        &http::Response::error(
            503,
            "ccguard serve is busy with other requests; try again in a moment",
        ),
        0,
    );
}

/// Open `url` in the default browser; failing is a warning (the URL is printed anyway).
fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        Ok(mut child) => {
            let url = url.to_owned();
            std::thread::spawn(move || match child.wait() {
                Ok(status) if !status.success() => eprintln!(
                    "warning: {program} could not open a browser ({status}); open {url} yourself"
                ),
                _ => {}
            });
        }
        Err(e) => {
            eprintln!("warning: cannot run {program} to open a browser ({e}); open {url} yourself");
        }
    }
}
