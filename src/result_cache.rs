//! The incremental result cache (`check --cache`): each file's result, keyed by its path and a
//! hash of its text, under a stamp of everything else that decides results (the ccguard build,
//! every loaded rule and policy, the config, the flags). A warm run loads one file per project,
//! reuses the results of unchanged posts, and rebuilds each from the cached facts and findings
//! plus the freshly read text, so every renderer prints exactly what a cold run prints.
//!
//! Not for fetched pages (that is `fetch::cache`), and not for results that depend on the
//! network: a result with fetched originals (`upstream`) is never stored. A missing, corrupt or
//! stale cache file only costs a cold run; it is never an error.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::check::{self, Diagnostic, Label, Severity};
use crate::checker::{DocumentResult, LicenseSummary};
use crate::detect::Facts;
use crate::source::{LineIndex, Source};
use crate::suppress::Suppressed;

/// The cache file's first bytes, naming its format; a file in any other format is ignored.
/// The rest is postcard (a compact binary serde format: loading a site's entries and decoding
/// each cost a fraction of what JSON did, and a re-check is mostly loading).
const FORMAT: &[u8] = b"ccguard-result-cache/2\n";

/// The results of one project's last run, and those of this run as they come.
///
/// Shared by the checking threads: lookups read the loaded entries, new results are collected
/// behind a lock and written once by [`ResultCache::save`].
#[derive(Debug)]
pub struct ResultCache {
    file: PathBuf,
    stamp: u64,
    old: HashMap<String, Entry>,
    /// This run's entries by path: `None` reuses the loaded entry (a hit).
    seen: Mutex<Vec<(String, Option<Entry>)>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    note: Option<String>,
}

/// One file's cached result.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// [`content_hash`] of the text the result was computed from.
    hash: u64,
    /// A [`Cached`] in postcard, decoded only on a hit.
    #[serde(with = "serde_bytes")]
    result: Vec<u8>,
}

#[derive(Deserialize)]
struct FileIn {
    stamp: u64,
    entries: HashMap<String, Entry>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    stamp: u64,
    entries: BTreeMap<&'a str, &'a Entry>,
}

/// What is kept of a [`DocumentResult`]: everything but the text, which is read anew, and the
/// fetched originals, which are never cached.
#[derive(Serialize)]
struct CachedRef<'a> {
    facts: &'a Facts,
    license: &'a Option<LicenseSummary>,
    is_repost: bool,
    diagnostics: &'a [Diagnostic],
    suppressed: &'a [Suppressed],
    unverified: usize,
}

#[derive(Deserialize)]
struct Cached {
    facts: Facts,
    license: Option<LicenseSummary>,
    is_repost: bool,
    diagnostics: Vec<CachedDiagnostic>,
    suppressed: Vec<CachedSuppressed>,
    unverified: usize,
}

/// A [`Diagnostic`] as stored: its rule id is mapped back to the `&'static str` of
/// [`check::RULES`] on load.
#[derive(Deserialize)]
struct CachedDiagnostic {
    rule: String,
    severity: Severity,
    message: String,
    span: crate::source::Span,
    help: Option<String>,
    labels: Vec<Label>,
}

/// A [`Suppressed`] as stored.
#[derive(Deserialize)]
struct CachedSuppressed {
    diagnostic: CachedDiagnostic,
    reason: Option<String>,
}

impl CachedDiagnostic {
    /// The diagnostic, unless its rule id is unknown to this build.
    fn into_diagnostic(self) -> Option<Diagnostic> {
        Some(Diagnostic {
            rule: check::rule(&self.rule)?.id,
            severity: self.severity,
            message: self.message,
            span: self.span,
            help: self.help,
            labels: self.labels,
        })
    }
}

/// How many results were reused and how many computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Files whose cached result was reused.
    pub hits: usize,
    /// Files checked afresh (not cached, changed, or an unusable entry).
    pub misses: usize,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hits, {} misses", self.hits, self.misses)
    }
}

impl ResultCache {
    /// The cache of `project` (anything naming the run's inputs, e.g. the working directory and
    /// the arguments) under `dir/results/`, keeping the stored entries only when they were
    /// made under the same `stamp` (see [`stamp`]). Never fails: an unreadable or foreign file
    /// is ignored, and [`ResultCache::note`] says why.
    pub fn open(dir: &Path, project: &str, stamp: u64) -> ResultCache {
        let file = dir
            .join("results")
            .join(format!("{:016x}.bin", hash_parts(&[project.as_bytes()])));
        let (old, note) = match load(&file, stamp) {
            Ok(old) => (old, None),
            Err(reason) => (HashMap::new(), reason),
        };
        ResultCache {
            file,
            stamp,
            old,
            seen: Mutex::new(Vec::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            note,
        }
    }

    /// The cache file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Why the existing cache file was ignored (unreadable or corrupt), if it was.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> Stats {
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// True when `source` has a usable cached result (without counting it as a hit).
    pub fn contains(&self, source: &Source) -> bool {
        self.old
            .get(&source.name)
            .is_some_and(|entry| entry.hash == content_hash(source))
    }

    /// The cached result of `source` when its text is unchanged, else `check(source)`, stored
    /// for the next run unless it depends on fetched originals.
    pub fn check(
        &self,
        source: Source,
        check: impl FnOnce(Source) -> DocumentResult,
    ) -> DocumentResult {
        let hash = content_hash(&source);
        let cached = self
            .old
            .get(&source.name)
            .filter(|entry| entry.hash == hash)
            .and_then(|entry| postcard::from_bytes::<Cached>(&entry.result).ok())
            .and_then(Cached::into_parts);
        if let Some(cached) = cached {
            self.hits.fetch_add(1, Ordering::Relaxed);
            self.remember(source.name.clone(), None);
            return rebuild(source, cached);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let result = check(source);
        if result.upstream.is_empty()
            && let Some(json) = serialize(&result)
        {
            let entry = Entry { hash, result: json };
            self.remember(result.source.name.clone(), Some(entry));
        }
        result
    }

    fn remember(&self, name: String, entry: Option<Entry>) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((name, entry));
        }
    }

    /// Write this run's entries (and only those: files not checked this run are dropped) to the
    /// cache file, atomically, unless they are exactly what was loaded. Returns whether it wrote.
    pub fn save(&self) -> io::Result<bool> {
        let seen = self
            .seen
            .lock()
            .map_err(|_| io::Error::other("a checking thread panicked"))?;
        let mut fresh = false;
        let mut entries: BTreeMap<&str, &Entry> = BTreeMap::new();
        for (name, entry) in seen.iter() {
            let entry = match entry {
                Some(entry) => {
                    fresh = true;
                    entry
                }
                None => match self.old.get(name) {
                    Some(entry) => entry,
                    None => continue,
                },
            };
            entries.insert(name, entry);
        }
        if !fresh && entries.len() == self.old.len() && self.note.is_none() {
            return Ok(false);
        }
        let out = FileOut {
            stamp: self.stamp,
            entries,
        };
        write_atomically(&self.file, &out)?;
        Ok(true)
    }
}

/// A hash of everything besides a post's own text that decides its result: pass the ccguard
/// build, the rules, the config and the flags that change results. Parts are length-prefixed,
/// so `["ab", "c"]` and `["a", "bc"]` differ.
pub fn stamp(parts: &[&[u8]]) -> u64 {
    hash_parts(parts)
}

/// XXH3: a specified algorithm (the same value from every build, unlike `DefaultHasher`) that
/// hashes a site's text ~8x faster than SipHash.
fn hash_parts(parts: &[&[u8]]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest()
}

/// The hash a cached result is keyed by: the text as decoded, its format and whether the
/// decoding was lossy (the path is the entry's name).
fn content_hash(source: &Source) -> u64 {
    let format = source.format.as_str();
    let lossy = [u8::from(source.lossy)];
    hash_parts(&[source.text.as_bytes(), format.as_bytes(), &lossy])
}

/// The entries of the cache file when it exists and was made under `stamp`; `Err(None)` when
/// there is nothing to load (no file, another stamp), `Err(Some(reason))` when it is unusable.
fn load(file: &Path, stamp: u64) -> Result<HashMap<String, Entry>, Option<String>> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(e.to_string())),
    };
    let Some(body) = bytes.strip_prefix(FORMAT) else {
        return Err(Some(
            "not a ccguard result cache of this version".to_owned(),
        ));
    };
    let stored: FileIn = postcard::from_bytes(body).map_err(|e| Some(e.to_string()))?;
    if stored.stamp != stamp {
        return Err(None);
    }
    Ok(stored.entries)
}

fn serialize(result: &DocumentResult) -> Option<Vec<u8>> {
    let cached = CachedRef {
        facts: &result.facts,
        license: &result.license,
        is_repost: result.is_repost,
        diagnostics: &result.diagnostics,
        suppressed: &result.suppressed,
        unverified: result.unverified,
    };
    postcard::to_allocvec(&cached).ok()
}

impl Cached {
    /// The parts of a result, unless a rule id is unknown to this build.
    fn into_parts(self) -> Option<Parts> {
        let diagnostics = self
            .diagnostics
            .into_iter()
            .map(CachedDiagnostic::into_diagnostic)
            .collect::<Option<Vec<_>>>()?;
        let suppressed = self
            .suppressed
            .into_iter()
            .map(|s| {
                Some(Suppressed {
                    diagnostic: s.diagnostic.into_diagnostic()?,
                    reason: s.reason,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Parts {
            facts: self.facts,
            license: self.license,
            is_repost: self.is_repost,
            diagnostics,
            suppressed,
            unverified: self.unverified,
        })
    }
}

/// A cached result, loaded and ready to be joined with its text.
struct Parts {
    facts: Facts,
    license: Option<LicenseSummary>,
    is_repost: bool,
    diagnostics: Vec<Diagnostic>,
    suppressed: Vec<Suppressed>,
    unverified: usize,
}

/// The result a cold run would give `source`, from its cached parts.
fn rebuild(source: Source, parts: Parts) -> DocumentResult {
    let lines = LineIndex::new(&source.text);
    DocumentResult {
        source,
        lines,
        facts: parts.facts,
        license: parts.license,
        is_repost: parts.is_repost,
        diagnostics: parts.diagnostics,
        suppressed: parts.suppressed,
        upstream: Vec::new(),
        unverified: parts.unverified,
        positions: Vec::new(),
    }
}

/// Write the format's name and `value` in postcard to a temporary file beside `file`, then rename it over `file`, so a
/// reader never sees half a cache and two runs at once leave one whole file.
fn write_atomically(file: &Path, value: &impl Serialize) -> io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = file.with_extension(format!("tmp{}", std::process::id()));
    let written = (|| {
        let mut out = io::BufWriter::new(std::fs::File::create(&temp)?);
        out.write_all(FORMAT)?;
        postcard::to_io(value, &mut out).map_err(io::Error::other)?;
        out.flush()
    })();
    match written.and_then(|()| std::fs::rename(&temp, file)) {
        Ok(()) => Ok(()),
        Err(e) => {
            // Best effort: a leftover temp file is harmless but untidy.
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::Checker;
    use crate::fetch::upstream::Upstream;
    use crate::rules::load;
    use crate::source::{Format, Span};

    const POST: &str =
        "# Title\n\nBy Jane Doe. Originally published at https://example.org/a under CC BY 4.0.\n";

    fn checker() -> Checker {
        Checker::new(load::bundled().unwrap()).offline()
    }

    fn post(text: &str) -> Source {
        Source::from_text("posts/a.md", text, Format::Markdown)
    }

    /// Check `source` through `cache`, returning the result and whether it was computed.
    fn run(cache: &ResultCache, checker: &Checker, source: Source) -> (DocumentResult, bool) {
        let mut computed = false;
        let result = cache.check(source, |s| {
            computed = true;
            checker.check_source(s)
        });
        (result, computed)
    }

    #[test]
    fn a_saved_result_is_reused_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cold = ResultCache::open(dir.path(), "p", 7);
        let (first, computed) = run(&cold, &checker, post(POST));
        assert!(computed);
        assert!(cold.save().unwrap());
        assert_eq!(cold.stats(), Stats { hits: 0, misses: 1 });

        let warm = ResultCache::open(dir.path(), "p", 7);
        assert!(warm.contains(&post(POST)));
        let (second, computed) = run(&warm, &checker, post(POST));
        assert!(!computed);
        assert_eq!(warm.stats(), Stats { hits: 1, misses: 0 });
        assert_eq!(second.diagnostics, first.diagnostics);
        assert_eq!(second.suppressed, first.suppressed);
        assert_eq!(second.license, first.license);
        assert_eq!(second.is_repost, first.is_repost);
        assert_eq!(second.facts.credits, first.facts.credits);
        assert_eq!(second.facts.licenses, first.facts.licenses);
        assert_eq!(second.source.text, POST);
        assert_eq!(second.lines.line_col(POST, 9), (3, 1));
        // Nothing changed, so nothing is written.
        assert!(!warm.save().unwrap());
    }

    #[test]
    fn changed_text_or_stamp_or_project_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cold = ResultCache::open(dir.path(), "p", 7);
        run(&cold, &checker, post(POST));
        cold.save().unwrap();

        let edited = ResultCache::open(dir.path(), "p", 7);
        assert!(run(&edited, &checker, post(&POST.replace("Jane", "John"))).1);
        let restamped = ResultCache::open(dir.path(), "p", 8);
        assert!(run(&restamped, &checker, post(POST)).1);
        assert_eq!(restamped.note(), None);
        let elsewhere = ResultCache::open(dir.path(), "q", 7);
        assert!(run(&elsewhere, &checker, post(POST)).1);
    }

    #[test]
    fn files_not_seen_are_dropped_on_save() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cold = ResultCache::open(dir.path(), "p", 7);
        run(&cold, &checker, post(POST));
        run(
            &cold,
            &checker,
            Source::from_text("posts/b.md", POST, Format::Markdown),
        );
        cold.save().unwrap();

        let fewer = ResultCache::open(dir.path(), "p", 7);
        assert!(!run(&fewer, &checker, post(POST)).1);
        assert!(fewer.save().unwrap());
        let after = ResultCache::open(dir.path(), "p", 7);
        assert_eq!(after.old.len(), 1);
        assert!(after.old.contains_key("posts/a.md"));
    }

    #[test]
    fn a_corrupt_file_is_ignored_with_a_note_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cache = ResultCache::open(dir.path(), "p", 7);
        std::fs::create_dir_all(cache.file().parent().unwrap()).unwrap();
        // The format's name, then a stamp cut short.
        std::fs::write(cache.file(), [FORMAT, &[0xff]].concat()).unwrap();

        let broken = ResultCache::open(dir.path(), "p", 7);
        assert!(
            broken.note().unwrap().contains("end of buffer"),
            "{:?}",
            broken.note()
        );
        std::fs::write(cache.file(), "{\"format\": \"ccguard-result-cache/1\"}").unwrap();
        assert_eq!(
            ResultCache::open(dir.path(), "p", 7).note(),
            Some("not a ccguard result cache of this version")
        );
        assert!(run(&broken, &checker, post(POST)).1);
        assert!(broken.save().unwrap());
        assert_eq!(ResultCache::open(dir.path(), "p", 7).note(), None);
    }

    #[test]
    fn an_entry_with_an_unknown_rule_is_recomputed() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cold = ResultCache::open(dir.path(), "p", 7);
        let (first, _) = run(&cold, &checker, post(POST));
        assert!(!first.diagnostics.is_empty());
        cold.save().unwrap();
        // Every mention of the rule becomes an unknown id of the same length.
        let mut bytes = std::fs::read(cold.file()).unwrap();
        let rule = first.diagnostics[0].rule.as_bytes();
        let mut replaced = 0;
        while let Some(at) = bytes.windows(rule.len()).position(|w| w == rule) {
            bytes[at..at + rule.len()].fill(b'x');
            replaced += 1;
        }
        assert!(replaced > 0);
        std::fs::write(cold.file(), bytes).unwrap();

        let warm = ResultCache::open(dir.path(), "p", 7);
        let (second, computed) = run(&warm, &checker, post(POST));
        assert!(computed);
        assert_eq!(second.diagnostics, first.diagnostics);
    }

    #[test]
    fn results_with_fetched_originals_are_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cache = ResultCache::open(dir.path(), "p", 7);
        cache.check(post(POST), |s| {
            let mut result = checker.check_source(s);
            result.upstream.push(Upstream {
                url: "https://example.org/a".to_owned(),
                span: Span::new(0, 1),
                result: Err("timed out".to_owned()),
                claim: None,
            });
            result
        });
        assert!(!cache.save().unwrap());
        assert!(!cache.file().exists());
    }

    #[test]
    fn stamp_parts_are_length_prefixed() {
        assert_ne!(stamp(&[b"ab", b"c"]), stamp(&[b"a", b"bc"]));
        assert_eq!(stamp(&[b"ab", b"c"]), stamp(&[b"ab", b"c"]));
    }
}
