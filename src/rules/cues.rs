//! Cues (`rules/cues/<lang>.toml`): the words and phrases the detectors look for, one file per
//! language, one table per cue [`Family`]. Data, parsed with spans and validated like the
//! license rules; the detectors ask for a family's phrases of every language at once and
//! compile them into one pattern per family. Not for deciding what a match means: that stays
//! in `detect`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;
use toml::Spanned;

use super::load::RuleError;

/// The cue files compiled into the binary: `(display name, contents)`, sorted by name.
const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_cues.rs"));

/// The folder of cue files in a rules directory.
pub const FOLDER: &str = "cues";

/// The longest phrase, in characters (the longest bundled one is under 200).
pub const MAX_PHRASE_CHARS: usize = 1_000;

/// The most a family's phrases may take compiled together (case-insensitively): half the regex
/// crate's default limit, so each detector's pattern built around a family (a few words and
/// flags more) still compiles.
const FAMILY_SIZE_LIMIT: usize = 5 << 20;

/// A kind of cue, named by its table in a cue file. Each family is compiled into one pattern
/// (its phrases of every language as alternatives), which one detector reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// "All rights reserved", "no reproduction without permission" (`detect::restriction`).
    Restriction,
    /// "Republished with permission", "经授权转载" (`detect::repost`).
    Permission,
    /// "Originally published", "via:", "转载自" (`detect::repost`).
    Repost,
    /// "Source:", "Quelle:" labels (`detect::repost`).
    SourceLabel,
    /// "Translated by", "译者", "Übersetzung:": the post says it is a translation (`detect::adaptation`).
    Translation,
    /// "Adapted from", "edited for length", "节选": the post says it was changed (`detect::adaptation`).
    Modification,
    /// "Subscribe to continue reading", "$5 a month": commercial pitches in prose (`detect::commercial`).
    Pitch,
    /// "Buy now", "Jetzt kaufen", "购买": link texts that sell something (`detect::commercial`).
    ShopLink,
    /// "Translated by", "Traducción:", "译者：" before a translator's name (`detect::credit`).
    TranslatorLabel,
    /// "Author:", "Autor:", "作者：" labels before an author's name (`detect::credit`).
    AuthorLabel,
    /// "Photo by", "Foto:", "摄影：" before a photographer's or artist's name (`detect::credit`).
    ImageCredit,
    /// "Originally published (on)", "publicado originalmente (en)" before the original outlet's name (`detect::credit`).
    FirstPublished,
    /// "Originally published", "本文转载自" anywhere in a link's sentence: the link is the original (`detect::source_link`).
    SourceSentence,
    /// "Translated from", "traduit de" before a link: the link is the translated original (`detect::source_link`).
    TranslatedFrom,
    /// "Licensed under", "License:": wording that makes a GPL/GFDL/MIT name a notice (`detect::other_license`).
    LicenseNotice,
    /// "原文地址：", "원문:": headers that point at the original, disclosing a derived text (`detect::adaptation`).
    OriginalHeader,
}

impl Family {
    /// Every family, in the order `rules show` lists them.
    pub const ALL: &[Family] = &[
        Family::Restriction,
        Family::Permission,
        Family::Repost,
        Family::SourceLabel,
        Family::Translation,
        Family::Modification,
        Family::Pitch,
        Family::ShopLink,
        Family::TranslatorLabel,
        Family::AuthorLabel,
        Family::ImageCredit,
        Family::FirstPublished,
        Family::SourceSentence,
        Family::TranslatedFrom,
        Family::LicenseNotice,
        Family::OriginalHeader,
    ];

    /// The family's table name in a cue file.
    pub fn name(self) -> &'static str {
        match self {
            Family::Restriction => "restriction",
            Family::OriginalHeader => "original-header",
            Family::LicenseNotice => "license-notice",
            Family::TranslatedFrom => "translated-from",
            Family::SourceSentence => "source-sentence",
            Family::FirstPublished => "first-published",
            Family::ImageCredit => "image-credit",
            Family::AuthorLabel => "author-label",
            Family::TranslatorLabel => "translator-label",
            Family::ShopLink => "shop-link",
            Family::Pitch => "pitch",
            Family::Modification => "modification",
            Family::Translation => "translation",
            Family::SourceLabel => "source-label",
            Family::Repost => "repost",
            Family::Permission => "permission",
        }
    }

    /// What the family's phrases say, and how they are matched, for `rules show`.
    pub fn summary(self) -> &'static str {
        match self {
            Family::OriginalHeader => {
                "headers that point at the original and so disclose a derived text: 原文地址：, 원문:, 英文原文 (case-sensitive)"
            }
            Family::LicenseNotice => {
                "licensing wording that makes a non-CC license's name a notice for the post: licensed under, License: (case-insensitive)"
            }
            Family::TranslatedFrom => {
                "wording earlier in a link's sentence that makes the link the translated original: translated from, traduit de, переводом с (case-insensitive)"
            }
            Family::SourceSentence => {
                "wording anywhere in a link's sentence that makes the link the original: originally published, 本文转载自, перевод статьи (case-insensitive)"
            }
            Family::FirstPublished => {
                "wording before the outlet that first published a post, followed by on/in/by/en/sur/bei…: originally published, publicado originalmente (case-insensitive)"
            }
            Family::ImageCredit => {
                "words before a photographer's or artist's name, read as `<word> by` or `<word>:`: Photo by, Foto:, 摄影： (case-insensitive)"
            }
            Family::AuthorLabel => {
                "labels before an author's name, read as `<label>:`: Author:, Autor:, 作者：, 저자: (case-insensitive)"
            }
            Family::TranslatorLabel => {
                "words before a translator's name: translated by, traducción:, 译者：, the name follows (case-insensitive)"
            }
            Family::ShopLink => {
                "link texts that sell something, matched as a link's whole text: buy now, jetzt kaufen, 购买 (case-insensitive)"
            }
            Family::Pitch => {
                "paywall and paid-membership pitches in prose: subscribe to continue reading, $5 a month (case-insensitive)"
            }
            Family::Modification => {
                "disclosures that a post was changed: adapted from, excerpted from, edited for length, 节选 (case-insensitive)"
            }
            Family::Translation => {
                "disclosures that a post is a translation: translated from/by, 译者, Übersetzung: (case-insensitive)"
            }
            Family::SourceLabel => {
                "labels before a post's source, read as `<label>:` (case-insensitive)"
            }
            Family::Repost => {
                "wording that says a post republishes another's work: originally published, via:, 转载自 (case-insensitive)"
            }
            Family::Permission => {
                "republished or translated with the rights holder's permission (case-insensitive)"
            }
            Family::Restriction => {
                "restrictive notices that conflict with a CC license (case-insensitive)"
            }
        }
    }

    /// The family with table name `name`.
    pub fn named(name: &str) -> Option<Family> {
        Family::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// One language's cues: each family's phrases, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Language {
    /// The language tag, the file's name (`en`, `zh`, `pt-br`).
    pub tag: String,
    /// Each family's phrases (regular expressions, see `rules/README.md`), bundled first.
    pub families: BTreeMap<Family, Vec<String>>,
    /// The files the cues came from (display form), bundled first.
    pub files: Vec<String>,
}

/// The cues of every language in force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cues {
    /// Each language's cues, by tag.
    pub languages: BTreeMap<String, Language>,
}

impl Cues {
    /// `family`'s phrases in every language: languages in the order of their tags, each
    /// language's phrases in the order its files give them.
    pub fn phrases(&self, family: Family) -> impl Iterator<Item = &str> {
        self.languages
            .values()
            .filter_map(move |l| l.families.get(&family))
            .flatten()
            .map(String::as_str)
    }

    /// `family`'s phrases as one alternation, `a|b|c` (a pattern that matches nothing when
    /// there are none).
    pub fn alternation(&self, family: Family) -> String {
        let joined = self.phrases(family).collect::<Vec<_>>().join("|");
        if joined.is_empty() {
            // `[^\s\S]` matches no character: an empty family finds nothing.
            r"[^\s\S]".to_owned()
        } else {
            joined
        }
    }

    /// Add a user's cue file after these, as [`Cues::extend`] does; an error for each family it
    /// adds to whose phrases, every one of which compiles alone, are then together too large
    /// to compile. A user's files can add any number of phrases, and the detectors compile
    /// each family once per process, where a failure could only be a panic.
    pub fn extend_checked(&mut self, language: Language) -> Result<(), Vec<RuleError>> {
        let file = language.files.last().cloned().unwrap_or_default();
        let families: Vec<Family> = language.families.keys().copied().collect();
        self.extend(language);
        let errors: Vec<RuleError> = families
            .into_iter()
            .filter(|&family| {
                let pattern = format!("(?i)(?:{})", self.alternation(family));
                regex::RegexBuilder::new(&pattern)
                    .size_limit(FAMILY_SIZE_LIMIT)
                    .build()
                    .is_err()
            })
            .map(|family| {
                RuleError::new(
                    &file,
                    "",
                    0..0,
                    "here",
                    format!(
                        "with this file, the phrases of cue family `{}` are together too large to compile: remove some, or merge phrases that share words",
                        family.name()
                    ),
                )
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Add a file's cues after these: its phrases follow the ones its language already has.
    pub fn extend(&mut self, language: Language) {
        let into = self
            .languages
            .entry(language.tag.clone())
            .or_insert_with(|| Language {
                tag: language.tag.clone(),
                ..Language::default()
            });
        for (family, phrases) in language.families {
            into.families.entry(family).or_default().extend(phrases);
        }
        into.files.extend(language.files);
    }
}

/// What `ccguard rules show <lang>` prints: the language's files, then every family with its
/// phrases, one a line (`(none)` for a family the language has no phrases for).
pub fn show(language: &Language) -> String {
    let mut out = format!(
        "{} — cues, from {}\n",
        language.tag,
        language.files.join(", ")
    );
    for family in Family::ALL {
        let _ = write!(out, "\n{}: {}\n", family.name(), family.summary());
        match language.families.get(family).filter(|p| !p.is_empty()) {
            Some(phrases) => {
                for phrase in phrases {
                    let _ = writeln!(out, "  {phrase}");
                }
            }
            None => out.push_str("  (none)\n"),
        }
    }
    out
}

/// One family's table in a cue file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    phrases: Vec<Spanned<String>>,
}

/// The bundled cues; they are tested to load without errors.
pub fn bundled() -> Result<Cues, Vec<RuleError>> {
    parse_all(
        BUNDLED
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned())),
        false,
    )
}

/// Parse and validate cue files, each `(display name, text)`, into one set; every error of
/// every file. `check_phrases`: see [`parse`].
fn parse_all(
    files: impl IntoIterator<Item = (String, String)>,
    check_phrases: bool,
) -> Result<Cues, Vec<RuleError>> {
    let mut cues = Cues::default();
    let mut errors = Vec::new();
    for (name, text) in files {
        match parse(&name, &text, check_phrases) {
            Ok(language) => cues.extend(language),
            Err(more) => errors.extend(more),
        }
    }
    if errors.is_empty() {
        Ok(cues)
    } else {
        Err(errors)
    }
}

/// Parse and validate one cue file; its language is its file name (`…/de.toml` → `de`).
/// `check_phrases` checks every phrase as a regular expression and compiles it alone, so a
/// phrase too large to compile is refused here rather than when the detectors build their
/// patterns; without it only empty phrases are refused (the bundled phrases are checked by a
/// test, not again on every run).
pub fn parse(file: &str, text: &str, check_phrases: bool) -> Result<Language, Vec<RuleError>> {
    let tag = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !is_language_tag(&tag) {
        return Err(vec![RuleError::new(
            file,
            text,
            0..0,
            "file name",
            format!(
                "a cue file is named after its language tag (`de.toml`, `pt-br.toml`), not `{tag}`: rename it"
            ),
        )]);
    }
    let raw: BTreeMap<Spanned<String>, RawFamily> = toml::from_str(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        vec![RuleError::new(
            file,
            text,
            span,
            "here",
            err.message().trim().to_owned(),
        )]
    })?;
    let mut errors = Vec::new();
    let mut families = BTreeMap::new();
    for (key, table) in raw {
        let Some(family) = Family::named(key.get_ref()) else {
            let known: Vec<&str> = Family::ALL.iter().map(|f| f.name()).collect();
            errors.push(RuleError::new(
                file,
                text,
                key.span(),
                "unknown family",
                format!(
                    "unknown cue family `{}`; expected one of {}",
                    key.get_ref(),
                    known.join(", ")
                ),
            ));
            continue;
        };
        let mut phrases = Vec::with_capacity(table.phrases.len());
        for phrase in table.phrases {
            let problem = if check_phrases {
                phrase_error(phrase.get_ref())
            } else {
                phrase.get_ref().trim().is_empty().then(|| EMPTY.to_owned())
            };
            if let Some(message) = problem {
                errors.push(RuleError::new(file, text, phrase.span(), "here", message));
            }
            phrases.push(phrase.into_inner());
        }
        families.insert(family, phrases);
    }
    if errors.is_empty() {
        Ok(Language {
            tag,
            families,
            files: vec![file.to_owned()],
        })
    } else {
        Err(errors)
    }
}

/// The error for an empty phrase.
const EMPTY: &str = "empty phrase: give a word or a pattern, or remove the entry";

/// What is wrong with `phrase`, if anything: empty, too long, not a regular expression, or
/// with a capture group (the detectors read their own groups, which a phrase's would shift).
fn phrase_error(phrase: &str) -> Option<String> {
    if phrase.trim().is_empty() {
        return Some(EMPTY.to_owned());
    }
    let chars = phrase.chars().count();
    if chars > MAX_PHRASE_CHARS {
        return Some(format!(
            "phrase is {chars} characters; the limit is {MAX_PHRASE_CHARS}: split it into several phrases"
        ));
    }
    let hir = match regex_syntax::Parser::new().parse(phrase) {
        Ok(hir) => hir,
        Err(err) => {
            let first = err.to_string();
            let last = first.lines().last().unwrap_or_default().trim();
            let reason = last.strip_prefix("error: ").unwrap_or(last);
            return Some(format!(
                "phrase is not a valid regular expression ({reason}); escape `\\ . + * ? ( ) | [ ] {{ }} ^ $` to match them as text"
            ));
        }
    };
    if hir.properties().explicit_captures_len() > 0 {
        return Some("phrase has a capture group: write `(?:…)` instead of `(…)`".to_owned());
    }
    if let Err(err) = regex_automata::meta::Regex::new(phrase) {
        return Some(format!(
            "phrase does not compile ({}): make its repetitions smaller",
            err.to_string().trim()
        ));
    }
    None
}

/// True for a BCP 47-like tag in lowercase: a 2–3 letter language and optional `-` parts
/// (`zh`, `pt-br`, `zh-hant`).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()));
    lang_ok
        && parts.all(|p| {
            (1..=8).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_cues_load_and_compile() {
        let cues = bundled().unwrap_or_else(|errors| panic!("bundled cues: {errors:?}"));
        for family in Family::ALL {
            let phrases: Vec<&str> = cues.phrases(*family).collect();
            assert!(!phrases.is_empty(), "{}", family.name());
            for phrase in phrases {
                assert_eq!(phrase_error(phrase), None, "{phrase}");
            }
        }
    }

    #[test]
    fn errors_point_at_the_family_and_phrase() {
        let text =
            "[restriction]\nphrases = ['ok', '', 'a(b']\n\n[restrictions]\nphrases = ['x']\n";
        let errors = parse("my/cues/de.toml", text, true).unwrap_err();
        let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "my/cues/de.toml:2:18: empty phrase: give a word or a pattern, or remove the entry",
                "my/cues/de.toml:2:22: phrase is not a valid regular expression (unclosed group); escape `\\ . + * ? ( ) | [ ] { } ^ $` to match them as text",
                "my/cues/de.toml:4:2: unknown cue family `restrictions`; expected one of restriction, permission, repost, source-label, translation, modification, pitch, shop-link, translator-label, author-label, image-credit, first-published, source-sentence, translated-from, license-notice, original-header",
            ]
        );
    }

    #[test]
    fn capture_groups_unknown_keys_and_file_names_are_refused() {
        let errors = parse("de.toml", "[restriction]\nphrases = ['(a)']\n", true).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "de.toml:2:12: phrase has a capture group: write `(?:…)` instead of `(…)`"
        );
        let errors = parse("de.toml", "[restriction]\nwords = ['a']\n", false).unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .starts_with("de.toml:2:1: unknown field `words`"),
            "{}",
            errors[0]
        );
        let errors = parse("German.toml", "", false).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "German.toml:1:1: a cue file is named after its language tag (`de.toml`, `pt-br.toml`), not `German`: rename it"
        );
    }

    #[test]
    fn extend_appends_phrases_and_orders_languages_by_tag() {
        let mut cues = Cues::default();
        for (file, text) in [
            ("b/zh.toml", "[restriction]\nphrases = ['甲']\n"),
            ("b/de.toml", "[restriction]\nphrases = ['eins']\n"),
            ("u/zh.toml", "[restriction]\nphrases = ['乙']\n"),
        ] {
            cues.extend(parse(file, text, false).unwrap());
        }
        assert_eq!(cues.alternation(Family::Restriction), "eins|甲|乙");
        assert_eq!(cues.languages["zh"].files, ["b/zh.toml", "u/zh.toml"]);
        assert_eq!(Cues::default().alternation(Family::Restriction), r"[^\s\S]");
    }
}
