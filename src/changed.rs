//! `--changed-since REV`: the files git reports as changed since a revision (committed since,
//! staged, unstaged and untracked), so CI checks only what a pull request touches.
//!
//! Names are read NUL-separated (`-z`), byte for byte: git quotes names with non-ASCII bytes,
//! quotes, tabs or newlines in its line output, and such quoted names matched no file. The
//! revision can never be taken for an option: one starting with `-` is refused, and
//! `--end-of-options` comes before it.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;

/// Canonical paths of the files changed since `rev`; an error message when git fails.
pub fn since(rev: &str) -> Result<HashSet<PathBuf>, String> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!(
            "--changed-since `{rev}`: a revision cannot start with `-` or be empty; give a branch, tag or commit (e.g. origin/main)"
        ));
    }
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = path_of(top.strip_suffix(b"\n").unwrap_or(&top));
    let diff = git(&[
        "diff",
        "--name-only",
        "-z",
        "--diff-filter=ACMR",
        "--end-of-options",
        rev,
        "--",
    ])?;
    // `:/`: the whole repository, not only the working directory's part of it.
    let untracked = git(&[
        "ls-files",
        "-z",
        "--others",
        "--exclude-standard",
        "--full-name",
        "--",
        ":/",
    ])?;
    let mut changed = HashSet::new();
    for name in diff
        .split(|&b| b == 0)
        .chain(untracked.split(|&b| b == 0))
        .filter(|name| !name.is_empty())
    {
        let path = top.join(path_of(name));
        changed.insert(path.canonicalize().unwrap_or(path));
    }
    Ok(changed)
}

/// A path from the bytes git printed.
#[cfg(unix)]
fn path_of(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

/// A path from the bytes git printed (UTF-8 where paths are not bytes).
#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Run git and return its stdout, or a message naming the command and git's error.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("--changed-since needs git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "--changed-since: `git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}
