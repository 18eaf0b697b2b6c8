//! `--changed-since REV`: the files git reports as changed since a revision (committed since,
//! staged, unstaged and untracked), so CI checks only what a pull request touches.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;

/// Canonical paths of the files changed since `rev`; an error message when git fails.
pub fn since(rev: &str) -> Result<HashSet<PathBuf>, String> {
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    let mut changed = HashSet::new();
    let diff = git(&["diff", "--name-only", "--diff-filter=ACMR", rev, "--"])?;
    let untracked = git(&["ls-files", "--others", "--exclude-standard", "--full-name"])?;
    for name in diff
        .lines()
        .chain(untracked.lines())
        .filter(|l| !l.is_empty())
    {
        let path = top.join(name);
        changed.insert(path.canonicalize().unwrap_or(path));
    }
    Ok(changed)
}

/// Run git and return its stdout, or a message naming the command and git's error.
fn git(args: &[&str]) -> Result<String, String> {
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
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
