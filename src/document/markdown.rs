//! Markdown extraction with pulldown-cmark's offset iterator; embedded HTML is re-extracted at
//! its offset.
//!
//! One block per paragraph, heading, list item, table cell and code block, text joined across
//! inline events with [`super::Piece`]s (Text events can differ from their source because of
//! escapes and entities, so each run is aligned with its source slice). Context: code blocks
//! and inline code are [`Context::Code`], headings [`Context::Heading`], anything inside `>`
//! [`Context::Blockquote`], the rest [`Context::Body`]. Links come from `[t](url)`, reference
//! links, `<url>` autolinks, inline `<a href>…</a>` and bare `http(s)://` URLs in text.
//! HTML blocks go through the HTML extractor with spans into this file.

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::front_matter::{self, FrontMatter, Kind};
use super::html::{self, InlineHtml};
use super::text::{TextBuf, bare_urls};
use super::{Context, Document, Image, Link};
use crate::source::Span;

/// Parse a Markdown post (with optional front matter).
pub fn extract(text: &str) -> Document {
    let mut doc = Document::default();
    let mut base = 0;
    if let Some(fm) = front_matter::split(text) {
        front_matter::extract(text, &fm, &mut doc);
        base = fm.end;
    }
    let body = text.get(base..).unwrap_or_default();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut walker = Walker {
        text,
        doc: &mut doc,
        buf: TextBuf::default(),
        buf_context: Context::Body,
        heading: 0,
        code: 0,
        quote: 0,
        links: Vec::new(),
        html_link: None,
        images: Vec::new(),
        metadata: None,
        html_block: None,
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        walker.event(event, Span::new(range.start + base, range.end + base));
    }
    walker.finish();
    doc
}

/// A link whose end has not been seen yet.
#[derive(Debug)]
struct PendingLink {
    href: String,
    rel: Vec<String>,
    classes: Vec<String>,
    span: Span,
    context: Context,
    text: String,
    /// Alt text of images inside, used when the link has no text (license badges).
    alt: String,
}

impl PendingLink {
    fn new(href: String, span: Span, context: Context) -> Self {
        PendingLink {
            href,
            rel: Vec::new(),
            classes: Vec::new(),
            span,
            context,
            text: String::new(),
            alt: String::new(),
        }
    }

    fn into_link(self) -> Link {
        let mut text = collapse(&self.text);
        if text.is_empty() {
            text = collapse(&self.alt);
        }
        Link {
            href: self.href,
            text,
            rel: self.rel,
            span: self.span,
            context: self.context,
            classes: self.classes,
        }
    }
}

struct Walker<'t, 'd> {
    text: &'t str,
    doc: &'d mut Document,
    buf: TextBuf,
    buf_context: Context,
    heading: usize,
    code: usize,
    quote: usize,
    /// Markdown links being read (a link can hold an image, not another link).
    links: Vec<PendingLink>,
    /// An inline `<a href>` being read.
    html_link: Option<PendingLink>,
    /// Images being read: their text events are alt text, not page text.
    images: Vec<Image>,
    /// A metadata block pulldown-cmark found and [`front_matter::split`] did not.
    metadata: Option<(Kind, Option<Span>)>,
    html_block: Option<Span>,
}

impl Walker<'_, '_> {
    fn context(&self) -> Context {
        if self.code > 0 {
            Context::Code
        } else if self.heading > 0 {
            Context::Heading
        } else if self.quote > 0 {
            Context::Blockquote
        } else {
            Context::Body
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(tag) => self.end(tag, span),
            Event::Text(t) => self.text_event(&t, span),
            Event::Code(t) => self.add(&t, span, Context::Code),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.add(&t, span, self.context()),
            Event::InlineHtml(_) => self.inline_html(span),
            Event::SoftBreak | Event::HardBreak => self.line_break(span),
            Event::Rule => self.flush(),
            Event::Html(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        match tag {
            Tag::Link { dest_url, .. } => {
                let link = PendingLink::new(dest_url.trim().to_owned(), span, self.context());
                self.links.push(link);
            }
            Tag::Image { dest_url, .. } => self.images.push(Image {
                src: dest_url.trim().to_owned(),
                alt: String::new(),
                span,
                context: self.context(),
            }),
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => {}
            Tag::MetadataBlock(kind) => {
                self.flush();
                let kind = match kind {
                    MetadataBlockKind::YamlStyle => Kind::Yaml,
                    MetadataBlockKind::PlusesStyle => Kind::Toml,
                };
                self.metadata = Some((kind, None));
            }
            Tag::HtmlBlock => {
                self.flush();
                self.html_block = Some(span);
            }
            Tag::Heading { .. } => {
                self.flush();
                self.heading += 1;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code += 1;
            }
            _ => self.flush(),
        }
    }

    fn end(&mut self, tag: TagEnd, span: Span) {
        match tag {
            TagEnd::Link => {
                if let Some(link) = self.links.pop() {
                    self.doc.links.push(link.into_link());
                }
            }
            TagEnd::Image => {
                if let Some(image) = self.images.pop() {
                    if let Some(link) = self.links.last_mut() {
                        link.alt.push_str(&image.alt);
                    }
                    self.doc.images.push(image);
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {}
            TagEnd::MetadataBlock(_) => {
                if let Some((kind, Some(body))) = self.metadata.take() {
                    let fm = FrontMatter {
                        kind,
                        body,
                        end: span.end,
                    };
                    front_matter::extract(self.text, &fm, self.doc);
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(start) = self.html_block.take() {
                    let end = start.end.max(span.end);
                    html::extract_range(self.text, start.start, end, self.doc);
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = self.heading.saturating_sub(1);
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                self.flush();
                self.code = self.code.saturating_sub(1);
            }
            _ => {
                self.finish_html_link(span.end);
                self.flush();
            }
        }
    }

    fn text_event(&mut self, text: &str, span: Span) {
        if let Some((_, body)) = &mut self.metadata {
            *body = Some(body.map_or(span, |b| b.join(span)));
            return;
        }
        if let Some(image) = self.images.last_mut() {
            image.alt.push_str(text);
            return;
        }
        self.add(text, span, self.context());
    }

    /// Add the text of an event spanning `span` to the current block.
    fn add(&mut self, text: &str, span: Span, context: Context) {
        let blank = text.trim().is_empty();
        if blank && (self.buf.text.is_empty() || context != self.buf_context) {
            return;
        }
        if !self.buf.text.is_empty() && context != self.buf_context {
            self.flush();
        }
        self.buf_context = context;
        let raw = self.text.get(span.start..span.end).unwrap_or_default();
        let before = self.buf.text.len();
        let needs_decoding = raw.contains(['&', '\\']);
        match raw.find(text) {
            Some(at) if raw == text || !needs_decoding => {
                self.buf.push_aligned(text, span.start + at, text, false);
            }
            _ => self.buf.push_aligned(raw, span.start, text, true),
        }
        let added = &self.buf.text[before..];
        for link in self.links.iter_mut().chain(&mut self.html_link) {
            link.text.push_str(added);
        }
        let in_link = !self.links.is_empty() || self.html_link.is_some();
        if !in_link && context != Context::Code {
            self.bare_links(before, context);
        }
    }

    /// Links for bare URLs in the text added to the block since `before`.
    fn bare_links(&mut self, before: usize, context: Context) {
        let added = &self.buf.text[before..];
        for (start, end) in bare_urls(added) {
            let url = added[start..end].to_owned();
            let span = self.buf.span_of(before + start, before + end);
            self.doc.links.push(Link {
                href: url.clone(),
                text: url,
                rel: Vec::new(),
                span,
                context,
                classes: Vec::new(),
            });
        }
    }

    fn line_break(&mut self, span: Span) {
        if self.buf.text.is_empty() {
            return;
        }
        let raw = self.text.get(span.start..span.end).unwrap_or_default();
        if raw == "\n" {
            self.buf.push_verbatim("\n", span.start);
        } else {
            self.buf.push_mapped("\n", span);
        }
        for link in self.links.iter_mut().chain(&mut self.html_link) {
            link.text.push(' ');
        }
    }

    fn inline_html(&mut self, span: Span) {
        let context = self.context();
        for item in html::inline_html(self.text, span.start, span.end, context) {
            match item {
                InlineHtml::LinkOpen {
                    href,
                    rel,
                    classes,
                    start,
                } => {
                    self.finish_html_link(start);
                    let mut link = PendingLink::new(href, Span::new(start, start), context);
                    link.rel = rel;
                    link.classes = classes;
                    self.html_link = Some(link);
                }
                InlineHtml::LinkClose { end } => self.finish_html_link(end),
                InlineHtml::Break(span) => {
                    if !self.buf.text.is_empty() {
                        self.buf.push_mapped("\n", span);
                    }
                }
                InlineHtml::Image(image) => {
                    if let Some(link) = &mut self.html_link {
                        link.alt.push_str(&image.alt);
                    }
                    self.doc.images.push(image);
                }
                InlineHtml::Comment(meta) => self.doc.meta.push(meta),
            }
        }
    }

    fn finish_html_link(&mut self, end: usize) {
        if let Some(mut link) = self.html_link.take() {
            link.span.end = end.max(link.span.start);
            self.doc.links.push(link.into_link());
        }
    }

    fn flush(&mut self) {
        if let Some(block) = self.buf.take_block(self.buf_context) {
            self.doc.blocks.push(block);
        }
    }

    fn finish(mut self) {
        self.finish_html_link(self.text.len());
        self.flush();
    }
}

/// Whitespace runs collapsed to single spaces, ends trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
