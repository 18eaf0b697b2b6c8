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
//! Before searching block by block, a detector can ask in which blocks of a post its patterns'
//! gates match ([`Finder`]); several detectors can share one pass ([`SharedFinder`]).

use std::sync::OnceLock;

use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, MatchKind, PatternID, PatternSet, meta};
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

use crate::document::Block;

/// A regex run through a word-boundary-free gate; same matches as the plain pattern.
///
/// Compiled on its first search, not when made: a detector's [`Finder`] needs only the gate's
/// pattern, and most patterns find no candidate in a small run (a pre-commit hook's one file).
#[derive(Debug)]
pub struct Gated {
    /// The pattern as given.
    pattern: String,
    /// The gate's pattern (the full pattern when it has no word boundaries), for [`Finder`].
    relaxed: String,
    /// The compiled regexes, built on first use.
    compiled: OnceLock<Compiled>,
}

/// A [`Gated`] pattern's regexes.
#[derive(Debug)]
struct Compiled {
    /// The pattern itself, for anchored tries at the gate's candidates.
    full: meta::Regex,
    /// The pattern without `\b`/`\B`; `None` when it has none (the full pattern then runs
    /// alone, already on the DFA).
    gate: Option<meta::Regex>,
}

/// A gate pattern for a post's blocks joined by line breaks (as [`Finder`] searches them): a
/// block's `^` and `$` are those of a line.
fn doc_pattern(relaxed: &str) -> String {
    format!("(?m){relaxed}")
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

/// The most lazy-DFA cache the finder's regex holds on each thread: large enough that Chinese
/// pages, which build the most states, do not fill it (a smaller cache is cleared and rebuilt
/// over and over on them, and a larger one gains nothing), small enough to keep peak memory
/// low with a cache on every thread.
const CACHE: usize = 3 << 20;

/// Finds, in one pass over a post's blocks, the blocks where some of several patterns may match
/// and which of the patterns may match in each.
///
/// The patterns come as gates over the blocks joined by line breaks ([`Gated::line_gate`]; a
/// gate may be cut short after what a match must start with). A leftmost-first regex of every
/// gate runs the DFA's fast loop and finds each place where some gate matches (searching again
/// from the next character, so no match hides another); at each such place, an anchored search
/// that reports every pattern says which gates match there. A set search (`RegexSet`), which
/// reports every pattern over the whole text, costs several times more per byte.
///
/// One regex over every gate reads the text once rather than twice, at the price of more
/// lazy-DFA states than two half-size regexes would build.
#[derive(Debug)]
pub struct Finder {
    /// Every gate in one regex, for the places where some gate matches.
    any: meta::Regex,
    /// The gates reporting every match, for which gates match at one place.
    all: meta::Regex,
}

impl Finder {
    /// A finder for `gates`, patterns for blocks joined by line breaks, in pattern order
    /// (panics on an invalid pattern, like the statics that hold it).
    pub fn new(gates: &[String]) -> Finder {
        // Gates report no groups: compiling none makes the regexes smaller.
        let config = gate_config().which_captures(WhichCaptures::Implicit);
        let loose: Vec<Hir> = gates
            .iter()
            .map(|gate| {
                regex_automata::util::syntax::parse(gate)
                    .map(uncounted)
                    .expect("valid gate pattern")
            })
            .collect();
        let any = meta::Regex::builder()
            .configure(config.clone().hybrid_cache_capacity(CACHE))
            .build_many_from_hir(&loose)
            .expect("valid gate patterns");
        // `all` only says which gates match at a place, never where a match ends: it needs no
        // capture states at all, which makes it smaller and quicker to build.
        let all = meta::Regex::builder()
            .configure(
                config
                    .which_captures(WhichCaptures::None)
                    .match_kind(MatchKind::All),
            )
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
        let mut sets: Vec<Option<PatternSet>> = vec![None; blocks.len()];
        let mut here = PatternSet::new(self.all.pattern_len());
        let mut at = 0;
        while let Some(m) = self.any.search(&Input::new(&joined).range(at..)) {
            let start = m.start();
            here.clear();
            let anchored = Input::new(&joined).range(start..).anchored(Anchored::Yes);
            self.all.which_overlapping_matches(&anchored, &mut here);
            // The block whose text (or the line break after it) holds the start.
            let index = starts.partition_point(|&s| s <= start).saturating_sub(1);
            if let Some(slot) = sets.get_mut(index) {
                let set = slot.get_or_insert_with(|| PatternSet::new(self.all.pattern_len()));
                for id in here.iter() {
                    set.insert(id);
                }
            }
            at = next_char(&joined, start);
        }
        blocks
            .into_iter()
            .zip(sets)
            .filter_map(|(block, set)| Some((block, set?)))
            .collect()
    }
}

/// Several detectors' gates in one [`Finder`], so a post's prose is searched once for all of
/// them: each detector's gates are one *part* of the finder, named by a key `K` (a detector
/// asks for its part by that key, never by its position), its gates numbered from 0 within it.
#[derive(Debug)]
pub struct SharedFinder<K> {
    finder: Finder,
    /// Each part's key and where its gates start and end in the finder.
    parts: Vec<(K, usize, usize)>,
}

impl<K: Copy + Eq> SharedFinder<K> {
    /// A finder for `parts`, each a detector's key and gates as [`Finder::new`] takes them.
    pub fn new(parts: &[(K, Vec<String>)]) -> SharedFinder<K> {
        let mut ranges = Vec::with_capacity(parts.len());
        let mut gates = Vec::new();
        for (key, part) in parts {
            let first = gates.len();
            gates.extend(part.iter().cloned());
            ranges.push((*key, first, gates.len()));
        }
        SharedFinder {
            finder: Finder::new(&gates),
            parts: ranges,
        }
    }

    /// Which gates match in which of `blocks`, in one pass ([`Finder::candidates`]).
    pub fn scan<'d>(&self, blocks: impl Iterator<Item = &'d Block>) -> Scan<'_, 'd, K> {
        Scan {
            found: self.finder.candidates(blocks),
            parts: &self.parts,
        }
    }
}

/// The blocks of a post where some gate of a [`SharedFinder`] matches, and which gates do.
#[derive(Debug)]
pub struct Scan<'f, 'd, K> {
    found: Vec<(&'d Block, PatternSet)>,
    parts: &'f [(K, usize, usize)],
}

impl<'d, K: Copy + Eq> Scan<'_, 'd, K> {
    /// The share of the part with key `key`: its gates alone (none for a key with no part).
    pub fn part(&self, key: K) -> Gates<'_, 'd> {
        let (first, end) = self
            .parts
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or((0, 0), |&(_, first, end)| (first, end));
        Gates {
            found: &self.found,
            first,
            end,
        }
    }
}

/// One part's gates in a [`Scan`], numbered from 0.
#[derive(Debug, Clone, Copy)]
pub struct Gates<'s, 'd> {
    found: &'s [(&'d Block, PatternSet)],
    first: usize,
    end: usize,
}

impl<'s, 'd> Gates<'s, 'd> {
    /// The blocks, in order, where some of these gates match, each with the gates that match
    /// in it (as [`Finder::candidates`] gives them for these gates alone).
    pub fn blocks(self) -> impl Iterator<Item = (&'d Block, Open<'s>)> {
        self.found.iter().filter_map(move |(block, set)| {
            let open = Open {
                set,
                first: self.first,
                end: self.end,
            };
            open.iter().next().is_some().then_some((*block, open))
        })
    }

    /// Whether gate `gate` matches in some block (tests; a detector asking about several gates
    /// reads [`Gates::blocks`] once).
    #[cfg(test)]
    pub fn any(self, gate: usize) -> bool {
        self.blocks().any(|(_, open)| open.contains(gate))
    }
}

/// The gates of one part that match in one block.
#[derive(Debug, Clone, Copy)]
pub struct Open<'s> {
    set: &'s PatternSet,
    first: usize,
    end: usize,
}

impl Open<'_> {
    /// Whether gate `gate` (numbered within its part) matches here.
    pub fn contains(self, gate: usize) -> bool {
        let id = self.first + gate;
        id < self.end && PatternID::new(id).is_ok_and(|id| self.set.contains(id))
    }

    /// The gates (numbered within their part) that match here, in order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        self.set
            .iter()
            .map(|id| id.as_usize())
            .filter(move |&id| self.first <= id && id < self.end)
            .map(move |id| id - self.first)
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
        Gated {
            pattern: pattern.to_owned(),
            relaxed: without_word_boundaries(pattern),
            compiled: OnceLock::new(),
        }
    }

    /// The regexes, compiled on the first call.
    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let full = meta::Regex::new(&self.pattern).expect("valid regex");
            let gate = (self.relaxed != self.pattern)
                .then(|| {
                    // The gate only says where to try: it reports no groups, like [`Finder`]'s.
                    meta::Regex::builder()
                        .configure(gate_config().which_captures(WhichCaptures::Implicit))
                        .build(&self.relaxed)
                        .ok()
                })
                .flatten();
            Compiled { full, gate }
        })
    }

    /// The gate as a pattern for text holding one block per line (as [`Finder`] searches it):
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
        let compiled = self.compiled();
        let mut at = 0;
        let mut last_end = None;
        std::iter::from_fn(move || {
            let captures = compiled.next_match(haystack, &mut at, &mut last_end)?;
            Some(Groups { haystack, captures })
        })
    }
}

impl Compiled {
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
/// literal prefilter that keeps stopping on them made the searches far slower.
/// `hir` with every counted repetition left open (`x{0,20}` → `x*`, `x{2,5}` → `x{2,}`): it
/// matches wherever `hir` matches, and a [`Finder`] looks for where some gate may match. A
/// counted repetition of a broad class (`[^。\n]{0,20}`, common in the Chinese patterns)
/// multiplies the lazy DFA's states: on CJK text they filled its cache, which was cleared over
/// and over, slowing the check of every Chinese page.
fn uncounted(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Repetition(rep) => {
            let open = rep.max.is_some_and(|max| max > 1 && max > rep.min);
            Hir::repetition(Repetition {
                max: if open { None } else { rep.max },
                sub: Box::new(uncounted(*rep.sub)),
                ..rep
            })
        }
        HirKind::Capture(cap) => Hir::capture(Capture {
            sub: Box::new(uncounted(*cap.sub)),
            ..cap
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(uncounted).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(uncounted).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
    }
}

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

    /// Counted repetitions are left open, others kept: the loosened gate matches wherever the
    /// gate does, and past the count.
    #[test]
    fn uncounted_gates_match_where_counted_ones_do() {
        let loosen = |pattern: &str| {
            let hir = regex_automata::util::syntax::parse(pattern).unwrap();
            meta::Regex::builder()
                .build_from_hir(&uncounted(hir))
                .unwrap()
        };
        let counted = Regex::new(r"^经[^，。\n]{0,3}授权$").unwrap();
        let open = loosen(r"^经[^，。\n]{0,3}授权$");
        for text in ["经授权", "经作者授权", "经原作者本人授权"] {
            assert!(open.is_match(text), "{text}");
            assert_eq!(counted.is_match(text), text.chars().count() <= 5, "{text}");
        }
        assert!(!open.is_match("经作者，授权"));
        // `?` and an exact count stay as they are.
        let kept = loosen(r"^ab?c{2}$");
        assert!(kept.is_match("acc") && kept.is_match("abcc"));
        assert!(!kept.is_match("abbcc") && !kept.is_match("accc"));
        // At least the minimum.
        let min = loosen(r"^a{2,3}$");
        assert!(min.is_match("aaaaa") && !min.is_match("a"));
    }

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

    /// Each part of a shared finder sees the blocks and gates a finder of its own gates
    /// alone finds, numbered within the part; a gate is open where a `RegexSet` of the gates
    /// matches the blocks joined by line breaks.
    #[test]
    fn shared_finder_parts_are_their_own_finders() {
        let gates = |patterns: &[&str]| -> Vec<String> {
            patterns.iter().map(|p| Gated::new(p).line_gate()).collect()
        };
        let parts = [
            ('a', gates(&[r"(?i)\bby\s+\w+", r"(?m)^via\b"])),
            ('b', gates(&[r"é\w*"])),
            ('c', gates(&[r"(?i)licen[cs]e\s*:", r"y\s"])),
        ];
        let shared = SharedFinder::new(&parts);
        let texts: [&[&str]; 5] = [
            &["nothing here", "at all"],
            &["“Standby” by Ana", "license: x"],
            &["a via", "via b", "café"],
            &["LICENSE :", "BY"],
            &[],
        ];
        for texts in texts {
            let blocks: Vec<Block> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| Block::verbatim(t, Span::new(i, i + 1), Context::Body))
                .collect();
            let joined: String = texts.iter().flat_map(|t| [*t, "\n"]).collect();
            let scan = shared.scan(blocks.iter());
            for (key, part) in &parts {
                let alone: Vec<(usize, Vec<usize>)> = Finder::new(part)
                    .candidates(blocks.iter())
                    .into_iter()
                    .map(|(b, open)| (b.span.start, open.iter().map(|id| id.as_usize()).collect()))
                    .collect();
                let got: Vec<(usize, Vec<usize>)> = scan
                    .part(*key)
                    .blocks()
                    .map(|(b, open)| (b.span.start, open.iter().collect()))
                    .collect();
                assert_eq!(got, alone, "{texts:?} part {key}");
                let set = regex::RegexSet::new(part).unwrap().matches(&joined);
                for gate in 0..part.len() {
                    assert_eq!(scan.part(*key).any(gate), set.matched(gate), "{texts:?}");
                }
            }
        }
        let blocks = [Block::verbatim(
            "by Al; via",
            Span::new(0, 10),
            Context::Body,
        )];
        let scan = shared.scan(blocks.iter());
        let open: Vec<Vec<usize>> = ['a', 'b', 'c']
            .map(|k| scan.part(k).blocks().flat_map(|(_, o)| o.iter()).collect())
            .into();
        assert_eq!(open, [vec![0], vec![], vec![1]]);
        assert!(scan.part('d').blocks().next().is_none());
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
