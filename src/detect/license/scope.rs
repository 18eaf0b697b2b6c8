//! Wording around a claim that decides what it covers: licensing statements ("licensed under",
//! "本作品采用", "Lizenz:"), explicit "this work/article" statements, image credit markers
//! ("Photo:", "Image credit", "Flickr", "图片"), and the sentence a claim sits in.
//!
//! Only text tests; the rules that combine them with the block's context live in the parent.

use std::sync::LazyLock;

use regex::Regex;

use crate::detect::gated::Gated;
use crate::detect::text::floor_boundary;

/// Wording that makes a sentence a license statement rather than a mention of a license.
static LICENSING: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(concat!(
        r"(?i)licen[cs]ed|licen[cs]e\s*[:：]|licen[cs]e\s+is|lizen[sz]iert|lizenz\s*[:：]|",
        r"licencia\s*[:：]|licence\s*[:：]|licença\s*[:：]|",
        r"\bunder\s+(?:a|an|the|this|its)?\s*(?:creative|cc\b|licen|terms|\x{1})|\bunder\s+cc|",
        r"published|released|available\s+under|distributed\s+under|shared\s+(?:via|under)|",
        r"reproduced|reprinted|republished|\bthis\s+licen[cs]e\b|to\s+view\s+a\s+copy|you\s+(?:are\s+free|may|can)\s+(?:to\s+)?(?:share|copy|reuse|republish)|",
        r"\bthis\s+(?:work|article|post|translation|story|book|text|document|essay|content|piece|",
        r"material|chapter|guide|tutorial|page|blog|report|paper|site|website|entry|issue|edition|",
        r"publication|volume|collection|video|podcast|episode)\b|",
        r"\b(?:bajo|con)\s+(?:la\s+|una\s+)?licencia|publicado\s+bajo|",
        r"\b(?:sous|selon)\s+(?:la\s+|une\s+)?licence|\bla\s+licence|\bune\s+licence|",
        r"\bsob\s+(?:a\s+|uma\s+)?licen[cç]a|\bsotto\s+(?:la\s+)?licenza|",
        r"\bunter\s+(?:der|einer|den|dieser)\b|\bsteht\s+unter|veröffentlicht|",
        r"采用|许可协议|本作品|本文|(?:^|[^这那一])本书|本站|授权|协议\s*[:：]|许可证?\s*[:：]|遵循|遵守|",
        r"下(?:发布|发表|提供|共享|分享|授权)|",
        r"ライセンス|の下に|で提供|提供されて|許諾|授權|條款|",
        // The license chooser's own sentences in its other languages ("Este trabalho está
        // licenciado com uma Licença", "Quest'opera è distribuita con Licenza", "Это произведение
        // доступно по лицензии", "… 라이선스에 따라 이용할 수 있습니다") and their common variants
        // ("Este trabajo se licencia bajo", "… 라이센스를 따릅니다").
        r"licenciad[oa]\s|\bse\s+licencia|distribuit[ao]\s+con\s+licenza|in\s+licenza|",
        r"по\s+лицензии|라이[선센]스(?:에\s*따라|를\s*따릅)"
    ))
});

/// An explicit statement about this post (counts even in a footer).
static EXPLICIT: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(concat!(
        r"(?i)\bthis\s+(?:work|article|post|translation|story|book|text|document|essay|piece|",
        r"chapter|entry|report|paper|publication|volume)\b|本作品|本文|(?:^|[^这那一])本书|本译文|此文|",
        // "This work" as the license chooser words it in its other languages, and "this
        // article/document/translation" beside it.
        r"\b(?:esta\s+(?:obra|traducci[oó]n|tradu[cç][aã]o)|este\s+(?:trabajo|trabalho|art[ií]culo|artigo|libro|livro|documento|texto)|",
        r"cette\s+(?:œuvre|oeuvre|traduction)|cet\s+article|ce\s+(?:travail|document|texte|livre)|",
        r"dieses\s+werk|dieser\s+(?:artikel|text|beitrag)|diese\s+übersetzung|",
        r"quest['’]opera|questo\s+(?:articolo|lavoro|testo)|",
        r"это\s+произведение|эт(?:а|от)\s+(?:статья|перевод|текст))\b|",
        r"この(?:作品|記事|文書|翻訳)|이\s*(?:저작물|문서|글|번역본?)[은는이]|본\s*(?:문서|글)[은는이]"
    ))
});

/// A "License:" label in front of the claim.
static LABEL: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(
        r"(?i)(?:licen[cs]e|lizenz|licencia|licença|licenza|rights|协议|许可协议|许可证|许可|授权|版权)\s*[:：]\s*\x{1}",
    )
});

/// Markers of an image credit line.
static IMAGE_MARKER: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(concat!(
        r"(?i)\b(?:photo|photos|photograph|image|images|picture|illustration|graphic|foto|fotos|",
        r"bild|bilder|imagen|imagem|immagine|artist|cartoon|comic|credit|credits|crédit|crédito|",
        r"bildquelle|quelle|header\s+image|featured\s+image|cover\s+image|lead\s+image)\s*",
        r"(?:by|credit|credits|courtesy|source|via)?\s*[:：]|",
        r"\b(?:photo|image|picture|illustration)\s+(?:by|credit|courtesy|source|via)\b|",
        r"\bphotographed\s+by|\billustration\b|\bflickr\b|wikimedia|\bunsplash\b|\bpexels\b|",
        r"\bpixabay\b|getty\s+images|shutterstock|\bvia\s+commons\b|",
        r"图片|图源|照片|插图|配图|图\s*[:：]|写真|画像|圖片|照片来源"
    ))
});

/// Names of other (non-CC) licenses, as they appear in tables and lists of software or books.
static OTHER_LICENSE: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(concat!(
        r"(?i)\b(?:MIT|[AL]?GPL(?:v?\d(?:\.\d)?)?|BSD|Apache|MPL|EPL|GFDL|ISC|WTFPL|Unlicense|",
        r"Public\s+Domain|Open\s+Publication\s+License|Artistic\s+License|Free\s+Art\s+License)\b"
    ))
});

/// A sentence whose subject is a part of the post, not the post: its code samples, or "part" /
/// "portions" of it ("Code snippets … are licensed under CC0", "Part of this code is based upon
/// … licensed under CC BY-SA 3.0", Google's "Portions of this page are modifications based on
/// work created and shared by Google …").
static PART: LazyLock<Gated> = LazyLock::new(|| {
    Gated::new(concat!(
        r"(?im)(?:^|[.!?。：:]\s)[\s*_>#-]*(?:(?:all|the)\s+)?(?:code\s+(?:snippets?|samples?|blocks?|",
        r"examples?|listings?)|(?:parts?|portions?)\s+of\s+(?:this|the)\s+(?:code|page|post|article|",
        r"work|site|content|book|document|software|program))\b"
    ))
});

/// A sentence end: the text after it is another statement.
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[.!?。！？]\s").expect("valid regex"));

/// A line that is a label and its value ("Work: http://…", "License:"), continuing a notice.
static LABEL_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\p{L}[\p{L} ]{0,20}\s*[:：]").expect("valid regex"));

/// True when the text before a claim (in its paragraph) opens a sentence about a part of the
/// post, and the claim is in that sentence or in the label lines that follow it ("Work: …",
/// "License:" and a bare deed URL under a "Part of this code …" line). A later sentence of its
/// own ("Portions of this content are © … contributors. Content available under a Creative
/// Commons license.") is a statement about the post again.
pub fn covers_part(before: &str) -> bool {
    let Some(opener) = PART.find_iter(before).last() else {
        return false;
    };
    let rest = &before[opener.end()..];
    let Some(end) = SENTENCE_END.find(rest) else {
        return true;
    };
    rest[end.end()..]
        .lines()
        .filter(|line| !line.trim().is_empty())
        .all(|line| LABEL_LINE.is_match(line))
}

/// True when `text` names a non-CC license (a neighbour of a claim in a license table).
pub fn names_other_license(text: &str) -> bool {
    OTHER_LICENSE.is_match(text)
}

/// True when `text` (a sentence with the claim itself removed) states a license.
pub fn is_licensing(text: &str) -> bool {
    LICENSING.is_match(text)
}

/// True when `text` says it is about this very post ("this article is licensed…").
pub fn is_explicit(text: &str) -> bool {
    EXPLICIT.is_match(text)
}

/// True when the claim follows a "License:" label ("协议：CC BY-NC-SA 4.0").
pub fn is_label(text: &str) -> bool {
    LABEL.is_match(text)
}

/// True when `text` reads like an image credit.
pub fn is_image_credit(text: &str) -> bool {
    IMAGE_MARKER.is_match(text)
}

/// How far from a claim, in bytes, its sentence is read for wording: licensing words sit next
/// to the claim they introduce, and a bounded look keeps a post of one endless sentence with
/// thousands of claims linear to check.
pub const NEAR: usize = 1024;

/// Where the sentences of one text end, found in one pass so that the sentence around each of
/// many claims is a lookup, not a rescan of the text.
#[derive(Debug)]
pub struct Sentences {
    /// Each sentence end, in order: where its ending character starts, where it ends, and the
    /// last byte the test for it read (a `.` is an end only before a space).
    ends: Vec<End>,
    len: usize,
    /// Where the text's first alphanumeric characters start (at most [`LABEL_LETTERS`]).
    lead: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
struct End {
    at: usize,
    after: usize,
    seen: usize,
}

impl Sentences {
    /// The sentence ends of `text` ([`ends_sentence`]).
    pub fn new(text: &str) -> Sentences {
        let ends = text
            .char_indices()
            .filter_map(|(at, c)| {
                let seen = ends_sentence(text, at, c)?;
                Some(End {
                    at,
                    after: at + c.len_utf8(),
                    seen,
                })
            })
            .collect();
        let lead = text
            .char_indices()
            .filter(|(_, c)| c.is_alphanumeric())
            .map(|(at, _)| at)
            .take(LABEL_LETTERS)
            .collect();
        Sentences {
            ends,
            len: text.len(),
            lead,
        }
    }

    /// The sentence (or line) around `start..end`, as a byte range: from the end of the last
    /// sentence before `start` (judged on the text before `start` alone) to the end of the
    /// first one at or after `end`.
    pub fn around(&self, start: usize, end: usize) -> (usize, usize) {
        let before = self.ends.partition_point(|e| e.at < start);
        // The last end before `start` counts only if its test read nothing from `start` on;
        // the end before that one read nothing past this one's start.
        let from = self
            .ends
            .get(..before)
            .unwrap_or_default()
            .iter()
            .rev()
            .take(2)
            .find(|e| e.seen < start)
            .map_or(0, |e| e.after);
        let after = self.ends.partition_point(|e| e.at < end);
        let to = self.ends.get(after).map_or(self.len, |e| e.after);
        (from, to.max(end))
    }
}

/// The sentence around `start..end` in `text`, as a byte range ([`Sentences::around`]).
#[cfg(test)]
fn sentence(text: &str, start: usize, end: usize) -> (usize, usize) {
    Sentences::new(text).around(start, end)
}

/// A sentence ends at a blank line, at CJK full stops, and at `.!?` followed by a space. A
/// single newline is a soft wrap in HTML and Markdown, not an end. Returns the offset of the
/// last byte the test read, for an end.
fn ends_sentence(text: &str, at: usize, c: char) -> Option<usize> {
    match c {
        '\n' => {
            let rest = text.get(at + 1..)?;
            let blank = rest.trim_start_matches([' ', '\t', '\r']);
            blank
                .starts_with('\n')
                .then_some(at + 1 + rest.len() - blank.len())
        }
        '。' | '！' | '？' | '；' => Some(at),
        '.' | '!' | '?' => text
            .get(at + 1..)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_whitespace)
            .then_some(at + 1),
        _ => None,
    }
}

/// Stands for the claim itself in [`without`]'s output, so "under a ⟨claim⟩" still reads as a
/// licensing statement while the claim's own words ("… License") do not count as wording.
const PLACEHOLDER: char = '\u{1}';

/// `text[from..to]` with `start..end` (the claim itself) replaced by a placeholder, cut to
/// [`NEAR`] bytes on each side of the claim.
pub fn without(text: &str, (from, to): (usize, usize), start: usize, end: usize) -> String {
    let from = ceil_boundary(text, from.max(start.saturating_sub(NEAR)));
    let to = floor_boundary(text, to.min(end.saturating_add(NEAR)));
    let mut out = String::new();
    out.push_str(text.get(from..start.max(from)).unwrap_or(""));
    out.push(PLACEHOLDER);
    out.push_str(text.get(end.min(to)..to).unwrap_or(""));
    out
}

/// The first char boundary of `text` at or after `at`.
fn ceil_boundary(text: &str, at: usize) -> usize {
    (at..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len())
}

/// How many letters besides the claim make a block running prose rather than a label.
const LABEL_LETTERS: usize = 12;

/// True when the block holds little besides the claim (a badge or a "License" line): a label,
/// not a mention inside running prose.
#[cfg(test)]
fn is_standalone(block: &str, start: usize, end: usize) -> bool {
    Sentences::new(block).is_standalone(block, start, end)
}

impl Sentences {
    /// True when `block` (the text these sentences are of) holds little besides the claim at
    /// `start..end` (a badge or a "License" line): a label, not a mention inside running prose.
    pub fn is_standalone(&self, block: &str, start: usize, end: usize) -> bool {
        // The letters before the claim are looked up among the block's first few (a long run
        // of symbols before many claims is then not read again for each); those after it are
        // counted only up to the threshold.
        let head = self.lead.partition_point(|&at| at < start);
        let tail = block.get(end.min(block.len())..).unwrap_or("");
        let letters = head
            + tail
                .chars()
                .filter(|c| c.is_alphanumeric())
                .take(LABEL_LETTERS)
                .count();
        letters < LABEL_LETTERS
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_sentence_about_a_part_of_the_post_covers_that_part() {
        assert!(covers_part(
            "Part of this code is based upon \"Drift\", licensed under "
        ));
        assert!(covers_part(
            "This post is licensed under X. All code samples are also under "
        ));
        assert!(covers_part(
            "Portions of this page are modifications used according to the "
        ));
        assert!(!covers_part(
            "This post as a whole, except for code citations, is licensed under "
        ));
        assert!(!covers_part(
            "I rewrote part of this code last year and license it under "
        ));
        // Label lines continue the notice; a new sentence is a statement about the post again.
        assert!(covers_part(
            "Part of this code is based upon X, licensed under Y.\nWork: http://example.org/x\nLicense:\n"
        ));
        assert!(!covers_part(
            "Portions of this content are © 1998 by contributors. Content available under "
        ));
    }

    use super::*;

    #[test]
    fn sentences_split_at_stops_not_versions() {
        let text = "First one. Licensed under CC BY 4.0 here. Next";
        let start = text.find("CC").unwrap();
        let (from, to) = sentence(text, start, start + 9);
        assert_eq!(&text[from..to], " Licensed under CC BY 4.0 here.");
        let zh = "前文。本文采用CC BY 4.0协议。后文";
        let s = zh.find("CC").unwrap();
        let (from, to) = sentence(zh, s, s + 9);
        assert_eq!(&zh[from..to], "本文采用CC BY 4.0协议。");
    }

    #[test]
    fn cues() {
        assert!(is_licensing(
            "This work was translated and shared via a License "
        ));
        assert!(is_licensing("协议： "));
        assert!(is_licensing("我将此文章基于  授权"));
        assert!(!is_licensing(
            "它与印刷版完全相同且可根据\u{1}免费获得和分享。"
        ));
        assert!(!is_explicit("你可以购买这本书"));
        assert!(is_explicit("本书采用"));
        assert!(!is_licensing("OSGi in Practice ( )"));
        assert!(!is_licensing(" is a public domain dedication"));
        assert!(is_image_credit(
            "Image Credit: Wikimedia Commons- Anonymous, "
        ));
        assert!(is_image_credit("Flickr: Rawpixel "));
        assert!(is_image_credit("图片来源： Travis Wise. "));
        assert!(!is_image_credit(
            "This article is republished from The Conversation"
        ));
        assert!(is_explicit("This article is licensed under"));
        // The license chooser's sentences in its other languages, and their variants.
        assert!(is_explicit(
            "Este trabajo se licencia bajo \u{1} (CC-BY-NC-4.0)."
        ));
        assert!(is_licensing("Este trabajo se licencia bajo \u{1}."));
        assert!(is_licensing("Este trabalho está licenciado com uma \u{1}."));
        assert!(is_licensing("Quest'opera è distribuita con Licenza \u{1}."));
        assert!(is_licensing("Это произведение доступно по лицензии \u{1}."));
        assert!(is_explicit("이 문서는 \u{1} 라이센스를 따릅니다."));
        assert!(is_licensing("\u{1} 라이선스에 따라 이용할 수 있습니다."));
        assert!(is_explicit(
            "Cette œuvre est mise à disposition selon les termes de la \u{1}"
        ));
        assert!(!is_explicit("이 글자는 \u{1}"));
        assert!(!is_explicit("Todo este trabajador \u{1}"));
        assert!(is_label("协议：\u{1}"));
        assert!(is_licensing("which is under a \u{1}."));
        assert!(is_standalone("CC BY-NC-ND", 0, 11));
        assert!(names_other_license("GPLv3"));
        assert!(names_other_license("MIT"));
        assert!(!names_other_license("Submit"));
        assert!(!is_standalone(
            "CC0 is a public domain dedication tool",
            0,
            3
        ));
    }
}
