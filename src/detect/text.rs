//! What several detectors share, each item with two or more users: which blocks are prose, the
//! words before a place and whether they talk about images, [`Evidence`] from a block's text or
//! a link, char boundaries, and the host and path of a URL.
//!
//! Not a detector itself, and not a place for a helper with one user: that lives beside its
//! user (language guesses in `adaptation/language.rs`, case-folded literals in `commercial.rs`,
//! the block index of links in `source_link.rs`).

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Context, Document, Link};

use super::{Evidence, EvidenceKind};

/// Blocks a reader sees as prose: everything except code and front matter.
pub fn prose_blocks(doc: &Document) -> impl Iterator<Item = &Block> {
    doc.blocks
        .iter()
        .filter(|b| !matches!(b.context, Context::Code | Context::FrontMatter))
}

/// How far back from a match, in bytes, [`sentence_before`] reads: words about images sit near
/// the notice they qualify, and a bounded look keeps a post of one endless sentence with
/// thousands of notices linear to check.
const NEAR: usize = 1024;

/// The part of the sentence before byte `at` (from the last `.`, `。` or line break), at most
/// [`NEAR`] bytes of it.
pub fn sentence_before(text: &str, at: usize) -> &str {
    let head = text.get(..at).unwrap_or_default();
    let from = (at.saturating_sub(NEAR)..at)
        .find(|&i| head.is_char_boundary(i))
        .unwrap_or(at);
    let head = head.get(from..).unwrap_or_default();
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '.' | '。' | '\n'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &head[start..]
}

/// True when the words talk about images ("All images are reproduced with the permission…",
/// "These photos may not be reproduced"): a notice there covers the images, not the text.
pub fn mentions_images(words: &str) -> bool {
    static IMAGES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:images?|photos?|photographs?|illustrations?|figures?|pictures?)\b|third[-\s]party|图片|照片|画像|\bBilder?\b|\bFotos?\b")
            .expect("valid regex")
    });
    IMAGES.is_match(words)
}

/// Evidence for the byte range `start..end` of a block's text.
pub fn block_evidence(block: &Block, start: usize, end: usize, kind: EvidenceKind) -> Evidence {
    Evidence {
        kind,
        span: block.source_span(start, end),
        text: block.text.get(start..end).unwrap_or_default().to_owned(),
    }
}

/// Evidence for a whole link.
pub fn link_evidence(link: &Link) -> Evidence {
    Evidence {
        kind: EvidenceKind::Link,
        span: link.span,
        text: link.href.clone(),
    }
}

/// The largest char boundary `<= i` in `s`.
pub fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The lowercased host of an absolute http(s) URL (without `www.` and port), else `None`.
pub fn host(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .or_else(|| lower.strip_prefix("//"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && host.contains('.')).then(|| host.to_owned())
}

/// The path segments of an absolute URL (empty segments dropped).
pub fn path_segments(url: &str) -> Vec<&str> {
    let Some(after_scheme) = url.split_once("//").map(|(_, r)| r) else {
        return Vec::new();
    };
    let Some((_, path)) = after_scheme.split_once('/') else {
        return Vec::new();
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// True for a URL on creativecommons.org (a license, never a source).
pub fn is_creative_commons(url: &str) -> bool {
    host(url).is_some_and(|h| h == "creativecommons.org" || h.ends_with(".creativecommons.org"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_segments() {
        assert_eq!(
            host("https://www.Example.org:8080/a/b?x").as_deref(),
            Some("example.org")
        );
        assert_eq!(host("/relative/path"), None);
        assert_eq!(
            path_segments("http://a.org/es/how-to-x/?q=1"),
            vec!["es", "how-to-x"]
        );
        assert!(path_segments("http://a.org").is_empty());
        assert!(is_creative_commons(
            "https://creativecommons.org/licenses/by/4.0/"
        ));
    }
}
