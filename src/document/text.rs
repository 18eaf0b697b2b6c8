//! Block text under construction: decoded text plus the [`Piece`] map back to the source.
//!
//! Both extractors feed text runs into a [`TextBuf`]; a run whose decoded form differs from its
//! source (entities, backslash escapes, CRLF) is aligned byte by byte so that verbatim stretches
//! keep a one-to-one mapping and only the decoded bits map to their whole source stretch.
//! Also finds bare `http(s)://` URLs in text. Not for parsing markup: that is `html`/`markdown`.

use super::{Block, Context, Piece};
use crate::source::Span;

/// How far past an entity we compare to check that the alignment resumed correctly.
const VERIFY_LEN: usize = 16;
/// Longest named character reference we try to align (`&CounterClockwiseContourIntegral;` is 33).
const MAX_ENTITY_NAME: usize = 40;

/// The text of one block being built, with its pieces.
#[derive(Debug, Default)]
pub(crate) struct TextBuf {
    /// Decoded text so far.
    pub text: String,
    pieces: Vec<Piece>,
}

impl TextBuf {
    /// Bare URLs in the text added since byte `before`, with their source spans.
    pub fn bare_urls_since(&self, before: usize) -> Vec<(String, Span)> {
        let added = self.text.get(before..).unwrap_or_default();
        bare_urls(added)
            .into_iter()
            .map(|(start, end)| {
                (
                    added[start..end].to_owned(),
                    self.span_of(before + start, before + end),
                )
            })
            .collect()
    }

    /// Append `s`, copied verbatim from the source at `source_start`.
    pub fn push_verbatim(&mut self, s: &str, source_start: usize) {
        if s.is_empty() {
            return;
        }
        let text_start = self.text.len();
        self.text.push_str(s);
        if let Some(last) = self.pieces.last_mut()
            && last.text_len == last.source_len
            && last.text_start + last.text_len == text_start
            && last.source_start + last.source_len == source_start
        {
            last.text_len += s.len();
            last.source_len += s.len();
            return;
        }
        self.pieces.push(Piece {
            text_start,
            text_len: s.len(),
            source_start,
            source_len: s.len(),
        });
    }

    /// Append `s`, which stands for the whole source stretch `source` (an entity, a `<br>`).
    pub fn push_mapped(&mut self, s: &str, source: Span) {
        if s.is_empty() {
            return;
        }
        let text_start = self.text.len();
        self.text.push_str(s);
        self.pieces.push(Piece {
            text_start,
            text_len: s.len(),
            source_start: source.start,
            source_len: source.len(),
        });
    }

    /// Append `decoded`, the decoded form of the source slice `raw` found at `raw_start`.
    ///
    /// `escapes` enables Markdown backslash escapes in addition to character references.
    /// Leading whitespace is dropped while the buffer is still blank.
    pub fn push_aligned(&mut self, raw: &str, raw_start: usize, decoded: &str, escapes: bool) {
        let (mut raw, mut raw_start, mut decoded) = (raw, raw_start, decoded);
        if self.text.is_empty() {
            let raw_trimmed = raw.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let dec_trimmed = decoded.trim_start_matches(|c: char| c.is_ascii_whitespace());
            raw_start += raw.len() - raw_trimmed.len();
            raw = raw_trimmed;
            decoded = dec_trimmed;
        }
        if raw == decoded {
            self.push_verbatim(decoded, raw_start);
            return;
        }
        align(self, raw, raw_start, decoded, escapes);
    }

    /// Append `s`, the source slice at `source_start` taken as it is (leading whitespace is
    /// dropped while the buffer is still blank, as [`TextBuf::push_aligned`] does).
    pub fn push_source(&mut self, s: &str, source_start: usize) {
        if self.text.is_empty() {
            let trimmed = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
            self.push_verbatim(trimmed, source_start + (s.len() - trimmed.len()));
        } else {
            self.push_verbatim(s, source_start);
        }
    }

    /// The source span of the text range `start..end` (byte offsets into [`TextBuf::text`]).
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        let from = self.locate(start, false).unwrap_or(0);
        let to = self.locate(end, true).unwrap_or(from);
        Span::new(from, to.max(from))
    }

    /// The source offset of text offset `offset` (binary search: pieces are in text order).
    fn locate(&self, offset: usize, is_end: bool) -> Option<usize> {
        let index = if is_end {
            self.pieces
                .partition_point(|p| p.text_start + p.text_len < offset)
        } else {
            self.pieces
                .partition_point(|p| p.text_start + p.text_len <= offset)
        };
        let p = self.pieces.get(index)?;
        Some(match (p.text_len == p.source_len, is_end) {
            (true, _) => p.source_start + (offset.max(p.text_start) - p.text_start),
            (false, true) => p.source_start + p.source_len,
            (false, false) => p.source_start,
        })
    }

    /// Take the text as a trimmed [`Block`], leaving the buffer empty; `None` when blank.
    pub fn take_block(&mut self, context: Context) -> Option<Block> {
        // The block gets exact-size copies; the buffer keeps its capacity for the next block
        // instead of growing a new one run by run.
        let (text, pieces) = self.trimmed_copy();
        self.text.clear();
        self.pieces.clear();
        if text.is_empty() || pieces.is_empty() {
            return None;
        }
        let start = pieces.iter().map(|p| p.source_start).min().unwrap_or(0);
        let end = pieces
            .iter()
            .map(|p| p.source_start + p.source_len)
            .max()
            .unwrap_or(start);
        Some(Block {
            text,
            span: Span::new(start, end),
            context,
            pieces,
        })
    }

    /// The text without surrounding whitespace, and its pieces.
    fn trimmed_copy(&self) -> (String, Vec<Piece>) {
        let trimmed = self.text.trim();
        let lead = self.text.len() - self.text.trim_start().len();
        let mut pieces = self.pieces.clone();
        trim_front(&mut pieces, lead);
        trim_back(&mut pieces, self.text.len() - lead - trimmed.len());
        (trimmed.to_owned(), pieces)
    }
}

/// Drop `n` bytes of text from the front of `pieces` and rebase their text offsets.
fn trim_front(pieces: &mut Vec<Piece>, n: usize) {
    let mut left = n;
    while left > 0 && !pieces.is_empty() {
        let p = &mut pieces[0];
        if p.text_len <= left {
            left -= p.text_len;
            pieces.remove(0);
        } else {
            if p.text_len == p.source_len {
                p.source_start += left;
                p.source_len -= left;
            }
            p.text_len -= left;
            left = 0;
        }
    }
    for p in pieces.iter_mut() {
        p.text_start = p.text_start.saturating_sub(n);
    }
}

/// Drop `n` bytes of text from the back of `pieces`.
fn trim_back(pieces: &mut Vec<Piece>, n: usize) {
    let mut left = n;
    while left > 0 {
        let Some(p) = pieces.last_mut() else { return };
        if p.text_len <= left {
            left -= p.text_len;
            pieces.pop();
        } else {
            if p.text_len == p.source_len {
                p.source_len -= left;
            }
            p.text_len -= left;
            left = 0;
        }
    }
}

/// Walk `raw` and `decoded` together, emitting verbatim pieces where they agree and mapped
/// pieces for character references, escapes and CRLF; on anything unexpected the rest of the
/// run becomes one mapped piece.
fn align(buf: &mut TextBuf, raw: &str, raw_start: usize, decoded: &str, escapes: bool) {
    let (r, d) = (raw.as_bytes(), decoded.as_bytes());
    let (mut i, mut j) = (0, 0);
    // Start of the current verbatim stretch, in raw and decoded.
    let (mut vi, mut vj) = (0, 0);
    while i < r.len() && j < d.len() {
        let step = match r[i] {
            b'&' => entity_step(r, i, d, j, CHECK_DEPTH),
            b'\\' if escapes => escape_step(r, i, d, j),
            b'\r' if d[j] == b'\n' && r.get(i + 1) == Some(&b'\n') => Some((2, 1)),
            0 if d[j..].starts_with("\u{FFFD}".as_bytes()) => Some((1, 3)),
            _ => None,
        };
        match step {
            Some((ri, dj)) => {
                flush_verbatim(buf, decoded, raw_start, (vi, vj), (i, j));
                (vi, vj) = (i, j);
                let (Some(text), true) = (decoded.get(j..j + dj), raw.is_char_boundary(i + ri))
                else {
                    break;
                };
                buf.push_mapped(text, Span::new(raw_start + i, raw_start + i + ri));
                i += ri;
                j += dj;
                (vi, vj) = (i, j);
            }
            None if r[i] == d[j] => {
                i += 1;
                j += 1;
            }
            None => {
                // Bytes matched up to here; a mismatch inside a character must not split it.
                while j > vj && !decoded.is_char_boundary(j) {
                    i -= 1;
                    j -= 1;
                }
                break;
            }
        }
    }
    flush_verbatim(buf, decoded, raw_start, (vi, vj), (i, j));
    // Whatever did not align maps to the rest of the raw run as a whole.
    let rest_raw = Span::new(raw_start + i, raw_start + r.len());
    if j < d.len()
        && let Some(rest) = decoded.get(j..)
    {
        buf.push_mapped(rest, rest_raw);
    }
}

/// Emit the verbatim stretch from `from` to `to` (raw and decoded offsets move together).
fn flush_verbatim(
    buf: &mut TextBuf,
    decoded: &str,
    raw_start: usize,
    from: (usize, usize),
    to: (usize, usize),
) {
    if to.1 > from.1
        && let Some(s) = decoded.get(from.1..to.1)
    {
        buf.push_verbatim(s, raw_start + from.0);
    }
}

/// A Markdown backslash escape `\*` decoded to `*`: (raw length, decoded length).
fn escape_step(r: &[u8], i: usize, d: &[u8], j: usize) -> Option<(usize, usize)> {
    let next = *r.get(i + 1)?;
    (next.is_ascii_punctuation() && d[j] == next).then_some((2, 1))
}

/// How many references in a row [`resumes`] checks (it checks a reference that follows one by
/// aligning it too; the bound keeps a flood of references from nesting deeper).
const CHECK_DEPTH: u8 = 2;

/// A character reference at `r[i]` (`&`) decoded at `d[j]`: (raw length, decoded length), or
/// `None` when the `&` was kept literally. `depth`: see [`CHECK_DEPTH`].
fn entity_step(r: &[u8], i: usize, d: &[u8], j: usize, depth: u8) -> Option<(usize, usize)> {
    if r.get(i + 1) == Some(&b'#') {
        return numeric_entity_len(r, i).map(|len| (len, utf8_len(d[j])));
    }
    let name_len = r[i + 1..]
        .iter()
        .take(MAX_ENTITY_NAME)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    // Only `&amp` (and `&AMP`) decodes to an `&`: any other `&` in the text is the raw one,
    // kept literally (`&AVV` is no reference, though `&A` then `V` would line up with it).
    let amp = r[i + 1..].starts_with(b"amp") || r[i + 1..].starts_with(b"AMP");
    if name_len == 0 || (d[j] == b'&' && !amp) {
        return None;
    }
    let full = 1 + name_len + usize::from(r.get(i + 1 + name_len) == Some(&b';'));
    // Most references decode to one character; try that for every length before two.
    let one = utf8_len(d[j]);
    let two = d.get(j + one).map_or(0, |&b| one + utf8_len(b));
    for k in [one, two] {
        for end in (2..=full).rev() {
            if k == 0 || j + k > d.len() || d[j..j + k] == r[i..i + end] {
                continue;
            }
            if resumes(r, i + end, d, j + k, depth) {
                return Some((end, k));
            }
        }
    }
    None
}

/// Length of a numeric reference `&#123;` / `&#x1F;` starting at `r[i]`.
fn numeric_entity_len(r: &[u8], i: usize) -> Option<usize> {
    let hex = matches!(r.get(i + 2), Some(b'x' | b'X'));
    let digits_at = i + 2 + usize::from(hex);
    let digits = r
        .get(digits_at..)?
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return None;
    }
    let end = digits_at + digits;
    Some(end - i + usize::from(r.get(end) == Some(&b';')))
}

/// True when the plain raw bytes after a reference match the decoded bytes after it.
fn resumes(r: &[u8], ri: usize, d: &[u8], dj: usize, depth: u8) -> bool {
    if ri >= r.len() {
        return dj == d.len();
    }
    let plain = r[ri..]
        .iter()
        .take(VERIFY_LEN)
        .take_while(|&&b| !matches!(b, b'&' | b'\r' | b'\\' | 0))
        .count();
    if plain == 0 {
        return special_resumes(r, ri, d, dj, depth);
    }
    d.get(dj..dj + plain) == Some(&r[ri..ri + plain])
}

/// [`resumes`] when the raw text goes on with a byte that decoding may change (`&`, CR,
/// backslash, NUL): what comes next in the decoded text must be something that byte can
/// become, or the candidate length is wrong (an empty comparison would accept it: the html
/// fuzz target found `&Mw&` followed by U+FFFD taken for a reference `&Mw` decoded to `&`).
fn special_resumes(r: &[u8], ri: usize, d: &[u8], dj: usize, depth: u8) -> bool {
    let rest = d.get(dj..).unwrap_or_default();
    let next = rest.first().copied();
    match r[ri] {
        // As itself or as U+FFFD.
        0 => next == Some(0) || rest.starts_with("\u{FFFD}".as_bytes()),
        // As itself, or as another reference that aligns here (past the depth, one that may).
        b'&' => {
            next == Some(b'&')
                || match depth.checked_sub(1) {
                    Some(deeper) => entity_step(r, ri, d, dj, deeper).is_some(),
                    None => r
                        .get(ri + 1)
                        .is_some_and(|&b| b == b'#' || b.is_ascii_alphanumeric()),
                }
        }
        // As itself, or with the LF after it as one LF.
        b'\r' => matches!(next, Some(b'\r' | b'\n')),
        // A backslash: as itself, or as the character it escapes.
        _ => next == Some(b'\\') || next == r.get(ri + 1).copied(),
    }
}

/// Byte length of the UTF-8 sequence that starts with `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// Whitespace runs collapsed to single spaces, ends trimmed.
pub(super) fn collapse(s: String) -> String {
    if is_collapsed(&s) {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True when [`collapse`] would return `s` unchanged: no whitespace but single inner spaces.
/// Checked on bytes: a non-ASCII whitespace character starts with `C2`, `E1`, `E3` or
/// `E2 80`/`E2 81` (curly quotes, also `E2 80`, are told apart by their third byte).
fn is_collapsed(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut prev_space = false;
    for (i, &c) in b.iter().enumerate() {
        match c {
            0x09..=0x0D | 0xC2 | 0xE1 | 0xE3 => return false,
            0xE2 if is_wide_space(b.get(i + 1..i + 3)) => return false,
            _ => {}
        }
        let space = c == b' ';
        if space && prev_space {
            return false;
        }
        prev_space = space;
    }
    true
}

/// True when the two bytes after an `E2` make a whitespace character (U+2000–U+200A, U+2028,
/// U+2029, U+202F, U+205F); missing bytes count as whitespace (the slow path is always right).
fn is_wide_space(rest: Option<&[u8]>) -> bool {
    match rest {
        Some([0x80, third]) => matches!(third, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF),
        Some([0x81, third]) => *third == 0x9F,
        Some(_) => false,
        None => true,
    }
}

/// Byte ranges of bare `http://` / `https://` URLs in `text` (GFM-style: trailing punctuation
/// and unbalanced closing brackets are not part of the URL).
fn bare_urls(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // URLs do not overlap: the next one starts at or after `from`.
    let mut from = 0;
    // Every scheme ends in `://`: `:` is rare in prose, so a memchr for it rarely stops (and
    // costs less on a short run than a substring search's setup).
    for colon in memchr::memchr_iter(b':', bytes) {
        if colon < from || !bytes[colon + 1..].starts_with(b"//") {
            continue;
        }
        let before = &bytes[..colon];
        let (start, scheme) = if before.ends_with(b"https") {
            (colon - 5, 8)
        } else if before.ends_with(b"http") {
            (colon - 4, 7)
        } else {
            continue;
        };
        if start < from {
            continue;
        }
        let after_word = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if after_word {
            continue;
        }
        let rest = &text[start..];
        let len = rest.find(ends_url).unwrap_or(rest.len());
        let len = trim_url_tail(&rest[..len]);
        if len > scheme {
            found.push((start, start + len));
            from = start + len;
        }
    }
    found
}

/// Characters that end a bare URL.
fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>'
                | '"'
                | '`'
                | '|'
                | '，'
                | '。'
                | '、'
                | '）'
                | '（'
                | '「'
                | '」'
                | '【'
                | '】'
                | '：'
                | '；'
                | '！'
                | '？'
        )
}

/// Length of `url` without trailing punctuation and unbalanced closing brackets.
fn trim_url_tail(url: &str) -> usize {
    let mut end = url.len();
    loop {
        let Some(last) = url[..end].chars().next_back() else {
            return end;
        };
        let unbalanced = |open: char, close: char| {
            let s = &url[..end];
            s.matches(close).count() > s.matches(open).count()
        };
        let strip = match last {
            '.' | ',' | ':' | ';' | '!' | '?' | '*' | '_' | '~' | '\'' => true,
            ')' => unbalanced('(', ')'),
            ']' => unbalanced('[', ']'),
            _ => false,
        };
        if !strip {
            return end;
        }
        end -= last.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(raw: &str, decoded: &str) -> Block {
        let mut buf = TextBuf::default();
        buf.push_aligned(raw, 0, decoded, true);
        buf.take_block(Context::Body).expect("block")
    }

    #[test]
    fn entities_map_to_their_source() {
        let raw = "CC&nbsp;BY 4.0 &amp; more";
        let b = block(raw, "CC\u{a0}BY 4.0 & more");
        let span = b.source_span(0, "CC\u{a0}BY 4.0".len());
        assert_eq!(&raw[span.start..span.end], "CC&nbsp;BY 4.0");
        let amp = b.text.find('&').unwrap();
        let span = b.source_span(amp, amp + 1);
        assert_eq!(&raw[span.start..span.end], "&amp;");
        let span = b.source_span(b.text.len() - 4, b.text.len());
        assert_eq!(&raw[span.start..span.end], "more");
    }

    #[test]
    fn legacy_entity_without_semicolon_and_numeric() {
        let raw = "&copy2024 &#169; x&y";
        let b = block(raw, "©2024 © x&y");
        let span = b.source_span(0, 2);
        assert_eq!(&raw[span.start..span.end], "&copy");
        let span = b.source_span(2, 6);
        assert_eq!(&raw[span.start..span.end], "2024");
        let at = b.text.find("x&y").unwrap();
        let span = b.source_span(at, at + 3);
        assert_eq!(&raw[span.start..span.end], "x&y");
    }

    /// Inputs the html fuzz target found, where an `&` kept literally was taken for a character
    /// reference and every later span in the block moved: the text after it must still map
    /// to itself in the source.
    #[test]
    fn a_literal_ampersand_is_not_a_reference() {
        let cases = [
            // `&S` followed by NUL.
            ("&&S\0\0cc0 &amp; x", "&&S\0\0cc0 & x", "cc0"),
            // `&Mw` before `&` and U+FFFD (shifted later spans by two bytes).
            (
                "a&Mw&\u{FFFD}b cc0 &amp; x",
                "a&Mw&\u{FFFD}b cc0 & x",
                "cc0",
            ),
            // `&mltfR` before the reference `&lt` (the `&lt` after it was not checked).
            ("/&mltfR&lt\u{e0} Cc0 x", "/&mltfR<\u{e0} Cc0 x", "Cc0"),
            // `&AVV` then `&*`, taken for a reference to `&A` followed by `V` (the fuzz input
            // is in fuzz/regressions/html; the run's end, CR against LF, stops the check).
            ("&AVV&*cc0\r", "&AVV&*cc0\n", "cc0"),
        ];
        for (raw, decoded, word) in cases {
            let b = block(raw, decoded);
            let at = b.text.find(word).expect("word in text");
            let span = b.source_span(at, at + word.len());
            assert_eq!(&raw[span.start..span.end], word, "{raw:?}");
        }
    }

    #[test]
    fn crlf_and_escapes() {
        let raw = "a\r\nb \\* c";
        let b = block(raw, "a\nb * c");
        let span = b.source_span(2, 3);
        assert_eq!(&raw[span.start..span.end], "b");
        let span = b.source_span(4, 5);
        assert_eq!(&raw[span.start..span.end], "\\*");
    }

    #[test]
    fn unexpected_difference_inside_a_character_keeps_all_text() {
        let raw = "xé y";
        let b = block(raw, "xè y");
        assert_eq!(b.text, "xè y");
        assert_eq!(
            &raw[b.source_span(0, 1).start..b.source_span(0, 1).end],
            "x"
        );
        let rest = b.source_span(1, b.text.len());
        assert_eq!(&raw[rest.start..rest.end], "é y");
    }

    #[test]
    fn trims_both_ends() {
        let mut buf = TextBuf::default();
        buf.push_aligned("  hello ", 10, "  hello ", false);
        buf.push_verbatim(" \n", 30);
        let b = buf.take_block(Context::Body).unwrap();
        assert_eq!(b.text, "hello");
        assert_eq!(b.span, Span::new(12, 17));
    }

    #[test]
    fn finds_bare_urls() {
        let t = "See https://example.org/a_(b). Or (http://x.org/p), not xhttp://y.";
        let urls: Vec<&str> = bare_urls(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(urls, ["https://example.org/a_(b)", "http://x.org/p"]);
        let t = "来源：https://例子.中国/文章。谢谢";
        let urls: Vec<&str> = bare_urls(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(urls, ["https://例子.中国/文章"]);
        // Schemes inside a URL, back to back, or with nothing after them.
        let t = "a http://x.org/http://y.org b httphttp://z.org http:// https://q.org";
        let urls: Vec<&str> = bare_urls(t).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(urls, ["http://x.org/http://y.org", "https://q.org"]);
        let t = "ftp://a.org :// https:/b.org http://";
        assert!(bare_urls(t).is_empty());
    }

    #[test]
    fn collapse_keeps_collapsed_text_and_collapses_the_rest() {
        for (input, want) in [
            ("CC BY 4.0", "CC BY 4.0"),
            ("", ""),
            (" a  b\n", "a b"),
            ("a\u{a0}b", "a b"),
            ("a\u{3000}b", "a b"),
            ("a\tb", "a b"),
            ("día é", "día é"),
            ("it’s “so”", "it’s “so”"),
            ("a\u{2009}b\u{205f}c\u{2028}d", "a b c d"),
        ] {
            assert_eq!(collapse(input.to_owned()), want, "{input:?}");
        }
    }
}
