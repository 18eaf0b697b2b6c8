//! LSP positions: byte offsets into a document's text ↔ (line, UTF-16 code unit) pairs.
//!
//! The checker speaks byte [`Span`]s; LSP clients speak zero-based lines and columns counted in
//! UTF-16 code units (the protocol's default and the only encoding every client supports), with
//! `\n`, `\r\n` and a lone `\r` all ending a line. A CJK character is one unit, an emoji outside
//! the Basic Multilingual Plane two. Not for the CLI's line and column (characters, `\n` only):
//! that is [`crate::source::LineIndex`].

use lsp_types::{Position, Range};

use crate::source::Span;

/// The line starts of one text, to turn byte offsets into LSP positions and back.
#[derive(Debug, Clone)]
pub struct Utf16Index {
    /// Byte offset of the first character of each line; the first is 0.
    line_starts: Vec<usize>,
}

impl Utf16Index {
    /// Index the lines of `text`, ended by `\n`, `\r\n` or a lone `\r`.
    pub fn new(text: &str) -> Utf16Index {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // A `\r` followed by `\n` ends its line at the `\n`.
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                continue;
            }
            line_starts.push(at + 1);
        }
        Utf16Index { line_starts }
    }

    /// The LSP position of byte `offset` in `text` (the index's text). An offset past the end is
    /// the end; one inside a character or a line break is where that character or line ending
    /// starts.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let character: usize = text[start..offset]
            .chars()
            .take_while(|&c| c != '\r' && c != '\n')
            .map(char::len_utf16)
            .sum();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The LSP range of a byte span.
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end.max(span.start)),
        )
    }

    /// The byte offset of an LSP position in `text`. Past the end of its line is the line's end
    /// (before its line break), past the last line the text's end, and a column between the two
    /// halves of a surrogate pair the start of that character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = usize::try_from(position.line)
            .ok()
            .and_then(|line| self.line_starts.get(line))
        else {
            return text.len();
        };
        let wanted = usize::try_from(position.character).unwrap_or(usize::MAX);
        let mut units = 0;
        for (at, c) in text[start..].char_indices() {
            if c == '\r' || c == '\n' || units + c.len_utf16() > wanted {
                return start + at;
            }
            units += c.len_utf16();
        }
        text.len()
    }

    /// The byte span of an LSP range (its ends ordered).
    pub fn span(&self, text: &str, range: Range) -> Span {
        let start = self.offset(text, range.start);
        let end = self.offset(text, range.end);
        Span::new(start.min(end), start.max(end))
    }
}

/// A count as LSP's `uinteger`; no document the server accepts has that many lines or units.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    #[test]
    fn cjk_is_one_unit_and_astral_emoji_two() {
        // 北 and 京 take 3 bytes and one unit each; 😀 takes 4 bytes and two units.
        let text = "北京😀 CC BY 4.0";
        let index = Utf16Index::new(text);
        let cc = text.find("CC").expect("CC");
        assert_eq!(cc, 11);
        assert_eq!(index.position(text, cc), at(0, 5));
        assert_eq!(index.offset(text, at(0, 5)), cc);
        assert_eq!(index.position(text, text.len()), at(0, 14));
        // A column between the halves of 😀 is where 😀 starts.
        assert_eq!(index.offset(text, at(0, 3)), 6);
        // An offset inside 😀 (not a character boundary) is where it starts.
        assert_eq!(index.position(text, 8), at(0, 2));
    }

    #[test]
    fn crlf_lf_and_lone_cr_all_end_lines() {
        let text = "a\r\nб\nc\rd😀e";
        let index = Utf16Index::new(text);
        assert_eq!(index.position(text, text.find('б').expect("б")), at(1, 0));
        assert_eq!(index.position(text, text.find('c').expect("c")), at(2, 0));
        assert_eq!(index.position(text, text.find('e').expect("e")), at(3, 3));
        // The `\r` and the `\n` of a CRLF are both the end of the first line.
        assert_eq!(index.position(text, 1), at(0, 1));
        assert_eq!(index.position(text, 2), at(0, 1));
        // Past a line's end is its end, before the line break; past the last line the text's end.
        assert_eq!(index.offset(text, at(0, 40)), 1);
        assert_eq!(index.offset(text, at(1, 9)), "a\r\nб".len());
        assert_eq!(index.offset(text, at(9, 0)), text.len());
    }

    #[test]
    fn every_character_boundary_round_trips() {
        let text = "# 标题 🌉\r\nBy Lucía 🇨🇳\rline\n\nend 𝄞";
        let index = Utf16Index::new(text);
        for (offset, c) in text.char_indices() {
            if c == '\n' && text[..offset].ends_with('\r') {
                // The `\n` of a CRLF has the position of its `\r`.
                continue;
            }
            let position = index.position(text, offset);
            assert_eq!(
                index.offset(text, position),
                offset,
                "offset {offset} ({c:?})"
            );
        }
        let end = index.position(text, text.len());
        assert_eq!(index.offset(text, end), text.len());
    }
}
