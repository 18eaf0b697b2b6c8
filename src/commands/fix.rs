//! `ccguard fix`: check each post, apply the safe fixes the library confirms
//! ([`ccguard::fix::fix`]), and write each changed file in place atomically, or with `--diff`
//! print a unified diff and change nothing. Stdin is fixed to stdout; URLs are refused.
//!
//! A file is written through a temporary file in its own directory, renamed over it, and only
//! when its bytes on disk are still those that were checked: a file changed while being fixed
//! is reported and left as it is.

use std::io::{self, Write};
use std::path::Path;

use ccguard::checker::Checker;
use ccguard::diagnostic::Severity;
use ccguard::fetch::Fetcher;
use ccguard::fix::{self, FixError, Fixed};
use ccguard::report::escape::for_log;
use ccguard::result::DocumentResult;
use ccguard::verify::Verifier;
use ccguard::walk;
use rayon::prelude::*;

use super::Failure;
use super::check::{exit_code, prepare};
use crate::cli::{FailOn, FixArgs};

/// `ccguard fix`.
pub(crate) fn fix(args: &FixArgs) -> Result<u8, Failure> {
    if let Some(url) = args
        .inputs
        .iter()
        .find(|i| i.starts_with("http://") || i.starts_with("https://"))
    {
        return Err(Failure::Usage(format!(
            "{url}: a URL cannot be fixed in place; save the page and fix the file (or `ccguard check` the URL)"
        )));
    }
    let (checker, inputs) = prepare(&args.checking, &args.inputs)?;
    let checker = if args.network.offline {
        checker.offline()
    } else {
        checker.with_verifier(verifier(args)?)
    };
    let mut failed = false;
    let mut internal = false;
    let mut stdout = io::stdout().lock();
    // The stack of the checking threads (see `checker`'s WORKER_STACK): deep front matter needs it.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.checking.jobs)
        .stack_size(8 * 1024 * 1024)
        .build()
        .ok();
    let mut inputs = inputs.peekable();
    while inputs.peek().is_some() {
        // Fixed in parallel a batch at a time, written in input order.
        let batch: Vec<walk::Input> = inputs.by_ref().take(BATCH).collect();
        let run = || -> Vec<Outcome> {
            batch
                .par_iter()
                .map(|input| fix_one(&checker, input, args.checking.max_size))
                .collect()
        };
        let outcomes = match &pool {
            Some(pool) => pool.install(run),
            None => run(),
        };
        for (input, outcome) in batch.iter().zip(outcomes) {
            let name = input.display_name();
            let (bytes, fixed) = match outcome {
                Outcome::Unreadable(reason) => {
                    eprintln!(
                        "{}: cannot read this file: {reason}; nothing fixed",
                        for_log(&name)
                    );
                    failed = true;
                    continue;
                }
                Outcome::Checked(bytes, fixed) => match *fixed {
                    Ok(fixed) => (bytes, fixed),
                    Err(e) => {
                        eprintln!(
                            "{}: not fixed: {e}; the file was left as it is",
                            for_log(&name)
                        );
                        internal = true;
                        continue;
                    }
                },
            };
            let mut notes = Vec::new();
            let left = match write_fixed(args, input, &bytes, &fixed, &mut stdout) {
                Ok(done) => {
                    for applied in &fixed.applied {
                        writeln!(
                            notes,
                            "{}: {done} {}: {}",
                            for_log(&name),
                            applied.rule,
                            applied.title
                        )?;
                    }
                    fixed.after.as_ref().unwrap_or(&fixed.before)
                }
                Err(why) => {
                    writeln!(notes, "{}: not fixed: {why}", for_log(&name))?;
                    &fixed.before
                }
            };
            failed |= report_left(&mut notes, &name, left, args.checking.fail_on)?;
            // Notes go to stderr when stdout carries the diff or the fixed text.
            if args.diff || matches!(input, walk::Input::Stdin(_)) {
                io::stderr().lock().write_all(&notes)?;
            } else {
                stdout.write_all(&notes)?;
            }
        }
    }
    stdout.flush()?;
    if internal {
        return Ok(2);
    }
    Ok(exit_code(&checker, failed))
}

/// Inputs fixed in parallel before their results are written: enough to keep the threads
/// busy, few enough that the fixed texts held at once stay small.
const BATCH: usize = 64;

/// What fixing one input came to, before anything is written.
enum Outcome {
    /// It could not be read (why).
    Unreadable(String),
    /// Its bytes as read, and what the library made of them.
    Checked(Vec<u8>, Box<Result<Fixed, FixError>>),
}

/// Read one input and fix it in memory.
fn fix_one(checker: &Checker, input: &walk::Input, max_size: u64) -> Outcome {
    match walk::read_raw(input, max_size, None) {
        Err(unreadable) => Outcome::Unreadable(unreadable.reason),
        Ok(raw) => {
            let bytes = raw.bytes.clone();
            Outcome::Checked(bytes, Box::new(fix::fix(checker, raw.into_source())))
        }
    }
}

/// Write what `fix` made of one input: the diff (`--diff`), the fixed file in place, or for
/// stdin the fixed text on stdout. What was done ("fixed", "would fix"), or why nothing was
/// written.
fn write_fixed(
    args: &FixArgs,
    input: &walk::Input,
    bytes: &[u8],
    fixed: &Fixed,
    stdout: &mut dyn Write,
) -> Result<&'static str, String> {
    let done = if args.diff { "would fix" } else { "fixed" };
    let source = &fixed.before.source;
    let out = if fixed.edits.is_empty() {
        bytes.to_vec()
    } else {
        fix::encode(bytes, source, &fixed.edits).map_err(|e| e.to_string())?
    };
    let io_error = |e: io::Error| format!("cannot write to stdout: {e}");
    if args.diff {
        write_diff(stdout, &input.display_name(), &source.text, &fixed.text).map_err(io_error)?;
        return Ok(done);
    }
    match input {
        walk::Input::File(path) if !fixed.edits.is_empty() => replace(path, bytes, &out)?,
        walk::Input::Stdin(_) => stdout.write_all(&out).map_err(io_error)?,
        _ => {}
    }
    Ok(done)
}

/// List the findings no fix could make go away; true when one is at or above `--fail-on`.
fn report_left(
    out: &mut dyn Write,
    name: &str,
    result: &DocumentResult,
    fail_on: FailOn,
) -> io::Result<bool> {
    let mut fails = false;
    for d in &result.diagnostics {
        let (line, column) = (d.place.line, d.place.column);
        writeln!(
            out,
            "{}:{line}:{column}: left {} ({}): {}",
            for_log(name),
            d.rule,
            d.severity.as_str(),
            for_log(&d.message)
        )?;
        fails |= match fail_on {
            FailOn::Error => d.severity == Severity::Error,
            FailOn::Warning => d.severity >= Severity::Warning,
            FailOn::Never => false,
        };
    }
    Ok(fails)
}

/// Print the change from `before` to `after` as a unified diff of `name`.
fn write_diff(out: &mut dyn Write, name: &str, before: &str, after: &str) -> io::Result<()> {
    let diff = similar::TextDiff::from_lines(before, after);
    write!(
        out,
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header(&format!("a/{name}"), &format!("b/{name}"))
    )
}

/// Write `bytes` over the file at `path` atomically, when it still holds `expected`: through a
/// temporary file in the same directory (with the file's permissions), renamed over it.
fn replace(path: &Path, expected: &[u8], bytes: &[u8]) -> Result<(), String> {
    // Through a link, the file it points at is the one to fix.
    let target = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let meta = std::fs::metadata(&target).map_err(|e| e.to_string())?;
    let mut temp = tempfile::Builder::new()
        .prefix(".ccguard-fix-")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| format!("cannot write the fixed file: {e}"))?;
    temp.as_file()
        .set_permissions(meta.permissions())
        .map_err(|e| format!("cannot give the fixed file its permissions: {e}"))?;
    let now = std::fs::read(&target).map_err(|e| e.to_string())?;
    if now != expected {
        return Err(
            "the file changed while it was being fixed; it was left as it is now (run fix again)"
                .to_owned(),
        );
    }
    temp.persist(&target)
        .map_err(|e| format!("cannot replace the file: {}", e.error))?;
    Ok(())
}

/// The fetcher that verifies originals, from the network flags.
fn verifier(args: &FixArgs) -> Result<Verifier, Failure> {
    let fetcher =
        Fetcher::new(args.network.fetch_options()).map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(Verifier::new(fetcher))
}
