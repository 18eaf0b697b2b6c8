//! The span invariant shared by the proptest (`tests/spans.rs`) and the fuzz targets (`fuzz/`):
//! every span the extractors, detectors and checks produce lies inside the input text, is not
//! reversed, and starts and ends on char boundaries.

use ccguard::detect::{Evidence, Facts};
use ccguard::document::Document;
use ccguard::result::DocumentResult;
use ccguard::source::Span;

/// Every span that breaks the invariant, described (empty when all hold).
pub fn document_violations(text: &str, doc: &Document) -> Vec<String> {
    let mut bad = Vec::new();
    let check = |bad: &mut Vec<String>, what: &str, span: Span| {
        if let Some(problem) = span_problem(text, span) {
            bad.push(format!("{what} {span:?}: {problem}"));
        }
    };
    for block in &doc.blocks {
        check(&mut bad, "block", block.span);
        for piece in &block.pieces {
            check(
                &mut bad,
                "piece source",
                Span::new(piece.source_start, piece.source_start + piece.source_len),
            );
            if piece.text_start + piece.text_len > block.text.len()
                || !block.text.is_char_boundary(piece.text_start)
                || !block
                    .text
                    .is_char_boundary(piece.text_start + piece.text_len)
            {
                bad.push(format!("piece text {piece:?} outside block text"));
            }
        }
    }
    for link in &doc.links {
        check(&mut bad, "link", link.span);
    }
    for image in &doc.images {
        check(&mut bad, "image", image.span);
    }
    for meta in &doc.meta {
        check(&mut bad, "meta", meta.span);
    }
    for note in &doc.notes {
        check(&mut bad, "note", note.span);
    }
    bad
}

/// Every fact or finding span that breaks the invariant.
pub fn result_violations(result: &DocumentResult) -> Vec<String> {
    let text = result.source.text.as_str();
    let mut bad: Vec<String> = facts_evidence(&result.facts)
        .filter_map(|e| span_problem(text, e.span).map(|p| format!("evidence {e:?}: {p}")))
        .collect();
    for d in &result.diagnostics {
        if let Some(p) = span_problem(text, d.span) {
            bad.push(format!("finding {} {:?}: {p}", d.rule, d.span));
        }
        for label in &d.labels {
            if let Some(p) = span_problem(text, label.span) {
                bad.push(format!("label of {} {:?}: {p}", d.rule, label.span));
            }
        }
    }
    bad
}

fn facts_evidence(facts: &Facts) -> impl Iterator<Item = &Evidence> {
    facts
        .licenses
        .iter()
        .map(|l| &l.evidence)
        .chain(facts.credits.iter().map(|c| &c.evidence))
        .chain(facts.sources.iter().map(|s| &s.evidence))
        .chain(&facts.adaptation.disclosures)
        .chain(&facts.adaptation.inferred)
        .chain(&facts.restrictions)
        .chain(&facts.commercial)
        .chain(&facts.repost_signals)
        .chain(&facts.permission)
        .chain(&facts.title)
}

/// Why `span` is not a valid range of `text`, if it is not.
pub fn span_problem(text: &str, span: Span) -> Option<&'static str> {
    if span.start > span.end {
        Some("reversed")
    } else if span.end > text.len() {
        Some("past the end")
    } else if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        Some("not on a char boundary")
    } else {
        None
    }
}
