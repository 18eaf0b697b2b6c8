//! The incremental result cache (`check --cache`): each file's result, keyed by its path and a
//! hash of its content, under a stamp of everything else that decides results (the ccguard
//! build, every loaded rule and policy, the config, the flags). A warm run loads one file per
//! project and reuses the results of unchanged posts: it rebuilds each from the cached facts
//! and findings plus the freshly read text, so every renderer prints exactly what a cold run
//! prints. With [`ResultCache::check_rendered`] an entry also keeps what the caller made of the
//! result (its rendering in one output format), and a run under the same rendering key hands
//! that on without rebuilding or rendering anything.
//!
//! Not for fetched pages (that is `fetch::cache`), and not for results that depend on the
//! network: a result with fetched originals (`upstream`) is never stored. A missing, corrupt or
//! stale cache file only costs a cold run; it is never an error.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::cache_file;
use crate::check;
use crate::detect::Facts;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::governing::LicenseSummary;
use crate::result::DocumentResult;
use crate::source::{LineIndex, Source};
use crate::suppress::Suppressed;
use crate::walk::Raw;

/// The cache file's first bytes, naming its format; a file in any other format is ignored.
/// The rest is postcard (a compact binary serde format: loading a site's entries and decoding
/// each cost a fraction of what JSON did, and a re-check is mostly loading).
const FORMAT: &[u8] = b"ccguard-result-cache/3\n";

/// The results of one project's last run, and those of this run as they come.
///
/// Shared by the checking threads: lookups read the loaded entries, new results are collected
/// behind a lock and written once by [`ResultCache::save`].
#[derive(Debug)]
pub struct ResultCache {
    file: PathBuf,
    stamp: u64,
    old: HashMap<String, Entry>,
    /// This run's entries by path.
    seen: Mutex<Vec<(String, Seen)>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    note: Option<String>,
    /// The run verifies originals: a result with source links left unverified (the network
    /// went away) would not be what a later run computes, so it is not stored.
    verifying: bool,
}

/// One file's cached result.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// [`content_hash`] of the content the result was computed from.
    hash: u64,
    /// A [`Cached`] in postcard, decoded only on a hit that needs the result.
    #[serde(with = "serde_bytes")]
    result: Vec<u8>,
    /// What callers made of the result, each under its key (one per output format and colour).
    renderings: Vec<Rendering>,
}

/// What a caller of [`ResultCache::check_rendered`] made of a result, in postcard.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Rendering {
    /// The caller's key: a hash of everything besides the result the rendering depends on.
    key: u64,
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
}

impl Entry {
    /// The rendering stored under `key`.
    fn rendering(&self, key: u64) -> Option<&[u8]> {
        self.renderings
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.bytes.as_slice())
    }

    /// The cached result's parts, unless they do not decode (or name a rule unknown here).
    fn parts(&self) -> Option<Parts> {
        postcard::from_bytes::<Cached>(&self.result)
            .ok()
            .and_then(Cached::into_parts)
    }
}

/// What this run made of one file, for [`ResultCache::save`].
#[derive(Debug)]
enum Seen {
    /// The loaded entry, as it was.
    Unchanged,
    /// The loaded entry plus a rendering under a key it lacked.
    Rendered(Rendering),
    /// A result computed this run.
    Fresh(Entry),
}

#[derive(Deserialize)]
struct FileIn {
    stamp: u64,
    entries: HashMap<String, Entry>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    stamp: u64,
    entries: BTreeMap<&'a str, Cow<'a, Entry>>,
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

/// A [`Diagnostic`] as stored: its rule id, stored by name, is mapped back to a
/// [`crate::diagnostic::RuleId`] on load.
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
            rule: check::rule_named(&self.rule)?.id,
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
            verifying: false,
        }
    }

    /// For a run that verifies originals: results left unverified are not stored.
    #[must_use]
    pub fn verifying(mut self) -> ResultCache {
        self.verifying = true;
        self
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

    /// True when `raw` has a cached result (without counting it as a hit).
    pub fn contains(&self, raw: &Raw) -> bool {
        self.lookup(raw).1.is_some()
    }

    /// The cached result of `raw` when its content is unchanged, else `check` of its source,
    /// stored for the next run unless it depends on fetched originals.
    pub fn check(&self, raw: Raw, check: impl FnOnce(Source) -> DocumentResult) -> DocumentResult {
        let (hash, entry) = self.lookup(&raw);
        if let Some(parts) = entry.and_then(Entry::parts) {
            self.hit(raw.name.clone(), Seen::Unchanged);
            return rebuild(raw.into_source(), parts);
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let result = check(raw.into_source());
        if let Some(bytes) = self.serialize(&result) {
            let entry = Entry {
                hash,
                result: bytes,
                renderings: Vec::new(),
            };
            self.remember(result.source.name.clone(), Seen::Fresh(entry));
        }
        result
    }

    /// What `render` makes of the result of `raw`, for a `render` whose output depends only on
    /// the result and on what `key` stands for (give a [`stamp`] of the output format, colour
    /// and any other setting it reads). When the content is unchanged and the cache holds a
    /// rendering under `key`, that is returned and nothing is rebuilt or rendered; otherwise
    /// the result (cached or `check` of the source) is rendered, and the rendering stored
    /// beside the result (renderings that fail are not stored).
    pub fn check_rendered<T, E>(
        &self,
        raw: Raw,
        key: u64,
        check: impl FnOnce(Source) -> DocumentResult,
        render: impl FnOnce(DocumentResult) -> Result<T, E>,
    ) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
    {
        let (hash, entry) = self.lookup(&raw);
        if let Some(entry) = entry {
            let stored = entry.rendering(key);
            if let Some(done) = stored.and_then(|bytes| postcard::from_bytes::<T>(bytes).ok()) {
                self.hit(raw.name, Seen::Unchanged);
                return Ok(done);
            }
            if let Some(parts) = entry.parts() {
                let name = raw.name.clone();
                let rendered = render(rebuild(raw.into_source(), parts));
                let seen = match rendering(key, &rendered) {
                    Some(rendering) => Seen::Rendered(rendering),
                    None => Seen::Unchanged,
                };
                self.hit(name, seen);
                return rendered;
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let result = check(raw.into_source());
        let stored = self.serialize(&result);
        let name = result.source.name.clone();
        let rendered = render(result);
        if let Some(bytes) = stored {
            let entry = Entry {
                hash,
                result: bytes,
                renderings: rendering(key, &rendered).into_iter().collect(),
            };
            self.remember(name, Seen::Fresh(entry));
        }
        rendered
    }

    /// The content hash of `raw`, and its loaded entry when that was made from the same content.
    fn lookup(&self, raw: &Raw) -> (u64, Option<&Entry>) {
        let hash = content_hash(raw);
        let entry = self.old.get(&raw.name).filter(|entry| entry.hash == hash);
        (hash, entry)
    }

    fn hit(&self, name: String, seen: Seen) {
        self.hits.fetch_add(1, Ordering::Relaxed);
        self.remember(name, seen);
    }

    fn remember(&self, name: String, seen: Seen) {
        if let Ok(mut seen_so_far) = self.seen.lock() {
            seen_so_far.push((name, seen));
        }
    }

    /// Write this run's entries (and only those: files not checked this run are dropped) to the
    /// cache file, atomically, unless they are exactly what was loaded. Returns whether it wrote.
    pub fn save(&self) -> io::Result<bool> {
        let seen = self
            .seen
            .lock()
            .map_err(|_| io::Error::other("a checking thread panicked"))?;
        let changed = seen.iter().any(|(_, s)| !matches!(s, Seen::Unchanged));
        if !changed && self.note.is_none() {
            // Unchanged entries all come from the loaded ones: the file is as loaded when every
            // loaded entry was seen again.
            let names: HashSet<&str> = seen.iter().map(|(name, _)| name.as_str()).collect();
            if names.len() == self.old.len() {
                return Ok(false);
            }
        }
        let mut entries: BTreeMap<&str, Cow<Entry>> = BTreeMap::new();
        for (name, seen) in seen.iter() {
            let entry = match seen {
                Seen::Fresh(entry) => Cow::Borrowed(entry),
                Seen::Unchanged => match self.old.get(name) {
                    Some(entry) => Cow::Borrowed(entry),
                    None => continue,
                },
                Seen::Rendered(rendering) => match self.old.get(name) {
                    Some(entry) => Cow::Owned(with_rendering(entry, rendering)),
                    None => continue,
                },
            };
            entries.insert(name, entry);
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
/// hashes a site's text far faster than SipHash.
fn hash_parts(parts: &[&[u8]]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.digest()
}

/// The hash a cached result is keyed by: the bytes as read and the format they are decoded as
/// (which decide the text; the path is the entry's name).
fn content_hash(raw: &Raw) -> u64 {
    hash_parts(&[&raw.bytes, raw.format.as_str().as_bytes()])
}

/// `rendered` in postcard under `key`, unless it is an error (or does not serialize).
fn rendering<T: Serialize, E>(key: u64, rendered: &Result<T, E>) -> Option<Rendering> {
    let bytes = held(postcard::to_allocvec(rendered.as_ref().ok()?).ok()?);
    Some(Rendering { key, bytes })
}

/// A loaded entry with `rendering` in place of any other under its key.
fn with_rendering(entry: &Entry, rendering: &Rendering) -> Entry {
    let mut entry = entry.clone();
    entry.renderings.retain(|r| r.key != rendering.key);
    entry.renderings.push(rendering.clone());
    entry
}

/// The entries of the cache file when it exists and was made under `stamp`; `Err(None)` when
/// there is nothing to load (no file, another stamp), `Err(Some(reason))` when it is unusable.
fn load(file: &Path, stamp: u64) -> Result<HashMap<String, Entry>, Option<String>> {
    // A regular file only, not through a link: a FIFO there would hang the run.
    let bytes = match cache_file::read(file, u64::MAX) {
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

impl ResultCache {
    /// The result in postcard as stored, unless it depends on fetched originals or media
    /// sources (or on their absence in a run that fetches).
    fn serialize(&self, result: &DocumentResult) -> Option<Vec<u8>> {
        let media_read = result
            .facts
            .media
            .iter()
            .any(|m| m.checked != crate::detect::media::SourceCheck::NotChecked);
        if !result.upstream.is_empty() || media_read || (self.verifying && result.unverified > 0) {
            return None;
        }
        serialize(result)
    }
}

/// The result in postcard as stored.
fn serialize(result: &DocumentResult) -> Option<Vec<u8>> {
    let cached = CachedRef {
        facts: &result.facts,
        license: &result.license,
        is_repost: result.is_repost,
        diagnostics: &result.diagnostics,
        suppressed: &result.suppressed,
        unverified: result.unverified,
    };
    postcard::to_allocvec(&cached).ok().map(held)
}

/// `bytes` without spare capacity: entries are held until the cache is saved, and a vector
/// grown by doubling holds up to twice its length, which a cold run with `--cache` over a large
/// site feels in its peak memory.
fn held(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes.shrink_to_fit();
    bytes
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

/// Write the format's name and `value` in postcard to an exclusively created temporary file
/// beside `file`, then rename it over `file`, so a reader never sees half a cache, two runs at
/// once leave one whole file, and a link planted in the cache directory redirects nothing.
fn write_atomically(file: &Path, value: &impl Serialize) -> io::Result<()> {
    cache_file::write(file, |out| {
        out.write_all(FORMAT)?;
        postcard::to_io(value, out).map_err(io::Error::other)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::Checker;
    use crate::rules::load;
    use crate::source::{Format, Span};
    use crate::verify::Upstream;

    const POST: &str =
        "# Title\n\nBy Jane Doe. Originally published at https://example.org/a under CC BY 4.0.\n";

    fn checker() -> Checker {
        Checker::new(load::bundled().unwrap()).offline()
    }

    fn post(text: &str) -> Raw {
        named("posts/a.md", text)
    }

    fn named(name: &str, text: &str) -> Raw {
        Raw {
            name: name.to_owned(),
            format: Format::Markdown,
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// Check `raw` through `cache`, returning the result and whether it was computed.
    fn run(cache: &ResultCache, checker: &Checker, raw: Raw) -> (DocumentResult, bool) {
        let mut computed = false;
        let result = cache.check(raw, |s| {
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
        run(&cold, &checker, named("posts/b.md", POST));
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
        let rule = first.diagnostics[0].rule.as_str().as_bytes();
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
    fn results_left_unverified_by_a_fetching_run_are_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let unverified = |s| {
            let mut result = checker.check_source(s);
            result.unverified = 1;
            result
        };
        // A run that fetches and lost the network: the result is not what it would be.
        let fetching = ResultCache::open(dir.path(), "p", 7).verifying();
        fetching.check(post(POST), unverified);
        assert!(!fetching.save().unwrap());
        // An --offline run: unverified is its answer, and it is kept.
        let offline = ResultCache::open(dir.path(), "p", 7);
        offline.check(post(POST), unverified);
        assert!(offline.save().unwrap());
    }

    /// Render `raw` through `cache` under `key` as its first finding's message, returning that
    /// and whether the result was computed and whether it was rendered.
    fn render(cache: &ResultCache, checker: &Checker, raw: Raw, key: u64) -> (String, bool, bool) {
        let (mut computed, mut rendered) = (false, false);
        let text = cache.check_rendered(
            raw,
            key,
            |s| {
                computed = true;
                checker.check_source(s)
            },
            |result| {
                rendered = true;
                Ok::<_, ()>(format!("{key}: {}", result.diagnostics[0].message))
            },
        );
        (text.unwrap(), computed, rendered)
    }

    #[test]
    fn a_rendering_is_reused_only_under_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cold = ResultCache::open(dir.path(), "p", 7);
        let (first, computed, rendered) = render(&cold, &checker, post(POST), 1);
        assert!(computed && rendered);
        assert!(first.starts_with("1: "), "{first}");
        assert!(cold.save().unwrap());

        // Same key: neither computed nor rendered, and nothing to write.
        let warm = ResultCache::open(dir.path(), "p", 7);
        assert_eq!(
            render(&warm, &checker, post(POST), 1),
            (first.clone(), false, false)
        );
        assert_eq!(warm.stats(), Stats { hits: 1, misses: 0 });
        assert!(!warm.save().unwrap());

        // Another key (another format or colour): the result is reused but rendered anew, and
        // the new rendering is kept beside the first.
        let other = ResultCache::open(dir.path(), "p", 7);
        let (second, computed, rendered) = render(&other, &checker, post(POST), 2);
        assert!(!computed && rendered);
        assert_eq!(second, first.replacen('1', "2", 1));
        assert_eq!(other.stats(), Stats { hits: 1, misses: 0 });
        assert!(other.save().unwrap());
        let both = ResultCache::open(dir.path(), "p", 7);
        assert_eq!(
            render(&both, &checker, post(POST), 1),
            (first, false, false)
        );
        assert_eq!(
            render(&both, &checker, post(POST), 2),
            (second, false, false)
        );
    }

    #[test]
    fn a_rendering_of_changed_text_is_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cold = ResultCache::open(dir.path(), "p", 7);
        render(&cold, &checker, post(POST), 1);
        cold.save().unwrap();
        let warm = ResultCache::open(dir.path(), "p", 7);
        let edited = post(&POST.replace("# Title\n\n", "# Title\n\n\n"));
        let (_, computed, rendered) = render(&warm, &checker, edited, 1);
        assert!(computed && rendered);
        assert_eq!(warm.stats(), Stats { hits: 0, misses: 1 });
    }

    #[test]
    fn a_failed_rendering_is_not_stored() {
        let dir = tempfile::tempdir().unwrap();
        let checker = checker();
        let cold = ResultCache::open(dir.path(), "p", 7);
        let failed: Result<String, &str> =
            cold.check_rendered(post(POST), 1, |s| checker.check_source(s), |_| Err("no"));
        assert_eq!(failed, Err("no"));
        cold.save().unwrap();
        // The result was stored, the failed rendering not: rendered again, not recomputed.
        let warm = ResultCache::open(dir.path(), "p", 7);
        let (_, computed, rendered) = render(&warm, &checker, post(POST), 1);
        assert!(!computed && rendered);
    }

    #[cfg(unix)]
    #[test]
    fn links_in_the_cache_directory_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let checker = checker();
        let cache = ResultCache::open(dir.path(), "p", 7);
        std::fs::create_dir_all(cache.file().parent().unwrap()).unwrap();
        // The name the temporary file used to have, and the cache file itself, as links.
        let planted = cache
            .file()
            .with_extension(format!("tmp{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        std::os::unix::fs::symlink(&victim, cache.file()).unwrap();
        let linked = ResultCache::open(dir.path(), "p", 7);
        assert!(linked.note().is_some(), "the linked cache file was read");
        run(&linked, &checker, post(POST));
        assert!(linked.save().unwrap());
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert!(ResultCache::open(dir.path(), "p", 7).contains(&post(POST)));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_as_the_cache_file_is_ignored_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::open(dir.path(), "p", 7);
        std::fs::create_dir_all(cache.file().parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(cache.file())
            .status()
            .unwrap();
        assert!(made.success());
        let opened = ResultCache::open(dir.path(), "p", 7);
        assert!(
            opened
                .note()
                .is_some_and(|n| n.contains("not a regular file")),
            "{:?}",
            opened.note()
        );
    }

    #[test]
    fn stamp_parts_are_length_prefixed() {
        assert_ne!(stamp(&[b"ab", b"c"]), stamp(&[b"a", b"bc"]));
        assert_eq!(stamp(&[b"ab", b"c"]), stamp(&[b"ab", b"c"]));
    }
}
