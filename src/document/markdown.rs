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
use super::text::{TextBuf, collapse};
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
        let mut text = collapse(self.text);
        if text.is_empty() {
            text = collapse(self.alt);
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
            Tag::Image {
                dest_url, title, ..
            } => self.images.push(Image {
                src: dest_url.trim().to_owned(),
                alt: String::new(),
                title: title.trim().to_owned(),
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
                    // Every block goes to the HTML extractor, a lone `<iframe>` too: its `src`
                    // is a medium when it is a player (see `detect::media`).
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
        let blank = text.chars().all(char::is_whitespace);
        if blank && (self.buf.text.is_empty() || context != self.buf_context) {
            return;
        }
        if !self.buf.text.is_empty() && context != self.buf_context {
            self.flush();
        }
        self.buf_context = context;
        let raw = self.text.get(span.start..span.end).unwrap_or_default();
        let before = self.buf.text.len();
        // Usually the text is the raw source itself: skip the substring search (whose setup
        // alone costs as much as the text is long).
        let found = if raw.starts_with(text) {
            Some(0)
        } else {
            raw.find(text)
        };
        // Text found in its source is the source itself when the lengths agree; otherwise it is
        // still a verbatim stretch unless the source has something to decode.
        let verbatim = found.filter(|_| {
            raw.len() == text.len() || memchr::memchr2(b'&', b'\\', raw.as_bytes()).is_none()
        });
        match verbatim {
            Some(at) => self.buf.push_source(text, span.start + at),
            None => self.buf.push_aligned(raw, span.start, text, true),
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
        for (url, span) in self.buf.bare_urls_since(before) {
            let classes = Vec::new();
            self.doc.links.push(Link::bare(url, span, context, classes));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::MetaOrigin;
    use crate::document::html::tests::assert_spans_valid;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    fn blocks(doc: &Document) -> Vec<(&str, Context)> {
        doc.blocks
            .iter()
            .map(|b| (b.text.as_str(), b.context))
            .collect()
    }

    fn links(text: &str, doc: &Document) -> Vec<(String, String, String)> {
        doc.links
            .iter()
            .map(|l| {
                (
                    l.href.clone(),
                    l.text.clone(),
                    slice(text, l.span).to_owned(),
                )
            })
            .collect()
    }

    fn triples(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        list.iter()
            .map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into()))
            .collect()
    }

    #[test]
    fn links_images_autolinks_and_bare_urls() {
        let text = "Under [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/), see <https://a.org/x> \
            and https://b.org/y. Also [ref][r].\n\n![A cat](cat.jpg \"t\")\n\n[r]: https://c.org/z\n";
        let doc = extract(text);
        assert_eq!(
            links(text, &doc),
            triples(&[
                (
                    "https://creativecommons.org/licenses/by/4.0/",
                    "CC BY 4.0",
                    "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)"
                ),
                ("https://a.org/x", "https://a.org/x", "<https://a.org/x>"),
                ("https://b.org/y", "https://b.org/y", "https://b.org/y"),
                ("https://c.org/z", "ref", "[ref][r]"),
            ])
        );
        let image = &doc.images[0];
        assert_eq!(
            (image.src.as_str(), image.alt.as_str()),
            ("cat.jpg", "A cat")
        );
        assert_eq!(slice(text, image.span), "![A cat](cat.jpg \"t\")");
        assert_eq!(
            doc.blocks[0].text,
            "Under CC BY 4.0, see https://a.org/x and https://b.org/y. Also ref."
        );
        assert_eq!(doc.blocks.len(), 1);
    }

    #[test]
    fn contexts() {
        let text = "# Title\n\nBody `code` text\n\n> quoted\n\n```\nlet x = 1;\n```\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| c | d |\n";
        let doc = extract(text);
        assert_eq!(
            blocks(&doc),
            [
                ("Title", Context::Heading),
                ("Body", Context::Body),
                ("code", Context::Code),
                ("text", Context::Body),
                ("quoted", Context::Blockquote),
                ("let x = 1;", Context::Code),
                ("item one", Context::Body),
                ("item two", Context::Body),
                ("a", Context::Body),
                ("b", Context::Body),
                ("c", Context::Body),
                ("d", Context::Body),
            ]
        );
        let code = &doc.blocks[2];
        assert_eq!(slice(text, code.span), "code");
    }

    #[test]
    fn escapes_and_entities_map_back() {
        let text = "Licensed \\*CC&nbsp;BY\\* 4.0 &amp; more\n";
        let doc = extract(text);
        let block = &doc.blocks[0];
        assert_eq!(block.text, "Licensed *CC\u{a0}BY* 4.0 & more");
        let at = block.text.find("CC").unwrap();
        let span = block.source_span(at, at + "CC\u{a0}BY".len());
        assert_eq!(slice(text, span), "CC&nbsp;BY");
        let amp = block.text.find('&').unwrap();
        assert_eq!(slice(text, block.source_span(amp, amp + 1)), "&amp;");
        assert_eq!(
            slice(text, block.span),
            "Licensed \\*CC&nbsp;BY\\* 4.0 &amp; more"
        );
    }

    #[test]
    fn embedded_html_is_shifted() {
        let text = "Intro line.\n\n<div class=\"credit\">\n<p>Photo by <a href=\"https://x.org/p\" rel=\"license\">Bo</a></p>\n</div>\n\n\
            Text with <a href=\"https://y.org\">inline link</a> here.\n\n<!-- ccguard-disable missing-title -->\n";
        let doc = extract(text);
        assert_eq!(
            links(text, &doc),
            triples(&[
                (
                    "https://x.org/p",
                    "Bo",
                    "<a href=\"https://x.org/p\" rel=\"license\">Bo</a>"
                ),
                (
                    "https://y.org",
                    "inline link",
                    "<a href=\"https://y.org\">inline link</a>"
                ),
            ])
        );
        assert_eq!(doc.links[0].rel, ["license"]);
        assert_eq!(
            blocks(&doc),
            [
                ("Intro line.", Context::Body),
                ("Photo by Bo", Context::Body),
                ("Text with inline link here.", Context::Body),
            ]
        );
        assert_eq!(
            slice(text, doc.blocks[1].span),
            "Photo by <a href=\"https://x.org/p\" rel=\"license\">Bo"
        );
        let comment = doc.meta_value("comment").unwrap();
        assert_eq!(comment.origin, MetaOrigin::Comment);
        assert_eq!(
            slice(text, comment.span),
            "<!-- ccguard-disable missing-title -->"
        );
    }

    #[test]
    fn an_iframe_block_is_an_embed_and_keeps_its_rdfa() {
        let text = "Text.\n\n<iframe src=\"https://player.vimeo.com/video/1\" title=\"Talk\"></iframe>\n\n\
                    <iframe property=\"dc:title\" content=\"T\"></iframe>\n";
        let doc = extract(text);
        assert_eq!(doc.embeds.len(), 1);
        assert_eq!(doc.embeds[0].src, "https://player.vimeo.com/video/1");
        assert_eq!(doc.embeds[0].title, "Talk");
        assert_eq!(
            slice(text, doc.embeds[0].span),
            "<iframe src=\"https://player.vimeo.com/video/1\" title=\"Talk\">"
        );
        assert_eq!(extract(text).meta_value("dc:title").unwrap().value, "T");
    }

    #[test]
    fn html_block_cut_inside_a_tag_is_not_a_problem() {
        let text = "<span class=\"a\"\n\ndata-x=\"y\">text</span>\n";
        assert!(extract(text).notes.is_empty());
    }

    #[test]
    fn inline_comment_in_paragraph() {
        let text = "See <!-- ccguard-disable-next-line x --> this.\n";
        let doc = extract(text);
        let comment = doc.meta_value("comment").unwrap();
        assert_eq!(
            slice(text, comment.span),
            "<!-- ccguard-disable-next-line x -->"
        );
    }

    #[test]
    fn front_matter_then_body() {
        let text =
            "---\ntitle: \"Día\"\nsource: https://x.org/a\nlang: es\n---\n\nCuerpo del texto.\n";
        let doc = extract(text);
        assert_eq!(slice(text, doc.meta_value("title").unwrap().span), "Día");
        assert_eq!(
            slice(text, doc.meta_value("source").unwrap().span),
            "https://x.org/a"
        );
        assert_eq!(doc.lang.as_deref(), Some("es"));
        assert_eq!(blocks(&doc), [("Cuerpo del texto.", Context::Body)]);
        assert!(doc.links.is_empty());
    }

    #[test]
    fn broken_front_matter_still_extracts_the_body() {
        let text = "---\ntitle: [unclosed\n---\nBody.\n";
        let doc = extract(text);
        assert_eq!(doc.notes.len(), 1);
        assert!(
            doc.notes[0]
                .message
                .starts_with("front matter is not valid YAML")
        );
        assert_eq!(blocks(&doc), [("Body.", Context::Body)]);
    }

    #[test]
    fn toml_and_json_front_matter_spans() {
        let text = "+++\nauthor = \"Zoë\"\n+++\nBody\n";
        let doc = extract(text);
        assert_eq!(slice(text, doc.meta_value("author").unwrap().span), "Zoë");
        let text = "{\n\"translator\": \"Li\"\n}\nBody\n";
        let doc = extract(text);
        assert_eq!(
            slice(text, doc.meta_value("translator").unwrap().span),
            "Li"
        );
        assert_eq!(blocks(&doc), [("Body", Context::Body)]);
    }

    #[test]
    fn non_ascii_and_crlf() {
        let text = "# 标题\r\n\r\n翻译自 [原文](https://x.cn/文章)，作者 José.\r\nline two\r\n";
        let doc = extract(text);
        assert_eq!(blocks(&doc)[0], ("标题", Context::Heading));
        let block = &doc.blocks[1];
        assert_eq!(block.text, "翻译自 原文，作者 José.\nline two");
        let at = block.text.find("José").unwrap();
        assert_eq!(
            slice(text, block.source_span(at, at + "José".len())),
            "José"
        );
        let nl = block.text.find('\n').unwrap();
        assert_eq!(slice(text, block.source_span(nl, nl + 1)), "\r\n");
        assert_eq!(links(text, &doc)[0].2, "[原文](https://x.cn/文章)");
        assert_spans_valid(text, &doc);
    }

    #[test]
    fn robustness() {
        let start = std::time::Instant::now();
        for text in [
            String::new(),
            "\0\n\0 [a\0](b\0)".to_owned(),
            "<!-- never closed\n\ntext".to_owned(),
            "---\n".to_owned(),
            "> ".repeat(10_000),
            "[".repeat(50_000),
            "<div>".repeat(100_000),
            "word &amp; https://x.org/a ".repeat(180_000),
        ] {
            let doc = extract(&text);
            assert_spans_valid(&text, &doc);
        }
        assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    }
}
