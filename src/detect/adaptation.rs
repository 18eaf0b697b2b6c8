//! Translation and modification: disclosures in many languages, and the language evidence that
//! a post is a translation when it does not say so.
//!
//! A translation is *disclosed* by phrases such as "translated from the Spanish", "traduit par",
//! "übersetzt von", "译者：", "本文译自", by `原文地址：`/`원문:` headers, by a category or tag named
//! "translation" (`번역`, `traducciones`, `перевод`…), or by front matter
//! `translator`/`translation_of`/`translated_from`/`original_language` (non-empty) and JSON-LD
//! `translationOfWork`/`translator`. It is *inferred* when the post's language (declared, else
//! detected with whatlang) differs from the original's, estimated from each source link: a
//! language segment in its path (`/es/`), English function words in its slug or link text
//! (`how-to-…`, whatlang on a link text of three words or more), or its country TLD; and when
//! less than about a third of the post's prose blocks are in the original's language (a post quoting the original at
//! length is a repost with commentary, not a translation).
//!
//! It is also inferred from an interlinear layout: the original's lines kept, each followed in
//! its paragraph by the translation in another script (`adaptation/interlinear.rs`).
//!
//! A modification is signalled by elisions (`[…]`, `[...]`), "read the full article at",
//! front matter `excerpt: true`, and disclosed by "excerpted from", "adapted from", "edited for
//! length", "abridged", "condensed", "adaptado de", "adapté de", "gekürzt", "有删节"…

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Context, Document, MetaOrigin};
use crate::rules::cues::Family;

use super::cue;
use super::gated::{Gated, Gates};
use super::text::{block_evidence, host, path_segments, prose_blocks};
use super::{Adaptation, Evidence, EvidenceKind, SourceLink};
use language::{function_word_language, guess_lang, normalize_lang, plainly_english};

mod interlinear;
mod language;

/// Phrases that say the post is a translation, in every language (cue family `translation`),
/// case-insensitive.
static TRANSLATION: LazyLock<Gated> =
    LazyLock::new(|| Gated::new(&format!("(?i){}", cue::alternation(Family::Translation))));

/// Headers that point at "the original" and so disclose a derived text (`原文地址：`) without
/// saying by themselves that it is translated (cue family `original-header`, case-sensitive).
static ORIGINAL_HEADER: LazyLock<Gated> =
    LazyLock::new(|| Gated::new(&cue::alternation(Family::OriginalHeader)));

/// The original's language, named in a disclosure.
static FROM_LANGUAGE: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(concat!(
        r"(?i)translated\s+from\s+(?:the\s+)?(?P<en>English|Spanish|French|German|Portuguese|Italian|Chinese|Russian|Japanese|Korean|Dutch)",
        r"|del\s+(?P<es>inglés|francés|alemán|portugués|italiano|chino|ruso|japonés)",
        r"|(?:de\s+l['’]|du\s+)(?P<fr>anglais|allemand|espagnol|italien|russe|chinois|japonais|portugais)",
        r"|aus\s+dem\s+(?P<de>Englischen|Französischen|Spanischen|Italienischen|Russischen|Chinesischen|Japanischen|Portugiesischen)",
        r"|do\s+(?P<pt>inglês|francês|alemão|espanhol|italiano)",
        r"|dall['’](?P<it>inglese|francese|tedesco|spagnolo)",
        r"|с\s+(?P<ru>английского|французского|немецкого|испанского|китайского)",
        r"|(?P<zh>英文|英语|法文|法语|德文|德语|日文|日语|俄文|俄语|西班牙文|西班牙语)原文|译自(?P<zh2>英文|英语|法文|法语|德文|德语|日文|日语|俄文|俄语)",
    ))
});

/// Signals that the text was cut or changed.
static MODIFICATION: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(
        r"(?i)\[(?:…|\.\.\.?|\. \. \.)\]|\b(?:read|continue\s+reading)\s+(?:the\s+)?(?:full|rest\s+of\s+the|entire|complete)(?:\s+(?:article|story|post|piece|essay|text))?\s+(?:at|on|here)\b",
    )
});

/// Phrases that disclose a modification, in every language (cue family `modification`),
/// case-insensitive.
static MODIFICATION_DISCLOSURE: LazyLock<Gated> =
    LazyLock::new(|| Gated::new(&format!("(?i){}", cue::alternation(Family::Modification))));

/// A post with this share of its prose blocks in the original's language quotes the original
/// (commentary on an English thread, a list of English titles) rather than translating it.
/// Translations in the development set stay below 0.3 (code, product names, figure labels);
/// reposts with commentary are above 0.45.
const QUOTED_SHARE: f64 = 0.35;

/// Front-matter keys that disclose a translation.
const TRANSLATION_KEYS: &[&str] = &[
    "translator",
    "translators",
    "translated_by",
    "translation_of",
    "translated_from",
    "original_language",
];

/// "Translated from …" and the like, except a word's gloss ("eudemonia (translated from Greek
/// as happiness)"), which translates a word, not the post.
fn translation_disclosures(doc: &Document) -> Vec<Evidence> {
    static GLOSS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s+(?:the\s+)?\p{L}+\s+(?:as|to\s+mean|meaning)\b").expect("valid regex")
    });
    prose_blocks(doc)
        .flat_map(|b| {
            TRANSLATION
                .find_iter(&b.text)
                .filter(|m| !GLOSS.is_match(&b.text[m.end()..]))
                .filter(|m| !is_label(m.as_str()) || labels_a_name(&b.text, m.start(), m.end()))
                .map(move |m| block_evidence(b, m.start(), m.end(), EvidenceKind::Text))
        })
        .collect()
}

/// Whether a disclosure match is the English label "Translation:" or "Translator:".
fn is_label(found: &str) -> bool {
    found.ends_with([':', '：'])
        && found
            .get(..8)
            .is_some_and(|head| head.eq_ignore_ascii_case("translat"))
}

/// Whether the label at `start..end` of `text` opens its line (after list or emphasis marks)
/// and is followed by a short name to the end of the line: "Translation: Ana Gil", not the
/// idiom "… this will not stand! Translation: get out of Kuwait, or we will come over there."
fn labels_a_name(text: &str, start: usize, end: usize) -> bool {
    /// A translator's name (or two, with "and") is at most this many words.
    const NAME_WORDS: usize = 6;
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let opens_line = text[line_start..start]
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '*' | '_' | '>' | '-' | '#' | '(' | '['));
    let rest = text[end..].split('\n').next().unwrap_or_default().trim();
    let words = rest.split_whitespace().count();
    opens_line
        && (1..=NAME_WORDS).contains(&words)
        && rest
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c == '@')
        && !rest.ends_with(['.', '!', '?', '"', '”'])
}

/// The gates of the disclosure patterns, for a [`super::gated::Finder`] over the prose: one
/// pass over a post tells which of the patterns can match at all (most posts match none), so
/// the block-by-block searches run only for those that can. The original's language is among
/// them: searched block by block in every post, its literal prefilter stopped at every "do",
/// "du" and "del" (half of this detector's cost).
pub(crate) fn gates() -> Vec<String> {
    [
        &*TRANSLATION,
        &*ORIGINAL_HEADER,
        &*MODIFICATION,
        &*MODIFICATION_DISCLOSURE,
        &*FROM_LANGUAGE,
    ]
    .into_iter()
    .map(Gated::line_gate)
    .collect()
}

/// Which of the five [`gates`] match in some block, in one pass over the scan's blocks (each
/// gate asked about alone is a pass of its own).
fn open_gates(gates: Gates) -> [bool; 5] {
    let mut open = [false; 5];
    for (_, here) in gates.blocks() {
        for gate in here.iter() {
            if let Some(slot) = open.get_mut(gate) {
                *slot = true;
            }
        }
    }
    open
}

/// Whether the post is translated or adapted, and whether it says so.
pub fn detect(doc: &Document, sources: &[SourceLink]) -> Adaptation {
    let scan = super::gate_scan(doc);
    detect_in(doc, sources, scan.part(super::Part::Adaptation)).0
}

/// [`detect`], given the prose blocks where the disclosure patterns' [`gates`] match; also
/// returns the post's language as far as it was needed: declared, else guessed ([`language`])
/// only when a source link tells the original's language, the one comparison that needs it.
pub(crate) fn detect_in(
    doc: &Document,
    sources: &[SourceLink],
    gates: Gates,
) -> (Adaptation, Option<String>) {
    let mut out = Adaptation::default();
    let [
        translation,
        header,
        modification,
        modification_disclosure,
        from_language,
    ] = open_gates(gates);
    let search = |open: bool, re: &Gated| {
        if open {
            find_in_prose(doc, re)
        } else {
            Vec::new()
        }
    };
    let strong = if translation {
        translation_disclosures(doc)
    } else {
        Vec::new()
    };
    let headers = search(header, &ORIGINAL_HEADER);
    let metadata = translation_metadata(doc);
    out.translated = !strong.is_empty() || !metadata.is_empty();
    out.from_language = declared_from_language(doc, from_language);

    let original = original_language(doc, sources);
    // Guessing the post's language costs more than most detectors together: only a post whose
    // original's language is known needs it.
    let doc_lang = match original {
        Some(_) => language(doc),
        None => declared_language(doc),
    };
    // A hint of the original's language (a narrow lead of function words in its slug, its
    // country domain) tells a translation only across scripts: an English post citing a
    // `.br` paper or a slug with "no" or "per" in it is no translation, a Chinese one is.
    if let Some((clue, evidence)) = original
        && let Some(doc_lang) = doc_lang.as_deref()
        && doc_lang != clue.lang
        && (clue.sure || across_scripts(doc_lang, &clue.lang))
        && share_in(doc, doc_lang, &clue.lang) < QUOTED_SHARE
    {
        out.translated = true;
        out.from_language.get_or_insert(clue.lang);
        out.inferred.push(evidence);
    }
    // The original kept line by line above its translation: translated from the kept lines'
    // language, though no source link or phrase says so.
    if !out.translated
        && let Some((lang, evidence)) = interlinear::interlinear(doc)
    {
        out.translated = true;
        out.from_language.get_or_insert(lang);
        out.inferred.push(evidence);
    }

    // Elisions inside quotations ("> … \[…\] …") shorten what the author quotes, not the post.
    let changes = prose_blocks(doc)
        .filter(|_| modification)
        .filter(|b| !matches!(b.context, Context::Blockquote | Context::Chrome))
        .flat_map(|b| {
            MODIFICATION
                .find_iter(&b.text)
                .map(move |m| block_evidence(b, m.start(), m.end(), EvidenceKind::Text))
        })
        .chain(excerpt_flag(doc))
        .collect::<Vec<_>>();
    let change_notes = search(modification_disclosure, &MODIFICATION_DISCLOSURE);
    out.modified = !changes.is_empty() || !change_notes.is_empty();

    out.disclosures = strong
        .into_iter()
        .chain(metadata)
        .chain(headers)
        .chain(change_notes)
        .collect();
    out.disclosures.sort_by_key(|e| e.span.start);
    out.disclosed = !out.disclosures.is_empty();
    if out.translated || out.modified {
        out.inferred.extend(changes);
    }
    if !out.translated && !out.modified {
        // Header-only evidence ("原文：") with nothing derived: not a disclosure of anything.
        out.disclosed = false;
    }
    (out, doc_lang)
}

/// The word "translation" in the languages of the corpora: a post filed under a category or
/// tag of that name (front matter, `article:tag`, a `/tags/…` or `/categories/…` link) says it
/// is a translation.
const TRANSLATION_TAGS: &[&str] = &[
    "translation",
    "translations",
    "번역",
    "翻译",
    "翻譯",
    "译文",
    "譯文",
    "翻訳",
    "traducción",
    "traducciones",
    "traduction",
    "traductions",
    "übersetzung",
    "übersetzungen",
    "tradução",
    "traduções",
    "traduzione",
    "traduzioni",
    "перевод",
    "переводы",
];

fn is_translation_tag(value: &str) -> bool {
    let value = value.trim().to_lowercase();
    TRANSLATION_TAGS.contains(&value.as_str())
}

/// Category and tag links named [`TRANSLATION_TAGS`].
fn translation_tag_links(doc: &Document) -> impl Iterator<Item = Evidence> + '_ {
    doc.links
        .iter()
        .filter(|l| {
            let href = l.href.to_ascii_lowercase();
            (href.contains("/tag") || href.contains("/categor")) && is_translation_tag(&l.text)
        })
        .map(|l| Evidence {
            kind: EvidenceKind::Link,
            span: l.span,
            text: l.text.trim().to_owned(),
        })
}

fn translation_metadata(doc: &Document) -> Vec<Evidence> {
    doc.meta
        .iter()
        .filter(|m| !m.value.trim().is_empty())
        .filter_map(|m| {
            let tag_key = matches!(
                m.key.as_str(),
                "tags" | "tag" | "categories" | "category" | "article:tag"
            );
            let kind = match m.origin {
                MetaOrigin::FrontMatter if TRANSLATION_KEYS.contains(&m.key.as_str()) => {
                    EvidenceKind::FrontMatter
                }
                MetaOrigin::FrontMatter if tag_key && is_translation_tag(&m.value) => {
                    EvidenceKind::FrontMatter
                }
                MetaOrigin::MetaTag if tag_key && is_translation_tag(&m.value) => {
                    EvidenceKind::Meta
                }
                MetaOrigin::JsonLd
                    if m.key.starts_with("translationofwork")
                        || m.key.starts_with("translator") =>
                {
                    EvidenceKind::JsonLd
                }
                _ => return None,
            };
            Some(Evidence {
                kind,
                span: m.span,
                text: m.value.trim().to_owned(),
            })
        })
        .chain(translation_tag_links(doc))
        .collect()
}

fn excerpt_flag(doc: &Document) -> Option<Evidence> {
    doc.meta
        .iter()
        .find(|m| {
            m.origin == MetaOrigin::FrontMatter
                && m.key == "excerpt"
                && m.value.trim().eq_ignore_ascii_case("true")
        })
        .map(|m| Evidence {
            kind: EvidenceKind::FrontMatter,
            span: m.span,
            text: m.value.trim().to_owned(),
        })
}

/// The original's language as the post states it (ISO 639-1); `named` is false when no
/// block can name it (its gate is closed).
fn declared_from_language(doc: &Document, named: bool) -> Option<String> {
    if let Some(m) = doc.meta.iter().find(|m| {
        m.origin == MetaOrigin::FrontMatter
            && matches!(m.key.as_str(), "original_language" | "translated_from")
    }) && let Some(code) = normalize_lang(&m.value)
    {
        return Some(code);
    }
    prose_blocks(doc).filter(|_| named).find_map(|b| {
        let caps = FROM_LANGUAGE.captures_iter(&b.text).next()?;
        let (group, word) = ["en", "es", "fr", "de", "pt", "it", "ru", "zh", "zh2"]
            .iter()
            .find_map(|g| caps.name(g).map(|m| (*g, m.as_str())))?;
        Some(language_of_name(group, word).to_owned())
    })
}

/// The code of a language name captured in the disclosure of language `group`.
fn language_of_name(group: &str, word: &str) -> &'static str {
    let w = word.to_lowercase();
    let table: [(&[&str], &'static str); 9] = [
        (&["engl", "ingl", "angl", "англ", "英"], "en"),
        (&["span", "espa", "spagn", "испан", "西班牙"], "es"),
        (&["fren", "fran", "franz", "франц", "法"], "fr"),
        (
            &["germ", "alem", "allem", "tedesc", "deut", "немец", "德"],
            "de",
        ),
        (&["portu", "葡"], "pt"),
        (&["ital"], "it"),
        (&["chin", "китай", "中", "汉"], "zh"),
        (&["russ", "рус", "ruso", "俄"], "ru"),
        (&["japan", "japon", "jap", "日"], "ja"),
    ];
    table
        .iter()
        .find(|(stems, _)| stems.iter().any(|s| w.starts_with(s)))
        .map_or(if group == "zh2" { "zh" } else { "en" }, |(_, code)| code)
}

/// The original's language as a link tells it: the language, and whether the clue is sure
/// (a language path segment, whatlang on the link text, a clear lead of function words) or
/// only a hint (a narrow lead of function words, a country domain).
struct LanguageClue {
    lang: String,
    sure: bool,
}

/// The original's language estimated from the first source link that tells, with the link.
fn original_language(doc: &Document, sources: &[SourceLink]) -> Option<(LanguageClue, Evidence)> {
    sources.iter().find_map(|s| {
        let link_text = doc
            .links
            .iter()
            .find(|l| l.span == s.evidence.span)
            .map(|l| l.text.as_str());
        url_language(&s.url, link_text).map(|clue| (clue, s.evidence.clone()))
    })
}

const LANG_SEGMENTS: &[&str] = &[
    "en", "es", "fr", "de", "pt", "it", "zh", "ru", "ja", "ko", "nl", "pl", "tr", "ar",
];

/// A guess at a linked page's language: path segment, link text, slug words, country TLD.
fn url_language(url: &str, link_text: Option<&str>) -> Option<LanguageClue> {
    let sure = |lang: String| LanguageClue { lang, sure: true };
    let words = |(lang, clear): (&str, bool)| LanguageClue {
        lang: lang.to_owned(),
        sure: clear,
    };
    let segments = path_segments(url);
    if let Some(code) = segments.iter().find_map(|s| {
        let code = normalize_lang(s)?;
        (s.len() <= 5 && LANG_SEGMENTS.contains(&code.as_str())).then_some(code)
    }) {
        return Some(sure(code));
    }
    // The link text, then the slug, then the country domain: the first sure clue, else the
    // first hint (a link text of three short words is a hint; the slug may be sure).
    let text_clue = link_text
        .filter(|text| !text.contains("://") && text.split_whitespace().count() >= 3)
        .and_then(|text| {
            guess_lang(text)
                .map(sure)
                .or_else(|| function_word_language(text).map(words))
        });
    if text_clue.as_ref().is_some_and(|c| c.sure) {
        return text_clue;
    }
    let slug_clue = segments
        .iter()
        .rev()
        .find_map(|s| slug_language(s))
        .map(words);
    if slug_clue.as_ref().is_some_and(|c| c.sure) {
        return slug_clue;
    }
    text_clue
        .or(slug_clue)
        .or_else(|| tld_language(&host(url)?).map(|lang| LanguageClue { lang, sure: false }))
}

/// The language of a hyphenated slug of three words or more, by its function words, and
/// whether they lead clearly; a word several languages share ("do", "a") counts for each, so
/// it alone decides nothing.
fn slug_language(segment: &str) -> Option<(&'static str, bool)> {
    let words = segment
        .split(['-', '_', '.'])
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .count();
    if words >= 3 {
        function_word_language(segment)
    } else {
        None
    }
}

fn tld_language(host: &str) -> Option<String> {
    let tld = host.rsplit('.').next()?;
    let code = match tld {
        "de" | "at" => "de",
        "fr" => "fr",
        "es" | "mx" | "ar" | "cl" | "pe" => "es",
        "it" => "it",
        "jp" => "ja",
        "cn" | "tw" => "zh",
        "ru" => "ru",
        "br" | "pt" => "pt",
        "kr" => "ko",
        "nl" => "nl",
        _ => return None,
    };
    Some(code.to_owned())
}

/// The share (0–1) of the post's own prose blocks written in `lang`, counted in blocks (not
/// characters: quoted lines of the original are short beside the commentary around them).
/// When the two languages use different scripts, a block's script decides (reliable even on
/// a short line); otherwise whatlang's guess does.
fn share_in(doc: &Document, doc_lang: &str, lang: &str) -> f64 {
    let by_script = match (script_family(doc_lang), script_family(lang)) {
        (Some(a), Some(b)) if a != b => Some(b),
        _ => None,
    };
    let mut total = 0u32;
    let mut matching = 0u32;
    for block in own_prose(doc) {
        if block.trim().chars().count() < 15 {
            continue;
        }
        let in_lang = match by_script {
            Some(family) => whatlang::detect_script(block).map(|s| block_family(s) == Some(family)),
            None => guess_lang(block).map(|g| g == lang),
        };
        let Some(in_lang) = in_lang else {
            continue;
        };
        total += 1;
        if in_lang {
            matching += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        f64::from(matching) / f64::from(total)
    }
}

/// True when the two languages are known to be written in different scripts.
fn across_scripts(a: &str, b: &str) -> bool {
    matches!((script_family(a), script_family(b)), (Some(x), Some(y)) if x != y)
}

/// The writing system a language is written in, for the languages we infer.
fn script_family(lang: &str) -> Option<&'static str> {
    Some(match lang {
        "zh" => "han",
        "ja" => "kana",
        "ko" => "hangul",
        "ru" | "uk" => "cyrillic",
        "ar" | "fa" => "arabic",
        "el" => "greek",
        "he" => "hebrew",
        "hi" => "devanagari",
        "th" => "thai",
        _ if LATIN_LANGS.contains(&lang) => "latin",
        _ => return None,
    })
}

const LATIN_LANGS: &[&str] = &[
    "en", "es", "fr", "de", "pt", "it", "nl", "pl", "tr", "sv", "da", "fi", "cs", "vi", "id", "hu",
    "ro", "ca",
];

fn block_family(script: whatlang::Script) -> Option<&'static str> {
    use whatlang::Script;
    Some(match script {
        Script::Latin => "latin",
        Script::Mandarin => "han",
        Script::Hiragana | Script::Katakana => "kana",
        Script::Hangul => "hangul",
        Script::Cyrillic => "cyrillic",
        Script::Arabic => "arabic",
        Script::Greek => "greek",
        Script::Hebrew => "hebrew",
        Script::Devanagari => "devanagari",
        Script::Thai => "thai",
        _ => return None,
    })
}

/// The post's own prose blocks (no chrome, code, captions or front matter).
fn own_blocks(doc: &Document) -> impl Iterator<Item = &crate::document::Block> {
    doc.blocks.iter().filter(|b| {
        matches!(
            b.context,
            Context::Body | Context::Heading | Context::Blockquote
        )
    })
}

/// The text of the post's own prose blocks.
fn own_prose(doc: &Document) -> impl Iterator<Item = &str> {
    own_blocks(doc).map(|b| b.text.as_str())
}

/// The post's declared language (`lang` attribute, front matter), normalized to ISO 639-1.
pub fn declared_language(doc: &Document) -> Option<String> {
    doc.lang.as_deref().and_then(normalize_lang)
}

/// The post's language: declared (normalized to ISO 639-1), else detected from its prose when
/// there is enough of it: English when it is [`plainly_english`], else whatlang's guess when
/// whatlang is confident.
pub fn language(doc: &Document) -> Option<String> {
    if let Some(code) = declared_language(doc) {
        return Some(code);
    }
    // The first blocks up to 2,000 bytes and the block that crosses it, one per line.
    let mut len = 0;
    let texts: Vec<&str> = own_prose(doc)
        .take_while(|text| {
            let open = len <= 2000;
            len += text.len() + 1;
            open
        })
        .collect();
    let mut sample = String::with_capacity(len);
    for text in texts {
        sample.push_str(text);
        sample.push('\n');
    }
    // A char takes at most four bytes: 160 bytes hold at least 40 chars.
    let trimmed = sample.trim();
    if trimmed.len() < 160 && trimmed.chars().count() < 40 {
        return None;
    }
    if plainly_english(&sample) {
        return Some("en".to_owned());
    }
    guess_lang(&sample)
}

/// Every match of `re` in the prose blocks, as text evidence.
fn find_in_prose(doc: &Document, re: &Gated) -> Vec<Evidence> {
    prose_blocks(doc)
        .flat_map(|block| {
            re.find_iter(&block.text)
                .map(move |m| block_evidence(block, m.start(), m.end(), EvidenceKind::Text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Link, Meta};
    use crate::source::Span;

    /// A document of one body block per text, a line break apart.
    pub(super) fn doc_of(texts: &[&str]) -> Document {
        let mut at = 0;
        let blocks = texts
            .iter()
            .map(|t| {
                let b = Block::verbatim(t, Span::new(at, at + t.len()), Context::Body);
                at += t.len() + 1;
                b
            })
            .collect();
        Document {
            blocks,
            ..Document::default()
        }
    }

    fn source(url: &str, span: Span) -> SourceLink {
        SourceLink {
            url: url.into(),
            evidence: Evidence {
                kind: EvidenceKind::Link,
                span,
                text: url.into(),
            },
        }
    }

    #[test]
    fn this_work_was_translated_discloses_a_translation() {
        let a = detect(
            &doc_of(&["This work was translated and shared via a License CC-BY-NC."]),
            &[],
        );
        assert!(a.translated && a.disclosed);
        let a = detect(
            &doc_of(&["His work has been translated into several languages."]),
            &[],
        );
        assert!(!a.translated);
    }

    #[test]
    fn translation_label_needs_a_name_on_its_line() {
        for text in [
            "Translation: Marta Gil",
            "* Translator: Marta Gil and Ana Ruiz",
        ] {
            let a = detect(&doc_of(&[text]), &[]);
            assert!(a.translated && a.disclosed, "{text}");
        }
        for text in [
            "The council calls it a gift. Translation: it lost the case in court.",
            "Translation: “I made my money fair and square, so quit hassling me.”",
            "Translation: most pop music now sounds the same as it did.",
        ] {
            assert!(!detect(&doc_of(&[text]), &[]).translated, "{text}");
        }
    }

    #[test]
    fn is_a_translation_in_the_posts_language_discloses_it() {
        for (text, words) in [
            (
                "Essa é uma tradução do artigo “Game Master”, publicado na revista.",
                "é uma tradução",
            ),
            (
                "Этот топик является переводом с сайта - example.org",
                "является переводом",
            ),
        ] {
            let a = detect(&doc_of(&[text]), &[]);
            assert!(a.translated && a.disclosed, "{text}");
            let span = a.disclosures[0].span;
            assert_eq!(&text[span.start..span.end], words);
        }
        // A gloss of one word in free translation is no statement about the post.
        let a = detect(
            &doc_of(&["Escopo (em tradução livre, o alcance) é uma regra."]),
            &[],
        );
        assert!(!a.translated);
    }

    #[test]
    fn disclosed_translation_with_language() {
        let text = "Translated from the Spanish by Ana Gil.";
        let a = detect(&doc_of(&[text]), &[]);
        assert!(a.translated && a.disclosed && !a.modified);
        assert_eq!(a.from_language.as_deref(), Some("es"));
        assert_eq!(
            &text[a.disclosures[0].span.start..a.disclosures[0].span.end],
            "Translated from"
        );
        let zh = "本文译自美国时代的《The Men》，原作者：Lev Grossman。";
        let a = detect(&doc_of(&[zh]), &[]);
        assert!(a.translated && a.disclosed);
        assert_eq!(
            &zh[a.disclosures[0].span.start..a.disclosures[0].span.end],
            "本文译自"
        );
        let de = doc_of(&["Aus dem Englischen übersetzt von Max Muster."]);
        assert_eq!(detect(&de, &[]).from_language.as_deref(), Some("en"));
    }

    #[test]
    fn compiler_is_not_a_translation() {
        let a = detect(
            &doc_of(&["我们用编译器编译这段代码，再把结果翻译成机器码的过程很有趣。"]),
            &[],
        );
        assert!(!a.translated);
    }

    #[test]
    fn slug_language_by_function_words() {
        assert_eq!(
            slug_language("do-they-really-need-all-those-gadgets"),
            Some(("en", true))
        );
        assert_eq!(
            slug_language("las-bibliotecas-de-semillas-llegan-a-los-pueblos"),
            Some(("es", true))
        );
        // One shared word ("do", Portuguese too) decides nothing.
        assert_eq!(slug_language("do-gadgets-matter"), None);
    }

    #[test]
    fn inferred_from_english_slug() {
        let fr = "Créer des cartes peut être très puissant, mais souvent vous êtes limité aux options open source pour l'imagerie de la carte.";
        let mut doc = doc_of(&[fr]);
        doc.lang = None;
        let src = source(
            "https://freecodecamp.org/news/how-to-set-up-a-custom-basemap",
            Span::new(500, 540),
        );
        let a = detect(&doc, std::slice::from_ref(&src));
        assert!(a.translated && !a.disclosed);
        assert_eq!(a.from_language.as_deref(), Some("en"));
        assert_eq!(a.inferred[0].span, Span::new(500, 540));
        // Same language: no translation.
        let en = doc_of(&[
            "This is a long enough English paragraph about maps and how to draw them well.",
        ]);
        assert!(!detect(&en, &[src]).translated);
    }

    #[test]
    fn inferred_from_link_text_but_not_when_the_post_quotes_the_original() {
        let mut doc = doc_of(&[
            "在StackOverflow上有这样一个贴子，我摘几个小故事过来，我在其中加了一些点评，希望大家喜欢。",
        ]);
        doc.lang = Some("zh-CN".into());
        doc.links.push(Link {
            href: "http://stackoverflow.com/questions/63668/x".into(),
            text: "Confessions of your worst WTF moment".into(),
            rel: Vec::new(),
            span: Span::new(10, 60),
            context: Context::Body,
            classes: Vec::new(),
        });
        let src = source(
            "http://stackoverflow.com/questions/63668/x",
            Span::new(10, 60),
        );
        assert!(detect(&doc, std::slice::from_ref(&src)).translated);
        doc.blocks.push(Block::verbatim(
            "The only best practice you should be using all the time is to use your brain and think hard about the problem at hand before you write any code at all.",
            Span::new(200, 352),
            Context::Body,
        ));
        assert!(!detect(&doc, &[src]).translated);
    }

    #[test]
    fn front_matter_translator_must_be_non_empty() {
        let mut doc = doc_of(&["Hola"]);
        doc.meta.push(Meta {
            key: "translator".into(),
            value: String::new(),
            span: Span::new(0, 0),
            origin: MetaOrigin::FrontMatter,
        });
        assert!(!detect(&doc, &[]).translated);
        doc.meta[0].value = "Ana".into();
        let a = detect(&doc, &[]);
        assert!(a.translated && a.disclosed);
        assert_eq!(a.disclosures[0].kind, EvidenceKind::FrontMatter);
    }

    #[test]
    fn modifications() {
        let text = "He said the plan [...] would work. Read the full article at the site.";
        let a = detect(&doc_of(&[text]), &[]);
        assert!(a.modified && !a.disclosed);
        let spans: Vec<&str> = a
            .inferred
            .iter()
            .map(|e| &text[e.span.start..e.span.end])
            .collect();
        assert_eq!(spans, ["[...]", "Read the full article at"]);
        let a = detect(
            &doc_of(&["This piece was edited for length and clarity."]),
            &[],
        );
        assert!(a.modified && a.disclosed);
    }

    #[test]
    fn language_declared_or_detected() {
        let mut doc =
            doc_of(&["Ceci est un texte écrit en français pour tester la détection de la langue."]);
        assert_eq!(language(&doc).as_deref(), Some("fr"));
        doc.lang = Some("zh-CN".into());
        assert_eq!(language(&doc).as_deref(), Some("zh"));
    }
}
