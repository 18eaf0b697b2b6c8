//! Inputs: expand the command line's files, directories (walked with the `ignore` crate,
//! respecting `.gitignore`), URLs and `-` into a sorted list, and read each into a [`Source`].
//!
//! Reading never fails the run: a file that cannot be read becomes an [`Unreadable`] that the
//! checker reports as `unreadable-input`. Nothing met is skipped without a word: a directory
//! that cannot be listed, a link that leads nowhere and a FIFO, socket or device with a checked
//! name are each reported as unreadable, and only regular files are ever read (a FIFO is
//! opened without waiting for a writer), so no input can hang the run.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
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
    /// An entry met while walking that cannot be checked (a directory that cannot be listed, a
    /// dangling link), with the reason: reported as unreadable, like a file that cannot be read.
    Unreadable(PathBuf, String),
}

impl Input {
    /// The name shown in output.
    pub fn display_name(&self) -> String {
        match self {
            Input::File(path) | Input::Unreadable(path, _) => {
                let name = lossy(path);
                if name.contains('\\') {
                    name.replace('\\', "/")
                } else {
                    name.into_owned()
                }
            }
            Input::Stdin(_) => "-".to_owned(),
            Input::Url(url) => url.clone(),
        }
    }
}

/// `path` as text, invalid UTF-8 replaced: `to_string_lossy`, which checks the bytes with
/// the lossy decoder even when they are valid (slow enough to show in walking a site), after
/// the faster check that they are.
fn lossy(path: &Path) -> std::borrow::Cow<'_, str> {
    path.to_str()
        .map_or_else(|| path.to_string_lossy(), std::borrow::Cow::Borrowed)
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
    /// A file whose extension we do not check, named explicitly (the name, the extensions
    /// checked).
    #[error(
        "{0}: not an HTML or Markdown file ({1}); add its extension with --ext EXT (or `extensions` in ccguard.toml), or use --stdin-format with `-`"
    )]
    UnknownFormat(String, String),
    /// An extension given to `--ext` or `extensions` that no file name can end in.
    #[error("extension `{0}`: give a file name ending such as `mdx` or `.mdx`, without `/`")]
    BadExtension(String),
}

/// The file name endings checked: `.html`, `.htm`, `.md`, `.markdown`, and those added with
/// `--ext` or the config's `extensions` (read as [`Format::of_name`] says).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extensions {
    /// The added endings, lowercase, each with its leading dot.
    added: Vec<String>,
}

impl Extensions {
    /// The built-in extensions plus `added` (with or without a leading dot, any case).
    pub fn new<S: AsRef<str>>(
        added: impl IntoIterator<Item = S>,
    ) -> Result<Extensions, InputError> {
        let mut extensions = Extensions::default();
        for ext in added {
            let ext = ext.as_ref();
            let bare = ext.trim().trim_start_matches('.').to_lowercase();
            if bare.is_empty() || bare.contains(['/', '\\']) {
                return Err(InputError::BadExtension(ext.to_owned()));
            }
            let dotted = format!(".{bare}");
            if !extensions.added.contains(&dotted) {
                extensions.added.push(dotted);
            }
        }
        Ok(extensions)
    }

    /// True when a file of this name is checked.
    pub fn includes(&self, name: &str) -> bool {
        Format::from_path(name).is_some() || {
            let name = name.to_lowercase();
            self.added
                .iter()
                .any(|ext| name.len() > ext.len() && name.ends_with(ext.as_str()))
        }
    }

    /// The endings checked, for messages: `.html, .htm, .md or .markdown`.
    pub fn describe(&self) -> String {
        let all: Vec<&str> = [".html", ".htm", ".md", ".markdown"]
            .into_iter()
            .chain(self.added.iter().map(String::as_str))
            .collect();
        match all.split_last() {
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Expand arguments into inputs: directories are walked (respecting `.gitignore`, skipping
/// hidden files), files must have a checked extension. The inputs come in display-name order,
/// and directories are walked lazily: holding them costs one directory listing per level, not
/// the site's file list.
pub fn expand(
    args: &[String],
    stdin_format: Format,
    extensions: &Extensions,
) -> Result<Inputs, InputError> {
    let mut streams: Vec<Box<dyn Iterator<Item = Input>>> = Vec::new();
    for arg in args {
        if arg == "-" {
            streams.push(Box::new(std::iter::once(Input::Stdin(stdin_format))));
        } else if arg.starts_with("http://") || arg.starts_with("https://") {
            streams.push(Box::new(std::iter::once(Input::Url(arg.clone()))));
        } else {
            let path = Path::new(arg);
            if path.is_dir() {
                streams.push(Box::new(walk_dir(path, extensions.clone())));
            } else if path.exists() {
                if !extensions.includes(arg) {
                    return Err(InputError::UnknownFormat(
                        arg.clone(),
                        extensions.describe(),
                    ));
                }
                streams.push(Box::new(std::iter::once(Input::File(path.to_path_buf()))));
            } else {
                return Err(InputError::NotFound(arg.clone()));
            }
        }
    }
    Ok(Inputs::merge(streams))
}

/// The inputs of a command line in display-name order: each argument's stream is in order
/// already (a walk yields its files sorted), and this merges them as they are read.
pub struct Inputs {
    /// Each argument's inputs after the one waiting in `heads`.
    streams: Vec<Box<dyn Iterator<Item = Input>>>,
    /// The next input of each stream by display name, then argument (a heap: thousands of
    /// file arguments, as pre-commit passes them, merge in O(log n) each).
    heads: BinaryHeap<Reverse<(String, usize, Input)>>,
}

impl Inputs {
    fn merge(mut streams: Vec<Box<dyn Iterator<Item = Input>>>) -> Inputs {
        let mut heads = BinaryHeap::new();
        if streams.len() == 1 {
            // One stream is in order already: `next` takes from it directly, without naming
            // each input for the heap.
            return Inputs { streams, heads };
        }
        for (index, stream) in streams.iter_mut().enumerate() {
            if let Some(input) = stream.next() {
                heads.push(Reverse((input.display_name(), index, input)));
            }
        }
        Inputs { streams, heads }
    }
}

impl Iterator for Inputs {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        if let [only] = self.streams.as_mut_slice() {
            return only.next();
        }
        let Reverse((_, index, input)) = self.heads.pop()?;
        if let Some(next) = self.streams.get_mut(index).and_then(Iterator::next) {
            self.heads.push(Reverse((next.display_name(), index, next)));
        }
        Some(input)
    }
}

/// The checked files under `dir`, walked lazily in display-name order, with what cannot be
/// checked: a directory that cannot be listed, a link that leads nowhere. A FIFO, socket or
/// device with a checked name is yielded as a file, for reading to refuse by name.
///
/// Links are not followed into directories (loops, and whole trees twice). A link to a file is
/// checked under its own name when the file lies outside `dir`, and left out when it lies
/// inside, where the walk meets the file itself: each post is checked once.
fn walk_dir(dir: &Path, extensions: Extensions) -> impl Iterator<Item = Input> + use<> {
    let root = dir.canonicalize().ok();
    let fallback = dir.to_path_buf();
    ignore::WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_path(sibling_order)
        .build()
        .filter_map(move |entry| match entry {
            Ok(entry) => {
                let file_type = entry.file_type()?;
                if file_type.is_dir() || !extensions.includes(&lossy(entry.path())) {
                    return None;
                }
                if file_type.is_symlink() {
                    return linked(entry.into_path(), root.as_deref());
                }
                Some(Input::File(entry.into_path()))
            }
            Err(error) => {
                let path = error_path(&error).unwrap_or(&fallback).to_path_buf();
                Some(Input::Unreadable(path, walk_error_reason(&error)))
            }
        })
}

/// What a walked link to `path` is checked as: the file it leads to (under the link's name)
/// when that lies outside `root`, nothing when it lies inside (the walk checks it under its
/// own name) or is a directory, a finding when it leads nowhere.
fn linked(path: PathBuf, root: Option<&Path>) -> Option<Input> {
    let target =
        std::fs::read_link(&path).map_or_else(|_| "?".to_owned(), |t| lossy(&t).into_owned());
    match std::fs::metadata(&path) {
        Err(e) => {
            let reason = format!("a symbolic link to {target}, which cannot be read: {e}");
            Some(Input::Unreadable(path, reason))
        }
        Ok(meta) if meta.is_dir() => None,
        Ok(_) => {
            let inside = root
                .is_some_and(|root| path.canonicalize().is_ok_and(|real| real.starts_with(root)));
            (!inside).then_some(Input::File(path))
        }
    }
}

/// The path a walk error is about, when it names one.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        _ => None,
    }
}

/// What went wrong in a walk, without the path (the finding names it).
fn walk_error_reason(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_reason(err),
        ignore::Error::Io(e) => {
            format!("cannot list this directory: {e}; the files in it are not checked")
        }
        other => other.to_string(),
    }
}

/// The order of two entries of one directory such that a depth-first walk yields full paths in
/// byte order: a directory sorts as its name followed by `/`, so `a.md` (`.` < `/`) comes
/// before the files in `a/`. Only a directory whose name is a prefix of a sibling's, followed
/// by a byte below `/`, needs a look at the file system.
fn sibling_order(left: &Path, right: &Path) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // Siblings share their parent's path, so their paths compare as their names do.
    let left_name = left.as_os_str().as_encoded_bytes();
    let right_name = right.as_os_str().as_encoded_bytes();
    // One name is a prefix of the other: as a directory (`name/`) it sorts after the longer
    // name when that goes on with a byte below `/`. Otherwise byte order decides.
    if let Some(rest) = right_name.strip_prefix(left_name)
        && let Some(&next) = rest.first()
    {
        if next < b'/' && is_dir(left) {
            Ordering::Greater
        } else {
            Ordering::Less
        }
    } else if let Some(rest) = left_name.strip_prefix(right_name)
        && let Some(&next) = rest.first()
    {
        if next < b'/' && is_dir(right) {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    } else {
        left_name.cmp(right_name)
    }
}

/// A real directory (not a link to one: links are not followed).
fn is_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
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

/// An input's bytes as read, not yet decoded into its [`Source`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw {
    /// The display name.
    pub name: String,
    /// The format, from the name (or `--stdin-format`).
    pub format: Format,
    /// The bytes, as on disk.
    pub bytes: Vec<u8>,
}

impl Raw {
    /// The source these bytes decode to ([`Source::from_bytes`]: the same bytes and format
    /// always give the same text).
    pub fn into_source(self) -> Source {
        Source::from_vec(self.name, self.bytes, self.format)
    }
}

/// Read an input into a source, enforcing the size cap and refusing binary files.
pub fn read(input: &Input, max_size: u64) -> Result<Source, Unreadable> {
    read_raw(input, max_size, None).map(Raw::into_source)
}

/// Read an input's bytes like [`read`] (size cap, binary files refused) without decoding them.
/// `size` is the file's size on disk when already known (stat'ed when it was batched), which
/// saves a second stat; the size cap still holds if the file has grown since.
pub fn read_raw(input: &Input, max_size: u64, size: Option<u64>) -> Result<Raw, Unreadable> {
    let name = input.display_name();
    let format = match input {
        Input::Stdin(format) => *format,
        _ => Format::of_name(&name),
    };
    let unreadable = |reason: String| Unreadable {
        name: name.clone(),
        format,
        reason,
    };
    let bytes = match input {
        Input::File(path) => read_file(path, max_size, size),
        Input::Stdin(_) => read_capped(std::io::stdin().lock(), max_size),
        Input::Url(_) => {
            return Err(unreadable(
                "URL inputs need the network; run without --offline (or save the page and check the file)".to_owned(),
            ));
        }
        Input::Unreadable(_, reason) => return Err(unreadable(reason.clone())),
    }
    .map_err(unreadable)?;
    if !crate::source::has_utf16_bom(&bytes) && looks_binary(&bytes) {
        return Err(unreadable(
            "binary content (NUL bytes); not an HTML or Markdown text file".to_owned(),
        ));
    }
    Ok(Raw {
        name,
        format,
        bytes,
    })
}

/// A file's bytes, refused without reading when its size (`known`, or asked of the file) is
/// over the cap, read into a buffer of its size (growing one from empty copies the bytes over
/// and over). Only a regular file is read: `known` comes from a stat that found one,
/// and without it the open file is asked; opening does not wait for a FIFO's writer.
fn read_file(path: &Path, max_size: u64, known: Option<u64>) -> Result<Vec<u8>, String> {
    let file = open_nonblocking(path).map_err(|e| e.to_string())?;
    let size = if let Some(size) = known {
        size
    } else {
        let meta = file.metadata().map_err(|e| e.to_string())?;
        if !meta.is_file() {
            return Err(format!(
                "not a regular file ({}); only regular files are read",
                kind_of(meta.file_type())
            ));
        }
        meta.len()
    };
    if size > max_size {
        return Err(too_large(max_size));
    }
    // One byte more, so reading to the end needs no second allocation to find the end.
    let capacity = usize::try_from(size).map_or(0, |s| s.saturating_add(1));
    read_capped_into(file, max_size, Vec::with_capacity(capacity))
}

/// Open for reading without blocking: opening a FIFO otherwise waits for a writer, forever.
/// (Regular files read the same either way.)
#[cfg(unix)]
pub(crate) fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Open for reading (no FIFOs to wait for here).
#[cfg(not(unix))]
pub(crate) fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// What kind of file a non-regular one is, for the finding.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

fn read_capped(reader: impl Read, max_size: u64) -> Result<Vec<u8>, String> {
    read_capped_into(reader, max_size, Vec::new())
}

/// Read to the end, but no more than one byte over the cap (files grow, stdin has no size).
fn read_capped_into(
    reader: impl Read,
    max_size: u64,
    mut bytes: Vec<u8>,
) -> Result<Vec<u8>, String> {
    // Saturating: a cap of u64::MAX must not wrap to a cap of nothing.
    reader
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(max_size));
    }
    Ok(bytes)
}

/// Why a file over the size cap is not read.
pub(crate) fn too_large(max_size: u64) -> String {
    format!("larger than the size cap of {max_size} bytes")
}

/// A file is binary when NUL bytes make up more than 1% of its first 8 KiB: text files with a
/// stray NUL are still checked.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    memchr::memchr_iter(0, head).count() * 100 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_size_is_trusted_for_the_buffer_but_not_for_the_cap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("post.md");
        std::fs::write(&path, vec![b'a'; 100]).expect("write");
        let input = Input::File(path);
        // Grown since it was stat'ed: read whole, or refused once past the cap.
        let raw = read_raw(&input, 1000, Some(10)).expect("read");
        assert_eq!(raw.bytes.len(), 100);
        let refused = read_raw(&input, 50, Some(10)).expect_err("over the cap");
        assert_eq!(refused.reason, too_large(50));
        // Known to be over the cap: refused without reading.
        let refused = read_raw(&input, 1000, Some(2000)).expect_err("over the cap");
        assert_eq!(refused.reason, too_large(1000));
    }

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
    fn walked_files_come_in_display_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "b.md",
            "a/x.md",
            "a.md",
            "a-b.md",
            "a0.md",
            "A.md",
            "a/a.html",
            "c/d/e.md",
            "c.d.md",
            "c/notes.txt",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# T\n").unwrap();
        }
        let root = dir.path().to_string_lossy().into_owned();
        let names: Vec<String> = expand(
            std::slice::from_ref(&root),
            Format::Html,
            &Extensions::default(),
        )
        .unwrap()
        .map(|input| input.display_name()[root.len() + 1..].to_owned())
        .collect();
        assert_eq!(
            names,
            [
                "A.md", "a-b.md", "a.md", "a/a.html", "a/x.md", "a0.md", "b.md", "c.d.md",
                "c/d/e.md"
            ]
        );
    }

    #[test]
    fn arguments_are_merged_in_display_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for file in ["z/1.md", "z/3.md", "m.md", "z/2.md"] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# T\n").unwrap();
        }
        let arg = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
        let names: Vec<String> = expand(
            &[arg("z"), arg("m.md"), "https://example.org/".to_owned()],
            Format::Html,
            &Extensions::default(),
        )
        .unwrap()
        .map(|input| input.display_name())
        .collect();
        assert_eq!(
            names,
            [
                arg("m.md"),
                arg("z/1.md"),
                arg("z/2.md"),
                arg("z/3.md"),
                "https://example.org/".to_owned()
            ]
        );
    }

    #[test]
    fn size_cap_is_enforced_by_reading() {
        let data = [b'a'; 11];
        assert!(read_capped(&data[..], 10).is_err());
        assert_eq!(read_capped(&data[..], 11).unwrap().len(), 11);
    }

    #[test]
    fn the_largest_cap_reads_everything() {
        let data = [b'a'; 11];
        assert_eq!(read_capped(&data[..], u64::MAX).unwrap().len(), 11);
    }

    #[test]
    fn added_extensions_are_checked_in_any_case() {
        let extensions = Extensions::new([".MDX", "xhtml", "mdx", "html.j2"]).unwrap();
        assert!(extensions.includes("a/post.mdx"));
        assert!(extensions.includes("a/Page.XHTML"));
        assert!(extensions.includes("a/page.html.j2"));
        assert!(extensions.includes("a/post.md"));
        assert!(!extensions.includes("a/notes.txt"));
        assert!(!extensions.includes("a/post.j2"));
        assert!(!Extensions::default().includes("a/post.mdx"));
        assert_eq!(
            extensions.describe(),
            ".html, .htm, .md, .markdown, .mdx, .xhtml or .html.j2"
        );
        assert_eq!(
            Extensions::new(["a/b"]),
            Err(InputError::BadExtension("a/b".to_owned()))
        );
        assert_eq!(
            Extensions::new(["."]),
            Err(InputError::BadExtension(".".to_owned()))
        );
    }
}
