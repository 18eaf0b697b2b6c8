//! Rule `internal-error`: the last safety net of the pipeline. A panic while one file is checked
//! becomes an error finding for that file, and the other files are still checked; the binary
//! exits with code 2 when any occurred.
//!
//! Not for errors in the input: those are findings of their own (`unreadable-input`,
//! `malformed-input`). A panic is always a bug in ccguard or a library it uses.
//!
//! [`install_panic_hook`] keeps the panic's message and place for the finding instead of
//! printing it (with a backtrace note) in the middle of the output; the binary says once on
//! stderr that an internal error happened.
//!
//! Test hook: when the environment variable `CCGUARD_TEST_PANIC` is set to a non-empty text,
//! checking a file whose name contains that text panics ([`test_hook`]). It exists so that the
//! safety net is tested on a real panic (the rule's fail fixtures and the CLI tests set it); no
//! input can cause one on purpose otherwise.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

use super::{Finding, Rule};
use crate::diagnostic::{RuleId, Severity};

thread_local! {
    /// How many [`check`]s are running on this thread (a rayon thread may run another file's
    /// check while it waits inside one).
    static CATCHING: Cell<usize> = const { Cell::new(0) };
    /// The message and place of the last panic caught on this thread, set by the hook.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The environment variable of [`test_hook`].
pub const TEST_PANIC_VAR: &str = "CCGUARD_TEST_PANIC";

/// The rule `internal-error`: its id, default severity, summary and documentation (what
/// `ccguard explain internal-error` prints).
pub const RULE: Rule = Rule {
    id: RuleId::InternalError,
    severity: Severity::Error,
    summary: "checking this file hit a bug in ccguard (the other files are still checked; exit code 2)",
    doc: Some(
        r"## What it checks
Nothing in the file: this finding says that checking the file hit a bug in ccguard (a panic),
so the file's other findings are unknown. The message quotes the panic and where it happened.

## Why
A bug in one file's check must not take every other file's result down with it: the other
files are still checked and reported. The run then exits with code 2 whatever `--fail-on`
says, so CI never passes a file that was not checked. It cannot be silenced by a comment, a
baseline or a config.

## Passes
Every file, as long as ccguard has no bug.

## Fails
A file whose check panics. The fixtures make one with the test hook
`CCGUARD_TEST_PANIC=<part of the file name>`.

## How to fix
Please report it to the ccguard maintainers with the message and the file (or the smallest
part of it that still shows the error). Until it is fixed, the file is not checked; exclude it
from the run if the exit code must be 0.",
    ),
    check: None,
    repost_only: false,
    reads: &[],
};

/// Run `run`, turning a panic into this rule's finding (see the module documentation).
pub fn check<T>(run: impl FnOnce() -> T) -> Result<T, Finding> {
    CATCHING.with(|c| c.set(c.get() + 1));
    CAUGHT.with(|c| c.borrow_mut().take());
    // Unwind safety: what a check shares (the detectors, the fetcher) is built
    // once behind `OnceLock`s, atomics and locks that recover from poisoning; a check that panics
    // leaves at worst a per-thread regex cache half-filled, which is only a cache.
    let outcome = panic::catch_unwind(AssertUnwindSafe(run));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    outcome.map_err(|payload| {
        let what = CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| payload_text(payload.as_ref()).to_owned());
        Finding::absent(format!(
            "checking this file hit a bug in ccguard ({what}); please report it"
        ))
        .help(
            "report this message and the file to the ccguard maintainers; the other files were \
             checked, this one was not, and the run exits with code 2",
        )
    })
}

/// Keep the message and place of a panic inside [`check`] for its finding instead of printing
/// it; panics anywhere else are printed by the hook that was installed before. For the binary:
/// a library should leave the process-wide hook to its user.
pub fn install_panic_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if CATCHING.with(Cell::get) == 0 {
            previous(info);
            return;
        }
        let message = payload_text(info.payload());
        let what = match info.location() {
            Some(at) => format!("{message}, at {}:{}:{}", at.file(), at.line(), at.column()),
            None => message.to_owned(),
        };
        CAUGHT.with(|c| *c.borrow_mut() = Some(what));
    }));
}

/// Panic when the test hook's variable names part of `name` (see the module documentation).
pub(crate) fn test_hook(name: &str) {
    if let Some(part) = std::env::var_os(TEST_PANIC_VAR)
        && !part.is_empty()
        && name.contains(part.to_string_lossy().as_ref())
    {
        panic!("{TEST_PANIC_VAR} names this file");
    }
}

/// The text a panic was raised with (`panic!` gives a `&str` or a `String`).
fn payload_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}
