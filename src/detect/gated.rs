//! Regexes with word boundaries that stay on the fast DFA: [`Gated`].
//!
//! Unicode word boundaries (`\b`) stop the regex crate's lazy DFA at the first non-ASCII byte
//! (a curly quote, an accent, any CJK character) and send the search to a far slower engine
//! over the rest of the text. A [`Gated`] pattern also compiles a *gate*: the same pattern
//! without its word boundaries, which the DFA runs. The gate matches wherever the full pattern
//! does (dropping assertions only widens a pattern), so the full pattern is tried only where
//! the gate finds a match, anchored at its start. Matches are exactly those of the full pattern
//! (leftmost-first, non-overlapping), found at DFA speed.
//!
//! Before searching block by block, a detector can ask which of its patterns' gates match in a
//! whole post at all ([`GateSet`]), or in which blocks ([`Finder`]).

use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternSet, meta};

use crate::document::{Block, Document};

/// A regex run through a word-boundary-free gate; same matches as the plain pattern.
#[derive(Debug)]
pub struct Gated {
    /// The pattern itself, for anchored tries at the gate's candidates.
    full: meta::Regex,
    /// The pattern without `\b`/`\B`; `None` when it has none (the full pattern then runs
    /// alone, already on the DFA).
    gate: Option<meta::Regex>,
    /// The gate's pattern (the full pattern when it has no word boundaries), for [`GateSet`].
    relaxed: String,
}

/// Several patterns' gates run together in one pass over a whole document, so a detector
/// skips the block-by-block searches of every pattern that can match nowhere in it.
#[derive(Debug)]
pub struct GateSet {
    finder: Finder,
}

impl GateSet {
    /// The gates of `patterns`, in order (panics on an invalid pattern, like the statics).
    pub fn new<'p>(patterns: impl IntoIterator<Item = &'p Gated>) -> GateSet {
        let gates: Vec<String> = patterns.into_iter().map(Gated::line_gate).collect();
        GateSet {
            finder: Finder::new(&gates),
        }
    }

    /// For each pattern, whether it may match in some block of `doc` (`false`: it cannot).
    /// A `RegexSet` here cost about 25 instructions per byte: its search reports every
    /// pattern, so it cannot run the DFA's fast loop, and it stopped at every hit of its
    /// literal prefilter ("under", "de"); the [`Finder`]'s searches run the fast loop alone.
    pub fn open(&self, doc: &Document) -> Vec<bool> {
        self.finder.open(&all_text(doc))
    }
}

/// A gate pattern for [`all_text`]: blocks are joined by line breaks, so a block's `^` and `$`
/// are those of a line.
fn doc_pattern(relaxed: &str) -> String {
    format!("(?m){relaxed}")
}

/// Every block's text, one per line: a superset of what any block-by-block search sees, for
/// gates (a gate that fails here fails in every block; one that passes may still match nowhere).
pub fn all_text(doc: &Document) -> String {
    joined(doc.blocks.iter()).0
}

/// The texts of `blocks`, one per line, and where each starts.
fn joined<'d>(blocks: impl Iterator<Item = &'d Block> + Clone) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(blocks.clone().map(|b| b.text.len() + 1).sum());
    let mut starts = Vec::new();
    for block in blocks {
        starts.push(text.len());
        text.push_str(&block.text);
        text.push('\n');
    }
    (text, starts)
}

/// Finds, in one pass over a post's blocks, the blocks where some of several patterns may
/// match and which of the patterns may match in each.
///
/// The patterns come as gates over the blocks joined by line breaks ([`Gated::line_gate`]; a
/// gate may be cut short after what a match must start with). One leftmost-first regex of all
/// the gates runs the DFA's fast loop and finds each place where some gate matches (searching
/// again from the next character, so no match hides another); at each such place, an anchored
/// search that reports every pattern says which gates match there. A set search (`RegexSet`),
/// which reports every pattern over the whole text, costs several times more per byte.
#[derive(Debug)]
pub struct Finder {
    /// The gates as one regex, for the places where some gate matches.
    any: meta::Regex,
    /// The gates reporting every match, for which gates match at one place.
    all: meta::Regex,
}

impl Finder {
    /// A finder for `gates`, patterns for blocks joined by line breaks, in pattern order
    /// (panics on an invalid pattern, like the statics that hold it).
    pub fn new(gates: &[String]) -> Finder {
        // Gate literals are common words ("by", "image"): a prefilter would keep stopping.
        // Gates report no groups: compiling none makes the regexes smaller.
        let config = meta::Config::new()
            .auto_prefilter(false)
            .which_captures(WhichCaptures::Implicit);
        let any = meta::Regex::builder()
            .configure(config.clone())
            .build_many(gates)
            .expect("valid gate patterns");
        let all = meta::Regex::builder()
            .configure(config.match_kind(MatchKind::All))
            .build_many(gates)
            .expect("valid gate patterns");
        Finder { any, all }
    }

    /// The blocks, in order, where some gate matches, each with the gates that match in it
    /// (a superset of the blocks and patterns with a match: a gate is looser than its pattern).
    pub fn candidates<'d>(
        &self,
        blocks: impl Iterator<Item = &'d Block>,
    ) -> Vec<(&'d Block, PatternSet)> {
        let blocks: Vec<&Block> = blocks.collect();
        let (joined, starts) = joined(blocks.iter().copied());
        let mut found: Vec<(&Block, PatternSet)> = Vec::new();
        let mut here = PatternSet::new(self.all.pattern_len());
        let mut at = 0;
        while let Some(m) = self.any.search(&Input::new(&joined).range(at..)) {
            let start = m.start();
            here.clear();
            let anchored = Input::new(&joined).range(start..).anchored(Anchored::Yes);
            self.all.which_overlapping_matches(&anchored, &mut here);
            // The block whose text (or the line break after it) holds the start.
            let index = starts.partition_point(|&s| s <= start).saturating_sub(1);
            if let Some(&block) = blocks.get(index) {
                match found.last_mut() {
                    Some((last, open)) if std::ptr::eq(*last, block) => {
                        for id in here.iter() {
                            open.insert(id);
                        }
                    }
                    _ => found.push((block, here.clone())),
                }
            }
            at = next_char(&joined, start);
        }
        found
    }
}

impl Finder {
    /// For each gate, whether it matches somewhere in `text`: the gates matching at each place
    /// where some gate matches, until every gate has matched.
    fn open(&self, text: &str) -> Vec<bool> {
        let mut open = vec![false; self.all.pattern_len()];
        let mut closed = open.len();
        let mut here = PatternSet::new(self.all.pattern_len());
        let mut at = 0;
        while closed > 0
            && let Some(m) = self.any.search(&Input::new(text).range(at..))
        {
            let start = m.start();
            here.clear();
            let anchored = Input::new(text).range(start..).anchored(Anchored::Yes);
            self.all.which_overlapping_matches(&anchored, &mut here);
            for id in here.iter() {
                if let Some(seen) = open.get_mut(id.as_usize())
                    && !*seen
                {
                    *seen = true;
                    closed -= 1;
                }
            }
            at = next_char(text, start);
        }
        open
    }
}

/// One match, or one capture group of a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Found<'h> {
    /// Byte offset of the start.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Byte offset of the end.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The matched text.
    pub fn as_str(&self) -> &'h str {
        self.haystack.get(self.start..self.end).unwrap_or_default()
    }
}

/// The capture groups of one match.
#[derive(Debug)]
pub struct Groups<'h> {
    haystack: &'h str,
    captures: Captures,
}

impl<'h> Groups<'h> {
    /// Group `index` (0 is the whole match), if it took part.
    pub fn get(&self, index: usize) -> Option<Found<'h>> {
        self.found(self.captures.get_group(index))
    }

    /// The named group, if it took part.
    pub fn name(&self, name: &str) -> Option<Found<'h>> {
        self.found(self.captures.get_group_by_name(name))
    }

    fn found(&self, span: Option<regex_automata::Span>) -> Option<Found<'h>> {
        span.map(|s| Found {
            haystack: self.haystack,
            start: s.start,
            end: s.end,
        })
    }
}

impl Gated {
    /// Compile `pattern` (panics on an invalid pattern, like the `LazyLock` statics it backs).
    pub fn new(pattern: &str) -> Gated {
        let full = meta::Regex::new(pattern).expect("valid regex");
        let relaxed = without_word_boundaries(pattern);
        let gate = (relaxed != pattern)
            .then(|| {
                meta::Regex::builder()
                    .configure(gate_config())
                    .build(&relaxed)
                    .ok()
            })
            .flatten();
        Gated {
            full,
            gate,
            relaxed,
        }
    }

    /// The gate as a pattern for text holding one block per line (as [`all_text`] builds it):
    /// it matches wherever the pattern matches in one of the blocks.
    pub fn line_gate(&self) -> String {
        doc_pattern(&self.relaxed)
    }

    /// True when the pattern matches somewhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.captures_iter(haystack).next().is_some()
    }

    /// The matches, in order, as `Regex::find_iter`.
    pub fn find_iter<'h>(&self, haystack: &'h str) -> impl Iterator<Item = Found<'h>> {
        self.captures_iter(haystack)
            .filter_map(|groups| groups.get(0))
    }

    /// The matches with their groups, in order, as `Regex::captures_iter` (an empty match
    /// right where the previous match ended is skipped, as there).
    pub fn captures_iter<'h>(&self, haystack: &'h str) -> impl Iterator<Item = Groups<'h>> {
        let mut at = 0;
        let mut last_end = None;
        std::iter::from_fn(move || {
            let captures = self.next_match(haystack, &mut at, &mut last_end)?;
            Some(Groups { haystack, captures })
        })
    }

    /// The next match at or after `*at`, moving `*at` past it.
    fn next_match(
        &self,
        haystack: &str,
        at: &mut usize,
        last_end: &mut Option<usize>,
    ) -> Option<Captures> {
        let mut captures = None;
        while *at <= haystack.len() {
            let start = match &self.gate {
                Some(gate) => gate.search(&Input::new(haystack).range(*at..))?.start(),
                None => *at,
            };
            let found = captures.get_or_insert_with(|| self.full.create_captures());
            let anchored = if self.gate.is_some() {
                Anchored::Yes
            } else {
                Anchored::No
            };
            let input = Input::new(haystack).range(start..).anchored(anchored);
            self.full.search_captures(&input, found);
            let Some(m) = found.get_match() else {
                if anchored == Anchored::No {
                    return None;
                }
                // No match of the full pattern starts at this candidate: try the next one.
                *at = next_char(haystack, start);
                continue;
            };
            if m.is_empty() && *last_end == Some(m.start()) {
                *at = next_char(haystack, m.start());
                continue;
            }
            *at = if m.is_empty() {
                next_char(haystack, m.end())
            } else {
                m.end()
            };
            *last_end = Some(m.end());
            return captures;
        }
        None
    }
}

/// Gates run the DFA alone: their literals ("by", "under", "source") are common words, and a
/// literal prefilter that keeps stopping on them made the searches about twice as slow.
fn gate_config() -> meta::Config {
    meta::Config::new().auto_prefilter(false)
}

/// The offset of the character after the one at `at` (one past the end at the end).
fn next_char(haystack: &str, at: usize) -> usize {
    haystack
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at + 1, |c| at + c.len_utf8())
}

/// `pattern` with every `\b`/`\B` assertion (and `\b{…}` form) removed; other escapes kept.
fn without_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b' | 'B') => {
                if chars.peek() == Some(&'{') {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                }
            }
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use crate::document::Context;
    use crate::source::Span;

    use super::*;

    /// Every block where a pattern matches is found with that pattern, also when another
    /// pattern's match starts at the same place or covers it; other blocks are not.
    #[test]
    fn finder_reports_every_block_and_pattern() {
        let finder = Finder::new(&[r"(?m)^by [^\n]".to_owned(), r"(?m)y [^\n]".to_owned()]);
        let blocks = [
            Block::verbatim("by Ann", Span::new(0, 6), Context::Body),
            Block::verbatim("nothing here", Span::new(7, 19), Context::Body),
            Block::verbatim("a\nby Bo and by Cy", Span::new(20, 37), Context::Body),
            Block::verbatim("by", Span::new(38, 40), Context::Body),
        ];
        let found: Vec<(usize, Vec<usize>)> = finder
            .candidates(blocks.iter())
            .into_iter()
            .map(|(b, open)| (b.span.start, open.iter().map(|id| id.as_usize()).collect()))
            .collect();
        assert_eq!(found, [(0, vec![0, 1]), (20, vec![0, 1])]);
    }

    /// A gate set opens exactly the patterns whose gates match somewhere in the blocks
    /// joined by line breaks, as a `RegexSet` of the gates says.
    #[test]
    fn gate_set_opens_the_patterns_a_regex_set_matches() {
        let patterns = [
            Gated::new(r"(?i)\bby\s+\w+"),
            Gated::new(r"(?m)^via\b"),
            Gated::new(r"é\w*"),
            Gated::new(r"(?i)licen[cs]e\s*:"),
        ];
        let set = GateSet::new(&patterns);
        let plain = regex::RegexSet::new(patterns.iter().map(Gated::line_gate)).unwrap();
        let texts: [&[&str]; 5] = [
            &["nothing here", "at all"],
            &["“Standby” by Ana", "license: x"],
            &["a via", "via b", "café"],
            &["LICENSE :", "BY"],
            &[],
        ];
        for blocks in texts {
            let doc = Document {
                blocks: blocks
                    .iter()
                    .map(|t| Block::verbatim(t, Span::new(0, t.len()), Context::Body))
                    .collect(),
                ..Document::default()
            };
            let want: Vec<bool> = {
                let m = plain.matches(&all_text(&doc));
                (0..patterns.len()).map(|i| m.matched(i)).collect()
            };
            assert_eq!(set.open(&doc), want, "{blocks:?}");
        }
        let doc = Document {
            blocks: vec![Block::verbatim(
                "by Al; via",
                Span::new(0, 10),
                Context::Body,
            )],
            ..Document::default()
        };
        assert_eq!(set.open(&doc), [true, false, false, false]);
    }

    #[test]
    fn gate_drops_only_word_boundaries() {
        assert_eq!(
            without_word_boundaries(r"(?i)\bvia\b|\\b\d\B\b{start}x"),
            r"(?i)via|\\b\dx"
        );
        let re = Gated::new(r"(?i)\btranslated\s+by\b");
        let text = "“Quoted” — translated by Ana; retranslated bystanders";
        let found: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
        assert_eq!(found, ["translated by"]);
        assert_eq!(re.find_iter("café au lait").count(), 0);
    }

    /// Every match, with its span and groups, is the plain regex's, on ASCII and non-ASCII
    /// text, with candidates the gate accepts but the full pattern rejects, and a boundary
    /// that decides between alternatives.
    #[test]
    fn matches_are_the_plain_regexes() {
        let patterns = [
            r"(?i)\bby\s+(?P<name>\w+)",
            r"\ba\b|ab",
            r"(?m)^\s*via\b:?\s*(?P<rest>[^\n]*)",
            r"x*",
            r"\bé\w*",
        ];
        let texts = [
            "“Standby” by Ana, stand by Bob; by\u{a0}Émile — BY Zoë",
            "ab a ab éa a",
            "via: one\n  Via two\nvia\nbyvia x",
            "xx yx",
            "café éclair é",
            "",
        ];
        for pattern in patterns {
            let plain = Regex::new(pattern).unwrap();
            let gated = Gated::new(pattern);
            for text in texts {
                let want: Vec<Vec<Option<(usize, usize)>>> = plain
                    .captures_iter(text)
                    .map(|c| c.iter().map(|g| g.map(|g| (g.start(), g.end()))).collect())
                    .collect();
                let got: Vec<Vec<Option<(usize, usize)>>> = gated
                    .captures_iter(text)
                    .map(|c| {
                        (0..c.captures.group_len())
                            .map(|i| c.get(i).map(|g| (g.start(), g.end())))
                            .collect()
                    })
                    .collect();
                assert_eq!(got, want, "{pattern:?} on {text:?}");
                assert_eq!(gated.is_match(text), plain.is_match(text));
            }
        }
    }
}
