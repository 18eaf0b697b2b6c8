//! The license-name, code and URL normalisers: arbitrary text as a prose block, a link and a
//! metadata value, through the license matcher.
#![no_main]

mod common;

use std::sync::LazyLock;

use ccguard::detect::license::Matcher;
use ccguard::document::{Block, Context, Document, Link, Meta, MetaOrigin};
use ccguard::rules::load;
use ccguard::source::Span;

static MATCHER: LazyLock<Matcher> =
    LazyLock::new(|| Matcher::new(&load::bundled().expect("bundled rules load")));

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let whole = Span::new(0, text.len());
    let doc = Document {
        blocks: vec![Block::verbatim(text, whole, Context::Body)],
        links: vec![Link {
            href: text.to_owned(),
            text: text.to_owned(),
            rel: vec!["license".to_owned()],
            span: whole,
            context: Context::Body,
            classes: Vec::new(),
        }],
        meta: vec![Meta {
            key: "license".to_owned(),
            value: text.to_owned(),
            span: whole,
            origin: MetaOrigin::FrontMatter,
        }],
        ..Document::default()
    };
    for claim in MATCHER.detect(&doc) {
        let span = claim.evidence.span;
        assert!(
            common::spans::span_problem(text, span).is_none(),
            "claim span {span:?} in {text:?}"
        );
    }
});
