//! Per-page benchmarks (divan): extraction and each detector on a Markdown and an HTML page.
//!
//! Run with `cargo bench --bench pipeline`. The pages come from `../shared/corpus` when it is
//! present (a long Markdown post and the largest readability page), else from `fixtures/`.
//! Whole-site timing and memory are measured by `benches/site.sh`, not here.

use std::sync::LazyLock;

use ccguard::detect::{self, Detector};
use ccguard::document::{self, Document};
use ccguard::rules::load;
use ccguard::source::{Format, Source};

fn main() {
    divan::main();
}

/// A page: the first of `paths` (relative to the crate) that can be read.
fn page(paths: &[&str], format: Format) -> Source {
    let root = env!("CARGO_MANIFEST_DIR");
    for path in paths {
        if let Ok(bytes) = std::fs::read(format!("{root}/{path}")) {
            return Source::from_bytes(*path, &bytes, format);
        }
    }
    panic!("none of {paths:?} is readable")
}

static MARKDOWN: LazyLock<Source> = LazyLock::new(|| {
    page(
        &[
            "../shared/corpus/md/intellectualtakeout/2021/11/twitters-covid-propaganda-campaign.md",
            "fixtures/posts/china-cuba-hugo.md",
        ],
        Format::Markdown,
    )
});

static HTML: LazyLock<Source> = LazyLock::new(|| {
    page(
        &[
            "../shared/corpus/html/readability/test/test-pages/yahoo-2/source.html",
            "fixtures/posts/china-cuba-wix.html",
        ],
        Format::Html,
    )
});

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::new(&load::bundled().expect("bundled rules load")));

fn source(format: &str) -> &'static Source {
    if format == "html" { &HTML } else { &MARKDOWN }
}

const FORMATS: &[&str] = &["markdown", "html"];

#[divan::bench(args = FORMATS)]
fn extract(bencher: divan::Bencher, format: &str) {
    let source = source(format);
    bencher
        .counter(divan::counter::BytesCount::of_str(&source.text))
        .bench(|| document::extract(divan::black_box(source)));
}

#[divan::bench(args = FORMATS)]
fn detect_all(bencher: divan::Bencher, format: &str) {
    let source = source(format);
    let doc = document::extract(source);
    bencher
        .counter(divan::counter::BytesCount::of_str(&source.text))
        .bench(|| DETECTOR.detect_source(&source.text, divan::black_box(&doc)));
}

/// One detector at a time, to see which one dominates.
#[divan::bench(args = FORMATS)]
fn detect_licenses(bencher: divan::Bencher, format: &str) {
    with_doc(bencher, format, |doc| {
        let facts = DETECTOR.detect(doc);
        facts.licenses.len()
    });
}

#[divan::bench(args = FORMATS)]
fn detect_credits(bencher: divan::Bencher, format: &str) {
    with_doc(bencher, format, |doc| detect::credit::detect(doc).len());
}

#[divan::bench(args = FORMATS)]
fn detect_title(bencher: divan::Bencher, format: &str) {
    with_doc(bencher, format, |doc| {
        usize::from(detect::credit::title(doc).is_some())
    });
}

#[divan::bench(args = FORMATS)]
fn detect_sources(bencher: divan::Bencher, format: &str) {
    with_doc(bencher, format, |doc| {
        detect::source_link::detect(doc).len()
    });
}

#[divan::bench(args = FORMATS)]
fn detect_adaptation(bencher: divan::Bencher, format: &str) {
    with_doc(bencher, format, |doc| {
        usize::from(detect::adaptation::detect(doc, &[]).translated)
    });
}

#[divan::bench(args = FORMATS)]
fn detect_language(bencher: divan::Bencher, format: &str) {
    with_doc(bencher, format, |doc| {
        usize::from(detect::adaptation::language(doc).is_some())
    });
}

#[divan::bench(args = FORMATS)]
fn detect_restrictions(bencher: divan::Bencher, format: &str) {
    with_doc(bencher, format, |doc| {
        detect::restriction::detect(doc).len()
    });
}

#[divan::bench(args = FORMATS)]
fn detect_commercial(bencher: divan::Bencher, format: &str) {
    let source = source(format);
    with_doc(bencher, format, |doc| {
        detect::commercial::detect(&source.text, doc).len()
    });
}

#[divan::bench(args = FORMATS)]
fn detect_permission(bencher: divan::Bencher, format: &str) {
    with_doc(bencher, format, |doc| {
        usize::from(detect::repost::permission(doc).is_some())
    });
}

fn with_doc(bencher: divan::Bencher, format: &str, run: impl Fn(&Document) -> usize + Sync) {
    let doc = document::extract(source(format));
    bencher.bench(|| run(divan::black_box(&doc)));
}
