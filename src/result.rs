//! What checking one post produced ([`DocumentResult`]): its text, facts, governing license,
//! findings and verified originals, as the pipeline (`checker`) hands them to the outputs and
//! baselines. Every place an output prints is computed when the post is checked: each finding
//! and label carries its [`Place`](crate::source::Place), each evidence span its line and
//! column in [`DocumentResult::evidence_at`], so the text may go once no output quotes it.
//!
//! Only the data and what it answers (places, counts); not for computing a result (that is
//! `checker`) nor for printing one (that is `report`).

use crate::detect::Facts;
use crate::diagnostic::{Diagnostic, Severity};
use crate::governing::LicenseSummary;
use crate::source::{LineIndex, Positions, Source};
use crate::suppress::Suppressed;
use crate::verify::Upstream;

/// Everything known about one checked post.
#[derive(Debug, Clone)]
pub struct DocumentResult {
    /// The post (empty text when it could not be read, or once no output needs it).
    pub source: Source,
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
    /// The originals the post links, as fetched (empty when not verified).
    pub upstream: Vec<Upstream>,
    /// Source links left unverified because the run is offline.
    pub unverified: usize,
    /// The line and column of the start of every evidence span in `facts` and `license`.
    pub evidence_at: Positions,
}

/// The positions of every evidence span of `facts` and `license` an output prints (licenses,
/// other licenses, credits, source links, media with their credits and licenses), in `text` as
/// indexed by `lines`.
pub fn evidence_positions(
    text: &str,
    lines: &LineIndex,
    facts: &Facts,
    license: Option<&LicenseSummary>,
) -> Positions {
    let offsets = facts
        .credits
        .iter()
        .map(|c| c.evidence.span.start)
        .chain(facts.sources.iter().map(|s| s.evidence.span.start))
        .chain(facts.other_licenses.iter().map(|e| e.span.start))
        .chain(facts.media.iter().flat_map(|m| {
            [m.span.start]
                .into_iter()
                .chain(m.credit.iter().map(|c| c.evidence.span.start))
                .chain(m.license.iter().map(|c| c.evidence.span.start))
        }))
        .chain(
            license
                .iter()
                .flat_map(|l| l.evidence.iter().map(|e| e.span.start)),
        );
    lines.positions(text, offsets)
}

impl DocumentResult {
    /// The result of an input that was not checked (no text, no facts): only `finding`.
    pub fn textless(source: Source, finding: Diagnostic) -> DocumentResult {
        DocumentResult {
            source,
            facts: Facts::default(),
            license: None,
            is_repost: false,
            suppressed: Vec::new(),
            upstream: Vec::new(),
            unverified: 0,
            evidence_at: Positions::default(),
            diagnostics: vec![finding],
        }
    }

    /// Drop the post's text (and the facts no output prints: claims, signals, evidence texts
    /// other than the license's) once the outputs that quote it are done: every place is
    /// already computed, and a whole site's results (`ccguard report`) no longer hold every
    /// post's text.
    pub fn drop_text(&mut self) {
        self.source.text = String::new();
        let facts = &mut self.facts;
        facts.licenses = Vec::new();
        facts.restrictions = Vec::new();
        facts.commercial = Vec::new();
        facts.repost_signals = Vec::new();
        facts.title = None;
        facts.adaptation.disclosures = Vec::new();
        facts.adaptation.inferred = Vec::new();
        for credit in &mut facts.credits {
            credit.evidence.text = String::new();
        }
        for source in &mut facts.sources {
            source.evidence.text = String::new();
        }
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
