//! Media inventory: the photos, videos, audio and embedded players a post shows, each with its
//! caption or nearby credit line, the credit and license named there, and its source.
//!
//! A medium is an `<img>` (in `<picture>` and `<figure>` too), a Markdown image (inline or
//! reference), a `<video>` or `<audio>`, or an `<iframe>` whose `src` is on an embed host of
//! `rules/media-hosts.toml` (Commons, YouTube, Vimeo, SoundCloud). CC license buttons and
//! images in site chrome (logos, avatars) are not media of the post.
//!
//! Its caption is the block holding it or the block right after it when that block is a
//! figure caption, or a short block (see [`CAPTION_CHARS`]) with a photo credit ("Photo: X",
//! "Foto:", "图片来源") or an image license in it. The credit comes from the credit detector run
//! on that caption alone (so two photos by one photographer each keep theirs), else on the
//! image's `alt` and `title`, else from Commons' own attribution form "Author, License, via
//! Wikimedia Commons" (the form the Commons "Use this file" dialog writes). Not for judging
//! whether a credit suffices: that is `check::missing_media_credit`.

use serde::{Deserialize, Serialize};

use super::text::mentions_images;
use super::{Credit, LicenseClaim, Role, Scope, credit};
use crate::document::{Block, Context, Document, EmbedKind, Piece};
use crate::rules::media::{Licensing, MediaHosts};
use crate::source::Span;

/// The longest caption or credit line, in characters, taken for a medium that is not in a
/// figure: longer blocks are article text that happens to follow a picture.
const CAPTION_CHARS: usize = 300;
/// The most bytes between a medium and the block taken as its caption.
const CAPTION_GAP: usize = 400;

/// Lowercase words inside personal names (Dutch, German, French, Spanish, Portuguese, Italian,
/// Arabic naming) and organisation names ("Department of Transportation"), which do not make a
/// caption a sentence.
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "das", "do", "dos", "di", "du", "la", "le", "del", "y",
    "e", "bin", "al", "ibn", "of", "and", "the", "for", "&",
];

/// What sort of medium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    /// A photo, chart or drawing.
    Image,
    /// `<video>`.
    Video,
    /// `<audio>`.
    Audio,
    /// A player or viewer from another site (`<iframe>`).
    Embed,
}

/// One medium of a post and what its caption says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Medium {
    /// The media URL as written.
    pub url: String,
    /// What sort of medium.
    pub kind: MediaKind,
    /// The element in the source (`<img …>`, `![…](…)`, the `<video>` start tag).
    pub span: Span,
    /// The caption or credit line taken for it.
    pub caption: Option<Span>,
    /// Who is credited for it.
    pub credit: Option<Credit>,
    /// The license its caption (or `alt`/`title`) names, the most specific claim there.
    pub license: Option<LicenseClaim>,
    /// That license resolved against the rule files (filled by `governing::resolve_media`).
    pub resolved: Option<ResolvedLicense>,
    /// True when some claim in its caption links the license deed or gives its URL.
    pub linked: bool,
    /// The media host it is on (`Wikimedia Commons`), from `rules/media-hosts.toml`.
    pub host: Option<String>,
    /// Where it comes from: a link in its caption, else its own URL on a known host.
    pub source: Option<String>,
    /// The agency its credit names (`AP Photo`, `Getty Images`): then it is not CC.
    pub agency: Option<String>,
    /// True when it is under a CC license: one is named for it, or its host serves only free
    /// media; never when an agency is credited.
    pub cc: bool,
    /// What its source says, once read (online runs; see `verify::verify_media`).
    pub checked: SourceCheck,
}

/// Whether a medium's source was read, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SourceCheck {
    /// Not read: an offline run, or no source that can be read.
    #[default]
    NotChecked,
    /// Read: the license (and artist) the source states.
    Read(SourceFacts),
    /// The source could not be read or did not say; why.
    Unreadable(String),
}

/// What a medium's source states about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFacts {
    /// The license's name as the source gives it (`CC BY-SA 4.0`).
    pub license_name: String,
    /// The CC code of the license's URL (`by-sa`); `None` for a license that is not CC.
    pub code: Option<String>,
    /// Its version when the URL gives one.
    pub version: Option<String>,
    /// Its port when the URL gives one.
    pub jurisdiction: Option<String>,
    /// The creator as the source credits them, markup removed.
    pub artist: Option<String>,
    /// The medium's page: the Flickr photo page read (after redirects), or the file page of a
    /// MediaWiki API's file (`…/wiki/File:NAME`).
    #[serde(default)]
    pub page: Option<String>,
    /// The medium's title as that page gives it; `None` for an API answer.
    #[serde(default)]
    pub title: Option<String>,
}

impl Medium {
    /// The license its source states, when it was read and differs from the one its caption
    /// names (another code, or another version where both give one).
    pub fn mismatch(&self) -> Option<&SourceFacts> {
        let SourceCheck::Read(facts) = &self.checked else {
            return None;
        };
        let claim = self.license.as_ref()?;
        let code = claim.code.as_deref()?;
        let other_code = facts.code.as_deref() != Some(code);
        let other_version = matches!(
            (&claim.version, &facts.version),
            (Some(a), Some(b)) if a != b
        );
        (other_code || other_version).then_some(facts)
    }

    /// The JSON `verified` value: `not-cc`, `offline` (not read), `unreadable`, `mismatch` or
    /// `match` (read, and no other license than the caption's).
    pub fn verdict(&self) -> &'static str {
        match &self.checked {
            _ if !self.cc => "not-cc",
            SourceCheck::NotChecked => "offline",
            SourceCheck::Unreadable(_) => "unreadable",
            SourceCheck::Read(_) if self.mismatch().is_some() => "mismatch",
            SourceCheck::Read(_) => "match",
        }
    }
}

/// A medium's license as the rule files know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedLicense {
    /// SPDX id or `LicenseRef-…`; `None` when the version is missing or the license unknown.
    pub id: Option<String>,
    /// `CC-BY-SA`, or `CC` for a bare "Creative Commons license".
    pub family: String,
}

/// A medium's element before its caption is read.
#[derive(Clone)]
struct Element {
    url: String,
    kind: MediaKind,
    span: Span,
    context: Context,
    /// `alt` and `title`, where a credit may sit.
    words: String,
}

/// Find the media of a post; `claims` are the post's license claims.
pub fn detect(doc: &Document, claims: &[LicenseClaim], hosts: &MediaHosts) -> Vec<Medium> {
    let mut found: Vec<Element> = Vec::new();
    for image in &doc.images {
        let button = claims.iter().any(|c| {
            c.evidence.span == image.span && c.evidence.kind == super::EvidenceKind::Image
        });
        if !button {
            found.push(Element {
                url: image.src.clone(),
                kind: MediaKind::Image,
                span: image.span,
                context: image.context,
                words: format!("{} {}", image.alt, image.title),
            });
        }
    }
    for embed in &doc.embeds {
        let kind = match embed.kind {
            EmbedKind::Video => MediaKind::Video,
            EmbedKind::Audio => MediaKind::Audio,
            EmbedKind::Frame if hosts.host_of(&embed.src).is_some_and(|h| h.embed) => {
                MediaKind::Embed
            }
            EmbedKind::Frame => continue,
        };
        found.push(Element {
            url: embed.src.clone(),
            kind,
            span: embed.span,
            context: embed.context,
            words: embed.title.clone(),
        });
    }
    found.retain(|e| !matches!(e.context, Context::Chrome | Context::Code));
    found.sort_by_key(|e| e.span.start);
    let starts: Vec<usize> = found.iter().map(|e| e.span.start).collect();
    let mut media: Vec<Medium> = found
        .iter()
        .enumerate()
        .map(|(i, element)| {
            let next = starts.get(i + 1).copied().unwrap_or(usize::MAX);
            // A player's caption names its host ("via Vimeo"): there a license reads as the
            // video's even where no word says "image".
            let player_host = (element.kind != MediaKind::Image)
                .then(|| hosts.host_of(&element.url))
                .flatten()
                .map(|h| h.name.as_str());
            let caption = caption_of(doc, claims, hosts, element.span, next, player_host);
            medium(doc, claims, hosts, element.clone(), caption)
        })
        .collect();
    // Media left without a credit may have it in the post's credits section.
    if media
        .iter()
        .any(|m| m.credit.is_none() && m.license.is_none())
    {
        let entries = credits_section(doc, hosts, starts.first().copied().unwrap_or(0));
        for (i, entry) in match_entries(doc, &media, &entries) {
            media[i] = medium(doc, claims, hosts, found[i].clone(), Some(entry));
        }
    }
    media
}

/// The entries of the post's credits section: the blocks after a bare credits heading (up to
/// the next heading), or the one paragraph that leads with one ("Image credits: …"). Only
/// after the first medium, and never in chrome or code.
fn credits_section<'d>(doc: &'d Document, hosts: &MediaHosts, first: usize) -> Vec<Entry<'d>> {
    let usable = |b: &Block| !matches!(b.context, Context::Chrome | Context::Code);
    let at = doc.blocks.iter().rposition(|b| {
        b.span.start >= first
            && usable(b)
            && b.text.chars().count() <= CAPTION_CHARS * 4
            && hosts.credit_section_at(&b.text).is_some()
    });
    let Some(at) = at else {
        return Vec::new();
    };
    let head = &doc.blocks[at];
    let lead = hosts.credit_section_at(&head.text).unwrap_or(0);
    let rest = head.text.get(lead..).unwrap_or_default();
    // A paragraph that leads with the heading ("Image credits: …") is the whole section; the
    // blocks after it are the post's footer, not credits.
    if rest.chars().any(char::is_alphanumeric) {
        return vec![Entry {
            block: head,
            lead,
            listed: false,
        }];
    }
    let mut entries = Vec::new();
    entries.extend(
        doc.blocks[at + 1..]
            .iter()
            .take_while(|b| b.context != Context::Heading && usable(b))
            .filter(|b| b.text.chars().count() <= CAPTION_CHARS)
            .take(MAX_SECTION_ENTRIES)
            .map(|block| Entry {
                block,
                lead: 0,
                listed: true,
            }),
    );
    entries
}

/// One entry of a credits section.
struct Entry<'d> {
    /// Its block.
    block: &'d Block,
    /// Where its own text starts (after "Image credits:" when it leads with the heading).
    lead: usize,
    /// True for a block listed under a heading; false for the paragraph that leads with one,
    /// which often credits a featured image outside the post's body (so it is never matched by
    /// order alone).
    listed: bool,
}

/// Entries of a credits section read at most.
const MAX_SECTION_ENTRIES: usize = 50;

/// Which credits-section entry is which uncredited medium's: the entry that names the
/// medium's file (or links its URL), else the one numbered like it ("Photo 2" for the second
/// medium), else, when as many entries are left as uncredited media, the one in the same
/// place in order (entries listed under a heading only). Pairs of (medium index, entry).
fn match_entries<'d>(
    doc: &Document,
    media: &[Medium],
    entries: &[Entry<'d>],
) -> Vec<(usize, &'d Block)> {
    let mut pairs: Vec<(usize, &'d Block)> = Vec::new();
    let mut used = vec![false; entries.len()];
    // A caption that names a license but no creator keeps its license: only media whose own
    // caption says nothing take an entry.
    let uncredited: Vec<usize> = (0..media.len())
        .filter(|&i| media[i].credit.is_none() && media[i].license.is_none())
        .collect();
    let mut left: Vec<usize> = Vec::new();
    for &i in &uncredited {
        let named = entries
            .iter()
            .enumerate()
            .position(|(e, entry)| !used[e] && names_file(doc, entry.block, &media[i].url));
        let numbered = || {
            entries.iter().enumerate().position(|(e, entry)| {
                !used[e]
                    && entry_number(entry.block.text.get(entry.lead..).unwrap_or_default())
                        == Some(i + 1)
            })
        };
        match named.or_else(numbered) {
            Some(e) => {
                used[e] = true;
                pairs.push((i, entries[e].block));
            }
            None => left.push(i),
        }
    }
    let free: Vec<&'d Block> = entries
        .iter()
        .zip(&used)
        .filter(|(entry, used)| !**used && entry.listed)
        .map(|(entry, _)| entry.block)
        .collect();
    if !left.is_empty() && free.len() == left.len() {
        pairs.extend(left.into_iter().zip(free));
    }
    pairs
}

/// True when `entry` names the file of `url` (its name without the extension, thumbnail
/// prefix or size suffix, at least four characters) or links `url` itself.
fn names_file(doc: &Document, entry: &Block, url: &str) -> bool {
    let links = doc
        .links
        .iter()
        .filter(|l| l.span.start >= entry.span.start && l.span.end <= entry.span.end);
    if links.clone().any(|l| l.href == url) {
        return true;
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    // Commons thumbnails: `640px-Harbour.jpg` is `Harbour.jpg`.
    let stem = stem
        .split_once("px-")
        .filter(|(size, _)| size.bytes().all(|b| b.is_ascii_digit()))
        .map_or(stem, |(_, name)| name);
    if stem.chars().count() < 4 {
        return false;
    }
    let stem = stem.to_lowercase();
    entry.text.to_lowercase().contains(&stem)
        || links.clone().any(|l| l.href.to_lowercase().contains(&stem))
}

/// The number an entry leads with, after the credits heading if any and a label: "Photo 2:",
/// "Image 2", "Fig. 2", "Abb. 2", "图2", "2."; `None` for none.
fn entry_number(text: &str) -> Option<usize> {
    let body = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower = body.to_lowercase();
    let after_label = [
        "photo",
        "image",
        "picture",
        "figure",
        "fig.",
        "abb.",
        "abbildung",
        "bild",
        "foto",
        "图",
    ]
    .iter()
    .find_map(|label| lower.strip_prefix(label))
    .unwrap_or(&lower);
    let digits: String = after_label
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = after_label.trim_start()[digits.len()..].chars().next();
    // "2020 photos" is a year, not a number: the number ends at punctuation or a space.
    if digits.is_empty() || rest.is_some_and(char::is_alphanumeric) {
        return None;
    }
    digits.parse().ok()
}

/// The medium of `element`, with `caption` as its caption or credit line.
fn medium(
    doc: &Document,
    claims: &[LicenseClaim],
    hosts: &MediaHosts,
    element: Element,
    caption: Option<&Block>,
) -> Medium {
    let Element {
        url,
        kind,
        span,
        words,
        ..
    } = element;
    let words = words.as_str();
    let inside = |s: Span| {
        (s.start >= span.start && s.end <= span.end)
            || caption.is_some_and(|b| s.start >= b.span.start && s.end <= b.span.end)
    };
    let mine: Vec<&LicenseClaim> = claims
        .iter()
        .filter(|c| c.scope != Scope::Quoted && inside(c.evidence.span))
        .collect();
    let license = mine
        .iter()
        .enumerate()
        .max_by_key(|(i, c)| {
            (
                c.code.is_some(),
                c.version.is_some(),
                c.linked,
                std::cmp::Reverse(*i),
            )
        })
        .map(|(_, c)| (*c).clone());
    let linked = mine.iter().any(|c| c.linked);
    let credit = caption
        .and_then(|b| credit_in(b.clone()))
        .or_else(|| credit_in(mapped_block(words, span)))
        .or_else(|| caption.and_then(|b| commons_form(b, license.as_ref())));
    let host = hosts.host_of(&url);
    let source = caption
        .and_then(|b| {
            doc.links.iter().find(|l| {
                l.span.start >= b.span.start
                    && l.span.end <= b.span.end
                    && super::license::url::parse(&l.href).is_none()
                    && !mine.iter().any(|c| c.evidence.span == l.span)
                    && l.href.contains("://")
            })
        })
        .map(|l| l.href.clone())
        // A link on the medium's host around it: Flickr's embed code wraps the image in a
        // link to its photo page.
        .or_else(|| {
            let host = host?;
            doc.links
                .iter()
                .find(|l| {
                    l.span.start <= span.start && l.span.end >= span.end && host.matches(&l.href)
                })
                .map(|l| l.href.clone())
        })
        .or_else(|| host.map(|_| url.clone()));
    let agency = [
        caption.map(|b| b.text.as_str()),
        Some(words),
        credit.as_ref().map(|c| c.name.as_str()),
    ]
    .into_iter()
    .flatten()
    .find_map(|text| hosts.agency_in(text))
    .map(str::to_owned);
    let free = host.is_some_and(|h| h.licensing == Licensing::Free);
    let cc = agency.is_none() && (license.is_some() || free);
    Medium {
        url,
        kind,
        span,
        caption: caption.map(|b| b.span),
        credit,
        license: if agency.is_some() { None } else { license },
        resolved: None,
        linked,
        host: host.map(|h| h.name.clone()),
        source,
        agency,
        cc,
        checked: SourceCheck::NotChecked,
    }
}

/// The caption of the medium at `span` (the next medium starts at `next`): see the module doc.
/// A block outside a figure is a caption when it credits a photographer, or names an image
/// license (for a player, any license, when the block says "via" its host) and reads as a
/// credit line (talks about images, names a media host, or leads with a name in Commons'
/// form) rather than as the post's own notice placed under a title image.
fn caption_of<'d>(
    doc: &'d Document,
    claims: &[LicenseClaim],
    hosts: &MediaHosts,
    span: Span,
    next: usize,
    player_host: Option<&str>,
) -> Option<&'d Block> {
    let at = doc.blocks.partition_point(|b| b.span.end <= span.start);
    // The block holding the medium and the one after it, or only the first block after it:
    // a credit two blocks further down belongs to something else (a header image, a video).
    let holding = doc
        .blocks
        .get(at)
        .is_some_and(|b| b.span.start <= span.start && b.span.end >= span.end);
    let candidates = if holding { 2 } else { 1 };
    doc.blocks.get(at..)?.iter().take(candidates).find(|b| {
        let holds = b.span.start <= span.start && b.span.end >= span.end;
        let after = b.span.start >= span.end
            && b.span.start < next
            && b.span.start - span.end <= CAPTION_GAP;
        if !(holds || after) || matches!(b.context, Context::Code | Context::Chrome) {
            return false;
        }
        let short = b.text.chars().count() <= CAPTION_CHARS;
        if b.context == Context::Caption {
            return short || after;
        }
        if !short {
            return false;
        }
        if credit_in((*b).clone()).is_some_and(|c| c.role == Role::Photographer) {
            return true;
        }
        let lower = b.text.to_lowercase();
        let names_player =
            player_host.is_some_and(|name| lower.contains(&format!("via {}", name.to_lowercase())));
        claims
            .iter()
            .filter(|c| {
                (c.scope == Scope::Image || (names_player && c.scope != Scope::Quoted))
                    && c.evidence.span.start >= b.span.start
                    && c.evidence.span.end <= b.span.end
            })
            .any(|c| {
                mentions_images(&b.text)
                    || hosts
                        .hosts
                        .iter()
                        .any(|h| lower.contains(&h.name.to_lowercase()))
                    || commons_form(b, Some(c)).is_some()
            })
    })
}

/// The first credit the credit detector finds in `block` alone (publishers are not creators).
fn credit_in(block: Block) -> Option<Credit> {
    if block.text.trim().is_empty() {
        return None;
    }
    let doc = Document {
        blocks: vec![block],
        ..Document::default()
    };
    credit::detect(&doc)
        .into_iter()
        .find(|c| c.role != Role::Publisher)
}

/// Commons' attribution form "Author, CC BY-SA 4.0, via Wikimedia Commons": the name before
/// the license, when the caption has no credit cue.
fn commons_form(block: &Block, license: Option<&LicenseClaim>) -> Option<Credit> {
    let claim = license?;
    let end = block.text_offset(claim.evidence.span.start)?;
    let head = block.text.get(..end)?;
    // Link syntax left as text around a name ("artist:[ Jason Heeris](" in broken Markdown)
    // is punctuation, not part of it.
    let trimmed = head.trim_end_matches(|c: char| c.is_whitespace() || ",;/|–—-([]（".contains(c));
    // Commons' form separates the name from the license ("Ana Ruiz, CC BY-SA 4.0"); a
    // sentence running into the license ("이 문서는 cc-by 라이센스를 따릅니다") has no separator.
    if head[trimmed.len()..].trim().is_empty() {
        return None;
    }
    // A label the credit detector has no cue for ("Video: Lea Kim") is not part of the name,
    // nor is the caption sentence a credit line follows ("Empathy is a choice. Riccardo
    // Cuppini, CC BY-NC"): the name starts after the last label or sentence end.
    let label_end = [":", "：", ". ", "。"]
        .iter()
        .filter_map(|mark| trimmed.rfind(mark).map(|at| at + mark.len()))
        .max()
        .unwrap_or(0);
    let lead = &trimmed[label_end..];
    let body = lead.trim_start_matches(|c: char| c.is_whitespace() || "[(（".contains(c));
    let start = label_end + (lead.len() - body.len());
    // Commons' older form "Author (Own work) via Wikimedia Commons" and "X via Picpedia.org":
    // the name ends before the remark and the host.
    let name = [" via ", " (", "（"]
        .iter()
        .filter_map(|mark| body.find(mark))
        .min()
        .map_or(body, |end| &body[..end])
        .trim_end();
    let words = name.split_whitespace().count();
    // A name's words are capitalised (or not Latin: 王小明), but for particles ("van", "de");
    // a caption sentence ("The sleeper leaving at dusk.") is not a name.
    let looks = (1..=6).contains(&words)
        && name.chars().count() <= 60
        && name.split_whitespace().all(|word| {
            word.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_ascii())
                || NAME_PARTICLES.contains(&word)
        })
        && !name.ends_with('.')
        && !name.contains(['，', '。', '、', '；', '！', '？'])
        && !name.contains("://");
    looks.then(|| Credit {
        name: name.to_owned(),
        role: Role::Photographer,
        evidence: super::text::block_evidence(
            block,
            start,
            start + name.len(),
            super::EvidenceKind::Text,
        ),
    })
}

/// A caption-like block of `text` that is not in the source verbatim (an attribute value):
/// every offset in it maps to the whole element at `span`.
fn mapped_block(text: &str, span: Span) -> Block {
    Block {
        text: text.to_owned(),
        span,
        context: Context::Caption,
        pieces: vec![Piece {
            text_start: 0,
            text_len: text.len(),
            source_start: span.start,
            source_len: span.len(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Detector;
    use crate::source::{Format, Source};

    fn media_of(text: &str, format: Format) -> Vec<Medium> {
        let registry = crate::rules::load::bundled().expect("bundled rules");
        let source = Source::from_bytes("post", text.as_bytes(), format);
        let doc = crate::document::extract(&source);
        Detector::new(&registry).detect(&doc).media
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn figure_caption_gives_credit_and_license() {
        let text = "<figure><img src=\"https://live.staticflickr.com/1/2_b.jpg\" alt=\"Boat\">\
                    <figcaption>Photo: Jan Novak, CC BY</figcaption></figure>";
        let media = media_of(text, Format::Html);
        assert_eq!(media.len(), 1);
        let m = &media[0];
        assert_eq!(
            slice(text, m.span),
            "<img src=\"https://live.staticflickr.com/1/2_b.jpg\" alt=\"Boat\">"
        );
        assert_eq!(m.kind, MediaKind::Image);
        assert_eq!(
            m.credit.as_ref().map(|c| c.name.as_str()),
            Some("Jan Novak")
        );
        let license = m.license.as_ref().expect("a license");
        assert_eq!(
            (license.code.as_deref(), license.version.as_deref()),
            (Some("by"), None)
        );
        assert!(!m.linked);
        assert_eq!(m.host.as_deref(), Some("Flickr"));
        assert!(m.cc);
    }

    #[test]
    fn commons_thumbnail_without_caption_is_cc_and_uncredited() {
        let text = "<p>Text.</p>\n<img src=\"https://upload.wikimedia.org/wikipedia/commons/thumb/a/ab/C.jpg/320px-C.jpg\">";
        let media = media_of(text, Format::Html);
        assert_eq!(media.len(), 1);
        assert!(media[0].cc);
        assert_eq!(media[0].credit, None);
        assert_eq!(media[0].license, None);
        assert_eq!(media[0].host.as_deref(), Some("Wikimedia Commons"));
    }

    #[test]
    fn agency_photo_is_not_cc_even_beside_a_license() {
        let text = "<figure><img src=\"a.jpg\"><figcaption>Crowds. (AP Photo/Jane Roe) CC BY 4.0</figcaption></figure>";
        let media = media_of(text, Format::Html);
        assert_eq!(media[0].agency.as_deref(), Some("AP Photo"));
        assert!(!media[0].cc);
        assert_eq!(media[0].license, None);
    }

    #[test]
    fn commons_attribution_form_names_the_author() {
        let text = "![Harbour](https://upload.wikimedia.org/wikipedia/commons/a/ab/H.jpg)\n\
                    Ana Ruiz, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/), via Wikimedia Commons\n";
        let media = media_of(text, Format::Markdown);
        assert_eq!(media.len(), 1);
        let credit = media[0].credit.as_ref().expect("a credit");
        assert_eq!(credit.name, "Ana Ruiz");
        assert_eq!(slice(text, credit.evidence.span), "Ana Ruiz");
        assert!(media[0].linked);
        assert_eq!(
            media[0].license.as_ref().and_then(|c| c.version.as_deref()),
            Some("4.0")
        );
    }

    #[test]
    fn video_source_audio_and_known_frames_are_media_other_frames_are_not() {
        let text = "<video controls><source src=\"clip.webm\"></video>\n<audio src=\"a.ogg\"></audio>\n\
                    <iframe src=\"https://player.vimeo.com/video/1\"></iframe>\n\
                    <iframe src=\"https://ads.example.com/slot\"></iframe>";
        let media = media_of(text, Format::Html);
        let got: Vec<(&str, MediaKind)> = media.iter().map(|m| (m.url.as_str(), m.kind)).collect();
        assert_eq!(
            got,
            [
                ("clip.webm", MediaKind::Video),
                ("a.ogg", MediaKind::Audio),
                ("https://player.vimeo.com/video/1", MediaKind::Embed),
            ]
        );
    }

    #[test]
    fn license_buttons_and_chrome_images_are_not_media() {
        let text = "<header><img src=\"logo.png\"></header><p>Text under \
                    <a rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\">\
                    <img src=\"https://i.creativecommons.org/l/by/4.0/88x31.png\"></a></p>";
        assert_eq!(media_of(text, Format::Html), []);
    }

    #[test]
    fn a_long_paragraph_after_an_image_is_not_its_caption() {
        let long = "Photo: this sentence is article text. ".repeat(10);
        let text =
            format!("![x](https://upload.wikimedia.org/wikipedia/commons/a/b.jpg)\n\n{long}\n");
        let media = media_of(&text, Format::Markdown);
        assert_eq!(media[0].caption, None);
        assert_eq!(media[0].credit, None);
    }

    #[test]
    fn a_post_notice_under_a_title_image_is_not_its_caption() {
        // The post's own notice right after a title image (as Korean and Chinese translation
        // sites place it) names an image-scoped license but is no credit line.
        let text = "<img src=\"https://i.example.com/title.jpg\">\n<p>이 문서는 nacyot이 한국어로 번역한 문서입니다. \
                    이 문서는 <a href=\"http://creativecommons.org/licenses/by/3.0/\">cc-by</a> 라이센스를 따릅니다.</p>";
        let media = media_of(text, Format::Html);
        assert_eq!(media[0].caption, None);
        assert!(!media[0].cc);
    }

    #[test]
    fn a_name_left_in_broken_link_syntax_is_still_the_credit() {
        let text = "![Image](https://x.org/a.png)\n\
                    _artist:[ Jason Heeris](http://creativecommons.org/licenses/by-nc-nd/2.5/au/\" rel=\"noopener\")_\n";
        let media = media_of(text, Format::Markdown);
        assert_eq!(
            media[0].credit.as_ref().map(|c| c.name.as_str()),
            Some("Jason Heeris")
        );
        assert!(media[0].cc);
    }

    #[test]
    fn a_chinese_sentence_before_a_license_is_not_a_name() {
        let text = "![图](https://x.org/a.png)\n\
                    这张图由 Steve Pomeroy 完成，图中移除了生命周期，分享这张图需要获得 CC BY-SA 4.0 许可\n";
        let media = media_of(text, Format::Markdown);
        assert!(
            media[0]
                .credit
                .as_ref()
                .is_none_or(|c| !c.name.contains('，'))
        );
    }

    #[test]
    fn a_credit_line_after_a_caption_sentence_names_the_creator() {
        // The Conversation's figure markup: caption sentence, then creator and linked license.
        let text = "<figure><img src=\"a.jpg\"><figcaption><span class=\"caption\">Empathy is a choice.</span> \
                    <span class=\"attribution\"><a href=\"https://www.flickr.com/photos/x/1/\">Riccardo Cuppini</a>, \
                    <a href=\"http://creativecommons.org/licenses/by-nc/2.0/\">CC BY-NC</a></span></figcaption></figure>";
        let media = media_of(text, Format::Html);
        assert_eq!(
            media[0].credit.as_ref().map(|c| c.name.as_str()),
            Some("Riccardo Cuppini")
        );
        assert_eq!(
            media[0].source.as_deref(),
            Some("https://www.flickr.com/photos/x/1/")
        );
        let org = "![x](https://upload.wikimedia.org/wikipedia/commons/a/b.jpg)\n\
                   [Image Credit: Flickr-Oregon Department of Transportation, CC BY 2.0]\n";
        let media = media_of(org, Format::Markdown);
        assert_eq!(
            media[0].credit.as_ref().map(|c| c.name.as_str()),
            Some("Flickr-Oregon Department of Transportation")
        );
    }

    #[test]
    fn commons_older_form_and_via_hosts_end_the_name() {
        let text = "![x](https://x.org/a.jpg)\n\
                    Monument. [AndreoBongco (Own work) via Wikimedia Commons](https://commons.wikimedia.org/wiki/File:M.jpg), \
                    [CC BY-SA](http://creativecommons.org/licenses/by-sa/4.0/)\n";
        let media = media_of(text, Format::Markdown);
        let credit = media[0].credit.as_ref().expect("a credit");
        assert_eq!(credit.name, "AndreoBongco");
        assert_eq!(slice(text, credit.evidence.span), "AndreoBongco");
    }

    #[test]
    fn a_credit_two_blocks_below_a_frame_is_not_its_caption() {
        let text = "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n<p>—</p>\n\
                    <p>Image Credit: Ally Aubry, Flickr. CC by 2.0</p>";
        let media = media_of(text, Format::Html);
        assert_eq!(media[0].caption, None);
        assert!(!media[0].cc);
    }

    #[test]
    fn a_credits_section_credits_media_by_file_name_number_and_order() {
        let text = "![a](https://upload.wikimedia.org/wikipedia/commons/thumb/a/ab/Harbour_view.jpg/640px-Harbour_view.jpg)\n\n\
                    Text one.\n\n![b](https://upload.wikimedia.org/wikipedia/commons/c/cd/Dock.jpg)\n\n\
                    Text two.\n\n![c](https://upload.wikimedia.org/wikipedia/commons/e/ef/Pier.jpg)\n\n\
                    Text three.\n\n## Image credits\n\n\
                    - Photo 3: Lea Kim, [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)\n\
                    - Tom Berg, [CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/), via Wikimedia Commons\n\
                    - Harbour_view.jpg: Ana Ruiz, [CC0](https://creativecommons.org/publicdomain/zero/1.0/)\n";
        let media = media_of(text, Format::Markdown);
        let names: Vec<Option<&str>> = media
            .iter()
            .map(|m| m.credit.as_ref().map(|c| c.name.as_str()))
            .collect();
        assert_eq!(names, [Some("Ana Ruiz"), Some("Tom Berg"), Some("Lea Kim")]);
        assert_eq!(
            media[1].license.as_ref().and_then(|c| c.code.as_deref()),
            Some("by-sa")
        );
        assert!(media.iter().all(|m| m.linked));
        let credit = media[2].credit.as_ref().expect("credit");
        assert_eq!(slice(text, credit.evidence.span), "Lea Kim");
    }

    #[test]
    fn a_credits_paragraph_credits_by_number_but_never_by_order_alone() {
        let one = "![a](https://upload.wikimedia.org/wikipedia/commons/a/ab/X.jpg)\n\nText.\n\n\
                   Image credits: Photo 1: Ana Ruiz, CC BY-SA 4.0, via Wikimedia Commons\n";
        let media = media_of(one, Format::Markdown);
        assert_eq!(
            media[0].credit.as_ref().map(|c| c.name.as_str()),
            Some("Ana Ruiz")
        );
        // Such a paragraph often credits a featured image outside the body.
        let two = "![a](https://upload.wikimedia.org/wikipedia/commons/a/ab/X.jpg)\n\nText.\n\n\
                   Image credits: Ana Ruiz, CC BY-SA 4.0, via Wikimedia Commons\n";
        let media = media_of(two, Format::Markdown);
        assert!(media.iter().all(|m| m.credit.is_none()));
    }

    #[test]
    fn the_blocks_after_a_credits_paragraph_are_no_entries() {
        // LCTT's footer follows a one-line credit: its lines are not credits of the images.
        let text = "![a](https://x.org/a.png)\n\n![b](https://x.org/b.png)\n\nText.\n\n\
                    *图片来源：（Don Watkins，CC BY-SA 4.0）*\n\n\
                    作者：[Don Watkins][a]\n\n译者：[geekpi](https://github.com/geekpi)\n\n\
                    [a]: https://opensource.com/users/don-watkins\n";
        let media = media_of(text, Format::Markdown);
        assert!(media.iter().all(|m| m.credit.is_none()), "{media:?}");
    }

    #[test]
    fn a_credits_heading_before_the_media_is_not_their_section() {
        let text = "## Image credits\n\n- Ana Ruiz, CC BY-SA 4.0, via Wikimedia Commons\n\n\
                    ![a](https://upload.wikimedia.org/wikipedia/commons/a/ab/X.jpg)\n";
        let media = media_of(text, Format::Markdown);
        assert_eq!(media[0].credit, None);
    }

    #[test]
    fn entry_numbers_follow_a_label_and_end_at_punctuation() {
        assert_eq!(entry_number("Photo 2: Ana"), Some(2));
        assert_eq!(entry_number("Abb. 3 Ana"), Some(3));
        assert_eq!(entry_number("图2：王小明"), Some(2));
        assert_eq!(entry_number("1. Ana Ruiz"), Some(1));
        assert_eq!(entry_number("2020s photos"), None);
        assert_eq!(entry_number("Ana Ruiz"), None);
    }
}
