//! License claims: every place a post names a Creative Commons license, with what it covers.
//!
//! Forms recognised (submodules do the matching, this module decides scope and linkage):
//! - URLs ([`url`]): deeds, legal code, ports, IGO, CC0/PDM, button images and chooser icons, in
//!   link hrefs, image srcs, metadata values and bare in text;
//! - short codes ([`code`]): `CC BY-NC-SA 4.0`, `cc-by-sa-4.0`, `CC-BY-NC`, `CC0`, `BY-SA 4.0`
//!   after a license word. For "License CC-BY-NC" the claim's span is the code alone (`CC-BY-NC`);
//! - names ([`name`]): official titles in every language of the rule files, and generic
//!   "a Creative Commons license";
//! - metadata: `rel=license`, `<meta name=dcterms.license|dc.rights>`, JSON-LD `license`,
//!   front-matter `license`/`licence`/`rights`/`copyright` (URLs, SPDX expressions, codes, names).
//!
//! Scope rules, in order:
//! 1. metadata and `rel=license` links → `Text`;
//! 2. code → `Quoted`;
//! 3. image captions, claims inside an image's markup (alt text), links wrapping a non-CC image,
//!    short blocks right after an image, and sentences with an image-credit marker ("Photo:",
//!    "Image credit", "Flickr", "图片") → `Image`;
//! 4. site chrome → `Site`, unless the sentence is explicitly about this work ("this article is
//!    licensed…", "本文") → `Text`;
//! 5. blockquotes → `Quoted`, unless the sentence states a license ("协议：", "licensed under");
//! 6. headings without licensing wording → `Mention`, and they make the post a topic article;
//! 7. body text: a claim whose sentence has licensing wording, or that stands alone in its block
//!    (a badge line, unless nearby blocks name other licenses as in a table of software) → `Text`; otherwise `Mention` when the post is about licenses (a heading or
//!    title names one, or three or more such mentions) or the block is not in the last fifth of
//!    the body, else `Text`.
//!
//! A claim is `linked` when it is a CC deed URL itself (href, bare URL, metadata URL), an image
//! or text inside a link to a CC deed, or sits in a block that also has a CC deed link or URL.

mod code;
mod name;
pub(crate) mod scope;
pub(crate) mod url;

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::RegexSet;

use crate::document::{Block, Context, Document, Link, Meta, MetaOrigin};
use crate::rules::{Elements, Registry, ToolKind};
use crate::source::Span;

use super::{Evidence, EvidenceKind, LicenseClaim, Scope};
use url::{UrlKind, UrlLicense};

/// A license as (code, version, port).
type License = (String, Option<String>, Option<String>);

/// The compiled license patterns for one registry.
#[derive(Debug)]
pub struct Matcher {
    names: name::Names,
    /// One pass over a text for names and the literals of CC URLs and short codes.
    gate: name::Gate,
    /// (elements in canonical order, version) → CC's code for it (`by-nc-nd`, 1.0 → `by-nd-nc`).
    codes: HashMap<(String, String), String>,
    /// Ports known to the registry (`de`, `igo`…), to accept `CC-BY-SA-3.0-DE`.
    jurisdictions: HashSet<String>,
    /// The registry, for SPDX ids in metadata.
    ids: HashMap<String, License>,
}

/// A claim found in a block's text, before scope and linkage are decided.
#[derive(Debug, Clone)]
struct TextHit {
    start: usize,
    end: usize,
    code: Option<String>,
    version: Option<String>,
    jurisdiction: Option<String>,
    /// A single common word: a claim only inside a link to a CC URL.
    weak: bool,
    /// The hit is a CC deed URL written in the text.
    deed_url: bool,
}

/// Which searches may find something in a text (a `false` search is skipped: it finds nothing).
#[derive(Debug, Clone, Copy)]
struct Open {
    /// CC URLs and short codes.
    patterns: bool,
    /// License names.
    names: bool,
}

/// False when no CC URL or short code can be in `text`: one pass of a joined set of their
/// patterns (most blocks have none, and their patterns are then not run one by one).
fn may_claim(text: &str) -> bool {
    static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
        RegexSet::new(
            [&url::IN_TEXT]
                .into_iter()
                .chain(code::PATTERNS)
                .map(|re| re.as_str()),
        )
        .expect("valid license patterns")
    });
    ANY.is_match(text)
}

/// A scope, or "a mention unless this turns out to be a late notice".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Final(Scope),
    /// Body text without licensing wording; `late` when in the last fifth of the body.
    Unsure {
        late: bool,
    },
    /// Body text with licensing wording; `explicit` when it is about this work, a
    /// "License:" label or a line of its own (only those count in an article about licenses).
    Worded {
        explicit: bool,
    },
}

/// A claim whose scope may still depend on the whole document.
struct Draft {
    claim: LicenseClaim,
    pending: Pending,
    /// A CC URL found in text (dropped when a link claim covers the same URL).
    text_url: bool,
    /// The block the claim sits in, when it comes from a block's text or a link in one.
    block: Option<usize>,
}

impl Matcher {
    /// Compile the patterns: names, codes and ports come from the rule files.
    pub fn new(registry: &Registry) -> Matcher {
        let mut codes = HashMap::new();
        let mut jurisdictions: HashSet<String> = HashSet::from(["igo".to_owned()]);
        let mut ids = HashMap::new();
        for rule in &registry.licenses {
            if let (ToolKind::License, Some(version)) = (rule.kind, &rule.version) {
                codes
                    .entry((element_key(rule.elements), version.clone()))
                    .or_insert_with(|| rule.code.clone());
            }
            jurisdictions.extend(rule.jurisdiction.clone());
            jurisdictions.extend(rule.ports.keys().map(|k| port_jurisdiction(k).to_owned()));
            ids.insert(
                rule.id.to_ascii_lowercase(),
                (
                    rule.code.clone(),
                    rule.version.clone(),
                    rule.jurisdiction.clone(),
                ),
            );
        }
        let names = name::Names::new(registry);
        let literals: Vec<&str> = code::FOLDED_LITERALS
            .into_iter()
            .chain(url::FOLDED_LITERALS)
            .collect();
        Matcher {
            gate: names.gate(&literals),
            names,
            codes,
            jurisdictions,
            ids,
        }
    }

    /// Every license claim in the document, in source order.
    pub fn detect(&self, doc: &Document) -> Vec<LicenseClaim> {
        let layout = Layout::new(doc);
        let mut drafts = Vec::new();
        for (index, block) in doc.blocks.iter().enumerate() {
            if block.context == Context::FrontMatter {
                continue;
            }
            let open = self.open(&block.text);
            if open.patterns || open.names {
                drafts.extend(self.block_claims(&layout, index, block, open));
            }
        }
        drafts.extend(link_claims(doc, &layout));
        drafts.extend(image_claims(doc, &layout));
        for meta in &doc.meta {
            drafts.extend(self.meta_claims(meta));
        }
        let topic = self.is_topic(doc, &drafts);
        let mut claims = finish(drafts, topic);
        claims.sort_by_key(|c| (c.evidence.span.start, c.evidence.span.end));
        claims
    }

    /// Claims in one text block.
    fn block_claims(&self, layout: &Layout, index: usize, block: &Block, open: Open) -> Vec<Draft> {
        let hits = self.hits_in(&block.text, open);
        let block_has_deed = hits.iter().any(|h| h.deed_url)
            || layout.deed_links.any_within(block.span)
            || layout.deed_links.any_containing(block.span);
        let mut drafts = Vec::new();
        for hit in hits {
            let span = block.source_span(hit.start, hit.end);
            let in_deed_link = layout.deed_links.any_containing(span);
            if hit.weak && !in_deed_link {
                continue;
            }
            let pending = if layout.images.any_containing(span) {
                Pending::Final(Scope::Image)
            } else {
                text_scope(layout, index, block, hit.start, hit.end)
            };
            drafts.push(Draft {
                claim: LicenseClaim {
                    code: hit.code,
                    version: hit.version,
                    jurisdiction: hit.jurisdiction,
                    linked: hit.deed_url || in_deed_link || block_has_deed,
                    scope: Scope::Text,
                    evidence: Evidence {
                        kind: EvidenceKind::Text,
                        span,
                        text: block.text.get(hit.start..hit.end).unwrap_or("").to_owned(),
                    },
                },
                pending,
                text_url: hit.deed_url,
                block: Some(index),
            });
        }
        drafts
    }

    /// Every claim in a stretch of text (a block's text or a metadata value), overlaps resolved.
    fn text_hits(&self, text: &str) -> Vec<TextHit> {
        self.hits_in(text, self.open(text))
    }

    /// Which searches may find something in `text`: one folding pass for names and the
    /// literals of URLs and codes, and the URL and code patterns only where those occur.
    fn open(&self, text: &str) -> Open {
        let found = self.gate.scan(text);
        Open {
            patterns: (found.extra || code::may_be_bare(text)) && may_claim(text),
            names: found.names,
        }
    }

    /// [`Matcher::text_hits`], searching only with what `open` says may match.
    fn hits_in(&self, text: &str, open: Open) -> Vec<TextHit> {
        let mut hits = Vec::new();
        let mut cc_urls = Vec::new();
        let in_text = open.patterns.then(|| url::IN_TEXT.find_iter(text));
        for m in in_text.into_iter().flatten() {
            cc_urls.push((m.start(), m.end()));
            // A sentence's full stop or comma after a bare URL is not part of it.
            let written = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
            if let Some(found) = url::parse(written).filter(|u| u.kind != UrlKind::Icon) {
                hits.push(TextHit {
                    start: m.start(),
                    end: m.start() + written.len(),
                    deed_url: found.kind == UrlKind::Deed,
                    code: Some(found.code),
                    version: found.version,
                    jurisdiction: found.jurisdiction,
                    weak: false,
                });
            }
        }
        let codes = if open.patterns {
            code::find(text)
        } else {
            Vec::new()
        };
        let names = if open.names {
            self.names.find(text)
        } else {
            Vec::new()
        };
        // Codes and names inside URLs are not claims (the URLs are looked for only when there
        // is a code or name to check).
        let urls = if codes.is_empty() && names.is_empty() {
            Spans::new(std::iter::empty())
        } else {
            Spans::new(
                url::ANY_URL
                    .find_iter(text)
                    .map(|m| (m.start(), m.end()))
                    .chain(cc_urls)
                    .map(|(s, e)| Span::new(s, e)),
            )
        };
        let outside_urls = |start: usize, end: usize| !urls.any_overlapping(Span::new(start, end));
        for found in codes {
            if !outside_urls(found.start, found.end) {
                continue;
            }
            hits.push(self.short_code_hit(found));
        }
        for found in names {
            if !outside_urls(found.start, found.end) {
                continue;
            }
            let version = found.version;
            hits.push(TextHit {
                start: found.start,
                end: found.end,
                code: found
                    .code
                    .map(|c| self.canonical(&split_code(&c), version.as_deref())),
                version,
                jurisdiction: found.jurisdiction,
                weak: found.weak,
                deed_url: false,
            });
        }
        resolve_overlaps(hits)
    }

    fn short_code_hit(&self, found: code::ShortCode) -> TextHit {
        let juris = found
            .jurisdiction
            .filter(|j| self.jurisdictions.contains(j));
        let end = if juris.is_some() {
            found.end
        } else {
            found.end_before_jurisdiction
        };
        let code = (!found.elements.is_empty())
            .then(|| self.canonical(&found.elements, found.version.as_deref()));
        TextHit {
            start: found.start,
            end,
            code,
            version: found.version,
            jurisdiction: juris,
            weak: false,
            deed_url: false,
        }
    }

    /// CC's code for a set of elements: `by` first, then `nc`, `nd`, `sa`, or the rule file's
    /// spelling for that version (`by-nd-nc` in 1.0). Unknown combinations are kept as written.
    fn canonical(&self, elements: &[String], version: Option<&str>) -> String {
        let mut ordered: Vec<&str> = Vec::new();
        for known in ["by", "nc", "nd", "sa"] {
            if elements.iter().any(|e| e == known) {
                ordered.push(known);
            }
        }
        let others = elements
            .iter()
            .filter(|e| !["by", "nc", "nd", "sa"].contains(&e.as_str()));
        let mut parts: Vec<String> = ordered.iter().map(|s| (*s).to_owned()).collect();
        parts.extend(others.cloned());
        parts.dedup();
        let key = parts.join("-");
        version
            .and_then(|v| self.codes.get(&(key.clone(), v.to_owned())))
            .cloned()
            .unwrap_or(key)
    }

    /// Claims in a license-like metadata value.
    fn meta_claims(&self, meta: &Meta) -> Vec<Draft> {
        if !is_license_key(&meta.key) {
            return Vec::new();
        }
        let kind = match meta.origin {
            MetaOrigin::FrontMatter => EvidenceKind::FrontMatter,
            MetaOrigin::JsonLd => EvidenceKind::JsonLd,
            MetaOrigin::Rdfa => EvidenceKind::Rdfa,
            _ => EvidenceKind::Meta,
        };
        let verbatim = meta.value.len() == meta.span.len();
        let span_of = |start: usize, end: usize| {
            if verbatim {
                Span::new(meta.span.start + start, meta.span.start + end)
            } else {
                meta.span
            }
        };
        let draft = |code, version, jurisdiction, linked, span: Span, text: &str| Draft {
            claim: LicenseClaim {
                code,
                version,
                jurisdiction,
                linked,
                scope: Scope::Text,
                evidence: Evidence {
                    kind,
                    span,
                    text: text.to_owned(),
                },
            },
            pending: Pending::Final(Scope::Text),
            text_url: false,
            block: None,
        };
        let value = meta.value.trim();
        if let Some(found) = url::parse(value).filter(|u| u.kind == UrlKind::Deed) {
            return vec![draft(
                Some(found.code),
                found.version,
                found.jurisdiction,
                true,
                meta.span,
                value,
            )];
        }
        let hits = self.text_hits(&meta.value);
        if !hits.is_empty() {
            return hits
                .into_iter()
                .filter(|h| !h.weak)
                .map(|h| {
                    let text = meta.value.get(h.start..h.end).unwrap_or("");
                    draft(
                        h.code,
                        h.version,
                        h.jurisdiction,
                        h.deed_url,
                        span_of(h.start, h.end),
                        text,
                    )
                })
                .collect();
        }
        self.spdx_claims(&meta.value)
            .into_iter()
            .map(|(start, end, (code, version, juris))| {
                let text = meta.value.get(start..end).unwrap_or("");
                draft(Some(code), version, juris, false, span_of(start, end), text)
            })
            .collect()
    }

    /// CC licenses in an SPDX expression (`CC-PDDC`, `CC0-1.0 OR MIT`), by the registry's ids.
    fn spdx_claims(&self, value: &str) -> Vec<(usize, usize, License)> {
        let Ok(expr) = spdx::Expression::parse_mode(value, spdx::ParseMode::LAX) else {
            return Vec::new();
        };
        expr.requirements()
            .filter_map(|req| {
                let id = req.req.license.id()?;
                let found = self.ids.get(&id.name.to_ascii_lowercase())?;
                let start = usize::try_from(req.span.start).ok()?;
                let end = usize::try_from(req.span.end).ok()?;
                Some((start, end, found.clone()))
            })
            .collect()
    }

    /// True when the post discusses licenses as its topic: a heading or the title names a
    /// license, or three or more unworded mentions sit in the body.
    fn is_topic(&self, doc: &Document, drafts: &[Draft]) -> bool {
        let in_heading = drafts.iter().any(|d| {
            d.pending == Pending::Final(Scope::Mention)
                && d.claim.evidence.kind == EvidenceKind::Text
        });
        let in_title = doc
            .meta
            .iter()
            .filter(|m| matches!(m.key.as_str(), "title" | "og:title" | "dct:title"))
            .any(|m| self.text_hits(&m.value).iter().any(|h| !h.weak));
        let mut unsure_blocks: Vec<usize> = drafts
            .iter()
            .filter(|d| matches!(d.pending, Pending::Unsure { .. }))
            .filter_map(|d| d.block)
            .collect();
        unsure_blocks.dedup();
        in_heading || in_title || unsure_blocks.len() >= 3
    }
}

/// A set of spans that answers "does one of them contain this span?" and "does one of them lie
/// within this span?" by binary search: a post with thousands of links and claims would
/// otherwise compare every claim with every link.
struct Spans {
    /// The spans by start, each with its index in the order given.
    sorted: Vec<(Span, usize)>,
    /// For each span in order, the largest end among it and those before it.
    max_end: Vec<usize>,
    /// For each span in order, the smallest end among it and those after it.
    min_end: Vec<usize>,
}

impl Spans {
    fn new(spans: impl Iterator<Item = Span>) -> Spans {
        let mut sorted: Vec<(Span, usize)> = spans.zip(0..).collect();
        sorted.sort_by_key(|(s, _)| s.start);
        let max_end = sorted
            .iter()
            .scan(0, |max, (s, _)| {
                *max = s.end.max(*max);
                Some(*max)
            })
            .collect();
        let mut min_end: Vec<usize> = sorted
            .iter()
            .rev()
            .scan(usize::MAX, |min, (s, _)| {
                *min = s.end.min(*min);
                Some(*min)
            })
            .collect();
        min_end.reverse();
        Spans {
            sorted,
            max_end,
            min_end,
        }
    }

    /// The spans that contain `inner`, as indices in the order given, last-starting first.
    fn containing(&self, inner: Span) -> impl Iterator<Item = usize> + '_ {
        // Spans starting at or before `inner`, walked back while one of them may still reach
        // its end.
        let starting_before = self.sorted.partition_point(|(s, _)| s.start <= inner.start);
        (0..starting_before)
            .rev()
            .take_while(move |&i| self.max_end.get(i).is_some_and(|&end| end >= inner.end))
            .filter_map(move |i| self.sorted.get(i))
            .filter(move |(s, _)| s.contains(inner))
            .map(|&(_, index)| index)
    }

    /// True when some span contains `inner`.
    fn any_containing(&self, inner: Span) -> bool {
        // Of the spans starting at or before `inner`, the one reaching furthest decides.
        let starting_before = self.sorted.partition_point(|(s, _)| s.start <= inner.start);
        starting_before
            .checked_sub(1)
            .and_then(|last| self.max_end.get(last))
            .is_some_and(|&end| end >= inner.end)
    }

    /// True when some span overlaps `other` (shares a byte with it).
    fn any_overlapping(&self, other: Span) -> bool {
        // Of the spans starting before `other` ends, the one reaching furthest decides.
        let starting_before = self.sorted.partition_point(|(s, _)| s.start < other.end);
        starting_before
            .checked_sub(1)
            .and_then(|last| self.max_end.get(last))
            .is_some_and(|&end| end > other.start)
    }

    /// The spans that lie within `outer`, as indices in the order given.
    fn within(&self, outer: Span) -> impl Iterator<Item = usize> + '_ {
        let first = self.sorted.partition_point(|(s, _)| s.start < outer.start);
        self.sorted
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(s, _)| s.start <= outer.end)
            .filter(move |(s, _)| outer.contains(*s))
            .map(|&(_, index)| index)
    }

    /// True when some span lies within `outer`.
    fn any_within(&self, outer: Span) -> bool {
        // Of the spans starting at or after `outer`, the one ending first decides.
        let first = self.sorted.partition_point(|(s, _)| s.start < outer.start);
        self.min_end.get(first).is_some_and(|&end| end <= outer.end)
    }
}

/// Where things are in the document: CC deed links and each block's rank in the body.
struct Layout<'d> {
    doc: &'d Document,
    /// Spans of links whose href is a CC deed or legal code.
    deed_links: Spans,
    /// Spans of `rel=license` links.
    license_links: Spans,
    /// Spans of images.
    images: Spans,
    /// Spans of images that are not CC buttons or icons (photos).
    photos: Spans,
    /// For each block, its rank among the body's blocks (`None` for chrome, code, front matter).
    ranks: Vec<Option<usize>>,
    body_len: usize,
    /// For each block, whether it names a non-CC license (MIT, GPL…), once asked: only blocks
    /// near a claim are.
    other_license: Vec<OnceCell<bool>>,
    /// For each block, whether it is little more than an image.
    image_only: Vec<bool>,
    /// For each block, whether an image sits between it and the block before.
    image_before: Vec<bool>,
    /// Block spans, to find the block a link or image sits in.
    blocks: Vec<(Span, Context)>,
    /// True when each block ends before the next one starts (the blocks are then searched
    /// by binary search).
    blocks_in_order: bool,
    /// For each block, its sentence ends, once a claim in it asks.
    sentences: Vec<OnceCell<scope::Sentences>>,
}

impl<'d> Layout<'d> {
    fn new(doc: &'d Document) -> Layout<'d> {
        let deed_links = Spans::new(
            doc.links
                .iter()
                .filter(|l| url::parse(&l.href).is_some_and(|u| u.kind == UrlKind::Deed))
                .map(|l| l.span),
        );
        let license_links = Spans::new(
            doc.links
                .iter()
                .filter(|l| l.rel.iter().any(|r| r == "license"))
                .map(|l| l.span),
        );
        let images = Spans::new(doc.images.iter().map(|i| i.span));
        let image_only = doc
            .blocks
            .iter()
            .map(|b| is_image_only(doc, &images, b))
            .collect();
        let image_before = images_between_blocks(doc, &images);
        let photos = Spans::new(
            doc.images
                .iter()
                .filter(|i| url::parse(&i.src).is_none())
                .map(|i| i.span),
        );
        let mut body_len = 0;
        let ranks = doc
            .blocks
            .iter()
            .map(|b| {
                let body = matches!(
                    b.context,
                    Context::Body | Context::Heading | Context::Caption | Context::Blockquote
                );
                body.then(|| {
                    body_len += 1;
                    body_len - 1
                })
            })
            .collect();
        Layout {
            doc,
            deed_links,
            license_links,
            images,
            photos,
            ranks,
            body_len,
            other_license: vec![OnceCell::new(); doc.blocks.len()],
            image_only,
            image_before,
            blocks: doc.blocks.iter().map(|b| (b.span, b.context)).collect(),
            blocks_in_order: doc
                .blocks
                .windows(2)
                .all(|pair| matches!(pair, [a, b] if a.span.end <= b.span.start)),
            sentences: (0..doc.blocks.len()).map(|_| OnceCell::new()).collect(),
        }
    }

    /// The sentence ends of block `index`, whose text is `text`.
    fn sentences(&self, index: usize, text: &str) -> Option<&scope::Sentences> {
        let cell = self.sentences.get(index)?;
        Some(cell.get_or_init(|| scope::Sentences::new(text)))
    }

    /// True when the block is in the last fifth of the body.
    fn is_late(&self, index: usize) -> bool {
        self.ranks
            .get(index)
            .copied()
            .flatten()
            .is_some_and(|rank| rank * 5 >= self.body_len * 4)
    }

    /// The block that contains `span`.
    fn block_of(&self, span: Span) -> Option<usize> {
        let holds = |s: &Span| s.contains(span) || (s.start <= span.start && span.start < s.end);
        if !self.blocks_in_order {
            return self.blocks.iter().position(|(s, _)| holds(s));
        }
        // Blocks in order and apart: only the last block starting at or before `span` can
        // hold it, or (for an empty span where it ends) the one before.
        let last = self
            .blocks
            .partition_point(|(s, _)| s.start <= span.start)
            .checked_sub(1)?;
        (last.saturating_sub(1)..=last).find(|&i| self.blocks.get(i).is_some_and(|(s, _)| holds(s)))
    }

    /// True when a block near `index` names a non-CC license: the claim is a cell of a table
    /// or an item of a list of licensed things, not a label for this post.
    fn in_license_list(&self, index: usize) -> bool {
        // A table row of name, version, license, type and notes puts licenses 5 cells apart.
        let from = index.saturating_sub(6);
        (from..=index + 6)
            .filter(|&i| i != index)
            .any(|i| self.names_other_license(i))
    }

    /// True when block `index` names a non-CC license.
    fn names_other_license(&self, index: usize) -> bool {
        let (Some(cell), Some(block)) = (self.other_license.get(index), self.doc.blocks.get(index))
        else {
            return false;
        };
        *cell.get_or_init(|| scope::names_other_license(&block.text))
    }

    /// True when the block right before `index` is an image: a short block after it is its
    /// caption ("*(MDN, CC-BY-SA 2.5)*").
    fn follows_image(&self, index: usize) -> bool {
        let previous = index
            .checked_sub(1)
            .and_then(|i| self.image_only.get(i))
            .copied();
        previous.unwrap_or(false) || self.image_before.get(index).copied().unwrap_or(false)
    }

    fn in_license_link(&self, span: Span) -> bool {
        self.license_links.any_containing(span)
    }
}

/// For each block, whether an image lies between the end of the block before and its start
/// (an image paragraph with no text of its own yields no block).
fn images_between_blocks(doc: &Document, images: &Spans) -> Vec<bool> {
    let mut previous_end = 0;
    doc.blocks
        .iter()
        .map(|b| {
            let found = images.any_within(Span::new(previous_end, b.span.start));
            previous_end = previous_end.max(b.span.end);
            found
        })
        .collect()
}

/// True when a block holds an image and hardly any text besides its alt text.
fn is_image_only(doc: &Document, images: &Spans, block: &Block) -> bool {
    let letters = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).count();
    let around = images.containing(block.span).filter(|&i| {
        doc.images
            .get(i)
            .is_some_and(|image| image.span != block.span)
    });
    let alt: usize = images
        .within(block.span)
        .chain(around)
        .filter_map(|i| doc.images.get(i))
        .map(|i| letters(&i.alt) + 1)
        .sum();
    alt > 0 && letters(&block.text) < alt + 12
}

/// The scope of a claim at `start..end` of a block's text.
fn text_scope(layout: &Layout, index: usize, block: &Block, start: usize, end: usize) -> Pending {
    // These two need no wording (the tests below can be slow on a long line of code).
    match block.context {
        Context::Code => return Pending::Final(Scope::Quoted),
        Context::Caption => return Pending::Final(Scope::Image),
        _ => {}
    }
    let text = &block.text;
    // Read from a bounded stretch before the claim, so that many claims in one long block stay
    // linear to scope.
    if covers_part(layout, index, block, start) {
        return Pending::Final(Scope::Quoted);
    }
    let own;
    let sentences = if let Some(cached) = layout.sentences(index, text) {
        cached
    } else {
        own = scope::Sentences::new(text);
        &own
    };
    let sentence = sentences.around(start, end);
    let around = scope::without(text, sentence, start, end);
    let head: String = text.trim_start().chars().take(40).collect();
    let caption = layout.follows_image(index)
        && text.chars().nth(159).is_none()
        && !scope::is_explicit(&around);
    let image_credit = caption || scope::is_image_credit(&around) || scope::is_image_credit(&head);
    let licensing = || scope::is_licensing(&around);
    let scope = match block.context {
        Context::Code => Scope::Quoted,
        Context::Caption => Scope::Image,
        _ if image_credit => Scope::Image,
        Context::Chrome if scope::is_explicit(&around) => Scope::Text,
        Context::Chrome => Scope::Site,
        Context::Blockquote | Context::Heading if licensing() => Scope::Text,
        Context::Blockquote => Scope::Quoted,
        Context::Heading => Scope::Mention,
        Context::Body | Context::FrontMatter => {
            let licensing = licensing();
            let explicit = scope::is_explicit(&around)
                || scope::is_label(&around)
                || (sentences.is_standalone(text, start, end) && !layout.in_license_list(index));
            return if licensing || explicit {
                Pending::Worded { explicit }
            } else {
                Pending::Unsure {
                    late: layout.is_late(index),
                }
            };
        }
    };
    Pending::Final(scope)
}

/// True when the text before `start` in its paragraph opens a sentence about a part of the
/// post ([`scope::covers_part`]). Inline code is a block of its own: the blocks it splits a
/// paragraph into (adjacent in the source, at most a backtick or two apart) are read together.
/// The look back is bounded, so many claims in one long paragraph stay linear to scope.
fn covers_part(layout: &Layout, index: usize, block: &Block, start: usize) -> bool {
    let text = &block.text;
    let mut from = start.saturating_sub(scope::NEAR);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let own = text.get(from..start).unwrap_or("");
    if from > 0 || scope::covers_part(own) {
        return scope::covers_part(own);
    }
    let mut before = own.to_owned();
    let mut next_start = block.span.start;
    for prev in layout.doc.blocks[..index.min(layout.doc.blocks.len())]
        .iter()
        .rev()
    {
        let adjacent = prev.span.end <= next_start && next_start - prev.span.end <= 2;
        if !adjacent || prev.context == Context::FrontMatter || before.len() >= scope::NEAR {
            break;
        }
        let mut cut = prev.text.len().saturating_sub(scope::NEAR);
        while !prev.text.is_char_boundary(cut) {
            cut -= 1;
        }
        before.insert_str(0, &prev.text[cut..]);
        next_start = prev.span.start;
    }
    scope::covers_part(&before)
}

/// Claims from link targets.
fn link_claims(doc: &Document, layout: &Layout) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for link in &doc.links {
        let Some(found) = url::parse(&link.href).filter(|u| u.kind != UrlKind::Icon) else {
            continue;
        };
        let pending = link_scope(doc, layout, link);
        drafts.push(Draft {
            claim: claim_from_url(found, link.span, EvidenceKind::Link, &link.href, false),
            pending,
            text_url: false,
            block: layout.block_of(link.span),
        });
    }
    drafts
}

fn link_scope(doc: &Document, layout: &Layout, link: &Link) -> Pending {
    if link.rel.iter().any(|r| r == "license") {
        return Pending::Final(Scope::Text);
    }
    let wraps_photo = layout.photos.any_within(link.span);
    if link.context == Context::Code {
        return Pending::Final(Scope::Quoted);
    }
    if wraps_photo || link.context == Context::Caption {
        return Pending::Final(Scope::Image);
    }
    let Some(index) = layout.block_of(link.span) else {
        return Pending::Final(match link.context {
            Context::Chrome => Scope::Site,
            Context::Blockquote => Scope::Quoted,
            _ => Scope::Text,
        });
    };
    let Some(block) = doc.blocks.get(index) else {
        return Pending::Final(Scope::Text);
    };
    let (start, end) = locate(block, link);
    text_scope(layout, index, block, start, end)
}

/// Where a link's text is in its block's text: at the link's own place, else its first
/// occurrence, else the whole block.
fn locate(block: &Block, link: &Link) -> (usize, usize) {
    let text = &block.text;
    let needle = link.text.trim();
    if needle.is_empty() {
        return (0, text.len());
    }
    let own = block.text_offset(link.span.start).and_then(|at| {
        let rest = text.get(at..)?;
        let at = at + (rest.len() - rest.trim_start().len());
        text.get(at..)?.starts_with(needle).then_some(at)
    });
    match own.or_else(|| text.find(needle)) {
        Some(at) => (at, at + needle.len()),
        None => (0, text.len()),
    }
}

/// Claims from button images and groups of chooser icons.
fn image_claims(doc: &Document, layout: &Layout) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut icons: Vec<(Span, String, &str)> = Vec::new();
    for image in &doc.images {
        let Some(found) = url::parse(&image.src) else {
            flush_icons(&mut icons, layout, image.context, &mut drafts);
            continue;
        };
        if found.kind == UrlKind::Icon {
            let near = icons
                .last()
                .is_none_or(|(s, _, _)| image.span.start.saturating_sub(s.end) < 400);
            if !near {
                flush_icons(&mut icons, layout, image.context, &mut drafts);
            }
            icons.push((image.span, found.code, image.src.as_str()));
            continue;
        }
        flush_icons(&mut icons, layout, image.context, &mut drafts);
        let linked = layout.deed_links.any_containing(image.span);
        drafts.push(Draft {
            claim: claim_from_url(found, image.span, EvidenceKind::Image, &image.src, linked),
            pending: Pending::Final(image_scope(layout, image.span, image.context)),
            text_url: false,
            block: None,
        });
    }
    let context = doc.images.last().map_or(Context::Body, |i| i.context);
    flush_icons(&mut icons, layout, context, &mut drafts);
    drafts
}

/// A license badge covers the post unless it sits in code, a caption or the site chrome.
fn image_scope(layout: &Layout, span: Span, context: Context) -> Scope {
    if layout.in_license_link(span) {
        return Scope::Text;
    }
    match context {
        Context::Code | Context::Blockquote => Scope::Quoted,
        Context::Caption => Scope::Image,
        Context::Chrome => Scope::Site,
        Context::Body | Context::Heading | Context::FrontMatter => Scope::Text,
    }
}

/// Turn a run of chooser icons (`cc.svg`, `by.svg`, `nc.svg`) into one version-less claim.
fn flush_icons(
    icons: &mut Vec<(Span, String, &str)>,
    layout: &Layout,
    context: Context,
    drafts: &mut Vec<Draft>,
) {
    let Some(first) = icons.first() else {
        return;
    };
    let span = icons.iter().fold(first.0, |acc, (s, _, _)| acc.join(*s));
    let elements: Vec<&str> = icons
        .iter()
        .map(|(_, code, _)| code.as_str())
        .filter(|c| ["by", "nc", "nd", "sa", "zero", "mark"].contains(c))
        .collect();
    let code = if elements.contains(&"zero") {
        Some("zero".to_owned())
    } else if elements.contains(&"mark") {
        Some("mark".to_owned())
    } else if elements.is_empty() {
        None
    } else {
        let ordered: Vec<&str> = ["by", "nc", "nd", "sa"]
            .into_iter()
            .filter(|e| elements.contains(e))
            .collect();
        Some(ordered.join("-"))
    };
    let text = icons
        .iter()
        .map(|(_, _, src)| *src)
        .collect::<Vec<_>>()
        .join(" ");
    drafts.push(Draft {
        claim: LicenseClaim {
            code,
            version: None,
            jurisdiction: None,
            linked: layout.deed_links.any_containing(span),
            scope: Scope::Text,
            evidence: Evidence {
                kind: EvidenceKind::Image,
                span,
                text,
            },
        },
        pending: Pending::Final(image_scope(layout, span, context)),
        text_url: false,
        block: None,
    });
    icons.clear();
}

fn claim_from_url(
    found: UrlLicense,
    span: Span,
    kind: EvidenceKind,
    text: &str,
    linked: bool,
) -> LicenseClaim {
    LicenseClaim {
        linked: linked || found.kind == UrlKind::Deed,
        code: Some(found.code),
        version: found.version,
        jurisdiction: found.jurisdiction,
        scope: Scope::Text,
        evidence: Evidence {
            kind,
            span,
            text: text.to_owned(),
        },
    }
}

/// A claim's place and license, to drop a claim repeated at the same place.
type ClaimKey = (Span, Option<String>, Option<String>, Option<String>);

/// Settle pending scopes and drop duplicates (a bare URL that is also a link's target).
fn finish(drafts: Vec<Draft>, topic: bool) -> Vec<LicenseClaim> {
    let link_claims: Vec<&LicenseClaim> = drafts
        .iter()
        .filter(|d| d.claim.evidence.kind == EvidenceKind::Link)
        .map(|d| &d.claim)
        .collect();
    let links = Spans::new(link_claims.iter().map(|c| c.evidence.span));
    let duplicates: Vec<bool> = drafts
        .iter()
        .map(|d| {
            d.text_url
                && links
                    .containing(d.claim.evidence.span)
                    .filter_map(|i| link_claims.get(i))
                    .any(|l| same_license(l, &d.claim))
        })
        .collect();
    // Claims already kept, so a repeat is a lookup rather than a scan of every claim so far.
    let mut seen: HashSet<ClaimKey> = HashSet::new();
    let mut claims: Vec<LicenseClaim> = Vec::new();
    for (draft, duplicate_of_link) in drafts.into_iter().zip(duplicates) {
        if duplicate_of_link {
            continue;
        }
        let mut claim = draft.claim;
        claim.scope = match draft.pending {
            Pending::Final(scope) => scope,
            Pending::Unsure { late } if late && !topic => Scope::Text,
            Pending::Worded { explicit } if explicit || !topic => Scope::Text,
            Pending::Unsure { .. } | Pending::Worded { .. } => Scope::Mention,
        };
        let key = (
            claim.evidence.span,
            claim.code.clone(),
            claim.version.clone(),
            claim.jurisdiction.clone(),
        );
        if seen.insert(key) {
            claims.push(claim);
        }
    }
    claims
}

fn same_license(a: &LicenseClaim, b: &LicenseClaim) -> bool {
    a.code == b.code && a.version == b.version && a.jurisdiction == b.jurisdiction
}

/// Keep the best of overlapping hits: a specific one over a generic one, then the longer.
fn resolve_overlaps(mut hits: Vec<TextHit>) -> Vec<TextHit> {
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut kept: Vec<TextHit> = Vec::new();
    for hit in hits {
        // The kept hits do not overlap and start no later than this one: only the last can
        // overlap it.
        let overlapping = kept
            .last_mut()
            .filter(|k| k.start < hit.end && hit.start < k.end);
        match overlapping {
            None => kept.push(hit),
            Some(k) => {
                let better = (k.code.is_none() && hit.code.is_some())
                    || (k.weak && !hit.weak)
                    || (k.version.is_none() && hit.version.is_some() && !k.deed_url);
                if better {
                    *k = hit;
                }
            }
        }
    }
    kept
}

/// True for metadata keys that carry a license or rights statement.
fn is_license_key(key: &str) -> bool {
    key.contains("licen") || key.contains("rights") || key.contains("copyright")
}

fn element_key(elements: Elements) -> String {
    let mut parts = Vec::new();
    for (on, name) in [
        (elements.by, "by"),
        (elements.nc, "nc"),
        (elements.nd, "nd"),
        (elements.sa, "sa"),
    ] {
        if on {
            parts.push(name);
        }
    }
    parts.join("-")
}

fn split_code(code: &str) -> Vec<String> {
    code.split('-').map(str::to_owned).collect()
}

/// The jurisdiction of a `ports` key: `es`, or `2.1/es`.
fn port_jurisdiction(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::document::Image;
    use crate::rules::{
        AdaptationRules, ChangeNoticeRule, LicenseRule, Requirements, SourceLinkRule,
    };

    /// A rule with no requirements, for building registries in tests.
    pub(crate) fn blank_rule(code: &str, version: &str, juris: Option<&str>) -> LicenseRule {
        let has = |e: &str| code.split('-').any(|c| c == e);
        LicenseRule {
            id: format!("CC-{}-{version}", code.to_ascii_uppercase()),
            family: format!("CC-{}", code.to_ascii_uppercase()),
            code: code.to_owned(),
            version: Some(version.to_owned()),
            jurisdiction: juris.map(str::to_owned),
            kind: ToolKind::License,
            elements: Elements {
                by: has("by"),
                nc: has("nc"),
                nd: has("nd"),
                sa: has("sa"),
            },
            url: String::new(),
            names: BTreeMap::new(),
            ports: BTreeMap::new(),
            verbatim: Requirements {
                credit: true,
                title: false,
                license_notice: true,
                license_link: true,
                source_link: SourceLinkRule::Never,
                change_notice: ChangeNoticeRule::Never,
            },
            adaptations: AdaptationRules {
                shareable: true,
                share_alike: Vec::new(),
            },
            cure_days: None,
            deprecated: false,
            notes: Vec::new(),
            file: String::new(),
        }
    }

    fn registry() -> Registry {
        let mut by_nc_sa = blank_rule("by-nc-sa", "4.0", None);
        by_nc_sa.names.insert(
            "en".into(),
            vec!["Attribution-NonCommercial-ShareAlike 4.0 International".into()],
        );
        by_nc_sa.names.insert(
            "zh-hans".into(),
            vec!["署名-非商业性使用-相同方式共享 4.0 国际".into()],
        );
        let mut by_sa = blank_rule("by-sa", "3.0", None);
        by_sa.names.insert(
            "en".into(),
            vec!["Attribution-ShareAlike 3.0 Unported".into()],
        );
        by_sa.ports.insert(
            "de".into(),
            vec!["Namensnennung - Weitergabe unter gleichen Bedingungen 3.0 Deutschland".into()],
        );
        let mut by = blank_rule("by", "3.0", None);
        by.names
            .insert("en".into(), vec!["Attribution 3.0 Unported".into()]);
        let mut by_nd_nc = blank_rule("by-nd-nc", "1.0", None);
        by_nd_nc.elements = Elements {
            by: true,
            nc: true,
            nd: true,
            sa: false,
        };
        Registry {
            licenses: vec![by_nc_sa, by_sa, by, by_nd_nc],
            ..Registry::default()
        }
    }

    /// A document of one body block per paragraph (separated by blank lines) of `text`.
    fn doc(text: &str, context: Context) -> Document {
        let mut blocks = Vec::new();
        let mut at = 0;
        for part in text.split("\n\n") {
            blocks.push(Block::verbatim(
                part,
                Span::new(at, at + part.len()),
                context,
            ));
            at += part.len() + 2;
        }
        Document {
            blocks,
            ..Document::default()
        }
    }

    fn link(
        text: &str,
        whole: &str,
        href: &str,
        label: &str,
        rel: &[&str],
        context: Context,
    ) -> Link {
        let start = text.find(whole).unwrap();
        Link {
            href: href.into(),
            text: label.into(),
            rel: rel.iter().map(|r| (*r).to_owned()).collect(),
            span: Span::new(start, start + whole.len()),
            context,
            classes: Vec::new(),
        }
    }

    fn detect(doc: &Document) -> Vec<LicenseClaim> {
        Matcher::new(&registry()).detect(doc)
    }

    type Summary<'a> = (
        &'a str,
        Option<String>,
        Option<String>,
        Option<String>,
        bool,
        Scope,
    );

    fn summary<'a>(text: &'a str, claims: &[LicenseClaim]) -> Vec<Summary<'a>> {
        claims
            .iter()
            .map(|c| {
                (
                    &text[c.evidence.span.start..c.evidence.span.end],
                    c.code.clone(),
                    c.version.clone(),
                    c.jurisdiction.clone(),
                    c.linked,
                    c.scope,
                )
            })
            .collect()
    }

    #[allow(clippy::unnecessary_wraps)] // compared with claims' Option fields
    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    #[test]
    fn motivating_example_is_an_unlinked_versionless_text_claim() {
        let text = "This work was translated and shared via a License CC-BY-NC";
        let claims = detect(&doc(text, Context::Body));
        assert_eq!(
            summary(text, &claims),
            vec![("CC-BY-NC", s("by-nc"), None, None, false, Scope::Text)]
        );
        assert_eq!(claims[0].evidence.kind, EvidenceKind::Text);
        assert_eq!(claims[0].evidence.text, "CC-BY-NC");
    }

    #[test]
    fn bare_urls_with_ports_deeds_legal_code_and_igo() {
        let text = "Licensed under http://creativecommons.org/licenses/by-sa/3.0/es/deed.es and \
                    https://creativecommons.org/licenses/by-nd/4.0/legalcode.txt and \
                    https://creativecommons.org/licenses/by/3.0/igo/.";
        let claims = detect(&doc(text, Context::Body));
        assert_eq!(
            summary(text, &claims),
            vec![
                (
                    "http://creativecommons.org/licenses/by-sa/3.0/es/deed.es",
                    s("by-sa"),
                    s("3.0"),
                    s("es"),
                    true,
                    Scope::Text
                ),
                (
                    "https://creativecommons.org/licenses/by-nd/4.0/legalcode.txt",
                    s("by-nd"),
                    s("4.0"),
                    None,
                    true,
                    Scope::Text
                ),
                (
                    "https://creativecommons.org/licenses/by/3.0/igo/",
                    s("by"),
                    s("3.0"),
                    s("igo"),
                    true,
                    Scope::Text
                ),
            ]
        );
    }

    #[test]
    fn short_codes_order_variants_and_invalid_combinations() {
        let text = "Licensed under CC BY-ND-NC 1.0, CC BY-ND-NC 4.0, CC BY-ND-SA 4.0, CC BY-SA 5.0, CC0 1.0 and cc-by-sa-3.0-de.";
        let claims = detect(&doc(text, Context::Body));
        assert_eq!(
            summary(text, &claims),
            vec![
                (
                    "CC BY-ND-NC 1.0",
                    s("by-nd-nc"),
                    s("1.0"),
                    None,
                    false,
                    Scope::Text
                ),
                (
                    "CC BY-ND-NC 4.0",
                    s("by-nc-nd"),
                    s("4.0"),
                    None,
                    false,
                    Scope::Text
                ),
                (
                    "CC BY-ND-SA 4.0",
                    s("by-nd-sa"),
                    s("4.0"),
                    None,
                    false,
                    Scope::Text
                ),
                (
                    "CC BY-SA 5.0",
                    s("by-sa"),
                    s("5.0"),
                    None,
                    false,
                    Scope::Text
                ),
                ("CC0 1.0", s("zero"), s("1.0"), None, false, Scope::Text),
                (
                    "cc-by-sa-3.0-de",
                    s("by-sa"),
                    s("3.0"),
                    s("de"),
                    false,
                    Scope::Text
                ),
            ]
        );
    }

    #[test]
    fn long_localized_and_generic_names() {
        let text = "Dieser Text steht unter der Lizenz Namensnennung - Weitergabe unter gleichen Bedingungen 3.0 Deutschland.\n\n\
                    本作品采用署名—非商业性使用—相同方式共享 4.0 国际许可协议进行许可。\n\n\
                    This article is republished under a Creative Commons license.";
        let claims = detect(&doc(text, Context::Body));
        assert_eq!(
            summary(text, &claims),
            vec![
                (
                    "Namensnennung - Weitergabe unter gleichen Bedingungen 3.0 Deutschland",
                    s("by-sa"),
                    s("3.0"),
                    s("de"),
                    false,
                    Scope::Text
                ),
                (
                    "署名—非商业性使用—相同方式共享 4.0 国际许可协议",
                    s("by-nc-sa"),
                    s("4.0"),
                    None,
                    false,
                    Scope::Text
                ),
                (
                    "Creative Commons license",
                    None,
                    None,
                    None,
                    false,
                    Scope::Text
                ),
            ]
        );
    }

    #[test]
    fn single_word_names_need_a_cc_link() {
        let text = "Attribution matters. Licensed under <a href=\"https://creativecommons.org/licenses/by/3.0/\">Attribution</a>.";
        let mut d = doc(text, Context::Body);
        d.links.push(link(
            text,
            "<a href=\"https://creativecommons.org/licenses/by/3.0/\">Attribution</a>",
            "https://creativecommons.org/licenses/by/3.0/",
            "Attribution",
            &[],
            Context::Body,
        ));
        // The block text here is the raw source, so the bare href is found too (and merged
        // into the link claim); the weak name counts only inside the link.
        let got = summary(text, &detect(&d));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, s("by"));
        assert!(got[0].4);
        assert_eq!(
            got[1],
            ("Attribution", s("by"), None, None, true, Scope::Text)
        );
    }

    #[test]
    fn code_blocks_are_quoted_and_photo_credits_are_images() {
        let code = "attribution: '<a href=\"https://creativecommons.org/licenses/by-sa/2.0/\">CC-BY-SA</a>'";
        let claims = detect(&doc(code, Context::Code));
        assert!(!claims.is_empty());
        assert!(claims.iter().all(|c| c.scope == Scope::Quoted));

        let text =
            "Photo: Jane Doe, CC BY 2.0\n\nImage credit: Flickr-Corey Templeton, CC BY-NC-ND 2.0";
        let claims = detect(&doc(text, Context::Body));
        assert_eq!(
            summary(text, &claims),
            vec![
                ("CC BY 2.0", s("by"), s("2.0"), None, false, Scope::Image),
                (
                    "CC BY-NC-ND 2.0",
                    s("by-nc-nd"),
                    s("2.0"),
                    None,
                    false,
                    Scope::Image
                ),
            ]
        );
    }

    #[test]
    fn chooser_v1_markup_and_rel_license_button() {
        let text = "<a property=\"dct:title\" rel=\"cc:attributionURL\">T</a> by A is licensed under \
                    <a href=\"https://creativecommons.org/licenses/by-nc/4.0/?ref=chooser-v1\" rel=\"license noopener noreferrer\">CC BY-NC 4.0\
                    <img src=\"https://mirrors.creativecommons.org/presskit/icons/cc.svg?ref=chooser-v1\">\
                    <img src=\"https://mirrors.creativecommons.org/presskit/icons/by.svg?ref=chooser-v1\">\
                    <img src=\"https://mirrors.creativecommons.org/presskit/icons/nc.svg?ref=chooser-v1\"></a>";
        let visible = "T by A is licensed under CC BY-NC 4.0";
        let whole_link_start = text.find("<a href").unwrap();
        let mut d = Document::default();
        let code_at = text.find("CC BY-NC 4.0").unwrap();
        d.blocks.push(Block {
            text: visible.into(),
            span: Span::new(0, text.len()),
            context: Context::Body,
            pieces: vec![
                crate::document::Piece {
                    text_start: 0,
                    text_len: 1,
                    source_start: text.find(">T<").unwrap() + 1,
                    source_len: 1,
                },
                crate::document::Piece {
                    text_start: 1,
                    text_len: 24,
                    source_start: text.find(" by A").unwrap(),
                    source_len: 24,
                },
                crate::document::Piece {
                    text_start: 25,
                    text_len: 12,
                    source_start: code_at,
                    source_len: 12,
                },
            ],
        });
        d.links.push(Link {
            href: "https://creativecommons.org/licenses/by-nc/4.0/?ref=chooser-v1".into(),
            text: "CC BY-NC 4.0".into(),
            rel: vec!["license".into(), "noopener".into(), "noreferrer".into()],
            span: Span::new(whole_link_start, text.len()),
            context: Context::Body,
            classes: Vec::new(),
        });
        for icon in ["cc", "by", "nc"] {
            let src = format!(
                "https://mirrors.creativecommons.org/presskit/icons/{icon}.svg?ref=chooser-v1"
            );
            let start = text.find(&src).unwrap() - 10;
            let end = text[start..].find('>').unwrap() + start + 1;
            d.images.push(Image {
                src,
                alt: String::new(),
                title: String::new(),
                span: Span::new(start, end),
                context: Context::Body,
            });
        }
        let claims = detect(&d);
        let got = summary(text, &claims);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(
            (got[0].1.clone(), got[0].2.clone(), got[0].4, got[0].5),
            (s("by-nc"), s("4.0"), true, Scope::Text)
        );
        assert_eq!(claims[0].evidence.kind, EvidenceKind::Link);
        assert_eq!(
            got[1],
            (
                "CC BY-NC 4.0",
                s("by-nc"),
                s("4.0"),
                None,
                true,
                Scope::Text
            )
        );
        assert_eq!(
            (got[2].1.clone(), got[2].2.clone(), got[2].4, got[2].5),
            (s("by-nc"), None, true, Scope::Text)
        );
        assert_eq!(claims[2].evidence.kind, EvidenceKind::Image);
    }

    #[test]
    fn button_image_in_a_license_link() {
        let text = "<a rel=\"license\" href=\"http://creativecommons.org/licenses/by/3.0/deed.en_US\"><img src=\"http://i.creativecommons.org/l/by/3.0/88x31.png\" /></a>";
        let mut d = Document::default();
        d.links.push(link(
            text,
            text,
            "http://creativecommons.org/licenses/by/3.0/deed.en_US",
            "",
            &["license"],
            Context::Chrome,
        ));
        let img = "<img src=\"http://i.creativecommons.org/l/by/3.0/88x31.png\" />";
        let start = text.find(img).unwrap();
        d.images.push(Image {
            src: "http://i.creativecommons.org/l/by/3.0/88x31.png".into(),
            alt: String::new(),
            title: String::new(),
            span: Span::new(start, start + img.len()),
            context: Context::Chrome,
        });
        let got = summary(text, &detect(&d));
        assert_eq!(got[0], (text, s("by"), s("3.0"), None, true, Scope::Text));
        assert_eq!(got[1], (img, s("by"), s("3.0"), None, true, Scope::Text));
    }

    #[test]
    fn metadata_values() {
        let text = "license: CC-BY-4.0 OR CC-BY-SA-3.0\nrights: https://creativecommons.org/publicdomain/zero/1.0/";
        let value = "CC-BY-4.0 OR CC-BY-SA-3.0";
        let v_at = text.find(value).unwrap();
        let url = "https://creativecommons.org/publicdomain/zero/1.0/";
        let u_at = text.find(url).unwrap();
        let d = Document {
            meta: vec![
                Meta {
                    key: "license".into(),
                    value: value.into(),
                    span: Span::new(v_at, v_at + value.len()),
                    origin: MetaOrigin::FrontMatter,
                },
                Meta {
                    key: "rights".into(),
                    value: url.into(),
                    span: Span::new(u_at, u_at + url.len()),
                    origin: MetaOrigin::FrontMatter,
                },
                Meta {
                    key: "author".into(),
                    value: "CC BY Fan".into(),
                    span: Span::new(0, 1),
                    origin: MetaOrigin::FrontMatter,
                },
            ],
            ..Document::default()
        };
        let claims = detect(&d);
        assert_eq!(
            summary(text, &claims),
            vec![
                ("CC-BY-4.0", s("by"), s("4.0"), None, false, Scope::Text),
                (
                    "CC-BY-SA-3.0",
                    s("by-sa"),
                    s("3.0"),
                    None,
                    false,
                    Scope::Text
                ),
                (url, s("zero"), s("1.0"), None, true, Scope::Text),
            ]
        );
        assert_eq!(claims[0].evidence.kind, EvidenceKind::FrontMatter);
    }

    #[test]
    fn topic_mentions_and_late_notices() {
        let text = "Why Fedora dropped CC0\n\nCC0 is a public domain dedication that waives rights.\n\n\
                    Many projects used CC0 for years without trouble at all.\n\nMore text here.\n\nEnd.";
        let mut d = doc(text, Context::Body);
        d.blocks[0].context = Context::Heading;
        let claims = detect(&d);
        assert_eq!(claims.len(), 3);
        assert!(
            claims.iter().all(|c| c.scope == Scope::Mention),
            "{claims:?}"
        );

        // Without a topic, an unworded mention in the last fifth is a notice.
        let text = "Intro one.\n\nIntro two.\n\nIntro three.\n\nIntro four.\n\nText and pictures by Ann Lee, CC BY-SA 4.0, 2020 edition.";
        let claims = detect(&doc(text, Context::Body));
        assert_eq!(
            summary(text, &claims),
            vec![(
                "CC BY-SA 4.0",
                s("by-sa"),
                s("4.0"),
                None,
                false,
                Scope::Text
            )]
        );
        let early = "The book OSGi in Practice (CreativeCommons Attribution-ShareAlike 3.0 License) is free.\n\nMore.\n\nMore.\n\nMore.\n\nMore.";
        let claims = detect(&doc(early, Context::Body));
        assert_eq!(
            summary(early, &claims),
            vec![(
                "CreativeCommons Attribution-ShareAlike 3.0 License",
                s("by-sa"),
                s("3.0"),
                None,
                false,
                Scope::Mention
            )]
        );
    }

    #[test]
    fn a_short_block_after_an_image_is_its_caption() {
        let text = "![CORS](cors.png)\n\n*(MDN docs, CC-BY-SA 2.5)*";
        let mut d = doc(text, Context::Body);
        d.blocks[0].text = "CORS".into();
        d.images.push(Image {
            src: "cors.png".into(),
            alt: "CORS".into(),
            title: String::new(),
            span: Span::new(0, 17),
            context: Context::Body,
        });
        let claims = detect(&d);
        assert_eq!(
            summary(text, &claims),
            vec![(
                "CC-BY-SA 2.5",
                s("by-sa"),
                s("2.5"),
                None,
                false,
                Scope::Image
            )]
        );
    }

    #[test]
    fn a_license_column_in_a_table_is_a_mention() {
        let text = "Name\n\nLicense\n\nrenderengine\n\nMIT\n\ngameQuery\n\nCC BY-SA 2.5\n\nIntro.\n\nMore.\n\nMore.\n\nMore.\n\nMore.\n\nMore.\n\nEnd.";
        let claims = detect(&doc(text, Context::Body));
        assert_eq!(
            summary(text, &claims),
            vec![(
                "CC BY-SA 2.5",
                s("by-sa"),
                s("2.5"),
                None,
                false,
                Scope::Mention
            )]
        );
    }

    #[test]
    fn chrome_footer_is_site_unless_explicit() {
        let text = "Content on this site is available under CC BY-SA 3.0.\n\nThis article is licensed under CC BY 3.0.";
        let claims = detect(&doc(text, Context::Chrome));
        assert_eq!(
            summary(text, &claims),
            vec![
                (
                    "CC BY-SA 3.0",
                    s("by-sa"),
                    s("3.0"),
                    None,
                    false,
                    Scope::Site
                ),
                ("CC BY 3.0", s("by"), s("3.0"), None, false, Scope::Text),
            ]
        );
    }

    #[test]
    fn linked_when_a_deed_url_is_in_the_same_block() {
        let text = "Licensed under a Creative Commons Attribution 3.0 Unported License: https://creativecommons.org/licenses/by/3.0/";
        let claims = detect(&doc(text, Context::Body));
        assert_eq!(claims.len(), 2);
        assert!(claims.iter().all(|c| c.linked));
        assert_eq!(
            &text[claims[0].evidence.span.start..claims[0].evidence.span.end],
            "Creative Commons Attribution 3.0 Unported License"
        );
    }
}
