//! The pipeline for one post and for many: read → extract → detect → check, per file in
//! parallel, with results sorted by path so output never depends on thread timing.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::check::{self, Input};
use crate::config::Config;
use crate::detect::{Detector, Facts};
use crate::diagnostic::{Diagnostic, RuleId};
use crate::document;
use crate::result::DocumentResult;
use crate::result_cache::ResultCache;
use crate::rules::Registry;
use crate::source::{Format, LineIndex, Source};
use crate::suppress;
use crate::verify::{self, Verifier};
use crate::walk::{self, Unreadable};

/// The stack of each checking thread. The parsers recurse only to bounded depths (html5gum per
/// chained attribute, broken up by `document::html`; YAML front matter to serde-saphyr's depth
/// budget; JSON to serde_json's recursion limit), but a stack overflow aborts the whole run
/// uncaught, and unoptimised builds take much stack per YAML level: rayon's default stack
/// overflowed on nested YAML maps well within that budget. This is the main thread's stack
/// on Linux; it is reserved, not used, until a thread needs it.
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// Checks posts against a registry of license rules, with a config.
#[derive(Debug)]
pub struct Checker {
    /// The rules: given, or loaded by `load_registry` on first use.
    registry: OnceLock<Registry>,
    load_registry: fn() -> Registry,
    /// Built on the first post that needs detection: a re-check served from the result cache
    /// never compiles the license names.
    detector: OnceLock<Detector>,
    config: Config,
    max_size: u64,
    verifier: Option<Verifier>,
    offline: bool,
    keep_text: bool,
    cache: Option<ResultCache>,
    /// Files whose check panicked (each reported as `internal-error`).
    internal_errors: AtomicUsize,
}

impl Checker {
    /// A checker over these rules.
    pub fn new(registry: Registry) -> Checker {
        let checker = Checker::loading_rules(Registry::default);
        // Set just now, so it cannot be set already.
        let _ = checker.registry.set(registry);
        checker
    }

    /// A checker over the rules `load` gives, loaded when first needed: a re-check served from
    /// the result cache needs none (loading the bundled rules would be a large part of one).
    pub fn loading_rules(load: fn() -> Registry) -> Checker {
        Checker {
            registry: OnceLock::new(),
            load_registry: load,
            detector: OnceLock::new(),
            config: Config::default(),
            max_size: walk::DEFAULT_MAX_SIZE,
            verifier: None,
            offline: false,
            keep_text: true,
            cache: None,
            internal_errors: AtomicUsize::new(0),
        }
    }

    /// The detectors, built on first use.
    fn detector(&self) -> &Detector {
        self.detector.get_or_init(|| Detector::new(self.registry()))
    }

    /// Without a result cache, build the one-time detection state before the first post: the
    /// rules (parsed on every thread), then the detectors and the prose gates side by side.
    /// Built lazily, the first post built them one after the other while the other threads
    /// waited on it. A run with a result cache keeps building them lazily: an all-cached
    /// re-check needs none.
    fn warm_up(&self) {
        if self.cache.is_some() {
            return;
        }
        self.registry();
        rayon::join(
            || {
                self.detector();
            },
            crate::detect::warm_up,
        );
    }

    /// Fetch URL inputs and verify every repost against its originals with this verifier.
    #[must_use]
    pub fn with_verifier(mut self, verifier: Verifier) -> Checker {
        self.verifier = Some(verifier);
        self.cache = self.cache.take().map(ResultCache::verifying);
        self
    }

    /// Never fetch, and count the source links left unverified (`--offline`).
    #[must_use]
    pub fn offline(mut self) -> Checker {
        self.verifier = None;
        self.offline = true;
        self
    }

    /// The verifier, when originals are fetched.
    pub fn verifier(&self) -> Option<&Verifier> {
        self.verifier.as_ref()
    }

    /// Use this config (severities, overrides, size cap).
    #[must_use]
    pub fn with_config(mut self, config: Config) -> Checker {
        if let Some(max_size) = config.max_size {
            self.max_size = max_size;
        }
        self.config = config;
        self
    }

    /// The config in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Change the size cap for files.
    #[must_use]
    pub fn with_max_size(mut self, max_size: u64) -> Checker {
        self.max_size = max_size;
        self
    }

    /// Whether [`Checker::check_all`] keeps each post's text in its result (the default) or
    /// drops it once checked ([`DocumentResult::drop_text`]), for bounded memory on big sites.
    #[must_use]
    pub fn with_keep_text(mut self, keep_text: bool) -> Checker {
        self.keep_text = keep_text;
        self
    }

    /// Reuse the results of unchanged files from this cache, and store new ones in it
    /// (`--cache`; URL and stdin inputs are always checked afresh).
    #[must_use]
    pub fn with_result_cache(mut self, cache: ResultCache) -> Checker {
        self.cache = Some(if self.verifier.is_some() {
            cache.verifying()
        } else {
            cache
        });
        self
    }

    /// The result cache, when one is in use (to save it and report its hits).
    pub fn result_cache(&self) -> Option<&ResultCache> {
        self.cache.as_ref()
    }

    /// The rules in use.
    pub fn registry(&self) -> &Registry {
        self.registry.get_or_init(self.load_registry)
    }

    /// Read and check every input on `jobs` threads (0 = all cores); results sorted by path.
    pub fn check_all(&self, inputs: &[walk::Input], jobs: usize) -> Vec<DocumentResult> {
        let work = || {
            self.warm_up();
            self.prefetch(inputs, &[]);
            check_batch(inputs, &[], &|input, size| self.check_one(input, size))
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .stack_size(WORKER_STACK)
            .build();
        let mut results = match pool {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        };
        results.sort_by(|a, b| a.source.name.cmp(&b.source.name));
        results
    }

    /// Read and check every input like [`Checker::check_all`], pass each result through `then`
    /// on the thread that checked it (render it there, say), and hand what that returns to
    /// `sink` in input order as soon as its batch is done, so memory follows the files in
    /// flight rather than the whole site. The inputs are taken as they come — give them in the
    /// order they are to be reported ([`walk::expand`] gives display-name order, walking
    /// lazily). Stops at the first error `sink` returns.
    pub fn check_each<T: Send, E>(
        &self,
        inputs: impl IntoIterator<Item = walk::Input>,
        jobs: usize,
        then: impl Fn(DocumentResult) -> T + Sync,
        sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        self.each(
            inputs,
            jobs,
            |input, size| then(self.check_one(input, size)),
            sink,
        )
    }

    /// [`Checker::check_each`] for a `then` whose output (a document's rendering, say) depends
    /// only on the result and on what `key` stands for (see [`ResultCache::check_rendered`]):
    /// with a result cache, what `then` makes of a file's result is stored under `key`, and for
    /// an unchanged file a run with the same key hands that on without rebuilding the result.
    pub fn check_each_rendered<T, F, E>(
        &self,
        inputs: impl IntoIterator<Item = walk::Input>,
        jobs: usize,
        key: u64,
        then: impl Fn(DocumentResult) -> Result<T, F> + Sync,
        sink: impl FnMut(Result<T, F>) -> Result<(), E>,
    ) -> Result<(), E>
    where
        T: Serialize + DeserializeOwned + Send,
        F: Send,
    {
        self.each(
            inputs,
            jobs,
            |input, size| self.check_one_rendered(input, size, key, &then),
            sink,
        )
    }

    /// The batching of [`Checker::check_each`], with `check` making what is sunk of an input.
    fn each<T: Send, E>(
        &self,
        inputs: impl IntoIterator<Item = walk::Input>,
        jobs: usize,
        check: impl Fn(&walk::Input, Option<u64>) -> T + Sync,
        mut sink: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        // One pool for every batch: regex caches live per thread, so fresh threads per batch
        // would pile up caches.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .stack_size(WORKER_STACK)
            .build()
            .ok();
        let mut inputs = inputs.into_iter();
        let (mut batch, mut sizes) = next_batch(&mut inputs);
        let mut checked: Vec<T> = Vec::new();
        while !batch.is_empty() {
            // While the pool checks this batch, this thread hands on the previous batch's
            // results and walks to the next batch: output and walking (serial) overlap checking.
            let mut results = Vec::new();
            let mut next = (Vec::new(), Vec::new());
            let mut sunk = Ok(());
            in_place_scope(pool.as_ref(), |scope| {
                let (batch, sizes, results, check) = (&batch, &sizes, &mut results, &check);
                scope.spawn(move |_| {
                    self.warm_up();
                    self.prefetch(batch, sizes);
                    *results = check_batch(batch, sizes, check);
                });
                sunk = checked.drain(..).try_for_each(&mut sink);
                next = next_batch(&mut inputs);
            });
            sunk?;
            checked = results;
            (batch, sizes) = next;
        }
        checked.into_iter().try_for_each(sink)
    }

    /// How many files' checks panicked so far (each is an `internal-error` finding): the
    /// binary exits with code 2 when any did.
    pub fn internal_errors(&self) -> usize {
        self.internal_errors.load(Ordering::Relaxed)
    }

    /// `run`, or when it panics, the `internal-error` result of `input` (nothing of a check
    /// that panicked is cached: the unwinding passes the cache's store).
    fn guarded(&self, input: &walk::Input, run: impl FnOnce() -> DocumentResult) -> DocumentResult {
        check::catch_panic(run).unwrap_or_else(|finding| {
            self.internal_errors.fetch_add(1, Ordering::Relaxed);
            internal_error_result(input, finding)
        })
    }

    /// Read and check one input (of `size` bytes on disk, when known), through the result
    /// cache when it is a file.
    fn check_one(&self, input: &walk::Input, size: Option<u64>) -> DocumentResult {
        let result = self.guarded(input, || self.check_unguarded(input, size));
        self.finish(result)
    }

    /// [`Checker::check_one`] without catching a panic.
    fn check_unguarded(&self, input: &walk::Input, size: Option<u64>) -> DocumentResult {
        match (&self.cache, input) {
            (Some(cache), walk::Input::File(_)) => {
                match walk::read_raw(input, self.max_size, size) {
                    Ok(raw) => cache.check(raw, |source| self.check_source(source)),
                    Err(unreadable) => unreadable_result(unreadable, &self.config),
                }
            }
            _ => match self.read(input, size) {
                Ok(source) => self.check_source(source),
                Err(unreadable) => unreadable_result(unreadable, &self.config),
            },
        }
    }

    /// `then` of the result of one input, through the result cache's renderings when it is a
    /// file.
    fn check_one_rendered<T, F>(
        &self,
        input: &walk::Input,
        size: Option<u64>,
        key: u64,
        then: &impl Fn(DocumentResult) -> Result<T, F>,
    ) -> Result<T, F>
    where
        T: Serialize + DeserializeOwned,
    {
        // A panic in checking or in rendering is the file's internal error, rendered by `then`
        // (nothing of it is cached: the unwinding passes the cache's store).
        let rendered = check::catch_panic(|| match (&self.cache, input) {
            (Some(cache), walk::Input::File(_)) => {
                match walk::read_raw(input, self.max_size, size) {
                    Ok(raw) => cache.check_rendered(
                        raw,
                        key,
                        |source| self.check_source(source),
                        |result| then(self.finish(result)),
                    ),
                    Err(unreadable) => {
                        then(self.finish(unreadable_result(unreadable, &self.config)))
                    }
                }
            }
            _ => then(self.check_one(input, size)),
        });
        rendered.unwrap_or_else(|finding| {
            self.internal_errors.fetch_add(1, Ordering::Relaxed);
            then(self.finish(internal_error_result(input, finding)))
        })
    }

    /// A checked result as handed on: without its text unless that is kept.
    fn finish(&self, mut result: DocumentResult) -> DocumentResult {
        if !self.keep_text {
            result.drop_text();
        }
        result
    }

    /// Read a file (of `size` bytes on disk, when known), stdin, or (when verifying) a URL.
    fn read(&self, input: &walk::Input, size: Option<u64>) -> Result<Source, Unreadable> {
        match (input, &self.verifier) {
            (walk::Input::Url(url), Some(verifier)) => verifier
                .fetcher()
                .fetch_source(url)
                .map_err(|reason| Unreadable {
                    name: url.clone(),
                    format: crate::source::Format::Html,
                    reason,
                }),
            _ => walk::read_raw(input, self.max_size, size).map(walk::Raw::into_source),
        }
    }

    /// Before checking, fetch every original the reposts link, concurrently and once each
    /// (posts are read and detected twice so memory stays bounded by the files in flight).
    /// `sizes` are the inputs' sizes on disk where known, as [`check_batch`] takes them.
    fn prefetch(&self, inputs: &[walk::Input], sizes: &[Option<u64>]) {
        let Some(verifier) = &self.verifier else {
            return;
        };
        let urls: Vec<String> = inputs
            .iter()
            .filter_map(|input| match input {
                walk::Input::Url(url) => Some(url.clone()),
                _ => None,
            })
            .collect();
        verifier.fetcher().prefetch(&urls);
        let sources: Vec<String> = inputs
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, input)| {
                // A post whose reading panics has nothing to fetch; its check reports the panic.
                check::catch_panic(|| self.source_urls(input, sizes.get(i).copied().flatten()))
                    .unwrap_or_default()
            })
            .collect();
        verifier.fetcher().prefetch(&sources);
    }

    /// The originals a post links, when it is a repost whose result is not cached.
    fn source_urls(&self, input: &walk::Input, size: Option<u64>) -> Vec<String> {
        let source = match (&self.cache, input) {
            (Some(cache), walk::Input::File(_)) => {
                match walk::read_raw(input, self.max_size, size) {
                    // A cached result has no fetched originals: nothing to fetch.
                    Ok(raw) if !cache.contains(&raw) => raw.into_source(),
                    _ => return Vec::new(),
                }
            }
            _ => match self.read(input, size) {
                Ok(source) => source,
                Err(_) => return Vec::new(),
            },
        };
        let document = document::extract(&source);
        let facts = self.detector().detect_source(&source.text, &document);
        if !self.is_repost(&source, &facts) {
            return Vec::new();
        }
        verify::source_urls(&facts, base_of(&source))
            .into_iter()
            .map(|(url, _)| url)
            .collect()
    }

    fn is_repost(&self, source: &Source, facts: &Facts) -> bool {
        let settings = self
            .config
            .settings_for(&self.config.relative_path(&source.name));
        settings.is_repost(facts)
    }

    /// Check one post already in memory.
    pub fn check_source(&self, source: Source) -> DocumentResult {
        check::test_hook(&source.name);
        let document = document::extract(&source);
        let mut facts = self.detector().detect_source(&source.text, &document);
        let settings = self
            .config
            .settings_for(&self.config.relative_path(&source.name));
        let reposted = settings.is_repost(&facts);
        let (upstream, skipped) = match &self.verifier {
            Some(verifier) if reposted => {
                verifier.verify(&facts, base_of(&source), self.detector(), self.registry())
            }
            _ => (Vec::new(), 0),
        };
        verify::infer_translation(&mut facts, &document, &upstream);
        crate::governing::resolve_media(&mut facts, self.registry());
        if let Some(verifier) = &self.verifier
            && !self.offline
        {
            verify::verify_media(&mut facts, verifier.fetcher(), &self.registry().media);
        }
        let unverified = if self.offline && reposted {
            verify::source_urls(&facts, base_of(&source)).len()
        } else {
            // Left unverified because the network went away during the run.
            skipped
        };
        let input = Input::new(
            &source,
            &document,
            &facts,
            self.registry(),
            reposted,
            settings.commercial,
            &settings.levels,
        )
        .with_upstream(&upstream);
        let lines = LineIndex::new(&source.text);
        let is_repost = input.repost;
        let (mut diagnostics, suppressed) =
            suppress::apply(&source, &document, &lines, check::run(&input));
        check::configure(&settings.levels, &mut diagnostics);
        let license = input.governing.as_ref().map(|g| g.summary(&facts));
        drop(input);
        DocumentResult {
            source,
            lines,
            facts,
            license,
            is_repost,
            diagnostics,
            suppressed,
            upstream,
            unverified,
            positions: Vec::new(),
        }
    }
}

/// The next inputs to check together, with their sizes on disk where they are files: enough
/// files to keep every thread busy, few enough to bound memory — up to 512 files, but past 16
/// only while their sizes add up to under 2 MiB (results hold their text until rendered when
/// the output shows it, and two batches are in flight, so a full batch of large pages would
/// hold much memory). The sizes go on to the reading, which then needs no second stat.
fn next_batch(
    inputs: &mut impl Iterator<Item = walk::Input>,
) -> (Vec<walk::Input>, Vec<Option<u64>>) {
    const MOST: usize = 512;
    const LEAST: usize = 16;
    const BYTES: u64 = 2 * 1024 * 1024;
    let mut batch = Vec::new();
    let mut sizes = Vec::new();
    let mut bytes = 0;
    while batch.len() < MOST && (batch.len() < LEAST || bytes < BYTES) {
        let Some(input) = inputs.next() else { break };
        let size = match &input {
            // No size for what is not a regular file: reading then asks the open file, and
            // refuses it.
            walk::Input::File(path) => std::fs::metadata(path)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len()),
            _ => None,
        };
        bytes += size.unwrap_or(0);
        batch.push(input);
        sizes.push(size);
    }
    (batch, sizes)
}

/// `check` each of `inputs` (with its size from `sizes`, when known) on the current rayon
/// pool; the outputs in input order.
fn check_batch<T: Send>(
    inputs: &[walk::Input],
    sizes: &[Option<u64>],
    check: &(impl Fn(&walk::Input, Option<u64>) -> T + Sync),
) -> Vec<T> {
    inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| check(input, sizes.get(i).copied().flatten()))
        .collect()
}

/// Run `op` on this thread, with the jobs it spawns on `pool` (or rayon's global pool).
fn in_place_scope<'scope>(
    pool: Option<&rayon::ThreadPool>,
    op: impl FnOnce(&rayon::Scope<'scope>),
) {
    match pool {
        Some(pool) => pool.in_place_scope(op),
        None => rayon::in_place_scope(op),
    }
}

/// The URL a fetched post was read from, to resolve its relative links.
fn base_of(source: &Source) -> Option<&str> {
    let name = source.name.as_str();
    (name.starts_with("http://") || name.starts_with("https://")).then_some(name)
}

/// The result of an input whose check panicked: only its `internal-error` finding.
fn internal_error_result(input: &walk::Input, finding: check::Finding) -> DocumentResult {
    let name = input.display_name();
    let format = match input {
        walk::Input::Stdin(format) => *format,
        _ => Format::from_path(&name).unwrap_or(Format::Html),
    };
    textless_result(
        Source::from_text(name, "", format),
        check::rule(RuleId::InternalError).report(finding),
    )
}

/// The result of an input that could not be read: an `unreadable-input` finding, at the
/// severity the config sets for its path.
fn unreadable_result(unreadable: Unreadable, config: &Config) -> DocumentResult {
    let mut result = textless_result(
        Source::from_text(unreadable.name, "", unreadable.format),
        check::rule(RuleId::UnreadableInput).report(
            check::Finding::absent(format!("cannot read this file: {}", unreadable.reason))
                .help("check the path and permissions, and that it is an HTML or Markdown text file under the size cap"),
        ),
    );
    let settings = config.settings_for(&config.relative_path(&result.source.name));
    check::configure(&settings.levels, &mut result.diagnostics);
    result
}

/// The result of an input that was not checked (no text, no facts): only `finding`.
fn textless_result(source: Source, finding: Diagnostic) -> DocumentResult {
    DocumentResult {
        source,
        lines: LineIndex::new(""),
        facts: Facts::default(),
        license: None,
        is_repost: false,
        suppressed: Vec::new(),
        upstream: Vec::new(),
        unverified: 0,
        positions: Vec::new(),
        diagnostics: vec![finding],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` files of `size` bytes each, as walked inputs.
    fn files(dir: &std::path::Path, n: usize, size: usize) -> Vec<walk::Input> {
        (0..n)
            .map(|i| {
                let path = dir.join(format!("{i}.md"));
                std::fs::write(&path, vec![b'a'; size]).expect("write");
                walk::Input::File(path)
            })
            .collect()
    }

    #[test]
    fn batches_stop_at_512_files_or_past_16_at_2_mib() {
        let dir = tempfile::tempdir().expect("tempdir");
        // Small files: the count bound; each file's size comes with it.
        let mut small = files(dir.path(), 600, 10).into_iter();
        let (batch, sizes) = next_batch(&mut small);
        assert_eq!(batch.len(), 512);
        assert!(sizes.len() == 512 && sizes.iter().all(|&s| s == Some(10)));
        assert_eq!(next_batch(&mut small).0.len(), 88);
        assert!(next_batch(&mut small).0.is_empty());
        // 100 KB files: until their bytes reach 2 MiB (the 21st crosses it).
        let big = dir.path().join("big");
        std::fs::create_dir(&big).expect("mkdir");
        let (batch, _) = next_batch(&mut files(&big, 60, 100 * 1024).into_iter());
        assert_eq!(batch.len(), 21);
        // 1 MB files: 16 at least. A file gone since the walk has no size (read reports it).
        let huge = dir.path().join("huge");
        std::fs::create_dir(&huge).expect("mkdir");
        let mut inputs = files(&huge, 20, 1_000_000);
        inputs.insert(0, walk::Input::File(huge.join("gone.md")));
        let (batch, sizes) = next_batch(&mut inputs.into_iter());
        assert_eq!(
            (batch.len(), sizes[0], sizes[1]),
            (16, None, Some(1_000_000))
        );
    }
}
