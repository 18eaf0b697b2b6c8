//! Restrictive notices that conflict with a CC license: "All rights reserved", "no reproduction
//! without permission" and their translations.
//!
//! Read everywhere a reader sees text (body and site chrome alike), except code and quoted
//! license texts: a blockquote that reads like a license ("Permission is hereby granted", a
//! `<year>`/`<年份>` placeholder) and any block with a copyright template placeholder.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Context, Document};
use crate::rules::cues::Family;

use super::Evidence;
use super::EvidenceKind;
use super::cue;
use super::gated::{Gated, Gates};
use super::text::{block_evidence, mentions_images, sentence_before};

/// The notices of every language (cue family `restriction`), case-insensitive.
static RESTRICTION: LazyLock<Gated> =
    LazyLock::new(|| Gated::new(&format!("(?i){}", cue::alternation(Family::Restriction))));

/// Text that marks a quoted license or a copyright template rather than a notice.
static QUOTED_LICENSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)permission\s+is\s+hereby\s+granted|the\s+software\s+is\s+provided|<\s*(?:year|年份|copyright holders?|版权人)\s*>|\[\s*(?:year|yyyy|fullname)\s*\]")
        .expect("valid regex")
});

/// Every restrictive notice covering the text, in source order.
pub fn detect(doc: &Document) -> Vec<Evidence> {
    let scan = super::gate_scan(doc);
    detect_in(scan.part(super::Part::Restriction))
}

/// The gate of the notice pattern, for a [`super::gated::Finder`] over the prose.
pub(crate) fn gates() -> Vec<String> {
    vec![RESTRICTION.line_gate()]
}

/// [`detect`], given the prose blocks where the notice's [`gates`] match: one pass over the
/// whole prose finds these few blocks (a search per block paid its setup in every block).
pub(crate) fn detect_in(gates: Gates) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (block, _) in gates.blocks() {
        let notices: Vec<Evidence> = RESTRICTION
            .find_iter(&block.text)
            .filter(|m| {
                !is_compound(&block.text, m.end())
                    && !mentions_images(sentence_before(&block.text, m.start()))
            })
            .map(|m| block_evidence(block, m.start(), m.end(), EvidenceKind::Text))
            .collect();
        // Asked only of the rare block with a notice: the test reads the whole block.
        if !notices.is_empty() && !is_quoted_license(block) {
            out.extend(notices);
        }
    }
    out
}

/// `版权所有` inside `版权所有权` / `版权所有者` / `版权所有人` (copyright ownership, owner) is
/// a word about copyright, not a notice.
fn is_compound(text: &str, end: usize) -> bool {
    let next = text.get(end..).and_then(|rest| rest.chars().next());
    text.get(..end).is_some_and(|head| head.ends_with("所有"))
        && matches!(next, Some('权' | '者' | '人' | '權'))
}

/// A license text quoted in the post (MIT, a "版权 (c) <年份>" template): not a notice for it.
fn is_quoted_license(block: &Block) -> bool {
    if !QUOTED_LICENSE.is_match(&block.text) {
        return false;
    }
    block.context == Context::Blockquote || block.text.contains('<') || block.text.contains('[')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn doc_of(text: &str, context: Context) -> Document {
        Document::one_block(text, 5, context)
    }

    fn found(text: &str, context: Context) -> Vec<String> {
        detect(&doc_of(text, context))
            .into_iter()
            .map(|e| {
                assert_eq!(
                    e.span,
                    Span::new(
                        5 + text.find(&e.text).unwrap(),
                        5 + text.find(&e.text).unwrap() + e.text.len()
                    )
                );
                e.text
            })
            .collect()
    }

    #[test]
    fn notices_in_many_languages() {
        assert_eq!(
            found(
                "Copyright ©2021 Raw Hex Ltd. All Rights Reserved.",
                Context::Body
            ),
            ["All Rights Reserved"]
        );
        assert_eq!(
            found("© 2019 Citylab. Tous droits réservés", Context::Chrome),
            ["Tous droits réservés"]
        );
        assert_eq!(
            found("版权所有，禁止转载", Context::Chrome),
            ["版权所有", "禁止转载"]
        );
        assert_eq!(
            found("转载须经版权人书面授权并注明来源", Context::Chrome),
            ["转载须经版权人书面授权"]
        );
        assert_eq!(
            found(
                "No reproduction or republication without written permission.",
                Context::Chrome
            ),
            ["No reproduction or republication without written permission"]
        );
    }

    #[test]
    fn code_and_quoted_licenses_are_skipped() {
        assert!(found("All rights reserved", Context::Code).is_empty());
        assert!(
            found(
                "版权 (c) <年份> <版权人>. All rights reserved.",
                Context::Blockquote
            )
            .is_empty()
        );
        assert_eq!(
            found("We reserve all rights to nothing.", Context::Body),
            Vec::<String>::new()
        );
    }
}
