//! The subcommands, one module each; `main` dispatches to them and maps [`Failure`] to exit code 2.

pub mod check;
pub mod fix;
pub mod report;
pub mod rules;
pub mod tools;
pub mod watch;

use std::io;

/// Why a command stopped before finishing its job.
pub enum Failure {
    /// Writing output failed.
    Io(io::Error),
    /// Bad arguments, config or rule files (already reported where useful).
    Usage(String),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

/// "; did you mean `NAME`?" after an unknown name, when a near one exists.
pub(crate) fn did_you_mean(near: Option<&str>) -> String {
    near.map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default()
}
