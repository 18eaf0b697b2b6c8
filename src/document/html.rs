//! HTML extraction from html5gum tokens, which carry exact byte spans.
//!
//! One pass over the token stream with a small open-element stack (capped at [`MAX_DEPTH`], so
//! absurd nesting costs nothing) that decides each text run's [`Context`]:
//! code (`pre`, `code`, `textarea`, `template`) beats site chrome (`nav`, `aside`, `header` and
//! `footer` outside `article`/`main`, and elements whose class or id names a sidebar, widget,
//! menu, comments, breadcrumb or site footer/header), which beats captions (`figure`,
//! `figcaption`, `.caption`, `.wp-caption-text`), headings and blockquotes; the rest is body.
//! Text is joined across inline tags into one block per block-level element, with entities
//! decoded and mapped back through [`super::Piece`]s. Links, images, `<meta>`, `<link rel>`,
//! `<title>`, JSON-LD, CC REL `RDFa` `property=` values, comments and `lang` are collected on the
//! way. Not a tree builder: misnested markup is tolerated, not repaired.

use std::borrow::Cow;
use std::collections::HashMap;

use html5gum::{DefaultEmitter, Error as HtmlError, HtmlString, StartTag, Token, Tokenizer};

use super::front_matter::{self, Kind};
use super::structured::json_ld;
use super::text::{TextBuf, collapse};
use super::{Context, Document, Embed, EmbedKind, Image, Link, Meta, MetaOrigin, ParseNote};
use crate::source::Span;

/// Deepest element nesting tracked; deeper elements are counted but not pushed.
const MAX_DEPTH: usize = 512;
/// Most `RDFa` `property` elements read at once (they nest rarely and shallowly).
const MAX_CAPTURES: usize = 16;
/// How many enclosing elements contribute their classes to a link.
const CLASS_ANCESTORS: usize = 4;

/// Contexts an element can impose, strongest first; an element stores an index into this.
const PRIORITY: [Context; 5] = [
    Context::Code,
    Context::Chrome,
    Context::Caption,
    Context::Heading,
    Context::Blockquote,
];

/// Class or id tokens that mark site chrome (as `WordPress`, `Wix` and common themes name them).
const CHROME_NAMES: &[&str] = &[
    "widget",
    "sidebar",
    "site-footer",
    "site-header",
    "site_footer",
    "site_header",
    "footer",
    "comments",
    "comments-area",
    "comment-list",
    "commentlist",
    "comment-respond",
    "menu",
    "nav-menu",
    "navbar",
    "navigation",
    "main-navigation",
    "site-navigation",
    "breadcrumb",
    "breadcrumbs",
    "sharedaddy",
    "share-buttons",
    "social-share",
    "jp-relatedposts",
    "related-posts",
];

/// `<link rel>` tokens that say nothing about a post (styles, icons, preloading).
const IGNORED_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "modulepreload",
    "pingback",
    "edituri",
    "wlwmanifest",
];

/// Parse an HTML page (with optional YAML or TOML front matter, as in Jekyll/Hugo layouts).
pub fn extract(text: &str) -> Document {
    let mut doc = Document::default();
    let mut start = 0;
    if let Some(fm) = front_matter::split(text).filter(|fm| fm.kind != Kind::Json) {
        front_matter::extract(text, &fm, &mut doc);
        start = fm.end;
    }
    extract_range(text, start, text.len(), &mut doc);
    doc
}

/// Extract the HTML in `text[start..end]` into `doc`, with spans into the whole `text`
/// (for HTML embedded in Markdown).
pub(crate) fn extract_range(text: &str, start: usize, end: usize, doc: &mut Document) {
    let Some(fragment) = text.get(start..end) else {
        return;
    };
    let mut walker = Walker::new(text, start, end, doc);
    let fragment = break_attribute_chains(fragment);
    for token in tokens(&fragment) {
        walker.token(token);
    }
    walker.finish();
}

/// Tokens of `fragment` with spans relative to it; script/style/title contents are raw text.
/// Give it the text as [`break_attribute_chains`] returns it: html5gum recurses per attribute.
fn tokens(fragment: &str) -> impl Iterator<Item = Token<usize>> + '_ {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(fragment, emitter).filter_map(Result::ok)
}

/// Most attributes html5gum reads in one chain of nested calls before [`break_attribute_chains`]
/// makes it return: far more than real tags carry, few enough for any thread's stack.
const MAX_CHAINED_ATTRIBUTES: usize = 64;

/// `fragment` with the chains of nested calls html5gum 0.9 makes in a tag broken up, so that no
/// tag can overflow the stack.
///
/// html5gum's tokenizer calls the next state directly, without returning, from the space after a
/// double-quoted attribute value through the next attribute's name, `=` and double-quoted value:
/// a tag of N attributes written `a="…" b="…"` nests N calls, and a ten-thousand-attribute tag
/// overflowed a worker's stack (the process aborts; nothing can catch that). The chain is the
/// byte pattern `"` SPACE+ NAME `=` SPACE* `"` VALUE `"` repeated, with NAME free of spaces, `/`,
/// `>` and `=`, and VALUE free of `"` and `&` (a character reference returns to the loop).
/// Every run of that pattern is followed here from each `"` (context-free, so a chain in a tag is
/// always among them; runs in text are too, harmlessly), and after every
/// [`MAX_CHAINED_ATTRIBUTES`] links the space after a closing quote becomes `/`. The tokenizer
/// reads that `/` as a stray solidus in the tag: it returns to its loop and reads the next
/// attribute as before. Nothing is dropped and no byte moves (every span stays right): the tag
/// keeps every attribute, with its name and value (`rel=license` and `href` included); the only
/// change a checked post can see is a space turned into `/` inside an absurd run of sixty-four
/// `name="value"`s in text or in an attribute value written like one.
fn break_attribute_chains(fragment: &str) -> Cow<'_, str> {
    let bytes = fragment.as_bytes();
    // The chain length reached at quotes still ahead: the closing quotes of links that start at
    // quotes already seen. Chains are disjoint (a quote closes at most one link), and only the
    // few links that overlap the current position are pending at once.
    let mut pending: Vec<(usize, usize)> = Vec::new();
    let mut breaks = Vec::new();
    for at in memchr::memchr_iter(b'"', bytes) {
        let mut length = 0;
        if let Some(i) = pending.iter().position(|&(close, _)| close == at) {
            length = pending.swap_remove(i).1;
        }
        let Some(close) = link_after(bytes, at) else {
            continue;
        };
        if length >= MAX_CHAINED_ATTRIBUTES {
            breaks.push(at + 1);
            length = 0;
        }
        pending.push((close, length + 1));
    }
    if breaks.is_empty() {
        return Cow::Borrowed(fragment);
    }
    let mut unchained = String::with_capacity(fragment.len());
    let mut from = 0;
    for at in breaks {
        // `at` is an ASCII space, so a character boundary on both sides.
        unchained.push_str(&fragment[from..at]);
        unchained.push('/');
        from = at + 1;
    }
    unchained.push_str(&fragment[from..]);
    Cow::Owned(unchained)
}

/// The closing quote of the chained attribute that follows the quote at `at`: `"` SPACE+ NAME
/// `=` SPACE* `"` VALUE `"` (see [`break_attribute_chains`]), or `None` when the bytes from `at`
/// do not read that way.
fn link_after(bytes: &[u8], at: usize) -> Option<usize> {
    // What html5gum takes for whitespace in a tag (it reads `\r` as `\n`).
    let is_space = |b: &u8| matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    let skip = |from: usize, take: &dyn Fn(&u8) -> bool| {
        from + bytes
            .get(from..)
            .map_or(0, |rest| rest.iter().take_while(|b| take(b)).count())
    };
    let name = skip(at + 1, &is_space);
    if name == at + 1 {
        return None;
    }
    let equals = skip(name, &|b| !is_space(b) && !matches!(b, b'/' | b'>' | b'='));
    if equals == name || bytes.get(equals) != Some(&b'=') {
        return None;
    }
    let open = skip(equals + 1, &is_space);
    if bytes.get(open) != Some(&b'"') {
        return None;
    }
    let value = bytes.get(open + 1..)?;
    let end = open + 1 + memchr::memchr2(b'"', b'&', value)?;
    (bytes.get(end) == Some(&b'"')).then_some(end)
}

/// An element on the open-element stack.
#[derive(Debug)]
struct Open {
    name: Vec<u8>,
    /// Where its start tag begins.
    start: usize,
    /// Index into [`PRIORITY`] of the context it imposes.
    context: Option<usize>,
    /// Its text is not page text (script, style, svg…).
    skip: bool,
    json_ld: bool,
    title: bool,
    /// `article` or `main`: its `header`/`footer` belong to the post.
    article: bool,
    block: bool,
    /// Lowercased class attribute.
    classes: String,
}

/// An `<a href>` whose end has not been seen yet.
#[derive(Debug)]
struct PendingLink {
    href: String,
    rel: Vec<String>,
    classes: Vec<String>,
    start: usize,
    context: Context,
    text: String,
    /// Alt text of images inside, used when the link has no text (license badges).
    alt: String,
    /// Stack index of the `a` element, when it was pushed.
    depth: Option<usize>,
}

/// An `RDFa` `property=` element whose text is its value.
#[derive(Debug)]
struct Capture {
    keys: Vec<String>,
    depth: usize,
    text: String,
    span: Option<Span>,
}

/// Where a fragment sits in the whole text: html5gum spans are relative to the fragment.
#[derive(Debug, Clone, Copy)]
struct Frame<'t> {
    text: &'t str,
    base: usize,
    end: usize,
}

impl Frame<'_> {
    fn shift(self, span: html5gum::Span<usize>) -> Span {
        Span::new(
            (span.start + self.base).min(self.end),
            (span.end + self.base).min(self.end),
        )
    }

    /// An attribute's decoded value and the span of the value in the source.
    fn attr(self, tag: &StartTag<usize>, name: &[u8]) -> Option<(String, Span)> {
        let attr = tag.attributes.get(name)?;
        let value = String::from_utf8_lossy(&attr.value).into_owned();
        let span = value_span(self.text, self.shift(attr.span), self.shift(tag.span));
        Some((value, span))
    }

    /// The image of an `<img>` tag spanning `span`, when it has a usable source.
    fn image(self, tag: &StartTag<usize>, span: Span, context: Context) -> Option<Image> {
        let src = [&b"src"[..], b"data-src", b"data-lazy-src", b"data-original"]
            .iter()
            .filter_map(|name| self.attr(tag, name))
            .map(|(s, _)| s.trim().to_owned())
            .find(|s| !s.is_empty() && !s.starts_with("data:"))?;
        let alt = self.attr(tag, b"alt").map(|(a, _)| a).unwrap_or_default();
        let title = self
            .attr(tag, b"title")
            .map(|(t, _)| t.trim().to_owned())
            .unwrap_or_default();
        Some(Image {
            src,
            alt,
            title,
            span,
            context,
        })
    }
}

struct Walker<'t, 'd> {
    text: &'t str,
    base: usize,
    end: usize,
    doc: &'d mut Document,
    stack: Vec<Open>,
    /// How many elements of each name are on the stack, so stray end tags cost O(1).
    open_names: HashMap<Vec<u8>, usize>,
    /// Start tags seen beyond [`MAX_DEPTH`] and not closed yet.
    overflow: usize,
    /// How many open elements impose each context of [`PRIORITY`].
    contexts: [usize; PRIORITY.len()],
    skip: usize,
    article: usize,
    buf: TextBuf,
    buf_context: Context,
    link: Option<PendingLink>,
    captures: Vec<Capture>,
    title: Option<(String, Option<Span>)>,
    title_seen: bool,
    meta_lang: Option<String>,
}

impl<'t, 'd> Walker<'t, 'd> {
    fn new(text: &'t str, base: usize, end: usize, doc: &'d mut Document) -> Self {
        Walker {
            text,
            base,
            end,
            doc,
            stack: Vec::new(),
            open_names: HashMap::new(),
            overflow: 0,
            contexts: [0; PRIORITY.len()],
            skip: 0,
            article: 0,
            buf: TextBuf::default(),
            buf_context: Context::Body,
            link: None,
            captures: Vec::new(),
            title: None,
            title_seen: false,
            meta_lang: None,
        }
    }

    fn frame(&self) -> Frame<'t> {
        Frame {
            text: self.text,
            base: self.base,
            end: self.end,
        }
    }

    fn shift(&self, span: html5gum::Span<usize>) -> Span {
        self.frame().shift(span)
    }

    fn context(&self) -> Context {
        PRIORITY
            .iter()
            .zip(self.contexts)
            .find(|(_, count)| *count > 0)
            .map_or(Context::Body, |(c, _)| *c)
    }

    fn token(&mut self, token: Token<usize>) {
        match token {
            Token::StartTag(tag) => self.start_tag(&tag),
            Token::EndTag(tag) => {
                let span = self.shift(tag.span);
                self.end_tag(&tag.name, span);
            }
            Token::String(s) => {
                let span = self.shift(s.span);
                self.string(span, &String::from_utf8_lossy(&s.value));
            }
            Token::Comment(c) => {
                let span = self.shift(c.span);
                self.comment(span, &String::from_utf8_lossy(&c.value));
            }
            // A Markdown HTML block may end inside a tag (at a blank line): nothing is lost then.
            Token::Error(e) if e.value == HtmlError::EofInTag && self.end == self.text.len() => {
                let end = self.end;
                let start = self.text[self.base..end]
                    .rfind('<')
                    .map_or(end, |i| self.base + i);
                self.doc.notes.push(ParseNote {
                    message: "unterminated tag at the end of the file".to_owned(),
                    span: Span::new(start, end),
                });
            }
            Token::Doctype(_) | Token::Error(_) => {}
        }
    }

    // ---- tags ----

    fn start_tag(&mut self, tag: &StartTag<usize>) {
        let span = self.shift(tag.span);
        let name = tag.name.as_slice();
        match name {
            b"meta" => self.meta_tag(tag),
            b"link" => self.link_tag(tag),
            b"img" => self.image(tag, span),
            b"video" => self.embed(tag, span, EmbedKind::Video),
            b"audio" => self.embed(tag, span, EmbedKind::Audio),
            b"iframe" => self.embed(tag, span, EmbedKind::Frame),
            b"source" => self.embed_source(tag),
            b"br" => self.line_break(span),
            b"html" => {
                let lang = self
                    .attr(tag, b"lang")
                    .or_else(|| self.attr(tag, b"xml:lang"));
                if let (None, Some((lang, _))) = (&self.doc.lang, lang) {
                    self.doc.lang = Some(lang.trim().to_lowercase()).filter(|l| !l.is_empty());
                }
            }
            _ => {}
        }
        if name == b"a" {
            self.finish_link(span.start);
            self.open_link(tag, span);
        }
        if name != b"meta" {
            self.rdfa(tag);
        }
        if is_block(name) {
            self.flush();
        }
        if is_void(name) || tag.self_closing {
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.overflow += 1;
            return;
        }
        self.push(tag, span);
    }

    fn push(&mut self, tag: &StartTag<usize>, span: Span) {
        let name = tag.name.as_slice();
        let classes = self
            .attr(tag, b"class")
            .map(|(c, _)| c.to_lowercase())
            .unwrap_or_default();
        let id = self
            .attr(tag, b"id")
            .map(|(c, _)| c.to_lowercase())
            .unwrap_or_default();
        let context = element_context(name, &classes, &id, self.article > 0);
        let skip = matches!(
            name,
            b"script" | b"style" | b"noscript" | b"iframe" | b"svg" | b"object" | b"select"
        );
        let json_ld = name == b"script"
            && self
                .attr(tag, b"type")
                .is_some_and(|(t, _)| t.to_ascii_lowercase().contains("ld+json"));
        let title = name == b"title" && !self.title_seen && self.skip == 0;
        let open = Open {
            name: name.to_vec(),
            start: span.start,
            context,
            skip,
            json_ld,
            title,
            article: matches!(name, b"article" | b"main"),
            block: is_block(name),
            classes,
        };
        if let Some(i) = open.context {
            self.contexts[i] += 1;
        }
        self.skip += usize::from(open.skip);
        self.article += usize::from(open.article);
        if open.title {
            self.title_seen = true;
            self.title = Some((String::new(), None));
        }
        *self.open_names.entry(open.name.clone()).or_insert(0) += 1;
        self.stack.push(open);
    }

    fn end_tag(&mut self, name: &HtmlString, span: Span) {
        let name = name.as_slice();
        if self.overflow > 0 {
            self.overflow -= 1;
            if is_block(name) {
                self.flush();
            }
            return;
        }
        if name == b"br" {
            self.line_break(span);
            return;
        }
        if self.open_names.get(name).is_some_and(|n| *n > 0) {
            while let Some(open) = self.stack.pop() {
                let matched = open.name == name;
                self.close(&open, if matched { span.end } else { span.start });
                if matched {
                    break;
                }
            }
        } else if name == b"a" {
            self.finish_link(span.end);
        }
        if is_block(name) {
            self.flush();
        }
    }

    /// Bookkeeping for an element leaving the stack; its content ended at `end`.
    fn close(&mut self, open: &Open, end: usize) {
        if let Some(n) = self.open_names.get_mut(&open.name) {
            *n = n.saturating_sub(1);
        }
        if let Some(i) = open.context {
            self.contexts[i] = self.contexts[i].saturating_sub(1);
        }
        self.skip -= usize::from(open.skip);
        self.article -= usize::from(open.article);
        let depth = self.stack.len();
        if self.link.as_ref().is_some_and(|l| l.depth == Some(depth)) {
            self.finish_link(end);
        }
        while self.captures.last().is_some_and(|c| c.depth >= depth) {
            self.finish_capture();
        }
        if open.title {
            self.finish_title();
        }
        if open.block {
            self.flush();
        }
    }

    // ---- text ----

    fn string(&mut self, span: Span, decoded: &str) {
        let Some(raw) = self.text.get(span.start..span.end) else {
            return;
        };
        if let Some(top) = self.stack.last() {
            if top.json_ld {
                json_ld(self.text, span, self.doc);
                return;
            }
            if top.title {
                if let Some((title, title_span)) = &mut self.title {
                    title.push_str(decoded);
                    *title_span = Some(title_span.map_or(span, |s| s.join(span)));
                }
                return;
            }
        }
        if self.skip > 0 {
            return;
        }
        let context = self.context();
        let blank = decoded.trim().is_empty();
        if blank && (self.buf.text.is_empty() || context != self.buf_context) {
            return;
        }
        if !self.buf.text.is_empty() && context != self.buf_context {
            self.flush();
        }
        self.buf_context = context;
        let before = self.buf.text.len();
        self.buf.push_aligned(raw, span.start, decoded, false);
        let added = &self.buf.text[before..];
        if let Some(link) = &mut self.link {
            link.text.push_str(added);
        }
        if !blank {
            let trimmed = trim_span(raw, span);
            for capture in &mut self.captures {
                capture.text.push_str(added);
                capture.span = Some(capture.span.map_or(trimmed, |s| s.join(trimmed)));
            }
        }
        if self.link.is_none() && context != Context::Code {
            self.bare_links(before, context);
        }
    }

    /// Links for bare URLs in the text added to the block since `before`.
    fn bare_links(&mut self, before: usize, context: Context) {
        for (url, span) in self.buf.bare_urls_since(before) {
            let classes = self.ancestor_classes(Vec::new());
            self.doc.links.push(Link::bare(url, span, context, classes));
        }
    }

    fn line_break(&mut self, span: Span) {
        if !self.buf.text.is_empty() && self.skip == 0 {
            self.buf.push_mapped("\n", span);
            if let Some(link) = &mut self.link {
                link.text.push(' ');
            }
            for capture in &mut self.captures {
                capture.text.push(' ');
            }
        }
    }

    fn flush(&mut self) {
        if let Some(block) = self.buf.take_block(self.buf_context) {
            self.doc.blocks.push(block);
        }
    }

    fn comment(&mut self, span: Span, body: &str) {
        let raw = self.text.get(span.start..span.end).unwrap_or_default();
        let closed = !raw.starts_with("<!--")
            || ["-->", "--!>"].iter().any(|end| raw.ends_with(end))
            || raw == "<!-->"
            || raw == "<!--->";
        if !closed {
            self.doc.notes.push(ParseNote {
                message: "unterminated HTML comment: everything after it is hidden".to_owned(),
                span,
            });
        }
        if raw.starts_with("<!--") {
            self.doc.meta.push(Meta {
                key: "comment".to_owned(),
                value: body.to_owned(),
                span,
                origin: MetaOrigin::Comment,
            });
        }
    }

    // ---- links, images, metadata ----

    fn open_link(&mut self, tag: &StartTag<usize>, span: Span) {
        let Some((href, _)) = self.attr(tag, b"href") else {
            return;
        };
        let rel = self
            .attr(tag, b"rel")
            .map(|(r, _)| r.split_whitespace().map(str::to_lowercase).collect())
            .unwrap_or_default();
        let own = self
            .attr(tag, b"class")
            .map(|(c, _)| c.split_whitespace().map(str::to_lowercase).collect())
            .unwrap_or_default();
        let pushed = !tag.self_closing && self.stack.len() < MAX_DEPTH;
        self.link = Some(PendingLink {
            href: href.trim().to_owned(),
            rel,
            classes: self.ancestor_classes(own),
            start: span.start,
            context: self.context(),
            text: String::new(),
            alt: String::new(),
            depth: pushed.then_some(self.stack.len()),
        });
    }

    /// `own` followed by the classes of the nearest enclosing elements, without repeats.
    fn ancestor_classes(&self, mut own: Vec<String>) -> Vec<String> {
        let enclosing = self.stack.iter().rev().take(CLASS_ANCESTORS);
        for class in enclosing.flat_map(|o| o.classes.split_whitespace()) {
            if !own.iter().any(|c| c == class) {
                own.push(class.to_owned());
            }
        }
        own
    }

    fn finish_link(&mut self, end: usize) {
        let Some(link) = self.link.take() else {
            return;
        };
        let mut text = collapse(link.text);
        if text.is_empty() {
            text = collapse(link.alt);
        }
        self.doc.links.push(Link {
            href: link.href,
            text,
            rel: link.rel,
            span: Span::new(link.start, end.max(link.start)),
            context: link.context,
            classes: link.classes,
        });
    }

    fn image(&mut self, tag: &StartTag<usize>, span: Span) {
        let Some(image) = self.frame().image(tag, span, self.context()) else {
            return;
        };
        if let Some(link) = &mut self.link {
            link.alt.push_str(&image.alt);
            link.alt.push(' ');
        }
        self.doc.images.push(image);
    }

    /// Record a `<video>`, `<audio>` or `<iframe>`; one without a `src` waits for its first
    /// `<source src>` (see [`Walker::embed_source`]) and is dropped at the end if none came.
    fn embed(&mut self, tag: &StartTag<usize>, span: Span, kind: EmbedKind) {
        let src = self
            .attr(tag, b"src")
            .or_else(|| self.attr(tag, b"data-src"))
            .map(|(s, _)| s.trim().to_owned())
            .unwrap_or_default();
        let title = self
            .attr(tag, b"title")
            .map(|(t, _)| t.trim().to_owned())
            .unwrap_or_default();
        self.doc.embeds.push(Embed {
            kind,
            src,
            title,
            span,
            context: self.context(),
        });
    }

    /// A `<source src>` inside an open `<video>` or `<audio>` that has no `src` of its own
    /// gives it one (`<source srcset>` in `<picture>` is left to the `<img>` inside).
    fn embed_source(&mut self, tag: &StartTag<usize>) {
        let inside = [&b"video"[..], b"audio"]
            .iter()
            .any(|name| self.open_names.get(*name).is_some_and(|n| *n > 0));
        let Some((src, _)) = self.attr(tag, b"src") else {
            return;
        };
        if let Some(embed) = self.doc.embeds.last_mut()
            && inside
            && embed.kind != EmbedKind::Frame
            && embed.src.is_empty()
        {
            src.trim().clone_into(&mut embed.src);
        }
    }

    fn meta_tag(&mut self, tag: &StartTag<usize>) {
        let Some((content, content_span)) = self.attr(tag, b"content") else {
            return;
        };
        let equiv = self.attr(tag, b"http-equiv");
        if equiv.is_some_and(|(e, _)| e.eq_ignore_ascii_case("content-language")) {
            self.meta_lang = content
                .split([',', ' '])
                .find(|l| !l.is_empty())
                .map(str::to_lowercase);
        }
        let mut keys: Vec<String> = Vec::new();
        for attr in [&b"name"[..], b"property", b"itemprop"] {
            if let Some((names, _)) = self.attr(tag, attr) {
                for key in names.split_whitespace().map(str::to_lowercase) {
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        for key in keys {
            self.doc.meta.push(Meta {
                key,
                value: content.clone(),
                span: content_span,
                origin: MetaOrigin::MetaTag,
            });
        }
    }

    fn link_tag(&mut self, tag: &StartTag<usize>) {
        let (Some((rel, _)), Some((href, href_span))) =
            (self.attr(tag, b"rel"), self.attr(tag, b"href"))
        else {
            return;
        };
        for token in rel.split_whitespace().map(str::to_lowercase) {
            if !IGNORED_RELS.contains(&token.as_str()) {
                self.doc.meta.push(Meta {
                    key: token,
                    value: href.trim().to_owned(),
                    span: href_span,
                    origin: MetaOrigin::LinkRel,
                });
            }
        }
    }

    /// CC REL / `RDFa` `property=`: the `content` attribute, or else the element's text.
    fn rdfa(&mut self, tag: &StartTag<usize>) {
        let Some((property, _)) = self.attr(tag, b"property") else {
            return;
        };
        let keys: Vec<String> = property.split_whitespace().map(str::to_lowercase).collect();
        if keys.is_empty() {
            return;
        }
        if let Some((content, span)) = self.attr(tag, b"content") {
            for key in keys {
                self.doc.meta.push(Meta {
                    key,
                    value: content.clone(),
                    span,
                    origin: MetaOrigin::Rdfa,
                });
            }
            return;
        }
        let pushed = !tag.self_closing && !is_void(&tag.name) && self.stack.len() < MAX_DEPTH;
        if pushed && self.captures.len() < MAX_CAPTURES {
            self.captures.push(Capture {
                keys,
                depth: self.stack.len(),
                text: String::new(),
                span: None,
            });
        }
    }

    fn finish_capture(&mut self) {
        let Some(capture) = self.captures.pop() else {
            return;
        };
        let (value, Some(span)) = (collapse(capture.text), capture.span) else {
            return;
        };
        for key in capture.keys {
            self.doc.meta.push(Meta {
                key,
                value: value.clone(),
                span,
                origin: MetaOrigin::Rdfa,
            });
        }
    }

    fn finish_title(&mut self) {
        let Some((title, Some(span))) = self.title.take() else {
            return;
        };
        let raw = self.text.get(span.start..span.end).unwrap_or_default();
        let value = collapse(title);
        if !value.is_empty() {
            self.doc.meta.push(Meta {
                key: "title".to_owned(),
                value,
                span: trim_span(raw, span),
                origin: MetaOrigin::Title,
            });
        }
    }

    fn attr(&self, tag: &StartTag<usize>, name: &[u8]) -> Option<(String, Span)> {
        self.frame().attr(tag, name)
    }

    fn finish(mut self) {
        if let Some(open) = self.stack.last()
            && (open.skip || open.title || open.name == b"textarea")
        {
            let name = String::from_utf8_lossy(&open.name).into_owned();
            self.doc.notes.push(ParseNote {
                message: format!("unclosed <{name}>: everything after it is hidden"),
                span: Span::new(open.start, self.end),
            });
        }
        self.finish_link(self.end);
        self.doc.embeds.retain(|e| !e.src.is_empty());
        while !self.captures.is_empty() {
            self.finish_capture();
        }
        self.finish_title();
        self.flush();
        if self.doc.lang.is_none() {
            self.doc.lang = self.meta_lang.take();
        }
    }
}

/// The span of an attribute's value inside `attr` (`name="value"`), clipped to its tag.
fn value_span(text: &str, attr: Span, tag: Span) -> Span {
    let end = attr.end.min(tag.end);
    let Some(raw) = text.get(attr.start..end) else {
        return Span::new(end, end);
    };
    let Some(eq) = raw.find('=') else {
        return Span::new(end, end);
    };
    let after = &raw[eq + 1..];
    let rest = after.trim_start();
    let start = attr.start + eq + 1 + (after.len() - rest.len());
    if let Some(quote @ ('"' | '\'')) = rest.chars().next() {
        let inner = &rest[1..];
        let len = inner.find(quote).unwrap_or(inner.len());
        return Span::new(start + 1, start + 1 + len);
    }
    let len = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '>')
        .unwrap_or(rest.len());
    Span::new(start, start + len)
}

/// `span` (of `raw`) without leading and trailing whitespace.
fn trim_span(raw: &str, span: Span) -> Span {
    let start = span.start + (raw.len() - raw.trim_start().len());
    let end = span.start + raw.trim_end().len();
    Span::new(start.min(end), end)
}

/// The context an element imposes on its content, as an index into [`PRIORITY`].
fn element_context(name: &[u8], classes: &str, id: &str, in_article: bool) -> Option<usize> {
    let context = match name {
        b"pre" | b"code" | b"textarea" | b"template" => Some(Context::Code),
        b"nav" | b"aside" => Some(Context::Chrome),
        b"header" | b"footer" if !in_article => Some(Context::Chrome),
        b"figure" | b"figcaption" => Some(Context::Caption),
        b"blockquote" => Some(Context::Blockquote),
        b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => Some(Context::Heading),
        // Page-wide wrappers carry theme classes like `has-sidebar`; never chrome.
        b"html" | b"body" | b"main" | b"article" => None,
        _ => {
            let tokens = || classes.split_whitespace().chain(id.split_whitespace());
            if tokens().any(is_chrome_name) {
                Some(Context::Chrome)
            } else if tokens().any(is_caption_name) {
                Some(Context::Caption)
            } else {
                None
            }
        }
    };
    context.and_then(|c| PRIORITY.iter().position(|p| *p == c))
}

fn is_chrome_name(token: &str) -> bool {
    CHROME_NAMES.contains(&token)
        || token.starts_with("widget_")
        || token.starts_with("widget-area")
        || token.starts_with("sidebar-")
        || token.starts_with("menu-")
        || token.ends_with("-sidebar")
        || token.ends_with("-menu")
}

fn is_caption_name(token: &str) -> bool {
    token.split(['-', '_']).any(|word| word == "caption")
}

fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
    )
}

/// Elements whose start and end separate blocks of text.
fn is_block(name: &[u8]) -> bool {
    matches!(
        name,
        b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"body"
            | b"caption"
            | b"center"
            | b"dd"
            | b"details"
            | b"dialog"
            | b"div"
            | b"dl"
            | b"dt"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"header"
            | b"hgroup"
            | b"hr"
            | b"html"
            | b"iframe"
            | b"legend"
            | b"li"
            | b"main"
            | b"menu"
            | b"nav"
            | b"noscript"
            | b"ol"
            | b"option"
            | b"p"
            | b"pre"
            | b"script"
            | b"section"
            | b"select"
            | b"style"
            | b"summary"
            | b"svg"
            | b"table"
            | b"tbody"
            | b"td"
            | b"template"
            | b"textarea"
            | b"tfoot"
            | b"th"
            | b"thead"
            | b"title"
            | b"tr"
            | b"ul"
    )
}

/// A piece of inline HTML inside Markdown, as the Markdown walker needs it.
#[derive(Debug)]
pub(crate) enum InlineHtml {
    /// `<a href>`: the link starts at `start`.
    LinkOpen {
        href: String,
        rel: Vec<String>,
        classes: Vec<String>,
        start: usize,
    },
    /// `</a>`, ending at `end`.
    LinkClose { end: usize },
    /// `<br>`.
    Break(Span),
    /// `<img>`.
    Image(Image),
    /// `<!-- … -->`.
    Comment(Meta),
}

/// Read an inline HTML snippet `text[start..end]` (one tag or comment, usually) for Markdown.
pub(crate) fn inline_html(
    text: &str,
    start: usize,
    end: usize,
    context: Context,
) -> Vec<InlineHtml> {
    let mut items = Vec::new();
    let Some(fragment) = text.get(start..end) else {
        return items;
    };
    let frame = Frame {
        text,
        base: start,
        end,
    };
    let list = |tag: &StartTag<usize>, name: &[u8]| {
        frame
            .attr(tag, name)
            .map(|(v, _)| v.split_whitespace().map(str::to_lowercase).collect())
            .unwrap_or_default()
    };
    let fragment = break_attribute_chains(fragment);
    for token in tokens(&fragment) {
        match token {
            Token::StartTag(tag) => {
                let span = frame.shift(tag.span);
                match tag.name.as_slice() {
                    b"a" => {
                        if let Some((href, _)) = frame.attr(&tag, b"href") {
                            items.push(InlineHtml::LinkOpen {
                                href: href.trim().to_owned(),
                                rel: list(&tag, b"rel"),
                                classes: list(&tag, b"class"),
                                start: span.start,
                            });
                        }
                    }
                    b"br" => items.push(InlineHtml::Break(span)),
                    b"img" => items.extend(frame.image(&tag, span, context).map(InlineHtml::Image)),
                    _ => {}
                }
            }
            Token::EndTag(tag) if tag.name.as_slice() == b"a" => {
                items.push(InlineHtml::LinkClose {
                    end: frame.shift(tag.span).end,
                });
            }
            Token::Comment(c) => {
                let span = frame.shift(c.span);
                let raw = text.get(span.start..span.end).unwrap_or_default();
                if raw.starts_with("<!--") {
                    items.push(InlineHtml::Comment(Meta {
                        key: "comment".to_owned(),
                        value: String::from_utf8_lossy(&c.value).into_owned(),
                        span,
                        origin: MetaOrigin::Comment,
                    }));
                }
            }
            _ => {}
        }
    }
    items
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    fn blocks(doc: &Document) -> Vec<(&str, Context)> {
        doc.blocks
            .iter()
            .map(|b| (b.text.as_str(), b.context))
            .collect()
    }

    #[test]
    fn entity_in_license_name_maps_back() {
        let text = "<p>Licensed under CC&nbsp;BY 4.0.</p>";
        let doc = extract(text);
        let block = &doc.blocks[0];
        assert_eq!(block.text, "Licensed under CC\u{a0}BY 4.0.");
        assert_eq!(slice(text, block.span), "Licensed under CC&nbsp;BY 4.0.");
        let at = block.text.find("CC").unwrap();
        let span = block.source_span(at, at + "CC\u{a0}BY 4.0".len());
        assert_eq!(slice(text, span), "CC&nbsp;BY 4.0");
        assert_eq!(span, Span::new(18, 32));
    }

    #[test]
    fn byline_joins_inline_tags() {
        let text = "<div class=\"byline\">By <a href=\"/jane\">Jane</a> <em>Doe</em></div>";
        let doc = extract(text);
        assert_eq!(blocks(&doc), [("By Jane Doe", Context::Body)]);
        let block = &doc.blocks[0];
        let span = block.source_span(3, 11);
        assert_eq!(slice(text, span), "Jane</a> <em>Doe");
        assert_eq!(slice(text, block.source_span(8, 11)), "Doe");
        let link = &doc.links[0];
        assert_eq!(link.href, "/jane");
        assert_eq!(link.text, "Jane");
        assert_eq!(slice(text, link.span), "<a href=\"/jane\">Jane</a>");
        assert_eq!(link.classes, ["byline"]);
    }

    #[test]
    fn contexts_of_page_parts() {
        let text = "<nav><a href=/>Home</a></nav><article><header><p>By Ann</p></header>\
            <figure><img src=a.jpg alt=Cat><figcaption>Photo: Bob, CC BY</figcaption></figure>\
            <pre>code here</pre><blockquote><p>Quoted</p></blockquote><h2>Title</h2>\
            <p>Text <code>x</code> after</p></article>\
            <div class=\"widget widget_text\"><p>Sidebar</p></div>\
            <footer class=\"site-footer\"><p>© Site</p></footer>";
        let doc = extract(text);
        assert_eq!(
            blocks(&doc),
            [
                ("Home", Context::Chrome),
                ("By Ann", Context::Body),
                ("Photo: Bob, CC BY", Context::Caption),
                ("code here", Context::Code),
                ("Quoted", Context::Blockquote),
                ("Title", Context::Heading),
                ("Text", Context::Body),
                ("x", Context::Code),
                ("after", Context::Body),
                ("Sidebar", Context::Chrome),
                ("© Site", Context::Chrome),
            ]
        );
        assert_eq!(doc.links[0].context, Context::Chrome);
        assert_eq!(doc.images[0].context, Context::Caption);
        assert_eq!(slice(text, doc.images[0].span), "<img src=a.jpg alt=Cat>");
        assert_eq!(doc.images[0].alt, "Cat");
    }

    #[test]
    fn elementor_widget_wrappers_are_not_chrome() {
        let text = "<div class=\"elementor-widget-container\"><p>Body text</p></div>";
        assert_eq!(blocks(&extract(text)), [("Body text", Context::Body)]);
    }

    #[test]
    fn rel_tokens_and_badge_alt() {
        let text = "<a rel=\"License cc:attributionURL\" href=\"https://creativecommons.org/licenses/by/4.0/\">\
            <img alt=\"Creative Commons License\" src=\"88x31.png\"></a>";
        let doc = extract(text);
        let link = &doc.links[0];
        assert_eq!(link.rel, ["license", "cc:attributionurl"]);
        assert_eq!(link.text, "Creative Commons License");
        assert_eq!(link.span, Span::new(0, text.len()));
    }

    #[test]
    fn rdfa_properties() {
        let text = "<p><span property=\"dct:title\">Río &amp; mar</span> by \
            <a rel=\"cc:attributionURL\" property=\"cc:attributionName\" href=\"https://x.org\">Ana</a>\
            <span property=\"dct:creator\" content=\"Ana B\"></span></p>";
        let doc = extract(text);
        let metas: Vec<(&str, &str, &str, MetaOrigin)> = doc
            .meta
            .iter()
            .map(|m| {
                (
                    m.key.as_str(),
                    m.value.as_str(),
                    slice(text, m.span),
                    m.origin,
                )
            })
            .collect();
        assert_eq!(
            metas,
            [
                ("dct:title", "Río & mar", "Río &amp; mar", MetaOrigin::Rdfa),
                ("cc:attributionname", "Ana", "Ana", MetaOrigin::Rdfa),
                ("dct:creator", "Ana B", "Ana B", MetaOrigin::Rdfa),
            ]
        );
        assert_eq!(doc.links[0].rel, ["cc:attributionurl"]);
    }

    #[test]
    fn head_metadata() {
        let text = "<!DOCTYPE html><html lang=\"zh-CN\"><head><title> A &amp; B </title>\
            <meta name=\"Author\" content=\"Jane\"><meta property=\"og:url\" content='https://x.org/a'>\
            <meta name=dcterms.license content=CC-BY-4.0>\
            <link rel=\"canonical\" href=\"https://x.org/a\"><link rel=stylesheet href=s.css>\
            <script type=\"application/ld+json\">{\"@graph\":[{\"license\":\"https://creativecommons.org/licenses/by/4.0/\",\
            \"author\":{\"name\":\"Jane\"}}]}</script><script>var x = \"<p>no</p>\";</script></head>\
            <body><p>Hi</p></body></html>";
        let doc = extract(text);
        assert_eq!(doc.lang.as_deref(), Some("zh-cn"));
        let metas: Vec<(&str, &str, &str, MetaOrigin)> = doc
            .meta
            .iter()
            .map(|m| {
                (
                    m.key.as_str(),
                    m.value.as_str(),
                    slice(text, m.span),
                    m.origin,
                )
            })
            .collect();
        let license = "https://creativecommons.org/licenses/by/4.0/";
        assert_eq!(
            metas,
            [
                ("title", "A & B", "A &amp; B", MetaOrigin::Title),
                ("author", "Jane", "Jane", MetaOrigin::MetaTag),
                (
                    "og:url",
                    "https://x.org/a",
                    "https://x.org/a",
                    MetaOrigin::MetaTag
                ),
                (
                    "dcterms.license",
                    "CC-BY-4.0",
                    "CC-BY-4.0",
                    MetaOrigin::MetaTag
                ),
                (
                    "canonical",
                    "https://x.org/a",
                    "https://x.org/a",
                    MetaOrigin::LinkRel
                ),
                ("license", license, license, MetaOrigin::JsonLd),
                ("author.name", "Jane", "Jane", MetaOrigin::JsonLd),
            ]
        );
        assert_eq!(blocks(&doc), [("Hi", Context::Body)]);
    }

    #[test]
    fn lang_from_content_language_meta() {
        let doc = extract("<meta http-equiv=\"Content-Language\" content=\"de-AT\"><p>x</p>");
        assert_eq!(doc.lang.as_deref(), Some("de-at"));
    }

    #[test]
    fn comments_are_kept_as_meta() {
        let text = "<p>a</p><!-- ccguard-disable missing-title -- ok --><p>b</p>";
        let doc = extract(text);
        let comment = doc.meta_value("comment").unwrap();
        assert_eq!(comment.origin, MetaOrigin::Comment);
        assert_eq!(comment.value, " ccguard-disable missing-title -- ok ");
        assert_eq!(
            slice(text, comment.span),
            "<!-- ccguard-disable missing-title -- ok -->"
        );
        assert!(doc.notes.is_empty());
    }

    #[test]
    fn unclosed_comment_gives_a_note() {
        let text = "<p>a</p><!-- oops <p>License: CC BY</p>";
        let doc = extract(text);
        assert_eq!(blocks(&doc), [("a", Context::Body)]);
        assert_eq!(doc.notes.len(), 1);
        assert_eq!(
            slice(text, doc.notes[0].span),
            "<!-- oops <p>License: CC BY</p>"
        );
    }

    #[test]
    fn unterminated_tag_at_the_end_gives_a_note() {
        let text = "<p>a</p><a href=\"x";
        let doc = extract(text);
        assert_eq!(doc.notes.len(), 1);
        assert_eq!(slice(text, doc.notes[0].span), "<a href=\"x");
    }

    #[test]
    fn stray_end_tags_lose_nothing_and_say_nothing() {
        let text = "</div><p>one</div> two</p></span><p>three";
        let doc = extract(text);
        assert_eq!(
            blocks(&doc),
            [
                ("one", Context::Body),
                ("two", Context::Body),
                ("three", Context::Body)
            ]
        );
        assert!(doc.notes.is_empty());
    }

    #[test]
    fn bare_urls_in_text_become_links() {
        let text = "<p>Source: https://example.org/post.</p>";
        let doc = extract(text);
        assert_eq!(doc.links.len(), 1);
        assert_eq!(slice(text, doc.links[0].span), "https://example.org/post");
    }

    #[test]
    fn front_matter_atop_html() {
        let text = "---\nsource: https://x.org\n---\n<p>Body</p>";
        let doc = extract(text);
        assert_eq!(
            slice(text, doc.meta_value("source").unwrap().span),
            "https://x.org"
        );
        assert_eq!(blocks(&doc), [("Body", Context::Body)]);
    }

    #[test]
    fn non_ascii_and_crlf_spans() {
        let text = "<p>Café\r\n中文 &eacute;</p>";
        let doc = extract(text);
        let block = &doc.blocks[0];
        assert_eq!(block.text, "Café\n中文 é");
        let at = block.text.find("中文").unwrap();
        assert_eq!(slice(text, block.source_span(at, at + 6)), "中文");
        assert_eq!(slice(text, block.source_span(5, 6)), "\r\n");
        assert_eq!(
            slice(
                text,
                block.source_span(block.text.len() - 2, block.text.len())
            ),
            "&eacute;"
        );
    }

    #[test]
    fn robustness() {
        for text in [
            String::new(),
            "\0<p>\0a</p>\0".to_owned(),
            "<a href=\"x".to_owned(),
            "<script>never closed".to_owned(),
            "<p title='é".to_owned(),
            "&#xD800; &#0; &#x110000; &".to_owned(),
        ] {
            let doc = extract(&text);
            assert_spans_valid(&text, &doc);
        }
        let deep = "<div>".repeat(200_000) + "deep" + &"</div>".repeat(200_000);
        let start = std::time::Instant::now();
        let doc = extract(&deep);
        assert_eq!(blocks(&doc), [("deep", Context::Body)]);
        let line = "<span>word &amp; more</span> ".repeat(180_000);
        let doc = extract(&line);
        assert_spans_valid(&line, &doc);
        assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
    }

    /// Every span in range and on char boundaries.
    pub(crate) fn assert_spans_valid(text: &str, doc: &Document) {
        let ok = |s: Span| s.start <= s.end && text.get(s.start..s.end).is_some();
        for b in &doc.blocks {
            assert!(ok(b.span), "{b:?}");
            for p in &b.pieces {
                assert!(
                    ok(Span::new(p.source_start, p.source_start + p.source_len)),
                    "{p:?}"
                );
                assert!(
                    b.text
                        .get(p.text_start..p.text_start + p.text_len)
                        .is_some(),
                    "{p:?}"
                );
            }
        }
        assert!(doc.links.iter().all(|l| ok(l.span)));
        assert!(doc.images.iter().all(|i| ok(i.span)));
        assert!(doc.meta.iter().all(|m| ok(m.span)));
        assert!(doc.notes.iter().all(|n| ok(n.span)));
    }

    use std::fmt::Write as _;

    /// A start tag as read: name, attributes and whether it was read as self-closing.
    type ReadTag = (String, Vec<(String, String)>, bool);

    /// `count` pieces written by `piece` (given the buffer and the piece number).
    fn numbered(count: usize, piece: impl Fn(&mut String, usize)) -> String {
        let mut s = String::new();
        for i in 0..count {
            piece(&mut s, i);
        }
        s
    }

    /// The start tags of `text` as tokenised after [`break_attribute_chains`].
    fn start_tags(text: &str) -> Vec<ReadTag> {
        let unchained = break_attribute_chains(text);
        tokens(&unchained)
            .filter_map(|token| match token {
                Token::StartTag(tag) => Some((
                    String::from_utf8_lossy(&tag.name).into_owned(),
                    tag.attributes
                        .iter()
                        .map(|(k, v)| {
                            (
                                String::from_utf8_lossy(k).into_owned(),
                                String::from_utf8_lossy(&v.value).into_owned(),
                            )
                        })
                        .collect(),
                    tag.self_closing,
                )),
                _ => None,
            })
            .collect()
    }

    /// The stack of a thread spawned by the standard library or rayon unless told otherwise.
    const STD_THREAD_STACK: usize = 2 * 1024 * 1024;

    #[test]
    fn a_tag_of_a_hundred_thousand_attributes_keeps_them_all_on_a_small_stack() {
        // html5gum nests one call per double-quoted attribute: this tag overflowed the stack.
        let attributes = numbered(100_000, |s, i| {
            let _ = write!(s, " a{i}=\"x{i}\"");
        });
        let text = format!(
            "<a{attributes} rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>"
        );
        let (doc, tags) = std::thread::Builder::new()
            .stack_size(STD_THREAD_STACK)
            .spawn(move || (extract(&text), start_tags(&text)))
            .expect("spawn")
            .join()
            .expect("no panic");
        assert_eq!(doc.links.len(), 1);
        assert_eq!(
            doc.links[0].href,
            "https://creativecommons.org/licenses/by/4.0/"
        );
        assert_eq!(doc.links[0].rel, ["license"]);
        assert_eq!(doc.links[0].text, "CC BY 4.0");
        assert_eq!(tags.len(), 1);
        let (name, attributes, self_closing) = &tags[0];
        assert_eq!(
            (name.as_str(), attributes.len(), *self_closing),
            ("a", 100_002, false)
        );
        assert!(attributes.contains(&("a99999".to_owned(), "x99999".to_owned())));
    }

    #[test]
    fn chains_are_broken_every_64_attributes_and_only_there() {
        let attributes = numbered(200, |s, i| {
            let _ = write!(s, " a{i}=\"{i}\"");
        });
        let text = format!("<p{attributes}>text</p>");
        let unchained = break_attribute_chains(&text);
        let changed: Vec<(usize, u8)> = text
            .bytes()
            .zip(unchained.bytes())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(at, (a, b))| {
                assert_eq!(b, b'/', "only spaces become solidi");
                (at, a)
            })
            .collect();
        assert_eq!(unchained.len(), text.len());
        // 199 chained links after the first attribute: broken after the 64th, 128th and 192nd.
        assert_eq!(changed.len(), 3);
        assert!(changed.iter().all(|&(_, byte)| byte == b' '));
        assert_eq!(&text[changed[0].0 - 8..changed[0].0 + 5], "a64=\"64\" a65=");
        // Every attribute is read as before.
        let (_, attributes, self_closing) = &start_tags(&text)[0];
        assert_eq!(attributes.len(), 200);
        assert!(!self_closing);
        // A real page's tags are far from the bound: nothing is copied.
        let page = "<p class=\"a\" id=\"b\" title=\"c\">\"Quoted\" = \"text\"</p>";
        assert!(matches!(break_attribute_chains(page), Cow::Borrowed(_)));
    }

    #[test]
    fn a_chain_read_out_of_phase_is_broken_too() {
        // Every value reads like the gap between two attributes (` b=`): followed from the
        // opening quotes, the bytes form a second chain beside the real one. Both are followed.
        let pairs = numbered(100_000, |s, i| {
            let _ = write!(s, " b{i}=\" c{i}=\"");
        });
        let text = format!("<p a=\"{pairs}\">x</p>");
        let tags = std::thread::Builder::new()
            .stack_size(STD_THREAD_STACK)
            .spawn(move || start_tags(&text))
            .expect("spawn")
            .join()
            .expect("no panic");
        // `a`, then `c0` to `c99999`, each valued like ` b1=`.
        assert_eq!(tags[0].1.len(), 100_001);
        assert!(
            tags[0]
                .1
                .contains(&("c99998".to_owned(), " b99999=".to_owned()))
        );
    }
}
