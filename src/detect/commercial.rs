//! Commercial signals for NC checks: ad networks, sponsored labels, paywall markup, shop links,
//! paid-membership pitches.
//!
//! Ad networks and paywall scripts are found in the raw source (the extractor drops scripts and
//! most attributes), by their hostnames and class names, once per distinct marker. Labels
//! ("Sponsored", "Advertisement", "Anzeige", "广告") count when they are a block of their own
//! or a link's class; pitches ("$5 a month", "become a paid member", "subscribe to continue
//! reading") and shop links ("/shop", "buy now", "add to cart", "购买") anywhere outside code.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Context, Document, Link, MetaOrigin};
use crate::rules::cues::Family;
use crate::source::Span;

use super::cue;
use super::gated::{Gated, Gates};
use super::text::{block_evidence, host, link_evidence, path_segments, prose_blocks};
use super::{Evidence, EvidenceKind};

/// Ad networks and paywall vendors, as they appear in markup.
static MARKUP: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(concat!(
        r"(?i)adsbygoogle|googlesyndication\.com|doubleclick\.net|amazon-adsystem\.com|taboola\.com|outbrain\.com",
        r"|carbonads\.(?:com|net)|id=[\x22']carbonads|contextual\.media\.net|mediavine\.com|adthrive\.com|data-ad-slot",
        r"|class=[\x22'][^\x22'>]*\bpaywall\b|id=[\x22']paywall|tinypass\.com|cdn\.piano\.io|piano\.io/",
    ))
});

/// Whole-block labels that mark ads or sponsored content.
const LABELS: &[&str] = &[
    "sponsored",
    "sponsored content",
    "sponsored post",
    "sponsored by",
    "advertisement",
    "advertising",
    "anzeige",
    "publicidad",
    "publicité",
    "pubblicità",
    "реклама",
    "广告",
    "赞助",
    "赞助商",
    "paid content",
    "paid post",
    "promoted",
    "partner content",
];

/// Link classes that mark ads or sponsored content.
const LINK_CLASSES: &[&str] = &[
    "sponsored",
    "sponsor",
    "advertisement",
    "promoted",
    "ad-link",
];

/// Paywall and paid-membership pitches in prose (cue family `pitch`), case-insensitive.
static PITCH: LazyLock<Gated> =
    LazyLock::new(|| Gated::new(&format!("(?i){}", cue::alternation(Family::Pitch))));

/// The gate of [`PITCH`], for a [`super::gated::Finder`] over a post's prose: sharing the pass
/// that other detectors' gates make anyway finds the blocks where a pitch may be (a literal
/// pre-check per block read every block again and paid its setup in each).
pub(crate) fn gates() -> Vec<String> {
    vec![PITCH.line_gate()]
}

/// Link texts that sell something (cue family `shop-link`), as a link's whole text.
static SHOP_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^\W*(?:{})\W*$",
        cue::alternation(Family::ShopLink)
    ))
    .expect("valid regex")
});

/// Every commercial signal in the document, in source order. `text` is the whole source.
pub fn detect(text: &str, doc: &Document) -> Vec<Evidence> {
    let scan = super::gate_scan(doc);
    detect_in(text, doc, scan.part(super::Part::Commercial))
}

/// [`detect`], given the prose blocks where this detector's [`gates`] match.
pub(crate) fn detect_in(text: &str, doc: &Document, gates: Gates) -> Vec<Evidence> {
    let mut out = markup_signals(text);
    out.extend(label_blocks(doc));
    out.extend(
        doc.links
            .iter()
            .filter(|l| is_commercial_link(l))
            .map(link_evidence),
    );
    out.extend(pitches(gates));
    out.extend(free_access_false(doc));
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out.dedup_by_key(|e| e.span);
    out
}

/// Every pitch in the prose blocks, as text evidence.
fn pitches(gates: Gates) -> Vec<Evidence> {
    gates
        .blocks()
        .flat_map(|(block, _)| {
            PITCH
                .find_iter(&block.text)
                .map(move |m| block_evidence(block, m.start(), m.end(), EvidenceKind::Text))
        })
        .collect()
}

/// Literals that every match of some alternative of [`MARKUP`] holds, each as a key byte, the
/// text right after it, and the texts one of which comes right before it (see
/// [`may_hold_markup`]).
const MARKUP_ANCHORS: &[(u8, &str, &[&str])] = &[
    (
        b'.',
        "com",
        &[
            "googlesyndication",
            "amazon-adsystem",
            "taboola",
            "outbrain",
            "carbonads",
            "mediavine",
            "adthrive",
            "tinypass",
        ],
    ),
    (b'.', "net", &["doubleclick", "carbonads"]),
    // `contextual.media.net`.
    (b'.', "media", &["contextual"]),
    // `cdn.piano.io` and `piano.io/`.
    (b'.', "io", &["piano"]),
    // `id=["']carbonads`, `class=["'][^"'>]*\bpaywall\b` and `id=["']paywall`.
    (b'=', "\"", &["class", "id"]),
    (b'=', "'", &["class", "id"]),
    (b'-', "ad-slot", &["data"]),
    (b'y', "google", &["adsb"]),
];

/// False when no [`MARKUP`] match can be in `text` (most posts): no anchor of
/// [`MARKUP_ANCHORS`] is there.
///
/// Exact: every alternative of the pattern holds one of the anchors, compared as `(?i)`
/// compares them ([`starts_with_folded`], `ſ` and the Kelvin sign included), and every
/// anchor's key byte (`.`, `=`, `-`, `y` or `Y`: `y` has no other case-insensitive match) is
/// looked at. The scan stops at far fewer places than the pattern's own search steps through.
fn may_hold_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'.', b'=', b'-', bytes)
        .chain(memchr::memchr2_iter(b'y', b'Y', bytes))
        .any(|at| markup_anchor_at(text, at))
}

/// True when an anchor has its key byte at `at` (an ASCII byte, so `at` and `at + 1` are
/// char boundaries).
fn markup_anchor_at(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let (Some(key), Some(next)) = (bytes.get(at), bytes.get(at + 1)) else {
        return false;
    };
    let (key, next) = (key.to_ascii_lowercase(), next.to_ascii_lowercase());
    // Most key bytes (every full stop, hyphen and `y`) are not followed by what any anchor
    // has after its key: rule them out before going through the anchors.
    if !key_pair(key, next) {
        return false;
    }
    MARKUP_ANCHORS.iter().any(|&(k, after, befores)| {
        // Bytes first: no anchor's text after the key starts with `s` or `k`, whose non-ASCII
        // case variants a byte comparison would miss (the test checks).
        k == key
            && after.as_bytes().first() == Some(&next)
            && text
                .get(at + 1..)
                .is_some_and(|rest| starts_with_folded(rest, after))
            && text
                .get(..at)
                .is_some_and(|head| befores.iter().any(|b| ends_with_folded(head, b)))
    })
}

/// True when some anchor of [`MARKUP_ANCHORS`] has key byte `key` followed by byte `next`
/// (both lowercased); the test checks that every anchor is here.
fn key_pair(key: u8, next: u8) -> bool {
    matches!(
        (key, next),
        (b'.', b'c' | b'n' | b'm' | b'i') | (b'=', b'"' | b'\'') | (b'-', b'a') | (b'y', b'g')
    )
}

/// The first occurrence of each distinct ad or paywall marker in the raw source.
fn markup_signals(text: &str) -> Vec<Evidence> {
    if !may_hold_markup(text) {
        return Vec::new();
    }
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for m in MARKUP.find_iter(text) {
        // A class list is long: point at the `paywall` token inside it.
        let (start, end) = match m.as_str().to_ascii_lowercase().find("paywall") {
            Some(i) if m.as_str().starts_with("class") => (m.start() + i, m.start() + i + 7),
            _ => (m.start(), m.end()),
        };
        let key = text
            .get(start..end)
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(raw_evidence(text, start, end, EvidenceKind::Markup));
        }
    }
    out
}

/// A label that is a block of its own ("Advertisement") or heads a block, set off by a
/// separator ("**Sponsored** · This week's stories are brought to you by …").
fn label_blocks(doc: &Document) -> Vec<Evidence> {
    prose_blocks(doc)
        .filter_map(|b| {
            let rest = b.text.trim_start();
            if !may_start_label(rest) {
                return None;
            }
            let lead = b.text.len() - rest.len();
            let label = short_head(rest)?;
            LABELS
                .iter()
                .any(|l| lowercase_eq(label, l))
                .then(|| block_evidence(b, lead, lead + label.len(), EvidenceKind::Text))
        })
        .collect()
}

/// True when `rest` starts with a character that some label starts with, lowercased: the
/// first character of `rest` lowercased is what [`lowercase_eq`] compares with a label's first
/// character, so a block failing this heads no label (most blocks; cheaper than
/// [`short_head`]).
fn may_start_label(rest: &str) -> bool {
    let Some(first) = rest.chars().next().and_then(|c| c.to_lowercase().next()) else {
        return false;
    };
    LABELS.iter().any(|l| l.starts_with(first))
}

/// The most characters a label has.
const LABEL_CHARS: usize = 17;

/// The head of `rest` (up to the first separator, trailing whitespace trimmed) when it is no
/// longer than a label; `None` as soon as it is longer, so a paragraph is not read to its end.
fn short_head(rest: &str) -> Option<&str> {
    let mut end = 0;
    for (count, (i, c)) in rest.char_indices().enumerate() {
        if matches!(c, '·' | '|' | ':' | '—' | '–' | '\n') {
            break;
        }
        if !c.is_whitespace() {
            if count >= LABEL_CHARS {
                return None;
            }
            end = i + c.len_utf8();
        }
    }
    rest.get(..end)
}

/// True when `text` lowercased is `lower` (as `text.to_lowercase() == lower`, for a `lower`
/// without a Greek sigma), without building the lowercased copy.
fn lowercase_eq(text: &str, lower: &str) -> bool {
    text.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

/// App stores: a "get our app" link is not the site selling something.
const APP_STORES: &[&str] = &[
    "play.google.com",
    "apps.apple.com",
    "itunes.apple.com",
    "microsoft.com",
    "chrome.google.com",
];

fn is_commercial_link(link: &Link) -> bool {
    if link.context == Context::Code {
        return false;
    }
    let classed = link
        .classes
        .iter()
        .any(|c| LINK_CLASSES.contains(&c.as_str()));
    classed || is_shop_path(&link.href) || SHOP_TEXT.is_match(&link.text)
}

/// A `/shop` or `/store` path segment outside the app stores.
fn is_shop_path(href: &str) -> bool {
    // Most links have neither word: skip splitting the URL and lowercasing its host. A path
    // segment follows a `/`, so one that is `shop` or `store` follows a `/` in `href`.
    let maybe = memchr::memchr_iter(b'/', href.as_bytes()).any(|i| {
        let after = href.as_bytes().get(i + 1..).unwrap_or_default();
        starts_with_ignore_case(after, b"shop") || starts_with_ignore_case(after, b"store")
    });
    maybe
        && path_segments(href)
            .iter()
            .any(|s| s.eq_ignore_ascii_case("shop") || s.eq_ignore_ascii_case("store"))
        && !host(href).is_some_and(|h| APP_STORES.contains(&h.as_str()))
}

/// True when `bytes` starts with `prefix`, ASCII case ignored.
fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// JSON-LD `isAccessibleForFree: false` (a paywalled article).
fn free_access_false(doc: &Document) -> Vec<Evidence> {
    doc.meta
        .iter()
        .filter(|m| {
            m.origin == MetaOrigin::JsonLd
                && m.key.ends_with("isaccessibleforfree")
                && m.value.trim().eq_ignore_ascii_case("false")
        })
        .map(|m| Evidence {
            kind: EvidenceKind::JsonLd,
            span: m.span,
            text: m.value.trim().to_owned(),
        })
        .collect()
}

/// Evidence for a raw-source match (markup the extractor does not keep).
fn raw_evidence(text: &str, start: usize, end: usize, kind: EvidenceKind) -> Evidence {
    Evidence {
        kind,
        span: Span::new(start, end),
        text: text.get(start..end).unwrap_or_default().to_owned(),
    }
}

/// True when `c` matches the ASCII character `lit` in a case-insensitive (`(?i)`) regex: its
/// ASCII case variants, and for `s` and `k` also `ſ` (U+017F) and the Kelvin sign (U+212A),
/// the only other characters that simple case folding maps onto an ASCII letter.
fn folds_to(c: char, lit: char) -> bool {
    c.eq_ignore_ascii_case(&lit)
        || matches!(
            (lit.to_ascii_lowercase(), c),
            ('s', '\u{17F}') | ('k', '\u{212A}')
        )
}

/// True when `text` starts with a run that the ASCII literal `lit` matches in a
/// case-insensitive regex (see [`folds_to`]).
fn starts_with_folded(text: &str, lit: &str) -> bool {
    let mut chars = text.chars();
    lit.chars()
        .all(|l| chars.next().is_some_and(|c| folds_to(c, l)))
}

/// True when `text` ends with a run that the ASCII literal `lit` matches in a case-insensitive
/// regex (see [`folds_to`]).
fn ends_with_folded(text: &str, lit: &str) -> bool {
    let mut chars = text.chars().rev();
    lit.chars()
        .rev()
        .all(|l| chars.next().is_some_and(|c| folds_to(c, l)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Block;
    use crate::source::Span;

    /// A post whose whole text is one body block.
    fn doc_of(text: &str) -> Document {
        Document::one_block(text, 0, Context::Body)
    }

    #[test]
    fn ad_scripts_once_per_marker() {
        let text = r#"<script src="https://pagead2.googlesyndication.com/x.js"></script><ins class="adsbygoogle"></ins><ins class="adsbygoogle" data-ad-slot="1"></ins>"#;
        let got: Vec<&str> = detect(text, &Document::default())
            .iter()
            .map(|e| &text[e.span.start..e.span.end])
            .collect();
        assert_eq!(
            got,
            ["googlesyndication.com", "adsbygoogle", "data-ad-slot"]
        );
    }

    #[test]
    fn labels_pitches_and_shop_links() {
        let text = "Advertisement\nHelp us by becoming a member for just $5 a month.";
        let doc = Document {
            blocks: vec![
                Block::verbatim("Advertisement", Span::new(0, 13), Context::Body),
                Block::verbatim(&text[14..], Span::new(14, text.len()), Context::Body),
            ],
            links: vec![Link {
                href: "https://example.org/shop/mug".into(),
                text: "our mug".into(),
                rel: Vec::new(),
                span: Span::new(100, 120),
                context: Context::Body,
                classes: Vec::new(),
            }],
            ..Document::default()
        };
        let got = detect(text, &doc);
        let spans: Vec<Span> = got.iter().map(|e| e.span).collect();
        assert_eq!(&text[spans[0].start..spans[0].end], "Advertisement");
        assert_eq!(&text[spans[1].start..spans[1].end], "$5 a month");
        assert_eq!(spans[2], Span::new(100, 120));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn paywall_class_salaries_and_app_stores() {
        let text =
            r#"<body class="story user-anonymous paywall source-x">He earns $210,000 per year."#;
        let doc = Document {
            blocks: vec![Block::verbatim(
                &text[50..],
                Span::new(50, text.len()),
                Context::Body,
            )],
            links: vec![Link {
                href: "https://play.google.com/store/apps/details?id=x".into(),
                text: "Get the app".into(),
                rel: Vec::new(),
                span: Span::new(0, 5),
                context: Context::Chrome,
                classes: Vec::new(),
            }],
            ..Document::default()
        };
        let got: Vec<&str> = detect(text, &doc)
            .iter()
            .map(|e| &text[e.span.start..e.span.end])
            .collect();
        assert_eq!(got, ["paywall"]);
    }

    #[test]
    fn label_heads_are_short() {
        let longest = LABELS.iter().map(|l| l.chars().count()).max();
        assert_eq!(longest, Some(LABEL_CHARS));
        assert_eq!(
            short_head("Sponsored content  · x"),
            Some("Sponsored content")
        );
        assert_eq!(short_head("Sponsored content x"), None);
        assert_eq!(short_head("广告\n正文"), Some("广告"));
        assert!(may_start_label("ADVERTISEMENT"));
        assert!(may_start_label("广告"));
        assert!(!may_start_label("The sponsors"));
        assert!(!may_start_label(""));
        assert!(lowercase_eq("PUBLICITÉ", "publicité"));
        assert!(!lowercase_eq("Publicités", "publicité"));
    }

    /// Every alternative of [`PITCH`] is let through by the shared gate scan.
    #[test]
    fn pitch_gate_covers_every_alternative() {
        let texts = [
            "Subscribe to continue reading",
            "subscribers-only article",
            "€9.99 per month",
            "becoming a premium supporter",
            "support us with a monthly gift",
            "Buy now",
            "add to basket",
        ];
        for text in texts {
            let doc = doc_of(text);
            let scan = crate::detect::gate_scan(&doc);
            assert!(PITCH.is_match(text), "{text}");
            assert!(scan.part(crate::detect::Part::Commercial).any(0), "{text}");
            assert_eq!(pitches(scan.part(crate::detect::Part::Commercial)).len(), 1);
        }
    }

    /// Every alternative of [`MARKUP`], in odd cases and with `ſ`/Kelvin-sign spellings,
    /// passes the anchor pre-check; texts near them do not.
    #[test]
    fn markup_precheck_passes_every_alternative() {
        let texts = [
            "x AdsByGoogle x",
            "googlesyndication.com",
            "DoubleClic\u{212A}.Net",
            "amazon-ad\u{17F}ystem.com",
            "taboola.COM",
            "outbrain.com",
            "carbonads.com",
            "carbonad\u{17F}.net",
            "id='carbonads",
            "ID=\"CarbonAds",
            "contextual.media.net",
            "mediavine.com",
            "adthrive.com",
            "data-ad-slot",
            "class=\"a b paywall c\"",
            "id='Paywall",
            "tinypa\u{17F}\u{17F}.com",
            "cdn.piano.io",
            "piano.io/",
        ];
        for text in texts {
            assert!(MARKUP.is_match(text), "{text:?}");
            assert!(may_hold_markup(text), "{text:?}");
        }
        for (key, after, _) in MARKUP_ANCHORS {
            assert!(
                !after.is_empty() && !after.starts_with(['s', 'k']),
                "{after}"
            );
            assert!(key.is_ascii_lowercase() || key.is_ascii_punctuation());
            assert!(key_pair(*key, after.as_bytes()[0]), "{after}");
        }
        assert!(!key_pair(b'.', b'o') && !key_pair(b'-', b's') && !key_pair(b'y', b'o'));
        let near = [
            "ads by google",
            "example.com and doubleclick . net",
            "data-ad slot, pay wall, id=carbon, class=x",
            "piano.org carbonads",
            "",
        ];
        for text in near {
            assert!(!may_hold_markup(text), "{text:?}");
        }
    }

    #[test]
    fn shop_paths_outside_app_stores() {
        assert!(is_shop_path("https://example.org/Shop/mug"));
        assert!(!is_shop_path("https://example.org/shopping"));
        assert!(!is_shop_path("https://play.google.com/store/apps"));
        assert!(!is_shop_path("https://shop.example.org/"));
    }

    #[test]
    fn prose_about_ads_is_not_a_signal() {
        let text = "Outbrain and Taboola run advertisement widgets on many news sites.";
        assert!(detect(text, &doc_of(text)).is_empty());
    }

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
}
