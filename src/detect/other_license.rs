//! Notices of a license that is not Creative Commons (GNU GPL and FDL, Free Art License, MIT,
//! Apache…) for the post itself. They count as a license notice — a repost under the GFDL does
//! not lack one — but are never reported as the document's CC `license`.
//!
//! Only notices count: a name next to licensing words ("licensed under", "under the terms of",
//! "Permission is granted", "License:") or a `rel="license"` link to a non-CC URL. An article
//! that discusses the GPL does not get a notice from it, nor does a sentence about a part of the
//! post ("Part of this code is … licensed under the GNU GPL").

use std::sync::LazyLock;

use crate::document::{Context, Document};
use crate::rules::cues::Family;

use super::cue;
use super::gated::{Gated, Gates};
use super::license::scope;
use super::text::{block_evidence, is_creative_commons, link_evidence};
use super::{Evidence, EvidenceKind};

static NAME: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(concat!(
        r"GNU\s+(?:Affero\s+|Lesser\s+|Library\s+)?General\s+Public\s+License|GNU\s+Free\s+Documentation\s+License",
        r"|\b(?:A|L)?GPL(?:v?[23](?:\.0)?)?\b|\bGFDL\b|Free\s+Art\s+License|Licence\s+Art\s+Libre",
        r"|\bMIT\s+License|Apache\s+License|\bBSD\s+(?:\d-[Cc]lause\s+)?License|Mozilla\s+Public\s+License|Open\s+Publication\s+License",
    ))
});

/// Licensing wording (cue family `license-notice`), case-insensitive.
static NOTICE_WORDS: LazyLock<Gated> =
    LazyLock::new(|| Gated::new(&format!("(?i){}", cue::alternation(Family::LicenseNotice))));

/// Every non-CC license notice for the post, in source order.
pub fn detect(doc: &Document) -> Vec<Evidence> {
    let scan = super::gate_scan(doc);
    detect_in(doc, scan.part(super::Part::OtherLicense))
}

/// The gate of the notice words, for a [`super::gated::Finder`] over the prose: one pass over
/// the whole post instead of one search per block (most posts have none).
pub(crate) fn gates() -> Vec<String> {
    vec![NOTICE_WORDS.line_gate()]
}

/// [`detect`], given the prose blocks where the notice words' [`gates`] match.
pub(crate) fn detect_in(doc: &Document, gates: Gates) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = gates
        .blocks()
        .map(|(block, _)| block)
        .filter(|b| !matches!(b.context, Context::Blockquote | Context::Heading))
        .filter(|b| NOTICE_WORDS.is_match(&b.text))
        .filter_map(|b| {
            NAME.find_iter(&b.text)
                // "Part of this code is based upon … licensed under … GNU GPL": a part's license.
                .find(|m| !covers_part(&b.text, m.start()))
                .map(|m| block_evidence(b, m.start(), m.end(), EvidenceKind::Text))
        })
        .collect();
    out.extend(
        doc.links
            .iter()
            .filter(|l| {
                l.rel.iter().any(|r| r == "license")
                    && !is_creative_commons(&l.href)
                    && l.context != Context::Code
            })
            .map(link_evidence),
    );
    out.sort_by_key(|e| e.span.start);
    out
}

/// True when the text of a block before `at` opens a sentence about a part of the post (read
/// from a bounded stretch, as license claims are).
fn covers_part(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(scope::NEAR);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    scope::covers_part(text.get(from..at).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn doc_of(text: &str) -> Document {
        Document::one_block(text, 10, Context::Body)
    }

    #[test]
    fn a_notice_names_the_license() {
        let text = "Permission is granted to copy this document under the terms of the GNU Free Documentation License.";
        let found = detect(&doc_of(text));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "GNU Free Documentation License");
        let start = 10 + text.find("GNU").unwrap();
        assert_eq!(
            found[0].span,
            Span::new(start, start + "GNU Free Documentation License".len())
        );
    }

    #[test]
    fn discussing_a_license_is_not_a_notice() {
        assert!(
            detect(&doc_of(
                "The GPL requires that derived works keep the same terms."
            ))
            .is_empty()
        );
    }
}
