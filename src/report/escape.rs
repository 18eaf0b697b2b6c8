//! Text from posts made safe to print. A post's author controls file names, titles, credited
//! names and the source text a snippet quotes; none of it may act on a terminal (ANSI and OSC
//! escape sequences) or on a CI runner, which reads workflow commands from any output line that
//! starts with `::` and, in the legacy form, from `##[` anywhere in a line. Each format still
//! applies its own escaping (XML, Markdown, GitHub's percent codes) after this.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for the characters written as escapes: control characters other than tab (line
/// breaks included, so no quoted text starts a line of its own), the Unicode line and paragraph
/// separators, the bidirectional overrides and isolates (which reorder what a reader sees) and
/// the noncharacters U+FFFE and U+FFFF (which XML forbids).
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{fffe}'
                | '\u{ffff}'
        )
}

/// Append the visible escape of `c`: `\n`, `\r`, or `\u{1b}` as Rust writes it.
pub fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// The legacy workflow-command marker, obeyed by the Actions runner anywhere in a line.
const LEGACY_COMMAND: &str = "##[";

/// `text` for a terminal or a CI log: [`is_unsafe`] characters escaped, and each `##[` written
/// `##[\` (as the runner itself defuses the markers it reserves), so the runner reads no command
/// name after it.
pub fn for_log(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) && !text.contains(LEGACY_COMMAND) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (at, c) in text.char_indices() {
        push_for_log(&mut out, text, at, c);
    }
    Cow::Owned(out)
}

/// Append `c`, found at byte `at` of `text`, as [`for_log`] writes it.
pub fn push_for_log(out: &mut String, text: &str, at: usize, c: char) {
    if is_unsafe(c) {
        push_escape(out, c);
    } else if c == '[' && text[..at].ends_with("##") {
        out.push_str("[\\");
    } else {
        out.push(c);
    }
}

/// How many characters [`push_for_log`] writes for `c`, found at byte `at` of `text`.
pub fn shown_len(text: &str, at: usize, c: char) -> usize {
    if is_unsafe(c) {
        match c {
            '\n' | '\r' => 2,
            // `\u{` and `}` around the hexadecimal digits.
            _ => {
                4 + (u32::BITS - u32::from(c).leading_zeros())
                    .div_ceil(4)
                    .max(1) as usize
            }
        }
    } else if c == '[' && text[..at].ends_with("##") {
        2
    } else {
        1
    }
}

/// Pretty JSON with the characters serde leaves raw but a terminal or runner could act on
/// written as `\u` escapes: the [`is_unsafe`] ones above U+001F, and the `[` of each `##[`.
/// Outside strings JSON has neither, so every parsed value stays exactly the same.
pub fn json(text: String) -> String {
    // serde escapes the C0 controls inside strings; outside them, line breaks are layout.
    let raw_unsafe = |c: char| c > '\u{1f}' && is_unsafe(c);
    if !text.chars().any(raw_unsafe) && !text.contains(LEGACY_COMMAND) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (at, c) in text.char_indices() {
        if raw_unsafe(c) || (c == '[' && text[..at].ends_with("##")) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_text_has_no_line_break_escape_sequence_or_legacy_command() {
        let text = "a\nb\r::warning::x\u{1b}[31m\u{9b}\u{2028}\u{202e}##[add-mask]s\tend";
        assert_eq!(
            for_log(text),
            "a\\nb\\r::warning::x\\u{1b}[31m\\u{9b}\\u{2028}\\u{202e}##[\\add-mask]s\tend"
        );
        assert!(matches!(for_log("plain – text [1]"), Cow::Borrowed(_)));
    }

    #[test]
    fn shown_len_counts_what_push_for_log_writes() {
        let text = "a\u{0}\n\r\u{1b}\u{9b}\u{2028}\u{ffff}##[x[";
        for (at, c) in text.char_indices() {
            let mut shown = String::new();
            push_for_log(&mut shown, text, at, c);
            assert_eq!(shown_len(text, at, c), shown.chars().count(), "{c:?}");
        }
    }

    #[test]
    fn json_escapes_keep_the_value() {
        let value = serde_json::json!({"t": "x\u{85}\u{2029}##[error]y\u{1b}"});
        let text = json(serde_json::to_string_pretty(&value).unwrap());
        assert!(!text.contains("##[") && !text.contains('\u{85}') && !text.contains('\u{2029}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
