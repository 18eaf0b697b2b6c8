//! The pipeline for one post and for many: read → extract → detect → check, per file in
//! parallel, with results sorted by path so output never depends on thread timing.

use rayon::prelude::*;

use crate::check::{self, Diagnostic, Input, Severity};
use crate::config::Config;
use crate::detect::{Detector, Evidence, Facts, Scope};
use crate::document;
use crate::rules::Registry;
use crate::source::{LineIndex, Source, Span};
use crate::suppress::{self, Suppressed};
use crate::walk::{self, Unreadable};

/// What the JSON `license` object says about a post's governing license.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseSummary {
    /// SPDX id or `LicenseRef-…`; `None` when the version is missing or the license unknown.
    pub id: Option<String>,
    /// `CC-BY-NC`, or `CC` for a bare "Creative Commons license".
    pub family: String,
    /// The version when given.
    pub version: Option<String>,
    /// The port (`de`, `igo`…) when given.
    pub jurisdiction: Option<String>,
    /// True when some claim for the text links the license.
    pub linked: bool,
    /// The claims that name this license.
    pub evidence: Vec<Evidence>,
}

/// Everything known about one checked post.
#[derive(Debug, Clone)]
pub struct DocumentResult {
    /// The post (empty text when it could not be read).
    pub source: Source,
    /// Line starts of the text, for rendering.
    pub lines: LineIndex,
    /// What the detectors found (default for unreadable input).
    pub facts: Facts,
    /// The governing license, if any.
    pub license: Option<LicenseSummary>,
    /// True when the post republishes someone else's work (or the config says so).
    pub is_repost: bool,
    /// Findings, sorted by position then rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by comments or a baseline.
    pub suppressed: Vec<Suppressed>,
}

impl DocumentResult {
    /// The 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.source.text, offset)
    }

    /// The number of findings at each severity: (errors, warnings, infos).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s: Severity| self.diagnostics.iter().filter(|d| d.severity == s).count();
        (
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info),
        )
    }
}

/// Checks posts against a registry of license rules, with a config.
#[derive(Debug)]
pub struct Checker {
    registry: Registry,
    detector: Detector,
    config: Config,
    max_size: u64,
}

impl Checker {
    /// A checker over these rules.
    pub fn new(registry: Registry) -> Checker {
        let detector = Detector::new(&registry);
        Checker {
            registry,
            detector,
            config: Config::default(),
            max_size: walk::DEFAULT_MAX_SIZE,
        }
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
    pub fn check_all(&self, inputs: &[walk::Input], jobs: usize) -> Vec<DocumentResult> {
        let work = || -> Vec<DocumentResult> {
            inputs
                .par_iter()
                .map(|input| match walk::read(input, self.max_size) {
                    Ok(source) => self.check_source(source),
                    Err(unreadable) => unreadable_result(unreadable),
                })
                .collect()
        };
        let mut results = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        };
        results.sort_by(|a, b| a.source.name.cmp(&b.source.name));
        results
    }

    /// Check one post already in memory.
    pub fn check_source(&self, source: Source) -> DocumentResult {
        let document = document::extract(&source);
        let facts = self.detector.detect_source(&source.text, &document);
        let settings = self
            .config
            .settings_for(&self.config.relative_path(&source.name));
        let input = Input::new(&source, &document, &facts, &self.registry, &settings);
        let lines = LineIndex::new(&source.text);
        let is_repost = input.is_repost();
        let (diagnostics, suppressed) =
            suppress::apply(&source, &document, &lines, check::run(&input));
        let license = input.governing.as_ref().map(|g| LicenseSummary {
            id: g.id.clone(),
            family: g.family.clone(),
            version: g.claim.version.clone(),
            jurisdiction: g.claim.jurisdiction.clone(),
            linked: facts
                .licenses
                .iter()
                .any(|c| c.linked && matches!(c.scope, Scope::Text | Scope::Site)),
            evidence: facts
                .licenses
                .iter()
                .filter(|c| c.scope == g.claim.scope && c.code == g.claim.code)
                .map(|c| c.evidence.clone())
                .collect(),
        });
        DocumentResult {
            source,
            lines,
            facts,
            license,
            is_repost,
            diagnostics,
            suppressed,
        }
    }
}

fn unreadable_result(unreadable: Unreadable) -> DocumentResult {
    let source = Source::from_text(unreadable.name, "", unreadable.format);
    let lines = LineIndex::new("");
    let rule = check::rule("unreadable-input").map_or(Severity::Error, |r| r.severity);
    DocumentResult {
        source,
        lines,
        facts: Facts::default(),
        license: None,
        is_repost: false,
        suppressed: Vec::new(),
        diagnostics: vec![Diagnostic {
            rule: "unreadable-input",
            severity: rule,
            message: format!("cannot read this file: {}", unreadable.reason),
            span: Span::default(),
            help: Some("check the path and permissions, and that it is an HTML or Markdown text file under the size cap".to_owned()),
            labels: Vec::new(),
        }],
    }
}
