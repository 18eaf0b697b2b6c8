//! The part of a post a human-format snippet shows for one finding: the lines around each
//! place, each cut to a window of characters around the place, with control characters
//! escaped. A minified page is one line of megabytes: shown whole it floods the terminal, and
//! miette's renderer panics on a label past column 65,535. miette reads the excerpt as its
//! source code, with the places mapped into it; the excerpt gives it the post's own line
//! numbers and character columns, so the header (`name:line:column`) stays exact.
//!
//! Not for the other formats: they quote no source text.

use std::collections::BTreeMap;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape;
use crate::source::{Place, Span};

/// Characters of a line shown at most (an escape counts as the characters it is written with).
const LINE_CHARS: usize = 240;
/// Of those, how many come before the place the line is shown for.
const LEAD_CHARS: usize = 80;
/// Lines shown of a place that spans more.
const SPAN_LINES: usize = 4;
/// Lines shown above and below each place; the handler reading the excerpt is set to the same.
pub const CONTEXT_LINES: usize = 1;
/// Lines between two places' snippets that are shown to make them one.
const GAP_LINES: usize = 5;
/// Stands for the part of a line left out.
const CUT: &str = "…";

/// One post line as shown.
#[derive(Debug)]
struct Shown {
    /// Its 0-based line number in the post.
    number: usize,
    /// Where its shown text is in the excerpt, without the line break.
    start: usize,
    end: usize,
    /// The post bytes shown.
    from: usize,
    to: usize,
    /// True when the end of the line is left out (a `…` ends the shown text).
    cut_after: bool,
    /// The 0-based character column of `from` in the post.
    column: usize,
    /// (excerpt offset, post offset) of each shown character's start, then of `to`.
    map: Vec<(usize, usize)>,
    /// The first and last excerpt lines of the run of consecutive post lines this one is in.
    run: (usize, usize),
}

/// The lines a finding's snippet shows, as miette's source code.
#[derive(Debug)]
pub struct Excerpt {
    text: String,
    lines: Vec<Shown>,
}

/// A post line: where it starts, where its text ends (before `\r\n` or `\n`) and where its
/// line break is (the text's length on the last line).
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    brk: usize,
}

impl Line {
    /// The line holding byte `offset` of `text` (a line break belongs to the line it ends).
    fn around(text: &str, offset: usize) -> Line {
        let bytes = text.as_bytes();
        let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
        let brk = memchr::memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |i| offset + i);
        let end = if brk < bytes.len() && brk > start && bytes[brk - 1] == b'\r' {
            brk - 1
        } else {
            brk
        };
        Line { start, end, brk }
    }

    fn before(self, text: &str) -> Option<Line> {
        (self.start > 0).then(|| Line::around(text, self.start - 1))
    }

    /// The next line (empty after a final line break), unless this one ends the text.
    fn after(self, text: &str) -> Option<Line> {
        (self.brk < text.len()).then(|| Line::around(text, self.brk + 1))
    }
}

impl Excerpt {
    /// The lines around `places` (byte spans into `text` with their places as computed when
    /// checked, one of them `primary`) and each place's span in the excerpt, in the order given.
    /// Line numbers count on from each place's own line, never from the top of the text.
    pub fn new(text: &str, places: &[(Span, Place, bool)]) -> (Excerpt, Vec<SourceSpan>) {
        let bytes = text.as_bytes();
        let places: Vec<(Span, usize, bool)> = places
            .iter()
            .map(|&(span, place, primary)| (clamp(text, span), place.line - 1, primary))
            .collect();
        // The post lines to show by number, and each place's first and last line.
        let mut wanted: BTreeMap<usize, Line> = BTreeMap::new();
        let mut place_lines = Vec::with_capacity(places.len());
        for &(span, number, _) in &places {
            let first = Line::around(text, span.start);
            let last = Line::around(text, span.end.saturating_sub(1).max(span.start));
            let last_number =
                number + memchr::memchr_iter(b'\n', &bytes[first.start..last.start]).count();
            place_lines.push((number, last_number));
            let mut line = first;
            let mut n = number;
            for _ in 0..CONTEXT_LINES {
                match line.before(text) {
                    Some(above) => {
                        line = above;
                        n -= 1;
                    }
                    None => break,
                }
            }
            let stop = last_number + CONTEXT_LINES;
            loop {
                wanted.insert(n, line);
                match line.after(text) {
                    Some(below) if n < stop => {
                        line = below;
                        n += 1;
                    }
                    _ => break,
                }
            }
        }
        let shown: Vec<(usize, Line)> = wanted.iter().map(|(&n, &line)| (n, line)).collect();
        for pair in shown.windows(2) {
            let ((n, mut line), (next, _)) = (pair[0], pair[1]);
            if next - n <= GAP_LINES + 1 {
                for k in n + 1..next {
                    match line.after(text) {
                        Some(below) => line = below,
                        None => break,
                    }
                    wanted.insert(k, line);
                }
            }
        }
        let mut excerpt = Excerpt {
            text: String::new(),
            lines: Vec::with_capacity(wanted.len()),
        };
        for (&n, &line) in &wanted {
            let focus = focus(&places, line);
            excerpt.push_line(text, n, line, focus);
        }
        excerpt.mark_runs();
        let spans = places
            .iter()
            .zip(place_lines)
            .map(|(&(span, _, _), (first, last))| {
                let start = excerpt.place(first, span.start, false);
                let end = excerpt.place(last, span.end, true).max(start);
                SourceSpan::new(start.into(), end - start)
            })
            .collect();
        (excerpt, spans)
    }

    /// Show post line `n` (`line`), cut to a window around byte `focus`.
    fn push_line(&mut self, text: &str, n: usize, line: Line, focus: usize) {
        let (from, to) = window(text, line, focus);
        let start = self.text.len();
        if from > line.start {
            self.text.push_str(CUT);
        }
        let mut map = Vec::with_capacity(to - from + 1);
        for (at, c) in text[from..to].char_indices() {
            map.push((self.text.len(), from + at));
            escape::push_for_log(&mut self.text, text, from + at, c);
        }
        map.push((self.text.len(), to));
        let cut_after = to < line.end;
        if cut_after {
            self.text.push_str(CUT);
        }
        let end = self.text.len();
        if line.brk < text.len() {
            self.text.push('\n');
        }
        self.lines.push(Shown {
            number: n,
            start,
            end,
            from,
            to,
            cut_after,
            column: text[line.start..from].chars().count(),
            map,
            run: (0, 0),
        });
    }

    /// Record each line's run of consecutive post lines.
    fn mark_runs(&mut self) {
        let mut first = 0;
        for i in 0..self.lines.len() {
            let ends_run = self
                .lines
                .get(i + 1)
                .is_none_or(|next| next.number != self.lines[i].number + 1);
            if ends_run {
                for line in &mut self.lines[first..=i] {
                    line.run = (first, i);
                }
                first = i + 1;
            }
        }
    }

    /// The excerpt offset of post byte `offset` on post line `n`: its character's place, or the
    /// `…` standing for it when it is cut out (the start of the `…` for a span's start, its end
    /// for a span's end).
    fn place(&self, n: usize, offset: usize, span_end: bool) -> usize {
        let Some(shown) = self
            .lines
            .binary_search_by_key(&n, |l| l.number)
            .ok()
            .and_then(|i| self.lines.get(i))
        else {
            return 0;
        };
        if offset < shown.from {
            return if span_end {
                shown.start + CUT.len()
            } else {
                shown.start
            };
        }
        if offset > shown.to {
            return if shown.cut_after && !span_end {
                shown.end - CUT.len()
            } else {
                shown.end
            };
        }
        let at = shown.map.partition_point(|&(_, o)| o < offset);
        shown.map.get(at).map_or(shown.end, |&(e, _)| e)
    }
}

/// `span` inside `text`, on character boundaries, and over at most [`SPAN_LINES`] lines.
fn clamp(text: &str, span: Span) -> Span {
    let start = text.floor_char_boundary(span.start.min(text.len()));
    let end = text
        .floor_char_boundary(span.end.min(text.len()))
        .max(start);
    let end = match memchr::memchr_iter(b'\n', &text.as_bytes()[start..end]).nth(SPAN_LINES - 1) {
        Some(i) => start + i,
        None => end,
    };
    Span::new(start, end)
}

/// The byte a line's window is placed around: the primary place when it starts on the line,
/// else the first place that does, else the line's start.
fn focus(places: &[(Span, usize, bool)], line: Line) -> usize {
    let on_line = |span: &Span| (line.start..=line.brk).contains(&span.start);
    let primary = places
        .iter()
        .find(|(span, _, primary)| *primary && on_line(span));
    let first = || {
        places
            .iter()
            .filter(|(span, _, _)| on_line(span))
            .min_by_key(|(span, _, _)| span.start)
    };
    primary
        .or_else(first)
        .map_or(line.start, |(span, _, _)| span.start.min(line.end))
}

/// The bytes of `line` shown: up to [`LEAD_CHARS`] before `focus`, up to [`LINE_CHARS`] in
/// all, taken from before `focus` when the line ends sooner.
fn window(text: &str, line: Line, focus: usize) -> (usize, usize) {
    let width = |at: usize, c: char| escape::shown_len(text, at, c);
    let mut from = focus;
    let mut used = 0;
    for (at, c) in text[line.start..focus].char_indices().rev() {
        used += width(line.start + at, c);
        if used > LEAD_CHARS {
            break;
        }
        from = line.start + at;
    }
    let mut to = from;
    let mut used = 0;
    for (at, c) in text[from..line.end].char_indices() {
        used += width(from + at, c);
        if used > LINE_CHARS {
            break;
        }
        to = from + at + c.len_utf8();
    }
    if to == line.end {
        for (at, c) in text[line.start..from].char_indices().rev() {
            used += width(line.start + at, c);
            if used > LINE_CHARS {
                break;
            }
            from = line.start + at;
        }
    }
    (from, to)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = span.offset();
        if offset + span.len() > self.text.len() || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let line_of = |at: usize| {
            self.lines
                .partition_point(|l| l.end < at)
                .min(self.lines.len() - 1)
        };
        let (k0, k1) = (
            line_of(offset),
            line_of(offset + span.len().saturating_sub(1)),
        );
        let first = k0
            .saturating_sub(context_lines_before)
            .max(self.lines[k0].run.0);
        let last = (k1 + context_lines_after).min(self.lines[k1].run.1);
        let start = self.lines[first].start;
        // With the line break, as miette's own reader gives it (an empty last line shows).
        let end = (self.lines[last].end + 1).min(self.text.len());
        let number = self.lines[first].number;
        let column = if context_lines_before == 0 {
            let shown = &self.lines[k0];
            let chars = shown.map.partition_point(|&(e, _)| e <= offset);
            shown.column + chars.saturating_sub(1)
        } else {
            0
        };
        // miette joins two snippets when the first's line plus its line count reaches the
        // second's line: counting to the end of the run joins exactly the snippets whose
        // post lines follow on.
        let run_end = self.lines[self.lines[k1].run.1].number;
        Ok(Box::new(MietteSpanContents::new(
            &self.text.as_bytes()[start..end],
            SourceSpan::new(start.into(), end - start),
            number,
            column,
            run_end + 1 - number,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(text: &str, places: &[(Span, bool)]) -> (Excerpt, Vec<SourceSpan>) {
        let index = crate::source::LineIndex::new(text);
        let places: Vec<(Span, Place, bool)> = places
            .iter()
            .map(|&(span, primary)| (span, index.place(text, span), primary))
            .collect();
        Excerpt::new(text, &places)
    }

    #[test]
    fn a_short_text_is_shown_whole_with_places_where_they_are() {
        let text = "one\ntwo x\nthree\nfour\n";
        let at = text.find('x').unwrap();
        let (e, spans) = excerpt(text, &[(Span::new(at, at + 1), true)]);
        assert_eq!(e.text, "one\ntwo x\nthree\n");
        assert_eq!(spans, [SourceSpan::new(at.into(), 1)]);
        let read = e.read_span(&spans[0], 0, 0).unwrap();
        assert_eq!((read.line(), read.column()), (1, 4));
    }

    #[test]
    fn a_long_line_is_cut_around_the_place_with_its_real_column() {
        let text = format!(
            "{}é CC BY 4.0 {}\nnext",
            "é".repeat(70_000),
            "z".repeat(500)
        );
        let at = text.find('C').unwrap();
        let (e, spans) = excerpt(&text, &[(Span::new(at, at + 11), true)]);
        let first = e.text.lines().next().unwrap();
        assert!(first.starts_with('…') && first.ends_with('…'));
        assert_eq!(first.chars().count(), LINE_CHARS + 2);
        let shown = spans[0].offset();
        assert_eq!(&e.text[shown..shown + spans[0].len()], "CC BY 4.0 z");
        let read = e.read_span(&spans[0], 0, 0).unwrap();
        assert_eq!((read.line(), read.column()), (0, 70_002));
    }

    #[test]
    fn control_characters_are_escaped_and_places_follow() {
        let text = "a\u{1b}]8;;x\u{7}b\rc ##[error] CC";
        let at = text.find("CC").unwrap();
        let (e, spans) = excerpt(text, &[(Span::new(at, at + 2), true)]);
        assert_eq!(e.text, "a\\u{1b}]8;;x\\u{7}b\\rc ##[\\error] CC");
        let shown = spans[0].offset();
        assert_eq!(&e.text[shown..shown + 2], "CC");
        let read = e.read_span(&spans[0], 0, 0).unwrap();
        assert_eq!(read.column(), text[..at].chars().count());
    }

    #[test]
    fn places_far_apart_are_separate_runs_and_far_columns_point_at_the_cut() {
        let text = (0..40)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        let a = text.find("line 3").unwrap();
        let b = text.find("line 30").unwrap();
        let (e, spans) = excerpt(
            &text,
            &[(Span::new(a, a + 4), true), (Span::new(b, b + 4), false)],
        );
        assert_eq!(
            e.text,
            "line 2\nline 3\nline 4\nline 29\nline 30\nline 31\n"
        );
        let left = e.read_span(&spans[0], 1, 1).unwrap();
        let right = e.read_span(&spans[1], 1, 1).unwrap();
        assert!(left.line() + left.line_count() < right.line());
        assert_eq!(right.line(), 29);

        let c = text.find("line 9").unwrap();
        let (e, spans) = excerpt(
            &text,
            &[(Span::new(a, a + 4), true), (Span::new(c, c + 4), false)],
        );
        assert_eq!(e.lines.len(), 9, "lines 2 to 10, the gap between filled");
        let left = e.read_span(&spans[0], 1, 1).unwrap();
        let right = e.read_span(&spans[1], 1, 1).unwrap();
        assert!(left.line() + left.line_count() >= right.line());

        let line = format!("{}A{}B", "x".repeat(50), "y".repeat(1000));
        let a = line.find('A').unwrap();
        let b = line.find('B').unwrap();
        let (e, spans) = excerpt(
            &line,
            &[(Span::new(a, a + 1), true), (Span::new(b, b + 1), false)],
        );
        let shown = spans[1].offset();
        assert_eq!(&e.text[shown..shown + spans[1].len()], CUT);
    }

    /// Lines of text built to be awkward: long runs, line breaks of each kind, controls, wide
    /// and multi-byte characters.
    fn awkward_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            4 => "[a-z ]{0,12}",
            1 => Just("\n".to_owned()),
            1 => Just("\r\n".to_owned()),
            1 => Just("\r".to_owned()),
            1 => "[\u{0}-\u{1f}\u{7f}-\u{9f}\u{2028}\u{202e}]",
            1 => "[é陈😀\t#\\[]{1,3}",
            1 => (1usize..400).prop_map(|n| "x".repeat(n)),
        ];
        proptest::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #[test]
        fn any_text_and_places_render_in_bounded_lines(
            text in awkward_text(),
            places in proptest::collection::vec((0usize..6000, 0usize..800, proptest::bool::ANY), 1..4),
        ) {
            let places: Vec<(Span, bool)> = places
                .into_iter()
                .map(|(start, len, primary)| {
                    // Mostly inside the text, sometimes past its end.
                    let start = start % (text.len() + 10);
                    (Span::new(start, start + len), primary)
                })
                .collect();
            let (excerpt, spans) = excerpt(&text, &places);
            let labels = spans.iter().zip(&places).map(|(span, (_, primary))| {
                if *primary {
                    miette::LabeledSpan::new_primary_with_span(Some("here".to_owned()), *span)
                } else {
                    miette::LabeledSpan::new_with_span(Some("there".to_owned()), *span)
                }
            });
            let diagnostic = miette::MietteDiagnostic::new("m").with_labels(labels);
            let report = miette::Report::new(diagnostic)
                .with_source_code(miette::NamedSource::new("f", excerpt));
            let mut out = String::new();
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_context_lines(CONTEXT_LINES)
                .render_report(&mut out, report.as_ref())
                .unwrap();
            for line in out.lines() {
                proptest::prop_assert!(line.chars().count() < 400, "{line:?}");
                proptest::prop_assert!(!line.chars().any(char::is_control), "{line:?}");
            }
        }
    }

    #[test]
    fn out_of_range_and_mid_character_spans_are_clamped() {
        let text = "né\n";
        let (e, spans) = excerpt(text, &[(Span::new(2, 99), true)]);
        assert_eq!(e.text, "né\n");
        assert_eq!(spans, [SourceSpan::new(1.into(), 2)]);
    }
}
