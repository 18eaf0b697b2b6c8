//! Baselines (CONTRACT.md §4): `--write-baseline FILE` records the current findings,
//! `--baseline FILE` hides those recorded. An entry is keyed by path, rule and a fingerprint of
//! the evidence text — not the line — so edits elsewhere in the file keep it matched.
//!
//! Paths are recorded relative to the baseline file's directory, `/`-separated, with `.`, `..`
//! and symlinked directories resolved ([`Keys`]): a baseline matches however the inputs are
//! typed and wherever ccguard runs. Baselines of schema 1 recorded paths as typed; they are
//! still read, and an entry of theirs also matches a finding whose path is typed the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hasher;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, RuleId};
use crate::source::Source;

/// The schema id written into baseline files.
pub const SCHEMA: &str = "ccguard-baseline/2";

/// The schema of baselines whose paths are as typed on the command line.
const SCHEMA_AS_TYPED: &str = "ccguard-baseline/1";

/// The largest baseline file read, in bytes: far above any site's findings.
pub const MAX_SIZE: u64 = 256 * 1024 * 1024;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The document's path relative to the baseline's directory (its URL for URL inputs).
    pub path: String,
    /// The rule id.
    pub rule: String,
    /// A hash of path, rule and evidence text.
    pub fingerprint: String,
}

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// [`SCHEMA`], or `ccguard-baseline/1` for a baseline with paths as typed.
    pub schema: String,
    /// The recorded findings, sorted.
    pub entries: Vec<Entry>,
}

/// A baseline file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BaselineError {
    /// The file.
    pub path: String,
    /// What went wrong and what to do.
    pub message: String,
}

/// The fingerprint of a finding in the document keyed `key`: FNV-1a (stable across Rust
/// versions, unlike `DefaultHasher`) over the key, the rule and the evidence text (the message
/// for whole-document findings).
pub fn fingerprint(key: &str, source: &Source, diagnostic: &Diagnostic) -> String {
    let evidence = source.slice(diagnostic.span);
    let evidence = if evidence.is_empty() {
        diagnostic.message.as_str()
    } else {
        evidence
    };
    let mut hasher = fnv::FnvHasher::default();
    for part in [key, diagnostic.rule.as_str(), evidence] {
        hasher.write(part.as_bytes());
        hasher.write_u8(0);
    }
    format!("{:016x}", hasher.finish())
}

/// How a baseline names documents: a file by its path relative to the baseline file's
/// directory, stdin as `-` and a URL as itself.
#[derive(Debug, Clone)]
pub struct Keys {
    /// The baseline's directory, symlinks resolved.
    dir: PathBuf,
}

impl Keys {
    /// The keys of the baseline file at `baseline` (which need not exist yet; its directory
    /// must).
    pub fn new(baseline: &Path) -> Result<Keys, BaselineError> {
        let dir = baseline
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir = dir.canonicalize().map_err(|e| BaselineError {
            path: baseline.to_string_lossy().into_owned(),
            message: format!("cannot resolve its directory: {e}"),
        })?;
        Ok(Keys { dir })
    }

    /// The key of the document named `name` (a display name: a path as walked, `-` or a URL).
    pub fn key(&self, name: &str) -> String {
        if name == "-" || name.contains("://") {
            return name.to_owned();
        }
        relative(&self.dir, &resolved(Path::new(name)))
    }
}

/// `path` made absolute, its directory resolved (`..` after a symlink goes where the file
/// system goes); the file name is kept, so a symlinked post keeps its own name. Lexically
/// normalised when the directory cannot be resolved.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let (Some(parent), Some(name)) = (absolute.parent(), absolute.file_name())
        && let Ok(dir) = parent.canonicalize()
    {
        return dir.join(name);
    }
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// `path` relative to `base` (both absolute and normalised), `/`-separated, with `..` where
/// `path` lies outside `base`; `path` itself when they share no root (another drive).
fn relative(base: &Path, path: &Path) -> String {
    let base: Vec<Component> = base.components().collect();
    let path: Vec<Component> = path.components().collect();
    let common = base.iter().zip(&path).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path
            .iter()
            .collect::<PathBuf>()
            .to_string_lossy()
            .replace('\\', "/");
    }
    let ups = std::iter::repeat_n("..".into(), base.len() - common);
    let downs = path[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy());
    ups.chain(downs).collect::<Vec<_>>().join("/")
}

impl Baseline {
    /// A baseline recording the findings of documents in turn, each document's findings
    /// (`source`, then its findings) as they come: a site's results need not be held at once.
    pub fn record<'a>(
        documents: impl IntoIterator<Item = (&'a Source, Vec<&'a Diagnostic>)>,
        keys: &Keys,
    ) -> Baseline {
        let mut baseline = Baseline {
            schema: SCHEMA.to_owned(),
            entries: Vec::new(),
        };
        for (source, findings) in documents {
            baseline.add(source, findings, keys);
        }
        baseline
    }

    /// Record one document's findings ([`Baseline::save`] sorts the entries).
    pub fn add<'a>(
        &mut self,
        source: &Source,
        findings: impl IntoIterator<Item = &'a Diagnostic>,
        keys: &Keys,
    ) {
        let key = keys.key(&source.name);
        self.entries.extend(findings.into_iter().map(|d| Entry {
            path: key.clone(),
            rule: d.rule.as_str().to_owned(),
            fingerprint: fingerprint(&key, source, d),
        }));
    }

    /// Read a baseline file: a regular file (not a device or pipe, which could block or never
    /// end) of at most [`MAX_SIZE`] bytes.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            path: path.to_string_lossy().into_owned(),
            message,
        };
        // Judged on the opened file, so a swap between a check and the open cannot make the
        // read wait on a FIFO.
        let file = crate::walk::open_nonblocking(path).map_err(|e| err(e.to_string()))?;
        let meta = file.metadata().map_err(|e| err(e.to_string()))?;
        if !meta.is_file() {
            return Err(err(
                "not a regular file; give a baseline written by --write-baseline".to_owned(),
            ));
        }
        let too_large = || {
            err(format!(
                "larger than {MAX_SIZE} bytes; not a baseline written by --write-baseline"
            ))
        };
        if meta.len() > MAX_SIZE {
            return Err(too_large());
        }
        let mut text = String::new();
        file.take(MAX_SIZE + 1)
            .read_to_string(&mut text)
            .map_err(|e| err(e.to_string()))?;
        if text.len() as u64 > MAX_SIZE {
            return Err(too_large());
        }
        let baseline: Baseline =
            serde_json::from_str(&text).map_err(|e| err(format!("not a ccguard baseline: {e}")))?;
        if baseline.schema != SCHEMA && baseline.schema != SCHEMA_AS_TYPED {
            return Err(err(format!(
                "unknown schema `{}`; expected `{SCHEMA}`",
                baseline.schema
            )));
        }
        Ok(baseline)
    }

    /// Write the baseline as pretty JSON.
    pub fn save(&mut self, path: &Path) -> Result<(), BaselineError> {
        self.entries.sort();
        let text = serde_json::to_string_pretty(self).map_err(|e| BaselineError {
            path: path.to_string_lossy().into_owned(),
            message: e.to_string(),
        })?;
        std::fs::write(path, text + "\n").map_err(|e| BaselineError {
            path: path.to_string_lossy().into_owned(),
            message: e.to_string(),
        })
    }

    /// A matcher of findings against these entries (one entry hides one finding of its
    /// document), naming documents by `keys`.
    pub fn matcher(&self, keys: Keys) -> Matcher {
        let mut counts = BTreeMap::new();
        for entry in &self.entries {
            *counts.entry(entry.clone()).or_insert(0usize) += 1;
        }
        Matcher {
            counts,
            keys,
            as_typed: self.schema == SCHEMA_AS_TYPED,
            used: Mutex::new(Used::default()),
        }
    }
}

/// Matches findings against a baseline's entries and remembers what was left unmatched. Each
/// document is matched on its own (the same file given twice hides the same findings twice),
/// so the checking threads share one matcher and the outcome never depends on their order.
#[derive(Debug)]
pub struct Matcher {
    /// How many findings each entry hides in its document.
    counts: BTreeMap<Entry, usize>,
    keys: Keys,
    /// The baseline is of schema 1: its entries may name paths as typed.
    as_typed: bool,
    used: Mutex<Used>,
}

/// What the documents matched so far used of a baseline.
#[derive(Debug, Default)]
struct Used {
    /// The paths of the documents checked, as entries name them.
    checked: BTreeSet<String>,
    /// The most findings of one document each entry hid.
    taken: BTreeMap<Entry, usize>,
    hidden: usize,
}

impl Matcher {
    /// Split the findings of one checked document into those kept and those the baseline
    /// records (each entry hiding one finding), and note the document as checked.
    pub fn hide(
        &self,
        source: &Source,
        findings: Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let key = self.keys.key(&source.name);
        let typed = (self.as_typed && source.name != key).then_some(source.name.as_str());
        let mut taken = BTreeMap::new();
        // A bug is never a finding to live with: an `internal-error` is never hidden.
        let (hidden, kept): (Vec<_>, Vec<_>) = findings.into_iter().partition(|d| {
            d.rule != RuleId::InternalError
                && (self.take(&mut taken, &key, source, d)
                    || typed.is_some_and(|typed| self.take(&mut taken, typed, source, d)))
        });
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        used.hidden += hidden.len();
        for (entry, n) in taken {
            let most = used.taken.entry(entry).or_insert(0);
            *most = (*most).max(n);
        }
        if let Some(typed) = typed {
            used.checked.insert(typed.to_owned());
        }
        used.checked.insert(key);
        (kept, hidden)
    }

    /// True (and counted in `taken`) when the baseline records this finding under `key` and
    /// its entry has not yet hidden as many findings of this document as it records.
    fn take(
        &self,
        taken: &mut BTreeMap<Entry, usize>,
        key: &str,
        source: &Source,
        diagnostic: &Diagnostic,
    ) -> bool {
        let entry = Entry {
            path: key.to_owned(),
            rule: diagnostic.rule.as_str().to_owned(),
            fingerprint: fingerprint(key, source, diagnostic),
        };
        let Some(&count) = self.counts.get(&entry) else {
            return false;
        };
        let n = taken.entry(entry).or_insert(0);
        if *n < count {
            *n += 1;
            true
        } else {
            false
        }
    }

    /// The number of findings hidden so far.
    pub fn hidden(&self) -> usize {
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .hidden
    }

    /// Entries of the documents checked that matched no finding (fixed or changed), for
    /// `--show-stale-baseline`; entries of documents not checked in this run are not stale.
    pub fn stale(&self) -> Vec<&Entry> {
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        self.counts
            .iter()
            .filter(|(e, count)| {
                used.checked.contains(&e.path) && used.taken.get(*e).copied().unwrap_or(0) < **count
            })
            .map(|(e, _)| e)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::source::{Format, Span};

    fn finding(span: Span) -> Diagnostic {
        Diagnostic {
            rule: RuleId::MissingLicenseLink,
            severity: Severity::Warning,
            message: "the license is named but not linked".into(),
            span,
            place: crate::source::Place {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            },
            help: None,
            labels: Vec::new(),
        }
    }

    #[test]
    fn fingerprint_ignores_the_line_but_not_the_evidence() {
        let before = Source::from_text("a.md", "Licensed CC BY 4.0\n", Format::Markdown);
        let after = Source::from_text(
            "a.md",
            "New intro.\n\nLicensed CC BY 4.0\n",
            Format::Markdown,
        );
        let changed = Source::from_text("a.md", "Licensed CC BY 3.0\n", Format::Markdown);
        let at = |s: &Source| {
            let start = s.text.find("CC BY").unwrap();
            finding(Span::new(start, start + 9))
        };
        assert_eq!(
            fingerprint("a.md", &before, &at(&before)),
            fingerprint("a.md", &after, &at(&after))
        );
        assert_ne!(
            fingerprint("a.md", &before, &at(&before)),
            fingerprint("a.md", &changed, &at(&changed))
        );
        // Pinned: the hash must stay stable across releases (schema 1 files depend on it).
        assert_eq!(
            fingerprint("a.md", &before, &at(&before)),
            "14e0f4360f4744d7"
        );
    }

    #[test]
    fn matcher_consumes_entries_and_reports_stale_ones_of_checked_documents() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::new(&dir.path().join("baseline.json")).unwrap();
        let name = dir.path().join("a.md").to_string_lossy().into_owned();
        let source = Source::from_text(name, "CC BY 4.0", Format::Markdown);
        let d = finding(Span::new(0, 9));
        let baseline = Baseline::record([(&source, vec![&d])], &keys);
        assert_eq!(baseline.entries[0].path, "a.md");
        let matcher = baseline.matcher(keys.clone());
        let (kept, hidden) = matcher.hide(&source, vec![d.clone(), d.clone()]);
        assert_eq!(
            (kept.len(), hidden.len()),
            (1, 1),
            "one entry hides one finding"
        );
        assert!(matcher.stale().is_empty());
        assert_eq!(matcher.hidden(), 1);
        // Unchecked: not stale. Checked without the finding: stale.
        let other = baseline.matcher(keys);
        assert!(other.stale().is_empty());
        other.hide(&source, Vec::new());
        assert_eq!(other.stale().len(), 1);
    }

    #[test]
    fn each_document_is_matched_on_its_own_whatever_the_order() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::new(&dir.path().join("baseline.json")).unwrap();
        let name = dir.path().join("a.md").to_string_lossy().into_owned();
        let source = Source::from_text(name, "CC BY 4.0", Format::Markdown);
        let d = finding(Span::new(0, 9));
        let baseline = Baseline::record([(&source, vec![&d])], &keys);
        let matcher = baseline.matcher(keys);
        // The same file given twice: each copy hides its own finding, so the checking
        // threads' order cannot change which copy shows it.
        for _ in 0..2 {
            let (kept, hidden) = matcher.hide(&source, vec![d.clone()]);
            assert_eq!((kept.len(), hidden.len()), (0, 1));
        }
        assert_eq!(matcher.hidden(), 2);
        assert!(matcher.stale().is_empty());
    }

    #[test]
    fn keys_are_relative_to_the_baseline_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("site/posts")).unwrap();
        std::fs::create_dir_all(root.join("ci")).unwrap();
        let keys = Keys::new(&root.join("site/baseline.json")).unwrap();
        let at = |p: &str| root.join(p).to_string_lossy().into_owned();
        assert_eq!(keys.key(&at("site/posts/a.md")), "posts/a.md");
        assert_eq!(keys.key(&at("site/./posts//a.md")), "posts/a.md");
        assert_eq!(keys.key(&at("site/ci/../posts/a.md")), "posts/a.md");
        assert_eq!(keys.key(&at("ci/a.md")), "../ci/a.md");
        assert_eq!(keys.key(&at("site/gone/../posts/a.md")), "posts/a.md");
        assert_eq!(keys.key("-"), "-");
        assert_eq!(
            keys.key("https://example.org/a?b=1"),
            "https://example.org/a?b=1"
        );
    }

    #[test]
    fn relative_paths_climb_out_of_the_base() {
        assert_eq!(
            relative(Path::new("/a/b/c"), Path::new("/a/d/e.md")),
            "../../d/e.md"
        );
        assert_eq!(relative(Path::new("/a"), Path::new("/a/e.md")), "e.md");
    }
}
