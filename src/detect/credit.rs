//! Credits and bylines: names with roles (author, translator, photographer, publisher), and the
//! original's title.
//!
//! Credits come from prose patterns ("By X" at a line start, "Author: X", "作者：X", "Traduit
//! par X", "Photo: X", "originally published on X") and from metadata (front matter `author`,
//! `<meta name=author>`, JSON-LD `author.name`, RDFa `cc:attributionName`). A captured name is
//! cleaned (cut at the first clause word or punctuation, lists split) and must look like a name:
//! a few capitalised words, a handle, a domain (publishers only) or a short CJK run. This module
//! does not decide whether the credited person is the original author or the reposter.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, Context, Document, Link, Meta, MetaOrigin};
use crate::rules::cues::Family;
use crate::source::Span;

use super::cue;
use super::gated::{Gated, Gates};
use super::text::{block_evidence, floor_boundary};
use super::{Credit, Evidence, EvidenceKind, Role};

/// One prose pattern: a regex with a `name` group and the role it credits.
struct Pattern {
    re: Gated,
    /// For a pattern ending in [`NAME`]: the pattern with the name cut to its first character
    /// and no group, whose matches say as much (see [`line_end_hits`]).
    short: Option<Gated>,
    role: Role,
    /// The pattern is a byline that must open a line of its own (HTML source line breaks
    /// inside a sentence do not count).
    line_start: bool,
    /// The pattern ends in an explicit label ("Author:", "原文作者 :"): what follows is a name
    /// even as a lowercase handle (CC allows pseudonyms).
    labelled: bool,
}

fn pattern(re: &str, role: Role) -> Pattern {
    Pattern {
        re: Gated::new(re),
        short: re
            .strip_suffix(NAME)
            .map(|head| Gated::new(&format!(r"{head}[^\n]"))),
        role,
        line_start: re.starts_with(LEAD),
        labelled: false,
    }
}

/// One match of a prose pattern: where it starts and where its name starts and ends.
type Hit = (usize, usize, usize);

/// The matches of `p` in `text`, as `captures_iter` of its pattern finds them.
fn hits(p: &Pattern, text: &str) -> Vec<Hit> {
    if let Some(short) = &p.short
        && let Some(hits) = line_end_hits(short, text)
    {
        return hits;
    }
    p.re.captures_iter(text)
        .filter_map(|caps| {
            let (whole, name) = (caps.get(0)?, caps.name("name")?);
            Some((whole.start(), name.start(), name.end()))
        })
        .collect()
}

/// The matches of `head(?P<name>[^\n]+)` in `text`, from those of `short`, `head[^\n]`
/// (`None` in the rare case where they do not tell).
///
/// Both start where `head` matches before a character other than a line break, with the same
/// `head` (leftmost-first takes the first way through `head` that its tail lets finish, and
/// either tail finishes exactly when such a character follows). The name then runs from that
/// character to the end of the line, and the next match is searched from there: a match of
/// `short` starting before that is skipped. Searching it from an earlier point finds the same
/// next match, unless a skipped match reaches past the line break (`head` may match line
/// breaks) and so hides matches starting under it: then `None`. Without a group, `short`
/// needs no capture search over the whole name run.
fn line_end_hits(short: &Gated, text: &str) -> Option<Vec<Hit>> {
    let mut out = Vec::new();
    let mut resume = 0;
    for m in short.find_iter(text) {
        if m.start() < resume {
            if m.end() > resume {
                return None;
            }
            continue;
        }
        let last = text.get(..m.end())?.chars().next_back()?;
        let name_start = m.end() - last.len_utf8();
        let line_end = memchr::memchr(b'\n', text.get(name_start..)?.as_bytes())
            .map_or(text.len(), |i| name_start + i);
        out.push((m.start(), name_start, line_end));
        resume = line_end;
    }
    Some(out)
}

/// A pattern ending in a name run: `head` followed by [`NAME`].
fn named(head: &str) -> String {
    format!("{head}{NAME}")
}

/// The name run that ends most patterns: the rest of the line (cleaned by `split_names`).
/// A gate needs only its first character, and a shorter gate match is cheaper to locate.
const NAME: &str = r"(?P<name>[^\n]+)";

/// Leading decoration a byline line may carry (`> `, `* `, `_`, `- `).
const LEAD: &str = r"(?m)^[\s>*_\-•·|#]*";

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        // Translators first (cue family `translator-label`): "Translated by X" must not also
        // read as a "by X" byline. Labelled: translators sign with handles as often as authors
        // do ("译者：[alswl]", "译者：[1-st]").
        Pattern {
            labelled: true,
            ..pattern(
                &named(&format!(
                    r"(?i)(?:{})\s*",
                    cue::alternation(Family::TranslatorLabel)
                )),
                Role::Translator,
            )
        },
        pattern(
            r"(?:本文|此文|全文|文章)由\s*(?P<name>[^\s，。,（(]{1,12}?)\s*翻译",
            Role::Translator,
        ),
        pattern(
            &format!(
                r"{LEAD}(?i:(?:written|posted|article|story|words|text|edited|compiled(?:\s+and\s+edited)?)\s+)?(?i:by)\s*:?\s+{NAME}"
            ),
            Role::Author,
        ),
        pattern(
            &format!(
                r"{LEAD}(?:(?i:escrito|escrita|écrit|écrite|geschrieben|scritto|texto|texte|text)\s+(?i:par|por|von|di|door)|Par|Por|Von|Di|Door)\s+{NAME}"
            ),
            Role::Author,
        ),
        Pattern {
            labelled: true,
            ..pattern(
                // Cue family `author-label`.
                &named(&format!(
                    r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:{})\s*[:：]\s*",
                    cue::alternation(Family::AuthorLabel)
                )),
                Role::Author,
            )
        },
        pattern(
            &named(
                r"(?i)\b(?:written|article|story|post|essay|piece|column|edited|compiled(?:\s+and\s+edited)?)\s+by\s*:?\s+",
            ),
            Role::Author,
        ),
        // Korean names the author with a noun before the name and a particle after it, without
        // a colon: "저자 Lazar Nikolov은 …", "원저자인 SemkoDev의 허락을 받고". The particle
        // closes a Latin-script name the way a line end closes a labelled one. The noun as a
        // topic ("저자는 Marrick의 과수원을 …", the author … Marrick's orchard) names no one.
        pattern(
            r"(?:^|[^\p{L}])(?:원저자|원작자|저자)인?\s+(?P<name>\p{Lu}[\p{Latin}.'’-]*(?:\s+\p{Lu}[\p{Latin}.'’-]*){0,3})\s*(?:은|는|이|가|의|씨|님)",
            Role::Author,
        ),
        // CC's recommended TASL credit, `"Title" by Author is licensed under …` (Creative
        // Commons, "Recommended practices for attribution"), as `ccguard attribution` writes it.
        // Anchored on the title's closing quote and "by": a pattern that starts at the opening
        // quote is tried at every quotation mark of a post.
        pattern(&named(r#"["”]\s+by\s+"#), Role::Author),
        pattern(
            r"(?:转自|译自|翻译自|转载自)\s*(?P<name>[^\s的（(《，,。:：]{1,30}(?:\s[^\s的（(《，,。]{1,20}){0,3})\s*(?:的|（|\()",
            Role::Author,
        ),
        pattern(
            // Cue family `image-credit`.
            &named(&format!(
                r"(?i)(?:^|[\s(（\[_*|])(?:{})\s*(?:by\s+|[:：]\s*)",
                cue::alternation(Family::ImageCredit)
            )),
            Role::Photographer,
        ),
        pattern(
            r"(?i)(?:^|[\s(（\[_*|])(?:source|fuente|quelle)\s*[:：]\s*(?P<name>(?:Getty|Shutterstock|AP Photo|Reuters|AFP|Flickr|Wikimedia|Unsplash|Pexels|iStock|Pixabay|EPA|Alamy)[^\n]*)",
            Role::Photographer,
        ),
        pattern(
            // Cue family `first-published`.
            &named(&format!(
                r"(?i)(?:{})\s+(?:by|on|in|at|from|en|sur|dans|bei|auf|im)\s+(?:the\s+website\s+)?",
                cue::alternation(Family::FirstPublished)
            )),
            Role::Publisher,
        ),
    ]
});

/// Words that end a name: what follows is a clause, not part of the name.
const CUT_WORDS: &[&str] = &[
    " on ",
    " at ",
    " in ",
    " for ",
    " under ",
    " was ",
    " were ",
    " is ",
    " who ",
    " from ",
    " via ",
    " with ",
    " originally",
    " appeared",
    " has ",
    " have ",
    " writes",
    " says",
    " and his",
    " and her",
    " | ",
    " – ",
    " — ",
    " - ",
    " el ",
    " le ",
    " am ",
    " le ",
];

/// The longest of [`CUT_WORDS`], in bytes.
const MAX_CUT_WORD_LEN: usize = 11;

/// Where the first of [`CUT_WORDS`] starts in `text` (the least of their first occurrences).
/// Every cut word starts with a space: only spaces are tried, not 28 substring searches (each
/// of which set up its own searcher).
fn first_cut_word(text: &str) -> Option<usize> {
    memchr::memchr_iter(b' ', text.as_bytes()).find(|&i| {
        text.get(i..)
            .is_some_and(|rest| CUT_WORDS.iter().any(|w| rest.starts_with(w)))
    })
}

/// Where the first of [`CUT_CHARS`] is in `raw` (as `raw.find(CUT_CHARS)`, without testing
/// every character against the list: ASCII bytes go through a table).
fn first_cut_char(raw: &str) -> Option<usize> {
    const ASCII_CUTS: [bool; 128] = {
        let mut table = [false; 128];
        let mut k = 0;
        while k < CUT_CHARS.len() {
            let c = CUT_CHARS[k] as u32;
            if c < 128 {
                table[c as usize] = true;
            }
            k += 1;
        }
        table
    };
    let bytes = raw.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            if ASCII_CUTS[usize::from(b)] {
                return Some(at);
            }
            at += 1;
            continue;
        }
        let c = raw.get(at..).and_then(|rest| rest.chars().next())?;
        if CUT_CHARS.contains(&c) {
            return Some(at);
        }
        at += c.len_utf8();
    }
    None
}

/// Characters that end a name.
const CUT_CHARS: &[char] = &[
    '\n', '(', '（', '[', ']', '<', ';', '，', '。', '；', '：', ':', '!', '?', '•', '·', '|', '"',
    '“', '”', '«', '»', '《', '》', '【', '—', '–', '/',
];

/// Words that can appear lowercase inside a Latin name.
const PARTICLES: &[&str] = &[
    "de", "da", "del", "der", "den", "van", "von", "la", "le", "du", "dos", "das", "di", "bin",
    "al", "y", "e", "ter", "zu",
];

/// Capitalised words that follow "By"/"Par" but are not names.
const NOT_NAMES: &[&str] = &[
    "the",
    "default",
    "far",
    "contrast",
    "comparison",
    "design",
    "definition",
    "nature",
    "email",
    "date",
    "category",
    "tag",
    "tags",
    "topic",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "our",
    "your",
    "his",
    "her",
    "their",
    "using",
    "clicking",
    "submitting",
    "continuing",
    "signing",
    "now",
    "then",
    "way",
    "means",
    "all",
    "any",
    "some",
    "qué",
    "que",
    "lo",
    "favor",
    "ejemplo",
    "exemple",
    "example",
    "ici",
    "hand",
    "law",
    "name",
    "admin",
    "year",
    "month",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "rank",
    "popularity",
    "relevance",
    "newest",
    "oldest",
    "a",
    "an",
    "one",
    "two",
    "three",
];

/// Job titles, degrees and interface words: a "name" holding one is not a name.
const TITLE_WORDS: &[&str] = &[
    "engineer",
    "editor",
    "staff",
    "technologist",
    "correspondent",
    "writer",
    "reporter",
    "professor",
    "ma",
    "md",
    "phd",
    "ph.d",
    "contributor",
    "columnist",
    "director",
    "manager",
    "log",
    "login",
    "read",
    "article",
    "older",
    "newer",
    "social",
    "search",
    "menu",
    "home",
    "share",
    "subscribe",
    "sign",
    "next",
    "previous",
    "more",
    "comments",
    "privacy",
];

/// Every credit in the document, in source order, without repeats of the same name and role.
///
/// Metadata authors that are the site's own posting account (the name of a same-site
/// `<a rel="author">` byline, as WordPress themes print it) are the reposter, not a credit.
pub fn detect(doc: &Document) -> Vec<Credit> {
    let scan = super::gate_scan(doc);
    detect_in(doc, scan.part(super::Part::Credit))
}

/// [`detect`], given where the prose patterns' [`gates`] match in the post.
pub(crate) fn detect_in(doc: &Document, gates: Gates) -> Vec<Credit> {
    let mut credits: Vec<Credit> = prose_credits(gates);
    // A name a prose pattern already read ("originally published by\nThe Outlet") keeps the
    // role that pattern gave it.
    let split: Vec<Credit> = split_bylines(doc)
        .into_iter()
        .filter(|c| {
            !credits.iter().any(|p| {
                p.evidence.span.start < c.evidence.span.end
                    && c.evidence.span.start < p.evidence.span.end
            })
        })
        .collect();
    credits.extend(split);
    credits.extend(title_byline(doc));
    credits.extend(doc.links.iter().filter_map(attribution_link));
    let posters = poster_accounts(doc);
    credits.extend(
        doc.meta
            .iter()
            .filter_map(meta_credit)
            .filter(|c| !posters.contains(&c.name.to_lowercase())),
    );
    credits.sort_by_key(|c| (c.evidence.span.start, c.evidence.span.end));
    let mut seen: Vec<(String, Role)> = Vec::new();
    credits.retain(|c| {
        let key = (c.name.to_lowercase(), c.role);
        let fresh = !seen.contains(&key);
        if fresh {
            seen.push(key);
        }
        fresh
    });
    credits
}

/// In a translation, a page-level author (front matter, `<meta name=author>`, JSON-LD, RDFa)
/// who is also named as the translator, or who holds the site's own copyright line ("© 2025
/// Jaenam Jung" in the footer), is the translator: blog themes print the site owner as every
/// page's author, and the owner of a translation's page is whoever translated it. Such credits
/// become translator credits (dropped where the translator is already credited).
///
/// A byline in the text whose name is the site's own account (the text of a link to an author
/// page on the page's own site, as Hugo and WordPress themes print "Posted by X") is the
/// translator's in the same way.
pub fn retag_page_translators(credits: &mut Vec<Credit>, doc: &Document) {
    let accounts = if credits
        .iter()
        .any(|c| c.role == Role::Author && c.evidence.kind == EvidenceKind::Text)
    {
        site_accounts(doc)
    } else {
        Vec::new()
    };
    let page_level = |c: &Credit| {
        c.role == Role::Author
            && (matches!(
                c.evidence.kind,
                EvidenceKind::FrontMatter
                    | EvidenceKind::Meta
                    | EvidenceKind::JsonLd
                    | EvidenceKind::Rdfa
            ) || (c.evidence.kind == EvidenceKind::Text
                && accounts.contains(&name_key(&c.name))))
    };
    if !credits.iter().any(page_level) {
        return;
    }
    let translators: Vec<String> = credits
        .iter()
        .filter(|c| c.role == Role::Translator)
        .map(|c| name_key(&c.name))
        .collect();
    let owner_lines: Vec<String> = doc
        .blocks
        .iter()
        .filter(|b| b.context == Context::Chrome)
        .map(|b| b.text.to_lowercase())
        .filter(|t| t.contains('©') || t.contains("copyright"))
        .collect();
    let mut credited = translators.clone();
    credits.retain_mut(|c| {
        if !page_level(c) {
            return true;
        }
        let key = name_key(&c.name);
        let owner = key.chars().count() >= 2 && owner_lines.iter().any(|l| l.contains(&key));
        if !(owner || translators.contains(&key) || accounts.contains(&key)) {
            return true;
        }
        if credited.contains(&key) {
            return false;
        }
        credited.push(key);
        c.role = Role::Translator;
        true
    });
}

/// Names of the site's own accounts (as [`name_key`]s): texts of `rel=author` links and links to
/// an author page (`/author/…`, `/authors/…`) that are relative or on a host a third of the
/// page's chrome links point to.
pub(crate) fn site_accounts(doc: &Document) -> Vec<String> {
    let own = own_hosts(doc);
    doc.links
        .iter()
        .filter(|l| {
            let path = l.href.split(['?', '#']).next().unwrap_or("");
            let own_site =
                super::host(&l.href).map_or(!l.href.contains("://"), |h| own.contains(&h));
            // `rel=author` names the author of this page (HTML), which a translation's
            // translator is.
            own_site
                && (l.rel.iter().any(|r| r == "author")
                    || path.contains("/author/")
                    || path.contains("/authors/")
                    || person_page(path))
        })
        .map(|l| name_key(&l.text))
        .filter(|t| !t.is_empty())
        .collect()
}

/// True when `path` (a link's, without query; relative or absolute) leads to a person's page
/// ([`person_segments`]): `/people/steven-mufson` on washingtonpost.com, `/profile/338123` on
/// royalroad.com, `/profile/eleanor-ainge-roy` on theguardian.com.
fn person_page(path: &str) -> bool {
    let rest = path.split_once("://").map_or(path, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, path)| path)
    });
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    person_segments(&segments)
}

/// Whether a path's segments name a person's page on any site: an `@handle` first segment, or
/// a last segment under one of [`PROFILE_SEGMENTS`].
fn person_segments(segments: &[&str]) -> bool {
    match segments {
        [first, ..] if first.len() > 1 && first.starts_with('@') => true,
        [.., label, _] => PROFILE_SEGMENTS
            .iter()
            .any(|w| label.eq_ignore_ascii_case(w)),
        _ => false,
    }
}

/// The site's own hosts: those a third of the page's chrome links (at least three) point to.
fn own_hosts(doc: &Document) -> Vec<String> {
    // The site's own host is read from its chrome (navigation, header, footer): a repost's text
    // links the original's site as often as not (its images, its author page).
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for h in doc
        .links
        .iter()
        .filter(|l| l.context == Context::Chrome)
        .filter_map(|l| super::host(&l.href))
    {
        *counts.entry(h).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    counts
        .into_iter()
        .filter(|&(_, n)| n >= 3 && n * 3 >= total)
        .map(|(h, _)| h)
        .collect()
}

/// After the link to the original: closing quotes, then a comma and the rest of the line.
static AFTER_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^[»«"”」》'’]*\s*[,，]\s*(?P<name>[^\n]+)"#).expect("valid regex")
});

/// Before the link to the original: a name and a possessive particle ("Minko Gechev 씨의 ",
/// "Todd Wei 的《"), with an opening quote. English "X's [report](…)" is left out: in English
/// prose it is as often a thing's ("the Green New Deal's [mandate](…)").
static BEFORE_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[^\p{Latin}\p{N}.'’-])(?P<name>\p{Lu}[\p{L}.'’-]*(?:\s+[\p{L}.'’-]+){0,3}?)\s*(?:씨의|님의|의|的|の)\s*[«"“「《]?$"#)
        .expect("valid regex")
});

/// Names right beside a link to the original (`sources`, their spans), in the post's text: in
/// apposition after it ("Перевод статьи «[Unimaginative naysaying…](…)», Paul Chiusano") or
/// as its owner before it ("Minko Gechev 씨의 [AngularJS Style Guide](…)"). Where a notice names
/// the original by its linked title, the author's name sits at the title's side.
fn beside_sources(doc: &Document, sources: &[Span]) -> Vec<Credit> {
    // Every link to the original counts, not only the one the source detector cites ("[the
    // guide](…)" in the notice and "[here](…)" at its end).
    let mut source_starts: Vec<usize> = sources.iter().map(|s| s.start).collect();
    source_starts.sort_unstable();
    let hrefs: std::collections::HashSet<&str> = doc
        .links
        .iter()
        .filter(|l| {
            let span = Span::new(l.span.start, l.span.end.max(l.span.start + 1));
            !in_range(&source_starts, |&s| s, span).is_empty()
        })
        .map(|l| l.href.as_str())
        .collect();
    if hrefs.is_empty() {
        return Vec::new();
    }
    let mut blocks: Vec<&Block> = doc.blocks.iter().collect();
    blocks.sort_by_key(|b| b.span.start);
    let mut out = Vec::new();
    for link in doc.links.iter().filter(|l| {
        matches!(l.context, Context::Body | Context::Blockquote) && hrefs.contains(l.href.as_str())
    }) {
        let at = blocks.partition_point(|b| b.span.start <= link.span.start);
        let Some(block) = at
            .checked_sub(1)
            .and_then(|i| blocks.get(i))
            .filter(|b| link.span.start < b.span.end)
        else {
            continue;
        };
        let label = link.text.trim();
        let Some(from) = block.text_offset(link.span.start) else {
            continue;
        };
        // The link's text starts where its markup ends: a short way on, never the whole block.
        let window = floor_boundary(&block.text, from + label.len() + 256);
        let Some(at) = block
            .text
            .get(from..window)
            .and_then(|t| t.find(label))
            .map(|i| from + i)
        else {
            continue;
        };
        if label.is_empty() {
            continue;
        }
        let after = at + label.len();
        // A name closing the line ends within a short reach: a line running on past it is a
        // sentence, and is not read to its end for every link in it.
        let reach = floor_boundary(&block.text, after + 256);
        let tail = block.text.get(after..reach).unwrap_or_default();
        let closes = reach == block.text.len() || tail.contains('\n');
        if closes
            && let Some(caps) = AFTER_SOURCE.captures(tail)
            && let Some(name) = caps.name("name")
            // A CJK run after a comma goes on with the sentence ("，翻译成中文就是").
            && !name.as_str().trim_start().starts_with(is_cjk)
            && let Some(&(s, e)) = split_names(name.as_str(), Role::Author).first()
            // The name closes the notice's line: "…», Paul Chiusano", but not a list going on
            // ("[Wikimedia Commons](…), Public Domain; …", "[KTRK-TV](…), Austin:").
            && name.as_str()[e..].trim_end().trim_end_matches(['.', '。']).is_empty()
        {
            let start = after + name.start() + s;
            out.push(credit_at(block, start, after + name.start() + e));
        }
        let before = floor_boundary(&block.text, at);
        let head_from = floor_boundary(&block.text, before.saturating_sub(80));
        if let Some(caps) = block
            .text
            .get(head_from..before)
            .and_then(|t| BEFORE_SOURCE.captures(t))
            && let Some(name) = caps.name("name")
            && looks_like_name(name.as_str(), Role::Author)
        {
            let start = head_from + name.start();
            out.push(credit_at(block, start, start + name.len()));
        }
    }
    out
}

/// An author credit for the byte range `start..end` of a block's text.
fn credit_at(block: &Block, start: usize, end: usize) -> Credit {
    let evidence = block_evidence(block, start, end, EvidenceKind::Text);
    Credit {
        name: evidence.text.clone(),
        role: Role::Author,
        evidence,
    }
}

/// Hosts where a one-segment path is a person's page (`github.com/Darksonn`,
/// `x.com/SebaWitowski`): code forges and microblogs, where one-segment paths are accounts.
const PROFILE_HOSTS: &[&str] = &["github.com", "gitlab.com", "twitter.com", "x.com"];

/// Path segments that lead to a person's page on a publishing site (`/author/dmethvin/`).
const PROFILE_SEGMENTS: &[&str] = &["author", "authors", "user", "users", "people", "profile"];

/// True when `href` is a person's page on another site: an `@handle` path (Medium, Hashnode,
/// Mastodon), an author or user page, or an account on a code forge or microblog. A site's own
/// author pages name its poster (see [`retag_page_translators`]), not the original's author.
fn profile_link(href: &str, own: &[String]) -> bool {
    let Some(host) = super::host(href) else {
        return false;
    };
    if own.contains(&host) {
        return false;
    }
    let segments = super::text::path_segments(href);
    // A profile host's pages are one segment (`github.com/anaruiz`), not a file.
    let host_profile = match segments.as_slice() {
        [one] => PROFILE_HOSTS.contains(&host.as_str()) && !one.contains('.'),
        _ => false,
    };
    host_profile || person_segments(&segments)
}

/// Adds the original author named by a link to their own page in the post's source or
/// translation notice: "原文：《[Actors with tokio]》 by tokio 维护者 [Alice Ryhl](github.com/…)",
/// "La versión original de este post de [Marc van Neerven](medium.com/@…) se puede encontrar en
/// [LinkedIn](…)", "本文根据 <a href=…/author/dmethvin/>Dave Methvin</a> 的《…》所译". A notice
/// block is one holding a source link, a repost signal or a translation disclosure (`notices`,
/// their spans); the first such link in it whose text is a name credits the author, unless a
/// prose pattern already gave that name a role or it follows the translator's credit (a
/// reviewer's link in "traducción por [@a], revisión por [@b]"). Called once the sources and
/// signals are known.
///
/// A name right beside the link to the original, in apposition after it or as its owner before
/// it, credits the author too (see [`beside_sources`]).
pub fn add_notice_credits(
    credits: &mut Vec<Credit>,
    doc: &Document,
    notices: &[Span],
    sources: &[Span],
) {
    let own = own_hosts(doc);
    // Sorted positions, searched per block: a post of thousands of blocks, links and notices
    // is read in one pass over each, not one pass per block.
    let mut notice_starts: Vec<usize> = notices.iter().map(|n| n.start).collect();
    notice_starts.sort_unstable();
    let mut translator_starts: Vec<usize> = credits
        .iter()
        .filter(|c| c.role == Role::Translator)
        .map(|c| c.evidence.span.start)
        .collect();
    translator_starts.sort_unstable();
    let mut links: Vec<&Link> = doc.links.iter().collect();
    links.sort_by_key(|l| l.span.start);
    let taken = Taken::new(credits);
    let mut found = Vec::new();
    for block in doc
        .blocks
        .iter()
        .filter(|b| matches!(b.context, Context::Body | Context::Blockquote))
    {
        if in_range(&notice_starts, |&n| n, block.span).is_empty() {
            continue;
        }
        // In a list of contributors the author comes first: a link after the translator's
        // credit names a later role ("Traducción por [@a], revisión por [@b]").
        let translator_at = in_range(&translator_starts, |&t| t, block.span)
            .first()
            .copied()
            .unwrap_or(usize::MAX);
        // A block's span may end before a link's closing markup (`]`): a link belongs to the
        // block its start is in.
        let credit = in_range(&links, |l| l.span.start, block.span)
            .iter()
            .take_while(|l| l.span.start < translator_at)
            .filter(|l| profile_link(&l.href, &own))
            .find_map(|l| {
                let name = l.text.trim();
                (looks_like_name(name, Role::Author) && !taken.holds(name, l.span)).then(|| {
                    Credit {
                        name: name.to_owned(),
                        role: Role::Author,
                        evidence: Evidence {
                            kind: EvidenceKind::Text,
                            span: l.span,
                            text: name.to_owned(),
                        },
                    }
                })
            });
        found.extend(credit);
    }
    found.extend(beside_sources(doc, sources));
    found.retain(|c| !taken.names.contains(&name_key(&c.name)));
    if found.is_empty() {
        return;
    }
    credits.extend(found);
    credits.sort_by_key(|c| (c.evidence.span.start, c.evidence.span.end));
}

/// The items of `sorted` (ordered by `at`) whose position lies in `span`.
fn in_range<T>(sorted: &[T], at: impl Fn(&T) -> usize, span: Span) -> &[T] {
    let from = sorted.partition_point(|x| at(x) < span.start);
    let to = sorted.partition_point(|x| at(x) < span.end);
    sorted.get(from..to).unwrap_or_default()
}

/// The names and places the credits found so far hold.
struct Taken {
    names: std::collections::HashSet<String>,
    /// Credit spans by start.
    spans: Vec<Span>,
    /// The longest credit span, in bytes: a span overlapping a place starts at most this far
    /// before it.
    longest: usize,
}

impl Taken {
    fn new(credits: &[Credit]) -> Taken {
        let mut spans: Vec<Span> = credits.iter().map(|c| c.evidence.span).collect();
        spans.sort_by_key(|s| s.start);
        Taken {
            names: credits.iter().map(|c| name_key(&c.name)).collect(),
            longest: spans.iter().map(|s| s.end - s.start).max().unwrap_or(0),
            spans,
        }
    }

    /// True when `name` is credited already, or a credit overlaps `span`.
    fn holds(&self, name: &str, span: Span) -> bool {
        let from = self
            .spans
            .partition_point(|s| s.start + self.longest < span.start);
        let near = self.spans.get(from..).unwrap_or_default();
        self.names.contains(&name_key(name))
            || near
                .iter()
                .take_while(|s| s.start < span.end)
                .any(|s| span.start < s.end)
    }
}

/// A name as compared between credits: lowercase, single-spaced, no leading `@`.
fn name_key(name: &str) -> String {
    name.trim()
        .trim_start_matches('@')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A copyright line with its year: "Copyright © 2001, 2006 Eric S. Raymond", "© 2015, Mark
/// Allison.", "(c) 2013-2015 Kyle Simpson"; the group `name` runs to the end of the line.
static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:copyright\s*(?:©|\(c\))?|©|\(c\))\s*\d{4}(?:\s*[-–—,]\s*(?:\d{4}|present))*",
        r"\s*[,，]?\s*(?:by\s+)?(?P<name>[^\n]+)"
    ))
    .expect("valid regex")
});

/// Adds the credits of copyright lines in the post's own text (not the site's chrome, where
/// the line is the site owner's): a repost that copies the original's "© 2015, Mark Allison"
/// names the rights holder, whom CC licenses ask to credit (4.0 §3(a)(1)(A)(i)–(ii)). Names
/// already credited keep their credit; a line naming the translator is the translator's claim
/// on the translation. Called once the repost signals are known: a copyright line alone does
/// not tell whose the post is.
pub fn add_copyright_credits(credits: &mut Vec<Credit>, doc: &Document) {
    let mut found = copyright_credits(doc);
    if found.is_empty() {
        return;
    }
    let known: Vec<String> = credits.iter().map(|c| name_key(&c.name)).collect();
    found.retain(|c| !known.contains(&name_key(&c.name)));
    if found.is_empty() {
        return;
    }
    credits.extend(found);
    credits.sort_by_key(|c| (c.evidence.span.start, c.evidence.span.end));
}

fn copyright_credits(doc: &Document) -> Vec<Credit> {
    let mut out = Vec::new();
    for block in doc.blocks.iter().filter(|b| {
        matches!(
            b.context,
            Context::Body | Context::Blockquote | Context::Caption
        )
    }) {
        if !may_hold_copyright(&block.text) {
            continue;
        }
        for caps in COPYRIGHT.captures_iter(&block.text) {
            let Some(name) = caps.name("name") else {
                continue;
            };
            let role = role_in_context(Role::Author, block.context);
            // The first name of a list: "Eric S. Raymond, Rick Moen" credits its first holder
            // at least, and a list without "and" is not split.
            if let Some(&(s, e)) = split_names(name.as_str(), role).first() {
                let evidence = block_evidence(
                    block,
                    name.start() + s,
                    name.start() + e,
                    EvidenceKind::Text,
                );
                out.push(Credit {
                    name: evidence.text.clone(),
                    role,
                    evidence,
                });
            }
        }
    }
    out
}

/// Whether `text` holds "©", "(c)" or "copyright" in any case, which every [`COPYRIGHT`] match
/// starts with: most blocks hold none, and this byte scan costs far less than a regex search
/// per block.
fn may_hold_copyright(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'c', b'C', 0xC2, bytes).any(|at| {
        let rest = &bytes[at + 1..];
        if bytes[at] == 0xC2 {
            // "©" is C2 A9 in UTF-8.
            return rest.first() == Some(&0xA9);
        }
        let in_parens = at > 0 && bytes[at - 1] == b'(' && rest.first() == Some(&b')');
        in_parens
            || rest
                .get(..8)
                .is_some_and(|word| word.eq_ignore_ascii_case(b"opyright"))
    })
}

/// A credit label that ends a line ("原文作者：", "译者：", "Written on Feb 24 by"), with a
/// group `tr` when it labels a translator.
static LABEL_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[^\p{L}\p{N}])(?:(?P<tr>译者|翻译|訳者|翻訳|translators?|traductor(?:a|es)?|",
        r"traducteur|übersetzer(?:in)?|переводчик)\s*[:：]|(?P<noun>原文作者|原作者|作者|著者|",
        r"筆者|원저자|저자|authors?|autor(?:a|es)?|auteur(?:e|s)?|autore|автор(?:ы)?)\s*[:：]|",
        r"\bby\s*:?)\s*$"
    ))
    .expect("valid regex")
});

/// A byline line ending in "by": "by" alone or after the words the one-line byline pattern
/// accepts before its "by" ("Written on Sep 28 by", "Posted by").
static BY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^[\s>*_\-•·|#]*(?:(?:written|posted|published|article|story|words|text|edited|",
        r"compiled|reported)\b[^\n]{0,30}?)?\bby\s*:?\s*$"
    ))
    .expect("valid regex")
});

/// How far back from a line's end its closing label is looked for, in bytes.
const LABEL_REACH: usize = 48;

/// Bylines split over two lines or blocks: a line ending in a credit label, and the next line,
/// a name alone (Markdown "原文作者：" followed by the name as inline code, which is a block of
/// its own; an HTML byline "Written on Sep 28 by" whose name is a link on the next line or in
/// another element).
fn split_bylines(doc: &Document) -> Vec<Credit> {
    let mut out = Vec::new();
    // The last non-blank line seen: its block and its text.
    let mut label: Option<(&Block, &str)> = None;
    for block in &doc.blocks {
        let mut start = 0;
        for line in block.text.split('\n') {
            let line_start = start;
            start += line.len() + 1;
            if line.trim().is_empty() {
                continue;
            }
            if let Some((label_block, label_line)) = label.replace((block, line))
                && (std::ptr::eq(label_block, block)
                    || block
                        .span
                        .start
                        .checked_sub(label_block.span.end)
                        .is_some_and(|gap| gap <= 512))
            {
                out.extend(name_after_label(
                    label_block,
                    label_line,
                    block,
                    line_start,
                    line,
                ));
            }
        }
    }
    out
}

/// The credits of `line` (at `line_start` in `block`) when `label_line` (of `label_block`) ends
/// in a credit label and `line` is a name and nothing else.
fn name_after_label(
    label_block: &Block,
    label_line: &str,
    block: &Block,
    line_start: usize,
    line: &str,
) -> Vec<Credit> {
    let text = label_line.trim_end();
    // Asked of every line: a byte test, no lowercased copy.
    let ends_in_by = text
        .as_bytes()
        .get(text.len().saturating_sub(2)..)
        .is_some_and(|tail| tail.eq_ignore_ascii_case(b"by"));
    if !(text.ends_with([':', '：']) || ends_in_by)
        || matches!(label_block.context, Context::Code | Context::FrontMatter)
        || line.trim().chars().count() > 60
    {
        return Vec::new();
    }
    let tail = &text[floor_boundary(text, text.len().saturating_sub(LABEL_REACH))..];
    let Some(caps) = LABEL_AT_END.captures(tail) else {
        return Vec::new();
    };
    let labelled = caps.name("tr").is_some() || caps.name("noun").is_some();
    // "… by" closes a byline only on a short line that is one ("By", "Written on Sep 28 by"),
    // not a sentence wrapped before its object nor "Powered by" over a platform's name.
    if !labelled && (text.chars().count() > 60 || !BY_LINE.is_match(text)) {
        return Vec::new();
    }
    let role = if caps.name("tr").is_some() {
        Role::Translator
    } else {
        role_in_context(Role::Author, label_block.context)
    };
    let mut names = split_names(line, role);
    if names.is_empty() && labelled {
        names.extend(labelled_handle(line));
    }
    // The line must be the name and nothing else, not a sentence that starts with one.
    let rest = names.last().map_or("", |&(_, end)| &line[end..]);
    if !rest
        .trim_matches(|c: char| c.is_whitespace() || ".,;:!?*_`'\")）".contains(c))
        .is_empty()
    {
        return Vec::new();
    }
    names
        .into_iter()
        .map(|(s, e)| {
            let evidence =
                block_evidence(block, line_start + s, line_start + e, EvidenceKind::Text);
            Credit {
                name: evidence.text.clone(),
                role,
                evidence,
            }
        })
        .collect()
}

/// CC REL markup puts `property="cc:attributionName"` and `rel="cc:attributionURL"` on one
/// `<a>`: the link text is the name to credit.
fn attribution_link(link: &Link) -> Option<Credit> {
    if !link.rel.iter().any(|r| r == "cc:attributionurl") {
        return None;
    }
    let name = link.text.trim();
    (!name.is_empty() && !name.contains("://")).then(|| Credit {
        name: name.to_owned(),
        role: Role::Author,
        evidence: Evidence {
            kind: EvidenceKind::Rdfa,
            span: link.span,
            text: name.to_owned(),
        },
    })
}

/// Names of the site's own accounts: texts of `rel=author` links to a page on the same site.
fn poster_accounts(doc: &Document) -> Vec<String> {
    doc.links
        .iter()
        .filter(|l| l.rel.iter().any(|r| r == "author"))
        .filter(|l| !l.href.contains("://") || l.href.contains("/author/"))
        .map(|l| l.text.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

/// A block holding nothing but a name right under the page's first heading (a book or
/// article page that prints its author under the title without "By").
fn title_byline(doc: &Document) -> Option<Credit> {
    let first_heading = doc
        .blocks
        .iter()
        .position(|b| b.context == Context::Heading)?;
    doc.blocks
        .iter()
        .skip(first_heading + 1)
        .take(2)
        .take_while(|b| b.context == Context::Body && b.text.chars().count() <= 40)
        .find_map(|b| {
            let name = b.text.trim();
            let words = name.split_whitespace().count();
            let bare = (2..=4).contains(&words)
                && !name.contains(|c: char| c.is_ascii_digit() || ",;:!?()，；：！？（）".contains(c))
                && !name.starts_with("The ")
                // "By Ewan Sinclair" is a byline the prose patterns already read.
                && !name.split_whitespace().next().is_some_and(|w| {
                    ["by", "por", "par", "von", "di", "door"].contains(&w.to_lowercase().as_str())
                })
                && looks_like_name(name, Role::Author);
            bare.then(|| {
                let lead = b.text.len() - b.text.trim_start().len();
                let evidence = block_evidence(b, lead, lead + name.len(), EvidenceKind::Text);
                Credit {
                    name: evidence.text.clone(),
                    role: Role::Author,
                    evidence,
                }
            })
        })
}

/// The gates of the prose patterns, in order, for a [`super::gated::Finder`] over the prose: a
/// gate stops at the name's first character.
pub(crate) fn gates() -> Vec<String> {
    PATTERNS
        .iter()
        .map(|p| p.re.line_gate().replace(NAME, r"[^\n]"))
        .collect()
}

fn prose_credits(gates: Gates) -> Vec<Credit> {
    let mut out = Vec::new();
    for (block, open) in gates.blocks() {
        // Claimed stretches, which never overlap: by start, only the one starting last before
        // a new claim's end can overlap it.
        let mut taken: std::collections::BTreeSet<(usize, usize)> =
            std::collections::BTreeSet::new();
        for p in open.iter().filter_map(|id| PATTERNS.get(id)) {
            for (whole_start, name_start, name_end) in hits(p, &block.text) {
                if p.line_start && continues_sentence(&block.text[..whole_start]) {
                    continue;
                }
                let role = role_in_context(p.role, block.context);
                let raw = &block.text[name_start..name_end];
                let mut names = split_names(raw, role);
                if names.is_empty() && p.labelled {
                    names.extend(labelled_handle(raw));
                }
                let Some(&(_, last_end)) = names.last() else {
                    continue;
                };
                let claimed = (whole_start, name_start + last_end);
                // An earlier, more specific pattern already claimed this text.
                let overlaps = taken
                    .range(..(claimed.1, 0))
                    .next_back()
                    .is_some_and(|&(_, e)| claimed.0 < e);
                if overlaps {
                    continue;
                }
                taken.insert(claimed);
                for (start, end) in names {
                    let (s, e) = (name_start + start, name_start + end);
                    let evidence = block_evidence(block, s, e, EvidenceKind::Text);
                    out.push(Credit {
                        name: evidence.text.clone(),
                        role,
                        evidence,
                    });
                }
            }
        }
    }
    out
}

/// After an explicit label, a single handle-like word (`ponyfoo`, `sk`, `nixCraft`): letters,
/// digits, `_`, `-` and `.` inside, as a byte range into `raw`.
fn labelled_handle(raw: &str) -> Option<(usize, usize)> {
    let (start, end) = trim_range(raw, (0, raw.len()))?;
    let word_end = raw[start..end]
        .find(|c: char| !(c.is_alphanumeric() || "_-.".contains(c)))
        .map_or(end, |i| start + i);
    let word = raw[start..word_end].trim_end_matches('.');
    let rest = raw[start + word.len()..end].trim();
    let handle = (2..=30).contains(&word.chars().count())
        // CJK names are read by `split_names`, which tells them from a sentence.
        && word.chars().next().is_some_and(|c| c.is_alphabetic() && !is_cjk(c))
        && !NOT_NAMES.contains(&word.to_lowercase().as_str())
        && (rest.is_empty() || rest.starts_with(['(', '（', ',', '，', '|']));
    handle.then_some((start, start + word.len()))
}

/// True when the line before ends mid-sentence (a lowercase word or a comma after a long
/// line), so the "line" is a wrapped source line, not a byline.
fn continues_sentence(before: &str) -> bool {
    let before = before.trim_end();
    let last_line = before.rsplit('\n').next().unwrap_or(before).trim();
    last_line.chars().count() >= 30
        && last_line
            .chars()
            .next_back()
            .is_some_and(|c| c.is_lowercase() || c == ',')
}

/// A byline inside a caption credits the image, not the text.
fn role_in_context(role: Role, context: Context) -> Role {
    if context == Context::Caption && role == Role::Author {
        Role::Photographer
    } else {
        role
    }
}

/// The names in a captured run, as byte ranges into it: cut at the first clause word or
/// punctuation, split lists ("A, B and C"), keep leading parts while they look like names.
fn split_names(raw: &str, role: Role) -> Vec<(usize, usize)> {
    let mut end = name_end(raw, role);
    if !CLOSING.is_match(&raw[..end])
        && let Some(comma) = raw[..end].find(',')
    {
        end = comma;
    }
    let first_is_cjk = raw.trim_start().chars().next().is_some_and(is_cjk);
    let next = raw[end..].chars().next();
    if first_is_cjk && next.is_some_and(|c| "，。；！？,".contains(c)) {
        // "翻译：任何时候，你……" is a translated sentence, not a translator's name.
        return Vec::new();
    }
    let head = &raw[..end];
    let mut out = Vec::new();
    let mut start = 0;
    for (sep_start, sep_end) in separators(head)
        .into_iter()
        .chain(std::iter::once((head.len(), head.len())))
    {
        let part = (start, sep_start);
        match trim_range(head, part) {
            Some((s, e)) if looks_like_name(&head[s..e], role) => out.push((s, e)),
            _ => break,
        }
        start = sep_end;
    }
    out
}

/// Where the name run ends: the first cut word or character (a sentence end ". " counts when
/// the word before it is longer than an initial).
fn name_end(raw: &str, role: Role) -> usize {
    let mut end = first_cut_char(raw).unwrap_or(raw.len());
    let lower = raw.to_lowercase();
    if lower.len() == raw.len() {
        // Only a word starting before `end` can move it: search no further than such a word
        // can reach (the first match found there is the first match in the whole text).
        let reach = floor_boundary(&lower, end + MAX_CUT_WORD_LEN);
        let head = lower.get(..reach).unwrap_or(&lower);
        if let Some(i) = first_cut_word(head) {
            end = end.min(i);
        }
    }
    end = end.min(sentence_end(raw, end));
    let first_is_cjk = raw.trim_start().chars().next().is_some_and(is_cjk);
    if first_is_cjk || role == Role::Translator {
        let lead = raw.len() - raw.trim_start().len();
        if first_is_cjk && let Some(i) = raw[lead..].find(char::is_whitespace) {
            end = end.min(lead + i);
        }
    }
    floor_boundary(raw, end)
}

/// Where the first sentence end in `raw` starts, or `raw.len()`; ends at or after `limit` are
/// not looked for (any value `>= limit` may then come back).
fn sentence_end(raw: &str, limit: usize) -> usize {
    let mut from = 0;
    while let Some(i) = raw[from..].find(". ").map(|i| i + from) {
        if i >= limit {
            break;
        }
        let word_len = raw[..i]
            .rsplit(char::is_whitespace)
            .next()
            .map_or(0, |w| w.chars().count());
        if word_len > 1 {
            return i;
        }
        from = i + 2;
    }
    raw.len()
}

/// Byte ranges of list separators: ", ", " and ", " & ", " und ", " y ", " et ", "、", "和".
/// Commas separate names only in a list closed by "and" ("A, B and C"); otherwise
/// `split_names` ends the name at the comma ("Andrew Hayden, Software Engineer").
fn separators(s: &str) -> Vec<(usize, usize)> {
    static SEP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r",\s*(?:and\s+)?|\s+(?:and|&|und|y|et|e)\s+|、|和").expect("valid regex")
    });
    SEP.find_iter(s).map(|m| (m.start(), m.end())).collect()
}

/// The word that closes a list of names; without it a comma ends the name.
static CLOSING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s(?:and|&|und|y|et|e)\s|、|和").expect("valid regex"));

fn trim_range(s: &str, (start, end): (usize, usize)) -> Option<(usize, usize)> {
    let part = s.get(start..end)?;
    let trimmed_start =
        part.trim_start_matches(|c: char| c.is_whitespace() || "*_`'‘’\"".contains(c));
    let s0 = start + (part.len() - trimmed_start.len());
    let trimmed = trimmed_start
        .trim_end_matches(|c: char| c.is_whitespace() || ".,;:!?*_`'‘’\")）】」』".contains(c));
    let e0 = s0 + trimmed.len();
    (e0 > s0).then_some((s0, e0))
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// True when `name` looks like a person's or outlet's name.
fn looks_like_name(name: &str, role: Role) -> bool {
    let Some(first) = name.chars().next() else {
        return false;
    };
    if name.chars().count() > 60 {
        return false;
    }
    if first == '@' {
        return name.chars().count() > 1 && !name.contains(char::is_whitespace);
    }
    if is_cjk(first) {
        return name.chars().count() <= 20;
    }
    if !first.is_alphabetic() {
        return false;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    if words.len() == 1 && NOT_NAMES.contains(&words[0].to_lowercase().as_str()) {
        return false;
    }
    if NOT_NAMES.contains(&words[0].to_lowercase().as_str()) && words[0] != "The" {
        return false;
    }
    if words[0] == "The" && role != Role::Publisher && words.len() < 2 {
        return false;
    }
    if words
        .iter()
        .any(|w| TITLE_WORDS.contains(&w.to_lowercase().as_str()))
    {
        return false;
    }
    let domain = role == Role::Publisher && words.len() == 1 && name.contains('.');
    domain || words.iter().all(|w| name_word(w))
}

fn name_word(word: &str) -> bool {
    if PARTICLES.contains(&word) {
        return true;
    }
    let Some(first) = word.chars().next() else {
        return false;
    };
    if word.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    first.is_uppercase() || (first.is_alphabetic() && !first.is_lowercase())
}

/// A credit from a metadata value (front matter, meta, JSON-LD, RDFa).
fn meta_credit(meta: &Meta) -> Option<Credit> {
    let role = meta_role(meta)?;
    let value = meta.value.trim();
    let value = value
        .strip_prefix("By ")
        .or_else(|| value.strip_prefix("by "))
        .unwrap_or(value)
        .trim();
    if value.is_empty() || value.contains("://") || value.starts_with('{') {
        return None;
    }
    let kind = match meta.origin {
        MetaOrigin::FrontMatter => EvidenceKind::FrontMatter,
        MetaOrigin::JsonLd => EvidenceKind::JsonLd,
        MetaOrigin::Rdfa => EvidenceKind::Rdfa,
        MetaOrigin::MetaTag | MetaOrigin::LinkRel | MetaOrigin::Title | MetaOrigin::Comment => {
            EvidenceKind::Meta
        }
    };
    Some(Credit {
        name: value.to_owned(),
        role,
        evidence: Evidence {
            kind,
            span: meta.span,
            text: value.to_owned(),
        },
    })
}

fn meta_role(meta: &Meta) -> Option<Role> {
    let key = meta.key.as_str();
    match meta.origin {
        MetaOrigin::FrontMatter => match key {
            "author" | "authors" | "author.name" | "authors.name" | "creator"
            | "original_author" | "originalauthor" => Some(Role::Author),
            "translator" | "translators" | "translated_by" | "translator.name" => {
                Some(Role::Translator)
            }
            _ => None,
        },
        MetaOrigin::MetaTag => match key {
            "author" | "article:author" | "citation_author" | "dc.creator" | "dcterms.creator"
            | "parsely-author" => Some(Role::Author),
            _ => None,
        },
        MetaOrigin::JsonLd => match key {
            "author" | "author.name" | "creator" | "creator.name" => Some(Role::Author),
            "translator" | "translator.name" => Some(Role::Translator),
            _ => None,
        },
        MetaOrigin::Rdfa => match key {
            "cc:attributionname" | "dct:creator" | "dc:creator" => Some(Role::Author),
            _ => None,
        },
        MetaOrigin::LinkRel | MetaOrigin::Title | MetaOrigin::Comment => None,
    }
}

/// The original work's title, when the post gives it: RDFa `dct:title`, JSON-LD `headline`,
/// front-matter `title`, `<title>`, JSON-LD `name`, else the first heading.
pub fn title(doc: &Document) -> Option<Evidence> {
    let keyed = [
        (MetaOrigin::Rdfa, "dct:title", EvidenceKind::Rdfa),
        (MetaOrigin::JsonLd, "headline", EvidenceKind::JsonLd),
        (MetaOrigin::FrontMatter, "title", EvidenceKind::FrontMatter),
        (MetaOrigin::Title, "title", EvidenceKind::Meta),
        (MetaOrigin::JsonLd, "name", EvidenceKind::JsonLd),
    ];
    for (origin, key, kind) in keyed {
        let found = doc
            .meta
            .iter()
            .find(|m| m.origin == origin && m.key == key && !m.value.trim().is_empty());
        if let Some(m) = found {
            return Some(Evidence {
                kind,
                span: m.span,
                text: m.value.trim().to_owned(),
            });
        }
    }
    doc.blocks
        .iter()
        .find(|b| b.context == Context::Heading && !b.text.trim().is_empty())
        .map(|b| {
            let lead = b.text.len() - b.text.trim_start().len();
            block_evidence(b, lead, lead + b.text.trim().len(), EvidenceKind::Text)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Meta};
    use crate::source::Span;

    fn doc_of(text: &str, context: Context) -> Document {
        Document::one_block(text, 0, context)
    }

    fn names(text: &str) -> Vec<(String, Role, String)> {
        detect(&doc_of(text, Context::Body))
            .into_iter()
            .map(|c| {
                let at = text[c.evidence.span.start..c.evidence.span.end].to_owned();
                (c.name, c.role, at)
            })
            .collect()
    }

    fn one(name: &str, role: Role) -> Vec<(String, Role, String)> {
        vec![(name.to_owned(), role, name.to_owned())]
    }

    /// A person's page is a last segment under a profile word, or an `@handle`, relative or
    /// absolute; a section or search page under the same word is not.
    #[test]
    fn person_pages() {
        for path in [
            "/people/jane-ruiz",
            "https://www.washingtonpost.com/people/steven-mufson",
            "/profile/338123",
            "/author/jane/",
            "/@jane",
            "https://medium.com/@jane",
        ] {
            assert!(person_page(path), "{path}");
        }
        for path in [
            "/people/",
            "/people",
            "/profile",
            "/news/people-of-the-year",
            "https://example.org/",
            "/@",
        ] {
            assert!(!person_page(path), "{path}");
        }
    }

    /// A byline linked to a person's page on the page's own site is one of its accounts; the
    /// same page on another site is not.
    #[test]
    fn own_site_person_pages_are_site_accounts() {
        let html = |href: &str| {
            format!(
                "<header><a href='https://own.example/'>Home</a><a href='https://own.example/a/'>A</a>\
                 <a href='https://own.example/b/'>B</a></header><p>By <a href='{href}'>Jane Ruiz</a></p>"
            )
        };
        let doc = crate::document::html::extract(&html("https://own.example/people/jane-ruiz"));
        assert_eq!(site_accounts(&doc), ["jane ruiz"]);
        let doc = crate::document::html::extract(&html("/people/jane-ruiz"));
        assert_eq!(site_accounts(&doc), ["jane ruiz"]);
        let doc = crate::document::html::extract(&html("https://other.example/people/jane-ruiz"));
        assert!(site_accounts(&doc).is_empty());
    }

    /// The matches read from the short patterns are those of the full patterns, and a skipped
    /// match reaching past the line break falls back to the full pattern.
    #[test]
    fn short_pattern_hits_are_the_full_patterns_captures() {
        let texts = [
            "By Jane Doe\nBy John Roe",
            "Written by: Ann Lee, and by Bob\n> by Carol",
            "Photo: Al image\n: photo: Bob",
            "Image Credit:\u{a0}\nPixabay and photo by Joe",
            "(Photo by Ana) [Image credit: Pexels] picture: X",
            "This was originally published on FEE.org. It first appeared in Aeon.",
            "Autor: José Pérez\n作者：李雷",
            "Translated from the French by Marie Curie\ntranslation by X",
            "Par Jean Dupont\nVon Hans",
            "photo:\n",
        ];
        let mut fell_back = 0;
        for p in PATTERNS.iter() {
            for text in texts {
                let full: Vec<Hit> =
                    p.re.captures_iter(text)
                        .map(|caps| {
                            let name = caps.name("name").unwrap();
                            (caps.get(0).unwrap().start(), name.start(), name.end())
                        })
                        .collect();
                assert_eq!(hits(p, text), full, "{text:?}");
                if let Some(short) = &p.short
                    && line_end_hits(short, text).is_none()
                {
                    fell_back += 1;
                }
            }
        }
        assert_eq!(fell_back, 1);
    }

    #[test]
    fn bylines_in_many_languages() {
        assert_eq!(
            names("By Katherin Hormigó Rubio"),
            one("Katherin Hormigó Rubio", Role::Author)
        );
        assert_eq!(names("Par Radu Raicea"), one("Radu Raicea", Role::Author));
        assert_eq!(
            names("Author: Roger J. Kreuz."),
            one("Roger J. Kreuz", Role::Author)
        );
        assert_eq!(
            names("原作者：Lev Grossman。相当有传奇色彩"),
            one("Lev Grossman", Role::Author)
        );
        assert_eq!(
            names("- Author: @yuta_asd_adhd (🧩ゆうた)"),
            one("@yuta_asd_adhd", Role::Author)
        );
        assert_eq!(
            names("下面的文章转自Todd Wei 的《TDD》"),
            one("Todd Wei", Role::Author)
        );
        // After a label, a lowercase handle is a name (CC allows pseudonyms).
        assert_eq!(names("原文作者 : quietfox"), one("quietfox", Role::Author));
        assert_eq!(names("Author: nixCraft"), one("nixCraft", Role::Author));
        assert_eq!(names("원저자: Kim Minji"), one("Kim Minji", Role::Author));
        assert!(names("Author: the team behind it").is_empty());
    }

    #[test]
    fn split_bylines_read_the_name_on_the_next_line_or_block() {
        assert_eq!(
            names("Written on Sep 28 by\nMara Quill"),
            vec![(
                "Mara Quill".to_owned(),
                Role::Author,
                "Mara Quill".to_owned()
            )]
        );
        assert_eq!(names("译者：\ntanluo"), one("tanluo", Role::Translator));
        let doc = Document {
            blocks: vec![
                Block::verbatim("原文作者：", Span::new(0, 15), Context::Body),
                Block::verbatim("Scott Gangemi", Span::new(17, 30), Context::Code),
            ],
            ..Document::default()
        };
        let credits = detect(&doc);
        assert_eq!(credits.len(), 1, "{credits:?}");
        assert_eq!(credits[0].name, "Scott Gangemi");
        assert_eq!(credits[0].evidence.span, Span::new(17, 30));
        // A sentence after the label, or a label that a prose pattern already read, is no credit.
        assert_eq!(
            names("原文作者：\n这篇文章由编辑部撰写，没有署名。"),
            vec![]
        );
        assert_eq!(names("Written by\nthe rural desk and its readers"), vec![]);
        assert_eq!(names("Powered by\nKinja"), vec![]);
        assert_eq!(
            names("This article was originally published by\nThe Delta Dispatch"),
            one("The Delta Dispatch", Role::Publisher)
        );
    }

    #[test]
    fn a_translations_page_author_who_translated_or_owns_the_site_is_the_translator() {
        let meta = |value: &str| Meta {
            key: "author".into(),
            value: value.into(),
            span: Span::new(0, value.len()),
            origin: MetaOrigin::MetaTag,
        };
        let doc = Document {
            blocks: vec![Block::verbatim(
                "© 2025 Hana Seo",
                Span::new(50, 67),
                Context::Chrome,
            )],
            meta: vec![meta("Hana Seo")],
            ..Document::default()
        };
        let mut credits = detect(&doc);
        retag_page_translators(&mut credits, &doc);
        assert_eq!(credits.len(), 1);
        assert_eq!(credits[0].role, Role::Translator);
        // The original's author in the metadata stays the author.
        let doc = Document {
            meta: vec![meta("Mara Quill")],
            ..doc
        };
        let mut credits = detect(&doc);
        retag_page_translators(&mut credits, &doc);
        assert_eq!(credits[0].role, Role::Author);
    }

    #[test]
    fn a_translations_byline_naming_the_site_account_is_the_translator() {
        let link = |href: &str, text: &str, rel: &[&str]| Link {
            href: href.into(),
            text: text.into(),
            rel: rel.iter().map(|r| (*r).to_owned()).collect(),
            span: Span::new(0, 1),
            context: Context::Chrome,
            classes: Vec::new(),
        };
        let text = "Posted by Hana Seo";
        let mut doc = Document::one_block(text, 0, Context::Body);
        doc.links = vec![
            link("/authors/hana-seo/", "Hana Seo", &[]),
            link("https://example.org/authors/mara-quill/", "Mara Quill", &[]),
        ];
        let mut credits = detect(&doc);
        retag_page_translators(&mut credits, &doc);
        assert_eq!(credits.len(), 1);
        assert_eq!(credits[0].role, Role::Translator);
        // An author page on another site than the page's is the original author's.
        let mut doc = Document::one_block("Posted by Mara Quill", 0, Context::Body);
        doc.links = vec![
            link("https://blog.example.com/", "Home", &[]),
            link("https://blog.example.com/tags/", "Tags", &[]),
            link("https://blog.example.com/posts/", "Posts", &[]),
            link(
                "https://example.org/authors/mara-quill/",
                "Mara Quill",
                &["author"],
            ),
        ];
        let mut credits = detect(&doc);
        retag_page_translators(&mut credits, &doc);
        assert_eq!(credits[0].role, Role::Author);
    }

    #[test]
    fn korean_author_nouns_before_a_name_and_its_particle() {
        assert_eq!(
            names("리액트 서버 컴포넌트는 …, 저자 Lazar Nikolov은 RSC가 …"),
            one("Lazar Nikolov", Role::Author)
        );
        assert_eq!(
            names("원저자인 SemkoDev의 허락을 받고 우리말로 옮긴 글입니다."),
            one("SemkoDev", Role::Author)
        );
        // The noun as a topic, and a name without its particle.
        assert!(names("저자는 Marrick의 과수원을 찾아갔습니다.").is_empty());
        assert!(names("원저자의 허락을 받고 옮겼습니다.").is_empty());
    }

    #[test]
    fn profile_links_are_pages_of_people_on_other_sites() {
        let own = vec!["blog.example.com".to_owned()];
        for href in [
            "https://example.net/@anaruiz",
            "https://example.org/rural/author/ana-ruiz/",
            "https://github.com/anaruiz",
            "https://x.com/anaruiz",
        ] {
            assert!(profile_link(href, &own), "{href}");
        }
        for href in [
            "https://blog.example.com/author/hana-seo/",
            "https://github.com/anaruiz/orchard",
            "https://example.org/tidepool/",
            "https://example.org/",
            "/author/hana-seo/",
        ] {
            assert!(!profile_link(href, &own), "{href}");
        }
    }

    #[test]
    fn notice_credits_take_the_first_profile_link_before_the_translator() {
        // Links on the names of `names`, in `text`.
        let doc_with = |text: &str, names: &[&str]| {
            let mut doc = Document::one_block(text, 0, Context::Body);
            doc.links = names
                .iter()
                .map(|name| {
                    let at = text.find(name).unwrap_or(0);
                    Link {
                        href: format!("https://example.net/@{}", name.replace([' ', '@'], "")),
                        text: (*name).to_owned(),
                        rel: Vec::new(),
                        span: Span::new(at, at + name.len()),
                        context: Context::Body,
                        classes: Vec::new(),
                    }
                })
                .collect();
            doc
        };
        let text = "Autoría por Ana Ruiz, traducción por @tanluo, revisión por @mquill.";
        let doc = doc_with(text, &["Ana Ruiz", "@tanluo", "@mquill"]);
        let disclosure = text.find("traducción").unwrap_or(0);
        let mut credits = detect(&doc);
        add_notice_credits(
            &mut credits,
            &doc,
            &[Span::new(disclosure, disclosure + 1)],
            &[],
        );
        let got: Vec<(&str, Role, usize)> = credits
            .iter()
            .map(|c| (c.name.as_str(), c.role, c.evidence.span.start))
            .collect();
        let at = |name: &str| text.find(name).unwrap_or(0);
        assert_eq!(
            got,
            [
                ("Ana Ruiz", Role::Author, at("Ana Ruiz")),
                ("@tanluo", Role::Translator, at("@tanluo"))
            ]
        );
        // Without the author's link, the reviewer's after the translator credits no one.
        let doc = doc_with(
            "Traducción por @tanluo, revisión por @mquill.",
            &["@tanluo", "@mquill"],
        );
        let mut credits = detect(&doc);
        add_notice_credits(&mut credits, &doc, &[Span::new(0, 1)], &[]);
        assert!(credits.iter().all(|c| c.role == Role::Translator));
    }

    #[test]
    fn names_beside_the_link_to_the_original() {
        let credits_of = |text: &str, title: &str| {
            let at = text.find(title).expect("title in text");
            let mut doc = Document::one_block(text, 0, Context::Body);
            doc.links = vec![Link {
                href: "https://example.org/rural/orchard".into(),
                text: title.into(),
                rel: Vec::new(),
                span: Span::new(at, at + title.len()),
                context: Context::Body,
                classes: Vec::new(),
            }];
            let mut credits = Vec::new();
            add_notice_credits(&mut credits, &doc, &[], &[Span::new(at, at + 1)]);
            credits
                .iter()
                .map(|c| (c.name.clone(), c.evidence.span.start))
                .collect::<Vec<_>>()
        };
        let text = "Перевод статьи «The orchard», Ana Ruiz";
        assert_eq!(
            credits_of(text, "The orchard"),
            [("Ana Ruiz".to_owned(), text.find("Ana").unwrap_or(0))]
        );
        let text = "이 글은 Ana Ruiz 씨의 The orchard 문서를 번역한 글입니다.";
        assert_eq!(
            credits_of(text, "The orchard"),
            [("Ana Ruiz".to_owned(), text.find("Ana").unwrap_or(0))]
        );
        assert_eq!(
            credits_of("下面的文章转自Todd Wei 的《The orchard》", "The orchard"),
            [("Todd Wei".to_owned(), "下面的文章转自".len())]
        );
        for (text, title) in [
            (
                "Photo via Wikimedia Commons, Public Domain; more",
                "Wikimedia Commons",
            ),
            ("Reported by KTRK-TV, Austin:", "KTRK-TV"),
            ("the Green New Deal’s mandate", "mandate"),
            ("见 The orchard，翻译成中文就是", "The orchard"),
        ] {
            assert!(credits_of(text, title).is_empty(), "{text}");
        }
    }

    #[test]
    fn copyright_lines_in_the_text_credit_their_holder() {
        let credit_of = |text: &str, context: Context| {
            let doc = doc_of(text, context);
            let mut credits = detect(&doc);
            add_copyright_credits(&mut credits, &doc);
            credits
                .into_iter()
                .map(|c| {
                    (
                        text[c.evidence.span.start..c.evidence.span.end].to_owned(),
                        c.role,
                    )
                })
                .collect::<Vec<_>>()
        };
        for (text, name) in [
            (
                "Copyright © 2001, 2006, 2014 Eric S. Raymond, Rick Moen",
                "Eric S. Raymond",
            ),
            ("© 2015, Mark Allison. All rights reserved.", "Mark Allison"),
            (
                "Copyright © 2022 Seth Vargo • Licensed under CC BY-NC 4.0.",
                "Seth Vargo",
            ),
        ] {
            assert_eq!(
                credit_of(text, Context::Body),
                [(name.to_owned(), Role::Author)]
            );
        }
        // The site's line, a template, a line without a year, the translator's own line.
        assert_eq!(credit_of("© 2024 Hana Seo", Context::Chrome), []);
        assert_eq!(
            credit_of("Copyright (c) <year> <copyright holders>", Context::Body),
            []
        );
        assert_eq!(
            credit_of("(c) encontrar e entrar na porta", Context::Body),
            []
        );
        assert_eq!(
            credit_of("译者：Tan Luo\nCopyright © 2024 Tan Luo", Context::Body),
            [("Tan Luo".to_owned(), Role::Translator)]
        );
    }

    #[test]
    fn span_points_at_the_name() {
        let text = "Intro\nBy Jane Doe, translated by Juan Pérez";
        let credits = detect(&doc_of(text, Context::Body));
        assert_eq!(credits.len(), 2, "{credits:?}");
        let spans: Vec<&str> = credits
            .iter()
            .map(|c| &text[c.evidence.span.start..c.evidence.span.end])
            .collect();
        assert_eq!(spans, ["Jane Doe", "Juan Pérez"]);
        assert_eq!(credits[1].role, Role::Translator);
    }

    #[test]
    fn lists_are_split() {
        let got: Vec<String> = names("By Ann Lee, Bob Ray and Cy Tam")
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(got, ["Ann Lee", "Bob Ray", "Cy Tam"]);
    }

    #[test]
    fn translators_photographers_publishers() {
        assert_eq!(names("译者：陈皓（haoel）"), one("陈皓", Role::Translator));
        assert_eq!(
            names("Traduit de l'anglais par Marie Curie"),
            one("Marie Curie", Role::Translator)
        );
        assert_eq!(
            names("本文由陈皓翻译，在转载时请注明"),
            one("陈皓", Role::Translator)
        );
        assert_eq!(names("翻译：任何时候，你在书中要解释一些概念"), vec![]);
        assert_eq!(
            names("Photo: Jane Smith/Flickr"),
            one("Jane Smith", Role::Photographer)
        );
        assert_eq!(
            names("Source: Getty Images"),
            one("Getty Images", Role::Photographer)
        );
        assert_eq!(
            names(
                "This article is republished from The Conversation under a Creative Commons license."
            ),
            one("The Conversation", Role::Publisher)
        );
        assert_eq!(
            names("Originally published at www.courtneykirchoff.com on November 18, 2011."),
            one("www.courtneykirchoff.com", Role::Publisher)
        );
        assert_eq!(
            names(
                "This article by Shannon Roberts was originally published on MercatorNet.com under a licence."
            ),
            vec![
                (
                    "Shannon Roberts".to_owned(),
                    Role::Author,
                    "Shannon Roberts".to_owned()
                ),
                (
                    "MercatorNet.com".to_owned(),
                    Role::Publisher,
                    "MercatorNet.com".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn non_names_are_rejected() {
        for text in [
            "By the way, this is fine",
            "by default it works",
            "By 2020 most of it",
            "Por qué lo hacemos",
            "By March 2021 we had",
            "edited for length and clarity",
            "By clicking you agree",
        ] {
            assert_eq!(names(text), vec![], "{text}");
        }
    }

    #[test]
    fn titles_after_commas_and_wrapped_lines_are_not_names() {
        assert_eq!(
            names("Posted by Andrew Hayden, Software Engineer on Google Play"),
            one("Andrew Hayden", Role::Author)
        );
        assert_eq!(
            names("Another one of the early versions was kept\n   by Turkey in a vault."),
            vec![]
        );
    }

    #[test]
    fn name_under_the_title_and_poster_accounts() {
        let text = "Viral Art|2014|RJ Rushmore";
        let doc = Document {
            blocks: vec![
                Block::verbatim("Viral Art", Span::new(0, 9), Context::Heading),
                Block::verbatim("2014", Span::new(10, 14), Context::Body),
                Block::verbatim("RJ Rushmore", Span::new(15, 26), Context::Body),
            ],
            ..Document::default()
        };
        let credits = detect(&doc);
        assert_eq!(credits.len(), 1);
        let span = credits[0].evidence.span;
        assert_eq!(&text[span.start..span.end], "RJ Rushmore");

        let poster = Document {
            meta: vec![Meta {
                key: "author".into(),
                value: "Neo".into(),
                span: Span::new(5, 8),
                origin: MetaOrigin::MetaTag,
            }],
            links: vec![Link {
                href: "author/neo.html".into(),
                text: "Neo".into(),
                rel: vec!["author".into()],
                span: Span::new(20, 40),
                context: Context::Body,
                classes: Vec::new(),
            }],
            ..Document::default()
        };
        assert!(detect(&poster).is_empty());
    }

    #[test]
    fn metadata_credits() {
        let doc = Document {
            meta: vec![
                Meta {
                    key: "author".into(),
                    value: "Annah Lake Zhu".into(),
                    span: Span::new(10, 24),
                    origin: MetaOrigin::FrontMatter,
                },
                Meta {
                    key: "translator".into(),
                    value: String::new(),
                    span: Span::new(30, 30),
                    origin: MetaOrigin::FrontMatter,
                },
                Meta {
                    key: "cc:attributionname".into(),
                    value: "Rick Waldron".into(),
                    span: Span::new(40, 52),
                    origin: MetaOrigin::Rdfa,
                },
            ],
            ..Document::default()
        };
        let got: Vec<(String, Role, Span)> = detect(&doc)
            .into_iter()
            .map(|c| (c.name, c.role, c.evidence.span))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Annah Lake Zhu".into(), Role::Author, Span::new(10, 24)),
                ("Rick Waldron".into(), Role::Author, Span::new(40, 52)),
            ]
        );
    }

    #[test]
    fn credits_in_later_blocks() {
        let text = "Intro text\nPhoto: Ann Lee\nplain\nBy Bob Ray";
        let doc = Document {
            blocks: vec![
                Block::verbatim("Intro text", Span::new(0, 10), Context::Body),
                Block::verbatim("Photo: Ann Lee", Span::new(11, 25), Context::Body),
                Block::verbatim("plain", Span::new(26, 31), Context::Body),
                Block::verbatim("By Bob Ray", Span::new(32, 42), Context::Body),
            ],
            ..Document::default()
        };
        let got: Vec<(&str, Role)> = detect(&doc)
            .iter()
            .map(|c| (&text[c.evidence.span.start..c.evidence.span.end], c.role))
            .collect();
        assert_eq!(
            got,
            [("Ann Lee", Role::Photographer), ("Bob Ray", Role::Author)]
        );
    }

    /// The cut searches find what a search for each word or character finds first.
    #[test]
    fn cuts_are_the_first_of_each_search() {
        assert!(CUT_WORDS.iter().all(|w| w.starts_with(' ')));
        assert_eq!(
            CUT_WORDS.iter().map(|w| w.len()).max(),
            Some(MAX_CUT_WORD_LEN)
        );
        for text in [
            "Jane Doe was here on the 5th",
            "Ann Lee — writes; and his (x)",
            "Zoë Ñ says hi",
            "Bob » at the fair | via the web",
            "nothing to cut here",
            "",
        ] {
            let by_find = CUT_WORDS.iter().filter_map(|w| text.find(w)).min();
            assert_eq!(first_cut_word(text), by_find, "{text:?}");
            assert_eq!(first_cut_char(text), text.find(CUT_CHARS), "{text:?}");
        }
    }

    #[test]
    fn the_copyright_precheck_passes_every_mark_the_pattern_starts_with() {
        for text in [
            "Copyright 2001 Eric",
            "COPYRIGHT © 2004 Ann",
            "copyRIGHT 1999 Bo",
            "(c) 2013-2015 Kyle Simpson",
            "text (C) 2013 Kyle",
            "© 2015, Mark Allison.",
            "版权所有 ©2015 张三",
        ] {
            assert!(may_hold_copyright(text), "{text}");
            assert!(COPYRIGHT.is_match(text), "{text}");
        }
        for text in [
            "Options (a), (b), (cc) and a copy",
            "Café",
            "",
            "c",
            "(c",
            "Â",
        ] {
            assert!(!may_hold_copyright(text), "{text}");
        }
    }

    #[test]
    fn caption_byline_is_a_photographer() {
        let credits = detect(&doc_of("By Ann Lee", Context::Caption));
        assert_eq!(credits[0].role, Role::Photographer);
    }

    #[test]
    fn title_prefers_rdfa_then_heading() {
        let text = "# Hello World\n";
        let mut doc = Document {
            blocks: vec![Block::verbatim(
                "Hello World",
                Span::new(2, 13),
                Context::Heading,
            )],
            ..Document::default()
        };
        let t = title(&doc).unwrap();
        assert_eq!(&text[t.span.start..t.span.end], "Hello World");
        doc.meta.push(Meta {
            key: "dct:title".into(),
            value: "Original".into(),
            span: Span::new(20, 28),
            origin: MetaOrigin::Rdfa,
        });
        assert_eq!(title(&doc).unwrap().text, "Original");
    }
}
