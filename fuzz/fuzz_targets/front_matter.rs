//! Front-matter splitting and parsing (YAML, TOML, JSON) on arbitrary text after a fence.
#![no_main]

mod common;

use ccguard::document::{Document, front_matter};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    for fence in ["---\n", "+++\n", "{\"", ""] {
        let text = format!("{fence}{body}");
        if let Some(fm) = front_matter::split(&text) {
            assert!(fm.body.start <= fm.body.end && fm.body.end <= text.len());
            assert!(fm.end <= text.len() && text.is_char_boundary(fm.end));
            let mut doc = Document::default();
            front_matter::extract(&text, &fm, &mut doc);
            let bad = common::spans::document_violations(&text, &doc);
            assert!(bad.is_empty(), "front matter spans: {bad:?}");
        }
        common::check(text.as_bytes(), ccguard::source::Format::Markdown);
    }
});
