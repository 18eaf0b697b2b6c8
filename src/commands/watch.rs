//! `ccguard check --watch`: check the inputs, then keep watching them (a `notify` watcher on
//! each file's directory and each directory tree) and re-check the files that change, printing
//! only the findings that appear or go, one line each, in the human format. Ctrl-C ends it.
//!
//! Changes are gathered until the file system has been quiet for a moment, so an editor's
//! save (write a temporary file, rename it over) is one re-check. A file that cannot be read
//! is reported as its `unreadable-input` finding, and the watch goes on. Only files and
//! directories are watched: URLs and stdin are refused.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use ccguard::checker::Checker;
use ccguard::config::Config;
use ccguard::report::escape::for_log;
use ccguard::result::DocumentResult;
use ccguard::source::Format;
use ccguard::walk;
use notify::{RecursiveMode, Watcher};

use super::Failure;
use super::check::{configured, prepare};
use crate::cli::{CheckArgs, OutputFormat};

/// How long the file system must be quiet before the changed files are re-checked.
const QUIET: Duration = Duration::from_millis(200);

/// A finding as the watch tells it apart from others: rule, message and which of the findings
/// with both it is, not its line (editing above it moves it without changing it).
type Key = (String, String, usize);

/// A finding as printed: its key and its `line:column`.
type Shown = BTreeMap<Key, (usize, usize, &'static str)>;

/// `ccguard check --watch`.
pub(crate) fn watch(args: &CheckArgs) -> Result<u8, Failure> {
    if let Some(input) = args
        .inputs
        .iter()
        .find(|i| *i == "-" || i.starts_with("http://") || i.starts_with("https://"))
    {
        return Err(Failure::Usage(format!(
            "{input}: --watch watches files and directories, not URLs or stdin"
        )));
    }
    if args.format != OutputFormat::Human {
        return Err(Failure::Usage(
            "--watch prints findings as they appear and go, in the human format; drop --format"
                .to_owned(),
        ));
    }
    let (checker, inputs) = prepare(&args.checking, &args.inputs)?;
    let checker = configured(args, checker)?;
    let (events, receiver) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(events)
        .map_err(|e| Failure::Usage(format!("cannot watch files: {e}")))?;
    for arg in &args.inputs {
        let path = Path::new(arg);
        let (target, mode) = if path.is_dir() {
            (path, RecursiveMode::Recursive)
        } else {
            // A file's directory: an editor's save replaces the file, which ends a watch on it.
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            (
                parent.unwrap_or(Path::new(".")),
                RecursiveMode::NonRecursive,
            )
        };
        watcher
            .watch(target, mode)
            .map_err(|e| Failure::Usage(format!("cannot watch {arg}: {e}")))?;
    }
    let mut stdout = io::stdout().lock();
    let mut shown: BTreeMap<String, Shown> = BTreeMap::new();
    let files: Vec<walk::Input> = inputs.collect();
    recheck(&checker, &files, &mut shown, &mut stdout)?;
    eprintln!(
        "watching {} file{} for changes (Ctrl-C ends)",
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    while let Ok(first) = receiver.recv() {
        let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
        let mut add = |event: notify::Result<notify::Event>| match event {
            Ok(event) => changed.extend(event.paths),
            Err(e) => eprintln!("watch: {e}"),
        };
        add(first);
        while let Ok(event) = receiver.recv_timeout(QUIET) {
            add(event);
        }
        let now = current_inputs(args, checker.config());
        let changed: BTreeSet<PathBuf> = changed
            .iter()
            .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
            .collect();
        let touched: Vec<walk::Input> = now
            .iter()
            .filter(|input| match input {
                walk::Input::File(path) => {
                    let name = input.display_name();
                    !shown.contains_key(&name)
                        || path.canonicalize().is_ok_and(|p| changed.contains(&p))
                }
                _ => true,
            })
            .cloned()
            .collect();
        // Files gone since: their findings are gone with them.
        let names: BTreeSet<String> = now.iter().map(walk::Input::display_name).collect();
        let removed: Vec<String> = shown
            .keys()
            .filter(|name| !names.contains(*name))
            .cloned()
            .collect();
        for name in removed {
            if let Some(old) = shown.remove(&name) {
                print_changes(&mut stdout, &name, &old, &Shown::new())?;
                writeln!(stdout, "{}: removed", for_log(&name))?;
            }
        }
        recheck(&checker, &touched, &mut shown, &mut stdout)?;
    }
    Ok(0)
}

/// The files the inputs name now (walked afresh: files come and go), as the config includes
/// them; a file or directory argument that is gone names none.
fn current_inputs(args: &CheckArgs, config: &Config) -> Vec<walk::Input> {
    let Ok(extensions) =
        walk::Extensions::new(config.extensions.iter().chain(&args.checking.extensions))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for arg in &args.inputs {
        if let Ok(inputs) = walk::expand(std::slice::from_ref(arg), Format::Html, &extensions) {
            out.extend(inputs.filter(|input| match input {
                walk::Input::File(_) | walk::Input::Unreadable(..) => {
                    config.includes(&config.relative_path(&input.display_name()))
                }
                _ => false,
            }));
        }
    }
    out
}

/// Check `inputs` and print, per file, the findings that appeared and those that went since
/// it was last checked.
fn recheck(
    checker: &Checker,
    inputs: &[walk::Input],
    shown: &mut BTreeMap<String, Shown>,
    out: &mut dyn Write,
) -> io::Result<()> {
    if inputs.is_empty() {
        return Ok(());
    }
    for result in checker.check_all(inputs, 0) {
        let name = result.source.name.clone();
        let now = findings(&result);
        let before = shown.remove(&name).unwrap_or_default();
        print_changes(out, &name, &before, &now)?;
        shown.insert(name, now);
    }
    out.flush()
}

/// A result's findings, keyed as the watch tells them apart.
fn findings(result: &DocumentResult) -> Shown {
    let mut shown = Shown::new();
    for d in &result.diagnostics {
        let (line, column) = (d.place.line, d.place.column);
        let nth = shown
            .keys()
            .filter(|(rule, message, _)| rule == d.rule.as_str() && *message == d.message)
            .count();
        let key = (d.rule.as_str().to_owned(), d.message.clone(), nth);
        shown.insert(key, (line, column, d.severity.as_str()));
    }
    shown
}

/// One line per finding gone from `before` and per finding new in `now`.
fn print_changes(out: &mut dyn Write, name: &str, before: &Shown, now: &Shown) -> io::Result<()> {
    let name = for_log(name);
    for (key, (line, column, severity)) in before {
        if !now.contains_key(key) {
            writeln!(
                out,
                "{name}:{line}:{column}: gone {} ({severity}): {}",
                key.0,
                for_log(&key.1)
            )?;
        }
    }
    for (key, (line, column, severity)) in now {
        if !before.contains_key(key) {
            writeln!(
                out,
                "{name}:{line}:{column}: new {} ({severity}): {}",
                key.0,
                for_log(&key.1)
            )?;
        }
    }
    Ok(())
}
