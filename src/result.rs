//! What checking one post produced ([`DocumentResult`]): its text, facts, governing license,
//! findings and verified originals, as the pipeline (`checker`) hands them to the renderers,
//! the result cache and baselines.
//!
//! Only the data and what it answers (positions, counts); not for computing a result (that is
//! `checker`) nor for printing one (that is `report`).

use crate::detect::Facts;
use crate::diagnostic::{Diagnostic, Severity};
use crate::governing::LicenseSummary;
use crate::source::{LineIndex, Source};
use crate::suppress::Suppressed;
use crate::verify::Upstream;

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
    /// The originals the post links, as fetched (empty when not verified).
    pub upstream: Vec<Upstream>,
    /// Source links left unverified because the run is offline.
    pub unverified: usize,
    /// Line and column of each offset the JSON, GitHub and JUnit renderers ask for, kept by
    /// [`DocumentResult::drop_text`] so the text itself can go; empty while the text is kept.
    pub positions: Vec<(usize, (usize, usize))>,
}

impl DocumentResult {
    /// The 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        if !self.positions.is_empty() {
            let at = self.positions.partition_point(|(o, _)| *o < offset);
            if let Some((o, position)) = self.positions.get(at)
                && *o == offset
            {
                return *position;
            }
        }
        self.lines.line_col(&self.source.text, offset)
    }

    /// Free the text (and line index) once checked, keeping the line and column of every
    /// evidence and finding span the JSON, GitHub and JUnit renderers print, and drop the facts
    /// they do not print (claims, signals, evidence texts other than the license's): their
    /// output is unchanged, and a whole site's results no longer hold every post's text. Not
    /// for the human and SARIF renderers or baselines, which read the text and facts.
    pub fn drop_text(&mut self) {
        let facts = &self.facts;
        let mut offsets: Vec<usize> = facts
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
                self.license
                    .iter()
                    .flat_map(|l| l.evidence.iter().map(|e| e.span.start)),
            )
            .chain(
                self.diagnostics
                    .iter()
                    .chain(self.suppressed.iter().map(|s| &s.diagnostic))
                    .flat_map(|d| [d.span.start, d.span.end]),
            )
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        self.positions = offsets
            .into_iter()
            .map(|o| (o, self.lines.line_col(&self.source.text, o)))
            .collect();
        self.source.text = String::new();
        self.lines = LineIndex::new("");
        // Facts those renderers never print: kept, they would make memory grow with the site.
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
