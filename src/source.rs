//! Inputs as bytes-turned-text: a [`Source`] is one post with its display name and format,
//! a [`Span`] is a byte range into its text, and a [`LineIndex`] turns spans into the
//! [`Place`]s output prints: 1-based lines and columns in characters, computed once per
//! finding while the text is at hand.
//!
//! Not for reading files or fetching URLs: that is `walk` (and later `fetch`).

use serde::{Deserialize, Serialize};

/// A byte range `start..end` into a [`Source`]'s text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span covering both.
    #[must_use]
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True for an empty span.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The span moved `by` bytes to the right (for text re-extracted at an offset).
    #[must_use]
    pub fn shift(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// True when `other` lies inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// The markup language of a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// HTML (`.html`, `.htm`).
    Html,
    /// Markdown (`.md`, `.markdown`).
    Markdown,
}

impl Format {
    /// The format for a file name, by extension; `None` for files we do not check.
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }

    /// The format a checked file is read as: by its extension when that is a built-in one,
    /// else (an ending added with `--ext`) HTML when the name after its first dot contains
    /// `htm` (`page.xhtml`, `page.html.j2`), Markdown otherwise (`post.mdx`).
    pub fn of_name(path: &str) -> Format {
        if let Some(format) = Format::from_path(path) {
            return format;
        }
        let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let endings = file_name.split_once('.').map_or("", |(_, endings)| endings);
        if endings.to_ascii_lowercase().contains("htm") {
            Format::Html
        } else {
            Format::Markdown
        }
    }

    /// The name used in JSON output (`html`, `markdown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "markdown",
        }
    }
}

/// One post to check: its text (decoded lossily if it was not UTF-8), name and format.
///
/// A UTF-16 file (with its byte-order mark) is decoded to UTF-8 like any other: spans are
/// offsets into the decoded text, and lines and columns (in characters) are those of the text
/// as a reader sees it, the same in either encoding.
#[derive(Debug, Clone)]
pub struct Source {
    /// Display name: the path as given, a URL, or `-` for stdin.
    pub name: String,
    /// The whole text; every [`Span`] points into it.
    pub text: String,
    /// HTML or Markdown.
    pub format: Format,
    /// True when invalid UTF-8 was replaced while decoding.
    pub lossy: bool,
}

impl Source {
    /// Decode `bytes` (lossily, stripping a UTF-8 BOM; UTF-16 when a UTF-16 BOM says so) into
    /// a source.
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8], format: Format) -> Source {
        if let Some((text, lossy)) = decode_utf16(bytes) {
            return Source {
                name: name.into(),
                text,
                format,
                lossy,
            };
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // `from_utf8` first: it checks ASCII a word at a time, where the lossy decoder walks
        // every byte, a large part of a cached re-check.
        let (text, lossy) = match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), false),
            Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
        };
        Source {
            name: name.into(),
            text,
            format,
            lossy,
        }
    }

    /// [`Source::from_bytes`] of bytes the caller gives up: valid UTF-8 without a byte-order
    /// mark (nearly every post) becomes the text without a copy, so a large page is not held
    /// twice while it is decoded.
    pub fn from_vec(name: impl Into<String>, bytes: Vec<u8>, format: Format) -> Source {
        let marked = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"];
        if marked.iter().any(|bom| bytes.starts_with(bom)) {
            return Source::from_bytes(name, &bytes, format);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Source {
                name: name.into(),
                text,
                format,
                lossy: false,
            },
            Err(err) => Source::from_bytes(name, err.as_bytes(), format),
        }
    }

    /// A source from text already in memory.
    pub fn from_text(name: impl Into<String>, text: impl Into<String>, format: Format) -> Source {
        Source {
            name: name.into(),
            text: text.into(),
            format,
            lossy: false,
        }
    }

    /// The text a span covers, or `""` if the span is out of range or not on char boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// True when `bytes` start with a UTF-16 byte-order mark (little- or big-endian): such text is
/// half NUL bytes and still text.
pub fn has_utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

/// UTF-16 text after its byte-order mark, decoded (by `encoding_rs`), and whether anything
/// was replaced (an unpaired surrogate, an odd last byte); `None` without a UTF-16 BOM.
fn decode_utf16(bytes: &[u8]) -> Option<(String, bool)> {
    let encoding = if bytes.starts_with(b"\xFF\xFE") {
        encoding_rs::UTF_16LE
    } else if bytes.starts_with(b"\xFE\xFF") {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (text, lossy) = encoding.decode_without_bom_handling(bytes.get(2..).unwrap_or_default());
    Some((text.into_owned(), lossy))
}

/// Where a span is, as every output prints it: the 1-based line and character column of its
/// start and of its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    /// Line of the first byte.
    pub line: usize,
    /// Column (in characters) of the first byte.
    pub column: usize,
    /// Line of the end (one past the last byte).
    pub end_line: usize,
    /// Column (in characters) of the end.
    pub end_column: usize,
}

/// Byte offset → (line, column), both 1-based; columns count Unicode scalar values.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text` (after each `\n`, so CRLF files work too).
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(line_breaks(text));
        LineIndex { line_starts }
    }

    /// The place of `span` in `text` (offsets past the end count as the end).
    pub fn place(&self, text: &str, span: Span) -> Place {
        let (line, column) = self.line_col(text, span.start);
        let (end_line, end_column) = self.line_col(text, span.end);
        Place {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// The 1-based line and character column of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() + 1;
        (line + 1, column)
    }
}

/// The line and column of chosen byte offsets of a text, computed while the text is at hand so
/// that an output can print them after the text is gone. Built by [`LineIndex::positions`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    /// (offset, (line, column)), sorted by offset, each offset once.
    at: Vec<(usize, (usize, usize))>,
}

impl Positions {
    /// The line and column of `offset`, which must be one of the offsets these were built for:
    /// an offset left out is a bug in the stage that built them (a debug build stops on it),
    /// and prints as line 0, column 0, never as a plausible wrong place.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        if let Ok(i) = self.at.binary_search_by_key(&offset, |&(o, _)| o) {
            return self.at[i].1;
        }
        debug_assert!(false, "no position was computed for offset {offset}");
        (0, 0)
    }
}

impl LineIndex {
    /// The line and column of each of `offsets` in `text`.
    pub fn positions(&self, text: &str, offsets: impl IntoIterator<Item = usize>) -> Positions {
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        Positions {
            at: offsets
                .into_iter()
                .map(|o| (o, self.line_col(text, o)))
                .collect(),
        }
    }
}

fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_vec_decodes_as_from_bytes_does() {
        let inputs: [&[u8]; 6] = [
            b"plain \xc3\xa9 text",
            b"\xEF\xBB\xBFwith a byte-order mark",
            b"\xFF\xFEa\x00b\x00",
            b"\xFE\xFF\x00a\x00b",
            b"broken \xff byte",
            b"",
        ];
        for bytes in inputs {
            let copied = Source::from_bytes("a.md", bytes, Format::Markdown);
            let moved = Source::from_vec("a.md", bytes.to_vec(), Format::Markdown);
            assert_eq!(
                (&moved.text, moved.lossy),
                (&copied.text, copied.lossy),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn columns_count_characters_and_crlf_lines() {
        let text = "ab\r\nJosé Ñ x\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 4), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x), (2, 8));
        assert_eq!(index.line_col(text, text.len()), (3, 5));
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily() {
        let source = Source::from_bytes("a.md", b"ok \xff end", Format::Markdown);
        assert!(source.lossy);
        assert_eq!(source.text, "ok \u{fffd} end");
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_either_way_round() {
        let text = "Café 😀\nCC BY 4.0";
        for little_endian in [true, false] {
            let mut bytes = if little_endian {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for unit in text.encode_utf16() {
                bytes.extend(if little_endian {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            let source = Source::from_bytes("a.md", &bytes, Format::Markdown);
            assert_eq!((source.text.as_str(), source.lossy), (text, false));
            let index = LineIndex::new(&source.text);
            assert_eq!(
                index.line_col(&source.text, text.find("CC").unwrap()),
                (2, 1)
            );
            // A lone high surrogate with an odd last byte after it is replaced, not dropped.
            bytes.extend(if little_endian {
                0xD800u16.to_le_bytes()
            } else {
                0xD800u16.to_be_bytes()
            });
            bytes.push(b'A');
            let broken = Source::from_bytes("a.md", &bytes, Format::Markdown);
            assert!(broken.lossy);
            assert_eq!(broken.text, format!("{text}\u{fffd}"));
        }
    }

    #[test]
    fn format_by_extension() {
        assert_eq!(Format::from_path("a/b.HTM"), Some(Format::Html));
        assert_eq!(Format::from_path("x.markdown"), Some(Format::Markdown));
        assert_eq!(Format::from_path("x.txt"), None);
        assert_eq!(Format::of_name("a/x.MD"), Format::Markdown);
        assert_eq!(Format::of_name("html/post.mdx"), Format::Markdown);
        assert_eq!(Format::of_name("a/page.XHTML"), Format::Html);
        assert_eq!(Format::of_name("a/page.html.j2"), Format::Html);
    }
}
