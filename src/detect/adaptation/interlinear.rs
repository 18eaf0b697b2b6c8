//! An interlinear translation: the original kept line by line, each line followed by its
//! translation in another script ("In a computer language, a group of words…" then
//! "컴퓨터 언어에서 특정 작업을…"). Such a post says nothing about being translated, yet it is
//! one, from the language of the kept lines.
//!
//! Only an original in the Latin script followed by a translation in Han, kana, Hangul or
//! Cyrillic is recognised: the script of a line tells its side without guessing, and the
//! order (original first) is what these posts keep. The two lines of a pair share a paragraph
//! (a soft line break, `<br>`): a story that quotes a mail in one paragraph and translates it in
//! the next, or a list of quotes each translated in its own paragraph, is commentary. A post
//! that translates a few quoted lines in place is told apart by counting.

use crate::document::{Block, Document};

use super::super::Evidence;
use super::super::EvidenceKind;
use super::super::text::block_evidence;
use super::language::{function_word_language, guess_lang};

/// A line needs this many letters for its script to count: shorter lines (headings, labels,
/// "For example:") say too little and break a run of pairs.
const MIN_LETTERS: usize = 20;

/// Fewer pairs than this is a post quoting a few lines of the original and commenting on them.
const MIN_PAIRS: usize = 5;

/// The share of a post's lines (of [`MIN_LETTERS`] or more) that must open a pair, as a
/// fraction `NUMERATOR / DENOMINATOR`: a long post of its own that translates a few quoted
/// lines in place is no translated work.
const SHARE_NUMERATOR: usize = 1;
const SHARE_DENOMINATOR: usize = 10;

/// The writing system of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    /// Han and kana: Chinese and Japanese.
    Cjk,
    Hangul,
    Cyrillic,
    /// No script has four fifths of the letters.
    Mixed,
}

/// The script of a line when it has at least [`MIN_LETTERS`] letters.
fn line_script(line: &str) -> Option<Script> {
    let (mut latin, mut cjk, mut hangul, mut cyrillic, mut letters) = (0, 0, 0, 0, 0usize);
    for c in line.chars() {
        // ASCII first: most lines are mostly ASCII, and its letters are all Latin.
        if c.is_ascii() {
            if c.is_ascii_alphabetic() {
                letters += 1;
                latin += 1;
            }
            continue;
        }
        if !c.is_alphabetic() {
            continue;
        }
        letters += 1;
        match u32::from(c) {
            0x41..=0x24F => latin += 1,
            0x400..=0x4FF => cyrillic += 1,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => hangul += 1,
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF => cjk += 1,
            _ => {}
        }
    }
    if letters < MIN_LETTERS {
        return None;
    }
    let major = |n: usize| n * 5 >= letters * 4;
    Some(if major(latin) {
        Script::Latin
    } else if major(cjk) {
        Script::Cjk
    } else if major(hangul) {
        Script::Hangul
    } else if major(cyrillic) {
        Script::Cyrillic
    } else {
        Script::Mixed
    })
}

/// Whether a UTF-8 byte leads a character in the range of Cyrillic (U+0400–U+04FF) or of kana,
/// Han and Hangul (U+3000–U+DFFF); typographic quotes and dashes (U+2000–U+2FFF) do not.
fn opens_target_script(byte: u8) -> bool {
    matches!(byte, 0xD0..=0xD3 | 0xE3..=0xED)
}

/// Whether `text` holds a byte [`opens_target_script`] accepts. ASCII is skipped eight bytes
/// at a time: a byte-by-byte look at every post cost more than the rest of this check.
fn holds_target_script(text: &str) -> bool {
    text.as_bytes()
        .chunks(8)
        .any(|chunk| !chunk.is_ascii() && chunk.iter().any(|&b| opens_target_script(b)))
}

/// The language of an original line: whatlang's reliable guess, else a clear lead of
/// function words.
fn line_language(line: &str) -> Option<String> {
    guess_lang(line).or_else(|| {
        function_word_language(line)
            .filter(|(_, clear)| *clear)
            .map(|(lang, _)| lang.to_owned())
    })
}

/// The original's language and the first kept original line, when the post is an
/// interlinear translation of a Latin-script original.
pub(super) fn interlinear(doc: &Document) -> Option<(String, Evidence)> {
    // Most posts hold no letter of the translation's scripts: a byte scan tells, before any
    // line is decoded.
    if !super::own_blocks(doc).any(|b| holds_target_script(&b.text)) {
        return None;
    }
    let mut lines = 0usize;
    // Each Latin line followed by a line in another script, as (block, start, end): their
    // languages are guessed only when there are enough of them, as few posts have.
    let mut candidates: Vec<(&Block, usize, usize)> = Vec::new();
    for block in super::own_blocks(doc) {
        // A pair is two lines of one paragraph: a story that quotes a mail in one paragraph and
        // translates it in the next is commentary, not a text kept line by line.
        let mut previous: Option<(Script, usize, usize)> = None;
        let mut at = 0;
        for line in block.text.split('\n') {
            let (start, end) = (at, at + line.len());
            at = end + 1;
            // A blank line inside a paragraph is the source's layout (a `<br>` then a newline).
            if line.trim().is_empty() {
                continue;
            }
            let Some(script) = line_script(line) else {
                previous = None;
                continue;
            };
            lines += 1;
            if let Some((Script::Latin, from, to)) = previous
                && matches!(script, Script::Cjk | Script::Hangul | Script::Cyrillic)
            {
                candidates.push((block, from, to));
            }
            previous = Some((script, start, end));
        }
    }
    let enough =
        |pairs: usize| pairs >= MIN_PAIRS && pairs * SHARE_DENOMINATOR >= lines * SHARE_NUMERATOR;
    if !enough(candidates.len()) {
        return None;
    }
    // Each pair: the kept line's language and place.
    let pairs: Vec<(String, Evidence)> = candidates
        .into_iter()
        .filter_map(|(block, from, to)| {
            let lang = line_language(block.text.get(from..to)?)?;
            Some((lang, block_evidence(block, from, to, EvidenceKind::Text)))
        })
        .collect();
    if !enough(pairs.len()) {
        return None;
    }
    // The language most pairs keep; the first of its lines is the evidence.
    let lang = most_common(pairs.iter().map(|(lang, _)| lang.as_str()))?;
    pairs.into_iter().find(|(l, _)| *l == lang)
}

/// The most frequent of `items` (the first to reach the top count on a tie).
fn most_common<'a>(items: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(seen, _)| *seen == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    let top = counts.iter().map(|(_, n)| *n).max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == top)
        .map(|(item, _)| item.to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::tests::doc_of;
    use super::*;
    use crate::source::Span;

    const PAIRS: [(&str, &str); 5] = [
        (
            "In a computer language, a group of words and numbers that performs a task is a statement.",
            "컴퓨터 언어에서 특정 작업을 수행하는 단어와 숫자의 그룹을 문이라고 합니다.",
        ),
        (
            "The characters are called variables, which are like simple boxes you can store things in.",
            "이 문자들을 변수라고 하는데, 이는 무엇이든 저장할 수 있는 간단한 상자와 같습니다.",
        ),
        (
            "By contrast, the number is just a value itself, because it stands alone in the program.",
            "반면 숫자는 프로그램에서 독립적으로 존재하기 때문에 값 자체에 불과합니다.",
        ),
        (
            "Most statements in this language conclude with a semicolon at the end of the line.",
            "이 언어의 대부분의 문은 줄 끝에서 세미콜론으로 마무리됩니다.",
        ),
        (
            "Programs are just collections of many such statements, which together describe the steps.",
            "프로그램은 이러한 많은 명령문의 집합으로, 함께 모든 단계를 설명합니다.",
        ),
    ];

    #[test]
    fn english_lines_each_followed_by_their_translation() {
        let texts: Vec<String> = PAIRS.iter().map(|(en, ko)| format!("{en}\n{ko}")).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (lang, evidence) = interlinear(&doc_of(&texts)).expect("an interlinear translation");
        assert_eq!(lang, "en");
        assert_eq!(evidence.text, PAIRS[0].0);
        assert_eq!(evidence.span, Span::new(0, PAIRS[0].0.len()));
    }

    #[test]
    fn a_few_quoted_lines_with_comments_are_no_translation() {
        // Four pairs: too few.
        let texts: Vec<String> = PAIRS[..4]
            .iter()
            .map(|(en, ko)| format!("{en}\n{ko}"))
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        assert!(interlinear(&doc_of(&texts)).is_none());
        // Five pairs among many lines of the post's own: too small a share.
        let own = "이 글은 제가 직접 쓴 글로, 프로그래밍 언어에 대한 제 생각을 정리한 것입니다.";
        let mut texts: Vec<String> = PAIRS.iter().map(|(en, ko)| format!("{en}\n{ko}")).collect();
        texts.extend(std::iter::repeat_n(own.to_owned(), 60));
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        assert!(interlinear(&doc_of(&texts)).is_none());
    }

    #[test]
    fn a_translation_in_the_next_paragraph_is_no_pair() {
        let texts: Vec<&str> = PAIRS.iter().flat_map(|(en, ko)| [*en, *ko]).collect();
        assert!(interlinear(&doc_of(&texts)).is_none());
    }

    #[test]
    fn a_target_letter_is_found_anywhere_among_ascii_and_quotes() {
        let ascii = "plain words, then more words ".repeat(3);
        assert!(!holds_target_script(&ascii));
        assert!(!holds_target_script(&format!(
            "{ascii}\u{201c}quoted\u{201d} \u{2014} done"
        )));
        for at in [0, 5, 7, 8, 13, ascii.len()] {
            let mut text = ascii.clone();
            text.insert(at, 'я');
            assert!(holds_target_script(&text), "at {at}");
        }
        assert!(holds_target_script(&format!("{ascii}中")));
    }

    #[test]
    fn target_scripts_are_told_by_their_lead_byte() {
        let opens = |c: char| c.to_string().bytes().any(opens_target_script);
        for c in ['а', 'я', '한', '中', 'の', 'ア'] {
            assert!(opens(c), "{c}");
        }
        for c in ['e', 'é', 'ß', '“', '—', '…', '€'] {
            assert!(!opens(c), "{c}");
        }
    }
}
