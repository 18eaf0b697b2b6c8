//! Short codes in text: `CC BY-NC-SA 4.0`, `CC-BY-NC-ND-3.0`, `cc-by-sa-4.0`, `CC BY NC SA 3.0`,
//! `CC-BY-NC` (no version), `CC0 1.0`, `CC-PDM-1.0`, `Creative Commons BY-SA`, bare
//! `BY-NC-SA 4.0` after a license word ("License: BY-SA", "协议：BY-NC"), and "a CC license".
//!
//! Elements are kept as written (`by-nd-sa` stays, so the check can call it unknown); the caller
//! orders them into CC's code.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// A short code found in a text, before its elements are turned into a CC code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortCode {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Lowercased elements as written (`["by", "nd", "nc"]`), `["zero"]`, `["mark"]`, or empty
    /// for a generic "CC license".
    pub elements: Vec<String>,
    /// The version when written.
    pub version: Option<String>,
    /// The SPDX-style port suffix (`-DE`), lowercased, when written; the caller validates it.
    pub jurisdiction: Option<String>,
    /// Where the version (or the elements, without a version) ends; the port suffix follows.
    pub end_before_jurisdiction: usize,
}

const SEP: &str = r"[\s\-‐‑‒–—_]{1,4}";

static PREFIXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?P<pre>creative[\s\-]*commons|cc)[\s\-‐‑‒–—_:]*\(?\s*(?P<els>by(?:{SEP}(?:nc|nd|sa)){{0,3}})(?:{SEP}?v?(?P<ver>\d\.\d))?(?:-(?P<juris>[a-z]{{2,9}}))?"
    ))
    .expect("valid regex")
});

static TOOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)cc(?:-?(?P<zero>0)|[\s-]?(?P<zeroword>zero)|[\s-]?(?P<pdm>pdm))(?:{SEP}v?(?P<ver>1\.0))?"
    ))
    .expect("valid regex")
});

static AFTER_LICENSE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?i:license|licence|lizenz|licencia|licença|licenza)(?:\s*[:：]\s*|\s+)|(?:许可协议|许可证|协议|授权)\s*[:：]?\s*)(?P<els>BY(?:-(?:NC|ND|SA)){0,3})(?:[\s\-]{1,3}v?(?P<ver>\d\.\d))?",
    )
    .expect("valid regex")
});

static CC_LICENSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)cc[\s\-]+licen[cs]e").expect("valid regex"));

/// Every pattern a short code is found with, for a one-pass check that a text has none.
pub static PATTERNS: [&LazyLock<Regex>; 4] = [&PREFIXED, &TOOL, &AFTER_LICENSE_WORD, &CC_LICENSE];

/// Literals one of which every short code holds once folded as names are (lowercased, without
/// whitespace and dashes), unless it is a bare code after a license word: that one holds an
/// upper-case `BY` (see [`may_be_bare`]). None has an `s` or `k`, which case-insensitive
/// patterns also match in non-ASCII letters (`ſ`, `K`) that folding keeps apart.
pub const FOLDED_LITERALS: [&str; 8] = [
    "ccby",
    "cc:",
    "cc(",
    "cc0",
    "cczero",
    "ccpdm",
    "cclicen",
    "creativecommon",
];

/// False when `text` cannot hold a bare code after a license word (it needs an upper-case `BY`).
pub fn may_be_bare(text: &str) -> bool {
    // Each `B` checked for a `Y`: no searcher to build per text, as a substring search needs.
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'B', bytes).any(|at| bytes.get(at + 1) == Some(&b'Y'))
}

/// Every short code in `text`, in order (possibly overlapping; the caller resolves overlaps).
pub fn find(text: &str) -> Vec<ShortCode> {
    let mut found = Vec::new();
    for caps in PREFIXED.captures_iter(text) {
        if let Some(code) = prefixed(text, &caps) {
            found.push(code);
        }
    }
    for caps in TOOL.captures_iter(text) {
        if let Some(code) = tool(text, &caps) {
            found.push(code);
        }
    }
    for caps in AFTER_LICENSE_WORD.captures_iter(text) {
        if let Some(code) = bare(text, &caps) {
            found.push(code);
        }
    }
    for m in CC_LICENSE.find_iter(text) {
        if free_before(text, m.start()) && free_after(text, m.end()) {
            found.push(ShortCode {
                start: m.start(),
                end: m.end(),
                elements: Vec::new(),
                version: None,
                jurisdiction: None,
                end_before_jurisdiction: m.end(),
            });
        }
    }
    found.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    found
}

fn prefixed(text: &str, caps: &Captures) -> Option<ShortCode> {
    let whole = caps.get(0)?;
    let els = caps.get(2)?;
    let version = caps.name("ver");
    let before_juris = version.map_or(els.end(), |v| v.end());
    if !free_before(text, whole.start()) || !free_after(text, before_juris) {
        return None;
    }
    let matched = text.get(whole.start()..before_juris)?;
    // "cc by the team" is prose; codes written in lower case are hyphenated or versioned.
    let lowercase_prose = !els.as_str().chars().any(|c| c.is_ascii_uppercase())
        && !matched.contains('-')
        && version.is_none();
    if lowercase_prose {
        return None;
    }
    let juris = caps
        .name("juris")
        .filter(|j| version.is_some() && free_after(text, j.end()));
    Some(ShortCode {
        start: whole.start(),
        end: juris.map_or(before_juris, |j| j.end()),
        elements: split_elements(els.as_str()),
        version: version.map(|v| v.as_str().to_owned()),
        jurisdiction: juris.map(|j| j.as_str().to_ascii_lowercase()),
        end_before_jurisdiction: before_juris,
    })
}

fn tool(text: &str, caps: &Captures) -> Option<ShortCode> {
    let whole = caps.get(0)?;
    let version = caps.name("ver");
    let tool_end = ["zero", "zeroword", "pdm"]
        .iter()
        .find_map(|n| caps.name(n))?
        .end();
    let end = version.map_or(tool_end, |v| v.end());
    if !free_before(text, whole.start()) || !free_after(text, end) {
        return None;
    }
    let element = if caps.name("pdm").is_some() {
        "mark"
    } else {
        "zero"
    };
    Some(ShortCode {
        start: whole.start(),
        end,
        elements: vec![element.to_owned()],
        version: version.map(|v| v.as_str().to_owned()),
        jurisdiction: None,
        end_before_jurisdiction: end,
    })
}

fn bare(text: &str, caps: &Captures) -> Option<ShortCode> {
    let els = caps.name("els")?;
    let version = caps.name("ver");
    let end = version.map_or(els.end(), |v| v.end());
    if !free_after(text, end) {
        return None;
    }
    Some(ShortCode {
        start: els.start(),
        end,
        elements: split_elements(els.as_str()),
        version: version.map(|v| v.as_str().to_owned()),
        jurisdiction: None,
        end_before_jurisdiction: end,
    })
}

fn split_elements(els: &str) -> Vec<String> {
    els.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|e| !e.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// True when no ASCII letter or digit touches `at` from the left.
fn free_before(text: &str, at: usize) -> bool {
    text.get(..at)
        .and_then(|s| s.chars().next_back())
        .is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// True when no ASCII letter or digit touches `at` from the right (a dot then a digit counts).
fn free_after(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or("");
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphanumeric() => false,
        Some('.') => !chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Found<'a> = (&'a str, Vec<String>, Option<String>, Option<String>);

    fn found(text: &str) -> Vec<Found<'_>> {
        find(text)
            .into_iter()
            .map(|c| (&text[c.start..c.end], c.elements, c.version, c.jurisdiction))
            .collect()
    }

    fn els(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn prefixed_codes_in_all_spellings() {
        let text = "CC BY-NC-SA 4.0, CC-BY-NC-ND-3.0; CC BY NC SA 3.0 and cc-by-sa-4.0.";
        assert_eq!(
            found(text),
            vec![
                (
                    "CC BY-NC-SA 4.0",
                    els(&["by", "nc", "sa"]),
                    Some("4.0".into()),
                    None
                ),
                (
                    "CC-BY-NC-ND-3.0",
                    els(&["by", "nc", "nd"]),
                    Some("3.0".into()),
                    None
                ),
                (
                    "CC BY NC SA 3.0",
                    els(&["by", "nc", "sa"]),
                    Some("3.0".into()),
                    None
                ),
                ("cc-by-sa-4.0", els(&["by", "sa"]), Some("4.0".into()), None),
            ]
        );
    }

    #[test]
    fn versionless_invalid_and_ported_codes() {
        let text = "via a License CC-BY-NC. Also CC BY-ND-SA 4.0, CC BY-SA 5.0 and CC-BY-SA-3.0-DE";
        let got = found(text);
        assert_eq!(got[0], ("CC-BY-NC", els(&["by", "nc"]), None, None));
        assert_eq!(got[1].0, "CC BY-ND-SA 4.0");
        assert_eq!(
            got[2],
            ("CC BY-SA 5.0", els(&["by", "sa"]), Some("5.0".into()), None)
        );
        assert_eq!(
            got[3],
            (
                "CC-BY-SA-3.0-DE",
                els(&["by", "sa"]),
                Some("3.0".into()),
                Some("de".into())
            )
        );
    }

    #[test]
    fn tools_bare_elements_and_generic() {
        let text =
            "CC0, CC0 1.0 and CC-PDM-1.0. License: BY-NC-SA 4.0. 协议：BY-SA. Under a CC license.";
        let got = found(text);
        assert_eq!(got[0], ("CC0", els(&["zero"]), None, None));
        assert_eq!(
            got[1],
            ("CC0 1.0", els(&["zero"]), Some("1.0".into()), None)
        );
        assert_eq!(
            got[2],
            ("CC-PDM-1.0", els(&["mark"]), Some("1.0".into()), None)
        );
        assert_eq!(
            got[3],
            (
                "BY-NC-SA 4.0",
                els(&["by", "nc", "sa"]),
                Some("4.0".into()),
                None
            )
        );
        assert_eq!(got[4], ("BY-SA", els(&["by", "sa"]), None, None));
        assert_eq!(got[5], ("CC license", Vec::new(), None, None));
    }

    #[test]
    fn prose_and_other_words_are_not_codes() {
        assert!(found("send a cc by email to Byrne; CCBYX; ACC BY-SA; color #cc0000").is_empty());
        assert!(found("the license by the author").is_empty());
    }
}
