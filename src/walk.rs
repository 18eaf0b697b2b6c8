//! Inputs: expand the command line's files, directories (walked with the `ignore` crate,
//! respecting `.gitignore`), URLs and `-` into a sorted list, and read each into a [`Source`].
//!
//! Reading never fails the run: a file that cannot be read becomes an [`Unreadable`] that the
//! checker reports as `unreadable-input`.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::source::{Format, Source};

/// Default cap on a file's size: larger files are reported, not read.
pub const DEFAULT_MAX_SIZE: u64 = 16 * 1024 * 1024;

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file on disk; the string is its display name (the path as given or walked).
    File(PathBuf),
    /// Standard input, with its format.
    Stdin(Format),
    /// An http(s) URL.
    Url(String),
}

impl Input {
    /// The name shown in output.
    pub fn display_name(&self) -> String {
        match self {
            Input::File(path) => path.to_string_lossy().replace('\\', "/"),
            Input::Stdin(_) => "-".to_owned(),
            Input::Url(url) => url.clone(),
        }
    }
}

/// Why an input could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The display name.
    pub name: String,
    /// The format the name suggests.
    pub format: Format,
    /// What went wrong, e.g. `file is 20 MiB, over the 16 MiB size cap`.
    pub reason: String,
}

/// An error in the arguments themselves (exit code 2).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputError {
    /// A path that does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(String),
    /// A file whose extension we do not check, named explicitly.
    #[error(
        "{0}: not an HTML or Markdown file (.html, .htm, .md, .markdown); use --stdin-format with `-` for other names"
    )]
    UnknownFormat(String),
}

/// Expand arguments into inputs: directories are walked (respecting `.gitignore`, skipping
/// hidden files), files must have a checked extension. Walked files are sorted by path.
pub fn expand(args: &[String], stdin_format: Format) -> Result<Vec<Input>, InputError> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg == "-" {
            inputs.push(Input::Stdin(stdin_format));
        } else if arg.starts_with("http://") || arg.starts_with("https://") {
            inputs.push(Input::Url(arg.clone()));
        } else {
            let path = Path::new(arg);
            if path.is_dir() {
                inputs.extend(walk_dir(path).into_iter().map(Input::File));
            } else if path.exists() {
                if Format::from_path(arg).is_none() {
                    return Err(InputError::UnknownFormat(arg.clone()));
                }
                inputs.push(Input::File(path.to_path_buf()));
            } else {
                return Err(InputError::NotFound(arg.clone()));
            }
        }
    }
    Ok(inputs)
}

fn walk_dir(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(false)
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| Format::from_path(&path.to_string_lossy()).is_some())
        .collect();
    // By the path's bytes, as the results are ordered by their display names: comparing paths
    // component by component cost as much as checking a cached site.
    files.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    files
}

/// Parse `K/N` for `--shard`: 1 ≤ K ≤ N.
pub fn parse_shard(value: &str) -> Result<(u64, u64), String> {
    let parsed = value
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?)));
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => Err(format!("`{value}` is not K/N with 1 <= K <= N (e.g. 2/4)")),
    }
}

/// True when `input` belongs to shard `k` of `n` (1-based): by an FNV-1a hash of its display
/// name, stable across machines, runs and the order of the other inputs.
pub fn in_shard(input: &Input, k: u64, n: u64) -> bool {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(input.display_name().as_bytes());
    n == 0 || hasher.finish() % n == k - 1
}

/// Read an input into a source, enforcing the size cap and refusing binary files.
pub fn read(input: &Input, max_size: u64) -> Result<Source, Unreadable> {
    let name = input.display_name();
    let format = match input {
        Input::Stdin(format) => *format,
        _ => Format::from_path(&name).unwrap_or(Format::Html),
    };
    let unreadable = |reason: String| Unreadable {
        name: name.clone(),
        format,
        reason,
    };
    let bytes = match input {
        Input::File(path) => read_capped(
            std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?,
            max_size,
        ),
        Input::Stdin(_) => read_capped(std::io::stdin().lock(), max_size),
        Input::Url(_) => {
            return Err(unreadable(
                "URL inputs need the network; run without --offline (or save the page and check the file)".to_owned(),
            ));
        }
    }
    .map_err(unreadable)?;
    if looks_binary(&bytes) {
        return Err(unreadable(
            "binary content (NUL bytes); not an HTML or Markdown text file".to_owned(),
        ));
    }
    Ok(Source::from_bytes(name, &bytes, format))
}

fn read_capped(reader: impl Read, max_size: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max_size {
        return Err(format!("larger than the size cap of {max_size} bytes"));
    }
    Ok(bytes)
}

/// A file is binary when NUL bytes make up more than 1% of its first 8 KiB: text files with a
/// stray NUL are still checked.
#[allow(clippy::naive_bytecount)]
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let nuls = head.iter().filter(|&&b| b == 0).count(); // a few KiB: not worth a crate
    nuls > 0 && nuls * 100 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_nul_is_text_but_many_is_binary() {
        let mut text = b"# Title\n".repeat(100);
        text.push(0);
        assert!(!looks_binary(&text));
        assert!(looks_binary(&[0u8, 1, 2, 0, 0, 5, 0, 0]));
    }

    #[test]
    fn shards_split_every_file_exactly_once() {
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        assert!(parse_shard("0/4").is_err());
        assert!(parse_shard("5/4").is_err());
        assert!(parse_shard("x").is_err());
        let inputs: Vec<Input> = (0..200)
            .map(|i| Input::File(PathBuf::from(format!("posts/{i}.md"))))
            .collect();
        let counts: Vec<usize> = (1..=3)
            .map(|k| inputs.iter().filter(|i| in_shard(i, k, 3)).count())
            .collect();
        assert_eq!(counts.iter().sum::<usize>(), 200);
        assert!(counts.iter().all(|&c| c > 40), "{counts:?}");
        assert!(in_shard(&inputs[7], 1, 1));
    }

    #[test]
    fn size_cap_is_enforced_by_reading() {
        let data = [b'a'; 11];
        assert!(read_capped(&data[..], 10).is_err());
        assert_eq!(read_capped(&data[..], 11).unwrap().len(), 11);
    }
}
