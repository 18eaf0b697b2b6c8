//! Shared helpers for the prose detectors: which blocks to read, how a regex match inside a
//! block becomes [`Evidence`] with a source span, URL hosts, and language guesses.
//!
//! Not a detector itself; license detection has its own matcher and does not use this.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Context, Document, Link};
use crate::source::Span;

use super::gated::Gated;
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

/// Every match of `re` in the prose blocks, as text evidence.
pub fn find_in_prose(doc: &Document, re: &Gated) -> Vec<Evidence> {
    prose_blocks(doc)
        .flat_map(|block| {
            re.find_iter(&block.text)
                .map(move |m| block_evidence(block, m.start(), m.end(), EvidenceKind::Text))
        })
        .collect()
}

/// Evidence for a raw-source match (markup the extractor does not keep).
pub fn raw_evidence(text: &str, start: usize, end: usize, kind: EvidenceKind) -> Evidence {
    Evidence {
        kind,
        span: Span::new(start, end),
        text: text.get(start..end).unwrap_or_default().to_owned(),
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

/// The block that holds `span` (a link), if any: the shortest block overlapping it. Overlap,
/// not containment, because a block's span ends with its last text while a link at its end
/// reaches on to `</a>` or `](url)`. The reference for [`BlockIndex::containing`].
#[cfg(test)]
pub fn block_containing(doc: &Document, span: Span) -> Option<&Block> {
    doc.blocks
        .iter()
        .filter(|b| b.span.start < span.end.max(span.start + 1) && span.start < b.span.end)
        .min_by_key(|b| b.span.len())
}

/// [`block_containing`] and [`text_offset`] for many links of one document: blocks sorted by
/// start with a running maximum of their ends, so each lookup visits only the blocks that can
/// overlap instead of every block (200k links in one page stay linear). Same answers as the
/// plain functions.
pub struct BlockIndex<'d> {
    doc: &'d Document,
    /// Block indices sorted by (start, index).
    order: Vec<usize>,
    /// `max_end[k]`: the largest end among `order[..=k]`.
    max_end: Vec<usize>,
    /// Per block: its pieces' source ranges are disjoint and increasing (binary search is exact).
    sorted_pieces: Vec<bool>,
}

impl<'d> BlockIndex<'d> {
    /// Index `doc`'s blocks.
    pub fn new(doc: &'d Document) -> BlockIndex<'d> {
        let mut order: Vec<usize> = (0..doc.blocks.len()).collect();
        order.sort_by_key(|&i| (doc.blocks[i].span.start, i));
        let mut max_end = Vec::with_capacity(order.len());
        let mut running = 0;
        for &i in &order {
            running = running.max(doc.blocks[i].span.end);
            max_end.push(running);
        }
        let sorted_pieces = doc
            .blocks
            .iter()
            .map(|b| {
                b.pieces
                    .windows(2)
                    .all(|w| w[0].source_start + w[0].source_len.max(1) <= w[1].source_start)
            })
            .collect();
        BlockIndex {
            doc,
            order,
            max_end,
            sorted_pieces,
        }
    }

    /// The index and block that [`block_containing`] returns for `span`.
    pub fn containing(&self, span: Span) -> Option<(usize, &'d Block)> {
        let blocks = &self.doc.blocks;
        let end = span.end.max(span.start + 1);
        let upto = self.order.partition_point(|&i| blocks[i].span.start < end);
        let mut best: Option<(usize, usize)> = None;
        for k in (0..upto).rev() {
            if self.max_end[k] <= span.start {
                break;
            }
            let i = self.order[k];
            let b = &blocks[i];
            if span.start < b.span.end && best.is_none_or(|best| (b.span.len(), i) < best) {
                best = Some((b.span.len(), i));
            }
        }
        best.map(|(_, i)| (i, &blocks[i]))
    }

    /// [`text_offset`] for the block at `index`.
    pub fn text_offset(&self, index: usize, pos: usize) -> Option<usize> {
        let block = self.doc.blocks.get(index)?;
        if !self.sorted_pieces.get(index).copied().unwrap_or(false) {
            return text_offset(block, pos);
        }
        let pieces = &block.pieces;
        let at = pieces.partition_point(|p| p.source_start + p.source_len.max(1) <= pos);
        if let Some(p) = pieces.get(at)
            && pos >= p.source_start
        {
            return Some(if p.text_len == p.source_len {
                p.text_start + (pos - p.source_start)
            } else {
                p.text_start
            });
        }
        let after = pieces.partition_point(|p| p.source_start < pos);
        pieces.get(after).map(|p| p.text_start)
    }
}

/// The offset in `block.text` that corresponds to source offset `pos` (the start of the piece
/// holding it), or `None` when `pos` lies outside the block's pieces (e.g. inside markup).
pub fn text_offset(block: &Block, pos: usize) -> Option<usize> {
    block
        .pieces
        .iter()
        .find(|p| pos >= p.source_start && pos < p.source_start + p.source_len.max(1))
        .map(|p| {
            if p.text_len == p.source_len {
                p.text_start + (pos - p.source_start)
            } else {
                p.text_start
            }
        })
        .or_else(|| {
            // Markup (`<a href=…>`, `[`) has no piece: take the first text after it.
            block
                .pieces
                .iter()
                .find(|p| p.source_start >= pos)
                .map(|p| p.text_start)
        })
}

/// The largest char boundary `<= i` in `s`.
pub fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// True when `c` matches the ASCII character `lit` in a case-insensitive (`(?i)`) regex: its
/// ASCII case variants, and for `s` and `k` also `ſ` (U+017F) and the Kelvin sign (U+212A),
/// the only other characters that simple case folding maps onto an ASCII letter.
pub fn folds_to(c: char, lit: char) -> bool {
    c.eq_ignore_ascii_case(&lit)
        || matches!(
            (lit.to_ascii_lowercase(), c),
            ('s', '\u{17F}') | ('k', '\u{212A}')
        )
}

/// True when `text` starts with a run that the ASCII literal `lit` matches in a
/// case-insensitive regex (see [`folds_to`]).
pub fn starts_with_folded(text: &str, lit: &str) -> bool {
    let mut chars = text.chars();
    lit.chars()
        .all(|l| chars.next().is_some_and(|c| folds_to(c, l)))
}

/// True when `text` ends with a run that the ASCII literal `lit` matches in a case-insensitive
/// regex (see [`folds_to`]).
pub fn ends_with_folded(text: &str, lit: &str) -> bool {
    let mut chars = text.chars().rev();
    lit.chars()
        .rev()
        .all(|l| chars.next().is_some_and(|c| folds_to(c, l)))
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

/// True for an absolute http(s) URL.
pub fn is_http_url(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    (v.starts_with("http://") || v.starts_with("https://")) && host(&v).is_some()
}

/// True for a URL on creativecommons.org (a license, never a source).
pub fn is_creative_commons(url: &str) -> bool {
    host(url).is_some_and(|h| h == "creativecommons.org" || h.ends_with(".creativecommons.org"))
}

/// ISO 639-1 code of a declared language tag (`zh-CN` → `zh`, `pt_BR` → `pt`).
pub fn normalize_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic())).then_some(primary)
}

/// whatlang's guess (ISO 639-1) for `text` when it is reliable, else `None`.
pub fn guess_lang(text: &str) -> Option<String> {
    let info = whatlang::detect(text)?;
    if !info.is_reliable() {
        return None;
    }
    iso639_1(info.lang()).map(str::to_owned)
}

fn iso639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang;
    Some(match lang {
        Lang::Eng => "en",
        Lang::Spa => "es",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Cmn => "zh",
        Lang::Rus => "ru",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Tur => "tr",
        Lang::Ukr => "uk",
        Lang::Ara => "ar",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Fin => "fi",
        Lang::Ces => "cs",
        Lang::Vie => "vi",
        Lang::Ind => "id",
        Lang::Heb => "he",
        Lang::Ell => "el",
        Lang::Hun => "hu",
        Lang::Ron => "ro",
        Lang::Cat => "ca",
        Lang::Pes => "fa",
        Lang::Hin => "hi",
        Lang::Tha => "th",
        _ => return None,
    })
}

/// Function words by language, for texts too short for whatlang (URL slugs, link texts).
/// Words shared by several of these languages count for each; a tie decides nothing.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "how", "to", "the", "and", "of", "with", "your", "what", "why", "are", "for", "does",
            "can", "you", "my", "we", "it", "this", "that", "from", "when", "which", "who",
            "should", "about", "into", "its", "our", "be", "is", "in", "on", "a", "an", "do",
            "they", "all", "those", "these", "their", "there", "has", "have", "was", "were", "not",
            "but", "more", "than", "will", "would", "could", "after", "before", "over", "just",
            "really", "need", "get", "make", "new", "us", "where", "why",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "que", "del", "por", "para", "con", "una", "su", "sus", "y",
            "como", "es", "en", "un",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "des", "du", "une", "pour", "avec", "est", "et", "sur", "dans",
            "qui", "au", "aux", "un", "en",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "mit", "für", "fur", "ein", "eine", "ist", "den", "dem",
            "von", "zu", "wie", "auf", "im",
        ],
    ),
    (
        "pt",
        &[
            "os", "da", "das", "dos", "uma", "com", "nao", "não", "para", "como", "e", "em", "um",
            "do", "no", "na",
        ],
    ),
    (
        "it",
        &[
            "il", "gli", "della", "per", "che", "una", "di", "con", "del", "nel", "e", "un", "la",
        ],
    ),
];

/// Whether a text is plainly English prose: at least 100 words, letters at least 90% ASCII and
/// at least 19% of the words English function words that other Latin-script languages do not
/// use: English prose in our corpora stays well above that share, and texts whatlang puts in
/// another language (or cannot place) well below it. Decides most English posts far more
/// cheaply than whatlang.
pub fn plainly_english(text: &str) -> bool {
    let (mut words, mut function, mut ascii, mut leads) = (0usize, 0usize, 0usize, 0usize);
    // One pass over the bytes: a word is a run of ASCII letters, packed lowercase into `key`
    // (its last eight letters; a word of up to five letters, the longest listed, is its key,
    // and a longer one has six or more non-zero bytes, so never equals a listed key). The
    // space after the text ends its last word.
    let mut key = 0u64;
    for b in text.bytes().chain([b' ']) {
        if b.is_ascii_alphabetic() {
            ascii += 1;
            key = (key << 8) | u64::from(b.to_ascii_lowercase());
        } else {
            leads += usize::from(b >= 0xC0);
            if key != 0 {
                words += 1;
                function += usize::from(is_function_key(key));
                key = 0;
            }
        }
    }
    if words < 100 || function * 100 < words * 19 {
        return false;
    }
    // Letters at least 90% ASCII: `ascii >= 9 * other`. Each non-ASCII letter starts with a
    // lead byte (0xC0 and up), so when the lead bytes alone fit, decoding is not needed.
    if ascii >= 9 * leads {
        return true;
    }
    let other = text
        .chars()
        .filter(|c| !c.is_ascii() && c.is_alphabetic())
        .count();
    ascii >= 9 * other
}

/// The English function words [`plainly_english`] counts (lowercase, at most five letters).
const ENGLISH_FUNCTION_WORDS: [&[u8]; 48] = [
    b"the", b"and", b"of", b"to", b"is", b"that", b"for", b"with", b"was", b"this", b"are",
    b"have", b"from", b"they", b"which", b"be", b"by", b"not", b"but", b"it", b"at", b"or", b"his",
    b"her", b"their", b"has", b"had", b"were", b"been", b"would", b"will", b"you", b"we", b"he",
    b"she", b"what", b"there", b"can", b"about", b"more", b"than", b"when", b"who", b"its", b"our",
    b"these", b"those", b"an",
];

/// A word's bytes packed big-endian into a `u64`, as [`plainly_english`] packs a word.
fn pack(word: &[u8]) -> u64 {
    word.iter().fold(0, |key, &b| (key << 8) | u64::from(b))
}

/// [`ENGLISH_FUNCTION_WORDS`] packed, sorted for a binary search.
static FUNCTION_KEYS: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut keys: Vec<u64> = ENGLISH_FUNCTION_WORDS.iter().map(|w| pack(w)).collect();
    keys.sort_unstable();
    keys
});

/// Whether a packed word is one of [`ENGLISH_FUNCTION_WORDS`].
fn is_function_key(key: u64) -> bool {
    FUNCTION_KEYS.binary_search(&key).is_ok()
}

/// The language whose function words occur most in a short text (hyphens and underscores
/// separate words), when one language leads.
pub fn function_word_language(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let mut scores = [0usize; FUNCTION_WORDS.len()];
    for word in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= LONGEST_FUNCTION_WORD)
    {
        for (score, (_, list)) in scores.iter_mut().zip(FUNCTION_WORDS) {
            *score += usize::from(list.contains(&word));
        }
    }
    let (best, lang) = scores
        .iter()
        .zip(FUNCTION_WORDS)
        .max_by_key(|(score, _)| **score)
        .map(|(score, (lang, _))| (*score, *lang))?;
    let ties = scores.iter().filter(|&&score| score == best).count();
    (best > 0 && ties == 1).then_some(lang)
}

/// The length in bytes of the longest word in [`FUNCTION_WORDS`]: a longer word is none of
/// them.
const LONGEST_FUNCTION_WORD: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    /// `folds_to` accepts exactly the characters a case-insensitive regex of one ASCII
    /// character matches, over every `char`.
    #[test]
    fn folds_to_is_the_regex_case_folding() {
        let lits: Vec<char> = ('a'..='z').chain("AZ.-='\"/_ 0".chars()).collect();
        let any = Regex::new(r#"(?i)^[a-z.\-='"/_ 0]$"#).unwrap();
        let mut folded = Vec::new();
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let text = c.to_string();
            if !any.is_match(&text) {
                assert!(lits.iter().all(|&l| !folds_to(c, l)), "{c:?}");
                continue;
            }
            for &l in &lits {
                let one = Regex::new(&format!("(?i)^{}$", regex::escape(&l.to_string()))).unwrap();
                assert_eq!(folds_to(c, l), one.is_match(&text), "{c:?} {l:?}");
            }
            if !c.is_ascii() {
                folded.push(c);
            }
        }
        assert_eq!(folded, ['\u{17F}', '\u{212A}']);
        assert!(starts_with_folded("ADſ.x", "ads."));
        assert!(!starts_with_folded("ad", "ads"));
        assert!(ends_with_folded("x.Clic\u{212A}", "click"));
        assert!(!ends_with_folded("lick", "click"));
        assert!(ends_with_folded("", ""));
    }

    #[test]
    fn block_index_answers_like_the_linear_scans() {
        let html = "<div><p>Outer <a href='https://a.org/1'>one</a> text &amp; more</p>\
            <p>Second <a href='https://a.org/2'>two</a></p></div><footer>Via \
            <a href='https://a.org/3'>three</a></footer><p>x</p>";
        let md = "# T\n\nPara [one](https://a.org/1) and &amp; [two](https://a.org/2).\n\n> quote [three](https://b.org/3)\n";
        for doc in [
            crate::document::html::extract(html),
            crate::document::markdown::extract(md),
        ] {
            let index = BlockIndex::new(&doc);
            let len = html.len().max(md.len());
            for start in 0..len {
                for span in [Span::new(start, start), Span::new(start, start + 7)] {
                    let plain = block_containing(&doc, span);
                    let fast = index.containing(span);
                    assert_eq!(
                        plain.map(std::ptr::from_ref),
                        fast.map(|(_, b)| std::ptr::from_ref(b))
                    );
                    if let (Some(block), Some((at, _))) = (plain, fast) {
                        assert_eq!(
                            text_offset(block, start),
                            index.text_offset(at, start),
                            "{start}"
                        );
                    }
                }
            }
        }
    }

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

    #[test]
    fn longest_function_word_is_the_longest_listed() {
        let longest = FUNCTION_WORDS
            .iter()
            .flat_map(|(_, list)| list.iter())
            .map(|w| w.len())
            .max();
        assert_eq!(longest, Some(LONGEST_FUNCTION_WORD));
    }

    #[test]
    fn languages() {
        assert_eq!(normalize_lang("zh-CN").as_deref(), Some("zh"));
        assert_eq!(normalize_lang("pt_BR").as_deref(), Some("pt"));
        assert_eq!(normalize_lang("english"), None);
        assert_eq!(
            function_word_language("how-does-javascript-actually-work-part-1"),
            Some("en")
        );
        assert_eq!(
            function_word_language("las-bibliotecas-de-semillas-llegan-a-los-pueblos"),
            Some("es")
        );
        assert_eq!(
            function_word_language("warum-doerfer-wieder-eigene-laeden-gruenden"),
            None
        );
        assert_eq!(
            guess_lang("Ceci est un texte écrit en français pour tester la détection de la langue du document.")
                .as_deref(),
            Some("fr")
        );
    }

    /// The packed-key lookup counts exactly the words of the list, in any case, and no other
    /// word (prefixes, suffixes, longer words ending in a listed word).
    #[test]
    fn plainly_english_counts_exactly_the_listed_words() {
        // `n` words of `text` padded to 100 words: 19 listed words pass, 18 do not.
        let passes = |text: String, n: usize| {
            let padding = " x".repeat(100 - n);
            plainly_english(&format!("{text}{padding}"))
        };
        for word in ENGLISH_FUNCTION_WORDS {
            let word = std::str::from_utf8(word).unwrap();
            let upper = word.to_uppercase();
            assert!(passes(format!("{word} ").repeat(19), 19), "{word}");
            assert!(passes(format!("{upper} ").repeat(19), 19), "{upper}");
            assert!(!passes(format!("{word} ").repeat(18), 18), "{word}");
            for other in [
                format!("{word}q"),
                format!("q{word}"),
                format!("abcdef{word}"),
            ] {
                assert!(!passes(format!("{other} ").repeat(30), 30), "{other}");
            }
        }
        assert!(passes("the9and\u{e9}of ".repeat(7), 21));

        // Every word of up to three letters: listed exactly when in the list.
        let letters = || (b'a'..=b'z').map(|c| vec![c]);
        let short: Vec<Vec<u8>> = letters()
            .chain(letters().flat_map(|a| letters().map(move |b| [a.clone(), b].concat())))
            .collect();
        let three = short
            .iter()
            .filter(|w| w.len() == 2)
            .flat_map(|w| letters().map(move |c| [w.clone(), c].concat()));
        for word in short.iter().cloned().chain(three) {
            let listed = ENGLISH_FUNCTION_WORDS.contains(&word.as_slice());
            assert_eq!(is_function_key(pack(&word)), listed, "{word:?}");
        }
    }

    #[test]
    fn plainly_english_needs_length_ascii_letters_and_function_words() {
        let english = "The committee said that it would publish the report in the spring, and \
            that the findings were not yet final. ";
        let long = english.repeat(6);
        assert!(plainly_english(&long));
        // Under 100 words.
        assert!(!plainly_english(&english.repeat(3)));
        // The same words among as many Chinese characters: letters under 90% ASCII.
        assert!(!plainly_english(&format!(
            "{long}{}",
            "委员会表示将在春季发布报告".repeat(40)
        )));
        // Latin-script prose in another language has (almost) none of the function words.
        let french = "Le comité a déclaré qu'il publierait le rapport au printemps et que les \
            conclusions ne sont pas encore définitives. ";
        assert!(!plainly_english(&french.repeat(8)));
        // Names and numbers: English-looking, but too few function words to decide.
        assert!(!plainly_english(
            &"Paris London Berlin Madrid Rome 2024 ".repeat(25)
        ));
        assert!(plainly_english(&long.to_uppercase()));
    }
}
