//! The pipeline, one path for every output: read → extract → detect → verify → check →
//! suppress, per file in parallel in batches, each result born with every place an output
//! prints ([`DocumentResult`]); then, on the same thread, what the caller makes of it
//! (baseline, render), handed on in path order to be written. See docs/pipeline.md.
//!
//! Not for rendering (that is `report`) nor for what the rules decide (that is `check`).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::check::{self, Input};
use crate::config::{Config, Settings};
use crate::detect::{Detector, Facts};
use crate::diagnostic::RuleId;
use crate::document::{self, Document};
use crate::result::{self, DocumentResult};
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
    registry: Registry,
    /// Built by the first batch, beside the prose gates ([`Checker::warm_up`]).
    detector: OnceLock<Detector>,
    config: Config,
    max_size: u64,
    verifier: Option<Verifier>,
    offline: bool,
    /// Files whose check panicked (each reported as `internal-error`).
    internal_errors: AtomicUsize,
}

/// A post read, extracted and detected: what verification and the rules take next.
struct Detected {
    source: Source,
    document: Document,
    facts: Facts,
    settings: Settings,
    reposted: bool,
}

impl Checker {
    /// A checker over these rules.
    pub fn new(registry: Registry) -> Checker {
        // Before the prose gates are built, which `warm_up` may do beside the detectors.
        crate::detect::cue::install(&registry.cues);
        Checker {
            registry,
            detector: OnceLock::new(),
            config: Config::default(),
            max_size: walk::DEFAULT_MAX_SIZE,
            verifier: None,
            offline: false,
            internal_errors: AtomicUsize::new(0),
        }
    }

    /// The detectors, built on first use.
    fn detector(&self) -> &Detector {
        self.detector.get_or_init(|| Detector::new(self.registry()))
    }

    /// Build the one-time detection state before the first post: the detectors and the prose
    /// gates side by side. Built lazily, the first post built them one after the other while
    /// the other threads waited on it.
    fn warm_up(&self) {
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

    /// The rules in use.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Read and check every input on `jobs` threads (0 = all cores); results sorted by path.
    /// Every result is held at once: for a whole site, prefer [`Checker::check_each`].
    pub fn check_all(&self, inputs: &[walk::Input], jobs: usize) -> Vec<DocumentResult> {
        let mut results = Vec::with_capacity(inputs.len());
        let collected: Result<(), std::convert::Infallible> = self.check_each(
            inputs.iter().cloned(),
            jobs,
            |result| result,
            |result| {
                results.push(result);
                Ok(())
            },
        );
        let Ok(()) = collected;
        results.sort_by(|a, b| a.source.name.cmp(&b.source.name));
        results
    }

    /// Read and check every input on `jobs` threads (0 = all cores), pass each result through
    /// `then` on the thread that checked it (apply a baseline and render it, say: the post's
    /// text goes with the result once `then` is done), and hand what that returns to `sink`
    /// on this thread in input order as soon as its batch is done, so memory follows the files
    /// in flight rather than the whole site. The inputs are taken as they come — give them in
    /// the order they are to be reported ([`walk::expand`] gives display-name order, walking
    /// lazily). Stops at the first error `sink` returns.
    pub fn check_each<T: Send, E>(
        &self,
        inputs: impl IntoIterator<Item = walk::Input>,
        jobs: usize,
        then: impl Fn(DocumentResult) -> T + Sync,
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
                let (batch, sizes, results, then) = (&batch, &sizes, &mut results, &then);
                scope.spawn(move |_| *results = self.check_batch(batch, sizes, then));
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

    /// Check one batch on the current pool (each input with its size on disk, when known), each
    /// result passed through `then`; outputs in input order. When verifying, every post is
    /// detected first, then the originals all reposts link are fetched together (concurrently,
    /// once each), then each post is verified and checked: each post is read and detected
    /// once.
    fn check_batch<T: Send>(
        &self,
        inputs: &[walk::Input],
        sizes: &[Option<u64>],
        then: &(impl Fn(DocumentResult) -> T + Sync),
    ) -> Vec<T> {
        self.warm_up();
        let size = |i: usize| sizes.get(i).copied().flatten();
        let Some(verifier) = &self.verifier else {
            return inputs
                .par_iter()
                .enumerate()
                .map(|(i, input)| {
                    self.then_guarded(input, then, || match self.detect_input(input, size(i)) {
                        Ok(detected) => self.verify_and_check(detected, self.verifier.as_ref()),
                        Err(result) => *result,
                    })
                })
                .collect();
        };
        let urls: Vec<String> = inputs
            .iter()
            .filter_map(|input| match input {
                walk::Input::Url(url) => Some(url.clone()),
                _ => None,
            })
            .collect();
        verifier.fetcher().prefetch(&urls);
        let detected: Vec<Result<Detected, Box<DocumentResult>>> = inputs
            .par_iter()
            .enumerate()
            .map(|(i, input)| {
                check::catch_panic(|| self.detect_input(input, size(i)))
                    .unwrap_or_else(|finding| Err(Box::new(self.internal_error(input, finding))))
            })
            .collect();
        let sources: Vec<String> = detected
            .iter()
            .filter_map(|d| d.as_ref().ok())
            .filter(|d| d.reposted)
            .flat_map(|d| verify::source_urls(&d.facts, base_of(&d.source)))
            .map(|(url, _)| url)
            .collect();
        verifier.fetcher().prefetch(&sources);
        detected
            .into_par_iter()
            .zip(inputs.par_iter())
            .map(|(detected, input)| {
                self.then_guarded(input, then, || match detected {
                    Ok(detected) => self.verify_and_check(detected, self.verifier.as_ref()),
                    Err(result) => *result,
                })
            })
            .collect()
    }

    /// `then` of what `run` checks of `input`; when either panics, `then` of the input's
    /// `internal-error` result instead.
    fn then_guarded<T>(
        &self,
        input: &walk::Input,
        then: impl Fn(DocumentResult) -> T,
        run: impl FnOnce() -> DocumentResult,
    ) -> T {
        check::catch_panic(|| then(run()))
            .unwrap_or_else(|finding| then(self.internal_error(input, finding)))
    }

    /// The result of `input` whose check panicked with `finding`, counted.
    fn internal_error(&self, input: &walk::Input, finding: check::Finding) -> DocumentResult {
        self.internal_errors.fetch_add(1, Ordering::Relaxed);
        internal_error_result(input, finding)
    }

    /// Read an input (of `size` bytes on disk, when known) and detect its facts; the result of
    /// an input that cannot be read is its `unreadable-input` finding.
    fn detect_input(
        &self,
        input: &walk::Input,
        size: Option<u64>,
    ) -> Result<Detected, Box<DocumentResult>> {
        match self.read(input, size) {
            Ok(source) => Ok(self.detect(source)),
            Err(unreadable) => Err(Box::new(unreadable_result(unreadable, &self.config))),
        }
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

    /// The result of a post in memory (an editor's text) over the size cap: its
    /// `unreadable-input` finding, as a file over the cap gets; `None` within the cap.
    pub fn over_size_cap(&self, name: &str, format: Format, len: usize) -> Option<DocumentResult> {
        let (name, reason) = (name.to_owned(), walk::too_large(self.max_size));
        let unreadable = Unreadable {
            name,
            format,
            reason,
        };
        (len as u64 > self.max_size).then(|| unreadable_result(unreadable, &self.config))
    }

    /// Check one post already in memory.
    pub fn check_source(&self, source: Source) -> DocumentResult {
        self.check_source_with(source, self.verifier.as_ref())
    }

    /// [`Checker::check_source`], verifying the post's originals with `verifier` instead of the
    /// checker's own: a long-lived process (`serve`) gives each check a fresh fetcher, since a
    /// fetcher remembers every page and a lost network for its whole life.
    pub fn check_source_with(&self, source: Source, verifier: Option<&Verifier>) -> DocumentResult {
        self.verify_and_check(self.detect(source), verifier)
    }

    /// Extract and detect: what a post says, and whether the config counts it as a repost.
    fn detect(&self, source: Source) -> Detected {
        check::test_hook(&source.name);
        let document = document::extract(&source);
        let facts = self.detector().detect_source(&source.text, &document);
        let settings = self
            .config
            .settings_for(&self.config.relative_path(&source.name));
        let reposted = settings.is_repost(&facts);
        Detected {
            source,
            document,
            facts,
            settings,
            reposted,
        }
    }

    /// Verify a repost against its originals (prefetched), run the rules and the post's
    /// suppression comments, and compute every place the outputs print.
    fn verify_and_check(&self, detected: Detected, verifier: Option<&Verifier>) -> DocumentResult {
        let Detected {
            source,
            document,
            mut facts,
            settings,
            reposted,
        } = detected;
        let (upstream, skipped) = match verifier {
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
            suppress::apply(&source, &document, &lines, check::run(&input, &lines));
        check::configure(&settings.levels, &mut diagnostics);
        let license = input.governing.as_ref().map(|g| g.summary(&facts));
        drop(input);
        let evidence_at =
            result::evidence_positions(&source.text, &lines, &facts, license.as_ref());
        DocumentResult {
            source,
            facts,
            license,
            is_repost,
            diagnostics,
            suppressed,
            upstream,
            unverified,
            evidence_at,
        }
    }
}

/// The next inputs to check together, with their sizes on disk where they are files: enough
/// files to keep every thread busy, few enough to bound memory — up to 512 files, but past 16
/// only while their sizes add up to under 2 MiB (when verifying, a batch's posts are held
/// parsed until the originals they link are fetched, and two batches are in flight, so a full
/// batch of large pages would hold much memory). The sizes go on to the reading, which then needs no second stat.
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
    DocumentResult::textless(
        Source::from_text(name, "", format),
        check::rule(RuleId::InternalError).report_textless(finding),
    )
}

/// The result of an input that could not be read: an `unreadable-input` finding, at the
/// severity the config sets for its path.
fn unreadable_result(unreadable: Unreadable, config: &Config) -> DocumentResult {
    let mut result = DocumentResult::textless(
        Source::from_text(unreadable.name, "", unreadable.format),
        check::rule(RuleId::UnreadableInput).report_textless(
            check::Finding::absent(format!("cannot read this file: {}", unreadable.reason))
                .help("check the path and permissions, and that it is an HTML or Markdown text file under the size cap"),
        ),
    );
    let settings = config.settings_for(&config.relative_path(&result.source.name));
    check::configure(&settings.levels, &mut result.diagnostics);
    result
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
