//! Links to the original material: cross-domain canonical, "originally published at", "via",
//! "read the original", `原文`, front-matter source fields.
//!
//! A prose link counts when its text names the original ("original article", "source", "原文")
//! or the words just before it do ("originally appeared on", "原文地址：", "via:"), or its
//! sentence says the post is republished ("This article … was originally published on …").
//! Bare URLs after such words count too. Metadata counts when it is an http(s) URL: front-matter
//! `source`/`original_url`/`via`/`canonical_url`…, RDFa `cc:attributionURL`/`dct:source`, JSON-LD
//! `isBasedOn`/`translationOfWork`. A `<link rel=canonical>` or `og:url` counts only when its
//! host differs from the page's own host, which for a local file is estimated as the host most
//! of the page's absolute links point to (at least three links and a third of them); with no
//! such evidence a canonical is not counted, nor when three or more of the page's links point to
//! the canonical's site (a page links to its own site often). Never a source: creativecommons.org, `rel=license`
//! links, code, and homepage-only links (no path, an account root like `blog.csdn.net/haoel`,
//! a section or author/tag index); a one-word path such as `/hydrapaper/` is an article.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use regex_automata::meta;

use crate::document::{Block, Context, Document, Link, Meta, MetaOrigin};
use crate::rules::cues::Family;
use crate::source::Span;

use super::cue;
use super::text::{block_evidence, floor_boundary, host, link_evidence, prose_blocks};
use super::url_canon;
use super::{Evidence, EvidenceKind, SourceLink};

/// Words right before a link or URL that make it the original. A short parenthetical may sit
/// between the words and their colon: "原文地址(原作者:CloudSploit)：" (DevOps 中国社区),
/// "原文網址 (Translated from)：" (ryanhanwu's Smart Questions translation).
const CUE_BEFORE_PATTERN: &str = r"(?i)(?:original(?:ly)?\s+(?:published|appeared|posted)(?:\s+(?:at|on|in|by))?|first\s+(?:published|appeared)(?:\s+(?:at|on|in))?|appeared\s+first\s+(?:at|on|in)|republished\s+from|reprinted\s+from|read\s+the\s+original(?:\s+\w+)?(?:\s+(?:at|on|here))?|read\s+the\s+full\s+\w+\s+(?:at|on)|\bsources?|\bvia|\boriginal(?:\s+(?:article|post|source|url|link))?|原文(?:地址|链接|出处|网址|網址|鏈接|連結|转自)?|原帖(?:的)?(?:地址)?(?:在)?|英文原文|来源|出处|转自|转载自|译自|发表于|(?:贴|帖)子(?:叫|是|为)?|fuente|quelle|publicado\s+originalmente\s+en|article\s+original|original(?:artikel|beitrag|quelle|text)|(?:erschien(?:en)?\s+zuerst|zuerst\s+erschienen)(?:\s+(?:im|in|auf|bei))?|(?:art[ií]cul?o|artigo|article|original)\s+(?:original[e]?|d['’]origine|article)(?:\s+(?:en|in|on|at|sur|de|da|di|auf|im)\s+[^\s:]{1,30}(?:\s+[^\s:]{1,30}){0,2})?|원문|versi[oó]n\s+original\s+de\s+est[ea]\s+\w+(?:\s+[^\s:]{1,30}){0,6}|оригинал|источник|based\s+on(?:\s+a\s+work\s+at)?|basierend\s+auf(?:\s+einer\s+arbeit\s+unter)?)(?:\s*[(（][^()（）\n]{1,40}[)）])?[\s:：\-–—]*[\[《“\x22(（]*\s*$";

/// [`CUE_BEFORE_PATTERN`], compiled without the lazy DFA: run backwards from the end of a
/// text, its DFA builds new states for nearly every text, which costs far more than the
/// bounded backtracker's whole search. Only texts that pass [`CUE_BEFORE_LOOSE`] get here.
static CUE_BEFORE: LazyLock<meta::Regex> = LazyLock::new(|| {
    meta::Regex::builder()
        .configure(meta::Config::new().hybrid(false))
        .build(CUE_BEFORE_PATTERN)
        .expect("valid regex")
});

/// [`CUE_BEFORE`] loosened so that it matches wherever that does (and rarely elsewhere):
/// without word boundaries, with `\S+` for `\w+` and `[^\s:]+` for `[^\s:]{1,30}`. Its lazy
/// DFA, unlike the exact pattern's, needs few states (Unicode `\w` and counted repetitions
/// run backwards are what multiply them).
static CUE_BEFORE_LOOSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&loosened(CUE_BEFORE_PATTERN)).expect("valid regex"));

/// `pattern` without `\b`, with `\S+` for `\w+` and unbounded repetitions for counted ones:
/// each change widens what a piece matches, so the result matches a superset.
fn loosened(pattern: &str) -> String {
    pattern
        .replace(r"\b", "")
        .replace(r"\w+", r"\S+")
        .replace(r"[^\s:]{1,30}", r"[^\s:]+")
        .replace(r"[^()（）\n]{1,40}", r"[^()（）\n]+")
}

/// Words anywhere in the link's sentence that say the post republishes the linked work (cue
/// family `source-sentence`), case-insensitive.
static CUE_AROUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("(?i){}", cue::alternation(Family::SourceSentence))).expect("valid regex")
});

/// Words earlier in the link's sentence that say the post translates the linked work: "Essa é
/// uma tradução do artigo “[Title](…)”" (esporo), "Этот топик является переводом с сайта -
/// [URL](…)" (rukomoynikov), "translated from [Title](…)". A link right
/// after "by" is the translator's; a link before the words is something else the sentence
/// cites ("[a book] (not translated from the Russian)"). Cue family `translated-from`.
static TRANSLATED_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("(?i){}", cue::alternation(Family::TranslatedFrom))).expect("valid regex")
});

/// The same in Korean, where the verb follows its object: "[Title](…)을 번역한 글입니다"
/// (golangkorea.github.io, nacyot.com).
static TRANSLATED_OBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[을를]\s*번역한").expect("valid regex"));

/// A person named right before the link: "translated from the Spanish by [Name](…)".
static BY_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:\bby|\bvon|\bpor|\bpar|\bda)\s*$").expect("valid regex"));

/// "The original" as the subject of the link's sentence, a few words back at most: "원본은
/// [여기]에서 찾아볼 수 있습니다" (nacyot), "Оригинал статьи доступен по адресу [URL]"
/// (ivahaev.ru), "The original article, [Title] by X, is licensed…" (issue 16's list).
static ORIGINAL_NEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:the\s+)?(?:original\s+(?:article|post|text|version|story)|оригинал)\S*(?:\s+\S+){0,4}[\s,:]*$|(?:원본|원문)[은는이가]\s*$",
    )
    .expect("valid regex")
});

/// Link texts that name the original by themselves.
static CUE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\W*(?:(?:read\s+)?(?:the\s+|zum\s+|zur\s+)?(?:original|full)(?:artikel|beitrag|quelle|text)?(?:\s+(?:article|post|story|source|text|version|piece))?(?:\s+(?:im|in|on|at|auf|bei|en|sur|from)\s+[^.!?]{1,40})?|art[ií]cul?o\s+original[e]?|artigo\s+original|sources?|via|(?:点击)?(?:阅读|查看|访问)?原文.{0,6}|来源|出处|fuente|quelle|article\s+original|оригинал|источник)\W*$",
    )
    .expect("valid regex")
});

/// A URL in running text, up to whitespace, a delimiter or CJK/full-width punctuation.
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"https?://[^\s)\]>"'<{}]+"#,
        url_canon::STOP_CLASS
    ))
    .expect("valid regex")
});

/// Front-matter keys whose URL value names the original.
const FRONT_MATTER_KEYS: &[&str] = &[
    "source",
    "source_url",
    "sourceurl",
    "source_link",
    "original",
    "original_url",
    "originalurl",
    "original_link",
    "canonical_url",
    "canonicalurl",
    "canonical",
    "via",
    "link",
    "translation_of",
];

/// JSON-LD keys whose URL value names the original.
const JSON_LD_KEYS: &[&str] = &[
    "isbasedon",
    "isbasedon.url",
    "isbasedon.@id",
    "isbasedonurl",
    "translationofwork",
    "translationofwork.url",
    "translationofwork.@id",
];

/// Every link to the original, in source order, each URL once.
pub fn detect(doc: &Document) -> Vec<SourceLink> {
    let mut found: Vec<SourceLink> = Vec::new();
    found.extend(doc.meta.iter().filter_map(meta_source));
    found.extend(canonical_sources(doc));
    let index = BlockIndex::new(doc);
    found.extend(doc.links.iter().filter_map(|l| link_source(doc, &index, l)));
    found.extend(bare_url_sources(doc));
    found.sort_by_key(|s| (s.evidence.span.start, s.evidence.span.end));
    let mut seen: Vec<String> = Vec::new();
    found.retain(|s| {
        let key = url_canon::canonical(&s.url)
            .trim_end_matches('/')
            .to_ascii_lowercase();
        let fresh = !seen.contains(&key);
        if fresh {
            seen.push(key);
        }
        fresh
    });
    found
}

/// True for a URL that could name an original work: absolute http(s), not a license, not a
/// bare homepage. (What `is_http_url`, `is_creative_commons` and `path_segments` decide, without
/// their lowercased copies: this runs for every link.)
fn candidate_url(url: &str) -> bool {
    http_host(url).is_some_and(|h| !is_creative_commons_host(h)) && !is_homepage(url)
}

/// The host of an absolute http(s) URL as `host` finds it (without `www.` and port, `None`
/// exactly when `is_http_url` is false), in the URL's own case.
fn http_host(url: &str) -> Option<&str> {
    let url = url.trim();
    let rest = strip_prefix_ignore_case(url, "https://")
        .or_else(|| strip_prefix_ignore_case(url, "http://"))?;
    let authority = rest.get(
        ..rest
            .bytes()
            .position(|b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len()),
    )?;
    let host = authority.get(memchr::memrchr(b'@', authority.as_bytes()).map_or(0, |i| i + 1)..)?;
    let host = host.get(..memchr::memchr(b':', host.as_bytes()).unwrap_or(host.len()))?;
    let host = strip_prefix_ignore_case(host, "www.").unwrap_or(host);
    (!host.is_empty() && memchr::memchr(b'.', host.as_bytes()).is_some()).then_some(host)
}

fn strip_prefix_ignore_case<'s>(text: &'s str, prefix: &str) -> Option<&'s str> {
    text.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .and_then(|_| text.get(prefix.len()..))
}

/// creativecommons.org or one of its subdomains, in any case.
fn is_creative_commons_host(host: &str) -> bool {
    const SITE: &str = "creativecommons.org";
    host.eq_ignore_ascii_case(SITE)
        || host.len() > SITE.len()
            && host
                .get(host.len() - SITE.len() - 1..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(".creativecommons.org"))
}

/// A site's front page, an account's root or an index page, not an article: no path; one
/// segment that is an account (`@name`, `~name`, or any segment on a platform whose first path
/// segment is an account, `blog.csdn.net/haoel`) or a section word (`/about`, `/tags`); two
/// segments under an author, tag or user prefix (`/author/jane`). Any other one-word path is
/// an article slug (`https://itsfoss.com/hydrapaper/`).
fn is_homepage(url: &str) -> bool {
    if memchr::memchr(b'?', url.as_bytes()).is_some() {
        return false;
    }
    let mut segments = path_segments(url);
    match (segments.next(), segments.next(), segments.next()) {
        (None, _, _) => true,
        (Some(one), None, _) => {
            one.starts_with(['@', '~'])
                || SECTION_WORDS.iter().any(|w| one.eq_ignore_ascii_case(w))
                || http_host(url)
                    .is_some_and(|h| ACCOUNT_HOSTS.iter().any(|a| h.eq_ignore_ascii_case(a)))
        }
        (Some(first), Some(_), None) => {
            INDEX_PREFIXES.iter().any(|w| first.eq_ignore_ascii_case(w))
        }
        _ => false,
    }
}

/// Platforms whose first path segment names an account, not an article.
const ACCOUNT_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "twitter.com",
    "x.com",
    "medium.com",
    "blog.csdn.net",
    "weibo.com",
    "instagram.com",
    "facebook.com",
    "youtube.com",
    "linkedin.com",
    "dev.to",
    "hashnode.com",
    "reddit.com",
    "t.me",
];

/// One-word paths that are a site's sections, not articles.
const SECTION_WORDS: &[&str] = &[
    "about",
    "archive",
    "archives",
    "articles",
    "author",
    "authors",
    "blog",
    "blogs",
    "categories",
    "category",
    "contact",
    "home",
    "index",
    "news",
    "posts",
    "tag",
    "tags",
];

/// First segments under which a second one names an author, tag or account page.
const INDEX_PREFIXES: &[&str] = &[
    "author",
    "authors",
    "tag",
    "tags",
    "category",
    "categories",
    "user",
    "users",
    "u",
    "profile",
];

/// The non-empty path segments of an absolute URL, as `text::path_segments` lists them.
fn path_segments(url: &str) -> impl Iterator<Item = &str> {
    // Byte scans: a `str` pattern search sets up a searcher per call, and this runs per link.
    let bytes = url.as_bytes();
    let path = memchr::memchr_iter(b'/', bytes)
        .find(|&i| bytes.get(i + 1) == Some(&b'/'))
        .and_then(|i| url.get(i + 2..))
        .and_then(|rest| {
            let slash = memchr::memchr(b'/', rest.as_bytes())?;
            rest.get(slash + 1..)
        })
        .unwrap_or("");
    let end = memchr::memchr2(b'?', b'#', path.as_bytes()).unwrap_or(path.len());
    path.get(..end)
        .unwrap_or_default()
        .split('/')
        .filter(|s| !s.is_empty())
}

fn meta_source(meta: &Meta) -> Option<SourceLink> {
    let key = meta.key.as_str();
    let kind = match meta.origin {
        MetaOrigin::FrontMatter if FRONT_MATTER_KEYS.contains(&key) => EvidenceKind::FrontMatter,
        MetaOrigin::JsonLd if JSON_LD_KEYS.contains(&key) => EvidenceKind::JsonLd,
        MetaOrigin::Rdfa if matches!(key, "cc:attributionurl" | "dct:source" | "dc:source") => {
            EvidenceKind::Rdfa
        }
        _ => return None,
    };
    let url = url_canon::canonical(meta.value.trim());
    candidate_url(&url).then(|| SourceLink {
        url: url.clone().into_owned(),
        evidence: Evidence {
            kind,
            span: meta.span,
            text: meta.value.trim().to_owned(),
        },
    })
}

/// `<link rel=canonical>` and `og:url` pointing away from the page's own host.
fn canonical_sources(doc: &Document) -> Vec<SourceLink> {
    let canonical = |m: &&Meta| {
        (m.origin == MetaOrigin::LinkRel && m.key == "canonical")
            || (m.origin == MetaOrigin::MetaTag && m.key == "og:url")
    };
    // The page's own host takes a look at every link: not worth it without a canonical.
    if !doc.meta.iter().any(|m| canonical(&m)) {
        return Vec::new();
    }
    let Some(own) = own_host(doc) else {
        return Vec::new();
    };
    doc.meta
        .iter()
        .filter(canonical)
        .map(|m| (m, url_canon::canonical(&m.value)))
        .filter(|(_, url)| candidate_url(url))
        .filter(|(_, url)| host(url).is_some_and(|h| !same_site(&h, &own) && links_to(doc, &h) < 3))
        .map(|(m, url)| SourceLink {
            url: url.trim().to_owned(),
            evidence: Evidence {
                kind: EvidenceKind::Meta,
                span: m.span,
                text: m.value.trim().to_owned(),
            },
        })
        .collect()
}

/// The host most of the page's absolute links point to, when the evidence is clear.
fn own_host(doc: &Document) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut total = 0;
    // Links through an archive count for the site they archive (a saved copy of a page links
    // its own site through the archive).
    for h in doc
        .links
        .iter()
        .filter_map(|l| host(&url_canon::unwrap(&l.href)))
    {
        *counts.entry(site(&h)).or_default() += 1;
        total += 1;
    }
    let (best, n) = counts.into_iter().max_by_key(|(h, n)| (*n, h.clone()))?;
    (n >= 3 && n * 3 >= total).then_some(best)
}

/// How many of the page's links point to the site of `host` (a page links to itself often).
fn links_to(doc: &Document, host_name: &str) -> usize {
    let target = site(host_name);
    doc.links
        .iter()
        .filter_map(|l| host(&url_canon::unwrap(&l.href)))
        .filter(|h| site(h) == target)
        .count()
}

/// The registrable part of a host, roughly: the last two labels (three under `co.uk`-style
/// second levels).
fn site(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    let keep = match labels.as_slice() {
        [.., second, top]
            if top.len() == 2
                && matches!(
                    *second,
                    "co" | "com" | "ac" | "org" | "net" | "gov" | "edu" | "ne" | "or"
                ) =>
        {
            3
        }
        _ => 2,
    };
    labels[labels.len().saturating_sub(keep)..].join(".")
}

fn same_site(a: &str, b: &str) -> bool {
    site(a) == site(b)
}

/// A prose link whose text or surrounding words name it as the original.
fn link_source(doc: &Document, index: &BlockIndex, link: &Link) -> Option<SourceLink> {
    // An archived or redirected link is judged, and reported, by the address it stands for.
    let href = url_canon::canonical(&link.href);
    if link.context == Context::Code
        || link.rel.iter().any(|r| r == "license")
        || !(candidate_url(&href) || is_rdfa_source(link) && is_http_url(&href))
    {
        return None;
    }
    let place = link_place(index, link);
    let named = is_rdfa_source(link)
        || CUE_TEXT.is_match(link.text.trim())
        || place.is_some_and(|place| cued_by_context(doc, index, link, place));
    // Few links are named, so the citation check runs after the cues, not before them.
    (named && !place.is_some_and(archived_citation)).then(|| SourceLink {
        url: href.trim().to_owned(),
        evidence: link_evidence(link),
    })
}

/// Where a link sits: its block's index, the block, and the link's start in the block's text.
#[derive(Clone, Copy)]
struct Place<'d> {
    at: usize,
    block: &'d Block,
    start: usize,
}

fn link_place<'d>(index: &BlockIndex<'d>, link: &Link) -> Option<Place<'d>> {
    let (at, block) = index.containing(link.span)?;
    let start = index.text_offset(at, link.span.start)?;
    Some(Place { at, block, start })
}

/// "Archived from the original on …" in a citation: the link is what the citation cites, not
/// the post's original.
fn archived_citation(place: Place) -> bool {
    static ARCHIVED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)archived\s+from\s*$").expect("valid regex"));
    let (before, _) = sentence_around(&place.block.text, place.start, place.start);
    ARCHIVED.is_match(before)
}

fn is_rdfa_source(link: &Link) -> bool {
    link.rel
        .iter()
        .any(|r| r == "cc:attributionurl" || r == "dct:source" || r == "dc:source")
}

fn cued_by_context(doc: &Document, index: &BlockIndex, link: &Link, place: Place) -> bool {
    let Place { at, block, start } = place;
    if block.context == Context::Code {
        return false;
    }
    let end = index
        .text_offset(at, link.span.end)
        .unwrap_or(block.text.len());
    let (before, sentence) = sentence_around(&block.text, start, end.max(start));
    let before = if before.trim().is_empty() {
        previous_line(doc, at)
    } else {
        before
    };
    cued(before, sentence)
}

/// The words before a link or URL, or its sentence, name it as the original.
fn cued(before: &str, sentence: &str) -> bool {
    cued_before(before)
        || ORIGINAL_NEAR.is_match(before)
        || CUE_AROUND.is_match(sentence)
        || TRANSLATED_FROM.is_match(before) && !BY_BEFORE.is_match(before)
        || TRANSLATED_OBJECT.is_match(sentence)
}

/// [`CUE_BEFORE`] matches `before` (tried only where the cheaper loose pattern, which matches
/// wherever it does, matches: that one runs backwards from the end and stops within a few
/// words, where a forward pre-check for cue words read the whole text before it).
fn cued_before(before: &str) -> bool {
    CUE_BEFORE_LOOSE.is_match(before) && CUE_BEFORE.is_match(before)
}

/// The last line of the block before the block at `index` (a URL on its own line under
/// "发表于：").
fn previous_line(doc: &Document, index: usize) -> &str {
    index
        .checked_sub(1)
        .and_then(|i| doc.blocks.get(i))
        .filter(|b| b.context != Context::Code)
        .and_then(|b| b.text.lines().last())
        .unwrap_or("")
}

/// The text of the sentence before `start`, and the whole sentence around `start..end`
/// (bounded by `。`, `!`, `?`, `. `, a blank line, and at most ~200 bytes each way). A single
/// line break is not a boundary: Markdown and HTML wrap sentences over lines.
fn sentence_around(text: &str, start: usize, end: usize) -> (&str, &str) {
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, end.max(start));
    let window_start = floor_boundary(text, start.saturating_sub(200));
    let head = &text.as_bytes()[window_start..start];
    let from = last_stop_end(head).map_or(window_start, |i| window_start + i);
    let window_end = floor_boundary(text, (end + 200).min(text.len()));
    let tail = &text.as_bytes()[end..window_end];
    let to = first_stop(tail).map_or(window_end, |i| end + i);
    (&text[from..start], &text[from..to])
}

/// The punctuation a sentence stop ([`stop_len`]) can start with (memchr finds three bytes at
/// a time).
const STOP_MARKS: [u8; 3] = [b'!', b'?', b'.'];

/// The other bytes a sentence stop can start with: a line break, and the lead byte of `。`
/// (`E3`) or of a full-width `！`/`？` (`EF`).
const STOP_OTHERS: [u8; 3] = [b'\n', 0xE3, 0xEF];

/// Where the last sentence stop in `bytes` ends. (The stop starting last ends last: no stop
/// starts inside another, and `\n\n` inside `\n\n\n` ends after the first one.)
fn last_stop_end(bytes: &[u8]) -> Option<usize> {
    // The last candidate of each half of the first bytes of a stop, each searched for again
    // only when it was the one tried: two vector searches instead of a look at every byte.
    let rfind = |[a, b, c]: [u8; 3], bytes: &[u8]| memchr::memrchr3(a, b, c, bytes);
    let mut marks = rfind(STOP_MARKS, bytes);
    let mut others = rfind(STOP_OTHERS, bytes);
    loop {
        let at = marks.max(others)?;
        if let Some(len) = bytes.get(at..).and_then(stop_len) {
            return Some(at + len);
        }
        let head = bytes.get(..at).unwrap_or_default();
        if marks == Some(at) {
            marks = rfind(STOP_MARKS, head);
        } else {
            others = rfind(STOP_OTHERS, head);
        }
    }
}

/// Where the first sentence stop in `bytes` starts.
fn first_stop(bytes: &[u8]) -> Option<usize> {
    // The first byte of `set` after `at` (or from the start, for `None`).
    let find = |[a, b, c]: [u8; 3], at: Option<usize>| {
        let from = at.map_or(0, |at| at + 1);
        memchr::memchr3(a, b, c, bytes.get(from..)?).map(|i| from + i)
    };
    let mut marks = find(STOP_MARKS, None);
    let mut others = find(STOP_OTHERS, None);
    loop {
        let at = match (marks, others) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        if bytes.get(at..).and_then(stop_len).is_some() {
            return Some(at);
        }
        if marks == Some(at) {
            marks = find(STOP_MARKS, Some(at));
        } else {
            others = find(STOP_OTHERS, Some(at));
        }
    }
}

/// The length of the sentence stop `bytes` starts with: `。`, `!`, `?`, `！`, `？`, `. ` or a
/// blank line (whole UTF-8 sequences, so the cut after one is a char boundary).
fn stop_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'!' | b'?', ..] => Some(1),
        [b'.', b' ', ..] | [b'\n', b'\n', ..] => Some(2),
        [0xE3, 0x80, 0x82, ..] | [0xEF, 0xBC, 0x81 | 0x9F, ..] => Some(3),
        _ => None,
    }
}

/// Bare URLs in prose after a cue ("via: https://…", "原文出处：http://…").
fn bare_url_sources(doc: &Document) -> Vec<SourceLink> {
    let mut out = Vec::new();
    for block in prose_blocks(doc) {
        for m in BARE_URL.find_iter(&block.text) {
            let url = url_canon::trim_bare(m.as_str());
            let canonical = url_canon::canonical(url);
            if !candidate_url(&canonical) {
                continue;
            }
            let (before, sentence) = sentence_around(&block.text, m.start(), m.end());
            if cued(before, sentence) {
                let evidence =
                    block_evidence(block, m.start(), m.start() + url.len(), EvidenceKind::Text);
                out.push(SourceLink {
                    url: canonical.into_owned(),
                    evidence,
                });
            }
        }
    }
    out
}

/// True for an absolute http(s) URL.
fn is_http_url(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    (v.starts_with("http://") || v.starts_with("https://")) && host(&v).is_some()
}

/// The block that holds `span` (a link), if any: the shortest block overlapping it. Overlap,
/// not containment, because a block's span ends with its last text while a link at its end
/// reaches on to `</a>` or `](url)`. The reference for [`BlockIndex::containing`].
#[cfg(test)]
fn block_containing(doc: &Document, span: Span) -> Option<&Block> {
    doc.blocks
        .iter()
        .filter(|b| b.span.start < span.end.max(span.start + 1) && span.start < b.span.end)
        .min_by_key(|b| b.span.len())
}

/// [`block_containing`] and [`text_offset`] for many links of one document: blocks sorted by
/// start with a running maximum of their ends, so each lookup visits only the blocks that can
/// overlap instead of every block (200k links in one page stay linear). Same answers as the
/// plain functions.
struct BlockIndex<'d> {
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
    fn new(doc: &'d Document) -> BlockIndex<'d> {
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
    fn containing(&self, span: Span) -> Option<(usize, &'d Block)> {
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
    fn text_offset(&self, index: usize, pos: usize) -> Option<usize> {
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
fn text_offset(block: &Block, pos: usize) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn link(text: &str, href: &str, span: Span) -> Link {
        Link {
            href: href.into(),
            text: text.into(),
            rel: Vec::new(),
            span,
            context: Context::Body,
            classes: Vec::new(),
        }
    }

    /// A Markdown-like document: one block holding `source` verbatim except for links
    /// written `[text](href)`, which the block's pieces skip.
    fn md_doc(source: &str) -> Document {
        static MD_LINK: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\(([^)]*)\)").unwrap());
        let mut text = String::new();
        let mut pieces = Vec::new();
        let mut links = Vec::new();
        let mut last = 0;
        let push =
            |text: &mut String, pieces: &mut Vec<crate::document::Piece>, s: usize, e: usize| {
                pieces.push(crate::document::Piece {
                    text_start: text.len(),
                    text_len: e - s,
                    source_start: s,
                    source_len: e - s,
                });
                text.push_str(&source[s..e]);
            };
        for c in MD_LINK.captures_iter(source) {
            let (whole, t, h) = (c.get(0).unwrap(), c.get(1).unwrap(), c.get(2).unwrap());
            push(&mut text, &mut pieces, last, whole.start());
            push(&mut text, &mut pieces, t.start(), t.end());
            links.push(link(
                t.as_str(),
                h.as_str(),
                Span::new(whole.start(), whole.end()),
            ));
            last = whole.end();
        }
        push(&mut text, &mut pieces, last, source.len());
        Document {
            blocks: vec![Block {
                text,
                span: Span::new(0, source.len()),
                context: Context::Body,
                pieces,
            }],
            links,
            ..Document::default()
        }
    }

    fn urls(source: &str) -> Vec<(String, String)> {
        detect(&md_doc(source))
            .into_iter()
            .map(|s| {
                (
                    s.url,
                    source[s.evidence.span.start..s.evidence.span.end].to_owned(),
                )
            })
            .collect()
    }

    /// Cues for the original backed by two sites each: "阅读原文"/"点击查看原文" link texts,
    /// the Korean "원문:" label, the Spanish "la versión original de este … en".
    #[test]
    fn original_cues_in_more_languages() {
        let one = |url: &str| vec![url.to_owned()];
        let got = |text: &str| urls(text).into_iter().map(|(u, _)| u).collect::<Vec<_>>();
        assert_eq!(
            got("[点击查看原文](https://example.org/posts/pinning)"),
            one("https://example.org/posts/pinning")
        );
        assert_eq!(
            got("译文完。[阅读原文](https://example.org/copy.html)"),
            one("https://example.org/copy.html")
        );
        assert_eq!(
            got("원문: [Golang Internals](https://example.org/golang-part-1)"),
            one("https://example.org/golang-part-1")
        );
        assert_eq!(
            got(
                "La versión original de este post se puede encontrar en [El Blog](https://example.org/blog/toxic-work) (inglés)."
            ),
            one("https://example.org/blog/toxic-work")
        );
        assert!(got("Ver la [documentación](https://example.org/docs/setup) para más.").is_empty());
    }

    #[test]
    fn cue_before_the_link() {
        let src =
            "This article originally appeared on [The Atlantic](https://www.theatlantic.com/a/b/).";
        assert_eq!(
            urls(src),
            vec![(
                "https://www.theatlantic.com/a/b/".to_owned(),
                "[The Atlantic](https://www.theatlantic.com/a/b/)".to_owned()
            )]
        );
        assert_eq!(
            urls("原文地址：[Build an app](https://opensource.com/article/18/2/x)").len(),
            1
        );
    }

    /// Issue 16's source-link classes: a translated work named before its link (a translator's
    /// link after "by" is not it), the Korean object-verb order, "the original" as the subject.
    #[test]
    fn translated_work_and_original_as_subject() {
        let got = |src: &str| -> Vec<String> { urls(src).into_iter().map(|u| u.0).collect() };
        assert_eq!(
            got(
                "Essa é uma tradução do artigo “[The Long Zoom](https://example.org/2006/10/08/zoom)”."
            ),
            ["https://example.org/2006/10/08/zoom"]
        );
        assert!(
            got("Essa é uma tradução do artigo “The Long Zoom”, feita por [Ana](https://example.net/ana-souza).")
                .is_empty()
        );
        assert_eq!(
            got(
                "Этот топик является переводом с сайта - [https://example.org/p/60-ways](https://example.org/p/60-ways)"
            ),
            ["https://example.org/p/60-ways"]
        );
        assert!(
            got("In his [book](https://example.org/lib/1909_158.html) (not translated from the Russian), he…")
                .is_empty()
        );
        assert_eq!(
            got(
                "이 글은 [Structuring Applications](https://example.org/p/structuring-apps)을 번역한 글입니다."
            ),
            ["https://example.org/p/structuring-apps"]
        );
        assert_eq!(
            got(
                "Оригинал статьи доступен по адресу [bryce.is](https://example.org/writing/3-go-gotchas.html)."
            ),
            ["https://example.org/writing/3-go-gotchas.html"]
        );
        assert_eq!(
            got(
                "번역된 문서는 저장소에 있으며 원본은 [여기](https://example.org/cookpad/styleguide)에서 찾아볼 수 있습니다."
            ),
            ["https://example.org/cookpad/styleguide"]
        );
        // "the original" far from the link, or not its subject, names nothing.
        assert!(
            got("원문에 대한 의견을 남기고자 한다면, [이슈를 작성](https://example.org/semver/semver/issues)해 주기 바란다.")
                .is_empty()
        );
    }

    /// A wrapped link is judged and reported by what it wraps.
    #[test]
    fn archived_and_tracked_links_are_judged_by_their_target() {
        let got = |src: &str| -> Vec<String> { urls(src).into_iter().map(|u| u.0).collect() };
        assert_eq!(
            got(
                "Originally published at [Example](https://web.archive.org/web/2019/https://example.org/2019/post)."
            ),
            ["https://example.org/2019/post"]
        );
        // The home page with a campaign tag is still the home page.
        assert!(
            got("Originally published at [Aeon](https://example.org?utm_campaign=republished)")
                .is_empty()
        );
    }

    #[test]
    fn link_text_and_sentence_cues() {
        let src = "This is republished from [The Conversation](http://theconversation.com) under a licence. Read the [original article](https://theconversation.com/x-124869).";
        let got: Vec<String> = urls(src).into_iter().map(|u| u.0).collect();
        // The homepage link is not a source; the original article is.
        assert_eq!(got, ["https://theconversation.com/x-124869"]);
        let src = "This [article](https://a.substack.com/p/educating) is from Annie's Substack.";
        assert_eq!(urls(src).len(), 1);
    }

    #[test]
    fn ordinary_links_and_licenses_are_not_sources() {
        assert!(urls("See [the docs](https://example.org/docs/guide) for more.").is_empty());
        assert!(
            urls("Source: [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)").is_empty()
        );
        assert!(urls("Originally on [my blog](http://blog.csdn.net/haoel)").is_empty());
    }

    #[test]
    fn bare_urls_after_cues() {
        let src = "[#]: via: (https://writing.kemitchell.com/2016/09/21/MIT.html)";
        let doc = Document {
            blocks: vec![Block::verbatim(src, Span::new(0, src.len()), Context::Body)],
            ..Document::default()
        };
        let found = detect(&doc);
        assert_eq!(found.len(), 1);
        let span = found[0].evidence.span;
        assert_eq!(
            &src[span.start..span.end],
            "https://writing.kemitchell.com/2016/09/21/MIT.html"
        );
        let plain = "See https://example.org/a/b for details";
        let doc = Document {
            blocks: vec![Block::verbatim(
                plain,
                Span::new(0, plain.len()),
                Context::Body,
            )],
            ..Document::default()
        };
        assert!(detect(&doc).is_empty());
    }

    /// Texts ending in each kind of cue: the exact pattern matches them all, so both filters
    /// in front of it must too.
    #[test]
    fn cue_filters_pass_every_cue() {
        let cued = [
            "This article was originally published at ",
            "It first appeared on: ",
            "This appeared first at",
            "Republished from ",
            "Read the original story here ",
            "Read the full essay at ",
            "Sources: ",
            "Photo via ",
            "Original post — (",
            "原文地址：",
            "原帖的地址在",
            "来源：《",
            "fuente:",
            "Publicado originalmente en ",
            "Originalartikel: ",
            "Zuerst erschienen bei ",
            "Artículo original en El País: ",
            "Article d’origine ",
            "Оригинал: ",
            "Based on a work at ",
            "Basierend auf einer Arbeit unter ",
            "ſource: ",
            "原文地址(原作者:CloudSploit)：",
            "原文網址 (Translated from)：",
        ];
        for text in cued {
            assert!(CUE_BEFORE.is_match(text), "{text:?}");
            assert!(CUE_BEFORE_LOOSE.is_match(text), "{text:?}");
            assert!(cued_before(text), "{text:?}");
        }
        // The loose pattern has no word boundaries; the exact one still decides.
        assert!(CUE_BEFORE_LOOSE.is_match("See the resources: "));
        assert!(!cued_before("See the resources: "));
        assert!(!cued_before("The original was published on Monday, see "));
        assert!(!cued_before("Read the article by "));
    }

    /// The allocation-free URL checks decide as the shared helpers do.
    #[test]
    fn url_checks_agree_with_the_shared_helpers() {
        let urls = [
            "https://www.theatlantic.com/a/b/",
            "  HTTPS://WWW.Example.COM/a/b?x=1  ",
            "http://user@www.site.org:8080/p/q",
            "https://creativecommons.org/licenses/by/4.0/",
            "https://Foo.CreativeCommons.ORG/x/y",
            "https://xcreativecommons.org/x/y",
            "http://localhost/a/b",
            "//site.org/a/b",
            "ftp://site.org/a/b",
            "https://www./a",
            "https://é.org/a/b",
            "http://blog.csdn.net/haoel",
            "http://blog.csdn.net/haoel#top",
            "https://medium.com/@someone",
            "https://site.org/a-b",
            "https://site.org//x",
            "",
        ];
        for url in urls {
            let want = host(url.trim()).filter(|_| is_http_url(url));
            assert_eq!(http_host(url).map(str::to_ascii_lowercase), want, "{url:?}");
            assert_eq!(
                path_segments(url).collect::<Vec<_>>(),
                crate::detect::text::path_segments(url),
                "{url:?}"
            );
            assert_eq!(
                http_host(url).is_some_and(is_creative_commons_host),
                is_http_url(url) && crate::detect::text::is_creative_commons(url),
                "{url:?}"
            );
        }
        assert_eq!(
            http_host("  HTTPS://WWW.Example.COM/a"),
            Some("Example.COM")
        );
        assert!(candidate_url("https://www.theatlantic.com/a/b/"));
        assert!(!candidate_url("https://Foo.CreativeCommons.ORG/x/y"));
        assert!(candidate_url("https://xcreativecommons.org/x/y"));
        assert!(!candidate_url("http://blog.csdn.net/haoel"));
        assert!(!candidate_url("https://site.org/"));
        assert!(candidate_url("https://site.org/a-b"));
        // A one-word slug is an article; account roots, sections and author/tag indexes are not.
        assert!(candidate_url("https://itsfoss.com/hydrapaper/"));
        assert!(!candidate_url("https://github.com/someone"));
        assert!(!candidate_url("https://site.org/~someone/"));
        assert!(!candidate_url("https://site.org/About/"));
        assert!(!candidate_url("https://site.org/author/jane-doe/"));
        assert!(candidate_url("https://site.org/2024/jane-doe/"));
    }

    #[test]
    fn loosening_widens_each_piece() {
        assert_eq!(
            loosened(r"(?i)\bvia\s+\w+[^\s:]{1,30}\s*$"),
            r"(?i)via\s+\S+[^\s:]+\s*$"
        );
        let loose = loosened(CUE_BEFORE_PATTERN);
        assert!(!loose.contains(r"\b") && !loose.contains(r"\w") && !loose.contains("{1,30}"));
    }

    /// The bounds as first written, with `str::rfind`/`find` per stop.
    fn sentence_around_by_find(text: &str, start: usize, end: usize) -> (&str, &str) {
        const STOPS: [char; 5] = ['。', '!', '?', '！', '？'];
        let start = floor_boundary(text, start);
        let end = floor_boundary(text, end.max(start));
        let window_start = floor_boundary(text, start.saturating_sub(200));
        let head = &text[window_start..start];
        let from = [
            head.rfind(STOPS)
                .map(|i| i + head[i..].chars().next().map_or(1, char::len_utf8)),
            head.rfind(". ").map(|i| i + 2),
            head.rfind("\n\n").map(|i| i + 2),
        ]
        .into_iter()
        .flatten()
        .max()
        .map_or(window_start, |i| window_start + i);
        let window_end = floor_boundary(text, (end + 200).min(text.len()));
        let tail = &text[end..window_end];
        let to = [tail.find(STOPS), tail.find(". "), tail.find("\n\n")]
            .into_iter()
            .flatten()
            .min()
            .map_or(window_end, |i| end + i);
        (&text[from..start], &text[from..to])
    }

    #[test]
    fn sentence_bounds_are_the_first_versions() {
        let texts = [
            "One. Two! Three? 四。五！六？ seven.\n\n\neight. . nine..  ten\n\n",
            "a\n\n\nb x c.\n\nd ! ? 。。 ！？. \n",
            "No stops at all in this one, just words and café and ünïcödé",
            "",
        ];
        let long = format!("{} 。x. {}", "word é. ".repeat(40), "tail! ".repeat(40));
        for text in texts.iter().copied().chain([long.as_str()]) {
            for start in 0..=text.len() + 2 {
                for end in [start, start + 1, start + 3, start + 7] {
                    assert_eq!(
                        sentence_around(text, start, end),
                        sentence_around_by_find(text, start, end),
                        "{text:?} {start} {end}"
                    );
                }
            }
        }
    }

    #[test]
    fn sentence_bounds() {
        let text = "First one. Second 原文：x here! Third";
        let at = text.find('x').unwrap();
        assert_eq!(
            sentence_around(text, at, at + 1),
            ("Second 原文：", "Second 原文：x here")
        );
        let text = "一句。二句 x 三\n\n四";
        let at = text.find('x').unwrap();
        assert_eq!(sentence_around(text, at, at + 1), ("二句 ", "二句 x 三"));
        let text = "end? ok！ then x and？ more";
        let at = text.find('x').unwrap();
        assert_eq!(sentence_around(text, at, at + 1), (" then ", " then x and"));
        let text = "a\n\n\nb x c.\n\nd";
        let at = text.find('x').unwrap();
        assert_eq!(sentence_around(text, at, at + 1), ("b ", "b x c."));
        let text = "No stop. here\nline x";
        let at = text.find('x').unwrap();
        assert_eq!(
            sentence_around(text, at, at),
            ("here\nline ", "here\nline x")
        );
        let long = format!("{}x", "é".repeat(150));
        let at = long.len() - 1;
        let (before, sentence) = sentence_around(&long, at, at + 1);
        assert_eq!((before.len(), sentence.len()), (200, 201));
    }

    fn meta(key: &str, value: &str, origin: MetaOrigin) -> Meta {
        Meta {
            key: key.into(),
            value: value.into(),
            span: Span::new(3, 3 + value.len()),
            origin,
        }
    }

    #[test]
    fn front_matter_needs_a_url() {
        let doc = Document {
            meta: vec![
                meta(
                    "originalurl",
                    "https://freecodecamp.org/news/how-x",
                    MetaOrigin::FrontMatter,
                ),
                meta("original", "some-slug", MetaOrigin::FrontMatter),
            ],
            ..Document::default()
        };
        let found = detect(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].url, "https://freecodecamp.org/news/how-x");
        assert_eq!(found[0].evidence.kind, EvidenceKind::FrontMatter);
    }

    #[test]
    fn canonical_counts_only_across_sites() {
        let mut doc = Document {
            meta: vec![meta(
                "canonical",
                "https://orig.example.com/story/1",
                MetaOrigin::LinkRel,
            )],
            ..Document::default()
        };
        // No evidence of the page's own host: not counted.
        assert!(detect(&doc).is_empty());
        for i in 0..3 {
            doc.links.push(link(
                "nav",
                &format!("https://www.repost.org/p/{i}"),
                Span::new(100 + i, 101 + i),
            ));
        }
        assert_eq!(detect(&doc).len(), 1);
        doc.meta[0].value = "https://repost.org/story/1".into();
        assert!(detect(&doc).is_empty());
    }

    /// A saved archive copy links its own site through the archive: those links tell the
    /// page's own host, and a canonical behind a wrapper is judged by what it wraps.
    #[test]
    fn archived_links_count_for_the_site_they_archive() {
        let mut doc = Document {
            meta: vec![meta(
                "canonical",
                "https://repost.org/story/1",
                MetaOrigin::LinkRel,
            )],
            ..Document::default()
        };
        for i in 0..3 {
            doc.links.push(link(
                "nav",
                &format!("https://web.archive.org/web/2019/https://repost.org/p/{i}"),
                Span::new(100 + i, 101 + i),
            ));
        }
        // The page's own canonical, not a source.
        assert!(detect(&doc).is_empty());
        doc.meta[0].value =
            "https://web.archive.org/web/2019/https://orig.example.com/story/1".into();
        let found = detect(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].url, "https://orig.example.com/story/1");
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
}
