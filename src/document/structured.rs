//! Structured metadata: JSON-LD blocks (and JSON front matter) flattened into [`Meta`] values
//! with the exact span of every value string.
//!
//! `serde_json` gives no positions, so JSON is read here by a small span-keeping scanner that
//! flattens as it goes: object keys are lowercased and joined with `.` (`author.name`), arrays and
//! `@graph` are transparent (each item keeps its parent's key), `null` is skipped. It is lenient
//! where real pages are sloppy (trailing commas, raw newlines in strings). `<meta>`, `<link rel>`
//! and `RDFa` attributes are read by the HTML walker, which owns the attributes.

use super::{Document, Meta, MetaOrigin, ParseNote};
use crate::source::Span;

/// Deepest nesting we follow; deeper JSON is reported as broken rather than recursed into.
const MAX_DEPTH: usize = 64;

/// One scalar from a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonLeaf {
    /// Dotted, lowercased key path (`author.name`).
    pub key: String,
    /// The value: decoded string, or the literal number / `true` / `false`.
    pub value: String,
    /// The value in the source (a string's contents, without quotes).
    pub span: Span,
}

/// Why JSON could not be read, and where (absolute byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonError {
    /// What went wrong.
    pub message: String,
    /// Where.
    pub offset: usize,
}

/// Read one JSON value at the start of `text[start..end]` (after whitespace).
///
/// Returns the leaves read (also those before an error) and either the offset just past the
/// value or the error.
pub(crate) fn read_json(
    text: &str,
    start: usize,
    end: usize,
) -> (Vec<JsonLeaf>, Result<usize, JsonError>) {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: start,
        end: end.min(text.len()),
        leaves: Vec::new(),
    };
    let result = scanner.value("", 0).map(|()| scanner.pos);
    (scanner.leaves, result)
}

/// Add the values of a JSON-LD script body (`text[body]`) to `doc` as [`MetaOrigin::JsonLd`].
pub(crate) fn json_ld(text: &str, body: Span, doc: &mut Document) {
    if text
        .get(body.start..body.end)
        .is_none_or(|b| b.trim().is_empty())
    {
        return;
    }
    let start = json_start(text, body);
    let (leaves, result) = read_json(text, start, body.end);
    doc.meta.extend(leaves.into_iter().map(|leaf| Meta {
        key: leaf.key,
        value: leaf.value,
        span: leaf.span,
        origin: MetaOrigin::JsonLd,
    }));
    if let Err(err) = result {
        doc.notes.push(ParseNote {
            message: format!("JSON-LD is not valid JSON: {}", err.message),
            span: Span::new(err.offset, err.offset),
        });
    }
}

/// Where the JSON starts in a script body, past a `<![CDATA[` or `<!--` wrapper some CMSs add
/// (what follows the value, like `]]>`, is never read).
fn json_start(text: &str, body: Span) -> usize {
    let raw = &text[body.start..body.end];
    let trimmed = raw.trim_start();
    let skip = ["//<![CDATA[", "/*<![CDATA[*/", "<![CDATA[", "<!--"]
        .iter()
        .find(|prefix| trimmed.starts_with(*prefix))
        .map_or(0, |prefix| prefix.len());
    body.start + (raw.len() - trimmed.len()) + skip
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    end: usize,
    leaves: Vec<JsonLeaf>,
}

impl Scanner<'_> {
    fn error<T>(&self, message: &str) -> Result<T, JsonError> {
        Err(JsonError {
            message: message.to_owned(),
            offset: self.pos,
        })
    }

    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.bytes[self.pos])
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn value(&mut self, key: &str, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return self.error("nested too deeply");
        }
        self.skip_ws();
        match self.peek() {
            Some(b'{') => self.object(key, depth),
            Some(b'[') => self.array(key, depth),
            Some(b'"') => {
                let (value, span) = self.string()?;
                self.leaf(key, value, span);
                Ok(())
            }
            Some(b't' | b'f' | b'n' | b'-' | b'0'..=b'9') => self.literal(key),
            Some(_) => self.error("expected a value"),
            None => self.error("unexpected end of JSON"),
        }
    }

    fn leaf(&mut self, key: &str, value: String, span: Span) {
        if !key.is_empty() {
            self.leaves.push(JsonLeaf {
                key: key.to_owned(),
                value,
                span,
            });
        }
    }

    fn object(&mut self, key: &str, depth: usize) -> Result<(), JsonError> {
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'"') => {}
                _ => return self.error("expected a key or `}`"),
            }
            let (name, _) = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return self.error("expected `:` after a key");
            }
            self.pos += 1;
            let name = name.to_lowercase();
            let child = match (key.is_empty(), name.as_str()) {
                (_, "@graph") => key.to_owned(),
                (true, _) => name,
                (false, _) => format!("{key}.{name}"),
            };
            self.value(&child, depth + 1)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return self.error("expected `,` or `}`"),
            }
        }
    }

    fn array(&mut self, key: &str, depth: usize) -> Result<(), JsonError> {
        self.pos += 1;
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(());
            }
            self.value(key, depth + 1)?;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => return self.error("expected `,` or `]`"),
            }
        }
    }

    /// `true`, `false`, `null` or a number; the value is the literal as written.
    fn literal(&mut self, key: &str) -> Result<(), JsonError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
        {
            self.pos += 1;
        }
        let word = &self.text[start..self.pos];
        let valid = matches!(word, "true" | "false" | "null")
            || word.starts_with(|c: char| c == '-' || c.is_ascii_digit());
        if !valid {
            self.pos = start;
            return self.error("expected a value");
        }
        if word != "null" {
            self.leaf(key, word.to_owned(), Span::new(start, self.pos));
        }
        Ok(())
    }

    /// A string at `"`: its decoded value and the span of its contents.
    fn string(&mut self) -> Result<(String, Span), JsonError> {
        self.pos += 1;
        let start = self.pos;
        let mut value = String::new();
        let mut run = start;
        loop {
            match self.peek() {
                None => return self.error("unterminated string"),
                Some(b'"') => {
                    value.push_str(&self.text[run..self.pos]);
                    let span = Span::new(start, self.pos);
                    self.pos += 1;
                    return Ok((value, span));
                }
                Some(b'\\') => {
                    value.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    self.escape(&mut value)?;
                    run = self.pos;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// The escape after a backslash.
    fn escape(&mut self, value: &mut String) -> Result<(), JsonError> {
        let Some(c) = self.peek() else {
            return self.error("unterminated string");
        };
        self.pos += 1;
        let decoded = match c {
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'u' => self.unicode_escape()?,
            // `\"`, `\\`, `\/` and, leniently, any other escaped ASCII character.
            c if c.is_ascii() => char::from(c),
            _ => return self.error("invalid escape"),
        };
        value.push(decoded);
        Ok(())
    }

    /// `\uXXXX`, with a following low surrogate when the first is a high one.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let high = self.hex4()?;
        if (0xD800..0xDC00).contains(&high) && self.text.get(self.pos..self.pos + 2) == Some("\\u")
        {
            let save = self.pos;
            self.pos += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(high).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|_| self.pos + 4 <= self.end)
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match digits {
            Some(n) => {
                self.pos += 4;
                Ok(n)
            }
            None => self.error("invalid \\u escape"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(text: &str) -> Vec<(String, String, String)> {
        let (leaves, result) = read_json(text, 0, text.len());
        assert!(result.is_ok(), "{result:?}");
        leaves
            .into_iter()
            .map(|l| (l.key, l.value, text[l.span.start..l.span.end].to_owned()))
            .collect()
    }

    #[test]
    fn flattens_with_spans() {
        let text = r#"{"@context":"https://schema.org","@graph":[{"@type":"Article","headline":"Hé \"x\"",
            "author":{"name":"Jane Doe"},"license":"https:\/\/creativecommons.org\/licenses\/by\/4.0\/",
            "isBasedOn":["https://a.org/1",{"url":"https://b.org/2"}],"wordCount":12,"x":null,}]}"#;
        let got = leaves(text);
        let want = [
            ("@context", "https://schema.org", "https://schema.org"),
            ("@type", "Article", "Article"),
            ("headline", "Hé \"x\"", "Hé \\\"x\\\""),
            ("author.name", "Jane Doe", "Jane Doe"),
            (
                "license",
                "https://creativecommons.org/licenses/by/4.0/",
                "https:\\/\\/creativecommons.org\\/licenses\\/by\\/4.0\\/",
            ),
            ("isbasedon", "https://a.org/1", "https://a.org/1"),
            ("isbasedon.url", "https://b.org/2", "https://b.org/2"),
            ("wordcount", "12", "12"),
        ];
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn reports_errors_with_offset_and_keeps_earlier_values() {
        let text = r#"{"license": "CC-BY-4.0", "author": }"#;
        let (leaves, result) = read_json(text, 0, text.len());
        assert_eq!(leaves.len(), 1);
        assert_eq!(result.unwrap_err().offset, 35);
        let deep = "[".repeat(10_000);
        let (_, result) = read_json(&deep, 0, deep.len());
        assert_eq!(result.unwrap_err().message, "nested too deeply");
    }

    #[test]
    fn json_ld_inside_cdata() {
        let text = "<![CDATA[ {\"license\": \"CC0\"} ]]>";
        let mut doc = Document::default();
        json_ld(text, Span::new(0, text.len()), &mut doc);
        assert_eq!(doc.meta[0].value, "CC0");
        assert!(doc.notes.is_empty());
    }

    #[test]
    fn surrogate_pairs_decode() {
        let text = r#"{"a":"\ud83d\ude00 \u4e2d"}"#;
        assert_eq!(leaves(text)[0].1, "😀 中");
    }
}
