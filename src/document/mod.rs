//! The document model: what a post says, as syntax, with a byte span for everything.
//!
//! `extract` turns a [`Source`] into a [`Document`]: text blocks in reading order (each with its
//! context: body, heading, caption, code, site chrome…), links, images and metadata (front matter,
//! `<meta>`, `<link rel>`, JSON-LD, CC REL RDFa). No judgement happens here: deciding what is a
//! license notice or a credit is the job of `detect`.

pub mod front_matter;
pub mod html;
pub mod markdown;
pub mod structured;
mod text;

use serde::Serialize;

use crate::source::{Format, Source, Span};

/// Where a piece of text sits in the page; detectors weigh evidence by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// Ordinary article text (paragraphs, list items, table cells).
    Body,
    /// A heading (`h1`–`h6`, `#`).
    Heading,
    /// A figure caption or an image's credit line (`figcaption`, `.caption`, `.wp-caption-text`).
    Caption,
    /// Quoted text (`blockquote`, `>`).
    Blockquote,
    /// Code (`pre`, `code`, fenced and indented code): never a notice.
    Code,
    /// Site chrome: `nav`, `header`, `footer`, `aside`, sidebars, menus.
    Chrome,
    /// A value in front matter.
    FrontMatter,
}

/// A run of text in reading order with its span and context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The text as a reader sees it: entities decoded, markup removed, whitespace as in the source.
    pub text: String,
    /// Where the block is in the source.
    pub span: Span,
    /// Where the block sits in the page.
    pub context: Context,
    /// How `text` maps back to the source, in order; see [`Piece`].
    pub pieces: Vec<Piece>,
}

/// A stretch of a block's text and the source bytes it came from.
///
/// When `text_len == source_len` the stretch was copied verbatim and offsets inside it map
/// one-to-one; otherwise (entities, escapes) any offset inside maps to the whole source stretch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Byte offset in the block's text.
    pub text_start: usize,
    /// Byte length in the block's text.
    pub text_len: usize,
    /// Byte offset in the source.
    pub source_start: usize,
    /// Byte length in the source.
    pub source_len: usize,
}

impl Block {
    /// A block whose text is exactly the source slice at `span` (no entities, no markup).
    pub fn verbatim(text: &str, span: Span, context: Context) -> Block {
        Block {
            text: text.to_owned(),
            span,
            context,
            pieces: vec![Piece {
                text_start: 0,
                text_len: text.len(),
                source_start: span.start,
                source_len: span.len(),
            }],
        }
    }

    /// The source span of the byte range `start..end` of this block's text.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let from = self.map_offset(start, false);
        let to = self.map_offset(end.max(start), true);
        Span::new(from, to.max(from))
    }

    fn map_offset(&self, offset: usize, is_end: bool) -> usize {
        // Pieces are in text order: the one holding `offset` is found by binary search (a
        // block of thousands of links has thousands of pieces, and every claim maps its span).
        let piece = if is_end {
            let at = self
                .pieces
                .partition_point(|p| p.text_start + p.text_len < offset);
            self.pieces.get(at).filter(|p| offset > p.text_start)
        } else {
            let at = self
                .pieces
                .partition_point(|p| p.text_start + p.text_len <= offset);
            self.pieces.get(at).filter(|p| offset >= p.text_start)
        };
        match piece {
            Some(p) if p.text_len == p.source_len => p.source_start + (offset - p.text_start),
            Some(p) if is_end => p.source_start + p.source_len,
            Some(p) => p.source_start,
            None if is_end => self.span.end,
            None => {
                let at = self.pieces.partition_point(|p| p.text_start < offset);
                self.pieces
                    .get(at)
                    .map_or(self.span.end, |p| p.source_start)
            }
        }
    }

    /// The offset in this block's text where the text from source offset `source` on starts
    /// (`None` when no text comes from there or later).
    pub fn text_offset(&self, source: usize) -> Option<usize> {
        let at = self
            .pieces
            .partition_point(|p| p.source_start + p.source_len <= source);
        let piece = self.pieces.get(at)?;
        let verbatim = piece.text_len == piece.source_len;
        Some(if verbatim && source > piece.source_start {
            piece.text_start + (source - piece.source_start)
        } else {
            piece.text_start
        })
    }
}

/// A hyperlink (`<a href>`, `[text](url)`, autolink, bare URL in text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target as written (entities decoded), e.g. `https://creativecommons.org/licenses/by/4.0/`.
    pub href: String,
    /// The visible link text.
    pub text: String,
    /// The `rel` attribute's tokens, lowercased (`license`, `cc:attributionurl`, `dct:source`).
    pub rel: Vec<String>,
    /// The whole link in the source (`<a …>…</a>` or `[…](…)`).
    pub span: Span,
    /// Where the link sits in the page.
    pub context: Context,
    /// The CSS classes of the link and its nearest ancestors (lowercased), for `.byline`, `.sponsored`…
    pub classes: Vec<String>,
}

impl Link {
    /// A bare URL found in text: the URL is both target and visible text.
    pub fn bare(url: String, span: Span, context: Context, classes: Vec<String>) -> Link {
        Link {
            href: url.clone(),
            text: url,
            rel: Vec::new(),
            span,
            context,
            classes,
        }
    }
}

/// An image (`<img>`, `![alt](src)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The image URL as written.
    pub src: String,
    /// The alt text.
    pub alt: String,
    /// The `title` attribute (HTML) or link title (Markdown), empty when none; photo credits
    /// sometimes sit here.
    pub title: String,
    /// The whole image element in the source.
    pub span: Span,
    /// Where the image sits in the page.
    pub context: Context,
}

/// What sort of element an [`Embed`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmbedKind {
    /// `<video>`.
    Video,
    /// `<audio>`.
    Audio,
    /// `<iframe>`: a player or viewer from another site.
    Frame,
}

/// A video, an audio player or an embedded frame (`<video>`, `<audio>`, `<iframe>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    /// What element it is.
    pub kind: EmbedKind,
    /// The media URL as written: the element's `src`, else its first `<source src>`.
    pub src: String,
    /// The `title` attribute, empty when none.
    pub title: String,
    /// The element's start tag in the source.
    pub span: Span,
    /// Where it sits in the page.
    pub context: Context,
}

/// Where a metadata value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetaOrigin {
    /// YAML, TOML or JSON front matter.
    FrontMatter,
    /// `<meta name|property=… content=…>`.
    MetaTag,
    /// `<link rel=… href=…>` (license, canonical).
    LinkRel,
    /// A JSON-LD `<script type="application/ld+json">` value.
    JsonLd,
    /// CC REL / RDFa `property=` attributes (`cc:attributionName`, `dct:title`…).
    Rdfa,
    /// `<title>`.
    Title,
    /// An HTML comment (`<!-- … -->`, also in Markdown); key `comment`, value the comment body,
    /// span the whole comment. Kept so that suppression comments can be found later.
    Comment,
}

/// A metadata value with its key and span.
///
/// Keys are lowercased as written, with the origin's prefix where one is natural:
/// front matter `author`, `source`, `license`; meta `og:url`, `author`, `dcterms.license`;
/// link `license`, `canonical`; JSON-LD `license`, `author`, `isbasedon` (nested objects
/// flattened with `.`: `author.name`); RDFa `cc:attributionname`, `dct:title`; title `title`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The key, lowercased.
    pub key: String,
    /// The value as text (lists are split into one `Meta` per item).
    pub value: String,
    /// The span of the value in the source (or of the whole element when the value has none).
    pub span: Span,
    /// Where it came from.
    pub origin: MetaOrigin,
}

/// Something the extractor noticed while parsing that the user should know (broken front
/// matter, unclosed markup, lossy decoding); reported but not a rule violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseNote {
    /// What happened, e.g. `front matter is not valid YAML: …`.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// A parsed post: everything `detect` needs, nothing more.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Text blocks in reading order.
    pub blocks: Vec<Block>,
    /// Links in reading order.
    pub links: Vec<Link>,
    /// Images in reading order.
    pub images: Vec<Image>,
    /// Videos, audio players and frames in reading order.
    pub embeds: Vec<Embed>,
    /// Metadata values in source order.
    pub meta: Vec<Meta>,
    /// The declared language (`<html lang>`, front matter `lang`/`language`), lowercased.
    pub lang: Option<String>,
    /// Parse problems worth telling the user.
    pub notes: Vec<ParseNote>,
}

impl Document {
    /// The first metadata value for `key` (lowercase).
    pub fn meta_value(&self, key: &str) -> Option<&Meta> {
        self.meta.iter().find(|m| m.key == key)
    }
}

#[cfg(test)]
impl Document {
    /// A post of one block, `text` verbatim at byte `at` of its source, for detector tests.
    pub(crate) fn one_block(text: &str, at: usize, context: Context) -> Document {
        Document {
            blocks: vec![Block::verbatim(
                text,
                Span::new(at, at + text.len()),
                context,
            )],
            ..Document::default()
        }
    }
}

/// Parse a source into a document according to its format.
pub fn extract(source: &Source) -> Document {
    match source.format {
        Format::Html => html::extract(&source.text),
        Format::Markdown => markdown::extract(&source.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_span_maps_through_entities() {
        // text "A & B" from source "A &amp; B" at offset 10
        let block = Block {
            text: "A & B".into(),
            span: Span::new(10, 19),
            context: Context::Body,
            pieces: vec![
                Piece {
                    text_start: 0,
                    text_len: 2,
                    source_start: 10,
                    source_len: 2,
                },
                Piece {
                    text_start: 2,
                    text_len: 1,
                    source_start: 12,
                    source_len: 5,
                },
                Piece {
                    text_start: 3,
                    text_len: 2,
                    source_start: 17,
                    source_len: 2,
                },
            ],
        };
        assert_eq!(block.source_span(0, 1), Span::new(10, 11));
        assert_eq!(block.source_span(2, 3), Span::new(12, 17));
        assert_eq!(block.source_span(4, 5), Span::new(18, 19));
        assert_eq!(block.source_span(0, 5), Span::new(10, 19));
    }
}
