//! The language of a text: declared tags normalized to ISO 639-1, whatlang's guess, English
//! function words for long prose, and function words of several languages for texts too short
//! for whatlang (URL slugs, link texts). The adaptation detector's, to tell a translation; it
//! decides nothing about a post by itself.

use std::sync::LazyLock;

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
/// separate words), when one language leads, and whether it leads clearly. Clearly: a word of
/// one or two letters weighing half as much as a longer one (such words are also
/// abbreviations, and shared by many languages), the leader has the weight of a long and a
/// short word at least, and more than twice any other language's. One word is no clear lead:
/// English slugs hold "no" (`no-tax-cuts-dont-kill-people`), "im", "per", "os" and "dos"
/// (`os-x-and-dos`), which are also Portuguese, German or Italian function words.
pub fn function_word_language(text: &str) -> Option<(&'static str, bool)> {
    let lower = text.to_lowercase();
    let mut scores = [0usize; FUNCTION_WORDS.len()];
    let mut weights = [0usize; FUNCTION_WORDS.len()];
    for word in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= LONGEST_FUNCTION_WORD)
    {
        let weight = if word.chars().count() <= 2 { 1 } else { 2 };
        for ((score, weighed), (_, list)) in scores.iter_mut().zip(&mut weights).zip(FUNCTION_WORDS)
        {
            if list.contains(&word) {
                *score += 1;
                *weighed += weight;
            }
        }
    }
    let (at, best) = scores
        .iter()
        .enumerate()
        .max_by_key(|(_, score)| **score)
        .map(|(at, score)| (at, *score))?;
    let ties = scores.iter().filter(|&&score| score == best).count();
    if best == 0 || ties > 1 {
        return None;
    }
    let lead = weights[at];
    let runner_up = weights
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, w)| *w)
        .max()
        .unwrap_or(0);
    let clear = lead >= 3 && lead > 2 * runner_up;
    FUNCTION_WORDS.get(at).map(|(lang, _)| (*lang, clear))
}

/// The length in bytes of the longest word in [`FUNCTION_WORDS`]: a longer word is none of
/// them.
const LONGEST_FUNCTION_WORD: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

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
            Some(("en", true))
        );
        assert_eq!(
            function_word_language("las-bibliotecas-de-semillas-llegan-a-los-pueblos"),
            Some(("es", true))
        );
        assert_eq!(
            function_word_language("warum-doerfer-wieder-eigene-laeden-gruenden"),
            None
        );
        // A lone short word, or a narrow lead, is no clear lead.
        assert_eq!(
            function_word_language("no-tax-cuts-dont-kill-people"),
            Some(("pt", false))
        );
        assert_eq!(
            function_word_language("fun-linux-unix-windows-os-x-and-dos-airlines"),
            Some(("pt", false))
        );
        assert_eq!(
            function_word_language("the-quiet-return-of-night-trains"),
            Some(("en", true))
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
