//! Property test of the span invariant (see `tests/support/spans.rs`): on generated HTML- and
//! Markdown-like input, every span from extraction, detection and the checks lies inside the
//! text on char boundaries, and nothing panics. The fuzz targets in `fuzz/` check the same
//! invariant on far more inputs; this runs on every `cargo test`.

use crate::common;
#[path = "../support/spans.rs"]
mod invariant;

use ccguard::document;
use ccguard::source::{Format, Source};
use proptest::prelude::*;

/// Fragments that exercise the parsers' and detectors' odd corners.
const TOKENS: &[&str] = &[
    "<a href=\"https://creativecommons.org/licenses/by-sa/4.0/\">",
    "<a href='https://example.org/original'>",
    "</a>",
    "<p>",
    "</p>",
    "<div class=\"caption\">",
    "</div>",
    "<footer>",
    "<img src=x alt=\"Photo: Ana\">",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<meta name=\"author\" content=\"Ana Ruiz\">",
    "&amp;",
    "&#x1F600;",
    "&nbsp;",
    "&",
    "<",
    ">",
    "\n",
    "\r\n",
    "---\n",
    "title: Post\n",
    "license: CC BY 4.0\n",
    "# ",
    "> ",
    "- ",
    "[",
    "](https://example.org/a)",
    "](",
    ")",
    "```\n",
    "`",
    "*",
    "|",
    " ",
    "CC BY-SA 4.0",
    "Creative Commons Attribution-NonCommercial 3.0",
    "All rights reserved",
    "By ",
    "Ana Ruiz",
    "Originally published at ",
    "Translated from Spanish by ",
    "原文链接：",
    "译者：",
    "é",
    "\u{200b}",
    "\u{feff}",
    "🦀",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(TOKENS).prop_map(str::to_owned),
        1 => "\\PC{0,6}",
    ]
}

fn input() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..60).prop_map(|parts| parts.concat())
}

fn check(text: &str, format: Format) -> Result<(), TestCaseError> {
    let source = Source::from_text("post", text, format);
    let doc = document::extract(&source);
    let bad = invariant::document_violations(text, &doc);
    prop_assert!(bad.is_empty(), "document spans: {bad:?}");
    let result = common::checker().check_source(source);
    let bad = invariant::result_violations(&result);
    prop_assert!(bad.is_empty(), "result spans: {bad:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn html_spans_stay_inside_the_text(text in input()) {
        check(&text, Format::Html)?;
    }

    #[test]
    fn markdown_spans_stay_inside_the_text(text in input()) {
        check(&text, Format::Markdown)?;
    }
}

/// Every input a fuzzer once broke (`fuzz/regressions/<target>/`) keeps the span invariant.
#[test]
fn fuzz_regressions_keep_spans_inside_the_text() {
    let dir = common::root().join("fuzz/regressions");
    for target in std::fs::read_dir(&dir).expect("fuzz/regressions") {
        let target = target.expect("entry").path();
        let format = if target.ends_with("markdown") {
            Format::Markdown
        } else {
            Format::Html
        };
        for file in std::fs::read_dir(&target).expect("target dir") {
            let path = file.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read regression");
            let source = Source::from_bytes("regression", &bytes, format);
            let doc = document::extract(&source);
            let bad = invariant::document_violations(&source.text, &doc);
            assert!(
                bad.is_empty(),
                "{}: document spans: {bad:?}",
                path.display()
            );
            let result = common::checker().check_source(source);
            let bad = invariant::result_violations(&result);
            assert!(bad.is_empty(), "{}: result spans: {bad:?}", path.display());
        }
    }
}
